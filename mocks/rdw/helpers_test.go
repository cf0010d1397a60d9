package rdw

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/mocks/population"
)

var refDate = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

// generate returns a fresh population; it takes a few milliseconds, so
// every test gets its own and may change it.
func generate(t testing.TB, size int) *population.Population {
	t.Helper()
	pop, err := population.Generate(population.Config{Seed: 42, Size: size, ReferenceDate: refDate})
	if err != nil {
		t.Fatalf("generate population: %v", err)
	}
	return pop
}

// platesOf returns the plates of n vehicles that are what the test needs,
// in the population's order; a population without enough fails the test.
func platesOf(t testing.TB, pop *population.Population, n int, what string, ok func(*population.Vehicle) bool) []string {
	t.Helper()
	var out []string
	for i := range pop.Vehicles {
		if len(out) < n && ok(&pop.Vehicles[i]) {
			out = append(out, pop.Vehicles[i].Plate)
		}
	}
	if len(out) < n {
		t.Fatalf("%d vehicles in the population are %s, want %d", len(out), what, n)
	}
	return out
}

// registered is any vehicle with a plate.
func registered(v *population.Vehicle) bool { return v.Plate != "" }

func newServer(t testing.TB, pop *population.Population) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(New(pop))
	t.Cleanup(srv.Close)
	return srv
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t testing.TB, srv *httptest.Server, method, path, body string, header map[string]string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func get(t testing.TB, srv *httptest.Server, path string) response {
	t.Helper()
	return do(t, srv, http.MethodGet, path, "", nil)
}

func post(t testing.TB, srv *httptest.Server, path, body string) response {
	t.Helper()
	return do(t, srv, http.MethodPost, path, body, nil)
}

func decode[T any](t testing.TB, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

func wantStatus(t testing.TB, r response, status int, contentType string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != contentType {
		t.Fatalf("Content-Type %q, want %q", ct, contentType)
	}
}
