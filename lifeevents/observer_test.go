package lifeevents

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
)

// clock is a settable clock for windows under test.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func healthOf(t *testing.T, w *Window, reg string) RegistryHealth {
	t.Helper()
	for _, h := range w.Health() {
		if h.Registry == reg {
			return h
		}
	}
	t.Fatalf("no health for %s", reg)
	return RegistryHealth{}
}

func TestWindowConcurrent(t *testing.T) {
	clk := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	w := NewWindow(time.Minute, 6, clk.Now)
	ctx := context.Background()
	const goroutines, calls = 16, 200
	regs := schemaRegistries(t)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reg := regs[g%len(regs)]
			for i := range calls {
				c := connectors.Call{Registry: reg, Duration: time.Duration(i%10+1) * time.Millisecond}
				if i%4 == 0 {
					c.Err = &connectors.Error{Registry: reg, Kind: connectors.ErrTimeout}
				}
				w.ObserveCall(ctx, c)
				if i%50 == 0 {
					_ = w.Health()
					w.ObserveBreaker(reg, BreakerClosed)
				}
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, h := range w.Health() {
		total += h.Calls
		if h.Calls > 0 && h.ErrorRate != 0.25 {
			t.Errorf("%s: error rate %v, want 0.25", h.Registry, h.ErrorRate)
		}
		if h.Breaker != BreakerClosed {
			t.Errorf("%s: breaker %q", h.Registry, h.Breaker)
		}
	}
	if total != goroutines*calls {
		t.Errorf("%d calls, want %d", total, goroutines*calls)
	}
}

func TestWindowExpiry(t *testing.T) {
	clk := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	w := NewWindow(time.Minute, 6, clk.Now) // buckets of 10 s
	ctx := context.Background()
	observe := func(n int, err error) {
		for range n {
			w.ObserveCall(ctx, connectors.Call{Registry: "BAG", Duration: 20 * time.Millisecond, Err: err})
		}
	}
	failure := &connectors.Error{Registry: "BAG", Kind: connectors.ErrUnavailable}

	observe(10, failure) // 09:00:00
	clk.Add(30 * time.Second)
	observe(30, nil) // 09:00:30
	if h := healthOf(t, w, "BAG"); h.Calls != 40 || h.ErrorRate != 0.25 || h.Window != time.Minute {
		t.Fatalf("after 30 s: %+v", h)
	}
	clk.Add(30 * time.Second) // 09:01:00: the 09:00:00 bucket has left the window
	if h := healthOf(t, w, "BAG"); h.Calls != 30 || h.ErrorRate != 0 {
		t.Fatalf("after 60 s: %+v", h)
	}
	clk.Add(25 * time.Second) // 09:01:25: the 09:00:30 bucket is still in
	if h := healthOf(t, w, "BAG"); h.Calls != 30 {
		t.Fatalf("after 85 s: %+v", h)
	}
	clk.Add(5 * time.Second) // 09:01:30: now it has left too
	if h := healthOf(t, w, "BAG"); h.Calls != 0 || h.ErrorRate != 0 || h.P95 != 0 {
		t.Fatalf("after 90 s: %+v", h)
	}
	// A bucket reused after a full turn of the ring starts empty.
	clk.Add(2 * time.Minute)
	observe(5, failure)
	if h := healthOf(t, w, "BAG"); h.Calls != 5 || h.ErrorRate != 1 {
		t.Fatalf("after a turn: %+v", h)
	}
}

func TestWindowCountsFailures(t *testing.T) {
	// The window lists the registries it is made for before any call.
	w := NewWindow(0, 0, nil, "BRP", "RDW")
	if w.Span() != 5*time.Minute {
		t.Errorf("default span %s", w.Span())
	}
	ctx := context.Background()
	for _, err := range []error{
		nil,
		&connectors.Error{Kind: connectors.ErrNotFound},
		&connectors.Error{Kind: connectors.ErrInvalidRequest},
		context.Canceled,
		&connectors.Error{Kind: connectors.ErrTimeout},
		&connectors.Error{Kind: connectors.ErrInvalidResponse},
		&connectors.Error{Kind: connectors.ErrUnauthorized},
		fmt.Errorf("connection reset"),
	} {
		w.ObserveCall(ctx, connectors.Call{Registry: "RDW", Err: err})
	}
	if h := healthOf(t, w, "RDW"); h.Calls != 8 || h.ErrorRate != 0.5 {
		t.Errorf("RDW: %+v, want 8 calls half failed", h)
	}
	if h := healthOf(t, w, "BRP"); h.Calls != 0 {
		t.Errorf("BRP: %+v", h)
	}
}

func TestWindowP95(t *testing.T) {
	w := NewWindow(time.Minute, 1, nil)
	ctx := context.Background()
	for i := range 100 {
		d := 10 * time.Millisecond
		if i >= 94 {
			d = 3 * time.Second
		}
		w.ObserveCall(ctx, connectors.Call{Registry: "NHR", Duration: d})
	}
	h := healthOf(t, w, "NHR")
	if h.P95 < 3*time.Second || h.P95 > 3*time.Second*5/4 {
		t.Errorf("p95 = %s, want 3 s within a bin", h.P95)
	}
	if c, _ := DefaultThresholds().Judge(h); c != Degraded {
		t.Errorf("condition %s, want degraded", c)
	}
	w2 := NewWindow(time.Minute, 1, nil)
	for range 100 {
		w2.ObserveCall(ctx, connectors.Call{Registry: "NHR", Duration: 10 * time.Millisecond})
	}
	if h := healthOf(t, w2, "NHR"); h.P95 < 10*time.Millisecond || h.P95 > 10*time.Millisecond*5/4 {
		t.Errorf("p95 = %s, want 10 ms within a bin", h.P95)
	}
}
