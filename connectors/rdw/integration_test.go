package rdw

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/mocks/population"
	mocksrdw "github.com/poort-nl/poort/mocks/rdw"
)

// These tests run the connector over real HTTP against the RDW mock and
// check the mapping of real population records end to end.

var referenceDate = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

func againstMock(t *testing.T, size int) (*Client, *population.Population) {
	t.Helper()
	pop, err := population.Generate(population.Config{Seed: 7, Size: size, ReferenceDate: referenceDate})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mocksrdw.New(pop))
	t.Cleanup(srv.Close)
	c, err := New(connectors.Config{BaseURL: srv.URL, AuthHeader: AppTokenHeader, AuthValue: "token", Timeout: 10 * time.Second,
		Settings: map[string]string{DossierURL: srv.URL + "/rdw/v1"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, pop
}

// withAndWithout returns the BSNs of 30 persons for whom has holds and
// 30 who do not, with the scenario subject first (who must have it), and
// how many of them have it. It fails when the population lacks either
// kind, so that the test cannot pass over a batch of one kind.
func withAndWithout(t *testing.T, pop *population.Population, subject, what string, has func(bsn string) bool) ([]string, int) {
	t.Helper()
	if subject == "" || !has(subject) {
		t.Fatalf("the scenario subject %q does not have %s", subject, what)
	}
	bsns, with, without := []string{subject}, 1, 0
	for i := range pop.Persons {
		bsn := pop.Persons[i].BSN
		switch {
		case bsn == subject:
		case has(bsn) && with < 31:
			bsns = append(bsns, bsn)
			with++
		case !has(bsn) && without < 30:
			bsns = append(bsns, bsn)
			without++
		}
	}
	if with < 2 || without == 0 {
		t.Fatalf("the population has %d persons with %s and %d without; the test needs both", with, what, without)
	}
	return bsns, with
}

func intOf(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

func TestMockVehicles(t *testing.T) {
	c, pop := againstMock(t, 800)
	var plates []string
	for i, v := range pop.Vehicles {
		if i%3 == 0 {
			plates = append(plates, v.Plate)
		}
	}
	if len(plates) <= MaxPlatesPerCall {
		t.Fatalf("only %d plates: the test needs more than one batch", len(plates))
	}
	plates = append(plates, "ZZ-999-Z")
	got, err := c.VehiclesByPlate(context.Background(), plates, WithFuels())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(plates)-1 {
		t.Fatalf("got %d vehicles, want %d", len(got), len(plates)-1)
	}
	for _, p := range plates[:len(plates)-1] {
		want, _ := pop.Vehicle(p)
		v := got[p]
		apk := want.APKExpiry.ISO()
		if want.Kind == "Motorfiets" {
			apk = ""
		}
		body := want.Body
		switch {
		case v == nil:
			t.Fatalf("%s missing", p)
		case v.Plate != p || v.Kind != want.Kind || v.Make != want.Make || v.TradeName != want.TradeName ||
			v.Colour != want.Colour || v.Body != body:
			t.Errorf("%s: %+v, want %+v", p, *v, *want)
		case v.FirstAdmission != want.FirstAdmission.ISO() || v.RegisteredSince != want.RegisteredSince.ISO() ||
			v.FirstRegistrationNL != want.FirstRegistrationNL.ISO() || v.APKExpiry != apk:
			t.Errorf("%s dates: %+v, want %+v", p, *v, *want)
		case intOf(v.Seats) != want.Seats || intOf(v.EmptyMass) != want.EmptyMass || intOf(v.CatalogPrice) != want.CatalogPrice:
			t.Errorf("%s numbers: seats %d mass %d price %d, want %+v", p, intOf(v.Seats), intOf(v.EmptyMass), intOf(v.CatalogPrice), *want)
		case v.Insured == nil || *v.Insured != want.Insured:
			t.Errorf("%s insured %v, want %v", p, v.Insured, want.Insured)
		case len(v.Fuels) != 1 || v.Fuels[0] != want.Fuel:
			t.Errorf("%s fuels %v, want [%s]", p, v.Fuels, want.Fuel)
		}
	}
	if _, err := c.VehicleByPlate(context.Background(), "ZZ999Z"); !errors.Is(err, connectors.ErrNotFound) {
		t.Errorf("unknown plate: %v, want not found", err)
	}
}

func TestMockHoldings(t *testing.T) {
	c, pop := againstMock(t, 800)
	// Holders and persons who hold nothing, chosen by that, with the
	// scenarios' vehicle owner among them: the answer must have exactly
	// the holders.
	bsns, owners := withAndWithout(t, pop, pop.Scenarios.VehicleOwner, "vehicles",
		func(bsn string) bool { return len(pop.VehiclesOfPerson(bsn)) > 0 })
	got, err := c.HoldingsByBSN(context.Background(), bsns)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != owners {
		t.Fatalf("got %d holders, want %d: persons without vehicles must be absent", len(got), owners)
	}
	for bsn, hs := range got {
		want := pop.VehiclesOfPerson(bsn)
		if len(hs) != len(want) {
			t.Fatalf("%d holdings, want %d", len(hs), len(want))
		}
		for i, h := range hs {
			v := want[i]
			if h.Plate != v.Plate || h.HolderBSN != bsn || h.HolderKvK != "" || h.Since != v.RegisteredSince.ISO() ||
				h.Until != "" || h.Kind != v.Kind || h.Make != v.Make || h.TradeName != v.TradeName ||
				h.Colour != v.Colour || h.FirstAdmission != v.FirstAdmission.ISO() || h.Insured != v.Insured ||
				intOf(h.CatalogPriceCents) != v.CatalogPrice*100 {
				t.Errorf("holding %+v, want %+v", h, *v)
			}
		}
	}

	var kvks []string
	holders := 0
	for _, co := range pop.Companies {
		kvks = append(kvks, co.KvKNumber)
		if len(pop.VehiclesOfCompany(co.KvKNumber)) > 0 {
			holders++
		}
	}
	byKvK, err := c.HoldingsByKvK(context.Background(), kvks)
	if err != nil {
		t.Fatal(err)
	}
	if len(byKvK) != holders || holders == 0 {
		t.Fatalf("got %d organisations with vehicles, want %d", len(byKvK), holders)
	}
	for kvk, hs := range byKvK {
		if len(hs) != len(pop.VehiclesOfCompany(kvk)) || hs[0].HolderKvK != kvk || hs[0].HolderBSN != "" {
			t.Errorf("organisation holdings %+v", hs)
		}
	}
}

func TestMockDrivingLicences(t *testing.T) {
	c, pop := againstMock(t, 800)
	// The traveller of the scenarios holds a licence.
	bsns, holders := withAndWithout(t, pop, pop.Scenarios.Traveller, "a driving licence",
		func(bsn string) bool { return len(pop.DrivingLicencesOf(bsn)) > 0 })
	got, err := c.DrivingLicences(context.Background(), bsns)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != holders {
		t.Fatalf("got %d licence holders, want %d", len(got), holders)
	}
	for bsn, ls := range got {
		want := pop.DrivingLicencesOf(bsn)
		for i, l := range ls {
			w := want[i]
			status := LicenceValid
			if w.ExpiryDate < pop.ReferenceDate {
				status = LicenceExpired
			}
			m, _ := pop.Municipality(w.Authority)
			if l.Number != w.Number || l.BSN != bsn || l.IssueDate != w.IssueDate.ISO() || l.ExpiryDate != w.ExpiryDate.ISO() ||
				l.Authority != w.Authority || l.AuthorityName != m.Name || l.Status != status || len(l.Categories) != len(w.Categories) {
				t.Errorf("licence %+v, want %+v (%s)", l, *w, status)
				continue
			}
			for j, cat := range l.Categories {
				wc := w.Categories[j]
				if cat.Code != wc.Code || cat.IssueDate != wc.IssueDate.ISO() || cat.ExpiryDate != wc.ExpiryDate.ISO() {
					t.Errorf("category %+v, want %+v", cat, wc)
				}
			}
		}
	}
	traveller, err := c.DrivingLicences(context.Background(), []string{pop.Scenarios.Traveller})
	if err != nil || traveller[pop.Scenarios.Traveller][0].Status != LicenceValid {
		t.Errorf("the traveller's licence: %+v, %v", traveller, err)
	}
}

func TestMockCheck(t *testing.T) {
	c, _ := againstMock(t, 100)
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestMockVehiclesWithoutFuelsAskOneDataset(t *testing.T) {
	pop, err := population.Generate(population.Config{Seed: 7, Size: 200, ReferenceDate: referenceDate})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	var mu sync.Mutex
	mock := mocksrdw.New(pop)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		mock.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := New(connectors.Config{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	held := pop.VehiclesOfPerson(pop.Scenarios.VehicleOwner)
	if len(held) == 0 {
		t.Fatalf("the vehicle owner %q of the scenarios holds no vehicle", pop.Scenarios.VehicleOwner)
	}
	got, err := c.VehiclesByPlate(context.Background(), []string{held[0].Plate})
	if err != nil || len(got) != 1 {
		t.Fatalf("VehiclesByPlate = %v, %v", got, err)
	}
	if len(paths) != 1 || paths[0] != "/resource/m9d7-ebf2.json" {
		t.Fatalf("asked %v, want only the vehicles dataset", paths)
	}
	for _, v := range got {
		if v.Fuels != nil {
			t.Fatalf("fuels %v without WithFuels", v.Fuels)
		}
	}
}
