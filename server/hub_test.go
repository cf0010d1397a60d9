package server

import (
	"context"
	"encoding/json"
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

type testHub struct {
	*Hub
	url   string
	token string
	// adminURL serves the hub's admin handler.
	adminURL string
}

func newTestHub(t testing.TB) *testHub {
	t.Helper()
	log, _ := logging.New(os.Stderr, "text", "error")
	return newHubWith(t, log, Options{})
}

// newHubWith assembles a test hub with its own logger and options, and
// the configuration changed by each of tweaks.
func newHubWith(t testing.TB, log *slog.Logger, o Options, tweaks ...func(*Config)) *testHub {
	t.Helper()
	cfg, err := LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseURL = "sqlite::memory:"
	// The tests fault registries between queries; a cached answer would
	// hide the fault. The cache has tests of its own in resilience.
	cfg.Resilience.Cache.TTL = 0
	cfg.Auth.LocalKeyFile = t.TempDir() + "/signing-key.json"
	cfg.UpstreamTimeout = 2 * time.Second
	cfg.RequestTimeout = 4 * time.Second
	for _, tweak := range tweaks {
		tweak(&cfg)
	}
	o.Population = testPopulation(t)
	h, err := NewHub(context.Background(), cfg, log, o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler)
	admin := httptest.NewServer(h.AdminHandler)
	t.Cleanup(func() {
		srv.Close()
		admin.Close()
		h.Close()
	})
	tok, err := h.DevelopmentToken(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return &testHub{Hub: h, url: srv.URL, token: tok, adminURL: admin.URL}
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	status int
}

func (h *testHub) query(t testing.TB, query string, vars map[string]any) gqlResponse {
	t.Helper()
	return h.queryAs(t, h.token, query, vars)
}

// queryAs posts a query with a bearer token; an empty token sends none.
func (h *testHub) queryAs(t testing.TB, token, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, raw := post(t, h.url+"/graphql", token, string(body))
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, raw)
	}
	out.status = resp.StatusCode
	return out
}

// decode reads data into v, failing on any error in the response.
func (r gqlResponse) decode(t testing.TB, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("data: %v", err)
	}
}

func pathString(p []any) string {
	var parts []string
	for _, e := range p {
		switch v := e.(type) {
		case string:
			parts = append(parts, v)
		case float64:
			parts = append(parts, "#")
		}
	}
	return strings.Join(parts, ".")
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
		resp, err := http.Get(h.url + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("GET %s = %d, want 200 containing %q", path, resp.StatusCode, want)
		}
	}
	resp, err := http.Get(h.url + "/graphql?query={__typename}")
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
	resp, err := http.Get(h.url + "/readyz")
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
	h.query(t, `query($bsn: String!) { person(bsn: $bsn) { name { fullName } } }`, map[string]any{"bsn": h.Mocks.Population.Scenarios.Household})
	for _, path := range []string{"/metrics", "/charts/scale-check/break-even-by-size.svg"} {
		resp, err := http.Get(h.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("public GET %s = %d, want 404", path, resp.StatusCode)
		}
	}
	resp, err := http.Get(h.adminURL + "/metrics")
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
	cfg, err := LoadConfig(env(map[string]string{"POORT_INTROSPECTION": "false", "POORT_PLAYGROUND": "false"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseURL = "sqlite::memory:"
	cfg.Auth.LocalKeyFile = t.TempDir() + "/key.json"
	h, err := NewHub(context.Background(), cfg, logging.Discard(), Options{Population: testPopulation(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	srv := httptest.NewServer(h.Handler)
	defer srv.Close()
	tok, _ := h.DevelopmentToken(time.Minute)
	th := &testHub{Hub: h, url: srv.URL, token: tok}
	for _, q := range []string{
		`{ __schema { types { name } } }`,
		`{ ... on Query { __type(name: "Person") { name } } }`,
		`{ ...Schema } fragment Schema on Query { __schema { queryType { name } } }`,
		`{ ...Outer } fragment Outer on Query { ...Inner } fragment Inner on Query { __schema { types { name } } }`,
	} {
		r := th.query(t, q, nil)
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
