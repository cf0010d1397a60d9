package server

import (
	"strings"
	"testing"
)

// TestNotOfferedWarnsForEveryRegistryAtItsOwnURL: the start-up warning
// names each contract of our own without a source, for a registry at a
// configured URL whether or not the hub runs in development mode, and
// nothing for a registry on its mock or with the source configured.
func TestNotOfferedWarnsForEveryRegistryAtItsOwnURL(t *testing.T) {
	regs := Registries()
	cfg := Config{Registries: map[string]RegistryConfig{
		"NHR": {URL: "https://api.kvk.nl/api"},
		"RDW": {URL: "https://opendata.rdw.nl", Settings: map[string]string{"DOSSIER_URL": "https://gateway.example/rdw/v1"}},
	}}
	got := strings.Join(notOffered(cfg, regs), "\n")
	if !strings.Contains(got, "POORT_NHR_FUNCTIONARIES_URL") || !strings.Contains(got, "UPSTREAM_NOT_OFFERED") {
		t.Errorf("NHR at KvK without a functionaries source is not named: %q", got)
	}
	if strings.Contains(got, "RDW") {
		t.Errorf("RDW with its dossier source configured is named: %q", got)
	}
	if got := notOffered(Config{}, regs); len(got) != 0 {
		t.Errorf("registries on their mocks are named: %q", got)
	}
}
