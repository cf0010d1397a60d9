package resilience

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
)

func TestCallBudget(t *testing.T) {
	d := DeadlineConfig{Share: 0.5, Reserve: 20 * time.Millisecond, Min: 100 * time.Millisecond}
	now := time.Now()
	tests := []struct {
		name        string
		left        time.Duration // 0: no deadline
		want        time.Duration
		ok, bounded bool
	}{
		{"no deadline", 0, 0, true, false},
		{"plenty: half of what is left after the reserve", 2020 * time.Millisecond, time.Second, true, true},
		{"half would be below the minimum", 220 * time.Millisecond, 100 * time.Millisecond, true, true},
		{"less than the minimum left: all of it", 80 * time.Millisecond, 60 * time.Millisecond, true, true},
		{"only the reserve left", 20 * time.Millisecond, 0, false, true},
		{"past the deadline", -time.Second, 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.left != 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithDeadline(ctx, now.Add(tt.left))
				defer cancel()
			}
			got, ok, bounded := d.callBudget(ctx, now)
			if got != tt.want || ok != tt.ok || bounded != tt.bounded {
				t.Fatalf("callBudget = %v, %v, %v; want %v, %v, %v", got, ok, bounded, tt.want, tt.ok, tt.bounded)
			}
		})
	}
}

func testConfig() Config {
	c := DefaultConfig()
	c.Breaker.ConsecutiveFailures = 3
	c.Breaker.FailureRatio = 0
	c.Breaker.OpenTimeout = 50 * time.Millisecond
	return c
}

func fail(kind error) func(context.Context) error {
	return func(context.Context) error {
		return &connectors.Error{Registry: "BAG", Operation: "test", Kind: kind}
	}
}

func TestBreakerCountsOnlyUpstreamFaults(t *testing.T) {
	tests := []struct {
		name  string
		call  func(context.Context) error
		ctx   func() context.Context
		opens bool
	}{
		{"unavailable", fail(connectors.ErrUnavailable), nil, true},
		{"timeout", fail(connectors.ErrTimeout), nil, true},
		{"invalid response", fail(connectors.ErrInvalidResponse), nil, true},
		{"an error of no kind", func(context.Context) error { return errors.New("boom") }, nil, true},
		{"not found", fail(connectors.ErrNotFound), nil, false},
		{"invalid request", fail(connectors.ErrInvalidRequest), nil, false},
		{"unauthorized", fail(connectors.ErrUnauthorized), nil, false},
		{"the caller left", fail(connectors.ErrTimeout), func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewGuard(testConfig())
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx()
			}
			for range 10 {
				g.Do(ctx, "BAG", tt.call)
			}
			if got := g.State("BAG") == "open"; got != tt.opens {
				t.Fatalf("state %s after 10 calls, want open: %v", g.State("BAG"), tt.opens)
			}
			if g.State("BRP") != "closed" {
				t.Errorf("BRP's circuit is %s, want closed: registries have their own breaker", g.State("BRP"))
			}
		})
	}
}

func TestBreakerOpensFailsFastAndCloses(t *testing.T) {
	var mu sync.Mutex
	var changes []string
	g := NewGuard(testConfig(), WithBreakerObserver(func(r connectors.Registry, state string) {
		mu.Lock()
		defer mu.Unlock()
		changes = append(changes, string(r)+" "+state)
	}))
	ctx := context.Background()
	for range 3 {
		g.Do(ctx, "BAG", fail(connectors.ErrUnavailable))
	}
	called := false
	err := g.Do(ctx, "BAG", func(context.Context) error { called = true; return nil })
	if called {
		t.Fatal("an open circuit let a call through")
	}
	var ce *connectors.Error
	if !errors.As(err, &ce) || ce.Registry != "BAG" || !errors.Is(err, connectors.ErrUnavailable) || !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("error = %v, want a BAG ErrUnavailable for the open circuit", err)
	}
	if ce.RetryAfter != time.Second {
		t.Errorf("retry after %v, want the 50ms left rounded up to 1s", ce.RetryAfter)
	}

	waitForState(t, g, "BAG", "half-open")
	if err := g.Do(ctx, "BAG", func(context.Context) error { return nil }); err != nil {
		t.Fatalf("probe: %v", err)
	}
	if s := g.State("BAG"); s != "closed" {
		t.Fatalf("state %s after a successful probe, want closed", s)
	}
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(changes, ", "); got != "BAG open, BAG half-open, BAG closed" {
		t.Errorf("observed %s", got)
	}
}

func TestBreakerFailedProbeOpensAgain(t *testing.T) {
	g := NewGuard(testConfig())
	ctx := context.Background()
	for range 3 {
		g.Do(ctx, "NHR", fail(connectors.ErrTimeout))
	}
	waitForState(t, g, "NHR", "half-open")
	g.Do(ctx, "NHR", fail(connectors.ErrTimeout))
	if s := g.State("NHR"); s != "open" {
		t.Fatalf("state %s after a failed probe, want open", s)
	}
}

func TestBreakerFailureRatio(t *testing.T) {
	c := testConfig()
	c.Breaker.ConsecutiveFailures = 100
	c.Breaker.FailureRatio = 0.5
	c.Breaker.MinRequests = 10
	g := NewGuard(c)
	ctx := context.Background()
	ok := func(context.Context) error { return nil }
	// Alternating: never three failures in a row, but half of them fail.
	for i := range 9 {
		if i%2 == 0 {
			g.Do(ctx, "UWV", fail(connectors.ErrUnavailable))
		} else {
			g.Do(ctx, "UWV", ok)
		}
	}
	if s := g.State("UWV"); s != "closed" {
		t.Fatalf("state %s after 9 calls, below the minimum of 10", s)
	}
	g.Do(ctx, "UWV", fail(connectors.ErrUnavailable))
	if s := g.State("UWV"); s != "open" {
		t.Fatalf("state %s with 6 of 10 calls failed, want open", s)
	}
}

func TestBreakerDisabled(t *testing.T) {
	c := testConfig()
	c.Breaker.Disabled = true
	g := NewGuard(c)
	calls := 0
	for range 10 {
		g.Do(context.Background(), "RDW", func(context.Context) error {
			calls++
			return &connectors.Error{Registry: "RDW", Kind: connectors.ErrUnavailable}
		})
	}
	if calls != 10 || g.State("RDW") != "closed" {
		t.Fatalf("%d calls made, state %s; want all 10, closed", calls, g.State("RDW"))
	}
}

func waitForState(t *testing.T, g *Guard, r connectors.Registry, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for g.State(r) != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s circuit still %s, want %s", r, g.State(r), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// hold starts n calls that stay in flight until release is closed.
func hold(g *Guard, r connectors.Registry, n int, release <-chan struct{}) *sync.WaitGroup {
	var started, wg sync.WaitGroup
	for range n {
		started.Add(1)
		wg.Go(func() {
			g.Do(context.Background(), r, func(context.Context) error {
				started.Done()
				<-release
				return nil
			})
		})
	}
	started.Wait()
	return &wg
}

func TestBulkheadFull(t *testing.T) {
	c := testConfig()
	c.Bulkhead = BulkheadConfig{MaxConcurrent: 2}
	m := NewMetrics()
	g := NewGuard(c, WithMetrics(m))
	release := make(chan struct{})
	wg := hold(g, "BRP", 2, release)
	if n := g.InFlight("BRP"); n != 2 {
		t.Fatalf("%d in flight, want 2", n)
	}
	for range 5 {
		called := false
		err := g.Do(context.Background(), "BRP", func(context.Context) error { called = true; return nil })
		var ce *connectors.Error
		if called || !errors.As(err, &ce) || ce.Registry != "BRP" || !errors.Is(err, connectors.ErrUnavailable) || !errors.Is(err, ErrBulkheadFull) {
			t.Fatalf("with the bulkhead full: called %v, error %v; want a BRP ErrUnavailable, bulkhead full", called, err)
		}
		if !strings.Contains(err.Error(), "bulkhead full") {
			t.Errorf("error %q does not say bulkhead full", err)
		}
	}
	if err := g.Do(context.Background(), "BAG", func(context.Context) error { return nil }); err != nil {
		t.Errorf("another registry's bulkhead: %v", err)
	}
	close(release)
	wg.Wait()
	if s := g.State("BRP"); s != "closed" {
		t.Errorf("refusals by the bulkhead opened the circuit: %s", s)
	}
	if n := g.InFlight("BRP"); n != 0 {
		t.Errorf("%d in flight after all returned", n)
	}
	body := scrape(t, m)
	for _, want := range []string{
		`poort_guard_refusals_total{reason="bulkhead_full",registry="BRP"} 5`,
		`poort_bulkhead_in_flight{registry="BRP"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestBulkheadQueue(t *testing.T) {
	c := testConfig()
	c.Bulkhead = BulkheadConfig{MaxConcurrent: 1, Queue: 1, QueueTimeout: 10 * time.Second}
	g := NewGuard(c)
	release := make(chan struct{})
	wg := hold(g, "UWV", 1, release)

	queued := make(chan error, 1)
	go func() {
		queued <- g.Do(context.Background(), "UWV", func(context.Context) error { return nil })
	}()
	// Wait until the second call waits in the queue; a third finds the
	// queue full.
	deadline := time.Now().Add(5 * time.Second)
	for g.protection("UWV").bulkhead.waiting.Load() != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the second call never queued")
		}
		time.Sleep(time.Millisecond)
	}
	if err := g.Do(context.Background(), "UWV", func(context.Context) error { return nil }); !errors.Is(err, ErrBulkheadFull) {
		t.Fatalf("third call: %v, want bulkhead full", err)
	}
	close(release)
	wg.Wait()
	if err := <-queued; err != nil {
		t.Fatalf("the queued call: %v, want it to run once a slot was free", err)
	}
}

func TestBulkheadQueueEndsWithTheRequest(t *testing.T) {
	c := testConfig()
	c.Bulkhead = BulkheadConfig{MaxConcurrent: 1, Queue: 5, QueueTimeout: time.Minute}
	c.Deadline.Min = 0
	g := NewGuard(c)
	release := make(chan struct{})
	defer close(release)
	hold(g, "RDW", 1, release)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := g.Do(ctx, "RDW", func(context.Context) error { return nil })
	if !errors.Is(err, connectors.ErrTimeout) {
		t.Fatalf("error = %v, want a timeout when the request ends in the queue", err)
	}
}

func TestGuardSplitsTheDeadline(t *testing.T) {
	g := NewGuard(testConfig())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	reqDeadline, _ := ctx.Deadline()
	var callDeadline time.Time
	err := g.Do(ctx, "BRP", func(ctx context.Context) error {
		callDeadline, _ = ctx.Deadline()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Half of what is left after the reserve: the call must end at least
	// a second before the request does.
	if left := reqDeadline.Sub(callDeadline); left < 990*time.Millisecond {
		t.Errorf("the call may run until %v before the request's deadline, want about a second", left)
	}

	short, cancel2 := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel2()
	called := false
	err = g.Do(short, "BRP", func(context.Context) error { called = true; return nil })
	if called || !errors.Is(err, connectors.ErrTimeout) || !errors.Is(err, ErrNoTimeLeft) {
		t.Fatalf("with 10ms left: called %v, error %v; want no call and a timeout", called, err)
	}
	if g.State("BRP") != "closed" {
		t.Error("a call refused for lack of time counted against the registry")
	}
}

func TestMetricsHandler(t *testing.T) {
	m := NewMetrics()
	// A registry the guard protects from the start shows before any call.
	g := NewGuard(testConfig(), WithMetrics(m), ForRegistries("BRP", "BAG"))
	ctx := context.Background()
	obs := connectors.Observers(m, nil)
	for range 3 {
		err := g.Do(ctx, "BAG", fail(connectors.ErrUnavailable))
		obs.ObserveCall(ctx, connectors.Call{Registry: "BAG", Operation: "bevraagAdressenMetNumId",
			Duration: 3 * time.Millisecond, Attempts: 3, Err: err})
	}
	g.Do(ctx, "BAG", func(context.Context) error { return nil })
	body := scrape(t, m)
	if strings.Contains(body, `state="closed"`) {
		t.Errorf("a circuit that never changed counts a transition: %s", body)
	}
	for _, want := range []string{
		`poort_upstream_calls_total{operation="bevraagAdressenMetNumId",registry="BAG"} 3`,
		`poort_upstream_errors_total{kind="unavailable",registry="BAG"} 3`,
		`poort_upstream_retries_total{registry="BAG"} 6`,
		`poort_upstream_call_duration_seconds_count{registry="BAG"} 3`,
		`poort_breaker_state{registry="BAG"} 2`,
		`poort_breaker_state{registry="BRP"} 0`,
		`poort_breaker_transitions_total{registry="BAG",state="open"} 1`,
		`poort_bulkhead_in_flight{registry="BAG"} 0`,
		`poort_guard_refusals_total{reason="circuit_open",registry="BAG"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	if rec.Code != 200 {
		t.Fatalf("GET /metrics = %d", rec.Code)
	}
	return string(b)
}

func TestKind(t *testing.T) {
	for kind, want := range map[error]string{
		connectors.ErrNotFound: "not_found", connectors.ErrInvalidRequest: "invalid_request",
		connectors.ErrUnauthorized: "unauthorized", connectors.ErrUnavailable: "unavailable",
		connectors.ErrTimeout: "timeout", connectors.ErrInvalidResponse: "invalid_response",
		connectors.ErrNotOffered: "not_offered",
	} {
		if got := connectors.KindOf(&connectors.Error{Registry: "BRP", Kind: kind}); got != want {
			t.Errorf("connectors.KindOf(%v) = %s, want %s", kind, got, want)
		}
	}
	if got := connectors.KindOf(errors.New("x")); got != "other" {
		t.Errorf("connectors.KindOf(plain error) = %s", got)
	}
}
