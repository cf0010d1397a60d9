package nhr_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/internal/openapitest"
	mocksnhr "github.com/poort-nl/poort/mocks/nhr"
	"github.com/poort-nl/poort/mocks/population"
)

// vestigingsprofielErrors is the one exception the test makes for KvK.
// Vestigingsprofiel 1.4 declares a single default answer, the Vestiging, so
// by its letter an error would be a Vestiging too. KvK answers its errors
// there as Basisprofiel 1.5.0 declares them: {"fout": [{"code",
// "omschrijving"}]} in HAL+JSON, with 400 and 404. The test adds those two
// answers, with Basisprofiel's Error schema, and holds the mock to them.
func vestigingsprofielErrors(doc *openapi3.T) error {
	op := doc.Paths.Find("/v1/vestigingsprofielen/{vestigingsnummer}")
	if op == nil || op.Get == nil {
		return errors.New("no GET /v1/vestigingsprofielen/{vestigingsnummer}")
	}
	if op.Get.Responses.Status(http.StatusNotFound) != nil {
		return errors.New("Vestigingsprofiel declares its 404 now: drop the exception")
	}
	text := openapi3.NewStringSchema()
	fout := openapi3.NewObjectSchema().WithProperty("code", text).WithProperty("omschrijving", text)
	schema := openapi3.NewObjectSchema().WithProperty("fout", openapi3.NewArraySchema().WithItems(fout))
	for _, status := range []int{http.StatusBadRequest, http.StatusNotFound} {
		op.Get.Responses.Set(strconv.Itoa(status), &openapi3.ResponseRef{Value: openapi3.NewResponse().
			WithDescription("error").WithContent(openapi3.NewContentWithSchema(schema, []string{"application/hal+json"}))})
	}
	return nil
}

// TestConformance drives every method of the connector against the mock,
// with its API key required, and holds every request and response to the
// published OpenAPI documents of KvK Zoeken 2.0.0, Basisprofiel 1.5.0 and
// Vestigingsprofiel 1.4 (mocks/nhr/spec), and those of the functionarissen
// operations to our own contract (mocks/nhr/functionarissen.openapi.yaml).
func TestConformance(t *testing.T) {
	pop, err := population.Generate(population.Config{Seed: 12, Size: 400})
	if err != nil {
		t.Fatal(err)
	}
	const key = "conformance"
	srv := httptest.NewServer(mocksnhr.RequireKey(key, mocksnhr.New(pop)))
	t.Cleanup(srv.Close)
	var docs []*openapitest.Document
	for file, base := range map[string]string{
		"../../mocks/nhr/spec/zoeken.yaml":             "/api/v2",
		"../../mocks/nhr/spec/basisprofiel.yaml":       "/api/v1",
		"../../mocks/nhr/spec/vestigingsprofiel.yaml":  "/api",
		"../../mocks/nhr/functionarissen.openapi.yaml": "/api/v1",
	} {
		var adjust []func(*openapi3.T) error
		if strings.HasSuffix(file, "vestigingsprofiel.yaml") {
			adjust = append(adjust, vestigingsprofielErrors)
		}
		d, err := openapitest.Load(file, srv.URL+base, adjust...)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	checker := openapitest.NewChecker(t, nil, docs...)
	c, err := nhr.New(connectors.Config{
		BaseURL: srv.URL + "/api", AuthValue: key, Transport: checker,
		Settings: map[string]string{nhr.FunctionariesURL: srv.URL + "/api/v1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()

	company, ok := pop.Company(pop.Scenarios.NewCompany)
	if !ok {
		t.Fatalf("no company %q in the scenarios", pop.Scenarios.NewCompany)
	}
	owner := pop.Scenarios.SoleProprietor
	if _, ok := pop.Person(owner); !ok {
		t.Fatalf("no sole proprietor %q in the scenarios", owner)
	}
	var legalEntity *population.Company
	for i := range pop.Companies {
		if pop.Companies[i].RSIN != "" {
			legalEntity = &pop.Companies[i]
			break
		}
	}
	if legalEntity == nil {
		t.Fatal("no legal entity (a company with an RSIN) in the population")
	}
	var kvks, branches []string
	for i := range pop.Companies {
		kvks = append(kvks, pop.Companies[i].KvKNumber)
		for _, b := range pop.Companies[i].Branches {
			branches = append(branches, b.Number)
		}
	}
	home, _ := pop.Address(company.Branches[0].AddressID)
	const unknownKvK, unknownBranch = "00000001", "000000000001"

	openapitest.Drive(t, c, map[string]func(t *testing.T){
		"Check": func(t *testing.T) { openapitest.Must(t, c.Check(ctx)) },
		"NotOffered": func(t *testing.T) {
			if got := c.NotOffered(); got != nil {
				t.Errorf("with the functionarissen source configured, not offered: %v", got)
			}
		},
		"Company": func(t *testing.T) {
			_, err := c.Company(ctx, legalEntity.KvKNumber)
			openapitest.Must(t, err)
			if _, err := c.Company(ctx, unknownKvK); err == nil {
				t.Error("an unknown KvK number was found")
			}
		},
		"Companies": func(t *testing.T) {
			got, err := c.Companies(ctx, append(kvks, unknownKvK))
			openapitest.Must(t, err)
			if len(got) != len(kvks) {
				t.Errorf("%d companies for %d KvK numbers", len(got), len(kvks))
			}
		},
		"Branches": func(t *testing.T) {
			_, err := c.Branches(ctx, company.KvKNumber)
			openapitest.Must(t, err)
			if _, err := c.Branches(ctx, unknownKvK); err == nil {
				t.Error("an unknown KvK number has branches")
			}
		},
		"Branch": func(t *testing.T) {
			_, err := c.Branch(ctx, company.Branches[0].Number)
			openapitest.Must(t, err)
		},
		"BranchesByNumber": func(t *testing.T) {
			got, err := c.BranchesByNumber(ctx, append(branches, unknownBranch))
			openapitest.Must(t, err)
			if len(got) != len(branches) {
				t.Errorf("%d branches for %d numbers", len(got), len(branches))
			}
		},
		"Search": func(t *testing.T) {
			for _, q := range []nhr.SearchQuery{
				{KvKNumber: company.KvKNumber},
				{RSIN: legalEntity.RSIN, IncludeInactive: true},
				{Name: company.TradeNames[0], Type: nhr.MainBranchResult, PerPage: 100},
				{Postcode: home.Postcode, HouseNumber: home.HouseNumber, Page: 1},
				{KvKNumber: unknownKvK},
			} {
				_, err := c.Search(ctx, q)
				openapitest.Must(t, err)
			}
		},
		"Functionaries": func(t *testing.T) {
			got, err := c.Functionaries(ctx, company.KvKNumber)
			openapitest.Must(t, err)
			if len(got) == 0 {
				t.Error("the new company has no functionaries")
			}
			if _, err := c.Functionaries(ctx, unknownKvK); err == nil {
				t.Error("an unknown KvK number has functionaries")
			}
		},
		"RolesOfPerson": func(t *testing.T) {
			got, err := c.RolesOfPerson(ctx, owner)
			openapitest.Must(t, err)
			if len(got) == 0 {
				t.Error("the sole proprietor has no roles")
			}
			_, err = c.RolesOfPerson(ctx, "999999990")
			openapitest.Must(t, err)
		},
	}, "Registry", "Close")

	// Refusals the connector never provokes, so that the mock's errors are
	// held to the documents too.
	client := &http.Client{Transport: checker}
	for _, bad := range []struct {
		path   string
		status int
	}{
		{"/api/v1/basisprofielen/1234567", http.StatusBadRequest},
		{"/api/v1/basisprofielen/" + company.KvKNumber + "?geoData=yes", http.StatusBadRequest},
		{"/api/v1/vestigingsprofielen/12345", http.StatusBadRequest},
		{"/api/v2/zoeken?pagina=0&naam=x", http.StatusBadRequest},
		{"/api/v2/zoeken?type=onbekend&naam=x", http.StatusBadRequest},
	} {
		req, _ := http.NewRequestWithContext(openapitest.Refusal(ctx), http.MethodGet, srv.URL+bad.path, nil)
		req.Header.Set(mocksnhr.KeyHeader, key)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != bad.status {
			t.Errorf("%s: %d, want %d", bad.path, resp.StatusCode, bad.status)
		}
	}

	for _, op := range []string{"getResults", "getBasisprofielByKvkNummer", "getVestigingen", "getVestigingByVestigingsnummer",
		"getFunctionarissen", "zoekFunctionarissen"} {
		if len(checker.Operations()[op]) == 0 {
			t.Errorf("operation %s was never exchanged (%v)", op, checker.Operations())
		}
	}
}
