package resilience_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/internal/resilience"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server/hubtest"
)

// personQuery asks every registry something about one person: the BRP the
// person, the BAG the address, the RDW holdings, open data and licences,
// UWV employments and benefits, the Handelsregister the roles.
const personQuery = `query($bsn: String!) { person(bsn: $bsn) {
	bsn name { fullName surname } address { street residentialObject { surface } }
	vehicles { licencePlate make } drivingLicences { number }
	employments { start } benefits { law } companies { role } } }`

// owned are the paths that carry the error when a registry fails: the
// registries personQuery asks, which the fault tests fault one by one.
var owned = map[string][]string{
	"BRP": {"person.address", "person.name"},
	"BAG": {"person.address.residentialObject", "person.address.street"},
	"RDW": {"person.drivingLicences", "person.vehicles"},
	"UWV": {"person.benefits", "person.employments"},
	"NHR": {"person.companies"},
}

type personData struct {
	Person *struct {
		BSN  string
		Name *struct{ FullName, Surname string }
		// Address is raw: with the BAG down it holds nulls.
		Address *struct {
			Street            *string
			ResidentialObject *struct{ Surface int }
		}
		Vehicles []struct {
			LicencePlate string
			Make         *string
		}
		DrivingLicences []struct{ Number string }
		Employments     []struct{ Start string }
		Benefits        []struct{ Law string }
		Companies       []struct{ Role string }
	}
}

type faultCase struct {
	name  string
	fault fault.Config
	// refused stops the registry's server instead.
	refused    bool
	code       string
	retryAfter float64
}

var faultCases = []faultCase{
	// Past the call's deadline (the upstream timeout), and not much more: a
	// mock sleeping on a POST it has not read does not notice the hub
	// leaving, and holds up closing the hub until it wakes.
	{name: "latency past the deadline", fault: fault.Config{LatencyMs: 800}, code: "UPSTREAM_TIMEOUT"},
	{name: "hang", fault: fault.Config{Hang: true}, code: "UPSTREAM_TIMEOUT"},
	{name: "500", fault: fault.Config{Status: 500}, code: "UPSTREAM_UNAVAILABLE"},
	{name: "503 with Retry-After", fault: fault.Config{Status: 503, RetryAfterSeconds: 1}, code: "UPSTREAM_UNAVAILABLE", retryAfter: 1},
	{name: "429", fault: fault.Config{Status: 429}, code: "UPSTREAM_UNAVAILABLE"},
	{name: "connection refused", refused: true, code: "UPSTREAM_UNAVAILABLE"},
	{name: "dropped connection", fault: fault.Config{Drop: true}, code: "UPSTREAM_UNAVAILABLE"},
	{name: "malformed JSON", fault: fault.Config{Malformed: true}, code: "UPSTREAM_INVALID_RESPONSE"},
	{name: "truncated body", fault: fault.Config{Truncated: true}, code: "UPSTREAM_INVALID_RESPONSE"},
	{name: "wrong content type", fault: fault.Config{WrongContentType: true}, code: "UPSTREAM_INVALID_RESPONSE"},
}

// TestFaultMatrix breaks each registry in each way, one hub per case, and
// asks for a person across all five: the answer comes within the request's
// deadline, with HTTP 200, the other registries' data, and an error with
// the fault's code and the registry on exactly the registry's paths.
func TestFaultMatrix(t *testing.T) {
	pop := generate(t)
	// A subject per case, so nothing one case leaves in the cache serves
	// another.
	bsns := subjects(t, pop, len(faultCases))
	cfg := resilience.DefaultConfig()
	// The matrix is about what one failing call does; the breaker has its
	// own test.
	cfg.Breaker.ConsecutiveFailures = 1000
	cfg.Breaker.FailureRatio = 0
	for _, reg := range slices.Sorted(maps.Keys(owned)) {
		for i, fc := range faultCases {
			t.Run(reg+"/"+fc.name, func(t *testing.T) {
				t.Parallel()
				h := newHub(t, pop, cfg, nil, nil)
				if fc.refused {
					if err := h.Mocks.Stop(reg); err != nil {
						t.Fatal(err)
					}
				} else if err := h.Mocks.Faults(reg).Set(fc.fault); err != nil {
					t.Fatal(err)
				}
				r := h.Query(t, personQuery, map[string]any{"bsn": bsns[i]})
				checkFaulted(t, pop, bsns[i], reg, fc, r)
			})
		}
	}
}

func checkFaulted(t *testing.T, pop *population.Population, bsn, reg string, fc faultCase, r hubtest.Response) {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("HTTP %d, want 200: an upstream fault is never a 5xx", r.Status)
	}
	if r.Elapsed >= requestTimeout {
		t.Errorf("answered after %v, past the request's deadline of %v", r.Elapsed, requestTimeout)
	}
	for _, e := range r.Errors {
		if e.Extensions["code"] != fc.code || e.Extensions["registry"] != reg {
			t.Errorf("error %+v, want %s from %s", e, fc.code, reg)
		}
		if fc.retryAfter > 0 && e.Extensions["retryAfterSeconds"] != fc.retryAfter {
			t.Errorf("error %+v, want retryAfterSeconds %v", e, fc.retryAfter)
		}
	}
	if got, want := errorPaths(r), owned[reg]; !slices.Equal(got, want) {
		t.Fatalf("errors on %v, want %v", got, want)
	}
	var d personData
	if err := json.Unmarshal(r.Data, &d); err != nil || d.Person == nil || d.Person.BSN != bsn {
		t.Fatalf("data %s: %v; want the person with the BSN", r.Data, err)
	}
	p := d.Person
	subject, _ := pop.Person(bsn)
	if reg != "BRP" && (p.Name == nil || p.Name.Surname != subject.Surname) {
		t.Errorf("BRP data missing: %+v", p.Name)
	}
	if reg != "BRP" && reg != "BAG" && (p.Address == nil || p.Address.Street == nil || p.Address.ResidentialObject == nil) {
		t.Errorf("BAG data missing: %+v", p.Address)
	}
	if reg != "RDW" && (len(p.Vehicles) == 0 || p.Vehicles[0].Make == nil || len(p.DrivingLicences) == 0) {
		t.Errorf("RDW data missing: %+v, %+v", p.Vehicles, p.DrivingLicences)
	}
	if reg != "UWV" && p.Employments == nil {
		t.Errorf("UWV data missing: %+v", p.Employments)
	}
	if reg != "NHR" && len(p.Companies) == 0 {
		t.Errorf("NHR data missing: %+v", p.Companies)
	}
}

// TestBreakerEndToEnd breaks each registry until its circuit opens, checks
// that the open circuit answers for it without a call reaching the
// registry, then mends the registry and sees the circuit close.
func TestBreakerEndToEnd(t *testing.T) {
	pop := generate(t)
	bsn := subjects(t, pop, 1)[0]
	const openFor = 300 * time.Millisecond
	for _, reg := range slices.Sorted(maps.Keys(owned)) {
		t.Run(reg, func(t *testing.T) {
			t.Parallel()
			cfg := resilience.DefaultConfig()
			cfg.Breaker.ConsecutiveFailures = 3
			cfg.Breaker.FailureRatio = 0
			cfg.Breaker.OpenTimeout = openFor
			// Recovery must be seen by asking the registry, not the cache.
			cfg.Cache.TTL = 0
			window := lifeevents.NewWindow(time.Minute, 6, nil)
			h := newHub(t, pop, cfg, []resilience.GuardOption{resilience.WithBreakerObserver(window.ObserveBreaker)}, nil)
			r := connectors.Registry(reg)

			if err := h.Mocks.Faults(reg).Set(fault.Config{Status: 500}); err != nil {
				t.Fatal(err)
			}
			for i := 0; h.guard.State(r) != "open"; i++ {
				if i == 10 {
					t.Fatalf("circuit %s after 10 failing queries, want open", h.guard.State(r))
				}
				h.Query(t, personQuery, map[string]any{"bsn": bsn})
			}

			h.Mocks.ResetCalls()
			open := h.Query(t, personQuery, map[string]any{"bsn": bsn})
			if n, routes := h.Mocks.Calls(reg); n != 0 {
				t.Fatalf("with the circuit open %d calls reached %s: %v", n, reg, routes)
			}
			checkFaulted(t, pop, bsn, reg, faultCase{code: "UPSTREAM_UNAVAILABLE", retryAfter: 1}, open)
			if s := breakerOf(window, reg); s != lifeevents.BreakerOpen {
				t.Errorf("the health window has the breaker %q, want open", s)
			}

			h.Mocks.ClearFaults()
			deadline := time.Now().Add(10 * openFor)
			for h.guard.State(r) != "half-open" {
				if time.Now().After(deadline) {
					t.Fatalf("circuit still %s long after it should let a probe through", h.guard.State(r))
				}
				time.Sleep(10 * time.Millisecond)
			}
			// A half-open circuit lets one probe through; a query making
			// two calls to the registry may see the second refused. The
			// next query finds the circuit closed.
			var last hubtest.Response
			for range 3 {
				if last = h.Query(t, personQuery, map[string]any{"bsn": bsn}); len(last.Errors) == 0 {
					break
				}
			}
			if len(last.Errors) != 0 || h.guard.State(r) != "closed" {
				t.Fatalf("after recovery: circuit %s, errors %+v", h.guard.State(r), last.Errors)
			}
			if n, _ := h.Mocks.Calls(reg); n == 0 {
				t.Errorf("no call reached %s after recovery", reg)
			}
			if s := breakerOf(window, reg); s != lifeevents.BreakerClosed {
				t.Errorf("the health window has the breaker %q, want closed", s)
			}
		})
	}
}

func breakerOf(w *lifeevents.Window, reg string) string {
	for _, h := range w.Health() {
		if h.Registry == reg {
			return h.Breaker
		}
	}
	return ""
}

// TestCacheRidesOutBAGOutage: open data the hub has seen keeps coming from
// the cache while the BAG is down, without asking it.
func TestCacheRidesOutBAGOutage(t *testing.T) {
	pop := generate(t)
	bsn := subjects(t, pop, 1)[0]
	h := newHub(t, pop, resilience.DefaultConfig(), nil, nil)
	if r := h.Query(t, personQuery, map[string]any{"bsn": bsn}); len(r.Errors) != 0 {
		t.Fatalf("errors %+v", r.Errors)
	}
	h.Mocks.ResetCalls()
	if err := h.Mocks.Faults("BAG").Set(fault.Config{Status: 503}); err != nil {
		t.Fatal(err)
	}
	r := h.Query(t, personQuery, map[string]any{"bsn": bsn})
	if len(r.Errors) != 0 {
		t.Fatalf("with the BAG down and the address cached: errors %+v", r.Errors)
	}
	if n, routes := h.Mocks.Calls("BAG"); n != 0 {
		t.Errorf("%d calls reached the BAG: %v", n, routes)
	}
	stats := map[string]resilience.CacheStats{}
	for _, s := range h.cache.Stats() {
		stats[s.Name] = s
	}
	if s := stats["bag_addresses"]; s.Hits != 1 || s.Misses != 1 {
		t.Errorf("BAG address cache %+v, want 1 miss then 1 hit", s)
	}
	// Personal data is asked every time.
	if n, _ := h.Mocks.Calls("BRP"); n == 0 {
		t.Error("the BRP was not asked again: personal data came from a cache")
	}
	if !strings.Contains(string(r.Data), fmt.Sprintf(`"bsn":"%s"`, bsn)) {
		t.Errorf("data %s", r.Data)
	}
}
