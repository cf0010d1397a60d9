package brk_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/brk"
	mocksbrk "github.com/poort-nl/poort/mocks/brk"
	"github.com/poort-nl/poort/mocks/population"
)

// connect serves the mock over the population, demanding an API key, on a
// real HTTP server and returns a connector to it with that key.
func connect(t *testing.T, pop *population.Population, key string) *brk.Client {
	t.Helper()
	srv := httptest.NewServer(mocksbrk.RequireKey("the-key", mocksbrk.New(pop)))
	t.Cleanup(srv.Close)
	c, err := brk.New(connectors.Config{BaseURL: srv.URL + mocksbrk.BasePath, AuthValue: key, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func generate(t *testing.T) *population.Population {
	t.Helper()
	pop, err := population.Generate(population.Config{Seed: 42, Size: 400, ReferenceDate: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return pop
}

func TestIntegrationRenovationAddress(t *testing.T) {
	pop := generate(t)
	ix := population.NewBRKIndex(pop)
	c := connect(t, pop, "the-key")
	ctx := context.Background()
	want := ix.ParcelsAt(pop.Scenarios.Renovation)[0]

	ps, err := c.ParcelsAt(ctx, pop.Scenarios.Renovation)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].ID != want.ID || ps[0].Designation != want.Designation() || ps[0].Kind != brk.KindParcel ||
		ps[0].Size == nil || *ps[0].Size != want.Size || len(ps[0].AddressIDs) != 1 || ps[0].AddressIDs[0] != pop.Scenarios.Renovation {
		t.Fatalf("ParcelsAt = %+v, want %+v", ps, want)
	}
	rights, err := c.Rights(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rights) != len(want.Rights) {
		t.Fatalf("%d rights, want %d", len(rights), len(want.Rights))
	}
	for i, r := range rights {
		w := want.Rights[i]
		h, _ := pop.Person(w.HolderBSN)
		if r.ID != w.ID || r.Kind != w.Kind || r.Holder.BSN() != w.HolderBSN || r.Since != w.Since.ISO() ||
			r.Share != (brk.Share{Numerator: w.ShareNumerator, Denominator: w.ShareDenominator}) || r.Holder.Description == "" || h == nil {
			t.Errorf("right %+v, want %+v", r, w)
		}
	}
	rs, err := c.Restrictions(ctx, want.ID)
	if err != nil || len(rs) != 1 || !rs[0].Monument() || rs[0].Basis.Code != population.NationalMonument {
		t.Errorf("Restrictions = %+v, %v; want the rijksmonument", rs, err)
	}
	if err := c.Check(ctx); err != nil {
		t.Errorf("Check = %v", err)
	}
}

func TestIntegrationHoldingsOfTheDeceased(t *testing.T) {
	pop := generate(t)
	c := connect(t, pop, "the-key")
	dead, _ := pop.Person(pop.Scenarios.Deceased)
	hs, err := c.HoldingsOf(context.Background(), dead.BSN)
	if err != nil {
		t.Fatal(err)
	}
	want := population.NewBRKIndex(pop).ParcelsOf(dead.BSN)
	if len(hs) != len(want) || len(hs) == 0 {
		t.Fatalf("%d holdings, want %d", len(hs), len(want))
	}
	for i, h := range hs {
		if h.Parcel.ID != want[i].ID || h.Right.Holder.BSN() != dead.BSN || h.Right.Share.Denominator != 2 {
			t.Errorf("holding %+v, want the deceased's half of %s", h, want[i].ID)
		}
	}
	if hs, err := c.HoldingsOf(context.Background(), "999999990"); err != nil || len(hs) != 0 {
		t.Errorf("a BSN holding nothing: %+v, %v", hs, err)
	}
}

func TestIntegrationAPIKey(t *testing.T) {
	pop := generate(t)
	for _, key := range []string{"", "a-guess"} {
		c := connect(t, pop, key)
		_, err := c.ParcelsAt(context.Background(), pop.Scenarios.Renovation)
		var ce *connectors.Error
		if !errors.Is(err, connectors.ErrUnauthorized) || !errors.As(err, &ce) || !slices.Contains(ce.Codes, "authentication") {
			t.Errorf("key %q: error = %v, want the mock's refusal", key, err)
		}
	}
}
