package lifeevents

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/poort-nl/poort/connectors"
)

// Breaker states as RegistryHealth reports them.
const (
	BreakerClosed   = "closed"
	BreakerHalfOpen = "half-open"
	BreakerOpen     = "open"
)

// RegistryHealth is what the hub observed of one registry's connector over
// a recent window.
type RegistryHealth struct {
	Registry string
	// ErrorRate is the share of calls that failed, 0 to 1.
	ErrorRate float64
	// P95 is the 95th percentile of call duration, retries included.
	P95 time.Duration
	// Breaker is the circuit breaker's state: closed, half-open or open;
	// empty when no breaker reported.
	Breaker string
	// Calls is the number of calls in the window.
	Calls int
	// Window is how far back the figures reach.
	Window time.Duration
}

// registryHealthJSON names the fields as the schema's RegistryHealth does,
// durations in milliseconds with the unit in the key.
type registryHealthJSON struct {
	Registry  string  `json:"registry"`
	ErrorRate float64 `json:"errorRate"`
	P95Ms     float64 `json:"p95Ms"`
	Breaker   string  `json:"breaker,omitempty"`
	Calls     int     `json:"calls"`
	WindowMs  float64 `json:"windowMs"`
}

// MarshalJSON writes the schema's field names, durations in milliseconds.
func (h RegistryHealth) MarshalJSON() ([]byte, error) {
	return json.Marshal(registryHealthJSON{h.Registry, h.ErrorRate, ms(h.P95), h.Breaker, h.Calls, ms(h.Window)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (h *RegistryHealth) UnmarshalJSON(b []byte) error {
	var j registryHealthJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	p95, err := fromMs("p95Ms", j.P95Ms)
	if err != nil {
		return err
	}
	window, err := fromMs("windowMs", j.WindowMs)
	if err != nil {
		return err
	}
	*h = RegistryHealth{Registry: j.Registry, ErrorRate: j.ErrorRate, P95: p95, Breaker: j.Breaker, Calls: j.Calls, Window: window}
	return nil
}

// ms is a duration in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// fromMs reads a duration in milliseconds, refusing a negative one.
func fromMs(key string, v float64) (time.Duration, error) {
	if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s: want a duration in milliseconds of at least 0, got %v", key, v)
	}
	return time.Duration(v * float64(time.Millisecond)), nil
}

// Window aggregates the upstream calls of the connectors per registry over
// a recent window, in time buckets, and reports them as RegistryHealth. It
// implements connectors.Observer; give it to every connector's Config. It
// is safe for concurrent use, and an observation takes a short lock and
// never blocks on I/O.
//
// A call counts as failed when it returned an error other than
// connectors.ErrNotFound (an answer, not a fault), connectors.ErrInvalidRequest
// (a fault of the request, not of the registry) or a cancellation by the
// caller.
type Window struct {
	span  time.Duration
	width time.Duration
	now   func() time.Time
	// registries are listed by Health whether observed or not.
	registries []string

	mu       sync.Mutex
	rings    map[string][]bucket
	breakers map[string]string
}

// bucket holds the calls of one time slot.
type bucket struct {
	slot     int64 // the slot's number: time since the epoch over the bucket width
	calls    int
	failures int
	hist     [latencyBins]uint32
}

// Latency is kept as a histogram with bins growing by a quarter from 1 ms
// to about 70 s, so a percentile is exact to within 25 % and a bucket has
// a fixed size however many calls it counts.
const (
	latencyBins   = 51
	latencyGrowth = 1.25
	latencyBase   = time.Millisecond
)

func latencyBin(d time.Duration) int {
	if d <= latencyBase {
		return 0
	}
	i := int(math.Ceil(math.Log(float64(d)/float64(latencyBase)) / math.Log(latencyGrowth)))
	return min(i, latencyBins-1)
}

// latencyBound is the upper bound of a bin.
func latencyBound(i int) time.Duration {
	return time.Duration(float64(latencyBase) * math.Pow(latencyGrowth, float64(i)))
}

// NewWindow returns a window over the last span, kept in the given number
// of buckets: observations expire a bucket at a time, so the window reaches
// back between span minus one bucket and span. A span of zero means five
// minutes, zero buckets mean ten, and a nil clock means time.Now. Health
// lists the registries given first, observed or not.
func NewWindow(span time.Duration, buckets int, now func() time.Time, registries ...string) *Window {
	if span <= 0 {
		span = 5 * time.Minute
	}
	if buckets <= 0 {
		buckets = 10
	}
	if now == nil {
		now = time.Now
	}
	width := span / time.Duration(buckets)
	if width <= 0 {
		width = 1
	}
	return &Window{
		span: span, width: width, now: now, registries: registries,
		rings: map[string][]bucket{}, breakers: map[string]string{},
	}
}

// Span returns how far back the window reaches.
func (w *Window) Span() time.Duration { return w.span }

func (w *Window) slots() int64 { return int64(w.span / w.width) }

// ObserveCall records one finished upstream call.
func (w *Window) ObserveCall(_ context.Context, c connectors.Call) {
	failed := callFailed(c.Err)
	slot := w.now().UnixNano() / int64(w.width)
	reg := string(c.Registry)

	w.mu.Lock()
	defer w.mu.Unlock()
	ring, ok := w.rings[reg]
	if !ok {
		ring = make([]bucket, w.slots())
		w.rings[reg] = ring
	}
	b := &ring[mod(slot, w.slots())]
	if b.slot != slot {
		*b = bucket{slot: slot}
	}
	b.calls++
	if failed {
		b.failures++
	}
	b.hist[latencyBin(c.Duration)]++
}

// ObserveBreaker records the state of a registry's circuit breaker:
// closed, half-open or open. The breaker calls it on every transition.
func (w *Window) ObserveBreaker(r connectors.Registry, state string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.breakers[string(r)] = state
}

func mod(a, n int64) int64 {
	if m := a % n; m >= 0 {
		return m
	}
	return a%n + n
}

func callFailed(err error) bool {
	switch {
	case err == nil,
		errors.Is(err, connectors.ErrNotFound),
		errors.Is(err, connectors.ErrInvalidRequest),
		errors.Is(err, context.Canceled):
		return false
	}
	return true
}

// Health returns the health of every registry the window was made for,
// and of any other registry observed, over the window ending now.
func (w *Window) Health() []RegistryHealth {
	cur := w.now().UnixNano() / int64(w.width)
	oldest := cur - w.slots() + 1

	w.mu.Lock()
	defer w.mu.Unlock()
	names := make([]string, 0, len(w.rings)+len(w.breakers))
	names = append(names, w.registries...)
	var extra []string
	for r := range w.rings {
		extra = append(extra, r)
	}
	for r := range w.breakers {
		extra = append(extra, r)
	}
	sort.Strings(extra)
	for _, r := range extra {
		if !slices.Contains(names, r) {
			names = append(names, r)
		}
	}

	out := make([]RegistryHealth, 0, len(names))
	for _, r := range names {
		h := RegistryHealth{Registry: r, Breaker: w.breakers[r], Window: w.span}
		var failures int
		var hist [latencyBins]uint32
		for _, b := range w.rings[r] {
			if b.slot < oldest || b.slot > cur || b.calls == 0 {
				continue
			}
			h.Calls += b.calls
			failures += b.failures
			for i, n := range b.hist {
				hist[i] += n
			}
		}
		if h.Calls > 0 {
			h.ErrorRate = float64(failures) / float64(h.Calls)
			h.P95 = percentile(hist[:], h.Calls, 0.95)
		}
		out = append(out, h)
	}
	return out
}

// percentile returns the upper bound of the bin holding the q-th
// quantile of n observations.
func percentile(hist []uint32, n int, q float64) time.Duration {
	rank := uint64(math.Ceil(q * float64(n)))
	var seen uint64
	for i, c := range hist {
		seen += uint64(c)
		if seen >= rank {
			return latencyBound(i)
		}
	}
	return latencyBound(len(hist) - 1)
}

var _ connectors.Observer = (*Window)(nil)
