package resilience_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/internal/resilience"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server"
)

// These tests run the assembled hub, as server.NewHub builds it, over real
// HTTP against the mock registries, with the resilience layer given to it
// through server.Options: the guard and the metrics to every connector, the
// cache around the registries the graph resolves with.

// Timeouts small enough for a quick suite, large enough for a busy CI
// machine: a registry call may take 600ms, a request 1.5s.
const (
	upstreamTimeout = "600ms"
	requestTimeout  = 1500 * time.Millisecond
)

type testHub struct {
	*server.Hub
	url   string
	token string
	guard *resilience.Guard
	cache *resilience.Cache
}

// newHub assembles a hub over pop with the guard and a cache; env adds to
// the configuration (POORT_BAG_URL, ...).
func newHub(t *testing.T, pop *population.Population, cfg resilience.Config, opts []resilience.GuardOption, env map[string]string) *testHub {
	t.Helper()
	vars := map[string]string{
		"POORT_UPSTREAM_TIMEOUT": upstreamTimeout,
		"POORT_REQUEST_TIMEOUT":  requestTimeout.String(),
		"POORT_DATABASE_URL":     "sqlite::memory:",
		// The hub's own signing key for development tokens.
		"POORT_AUTH_LOCAL_KEY_FILE": t.TempDir() + "/signing-key.json",
	}
	for k, v := range env {
		vars[k] = v
	}
	scfg, err := server.LoadConfig(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	metrics := resilience.NewMetrics()
	guard := resilience.NewGuard(cfg, append([]resilience.GuardOption{resilience.WithMetrics(metrics)}, opts...)...)
	cache := resilience.NewCache(cfg.Cache, metrics)
	h, err := server.NewHub(context.Background(), scfg, logging.Discard(), server.Options{
		Population:     pop,
		Guard:          guard,
		Observer:       metrics,
		WrapRegistries: wrap(cache),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler)
	t.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	tok, err := h.DevelopmentToken(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return &testHub{Hub: h, url: srv.URL, token: tok, guard: guard, cache: cache}
}

// wrap is what the hub's WrapRegistries does with a cache.
func wrap(c *resilience.Cache) func(graph.Registries) graph.Registries {
	return func(r graph.Registries) graph.Registries {
		r.BRP = c.Persons(r.BRP)
		r.NHR = c.Companies(r.NHR)
		r.BAG = c.Addresses(r.BAG)
		r.RDW = c.Vehicles(r.RDW)
		r.UWV = c.Employments(r.UWV)
		return r
	}
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResponse struct {
	Data    json.RawMessage `json:"data"`
	Errors  []gqlError      `json:"errors"`
	status  int
	elapsed time.Duration
}

func (h *testHub) query(t *testing.T, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, h.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+h.token)
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := gqlResponse{status: resp.StatusCode, elapsed: time.Since(start)}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, raw)
	}
	return out
}

// errorPaths returns the paths of the errors, list indexes as #, sorted.
func (r gqlResponse) errorPaths() []string {
	var out []string
	for _, e := range r.Errors {
		var parts []string
		for _, p := range e.Path {
			switch v := p.(type) {
			case string:
				parts = append(parts, v)
			case float64:
				parts = append(parts, "#")
			}
		}
		out = append(out, strings.Join(parts, "."))
	}
	sort.Strings(out)
	return out
}

func generate(t *testing.T) *population.Population {
	t.Helper()
	pop, err := population.Generate(population.Config{Seed: 7, Size: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return pop
}

// subjects returns living persons with an address, vehicles, a driving
// licence and a role in a company, so that every registry answers with a
// body a fault can spoil: the Handelsregister answers "no roles" with a
// 404, whatever the fault does to its body. (UWV answers a batch, with or
// without employments.)
func subjects(t *testing.T, pop *population.Population, n int) []string {
	t.Helper()
	var out []string
	for _, p := range pop.Persons {
		if p.Alive() && p.AddressID != "" && len(pop.VehiclesOfPerson(p.BSN)) > 0 &&
			len(pop.DrivingLicencesOf(p.BSN)) > 0 && len(pop.CompaniesOf(p.BSN)) > 0 {
			out = append(out, p.BSN)
			if len(out) == n {
				return out
			}
		}
	}
	t.Fatalf("only %d persons with data in every registry, want %d", len(out), n)
	return nil
}
