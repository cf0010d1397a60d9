package server_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/server/hubtest"
	"github.com/poort-nl/poort/store"
)

// scrape reads the admin listener's /metrics: the raw text and its
// families by name.
func scrape(t *testing.T, h *hubtest.Hub) ([]byte, map[string]*dto.MetricFamily) {
	t.Helper()
	resp, err := http.Get(h.AdminURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics = %d: %s", resp.StatusCode, raw)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return raw, fams
}

// sample returns the value of the family's series with the labels (a
// histogram's count), and whether there is one.
func sample(fams map[string]*dto.MetricFamily, name string, labels ...string) (float64, bool) {
	f, ok := fams[name]
	if !ok {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount()), true
		}
	}
	return 0, false
}

// TestMetricsOfWhatCallersSee: the metrics pass promlint; every counter an
// operator alerts on is there at zero before its first event; requests are
// counted by operation, HTTP status and error code as the caller received
// them; audit writes, the outbox and the database pools are measured.
func TestMetricsOfWhatCallersSee(t *testing.T) {
	var failAudit atomic.Bool
	h := newHubWith(t, nil, server.Options{WrapAuditLog: func(next audit.Appender) audit.Appender {
		return appendFunc(func(ctx context.Context, rs []store.AuditRecord) error {
			if failAudit.Load() {
				return errors.New("audit log down")
			}
			return next.AppendAudit(ctx, rs)
		})
	}})
	raw, fams := scrape(t, h)
	problems, err := promlint.New(bytes.NewReader(raw)).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}

	for _, s := range []struct {
		name   string
		labels []string
	}{
		{"poort_graphql_requests_total", []string{"operation", "none", "status", "401"}},
		{"poort_graphql_requests_total", []string{"operation", "none", "status", "429"}},
		{"poort_graphql_requests_total", []string{"operation", "PersonCard", "status", "200"}},
		{"poort_graphql_requests_total", []string{"operation", "other", "status", "503"}},
		{"poort_graphql_request_duration_seconds", []string{"operation", "anonymous"}},
		{"poort_graphql_errors_total", []string{"code", "UNAUTHENTICATED"}},
		{"poort_graphql_errors_total", []string{"code", "FORBIDDEN"}},
		{"poort_graphql_errors_total", []string{"code", "RATE_LIMITED"}},
		{"poort_graphql_errors_total", []string{"code", "AUDIT_UNAVAILABLE"}},
		{"poort_graphql_errors_total", []string{"code", "STORE_UNAVAILABLE"}},
		{"poort_graphql_errors_total", []string{"code", "UPSTREAM_UNAVAILABLE"}},
		{"poort_audit_write_duration_seconds", nil},
		{"poort_audit_write_failures_total", nil},
		{"poort_audit_records_total", nil},
		{"poort_outbox_messages", []string{"state", "pending"}},
		{"poort_outbox_messages", []string{"state", "parked"}},
	} {
		if v, ok := sample(fams, s.name, s.labels...); !ok || v != 0 {
			t.Errorf("%s%v = %v (present %v), want 0 from the start", s.name, s.labels, v, ok)
		}
	}
	if v, ok := sample(fams, "go_sql_max_open_connections", "db_name", "writer"); !ok || v < 1 {
		t.Errorf("the store's writer pool is not measured: %v %v", v, ok)
	}

	bsn := h.Mocks.Population.Scenarios.JobLoss
	person := `query Card($bsn: String!) { person(bsn: $bsn) { name { fullName } employments { start } } }`
	// Refused before any operation is read.
	hubtest.Post(t, h.URL+"/graphql", "", `{"query":"{ lineage { field } }"}`)
	// Two named operations and an anonymous one, served.
	h.Query(t, person, map[string]any{"bsn": bsn}).Decode(t, &struct{}{})
	h.Query(t, person, map[string]any{"bsn": bsn}).Decode(t, &struct{}{})
	h.Query(t, `{ lineage(registry: BRP) { field } }`, nil).Decode(t, &struct{}{})
	// A field the purpose does not cover: 200 with FORBIDDEN.
	kcc := h.TokenFor(t, auth.Principal{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}})
	if r := h.QueryAs(t, kcc, person, map[string]any{"bsn": bsn}); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("forbidden employments: %+v", r.Errors)
	}
	// The audit log down: the response is withheld.
	failAudit.Store(true)
	if r := h.Query(t, person, map[string]any{"bsn": bsn}); r.Status != http.StatusServiceUnavailable {
		t.Fatalf("audit down: %d %+v", r.Status, r.Errors)
	}
	failAudit.Store(false)

	_, fams = scrape(t, h)
	for _, s := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"poort_graphql_requests_total", []string{"operation", "none", "status", "401"}, 1},
		{"poort_graphql_requests_total", []string{"operation", "Card", "status", "200"}, 3},
		{"poort_graphql_requests_total", []string{"operation", "Card", "status", "503"}, 1},
		{"poort_graphql_requests_total", []string{"operation", "anonymous", "status", "200"}, 1},
		{"poort_graphql_request_duration_seconds", []string{"operation", "Card"}, 4},
		{"poort_graphql_errors_total", []string{"code", "UNAUTHENTICATED"}, 1},
		{"poort_graphql_errors_total", []string{"code", "FORBIDDEN"}, 1},
		{"poort_graphql_errors_total", []string{"code", "AUDIT_UNAVAILABLE"}, 1},
		{"poort_audit_write_failures_total", nil, 1},
		{"poort_audit_write_duration_seconds", nil, 4},
	} {
		if v, _ := sample(fams, s.name, s.labels...); v != s.want {
			t.Errorf("%s%v = %v, want %v", s.name, s.labels, v, s.want)
		}
	}
	if v, _ := sample(fams, "poort_audit_records_total"); v < 3 {
		t.Errorf("poort_audit_records_total = %v, want a record per registry of each served request", v)
	}
	if raw, _ := scrape(t, h); strings.Contains(string(raw), bsn) {
		t.Error("metrics disclose a BSN")
	}
}
