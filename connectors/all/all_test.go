package all

import (
	"testing"

	"github.com/poort-nl/poort/connectors"
)

func TestEveryRegistryHasOneConnector(t *testing.T) {
	s, err := Set()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range connectors.Registries() {
		regs := s.ForRegistry(r)
		if len(regs) != 1 {
			t.Fatalf("%s has %d connectors, want 1", r, len(regs))
		}
		c, err := s.Open(regs[0].ID, connectors.Config{BaseURL: "http://127.0.0.1:1/api"})
		if err != nil {
			t.Fatalf("open %s: %v", regs[0].ID, err)
		}
		c.Close()
	}
}
