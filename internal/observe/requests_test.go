package observe

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// answer is a handler that reads an operation named by the request's
// X-Op header (none without it) and answers status with a GraphQL body of
// one error per code.
func answer(status int, codes ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if op, ok := r.Header["X-Op"]; ok {
			SetOperation(r.Context(), op[0])
			SetOperation(r.Context(), "Nested") // a nested operation renames nothing
		}
		var errs []map[string]any
		for _, c := range codes {
			errs = append(errs, map[string]any{"message": "x", "extensions": map[string]any{"code": c}})
		}
		w.Header().Set("Content-Type", "application/graphql-response+json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"errorsFake": "no"}, "errors": errs})
	})
}

func serve(h http.Handler, op *string) {
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	if op != nil {
		req.Header.Set("X-Op", *op)
	}
	h.ServeHTTP(httptest.NewRecorder(), req)
}

func TestRequestsCountWhatCallersSee(t *testing.T) {
	reg := prometheus.NewRegistry()
	r, err := NewRequests(reg, RequestOptions{Operations: []string{"PersonCard"}, MaxOperations: 2, Codes: []string{"FORBIDDEN"}})
	if err != nil {
		t.Fatal(err)
	}
	name := func(s string) *string { return &s }
	serve(r.Middleware(answer(401, "UNAUTHENTICATED")), nil)
	serve(r.Middleware(answer(200, "FORBIDDEN", "UPSTREAM_TIMEOUT", "FORBIDDEN")), name("PersonCard"))
	serve(r.Middleware(answer(200)), name(""))
	// Two further names get labels of their own; the rest are "other".
	for i := range 5 {
		serve(r.Middleware(answer(200)), name(fmt.Sprintf("Guess%d", i)))
	}
	serve(r.Middleware(answer(200)), name(strings.Repeat("x", 65)))
	serve(r.Middleware(answer(200, "not a code")), name("Guess0"))

	for _, c := range []struct {
		labels []string
		want   float64
	}{
		{[]string{"none", "401"}, 1},
		{[]string{"PersonCard", "200"}, 1},
		{[]string{"anonymous", "200"}, 1},
		{[]string{"Guess0", "200"}, 2},
		{[]string{"Guess1", "200"}, 1},
		{[]string{"other", "200"}, 4},
	} {
		if got := testutil.ToFloat64(r.requests.WithLabelValues(c.labels...)); got != c.want {
			t.Errorf("requests%v = %v, want %v", c.labels, got, c.want)
		}
	}
	if n := testutil.CollectAndCount(r.requests); n > (3+1+2)*len(Statuses) {
		t.Errorf("%d request series: the operation label is not bounded", n)
	}
	for code, want := range map[string]float64{"UNAUTHENTICATED": 1, "FORBIDDEN": 2, "UPSTREAM_TIMEOUT": 1, "other": 1} {
		if got := testutil.ToFloat64(r.errs.WithLabelValues(code)); got != want {
			t.Errorf("errors{%s} = %v, want %v", code, got, want)
		}
	}
}

// TestLogLine: one line per request with its route, status, duration in
// milliseconds, and the GraphQL operations and error codes run for it.
func TestLogLine(t *testing.T) {
	r, _ := NewRequests(prometheus.NewRegistry(), RequestOptions{})
	mux := http.NewServeMux()
	mux.Handle("POST /graphql", r.Middleware(answer(200, "FORBIDDEN")))
	var buf bytes.Buffer
	h := Log(slog.New(slog.NewJSONHandler(&buf, nil)), mux)
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.Header.Set("X-Op", "PersonCard")
	h.ServeHTTP(httptest.NewRecorder(), req)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/healthz", nil))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/balie/persoon/999993653", nil))

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want one per request but the probe:\n%s", len(lines), buf.String())
	}
	var first, second map[string]any
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	if first["route"] != "POST /graphql" || first["status"] != 200.0 || first["operation"] != "PersonCard" ||
		first["error_codes"] != "FORBIDDEN" || first["duration_ms"] == nil {
		t.Errorf("graphql line: %v", first)
	}
	if second["route"] != "unmatched" || second["status"] != 404.0 || strings.Contains(lines[1], "999993653") {
		t.Errorf("unmatched path line: %v", second)
	}
}
