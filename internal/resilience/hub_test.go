package resilience_test

import (
	"sort"
	"testing"
	"time"

	"github.com/poort-nl/poort/internal/resilience"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/server/hubtest"
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
	*hubtest.Hub
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
	}
	for k, v := range env {
		vars[k] = v
	}
	metrics := resilience.NewMetrics()
	guard := resilience.NewGuard(cfg, append([]resilience.GuardOption{resilience.WithMetrics(metrics)}, opts...)...)
	cache := resilience.NewCache(cfg.Cache, metrics)
	h := hubtest.Start(t, hubtest.Options{Env: vars, Hub: server.Options{
		Population: pop,
		Guard:      guard,
		Observer:   metrics,
		Cache:      cache,
	}})
	return &testHub{Hub: h, guard: guard, cache: cache}
}

// errorPaths returns the paths of the errors, list indexes as #, sorted.
func errorPaths(r hubtest.Response) []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.PathString())
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
