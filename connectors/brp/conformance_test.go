package brp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/internal/openapitest"
	mocksbrp "github.com/poort-nl/poort/mocks/brp"
	"github.com/poort-nl/poort/mocks/population"
)

// The published documents the connector and the mock speak
// (mocks/brp/spec/README.md has their source and version).
const (
	personenSpec       = "../../mocks/brp/spec/personen-openapi.yaml"
	reisdocumentenSpec = "../../mocks/brp/spec/reisdocumenten-openapi.yaml"
)

// brpErrorTexts is the one exception the test makes. The API's feature
// files (fout-cases.feature) give error details such as "De foutieve
// parameter(s) zijn: burgerservicenummer[0]." and reasons such as "Waarde
// voldoet niet aan patroon ^[0-9]{9}$.", and name parameters such as
// "fields[0]"; the OpenAPI document's patterns for detail, name and reason
// forbid the colon, the brackets and the quoted pattern. The mock follows
// the feature files, as the real service does, so only these three
// patterns are dropped; everything else of an error is checked.
// The two documents name the schema of an invalid parameter differently.
func brpErrorTexts(invalidParam string) []func(*openapi3.T) error {
	return []func(*openapi3.T) error{
		openapitest.DropPattern("Foutbericht", "detail"),
		openapitest.DropPattern(invalidParam, "name"),
		openapitest.DropPattern(invalidParam, "reason"),
	}
}

// TestConformance drives every method of the connector against the mock
// and holds every request and response to the published OpenAPI
// documents of BRP Personen bevragen and Reisdocumenten bevragen.
func TestConformance(t *testing.T) {
	pop, err := population.Generate(population.Config{Seed: 12, Size: 300})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mocksbrp.New(pop))
	t.Cleanup(srv.Close)
	personen, err := openapitest.Load(personenSpec, srv.URL+"/haalcentraal/api/brp", brpErrorTexts("InvalidParam")...)
	if err != nil {
		t.Fatal(err)
	}
	reisdocumenten, err := openapitest.Load(reisdocumentenSpec, srv.URL+"/haalcentraal/api/reisdocumenten", brpErrorTexts("InvalidParams")...)
	if err != nil {
		t.Fatal(err)
	}
	checker := openapitest.NewChecker(t, nil, personen, reisdocumenten)
	c, err := brp.New(connectors.Config{
		BaseURL: srv.URL + "/haalcentraal/api/brp", AuthHeader: "X-API-KEY", AuthValue: "conformance", Transport: checker,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()

	household := person(t, pop, pop.Scenarios.Household)
	deceased := person(t, pop, pop.Scenarios.Deceased)
	traveller := person(t, pop, pop.Scenarios.Traveller)
	home, ok := pop.Address(household.AddressID)
	if !ok {
		t.Fatalf("household %s has no address", household.BSN)
	}
	docs := pop.TravelDocumentsOf(traveller.BSN)
	if len(docs) == 0 {
		t.Fatalf("traveller %s holds no travel document", traveller.BSN)
	}
	var everyone []string
	for i := range pop.Persons {
		everyone = append(everyone, pop.Persons[i].BSN)
	}
	// Every path the API takes, in as few calls as its limit allows (the
	// connector adds burgerservicenummer to each).
	var fieldLists [][]string
	for chunk := range slices.Chunk(brp.FieldPaths(), brp.MaxFields-1) {
		fieldLists = append(fieldLists, chunk)
	}

	openapitest.Drive(t, c, map[string]func(t *testing.T){
		"Check": func(t *testing.T) { openapitest.Must(t, c.Check(ctx)) },
		"Person": func(t *testing.T) {
			for _, fields := range fieldLists {
				_, err := c.Person(ctx, household.BSN, fields)
				openapitest.Must(t, err)
			}
			if _, err := c.Person(ctx, "999999990", []string{"naam"}); err == nil {
				t.Error("a BSN nobody has was found")
			}
		},
		"PersonsByBSN": func(t *testing.T) {
			for _, fields := range fieldLists {
				got, err := c.PersonsByBSN(ctx, everyone, fields)
				openapitest.Must(t, err)
				if len(got) != len(everyone) {
					t.Errorf("%d persons for %d BSNs", len(got), len(everyone))
				}
			}
		},
		"SearchByNameAndBirthDate": func(t *testing.T) {
			_, err := c.SearchByNameAndBirthDate(ctx, household.Surname, household.BirthDate.ISO(),
				brp.WithGivenNames(household.GivenNames), brp.WithGender(household.Gender))
			openapitest.Must(t, err)
			found, err := c.SearchByNameAndBirthDate(ctx, deceased.Surname, deceased.BirthDate.ISO(), brp.IncludeDeceased())
			openapitest.Must(t, err)
			if len(found) == 0 {
				t.Error("the deceased was not found with inclusiefOverledenPersonen")
			}
		},
		"SearchByPostcode": func(t *testing.T) {
			_, err := c.SearchByPostcode(ctx, home.Postcode, home.HouseNumber)
			openapitest.Must(t, err)
		},
		"SearchByAddressID": func(t *testing.T) {
			_, err := c.SearchByAddressID(ctx, home.ID)
			openapitest.Must(t, err)
		},
		"SearchByObject": func(t *testing.T) {
			_, err := c.SearchByObject(ctx, home.ObjectID)
			openapitest.Must(t, err)
		},
		"TravelDocuments": func(t *testing.T) {
			got, err := c.TravelDocuments(ctx, traveller.BSN, nil)
			openapitest.Must(t, err)
			if len(got) == 0 {
				t.Error("the traveller's documents were not found")
			}
			_, err = c.TravelDocuments(ctx, traveller.BSN, brp.TravelDocumentPaths()[:20])
			openapitest.Must(t, err)
		},
		"TravelDocument": func(t *testing.T) {
			_, err := c.TravelDocument(ctx, docs[0].Number, nil)
			openapitest.Must(t, err)
			if _, err := c.TravelDocument(ctx, "XX0000000", nil); err == nil {
				t.Error("a travel document nobody has was found")
			}
		},
	}, "Registry", "Close")

	// The refusals the connector never provokes, sent as they are, so that
	// the mock's error answers are held to the documents too.
	client := &http.Client{Transport: checker}
	for _, bad := range []struct{ path, body string }{
		{"/haalcentraal/api/brp/personen", `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":["999999990"]}`},
		{"/haalcentraal/api/brp/personen", `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":["12345"],"fields":["naam"]}`},
		{"/haalcentraal/api/brp/personen", `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":["999999990"],"fields":["bestaatniet"]}`},
		{"/haalcentraal/api/brp/personen", `{"type":"ZoekMetPostcodeEnHuisnummer","postcode":"1234AB","huisnummer":100000,"fields":["naam"]}`},
		{"/haalcentraal/api/reisdocumenten/reisdocumenten", `{"type":"ZoekMetBurgerservicenummer","fields":["soort"]}`},
	} {
		req, _ := http.NewRequestWithContext(openapitest.Refusal(ctx), http.MethodPost, srv.URL+bad.path, strings.NewReader(bad.body))
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		req.Header.Set("X-API-KEY", "conformance")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s %s: %d, want 400", bad.path, bad.body, resp.StatusCode)
		}
	}

	// Each operation was exchanged; a document the connector never
	// exercises would prove nothing.
	for _, op := range []string{"Personen", "Reisdocumenten"} {
		if len(checker.Operations()[op]) == 0 {
			t.Errorf("operation %s was never exchanged (%v)", op, checker.Operations())
		}
	}
}

func person(t *testing.T, pop *population.Population, bsn string) *population.Person {
	t.Helper()
	p, ok := pop.Person(bsn)
	if !ok || strings.TrimSpace(bsn) == "" {
		t.Fatalf("no person %q in the population's scenarios", bsn)
	}
	return p
}
