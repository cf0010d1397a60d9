package resilience

import (
	"context"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/sony/gobreaker/v2"

	"github.com/poort-nl/poort/connectors"
)

// Metrics exports what the connector layer does as Prometheus metrics, on a
// registry of its own (never the global one):
//
//	poort_upstream_calls_total{registry,operation}      calls, retries included as one
//	poort_upstream_errors_total{registry,kind}          failed calls by kind
//	poort_upstream_call_duration_seconds{registry}      call latency, retries included
//	poort_upstream_retries_total{registry}              HTTP attempts beyond the first
//	poort_breaker_state{registry}                       0 closed, 1 half-open, 2 open
//	poort_breaker_transitions_total{registry,state}     changes into each state
//	poort_bulkhead_in_flight{registry}                  calls holding a bulkhead slot
//	poort_guard_refusals_total{registry,reason}         calls refused: circuit_open, bulkhead_full
//	poort_cache_lookups_total{cache,result}             cache hits and misses per operation
//
// and the Go runtime and process collectors. It implements
// connectors.Observer; a nil *Metrics records nothing.
type Metrics struct {
	reg         *prometheus.Registry
	calls       *prometheus.CounterVec
	errs        *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	retries     *prometheus.CounterVec
	breaker     *prometheus.GaugeVec
	transitions *prometheus.CounterVec
	inUse       *prometheus.GaugeVec
	refusals    *prometheus.CounterVec
	cache       *prometheus.CounterVec
}

// NewMetrics makes the metrics and their registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "poort_upstream_calls_total", Help: "Registry calls made by the connectors; a call's retries count as one call.",
		}, []string{"registry", "operation"}),
		errs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "poort_upstream_errors_total", Help: "Registry calls that failed, by kind of failure.",
		}, []string{"registry", "kind"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "poort_upstream_call_duration_seconds", Help: "Duration of registry calls, retries included.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}, []string{"registry"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "poort_upstream_retries_total", Help: "HTTP attempts beyond the first of each registry call.",
		}, []string{"registry"}),
		breaker: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "poort_breaker_state", Help: "Circuit breaker state per registry: 0 closed, 1 half-open, 2 open.",
		}, []string{"registry"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "poort_breaker_transitions_total", Help: "Circuit breaker changes per registry into each state.",
		}, []string{"registry", "state"}),
		inUse: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "poort_bulkhead_in_flight", Help: "Registry calls holding a bulkhead slot.",
		}, []string{"registry"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "poort_guard_refusals_total", Help: "Registry calls the guard refused: circuit_open or bulkhead_full.",
		}, []string{"registry", "reason"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "poort_cache_lookups_total", Help: "Cache look-ups per cached operation, by result: hit or miss.",
		}, []string{"cache", "result"}),
	}
	m.reg.MustRegister(m.calls, m.errs, m.latency, m.retries, m.breaker, m.transitions, m.inUse, m.refusals, m.cache,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry returns the metrics' registry, for other parts of the hub to
// register their own collectors on.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus exposition format; mount it
// at GET /metrics.
func (m *Metrics) Handler() http.Handler {
	// A collector that fails (the outbox gauges without a store) leaves
	// out its own metrics, not the others.
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, ErrorHandling: promhttp.ContinueOnError})
}

// ObserveCall records one finished registry call.
func (m *Metrics) ObserveCall(_ context.Context, c connectors.Call) {
	if m == nil {
		return
	}
	reg := string(c.Registry)
	m.calls.WithLabelValues(reg, c.Operation).Inc()
	m.latency.WithLabelValues(reg).Observe(c.Duration.Seconds())
	if c.Attempts > 1 {
		m.retries.WithLabelValues(reg).Add(float64(c.Attempts - 1))
	}
	if c.Err != nil {
		m.errs.WithLabelValues(reg, connectors.KindOf(c.Err)).Inc()
	}
}

// breakerState records a circuit's state; a change also counts as a
// transition, the state a circuit starts in does not.
func (m *Metrics) breakerState(r connectors.Registry, s gobreaker.State, change bool) {
	if m == nil {
		return
	}
	v := map[gobreaker.State]float64{gobreaker.StateClosed: 0, gobreaker.StateHalfOpen: 1, gobreaker.StateOpen: 2}[s]
	m.breaker.WithLabelValues(string(r)).Set(v)
	if change {
		m.transitions.WithLabelValues(string(r), s.String()).Inc()
	}
}

func (m *Metrics) inFlight(r connectors.Registry, delta float64) {
	if m != nil {
		m.inUse.WithLabelValues(string(r)).Add(delta)
	}
}

func (m *Metrics) refused(r connectors.Registry, reason string) {
	if m != nil {
		m.refusals.WithLabelValues(string(r), reason).Inc()
	}
}

func (m *Metrics) cacheLookup(cache string, hit bool) {
	if m == nil {
		return
	}
	result := "miss"
	if hit {
		result = "hit"
	}
	m.cache.WithLabelValues(cache, result).Inc()
}

var _ connectors.Observer = (*Metrics)(nil)
