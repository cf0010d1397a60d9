// Package hubtest starts the assembled hub for tests: server.NewHub over
// the mock registries, an in-memory store and the local token issuer,
// served over httptest, with helpers to ask it GraphQL. It is the one
// harness every package's tests use to test through the whole hub.
package hubtest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/server"
)

// Defaults are the configuration the hub starts with beside the hub's own
// defaults: an in-memory store, no cache (tests fault registries between
// queries; a cached answer would hide the fault) and timeouts short enough
// for a quick suite, long enough for a busy machine. Options.Env overrides
// them.
var defaults = map[string]string{
	"POORT_DATABASE_URL":     "sqlite::memory:",
	"POORT_CACHE_TTL":        "0s",
	"POORT_UPSTREAM_TIMEOUT": "2s",
	"POORT_REQUEST_TIMEOUT":  "4s",
}

// Options adjust the hub a test starts.
type Options struct {
	// Env are POORT_* variables, over the defaults.
	Env map[string]string
	// Configure, when set, adjusts the configuration read from them.
	Configure func(*server.Config)
	// Hub are the options server.NewHub takes: a population, a guard, a
	// cache, registries of the test's own.
	Hub server.Options
	// Logger receives the hub's log; nil discards it.
	Logger *slog.Logger
}

// Hub is a hub serving for one test.
type Hub struct {
	*server.Hub
	// Config is the configuration it was assembled with.
	Config server.Config
	// URL is where it serves, e.g. "http://127.0.0.1:41234".
	URL string
	// AdminURL is where its admin handler (/metrics, /charts/) serves.
	AdminURL string
	// Token is a development token of its local issuer, which sees the
	// whole graph.
	Token string
}

// Start assembles and serves a hub; it is closed when the test ends.
func Start(t testing.TB, o Options) *Hub {
	t.Helper()
	cfg, err := Config(t, o)
	if err != nil {
		t.Fatal(err)
	}
	return StartWith(t, cfg, o)
}

// Config returns the configuration Start would assemble the hub with, or
// the configuration error.
func Config(t testing.TB, o Options) (server.Config, error) {
	t.Helper()
	vars := map[string]string{"POORT_AUTH_LOCAL_KEY_FILE": t.TempDir() + "/signing-key.json"}
	for k, v := range defaults {
		vars[k] = v
	}
	for k, v := range o.Env {
		vars[k] = v
	}
	cfg, err := server.LoadConfig(func(k string) string { return vars[k] })
	if err != nil {
		return cfg, err
	}
	if o.Configure != nil {
		o.Configure(&cfg)
	}
	return cfg, nil
}

// StartWith assembles and serves a hub with the configuration given.
func StartWith(t testing.TB, cfg server.Config, o Options) *Hub {
	t.Helper()
	log := o.Logger
	if log == nil {
		log = logging.Discard()
	}
	h, err := server.NewHub(context.Background(), cfg, log, o.Hub)
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
	hub := &Hub{Hub: h, Config: cfg, URL: srv.URL, AdminURL: admin.URL}
	if h.Issuer != nil {
		if hub.Token, err = h.DevelopmentToken(time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	return hub
}

// Wrapping returns the compiled-in registries with the connector of one
// registry wrapped as the hub opens it, e.g. in a type that fails some
// calls; the registry's look-ups then call the wrapper.
func Wrapping(r connectors.Registry, wrap func(connectors.Connector) connectors.Connector) []server.Registry {
	regs := server.Registries()
	for i, reg := range regs {
		if reg.Connector.Registry != r {
			continue
		}
		open := reg.Connector.New
		regs[i].Connector.New = func(cfg connectors.Config) (connectors.Connector, error) {
			c, err := open(cfg)
			if err != nil {
				return nil, err
			}
			return wrap(c), nil
		}
	}
	return regs
}

// TokenFor issues a token of the hub's local issuer for the principal; a
// principal without a subject is an employee of a test organisation.
func (h *Hub) TokenFor(t testing.TB, p auth.Principal) string {
	t.Helper()
	if p.Subject == "" {
		p.Subject, p.Organisation = "employee-1", "00000001234567890000"
	}
	tok, err := h.Issuer.Issue(p, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Error is a GraphQL error as the hub answers it.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Response is the hub's answer to a GraphQL request.
type Response struct {
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
	// Status is the HTTP status.
	Status int `json:"-"`
	// Elapsed is how long the request took.
	Elapsed time.Duration `json:"-"`
}

// Query asks the hub a GraphQL query with its development token.
func (h *Hub) Query(t testing.TB, query string, vars map[string]any) Response {
	t.Helper()
	return h.QueryAs(t, h.Token, query, vars)
}

// QueryAs asks the hub a GraphQL query with a bearer token; an empty token
// sends none.
func (h *Hub) QueryAs(t testing.TB, token, query string, vars map[string]any) Response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	resp, raw := Post(t, h.URL+"/graphql", token, string(body))
	var out Response
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, raw)
	}
	out.Status, out.Elapsed = resp.StatusCode, time.Since(start)
	return out
}

// Decode reads the data into v, failing the test on any error in the
// response.
func (r Response) Decode(t testing.TB, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("data: %v", err)
	}
}

// PathString returns an error's path with list indexes as "#", e.g.
// "person.children.#.name".
func (e Error) PathString() string {
	var parts []string
	for _, p := range e.Path {
		switch v := p.(type) {
		case string:
			parts = append(parts, v)
		case float64:
			parts = append(parts, "#")
		}
	}
	return strings.Join(parts, ".")
}

// Post sends a POST with a JSON body and a bearer token (none when empty)
// and returns the response with its body read.
func Post(t testing.TB, url, token, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}
