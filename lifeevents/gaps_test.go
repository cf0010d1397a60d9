package lifeevents

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
)

func loadCatalogue(t *testing.T) *Catalogue {
	t.Helper()
	c, err := LoadEmbedded(realSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// healthy returns every registry answering well over the default window.
func healthy(t testing.TB) []RegistryHealth {
	var out []RegistryHealth
	for _, r := range schemaRegistries(t) {
		out = append(out, RegistryHealth{Registry: string(r), ErrorRate: 0, P95: 80 * time.Millisecond, Breaker: BreakerClosed, Calls: 40, Window: 5 * time.Minute})
	}
	return out
}

// stepsNeeding returns "<event>/<step>" of every step whose needs trace to
// the registry.
func stepsNeeding(c *Catalogue, registry string) []string {
	var out []string
	for _, e := range c.Events() {
		for _, s := range e.Steps {
			if slices.Contains(s.Registries(), registry) {
				out = append(out, e.ID+"/"+s.ID)
			}
		}
	}
	return out
}

func liveRefs(r *Report) []string {
	var out []string
	for _, g := range r.LiveGaps() {
		out = append(out, g.Event+"/"+g.Step)
	}
	return out
}

func TestReportStaticGaps(t *testing.T) {
	c := loadCatalogue(t)
	r, err := NewReport(c, ReportOptions{Health: healthy(t)})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.LiveGaps()); n != 0 {
		t.Fatalf("%d live gaps with every registry healthy", n)
	}
	var want []string
	for _, e := range c.Events() {
		for _, s := range e.Steps {
			if s.Coupling.Status != StatusAutomated {
				want = append(want, e.ID+"/"+s.ID)
			}
		}
	}
	var got []string
	for _, g := range r.StaticGaps() {
		got = append(got, g.ID)
		if g.Closes == "" || g.Reason == "" {
			t.Errorf("%s: no reason or nothing closes it", g.ID)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("static gaps %v, want %v", got, want)
	}

	g := find(t, r, "birth/benefits-status")
	if g.Severity != SeverityHigh || g.Standard != "digikoppeling" || g.Status != StatusMissing || !g.CitizenFacing {
		t.Errorf("birth/benefits-status = %+v", g)
	}
	if g := find(t, r, "travel/vaccination"); g.Severity != SeverityMedium || g.Standard != "" {
		t.Errorf("travel/vaccination = %+v, want MEDIUM without standard", g)
	}
	if g := find(t, r, "renovation/appearance-advice"); g.Severity != SeverityLow {
		t.Errorf("renovation/appearance-advice = %s, want LOW (manual, back office)", g.Severity)
	}
	if r.Summary.Static != len(want) || r.Summary.Live != 0 || r.Summary.High+r.Summary.Medium+r.Summary.Low != len(want) {
		t.Errorf("summary = %+v", r.Summary)
	}
	if len(r.ByStandard) == 0 || r.ByStandard[0].Worst != SeverityHigh {
		t.Errorf("byStandard does not start with the worst: %+v", r.ByStandard)
	}
}

func find(t *testing.T, r *Report, id string) Gap {
	t.Helper()
	for _, g := range r.Gaps {
		if g.ID == id {
			return g
		}
	}
	t.Fatalf("no gap %s", id)
	return Gap{}
}

func TestReportOneRegistryFaulted(t *testing.T) {
	c := loadCatalogue(t)
	for _, reg := range []string{"UWV", "BAG", "RDW"} {
		t.Run(reg, func(t *testing.T) {
			health := healthy(t)
			for i := range health {
				if health[i].Registry == reg {
					health[i].ErrorRate, health[i].Calls = 0.6, 25
				}
			}
			r, err := NewReport(c, ReportOptions{Health: health})
			if err != nil {
				t.Fatal(err)
			}
			want := stepsNeeding(c, reg)
			if len(want) == 0 {
				t.Fatalf("no step needs %s", reg)
			}
			if got := liveRefs(r); !slices.Equal(got, want) {
				t.Errorf("live gaps %v\nwant %v", got, want)
			}
			for _, g := range r.LiveGaps() {
				if !slices.Equal(g.Registries, []string{reg}) {
					t.Errorf("%s: registries %v", g.ID, g.Registries)
				}
				wantSev := SeverityMedium
				if g.CitizenFacing {
					wantSev = SeverityHigh
				}
				if g.Severity != wantSev {
					t.Errorf("%s: severity %s, want %s", g.ID, g.Severity, wantSev)
				}
			}
			if len(r.ByRegistry) != 1 || r.ByRegistry[0].Registry != reg || r.ByRegistry[0].Condition != Down || len(r.ByRegistry[0].Steps) != len(want) {
				t.Errorf("byRegistry = %+v", r.ByRegistry)
			}
		})
	}
}

// TestReportFromObservedCalls feeds the window as the connectors would and
// faults UWV alone.
func TestReportFromObservedCalls(t *testing.T) {
	c := loadCatalogue(t)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	w := NewWindow(5*time.Minute, 10, func() time.Time { return now })
	ctx := context.Background()
	for i := range 20 {
		for _, reg := range schemaRegistries(t) {
			call := connectors.Call{Registry: reg, Operation: "op", Duration: 50 * time.Millisecond, Attempts: 1}
			if reg == "UWV" && i%2 == 0 {
				call.Err = &connectors.Error{Registry: reg, Operation: "op", Kind: connectors.ErrUnavailable, Status: 503}
			}
			if reg == "BRP" && i%2 == 0 {
				call.Err = &connectors.Error{Registry: reg, Operation: "op", Kind: connectors.ErrNotFound, Status: 404}
			}
			w.ObserveCall(ctx, call)
		}
	}
	r, err := NewReport(c, ReportOptions{Health: w.Health()})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := liveRefs(r), stepsNeeding(c, "UWV"); !slices.Equal(got, want) {
		t.Errorf("live gaps %v\nwant %v", got, want)
	}
	g := find(t, r, "becoming-unemployed/situation/live")
	if g.Reason != "UWV: 50 % of 20 calls failed in the last 5m0s (limit 20 % over at least 5 calls)" {
		t.Errorf("reason = %q", g.Reason)
	}
}

func TestReportBreakerLatencyAbsent(t *testing.T) {
	c := loadCatalogue(t)
	health := healthy(t)
	for i := range health {
		switch health[i].Registry {
		case "RDW":
			health[i].Breaker = BreakerOpen
		case "BAG":
			health[i].P95 = 3 * time.Second
		}
	}
	r, err := NewReport(c, ReportOptions{Health: health, Absent: []string{"NHR"}})
	if err != nil {
		t.Fatal(err)
	}
	// travel/licence-validity is at the front office and needs RDW: down.
	if g := find(t, r, "travel/licence-validity/live"); g.Severity != SeverityHigh || g.Reason != "RDW: circuit breaker open" {
		t.Errorf("licence-validity = %+v", g)
	}
	// renovation/assessment is a back-office step needing BAG: degraded.
	if g := find(t, r, "renovation/assessment/live"); g.Severity != SeverityLow ||
		g.Reason != "BAG: p95 latency 3s over 40 calls in the last 5m0s, above the budget of 2s" {
		t.Errorf("assessment = %+v", g)
	}
	// Without a connector for NHR, the front office cannot look the new
	// company up: a live gap where it does; the KVK's registration and the
	// Belastingdienst's VAT id do not depend on the hub reading the NHR.
	if g := find(t, r, "starting-a-business/municipal-signal/live"); !strings.HasPrefix(g.Reason, "NHR: no connector configured; BAG: p95") ||
		!slices.Equal(g.Registries, []string{"NHR", "BAG"}) || g.Severity != SeverityHigh {
		t.Errorf("municipal-signal = %+v", g)
	}
	for _, id := range []string{"starting-a-business/kvk-registration/live", "starting-a-business/tax-registration/live"} {
		if slices.Contains(liveRefs(r), strings.TrimSuffix(id, "/live")) {
			t.Errorf("%s: a live gap for a step that reads nothing through the hub", id)
		}
	}
	want := append(append(stepsNeeding(c, "NHR"), stepsNeeding(c, "BAG")...), stepsNeeding(c, "RDW")...)
	got := liveRefs(r)
	slices.Sort(want)
	want = slices.Compact(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("live gaps %v\nwant %v", got, want)
	}
}

func TestJudge(t *testing.T) {
	th := DefaultThresholds()
	for _, tc := range []struct {
		name string
		h    RegistryHealth
		want Condition
	}{
		{"quiet", RegistryHealth{Registry: "BRP"}, Healthy},
		{"too few calls to tell", RegistryHealth{Registry: "BRP", ErrorRate: 1, Calls: 4, P95: time.Minute}, Healthy},
		{"error rate at the limit", RegistryHealth{Registry: "BRP", ErrorRate: 0.2, Calls: 5}, Down},
		{"error rate under the limit", RegistryHealth{Registry: "BRP", ErrorRate: 0.19, Calls: 100}, Healthy},
		{"breaker open without calls", RegistryHealth{Registry: "BRP", Breaker: BreakerOpen}, Down},
		{"breaker half-open", RegistryHealth{Registry: "BRP", Breaker: BreakerHalfOpen}, Degraded},
		{"slow", RegistryHealth{Registry: "BRP", Calls: 10, P95: 2*time.Second + 1}, Degraded},
		{"at the budget", RegistryHealth{Registry: "BRP", Calls: 10, P95: 2 * time.Second}, Healthy},
	} {
		if got, why := th.Judge(tc.h); got != tc.want || (got != Healthy) != (why != "") {
			t.Errorf("%s: %s (%q), want %s", tc.name, got, why, tc.want)
		}
	}
}

func TestSeverityRule(t *testing.T) {
	for _, tc := range []struct {
		status Status
		front  bool
		want   Severity
	}{
		{StatusMissing, true, SeverityHigh},
		{StatusMissing, false, SeverityMedium},
		{StatusManual, true, SeverityMedium},
		{StatusManual, false, SeverityLow},
		{StatusPartial, true, SeverityLow},
		{StatusPartial, false, SeverityLow},
	} {
		if got := staticSeverity(tc.status, tc.front); got != tc.want {
			t.Errorf("static %s front=%v: %s, want %s", tc.status, tc.front, got, tc.want)
		}
	}
	for _, tc := range []struct {
		cond  Condition
		front bool
		want  Severity
	}{
		{Down, true, SeverityHigh},
		{Down, false, SeverityMedium},
		{Degraded, true, SeverityMedium},
		{Degraded, false, SeverityLow},
	} {
		if got := liveSeverity(tc.cond, tc.front); got != tc.want {
			t.Errorf("live %s front=%v: %s, want %s", tc.cond, tc.front, got, tc.want)
		}
	}
}

func TestReportUnknownEvent(t *testing.T) {
	c := loadCatalogue(t)
	if _, err := NewReport(c, ReportOptions{Events: []string{"marriage"}}); err == nil {
		t.Fatal("report for an unknown event")
	}
	r, err := NewReport(c, ReportOptions{Events: []string{"travel", "birth"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Events, []string{"birth", "travel"}) {
		t.Errorf("events = %v", r.Events)
	}
	for _, g := range r.Gaps {
		if g.Event != "birth" && g.Event != "travel" {
			t.Errorf("gap of %s", g.Event)
		}
	}
}
