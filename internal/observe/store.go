package observe

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/store"
)

// AuditLog counts the writes of the audit log, each the records of one
// request appended before its response is released:
//
//	poort_audit_write_duration_seconds     time to append one request's records
//	poort_audit_write_failures_total       appends that failed; their responses were withheld
//	poort_audit_records_total              records appended
type AuditLog struct {
	duration prometheus.Histogram
	failures prometheus.Counter
	records  prometheus.Counter
}

// NewAuditLog makes the audit log's metrics and registers them with reg.
func NewAuditLog(reg prometheus.Registerer) (*AuditLog, error) {
	m := &AuditLog{
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "poort_audit_write_duration_seconds",
			Help:    "Time to append one request's audit records, which the response waits for.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "poort_audit_write_failures_total",
			Help: "Audit appends that failed; the responses they were for were withheld (AUDIT_UNAVAILABLE).",
		}),
		records: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "poort_audit_records_total",
			Help: "Audit records appended.",
		}),
	}
	for _, c := range []prometheus.Collector{m.duration, m.failures, m.records} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Wrap returns an appender that appends through next and counts it.
func (m *AuditLog) Wrap(next audit.Appender) audit.Appender {
	return appenderFunc(func(ctx context.Context, records []store.AuditRecord) error {
		start := time.Now()
		err := next.AppendAudit(ctx, records)
		m.duration.Observe(time.Since(start).Seconds())
		if err != nil {
			m.failures.Inc()
			return err
		}
		m.records.Add(float64(len(records)))
		return nil
	})
}

type appenderFunc func(ctx context.Context, records []store.AuditRecord) error

func (f appenderFunc) AppendAudit(ctx context.Context, records []store.AuditRecord) error {
	return f(ctx, records)
}

// Outbox is what the outbox gauges read.
type Outbox interface {
	CountOutbox(ctx context.Context) (store.OutboxCounts, error)
}

// outboxCollector reads the outbox at each scrape:
//
//	poort_outbox_messages{state="pending"|"parked"}
//
// A scrape that cannot read the store reports the error for these gauges
// and serves every other metric.
type outboxCollector struct {
	outbox  Outbox
	timeout time.Duration
	desc    *prometheus.Desc
}

// RegisterStore registers the store's gauges with reg: the outbox's
// pending and parked messages, and each connection pool's statistics
// (go_sql_* by db_name, from client_golang's DB stats collector).
func RegisterStore(reg prometheus.Registerer, s *store.Store) error {
	if err := reg.Register(&outboxCollector{
		outbox: s, timeout: 2 * time.Second,
		desc: prometheus.NewDesc("poort_outbox_messages",
			"Outbox messages to chain partners by state: pending (waiting for a delivery attempt) or parked (waiting for an operator).",
			[]string{"state"}, nil),
	}); err != nil {
		return err
	}
	for role, db := range s.Pools() {
		if err := reg.Register(collectors.NewDBStatsCollector(db, role)); err != nil {
			return err
		}
	}
	return nil
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	n, err := c.outbox.CountOutbox(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n.Pending), "pending")
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n.Parked), "parked")
}
