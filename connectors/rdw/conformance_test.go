package rdw_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/internal/openapitest"
	"github.com/poort-nl/poort/mocks/population"
	mocksrdw "github.com/poort-nl/poort/mocks/rdw"
)

// TestConformance drives every method of the connector against the mock
// and holds every call to the dossier, our own contract for what RDW open
// data lacks, to its OpenAPI document (mocks/rdw/rdw-dossier.openapi.yaml).
// RDW open data (Socrata) publishes no OpenAPI document; its calls pass
// unchecked here, and mocks/rdw's tests hold them to the datasets' columns.
func TestConformance(t *testing.T) {
	pop, err := population.Generate(population.Config{Seed: 12, Size: 300})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mocksrdw.New(pop))
	t.Cleanup(srv.Close)
	dossier := srv.URL + mocksrdw.DossierBasePath
	doc, err := openapitest.Load("../../mocks/rdw/rdw-dossier.openapi.yaml", dossier)
	if err != nil {
		t.Fatal(err)
	}
	checker := openapitest.NewChecker(t, nil, doc).Unchecked("/resource/")
	c, err := rdw.New(connectors.Config{
		BaseURL: srv.URL, AuthHeader: rdw.AppTokenHeader, AuthValue: "conformance", Transport: checker,
		Settings: map[string]string{rdw.DossierURL: dossier},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()

	owner := pop.Scenarios.VehicleOwner
	if len(pop.VehiclesOfPerson(owner)) == 0 {
		t.Fatalf("vehicle owner %q of the scenarios holds no vehicle", owner)
	}
	traveller := pop.Scenarios.Traveller
	if len(pop.DrivingLicencesOf(traveller)) == 0 {
		t.Fatalf("traveller %q of the scenarios holds no driving licence", traveller)
	}
	var bsns, kvks, plates []string
	for i := range pop.Persons {
		bsns = append(bsns, pop.Persons[i].BSN)
	}
	for i := range pop.Companies {
		kvks = append(kvks, pop.Companies[i].KvKNumber)
	}
	for i := range pop.Vehicles {
		plates = append(plates, pop.Vehicles[i].Plate)
	}

	openapitest.Drive(t, c, map[string]func(t *testing.T){
		"Check": func(t *testing.T) { openapitest.Must(t, c.Check(ctx)) },
		"NotOffered": func(t *testing.T) {
			if got := c.NotOffered(); got != nil {
				t.Errorf("with the dossier source configured, not offered: %v", got)
			}
		},
		"VehicleByPlate": func(t *testing.T) {
			_, err := c.VehicleByPlate(ctx, plates[0], rdw.WithFuels())
			openapitest.Must(t, err)
		},
		"VehiclesByPlate": func(t *testing.T) {
			_, err := c.VehiclesByPlate(ctx, plates, rdw.WithFuels())
			openapitest.Must(t, err)
		},
		"HoldingsByBSN": func(t *testing.T) {
			got, err := c.HoldingsByBSN(ctx, bsns)
			openapitest.Must(t, err)
			if len(got[owner]) == 0 {
				t.Error("the vehicle owner holds nothing")
			}
		},
		"HoldingsByKvK": func(t *testing.T) {
			_, err := c.HoldingsByKvK(ctx, kvks)
			openapitest.Must(t, err)
		},
		"DrivingLicences": func(t *testing.T) {
			got, err := c.DrivingLicences(ctx, bsns)
			openapitest.Must(t, err)
			if len(got[traveller]) == 0 {
				t.Error("the traveller holds no driving licence")
			}
		},
	}, "Registry", "Close")

	// Refusals the connector never provokes, so that the mock's problems
	// are held to the contract too.
	client := &http.Client{Transport: checker}
	for _, body := range []string{
		`{"burgerservicenummers":["12345"]}`,
		`{"burgerservicenummers":[` + strings.Repeat(`"999993653",`, 20) + `"999993653"]}`,
		`{}`,
	} {
		req, _ := http.NewRequestWithContext(openapitest.Refusal(ctx), http.MethodPost, dossier+"/voertuigbezit", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", body, resp.StatusCode)
		}
	}

	for _, op := range []string{"VoertuigbezitInfo", "RijbewijzenInfo"} {
		if len(checker.Operations()[op]) == 0 {
			t.Errorf("operation %s was never exchanged (%v)", op, checker.Operations())
		}
	}
}
