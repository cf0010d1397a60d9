package audit

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/poort-nl/poort/store"
)

// GroupCommit is an Appender that writes the records of concurrent
// requests in one transaction. The audit log is a single hash chain, so
// its appends are serial anyway; a transaction per request spends most of
// its time on the commit. Each caller still waits for the commit that
// holds its records and gets its error, so a response is released only
// after its own records are durable (fail closed).
type GroupCommit struct {
	next    Appender
	maxRecs int

	mu      sync.Mutex
	pending []*groupWaiter
	wake    chan struct{}
	done    chan struct{}
	closed  bool
}

type groupWaiter struct {
	ctx     context.Context
	records []store.AuditRecord
	err     chan error
}

// NewGroupCommit starts the writer. maxRecords bounds one transaction; 0
// means 1,000.
func NewGroupCommit(next Appender, maxRecords int) *GroupCommit {
	if maxRecords <= 0 {
		maxRecords = 1000
	}
	g := &GroupCommit{next: next, maxRecs: maxRecords, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go g.run()
	return g
}

// ErrClosed is what an append gets after Close.
var ErrClosed = errors.New("audit: the audit writer is closed")

// AppendAudit queues the records for the next transaction and waits for
// its outcome.
func (g *GroupCommit) AppendAudit(ctx context.Context, records []store.AuditRecord) error {
	if len(records) == 0 {
		return nil
	}
	w := &groupWaiter{ctx: ctx, records: records, err: make(chan error, 1)}
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return ErrClosed
	}
	g.pending = append(g.pending, w)
	g.mu.Unlock()
	select {
	case g.wake <- struct{}{}:
	default:
	}
	select {
	case err := <-w.err:
		return err
	case <-ctx.Done():
		// The records may still be written; the caller withholds its
		// response either way, which errs on the side of disclosing less.
		return ctx.Err()
	}
}

// Close writes what is queued and stops the writer.
func (g *GroupCommit) Close() error {
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		close(g.wake)
	}
	g.mu.Unlock()
	<-g.done
	return nil
}

func (g *GroupCommit) run() {
	defer close(g.done)
	for range g.wake {
		for g.flush() {
		}
	}
	for g.flush() {
	}
}

// flush writes one batch and reports whether there was one.
func (g *GroupCommit) flush() bool {
	g.mu.Lock()
	var batch []*groupWaiter
	n := 0
	for len(g.pending) > 0 && (n == 0 || n+len(g.pending[0].records) <= g.maxRecs) {
		w := g.pending[0]
		g.pending = g.pending[1:]
		if w.ctx.Err() != nil {
			w.err <- w.ctx.Err()
			continue
		}
		batch = append(batch, w)
		n += len(w.records)
	}
	g.mu.Unlock()
	if len(batch) == 0 {
		return false
	}
	all := make([]store.AuditRecord, 0, n)
	for _, w := range batch {
		all = append(all, w.records...)
	}
	// The batch's transaction is bounded by the first caller's deadline
	// in time, but must not end with one caller's cancellation.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(batch[0].ctx), flushBound(batch))
	err := g.next.AppendAudit(ctx, all)
	cancel()
	if err != nil && len(batch) > 1 {
		// One caller's records must not cost the others theirs: write
		// each on its own.
		for _, w := range batch {
			w.err <- g.next.AppendAudit(context.WithoutCancel(w.ctx), w.records)
		}
		return true
	}
	for _, w := range batch {
		w.err <- err
	}
	return true
}

// flushBound is the time a batch may take: the longest any of its callers
// still waits, at least a second.
func flushBound(batch []*groupWaiter) time.Duration {
	d := time.Second
	for _, w := range batch {
		if dl, ok := w.ctx.Deadline(); ok {
			d = max(d, time.Until(dl))
		}
	}
	return d
}
