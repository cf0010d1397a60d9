package mocks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/poort-nl/poort/mocks"
	"github.com/poort-nl/poort/mocks/bag"
	"github.com/poort-nl/poort/mocks/brp"
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/population"
)

func TestStart(t *testing.T) {
	pop, err := population.Generate(population.Config{Seed: 1, Size: 300})
	if err != nil {
		t.Fatal(err)
	}
	regs := []mocks.Registration{brp.Registration(), bag.Registration()}
	// A misspelt registry would otherwise start the mocks without the
	// fault the caller asked for.
	if s, err := mocks.Start(pop, regs, mocks.Options{Faults: map[string]fault.Config{"BGA": {}}}); err == nil || !strings.Contains(err.Error(), `"BGA"`) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("faults for an unknown registry: err = %v, want it refused", err)
	}
	s, err := mocks.Start(pop, regs, mocks.Options{Faults: map[string]fault.Config{"BAG": {Status: 503}}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.Registries(); len(got) != 2 || got[0] != "BRP" || got[1] != "BAG" {
		t.Errorf("Registries = %v, want BRP and BAG in the order given", got)
	}
	for _, r := range regs {
		if want := s.RootURL(r.Registry) + r.BasePath; s.BaseURL(r.Registry) != want || !strings.HasPrefix(want, "http://127.0.0.1:") {
			t.Errorf("%s: base URL %q, want %q", r.Registry, s.BaseURL(r.Registry), want)
		}
	}
	if got := s.Faults("BAG").Get(); got.Status != 503 {
		t.Errorf("BAG faults = %+v, want the status given", got)
	}
}

// TestStartWithKeys: a mock given a key refuses calls without it, or with
// another, as its registry does; a mock without one takes every call; a
// key for a registry that is not started is refused.
func TestStartWithKeys(t *testing.T) {
	pop, err := population.Generate(population.Config{Seed: 1, Size: 300})
	if err != nil {
		t.Fatal(err)
	}
	regs := []mocks.Registration{brp.Registration(), bag.Registration()}
	if s, err := mocks.Start(pop, regs, mocks.Options{Keys: map[string]string{"BGA": "k"}}); err == nil || !strings.Contains(err.Error(), `"BGA"`) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("a key for an unknown registry: err = %v, want it refused", err)
	}
	s, err := mocks.Start(pop, regs, mocks.Options{Keys: map[string]string{"BAG": "secret"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	status := func(method, url, header, key string) int {
		t.Helper()
		req, _ := http.NewRequest(method, url, nil)
		req.Header.Set("Accept", "application/hal+json")
		if key != "" {
			req.Header.Set(header, key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	adres := s.BaseURL("BAG") + "/adressen?postcode=1234AB&huisnummer=1"
	for _, tt := range []struct {
		key  string
		want int
	}{{"", http.StatusBadRequest}, {"other", http.StatusUnauthorized}, {"secret", http.StatusOK}} {
		if got := status(http.MethodGet, adres, bag.KeyHeader, tt.key); got != tt.want {
			t.Errorf("BAG with key %q: %d, want %d", tt.key, got, tt.want)
		}
	}
	if got := status(http.MethodPost, s.BaseURL("BRP")+"/personen", brp.KeyHeader, ""); got == http.StatusUnauthorized {
		t.Errorf("BRP without a key configured refused a call without one: %d", got)
	}
}

func TestStartRefusesBadRegistrations(t *testing.T) {
	// The registrations are checked before the population is read.
	var pop *population.Population
	tests := []struct {
		name string
		regs []mocks.Registration
		want string
	}{
		{"twice", []mocks.Registration{brp.Registration(), brp.Registration()}, "registered twice"},
		{"no name", []mocks.Registration{{New: brp.New}}, "no registry"},
		{"no handler", []mocks.Registration{{Registry: "BRK"}}, "no handler"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := mocks.Start(pop, tt.regs, mocks.Options{})
			if err == nil {
				s.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Start = %v, want %q", err, tt.want)
			}
		})
	}
}
