package connectors

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// people is a registry API of this test: persons by BSN.
type people interface {
	Connector
	Names(ctx context.Context, bsns []string) (map[string]string, error)
}

type peopleClient struct {
	fake
	known map[string]string
	err   error
}

func (p *peopleClient) Names(_ context.Context, bsns []string) (map[string]string, error) {
	if p.err != nil {
		return nil, p.err
	}
	out := map[string]string{}
	for _, b := range bsns {
		if n, ok := p.known[b]; ok {
			out[b] = n
		}
	}
	return out, nil
}

func (p *peopleClient) Name(ctx context.Context, bsn string) (string, error) {
	m, err := p.Names(ctx, []string{bsn})
	if err != nil {
		return "", err
	}
	n, ok := m[bsn]
	if !ok {
		return "", &Error{Registry: p.r, Operation: "Name", Kind: ErrNotFound}
	}
	return n, nil
}

func TestBatchedAndSingle(t *testing.T) {
	ctx := context.Background()
	c := &peopleClient{fake: fake{"PEOPLE"}, known: map[string]string{"1": "Jan", "2": "Piet"}}
	batched := Batched(func(a people, ctx context.Context, keys []string, _ Asked) (map[string]string, error) {
		return a.Names(ctx, keys)
	})
	got, err := batched(ctx, c, []string{"1", "2", "3"}, nil)
	if err != nil || len(got) != 2 || got["1"] != "Jan" {
		t.Fatalf("batched = %v, %v", got, err)
	}
	single := Single(func(a *peopleClient, ctx context.Context, key string, _ Asked) (string, error) {
		return a.Name(ctx, key)
	})
	got, err = single(ctx, c, []string{"2", "3"}, nil)
	if err != nil || len(got) != 1 || got["2"] != "Piet" {
		t.Fatalf("single = %v, %v; want a key the registry does not know left out", got, err)
	}
	c.err = &Error{Registry: "PEOPLE", Kind: ErrUnavailable}
	if _, err := single(ctx, c, []string{"1"}, nil); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("single = %v, want the registry's failure", err)
	}
	// A connector that is not the look-up's API is a wiring bug, said so.
	if _, err := batched(ctx, fake{"OTHER"}, []string{"1"}, nil); err == nil || !strings.Contains(err.Error(), "does not implement") {
		t.Fatalf("batched over another connector = %v", err)
	}
}

func TestRegistries(t *testing.T) {
	c := &peopleClient{fake: fake{"PEOPLE"}}
	l := Lookup{Name: "names", Key: BSN, Fetch: Batched(func(a people, ctx context.Context, keys []string, _ Asked) (map[string]string, error) {
		return a.Names(ctx, keys)
	})}
	rs := Registries{
		"PEOPLE": {Registration: Registration{Registry: "PEOPLE", Lookups: []Lookup{l}}, Connector: c},
		"OTHER":  {Registration: Registration{Registry: "OTHER"}, Connector: fake{"OTHER"}},
	}
	if got := rs.Names(); len(got) != 2 || got[0] != "OTHER" || got[1] != "PEOPLE" {
		t.Errorf("Names = %v, want them sorted", got)
	}
	if got, ok := rs.Lookup("PEOPLE", "", BSN); !ok || got.Name != "names" {
		t.Errorf("Lookup = %+v, %v", got, ok)
	}
	if _, ok := rs.Lookup("PEOPLE", "", KvKNumber); ok {
		t.Error("found a look-up by a key the registry is not asked by")
	}
	if a, err := Get[people](rs, "PEOPLE"); err != nil || a != c {
		t.Errorf("Get = %v, %v", a, err)
	}
	if _, err := Get[people](rs, "OTHER"); err == nil {
		t.Error("Get gave a connector of another API")
	}
	if _, err := Get[people](rs, "NONE"); err == nil || !strings.Contains(err.Error(), "no connector for registry NONE") {
		t.Errorf("Get of an absent registry = %v", err)
	}
}
