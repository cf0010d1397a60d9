package server_test

import (
	"io"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/server/hubtest"
)

// householdEmployments asks the employments of a household: the person,
// the partner and the children.
const householdEmployments = `query($bsn: String!) { person(bsn: $bsn) {
  employments { employerName start current }
  partners { partner { bsn employments { employerName start current } } }
  children { bsn employments { employerName start } } } }`

// householdMembers returns the household scenario's person and the BSNs of
// everyone whose employments the query above asks.
func householdMembers(t testing.TB, h *hubtest.Hub) (string, []string) {
	t.Helper()
	p := h.Mocks.Population
	subject, ok := p.Person(p.Scenarios.Household)
	if !ok || subject.Partner == nil || len(subject.Children) == 0 {
		t.Fatal("the population has no household with a partner and children")
	}
	return subject.BSN, append([]string{subject.BSN, subject.Partner.BSN}, subject.Children...)
}

// TestHouseholdEmploymentsOneCallPerPerson checks that Suwinet, which takes
// one BSN per request, is asked once per member of the household, and that
// the metrics count those calls.
func TestHouseholdEmploymentsOneCallPerPerson(t *testing.T) {
	h := newTestHub(t)
	bsn, members := householdMembers(t, h)
	h.Mocks.ResetCalls()
	before := uwvCalls(t, h)
	var got struct {
		Person struct {
			Employments []struct{ EmployerName string }
			Partners    []struct {
				Partner struct {
					BSN         string
					Employments []struct{ EmployerName string }
				}
			}
		}
	}
	h.Query(t, householdEmployments, map[string]any{"bsn": bsn}).Decode(t, &got)
	p := h.Mocks.Population
	if n := len(p.EmploymentsOf(bsn)) + len(p.BenefitsOf(bsn)); len(got.Person.Employments) != n {
		t.Errorf("%d income relations, want %d", len(got.Person.Employments), n)
	}
	total, byRoute := h.Mocks.Calls("UWV")
	if route := "POST /suwibroker/soap/UWVDossierInkomstenGSD-v0200"; total != len(members) || byRoute[route] != len(members) {
		t.Errorf("UWV calls %v, want %d to %s", byRoute, len(members), route)
	}
	if n := uwvCalls(t, h) - before; n != len(members) {
		t.Errorf("the metrics count %d UWV calls, want %d", n, len(members))
	}
}

var uwvCallsMetric = regexp.MustCompile(`(?m)^poort_upstream_calls_total\{operation="UWVPersoonsIkvInfo",registry="UWV"\} (\d+)$`)

// uwvCalls reads the hub's count of UWVPersoonsIkvInfo calls from /metrics.
func uwvCalls(t testing.TB, h *hubtest.Hub) int {
	t.Helper()
	rec := httptest.NewRecorder()
	h.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	m := uwvCallsMetric.FindSubmatch(body)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// BenchmarkHouseholdEmployments measures a household's employments through
// the assembled hub with every Suwinet answer delayed by uwvLatency and the
// other registries answering at once. Suwinet takes one BSN per request;
// asked one after the other, the members would cost a delay each. The
// hub asks the person beside the BRP, then the partner and children at
// once, so a query should cost about two delays, whatever the household's
// size. It reports the latency in delays (uwv-delays/op) and the calls per
// query.
func BenchmarkHouseholdEmployments(b *testing.B) {
	const uwvLatency = 50 * time.Millisecond
	h := newTestHub(b)
	bsn, members := householdMembers(b, h)
	if err := h.Mocks.Faults("UWV").Set(fault.Config{LatencyMs: int(uwvLatency / time.Millisecond)}); err != nil {
		b.Fatal(err)
	}
	vars := map[string]any{"bsn": bsn}
	h.Query(b, householdEmployments, vars).Decode(b, &struct{}{}) // warm up
	h.Mocks.ResetCalls()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if r := h.Query(b, householdEmployments, vars); len(r.Errors) > 0 {
			b.Fatal(r.Errors)
		}
	}
	per := time.Since(start) / time.Duration(b.N)
	b.StopTimer()
	calls, _ := h.Mocks.Calls("UWV")
	b.ReportMetric(float64(per)/float64(uwvLatency), "uwv-delays/op")
	b.ReportMetric(float64(calls)/float64(b.N), "uwv-calls/op")
	b.ReportMetric(float64(len(members)), "members")
}
