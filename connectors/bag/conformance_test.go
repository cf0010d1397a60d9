package bag_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/internal/openapitest"
	mocksbag "github.com/poort-nl/poort/mocks/bag"
	"github.com/poort-nl/poort/mocks/population"
)

// bagExceptions are where the test departs from the vendored document,
// which is the archived 2.0.0, the last one published whole: the API
// serves 2.9 (the mock says so in api-version), and its feature files
// (adresregels.feature, adresseerbaarobject-embedden-in-adres.feature)
// describe what 2.9 added and the mock serves: adresregel5 and
// adresregel6, and the adresseerbaar object and panden embedded in an
// address. The document requires an address's kortNaam but declares it
// as korteNaam, the name the API answers with. And the API's own examples
// (getting-started.md: "tijdstipRegistratie": "2010-12-10T02:45:55") give
// timestamps without a UTC offset, which the document's format date-time
// (RFC 3339) requires; the mock follows the examples.
func bagExceptions() []func(*openapi3.T) error {
	text := openapitest.Literal(openapi3.NewStringSchema())
	return []func(*openapi3.T) error{
		openapitest.RenameRequired("Adres", "kortNaam", "korteNaam"),
		openapitest.AddProperty("Adres", "adresregel5", text),
		openapitest.AddProperty("Adres", "adresregel6", text),
		openapitest.AddProperty("AdresIO_embedded", "adresseerbaarObject", openapitest.Component("AdresseerbaarObjectIOHal", false)),
		openapitest.AddProperty("AdresIO_embedded", "panden", openapitest.Component("PandIOHal", true)),
		openapitest.DropFormat("Voorkomen", "tijdstipRegistratie", "eindRegistratie", "tijdstipInactief", "tijdstipRegistratieLV"),
	}
}

// TestConformance drives every method of the connector against the mock,
// with its API key required, and holds every request and response to the
// published OpenAPI document of BAG API Individuele Bevragingen
// (mocks/bag/spec).
func TestConformance(t *testing.T) {
	pop, err := population.Generate(population.Config{Seed: 12, Size: 300})
	if err != nil {
		t.Fatal(err)
	}
	const key = "conformance"
	srv := httptest.NewServer(mocksbag.RequireKey(key, mocksbag.New(pop)))
	t.Cleanup(srv.Close)
	base := srv.URL + mocksbag.BasePath
	doc, err := openapitest.Load("../../mocks/bag/spec/openapi.yaml", base, bagExceptions()...)
	if err != nil {
		t.Fatal(err)
	}
	checker := openapitest.NewChecker(t, nil, doc)
	c, err := bag.New(connectors.Config{BaseURL: base, AuthValue: key, Transport: checker})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()

	home, ok := pop.Address(pop.Scenarios.Renovation)
	if !ok {
		t.Fatalf("no address %q in the scenarios", pop.Scenarios.Renovation)
	}
	var ids, objects, buildings []string
	for _, a := range pop.Addresses {
		ids, objects, buildings = append(ids, a.ID), append(objects, a.ObjectID), append(buildings, a.BuildingIDs...)
	}
	// Well-formed identifications nothing has.
	const unknownAddress, unknownObject, unknownBuilding = "9999200000000001", "9999010000000001", "9999100000000001"

	openapitest.Drive(t, c, map[string]func(t *testing.T){
		"Check": func(t *testing.T) { openapitest.Must(t, c.Check(ctx)) },
		"Address": func(t *testing.T) {
			for _, expand := range []bool{false, true} {
				_, err := c.Address(ctx, home.ID, expand)
				openapitest.Must(t, err)
			}
			if _, err := c.Address(ctx, unknownAddress, false); err == nil {
				t.Error("an unknown address was found")
			}
		},
		"Addresses": func(t *testing.T) {
			got, err := c.Addresses(ctx, append(ids, unknownAddress), true)
			openapitest.Must(t, err)
			if len(got) != len(ids) {
				t.Errorf("%d addresses for %d ids", len(got), len(ids))
			}
		},
		"AddressesByPostcode": func(t *testing.T) {
			_, err := c.AddressesByPostcode(ctx, home.Postcode, home.HouseNumber, home.HouseLetter, home.Addition)
			openapitest.Must(t, err)
			_, err = c.AddressesByPostcode(ctx, "9999ZZ", 1, "", "")
			openapitest.Must(t, err)
		},
		"AddressesByObject": func(t *testing.T) {
			_, err := c.AddressesByObject(ctx, home.ObjectID)
			openapitest.Must(t, err)
		},
		"AddressesByBuilding": func(t *testing.T) {
			_, err := c.AddressesByBuilding(ctx, home.BuildingIDs[0])
			openapitest.Must(t, err)
		},
		"Object": func(t *testing.T) {
			_, err := c.Object(ctx, home.ObjectID)
			openapitest.Must(t, err)
		},
		"Objects": func(t *testing.T) {
			_, err := c.Objects(ctx, append(objects, unknownObject))
			openapitest.Must(t, err)
		},
		"Building": func(t *testing.T) {
			_, err := c.Building(ctx, home.BuildingIDs[0])
			openapitest.Must(t, err)
		},
		"Buildings": func(t *testing.T) {
			_, err := c.Buildings(ctx, append(buildings, unknownBuilding))
			openapitest.Must(t, err)
		},
	}, "Registry", "Close")

	// Refusals the connector never provokes, so that the mock's errors are
	// held to the document too.
	client := &http.Client{Transport: checker}
	for _, bad := range []struct {
		path   string
		status int
	}{
		{"/adressen", http.StatusBadRequest},
		{"/adressen?postcode=1234AB", http.StatusBadRequest},
		{"/adressen?postcode=1234AB&huisnummer=x", http.StatusBadRequest},
		{"/adressen/" + home.ID + "?expand=onbekend", http.StatusBadRequest},
		{"/panden/" + unknownBuilding, http.StatusNotFound},
		{"/panden/0000000000000001", http.StatusBadRequest},
	} {
		req, _ := http.NewRequestWithContext(openapitest.Refusal(ctx), http.MethodGet, base+bad.path, nil)
		req.Header.Set(mocksbag.KeyHeader, key)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != bad.status {
			t.Errorf("%s: %d, want %d", bad.path, resp.StatusCode, bad.status)
		}
	}
	if len(checker.Operations()) < 4 {
		t.Errorf("operations exchanged: %v", checker.Operations())
	}
}
