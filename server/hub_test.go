package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/server/hubtest"
)

// The hub tests run the assembled hub over real HTTP against the mock
// registries over one population, shared by the tests of this package.
var (
	popOnce sync.Once
	pop     *population.Population
)

func testPopulation(t testing.TB) *population.Population {
	t.Helper()
	popOnce.Do(func() {
		var err error
		pop, err = population.Generate(population.Config{Seed: 7, Size: 1000})
		if err != nil {
			panic(err)
		}
	})
	return pop
}

// newTestHub starts the assembled hub over the shared population.
func newTestHub(t testing.TB) *hubtest.Hub { return newHubWith(t, nil, server.Options{}) }

// newHubWith starts the assembled hub over the shared population with a
// logger (errors to stderr when nil), options, and the configuration
// changed by each of tweaks.
func newHubWith(t testing.TB, log *slog.Logger, o server.Options, tweaks ...func(*server.Config)) *hubtest.Hub {
	t.Helper()
	if log == nil {
		log, _ = logging.New(os.Stderr, "text", "error")
	}
	o.Population = testPopulation(t)
	return hubtest.Start(t, hubtest.Options{Logger: log, Hub: o, Configure: func(c *server.Config) {
		for _, tweak := range tweaks {
			tweak(c)
		}
	}})
}

func TestHealthAndPlayground(t *testing.T) {
	h := newTestHub(t)
	for path, want := range map[string]string{
		"/healthz":                           `"ok"`,
		"/readyz":                            `"ready"`,
		"/playground":                        "graphiql.min.js",
		"/playground/assets/graphiql.min.js": "GraphiQL",
		"/playground/assets/react.production.min.js": "react",
	} {
		resp, err := http.Get(h.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("GET %s = %d, want 200 containing %q", path, resp.StatusCode, want)
		}
	}
	resp, err := http.Get(h.URL + "/graphql?query={__typename}")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /graphql = %d, want 405", resp.StatusCode)
	}
}

func TestReadinessNeedsTheStore(t *testing.T) {
	h := newTestHub(t)
	h.Store.Close()
	resp, err := http.Get(h.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(b), `"store":"unavailable"`) {
		t.Fatalf("readyz without a store = %d %s", resp.StatusCode, b)
	}
}

// Metrics and charts are served on the admin listener only, never on the
// public port, where every path but health and the playground needs a
// token.
func TestMetricsOnTheAdminListenerOnly(t *testing.T) {
	h := newTestHub(t)
	h.Query(t, `query($bsn: String!) { person(bsn: $bsn) { name { fullName } } }`, map[string]any{"bsn": h.Mocks.Population.Scenarios.Household})
	for _, path := range []string{"/metrics", "/charts/scale-check/break-even-by-size.svg"} {
		resp, err := http.Get(h.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("public GET %s = %d, want 404", path, resp.StatusCode)
		}
	}
	resp, err := http.Get(h.AdminURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `registry="BRP"`) {
		t.Fatalf("metrics = %d %.300s", resp.StatusCode, b)
	}
	if strings.Contains(string(b), h.Mocks.Population.Scenarios.Household) {
		t.Fatal("metrics disclose a BSN")
	}
}

func TestProductionSwitches(t *testing.T) {
	cfg, err := server.LoadConfig(env(map[string]string{"POORT_INTROSPECTION": "false", "POORT_PLAYGROUND": "false"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseURL = "sqlite::memory:"
	cfg.Auth.LocalKeyFile = t.TempDir() + "/key.json"
	h, err := server.NewHub(context.Background(), cfg, logging.Discard(), server.Options{Population: testPopulation(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	srv := httptest.NewServer(h.Handler)
	defer srv.Close()
	tok, _ := h.DevelopmentToken(time.Minute)
	th := &hubtest.Hub{Hub: h, URL: srv.URL, Token: tok}
	for _, q := range []string{
		`{ __schema { types { name } } }`,
		`{ ... on Query { __type(name: "Person") { name } } }`,
		`{ ...Schema } fragment Schema on Query { __schema { queryType { name } } }`,
		`{ ...Outer } fragment Outer on Query { ...Inner } fragment Inner on Query { __schema { types { name } } }`,
	} {
		r := th.Query(t, q, nil)
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" || !strings.Contains(r.Errors[0].Message, "introspection") {
			t.Errorf("%s answered: %s %+v", q, r.Data, r.Errors)
		}
	}
	// A refused operation is 403 for a client that reads the status.
	if resp, body := postAs(t, srv.URL+"/graphql", tok, "application/json", "application/graphql-response+json", `{"query":"{ __schema { types { name } } }"}`); resp.StatusCode != http.StatusForbidden {
		t.Errorf("introspection under application/graphql-response+json: %d %s", resp.StatusCode, body)
	}
	resp, err := http.Get(srv.URL + "/playground")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("playground served: %d", resp.StatusCode)
	}
}
