package resilience

import (
	"fmt"
	"strconv"
	"time"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/internal/envconfig"
)

// Config configures the guard and the cache. The zero value is not useful;
// start from DefaultConfig or LoadConfig.
type Config struct {
	Breaker  BreakerConfig
	Bulkhead BulkheadConfig
	Deadline DeadlineConfig
	Cache    CacheConfig
}

// BreakerConfig configures the circuit breaker of each registry. Only
// upstream faults count against a registry: unavailable (5xx, 429, refused
// connections), timeouts and invalid responses. Not-found, a refused
// request and refused credentials are answers of a working registry.
type BreakerConfig struct {
	// Disabled lets every call through (POORT_BREAKER_DISABLED).
	Disabled bool
	// ConsecutiveFailures opens the circuit after this many upstream faults
	// in a row (POORT_BREAKER_FAILURES).
	ConsecutiveFailures uint32
	// FailureRatio opens the circuit when at least this share of the calls
	// in the interval failed, once there were MinRequests of them
	// (POORT_BREAKER_FAILURE_RATIO, POORT_BREAKER_MIN_REQUESTS). A ratio
	// of zero switches this rule off.
	FailureRatio float64
	MinRequests  uint32
	// Interval is the rolling window over which a closed circuit counts
	// calls, kept in ten buckets (POORT_BREAKER_INTERVAL).
	Interval time.Duration
	// OpenTimeout is how long an open circuit refuses calls before it lets
	// probes through (POORT_BREAKER_OPEN_TIMEOUT).
	OpenTimeout time.Duration
	// HalfOpenRequests is how many probes a half-open circuit lets through
	// at once; that many successes in a row close it, one failure opens it
	// again (POORT_BREAKER_HALF_OPEN_REQUESTS).
	HalfOpenRequests uint32
}

// BulkheadConfig bounds the concurrent calls to each registry, so that one
// slow registry cannot take every goroutine and connection of the hub, and
// a registry is not flooded beyond what it can serve.
type BulkheadConfig struct {
	// MaxConcurrent is the number of calls in flight per registry
	// (POORT_BULKHEAD_MAX); zero means unbounded.
	MaxConcurrent int
	// PerRegistry overrides MaxConcurrent for a registry
	// (POORT_BULKHEAD_MAX_BRP, POORT_BULKHEAD_MAX_NHR, ...).
	PerRegistry map[connectors.Registry]int
	// Queue is how many calls may wait for a slot when all are taken
	// (POORT_BULKHEAD_QUEUE); more are refused at once.
	Queue int
	// QueueTimeout is how long a call waits in the queue, at most
	// (POORT_BULKHEAD_QUEUE_TIMEOUT).
	QueueTimeout time.Duration
}

// DeadlineConfig splits a request's remaining time over its calls. A call
// gets Share of the time the request has left after Reserve, but at least
// Min (or all that is left, when less is), and never more than the time
// left after Reserve. The connector's own timeout (POORT_UPSTREAM_TIMEOUT)
// bounds it further. See docs/resilience.md for the reasoning.
type DeadlineConfig struct {
	// Share is the part of the remaining time one call may take, above 0
	// and at most 1 (POORT_DEADLINE_SHARE).
	Share float64
	// Reserve is kept back from every call for the hub to write its answer
	// (POORT_DEADLINE_RESERVE).
	Reserve time.Duration
	// Min is the least time a call gets while the request has that much
	// left (POORT_DEADLINE_MIN).
	Min time.Duration
}

// CacheConfig configures the short-lived cache of registry answers.
type CacheConfig struct {
	// TTL is how long open data (BAG addresses, objects and buildings; RDW
	// vehicle technical data) is kept (POORT_CACHE_TTL); zero switches the
	// cache off.
	TTL time.Duration
	// MaxEntries bounds each cached operation's entries; the least
	// recently used go first (POORT_CACHE_MAX_ENTRIES).
	MaxEntries int
	// PersonalTTL, when not zero, also keeps personal data (BRP persons,
	// RDW holdings and driving licences, UWV employments and benefits, the
	// Handelsregister's profiles, functionaries and roles) for this long
	// beyond the request (POORT_CACHE_PERSONAL_TTL). Off by default: see
	// the privacy consequences in docs/resilience.md.
	PersonalTTL time.Duration
}

// DefaultConfig returns the defaults LoadConfig starts from.
func DefaultConfig() Config {
	return Config{
		Breaker: BreakerConfig{
			ConsecutiveFailures: 5,
			FailureRatio:        0.5,
			MinRequests:         20,
			Interval:            30 * time.Second,
			OpenTimeout:         10 * time.Second,
			HalfOpenRequests:    1,
		},
		Bulkhead: BulkheadConfig{
			MaxConcurrent: 256,
			Queue:         256,
			QueueTimeout:  time.Second,
		},
		Deadline: DeadlineConfig{
			Share:   0.5,
			Reserve: 25 * time.Millisecond,
			Min:     100 * time.Millisecond,
		},
		Cache: CacheConfig{
			TTL:        time.Minute,
			MaxEntries: 10_000,
		},
	}
}

// LoadConfig reads the configuration from getenv (os.Getenv in the hub),
// starting from DefaultConfig and reporting every bad variable at once;
// registries are the registries whose own bulkhead sizes
// (POORT_BULKHEAD_MAX_<REGISTRY>) it reads.
func LoadConfig(getenv func(string) string, registries []connectors.Registry) (Config, error) {
	c := DefaultConfig()
	e := &envconfig.Reader{Getenv: getenv, DurationExample: "10s or 250ms"}
	b := &c.Breaker
	b.Disabled = e.Bool("POORT_BREAKER_DISABLED", b.Disabled)
	b.ConsecutiveFailures = uint32(e.Int("POORT_BREAKER_FAILURES", int(b.ConsecutiveFailures), 1, 1_000_000))
	b.FailureRatio = ratio(e, "POORT_BREAKER_FAILURE_RATIO", b.FailureRatio, true)
	b.MinRequests = uint32(e.Int("POORT_BREAKER_MIN_REQUESTS", int(b.MinRequests), 1, 1_000_000))
	b.Interval = e.DurationAtLeast("POORT_BREAKER_INTERVAL", b.Interval, time.Millisecond)
	b.OpenTimeout = e.DurationAtLeast("POORT_BREAKER_OPEN_TIMEOUT", b.OpenTimeout, time.Millisecond)
	b.HalfOpenRequests = uint32(e.Int("POORT_BREAKER_HALF_OPEN_REQUESTS", int(b.HalfOpenRequests), 1, 10_000))

	h := &c.Bulkhead
	h.MaxConcurrent = e.Int("POORT_BULKHEAD_MAX", h.MaxConcurrent, 0, 1_000_000)
	for _, r := range registries {
		name := "POORT_BULKHEAD_MAX_" + string(r)
		if getenv(name) == "" {
			continue
		}
		if h.PerRegistry == nil {
			h.PerRegistry = map[connectors.Registry]int{}
		}
		h.PerRegistry[r] = e.Int(name, h.MaxConcurrent, 0, 1_000_000)
	}
	h.Queue = e.Int("POORT_BULKHEAD_QUEUE", h.Queue, 0, 1_000_000)
	h.QueueTimeout = e.DurationAtLeast("POORT_BULKHEAD_QUEUE_TIMEOUT", h.QueueTimeout, 0)

	d := &c.Deadline
	d.Share = ratio(e, "POORT_DEADLINE_SHARE", d.Share, false)
	d.Reserve = e.DurationAtLeast("POORT_DEADLINE_RESERVE", d.Reserve, 0)
	d.Min = e.DurationAtLeast("POORT_DEADLINE_MIN", d.Min, 0)

	k := &c.Cache
	k.TTL = e.DurationAtLeast("POORT_CACHE_TTL", k.TTL, 0)
	k.MaxEntries = e.Int("POORT_CACHE_MAX_ENTRIES", k.MaxEntries, 1, 10_000_000)
	k.PersonalTTL = e.DurationAtLeast("POORT_CACHE_PERSONAL_TTL", k.PersonalTTL, 0)

	if err := e.Err(); err != nil {
		return Config{}, fmt.Errorf("resilience configuration: %w", err)
	}
	return c, nil
}

// maxConcurrent returns the bulkhead size of a registry.
func (b BulkheadConfig) maxConcurrent(r connectors.Registry) int {
	if n, ok := b.PerRegistry[r]; ok {
		return n
	}
	return b.MaxConcurrent
}

// ratio reads a number above 0 (or from 0, with zero allowed) up to 1.
func ratio(e *envconfig.Reader, name string, def float64, zero bool) float64 {
	lo := "above 0"
	if zero {
		lo = "from 0"
	}
	return envconfig.Value(e, name, def, "a number "+lo+" up to 1", func(v string) (float64, bool) {
		f, err := strconv.ParseFloat(v, 64)
		// Written so that NaN, which fails every comparison, is refused.
		return f, err == nil && f >= 0 && f <= 1 && (f > 0 || zero)
	})
}
