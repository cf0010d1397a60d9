package bag_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/bag"
	mocksbag "github.com/poort-nl/poort/mocks/bag"
	"github.com/poort-nl/poort/mocks/population"
)

var refDate = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

// connect serves the mock over the population on a real HTTP server and
// returns a connector to it and a count of the requests the mock got.
func connect(t *testing.T, pop *population.Population) (*bag.Client, *atomic.Int32) {
	t.Helper()
	mock := mocksbag.New(pop)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		mock.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := bag.New(connectors.Config{BaseURL: srv.URL + mocksbag.BasePath, AuthValue: "any", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, &calls
}

func generate(t *testing.T) *population.Population {
	t.Helper()
	pop, err := population.Generate(population.Config{Seed: 42, Size: 400, ReferenceDate: refDate})
	if err != nil {
		t.Fatal(err)
	}
	return pop
}

// wantAddress is the connector's address for a population record, as the
// BAG API composes it.
func wantAddress(pop *population.Population, a *population.Address) bag.Address {
	st, _ := pop.Street(a.StreetID)
	pl, _ := pop.Place(a.PlaceID)
	return bag.Address{
		ID: a.ID, Street: st.Name, ShortStreet: st.ShortName, HouseNumber: a.HouseNumber,
		HouseLetter: a.HouseLetter, Addition: a.Addition, Postcode: a.Postcode, Place: pl.Name,
		PlaceID: pl.ID, StreetID: st.ID, ObjectID: a.ObjectID, BuildingIDs: a.BuildingIDs,
		Line5: fmt.Sprintf("%s %d", st.ShortName, a.HouseNumber),
		Line6: a.Postcode[:4] + " " + a.Postcode[4:] + "  " + strings.ToUpper(pl.Name),
	}
}

// addressWhere returns the first address of the population that is what
// the test needs; a population without one fails the test.
func addressWhere(t *testing.T, pop *population.Population, what string, ok func(*population.Address) bool) *population.Address {
	t.Helper()
	for i := range pop.Addresses {
		if ok(&pop.Addresses[i]) {
			return &pop.Addresses[i]
		}
	}
	t.Fatalf("no address in the population is %s", what)
	return nil
}

// inOneBuilding is a dwelling without letter or addition in one pand.
func inOneBuilding(a *population.Address) bool {
	return len(a.BuildingIDs) == 1 && a.HouseLetter == "" && a.Addition == ""
}

func TestIntegrationAddress(t *testing.T) {
	pop := generate(t)
	c, _ := connect(t, pop)
	ctx := context.Background()
	a := addressWhere(t, pop, "a dwelling in one building", inOneBuilding)

	t.Run("plain", func(t *testing.T) {
		got, err := c.Address(ctx, a.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if want := wantAddress(pop, a); !reflect.DeepEqual(*got, want) {
			t.Errorf("Address =\n%+v\nwant\n%+v", *got, want)
		}
	})
	t.Run("expanded", func(t *testing.T) {
		got, err := c.Address(ctx, a.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := pop.Building(a.BuildingIDs[0])
		surface, year := a.Surface, b.YearBuilt
		wantObject := &bag.Object{
			ID: a.ObjectID, Kind: bag.KindResidentialObject, Surface: &surface, Uses: a.Uses, Status: a.Status,
			BuildingIDs: a.BuildingIDs, MainAddressID: a.ID, Point: &bag.Point{X: a.X, Y: a.Y},
		}
		if !reflect.DeepEqual(got.Object, wantObject) {
			t.Errorf("Object =\n%+v\nwant\n%+v", got.Object, wantObject)
		}
		// The building's voorkomen began at its registration: a date
		// before the reference date.
		since := ""
		if len(got.Buildings) == 1 {
			since = got.Buildings[0].StatusSince
		}
		if d, err := time.Parse(time.DateOnly, since); err != nil || !d.Before(refDate) {
			t.Errorf("building's status since %q, want a date before %s", since, refDate.Format(time.DateOnly))
		}
		wantBuildings := []bag.Building{{ID: b.ID, YearBuilt: &year, Status: b.Status, StatusSince: since}}
		if !reflect.DeepEqual(got.Buildings, wantBuildings) {
			t.Errorf("Buildings = %+v, want %+v", got.Buildings, wantBuildings)
		}
	})
	t.Run("under renovation", func(t *testing.T) {
		a, _ := pop.Address(pop.Scenarios.Renovation)
		b, _ := pop.Building(a.BuildingIDs[0])
		got, err := c.Address(ctx, a.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Buildings) != 1 || got.Buildings[0].Status != "Verbouwing pand" || got.Buildings[0].StatusSince != b.StatusSince.ISO() {
			t.Errorf("Buildings = %+v, want Verbouwing pand since %s", got.Buildings, b.StatusSince.ISO())
		}
	})
	t.Run("unknown", func(t *testing.T) {
		_, err := c.Address(ctx, "0599200000219678", false)
		if !errors.Is(err, connectors.ErrNotFound) {
			t.Fatalf("error = %v, want not found", err)
		}
	})
	t.Run("batch", func(t *testing.T) {
		b := addressWhere(t, pop, "a second dwelling", func(x *population.Address) bool { return x.ID != a.ID })
		got, err := c.Addresses(ctx, []string{a.ID, "0599200000219678", b.ID, a.ID}, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[a.ID].ObjectID != a.ObjectID || got[b.ID].Object == nil || got[b.ID].Object.ID != b.ObjectID {
			t.Errorf("Addresses = %v", got)
		}
	})
}

func TestIntegrationSearches(t *testing.T) {
	pop := generate(t)
	c, calls := connect(t, pop)
	ctx := context.Background()
	a := addressWhere(t, pop, "the one dwelling at its postcode and house number", func(x *population.Address) bool {
		return inOneBuilding(x) && len(pop.AddressesByPostcode(x.Postcode, x.HouseNumber)) == 1
	})

	got, err := c.AddressesByPostcode(ctx, strings.ToLower(a.Postcode[:4]+" "+a.Postcode[4:]), a.HouseNumber, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if want := []bag.Address{wantAddress(pop, a)}; !reflect.DeepEqual(got, want) {
		t.Errorf("AddressesByPostcode =\n%+v\nwant\n%+v", got, want)
	}
	// No address in the population has a letter, so an exact match on one
	// finds nothing.
	if got, err := c.AddressesByPostcode(ctx, a.Postcode, a.HouseNumber, "B", ""); err != nil || len(got) != 0 {
		t.Errorf("with a letter: %v, %v; want none", got, err)
	}
	byObject, err := c.AddressesByObject(ctx, a.ObjectID)
	if err != nil || len(byObject) != 1 || byObject[0].ID != a.ID {
		t.Errorf("AddressesByObject = %v, %v", byObject, err)
	}
	byBuilding, err := c.AddressesByBuilding(ctx, a.BuildingIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range pop.Addresses {
		if x.BuildingIDs[0] == a.BuildingIDs[0] {
			n++
		}
	}
	if len(byBuilding) != n {
		t.Errorf("AddressesByBuilding: %d addresses, want %d", len(byBuilding), n)
	}

	before := calls.Load()
	if _, err := c.AddressesByPostcode(ctx, "1234 A", 1, "", ""); !errors.Is(err, connectors.ErrInvalidRequest) {
		t.Errorf("invalid postcode: %v", err)
	}
	if calls.Load() != before {
		t.Error("an invalid postcode reached the registry")
	}
}

func TestIntegrationPagesThroughABigBuilding(t *testing.T) {
	// 250 dwellings in one pand take three pages of 100.
	pop := &population.Population{
		ReferenceDate: population.DateOf(refDate),
		Places:        []population.Place{{ID: "3594", Name: "Amsterdam", MunicipalityCode: "0363"}},
		Streets:       []population.Street{{ID: "0363300000003186", Name: "Dam", ShortName: "Dam", PlaceID: "3594"}},
		Buildings:     []population.Building{{ID: "0363100012168052", YearBuilt: 1914, Status: "Pand in gebruik", X: 121394, Y: 487383}},
	}
	for i := 1; i <= 250; i++ {
		pop.Addresses = append(pop.Addresses, population.Address{
			ID: fmt.Sprintf("036320000%07d", i), ObjectID: fmt.Sprintf("036301000%07d", i),
			BuildingIDs: []string{"0363100012168052"}, StreetID: "0363300000003186", HouseNumber: i,
			Postcode: "1012JS", PlaceID: "3594", MunicipalityCode: "0363", Surface: 60,
			Uses: []string{"woonfunctie"}, Status: "Verblijfsobject in gebruik", X: 121395, Y: 487384,
		})
	}
	pop.Index()
	c, calls := connect(t, pop)
	got, err := c.AddressesByBuilding(context.Background(), "0363100012168052")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 {
		t.Fatalf("%d addresses, want 250", len(got))
	}
	for i, a := range got {
		if a.HouseNumber != i+1 {
			t.Fatalf("address %d has number %d: pages out of order", i, a.HouseNumber)
		}
	}
	if calls.Load() != 3 {
		t.Errorf("%d calls, want 3", calls.Load())
	}
}

func TestIntegrationObjectAndBuilding(t *testing.T) {
	pop := generate(t)
	c, _ := connect(t, pop)
	ctx := context.Background()
	a := addressWhere(t, pop, "a dwelling in one building", inOneBuilding)
	b, _ := pop.Building(a.BuildingIDs[0])

	o, err := c.Object(ctx, a.ObjectID)
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != a.ObjectID || o.Kind != bag.KindResidentialObject || o.Surface == nil || *o.Surface != a.Surface ||
		!reflect.DeepEqual(o.Uses, a.Uses) || o.MainAddressID != a.ID || *o.Point != (bag.Point{X: a.X, Y: a.Y}) {
		t.Errorf("Object = %+v", o)
	}
	got, err := c.Building(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != b.ID || got.YearBuilt == nil || *got.YearBuilt != b.YearBuilt || got.Status != b.Status {
		t.Errorf("Building = %+v", got)
	}
	if _, err := c.Object(ctx, "0599010000208579"); !errors.Is(err, connectors.ErrNotFound) {
		t.Errorf("unknown object: %v", err)
	}
	if _, err := c.Building(ctx, "0599100000208579"); !errors.Is(err, connectors.ErrNotFound) {
		t.Errorf("unknown building: %v", err)
	}
	buildings, err := c.Buildings(ctx, []string{b.ID, "0599100000208579"})
	if err != nil || len(buildings) != 1 || buildings[b.ID] == nil {
		t.Errorf("Buildings = %v, %v", buildings, err)
	}
	objects, err := c.Objects(ctx, []string{a.ObjectID})
	if err != nil || objects[a.ObjectID] == nil || objects[a.ObjectID].ID != a.ObjectID {
		t.Errorf("Objects = %v, %v", objects, err)
	}
}

func TestIntegrationCheck(t *testing.T) {
	c, _ := connect(t, generate(t))
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check against the mock = %v", err)
	}
	wrong, err := bag.New(connectors.Config{BaseURL: "http://127.0.0.1:1/lvbag/individuelebevragingen/v2", MaxRetries: -1, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	if err := wrong.Check(context.Background()); !errors.Is(err, connectors.ErrUnavailable) {
		t.Errorf("Check against nothing = %v, want unavailable", err)
	}
}
