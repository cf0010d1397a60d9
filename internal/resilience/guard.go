package resilience

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/poort-nl/poort/connectors"
)

// The causes of the errors the guard returns itself, wrapped in a
// *connectors.Error of the registry: errors.Is(err, ErrCircuitOpen) and
// errors.Is(err, connectors.ErrUnavailable) both hold for a refusal by an
// open circuit.
var (
	// ErrCircuitOpen: the registry's circuit is open (or half-open and
	// already probing), so the call was not made. Kind ErrUnavailable.
	ErrCircuitOpen = errors.New("circuit open")
	// ErrBulkheadFull: the registry has as many calls in flight as it may,
	// and the queue was full or the wait ran out. Kind ErrUnavailable.
	ErrBulkheadFull = errors.New("bulkhead full")
	// ErrNoTimeLeft: the request has no time left for another call. Kind
	// ErrTimeout.
	ErrNoTimeLeft = errors.New("no time left for the call")
)

// guardOperation names the guard as the operation in the errors it makes,
// as it does not know which registry operation it refused.
const guardOperation = "guard"

// Guard wraps every upstream call of a registry in a deadline split from
// the request's, a circuit breaker and a bulkhead. It implements
// connectors.Guard: give it to every connector's Config (server.Options
// Guard). It is safe for concurrent use.
type Guard struct {
	cfg      Config
	metrics  *Metrics
	onChange func(connectors.Registry, string)
	now      func() time.Time
	// registries are protected from the start.
	registries []connectors.Registry

	mu    sync.Mutex
	byReg atomic.Pointer[map[connectors.Registry]*protection]
}

// protection is what guards one registry.
type protection struct {
	registry connectors.Registry
	breaker  *gobreaker.TwoStepCircuitBreaker[struct{}]
	bulkhead *bulkhead
	// openedAt is when the circuit last opened, in Unix nanoseconds.
	openedAt atomic.Int64
}

// GuardOption adjusts a Guard.
type GuardOption func(*Guard)

// WithMetrics reports breaker states, bulkhead use and refusals as metrics.
func WithMetrics(m *Metrics) GuardOption { return func(g *Guard) { g.metrics = m } }

// WithBreakerObserver calls fn on every change of a registry's circuit,
// with the new state: "closed", "half-open" or "open", as
// lifeevents.Window.ObserveBreaker takes them. fn runs while the breaker
// holds its lock: it must be quick and must not call the Guard.
func WithBreakerObserver(fn func(r connectors.Registry, state string)) GuardOption {
	return func(g *Guard) { g.onChange = fn }
}

// ForRegistries protects the registries from the start, so their breakers
// and bulkheads show in the metrics before their first call.
func ForRegistries(rs ...connectors.Registry) GuardOption {
	return func(g *Guard) { g.registries = append(g.registries, rs...) }
}

// NewGuard builds a guard for the registries of ForRegistries; calls to
// any other registry get their own protection on first use.
func NewGuard(cfg Config, opts ...GuardOption) *Guard {
	g := &Guard{cfg: cfg, now: time.Now}
	for _, o := range opts {
		o(g)
	}
	m := map[connectors.Registry]*protection{}
	for _, r := range g.registries {
		m[r] = g.newProtection(r)
	}
	g.byReg.Store(&m)
	return g
}

func (g *Guard) newProtection(r connectors.Registry) *protection {
	b := g.cfg.Bulkhead
	p := &protection{registry: r, bulkhead: newBulkhead(b.maxConcurrent(r), b.Queue, b.QueueTimeout)}
	g.metrics.breakerState(r, gobreaker.StateClosed, false)
	if g.cfg.Breaker.Disabled {
		return p
	}
	bc := g.cfg.Breaker
	st := gobreaker.Settings{
		Name:        string(r),
		MaxRequests: bc.HalfOpenRequests,
		Interval:    bc.Interval,
		Timeout:     bc.OpenTimeout,
		ReadyToTrip: func(c gobreaker.Counts) bool {
			if bc.ConsecutiveFailures > 0 && c.ConsecutiveFailures >= bc.ConsecutiveFailures {
				return true
			}
			counted := c.TotalSuccesses + c.TotalFailures
			return bc.FailureRatio > 0 && counted >= bc.MinRequests &&
				float64(c.TotalFailures) >= bc.FailureRatio*float64(counted)
		},
		IsSuccessful: func(err error) bool { return err == nil },
		IsExcluded:   func(err error) bool { return err == errExcluded },
		OnStateChange: func(_ string, _, to gobreaker.State) {
			if to == gobreaker.StateOpen {
				p.openedAt.Store(g.now().UnixNano())
			}
			g.metrics.breakerState(r, to, true)
			if g.onChange != nil {
				g.onChange(r, to.String())
			}
		},
	}
	if bc.Interval > 0 {
		// A rolling window, so a burst of failures ages out gradually
		// instead of all at once at the end of a fixed interval.
		st.BucketPeriod = bc.Interval / 10
	}
	p.breaker = gobreaker.NewTwoStepCircuitBreaker[struct{}](st)
	return p
}

// protection returns the registry's protection, making it on first use.
func (g *Guard) protection(r connectors.Registry) *protection {
	if p, ok := (*g.byReg.Load())[r]; ok {
		return p
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	old := *g.byReg.Load()
	if p, ok := old[r]; ok {
		return p
	}
	m := make(map[connectors.Registry]*protection, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	p := g.newProtection(r)
	m[r] = p
	g.byReg.Store(&m)
	return p
}

// The outcomes the guard reports to a breaker.
var (
	errFault    = errors.New("upstream fault")
	errExcluded = errors.New("not the registry's doing")
)

// Do runs call for registry r. In order: it refuses the call when the
// request has no time left (ErrTimeout); when the circuit is open
// (ErrUnavailable, with RetryAfter until the circuit lets a probe
// through); when the bulkhead stays full (ErrUnavailable). Otherwise it
// runs call with a deadline split from the request's (see DeadlineConfig)
// and tells the breaker whether the registry failed. It returns call's
// error unchanged.
func (g *Guard) Do(ctx context.Context, r connectors.Registry, call func(context.Context) error) error {
	if _, ok, _ := g.cfg.Deadline.callBudget(ctx, g.now()); !ok {
		return g.refuse(r, connectors.ErrTimeout, ErrNoTimeLeft, 0)
	}
	p := g.protection(r)
	var done func(error)
	if p.breaker != nil {
		d, err := p.breaker.Allow()
		if err != nil {
			g.metrics.refused(r, "circuit_open")
			return g.refuse(r, connectors.ErrUnavailable, ErrCircuitOpen, p.retryAfter(g.cfg.Breaker.OpenTimeout, g.now()))
		}
		done = d
	}
	report := func(err error) {
		if done != nil {
			done(err)
		}
	}
	if !p.bulkhead.acquire(ctx) {
		report(errExcluded)
		if ctx.Err() != nil {
			return g.refuse(r, connectors.ErrTimeout, ErrNoTimeLeft, 0)
		}
		g.metrics.refused(r, "bulkhead_full")
		return g.refuse(r, connectors.ErrUnavailable, ErrBulkheadFull, 0)
	}
	g.metrics.inFlight(r, 1)
	defer func() {
		p.bulkhead.release()
		g.metrics.inFlight(r, -1)
	}()
	// The budget is taken after the wait for a slot, which spent some of
	// the request's time.
	budget, ok, bounded := g.cfg.Deadline.callBudget(ctx, g.now())
	if !ok {
		report(errExcluded)
		return g.refuse(r, connectors.ErrTimeout, ErrNoTimeLeft, 0)
	}
	callCtx := ctx
	if bounded {
		var cancel context.CancelFunc
		callCtx, cancel = context.WithTimeout(ctx, budget)
		defer cancel()
	}
	err := call(callCtx)
	report(outcome(ctx, err))
	return err
}

// outcome says what a call's error means for the breaker: only upstream
// faults count against the registry; its answers (not found, a refused
// request or credentials) count for it; a caller that gave up says nothing
// about it.
func outcome(ctx context.Context, err error) error {
	switch {
	case err == nil,
		errors.Is(err, connectors.ErrNotFound),
		errors.Is(err, connectors.ErrInvalidRequest),
		errors.Is(err, connectors.ErrUnauthorized):
		return nil
	case errors.Is(ctx.Err(), context.Canceled):
		return errExcluded
	}
	return errFault
}

func (g *Guard) refuse(r connectors.Registry, kind, cause error, retryAfter time.Duration) error {
	return &connectors.Error{Registry: r, Operation: guardOperation, Kind: kind, Err: cause, RetryAfter: retryAfter}
}

// retryAfter is the time until an open circuit lets a probe through,
// rounded up to whole seconds as Retry-After is, and zero when unknown.
func (p *protection) retryAfter(open time.Duration, now time.Time) time.Duration {
	at := p.openedAt.Load()
	if at == 0 {
		return 0
	}
	left := time.Unix(0, at).Add(open).Sub(now)
	if left <= 0 {
		return 0
	}
	return (left + time.Second - 1).Truncate(time.Second)
}

// State returns the circuit state of the registry: "closed", "half-open"
// or "open"; "closed" when the breaker is disabled.
func (g *Guard) State(r connectors.Registry) string {
	p := g.protection(r)
	if p.breaker == nil {
		return gobreaker.StateClosed.String()
	}
	return p.breaker.State().String()
}

// InFlight returns the calls to the registry that hold a bulkhead slot.
func (g *Guard) InFlight(r connectors.Registry) int { return g.protection(r).bulkhead.inUse() }

var _ connectors.Guard = (*Guard)(nil)
