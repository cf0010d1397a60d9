package connectors

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
)

type fake struct{ r Registry }

func (f fake) Registry() Registry          { return f.r }
func (f fake) Check(context.Context) error { return nil }
func (f fake) Close() error                { return nil }
func newFake(r Registry) func(Config) (Connector, error) {
	return func(Config) (Connector, error) { return fake{r}, nil }
}

func TestNewSetValidates(t *testing.T) {
	const brp, nhr, bag Registry = "BRP", "NHR", "BAG"
	good := Registration{ID: "brp", Registry: brp, Description: "BRP", New: newFake(brp)}
	fetch := func(context.Context, Connector, []string, Asked) (map[string]any, error) { return nil, nil }
	withLookups := func(ls ...Lookup) []Registration {
		r := good
		r.Lookups = ls
		return []Registration{r}
	}
	tests := []struct {
		name string
		regs []Registration
		want string
	}{
		{"empty id", []Registration{{Registry: brp, Description: "x", New: newFake(brp)}}, "empty id"},
		{"duplicate", []Registration{good, good}, "registered twice"},
		{"no registry", []Registration{{ID: "x", Description: "x", New: newFake(brp)}}, "no registry"},
		{"no constructor", []Registration{{ID: "x", Registry: brp, Description: "x"}}, "no constructor"},
		{"no description", []Registration{{ID: "x", Registry: brp, New: newFake(brp)}}, "empty description"},
		{"look-up without a name", withLookups(Lookup{Key: BSN, Fetch: fetch}), "no name"},
		{"look-up without a key", withLookups(Lookup{Name: "x", Fetch: fetch}), "no key"},
		{"look-up without an operation", withLookups(Lookup{Name: "x", Key: BSN}), "no operation"},
		{"look-up twice", withLookups(Lookup{Name: "x", Key: BSN, Fetch: fetch}, Lookup{Name: "x", Key: KvKNumber, Fetch: fetch}), "declared twice"},
		{"two look-ups of one resource by one key", withLookups(Lookup{Name: "x", Key: BSN, Fetch: fetch}, Lookup{Name: "y", Key: BSN, Fetch: fetch}), "another look-up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSet(tt.regs...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewSet = %v, want %q", err, tt.want)
			}
		})
	}
	s, err := NewSet(good)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open("brp", Config{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open("nope", Config{}); err == nil {
		t.Fatal("opened an unregistered connector")
	}
	liar, _ := NewSet(Registration{ID: "liar", Registry: nhr, Description: "x", New: newFake(bag)})
	if _, err := liar.Open("liar", Config{}); err == nil {
		t.Fatal("opened a connector serving another registry")
	}
}

func TestErrorIs(t *testing.T) {
	err := error(&Error{Registry: "BAG", Operation: "op", Kind: ErrTimeout})
	if !errors.Is(err, ErrTimeout) || errors.Is(err, ErrUnavailable) {
		t.Fatal("Is does not match the kind")
	}
}

func TestBatches(t *testing.T) {
	keys := []string{"a", "b", "c", "d", "e"}
	var sizes []int
	var mu sync.Mutex
	got, err := Batches(context.Background(), keys, 2, 2, func(_ context.Context, batch []string) (map[string]int, error) {
		mu.Lock()
		sizes = append(sizes, len(batch))
		mu.Unlock()
		out := map[string]int{}
		for _, k := range batch {
			out[k] = len(k)
		}
		return out, nil
	})
	if err != nil || len(got) != len(keys) || len(sizes) != 3 {
		t.Fatalf("Batches = %v, %v with batch sizes %v", got, err, sizes)
	}
	boom := errors.New("boom")
	_, err = Batches(context.Background(), keys, 1, 1, func(_ context.Context, batch []string) (map[string]int, error) {
		if batch[0] == "c" {
			return nil, boom
		}
		return nil, nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want the failing call's", err)
	}
}
