package server_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/registrytest"
	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/mocks"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/policy"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/server/hubtest"
)

// TestEveryRegistryIsComplete holds every registered registry to what the
// hub needs of it beside its registration: a value of the schema's
// Registry enum, fields whose @source names it, look-ups of resources those
// declare, data some purpose of the default policy may see, a mock that
// plays it, a connector that opens without touching the network, and a
// conformance test that holds the connector and the mock to the
// registry's published API (connectors/<registry>/conformance_test.go,
// with internal/openapitest).
func TestEveryRegistryIsComplete(t *testing.T) {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	ix, err := lineage.FromSchema(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := server.CheckSchema(server.Registries(), s, ix); err != nil {
		t.Fatal(err)
	}
	pol, err := policy.LoadDefault(ix)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range pol.Purposes() {
		for _, f := range p.Fields {
			seen[f.Registry] = true
		}
	}
	for _, r := range server.Registries() {
		name := r.Connector.Registry
		t.Run(string(name), func(t *testing.T) {
			if !seen[string(name)] {
				t.Errorf("no purpose of the default policy (%s) may see data of %s", policy.DefaultFile, name)
			}
			if r.Mock.Registry != string(name) || r.Mock.New == nil {
				t.Errorf("mock %+v does not play %s", r.Mock, name)
			}
			if r.Connector.Resource == "" {
				t.Errorf("%s names no main resource for the audit log", name)
			}
			conformance := filepath.Join("..", "connectors", strings.ToLower(string(name)), "conformance_test.go")
			src, err := os.ReadFile(conformance)
			if err != nil || !strings.Contains(string(src), "func TestConformance(") || !strings.Contains(string(src), "openapitest.Drive(") {
				t.Errorf("%s has no conformance test: %s must have a TestConformance that drives every method of the connector "+
					"against the mock with openapitest.Drive and holds each exchange to the registry's published API documents, "+
					"vendored in mocks/%s/spec/ (docs/registries.md, \"Conformance to the published APIs\"); read error: %v",
					name, conformance, strings.ToLower(string(name)), err)
			}
			c, err := r.Connector.New(connectors.Config{BaseURL: "http://127.0.0.1:1/api"})
			if err != nil || c.Registry() != name {
				t.Fatalf("open %s: %v", r.Connector.ID, err)
			}
			c.Close()
		})
	}
}

// TestCheckSchemaNamesWhatIsMissing registers a registry the schema does
// not know, and leaves one out the schema does.
func TestCheckSchemaNamesWhatIsMissing(t *testing.T) {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	ix, err := lineage.FromSchema(s)
	if err != nil {
		t.Fatal(err)
	}
	regs := append(server.Registries()[1:], dummy())
	err = server.CheckSchema(regs, s, ix)
	for _, want := range []string{
		"registry DUMMY is registered but not a value of the schema's Registry enum",
		"registry DUMMY is registered but no field of the schema declares it",
		"registry " + string(server.Registries()[0].Connector.Registry) + " of the schema's Registry enum has no registration",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckSchema = %v, want it to say %q", err, want)
		}
	}
	// A look-up of a resource no @source declares would never be
	// prefetched: it is refused too.
	regs = server.Registries()
	regs[0].Connector.Lookups = append(slices.Clone(regs[0].Connector.Lookups), connectors.Lookup{
		Name: "typo", Endpoint: "no-such-resource", Key: connectors.BSN, Fetch: regs[0].Connector.Lookups[0].Fetch,
	})
	if err := server.CheckSchema(regs, s, ix); err == nil || !strings.Contains(err.Error(), `"no-such-resource"`) {
		t.Errorf("CheckSchema = %v, want the unknown resource named", err)
	}
}

// TestHubRefusesAnIncompleteRegistry: a registry registered with its
// connector and mock but missing from the schema stops the start, naming
// it, instead of being opened and never asked.
func TestHubRefusesAnIncompleteRegistry(t *testing.T) {
	cfg, err := hubtest.Config(t, hubtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.NewHub(context.Background(), cfg, logging.Discard(), server.Options{
		Population: testPopulation(t),
		Registries: append(server.Registries(), dummy()),
	})
	if err == nil {
		h.Close()
		t.Fatal("the hub started with a registry the schema does not know")
	}
	if !strings.Contains(err.Error(), "DUMMY") {
		t.Fatalf("error %q does not name the registry", err)
	}
	// A mock that plays another registry is refused before anything runs.
	bad := dummy()
	bad.Mock.Registry = "OTHER"
	if _, err := server.NewHub(context.Background(), cfg, logging.Discard(), server.Options{Registries: []server.Registry{bad}}); err == nil || !strings.Contains(err.Error(), `its mock plays "OTHER"`) {
		t.Fatalf("NewHub = %v", err)
	}
	// A contract of our own the mock does not serve would leave
	// development mode without that data; a path for no such setting is a
	// slip too.
	own := dummy()
	own.Connector.Settings = []connectors.Setting{{Name: "HOLDERS_URL", OwnContract: true}}
	own.Mock.Settings = map[string]string{"OTHER_URL": "/other"}
	_, err = server.NewHub(context.Background(), cfg, logging.Discard(), server.Options{Registries: []server.Registry{own}})
	if err == nil || !strings.Contains(err.Error(), "its mock serves no HOLDERS_URL") || !strings.Contains(err.Error(), "OTHER_URL, which is no own-contract setting") {
		t.Fatalf("NewHub = %v", err)
	}
}

// dummy is a registry with a connector and a mock and nothing else.
func dummy() server.Registry {
	c := &registrytest.Connector{Name: "DUMMY"}
	return server.Registry{
		Connector: connectors.Registration{ID: "dummy", Registry: c.Name, Description: "a registry of this test", New: c.New(), Resource: "dummies"},
		Mock: mocks.Registration{Registry: "DUMMY", New: func(*population.Population) http.Handler {
			return http.NotFoundHandler()
		}},
	}
}

// TestRegistrySettings: a registry's own configuration keys are read from
// POORT_<REGISTRY>_<NAME> and reach its connector.
func TestRegistrySettings(t *testing.T) {
	var got connectors.Config
	reg := dummy()
	reg.Connector.Settings = []connectors.Setting{{Name: "TENANT", Description: "the tenant to ask for"}, {Name: "UNSET"}}
	reg.Connector.AuthHeader = "X-Dummy-Key"
	reg.Connector.New = func(cfg connectors.Config) (connectors.Connector, error) {
		got = cfg
		return &registrytest.Connector{Name: "DUMMY"}, nil
	}
	regs := []server.Registry{reg}
	env := map[string]string{"POORT_DUMMY_TENANT": "gemeente-utrecht", "POORT_DUMMY_AUTH_VALUE": "k", "POORT_DATABASE_URL": "sqlite::memory:"}
	cfg, err := server.LoadConfigFor(func(k string) string { return env[k] }, regs)
	if err != nil {
		t.Fatal(err)
	}
	if rc := cfg.Registries["DUMMY"]; rc.Settings["TENANT"] != "gemeente-utrecht" || len(rc.Settings) != 1 {
		t.Fatalf("settings = %+v", rc.Settings)
	}
	cfg.Auth.LocalKeyFile = t.TempDir() + "/key.json"
	// The dummy is in no schema: the hub refuses it after opening its
	// connector, which is what this test looks at.
	if h, err := server.NewHub(context.Background(), cfg, logging.Discard(), server.Options{Population: testPopulation(t), Registries: regs}); err == nil {
		h.Close()
	}
	if got.Settings["TENANT"] != "gemeente-utrecht" || got.AuthHeader != "X-Dummy-Key" || got.AuthValue != "k" {
		t.Fatalf("the connector got %+v", got)
	}
}
