package brk_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/brk"
	"github.com/poort-nl/poort/internal/openapitest"
	mocksbrk "github.com/poort-nl/poort/mocks/brk"
	"github.com/poort-nl/poort/mocks/population"
)

// TestConformance drives every method of the connector against the mock,
// with its API key required, and holds every request and response to the
// published OpenAPI document of BRK-Bevragen v2.0.0 (mocks/brk/spec).
func TestConformance(t *testing.T) {
	pop, err := population.Generate(population.Config{Seed: 12, Size: 400})
	if err != nil {
		t.Fatal(err)
	}
	const key = "conformance"
	srv := httptest.NewServer(mocksbrk.RequireKey(key, mocksbrk.New(pop)))
	t.Cleanup(srv.Close)
	base := srv.URL + mocksbrk.BasePath
	doc, err := openapitest.Load("../../mocks/brk/spec/openapi.yaml", base)
	if err != nil {
		t.Fatal(err)
	}
	checker := openapitest.NewChecker(t, nil, doc)
	c, err := brk.New(connectors.Config{BaseURL: base, AuthValue: key, Transport: checker, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()

	ix := population.NewBRKIndex(pop)
	renovation := ix.ParcelsAt(pop.Scenarios.Renovation)
	if len(renovation) == 0 || len(renovation[0].Restrictions) == 0 {
		t.Fatalf("the renovation address %q of the scenarios is on no parcel with a restriction", pop.Scenarios.Renovation)
	}
	deceased := pop.Scenarios.Deceased
	if len(ix.ParcelsOf(deceased)) == 0 {
		t.Fatalf("the deceased %q of the scenarios holds nothing", deceased)
	}
	// A land parcel split into apartment rights, one of those rights and
	// its address, and a right a legal entity holds: the shapes a single
	// owner-occupied house does not show.
	var split, apartment, corporate *population.Parcel
	for i := range pop.Parcels {
		p := &pop.Parcels[i]
		switch {
		case split == nil && len(p.ApartmentRights) > 0:
			split = p
		case apartment == nil && p.Kind == population.ApartmentRight && len(p.AddressIDs) > 0:
			apartment = p
		}
		for _, r := range p.Rights {
			if corporate == nil && r.HolderRSIN != "" {
				corporate = p
			}
		}
	}
	if split == nil || apartment == nil || corporate == nil {
		t.Fatalf("the population has no split parcel (%v), apartment right at an address (%v) or right held by a legal entity (%v)",
			split != nil, apartment != nil, corporate != nil)
	}
	// Well-formed identifications nothing has.
	const unknownAddress, unknownParcel, nobody = "9999200000000001", "99990000010000", "999999990"
	if _, ok := pop.Address(unknownAddress); ok {
		t.Fatalf("address %s is in the population", unknownAddress)
	}
	if _, ok := ix.Parcel(unknownParcel); ok {
		t.Fatalf("parcel %s is in the population", unknownParcel)
	}
	if _, ok := pop.Person(nobody); ok {
		t.Fatalf("BSN %s is in the population", nobody)
	}

	openapitest.Drive(t, c, map[string]func(t *testing.T){
		"Check": func(t *testing.T) { openapitest.Must(t, c.Check(ctx)) },
		"ParcelsAt": func(t *testing.T) {
			for _, address := range []string{pop.Scenarios.Renovation, apartment.AddressIDs[0]} {
				got, err := c.ParcelsAt(ctx, address)
				openapitest.Must(t, err)
				if len(got) == 0 {
					t.Errorf("no parcel at %s", address)
				}
			}
			got, err := c.ParcelsAt(ctx, unknownAddress)
			openapitest.Must(t, err)
			if len(got) != 0 {
				t.Errorf("parcels at an unknown address: %+v", got)
			}
		},
		"Rights": func(t *testing.T) {
			for _, p := range []*population.Parcel{renovation[0], split, apartment, corporate} {
				got, err := c.Rights(ctx, p.ID)
				openapitest.Must(t, err)
				if len(got) != len(p.Rights) {
					t.Errorf("%d rights on %s, want %d", len(got), p.ID, len(p.Rights))
				}
				for i, r := range got {
					if i < len(p.Rights) && r.Holder.BSN()+r.Holder.RSIN() != p.Rights[i].Holder() {
						t.Errorf("right %s on %s held by %+v, want %s", r.ID, p.ID, r.Holder, p.Rights[i].Holder())
					}
				}
			}
			if _, err := c.Rights(ctx, unknownParcel); err == nil {
				t.Error("an unknown parcel has rights")
			}
		},
		"HoldingsOf": func(t *testing.T) {
			got, err := c.HoldingsOf(ctx, deceased)
			openapitest.Must(t, err)
			if len(got) == 0 {
				t.Error("the deceased holds nothing")
			}
			got, err = c.HoldingsOf(ctx, nobody)
			openapitest.Must(t, err)
			if len(got) != 0 {
				t.Errorf("a BSN nobody has holds %+v", got)
			}
		},
		"Restrictions": func(t *testing.T) {
			got, err := c.Restrictions(ctx, renovation[0].ID)
			openapitest.Must(t, err)
			if len(got) == 0 {
				t.Error("the renovation's monument has no restriction")
			}
			_, err = c.Restrictions(ctx, unknownParcel)
			openapitest.Must(t, err)
		},
	}, "Registry", "Close")

	// The searches and resources of the mock the connector does not use,
	// and the refusals it never provokes, so that the mock's answers are
	// held to the document too.
	home, ok := pop.Address(pop.Scenarios.Renovation)
	if !ok {
		t.Fatalf("no address %q in the population", pop.Scenarios.Renovation)
	}
	client := &http.Client{Transport: checker}
	hal := map[string]string{"Accept": "application/hal+json"}
	body := map[string]string{"Content-Type": "application/json"}
	for _, call := range []struct {
		method, path, body string
		header             map[string]string
		status             int
	}{
		{"GET", "/kadastraalonroerendezaken?postcode=" + home.Postcode + "&expand=zakelijkGerechtigden", "", hal, http.StatusOK},
		{"GET", "/kadastraalonroerendezaken?kadastraleAanduiding=" + url.QueryEscape(split.Designation()) + "&inclusiefKadastraalOnroerendeZakenUitSplitsing=true", "", hal, http.StatusOK},
		{"GET", "/kadastraalonroerendezaken?kadastraleAanduidingMetGemeentecode=" + url.QueryEscape(split.DesignationWithCode()), "", hal, http.StatusOK},
		{"GET", "/kadastraalonroerendezaken?persoon__identificatie=" + corporate.Rights[0].Holder(), "", hal, http.StatusOK},
		{"GET", "/kadastraalonroerendezaken/" + corporate.ID + "?expand=zakelijkGerechtigden", "", hal, http.StatusOK},
		{"GET", "/kadastraalonroerendezaken/" + corporate.ID + "/zakelijkgerechtigden/" + corporate.Rights[0].ID, "", hal, http.StatusOK},
		{"GET", "/kadastraalonroerendezaken/" + split.ID + "/zakelijkgerechtigden?type=eigenaar", "", nil, http.StatusOK},
		{"GET", "/kadastraalonroerendezaken", "", nil, http.StatusBadRequest},
		{"GET", "/kadastraalonroerendezaken?postcode=" + home.Postcode + "&nummeraanduidingIdentificatie=" + unknownAddress, "", nil, http.StatusBadRequest},
		{"GET", "/kadastraalonroerendezaken?postcode=12", "", nil, http.StatusBadRequest},
		{"GET", "/kadastraalonroerendezaken?postcode=" + home.Postcode + "&huisnummer=x", "", nil, http.StatusBadRequest},
		{"GET", "/kadastraalonroerendezaken?nummeraanduidingIdentificatie=" + unknownAddress + "&expand=onbekend", "", nil, http.StatusBadRequest},
		{"GET", "/kadastraalonroerendezaken?nummeraanduidingIdentificatie=" + unknownAddress, "", map[string]string{"Accept": "application/xml"}, http.StatusNotAcceptable},
		{"GET", "/kadastraalonroerendezaken?nummeraanduidingIdentificatie=" + unknownAddress, "", map[string]string{"Accept-Crs": "epsg:4326"}, http.StatusNotAcceptable},
		{"GET", "/kadastraalonroerendezaken?nummeraanduidingIdentificatie=" + unknownAddress, "", map[string]string{mocksbrk.APIKeyHeader: ""}, http.StatusUnauthorized},
		{"GET", "/kadastraalonroerendezaken?nummeraanduidingIdentificatie=" + unknownAddress, "", map[string]string{mocksbrk.APIKeyHeader: "a-guess"}, http.StatusUnauthorized},
		{"POST", "/kadastraalonroerendezaken", `{"burgerservicenummer":"12345"}`, body, http.StatusBadRequest},
		{"POST", "/kadastraalonroerendezaken", `{"bsn":"` + nobody + `"}`, body, http.StatusBadRequest},
		{"POST", "/kadastraalonroerendezaken", `{"burgerservicenummer":"` + nobody + `"}`, map[string]string{"Content-Type": "text/plain"}, http.StatusBadRequest},
		{"GET", "/kadastraalonroerendezaken/" + unknownParcel, "", nil, http.StatusNotFound},
		{"GET", "/kadastraalonroerendezaken/" + split.ID + "?expand=onbekend", "", nil, http.StatusBadRequest},
		{"GET", "/kadastraalonroerendezaken/" + split.ID + "/zakelijkgerechtigden?type=onbekend", "", nil, http.StatusBadRequest},
		{"GET", "/kadastraalonroerendezaken/" + split.ID + "/hypotheken", "", nil, http.StatusNotFound},
		{"GET", "/publiekrechtelijkebeperkingen", "", nil, http.StatusBadRequest},
	} {
		rctx := ctx
		if call.status >= 400 {
			rctx = openapitest.Refusal(ctx)
		}
		req, _ := http.NewRequestWithContext(rctx, call.method, base+call.path, strings.NewReader(call.body))
		req.Header.Set(mocksbrk.APIKeyHeader, key)
		for k, v := range call.header {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != call.status {
			t.Errorf("%s %s %v: %d, want %d", call.method, call.path, call.header, resp.StatusCode, call.status)
		}
	}

	for _, op := range []string{"GetKadastraalOnroerendeZaken", "ZoekKadastraalOnroerendeZakenMetBsn", "GetKadastraalOnroerendeZaak",
		"GetZakelijkGerechtigden", "GetZakelijkGerechtigde", "GetPubliekrechtelijkeBeperkingen"} {
		if len(checker.Operations()[op]) == 0 {
			t.Errorf("operation %s was never exchanged (%v)", op, checker.Operations())
		}
	}
}
