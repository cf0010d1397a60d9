package mocks

import (
	"strings"
	"testing"

	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/population"
)

func TestStart(t *testing.T) {
	pop, err := population.Generate(population.Config{Seed: 1, Size: 300})
	if err != nil {
		t.Fatal(err)
	}
	// A misspelt registry would otherwise start the mocks without the
	// fault the caller asked for.
	if s, err := Start(pop, Options{Faults: map[string]fault.Config{"BGA": {}}}); err == nil || !strings.Contains(err.Error(), `"BGA"`) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("faults for an unknown registry: err = %v, want it refused", err)
	}
	s, err := Start(pop, Options{Faults: map[string]fault.Config{"BAG": {Status: 503}}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, r := range Registries() {
		if !strings.HasPrefix(s.BaseURL(r), "http://127.0.0.1:") {
			t.Errorf("%s: base URL %q", r, s.BaseURL(r))
		}
	}
	if got := s.Faults("BAG").Get(); got.Status != 503 {
		t.Errorf("BAG faults = %+v, want the status given", got)
	}
}
