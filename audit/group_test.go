package audit

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/poort-nl/poort/store"
)

// countingLog is an audit log in memory that counts its transactions and
// can refuse records.
type countingLog struct {
	mu      sync.Mutex
	txs     int
	records []store.AuditRecord
	refuse  func([]store.AuditRecord) bool
}

func (l *countingLog) AppendAudit(_ context.Context, rs []store.AuditRecord) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.txs++
	if l.refuse != nil && l.refuse(rs) {
		return errors.New("refused")
	}
	l.records = append(l.records, rs...)
	return nil
}

func rec(name string) []store.AuditRecord { return []store.AuditRecord{{Name: name}} }

func TestGroupCommitWritesEveryRecordOnce(t *testing.T) {
	log := &countingLog{}
	g := NewGroupCommit(log, 0)
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			if err := g.AppendAudit(context.Background(), rec(string(rune('a'+i%26)))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	g.Close()
	if len(log.records) != 200 {
		t.Fatalf("%d records written, want 200", len(log.records))
	}
	if log.txs >= 200 {
		t.Logf("no batching happened (%d transactions); still correct", log.txs)
	}
	if err := g.AppendAudit(context.Background(), rec("late")); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

func TestGroupCommitIsolatesAFailingCaller(t *testing.T) {
	log := &countingLog{refuse: func(rs []store.AuditRecord) bool {
		for _, r := range rs {
			if r.Name == "bad" {
				return true
			}
		}
		return false
	}}
	g := NewGroupCommit(log, 0)
	defer g.Close()
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		name := "good"
		if i == 7 {
			name = "bad"
		}
		wg.Go(func() { errs[i] = g.AppendAudit(context.Background(), rec(name)) })
	}
	wg.Wait()
	for i, err := range errs {
		if (i == 7) != (err != nil) {
			t.Errorf("caller %d: %v", i, err)
		}
	}
	if len(log.records) != 19 {
		t.Fatalf("%d records written, want 19", len(log.records))
	}
}

func TestGroupCommitHonoursCancellation(t *testing.T) {
	block := make(chan struct{})
	log := &blockingLog{release: block, started: make(chan struct{})}
	g := NewGroupCommit(log, 0)
	defer g.Close()
	go g.AppendAudit(context.Background(), rec("first")) // holds the writer
	<-log.started
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- g.AppendAudit(ctx, rec("second")) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled append = %v", err)
	}
	close(block)
}

type blockingLog struct {
	once    sync.Once
	started chan struct{}
	release chan struct{}
}

func (b *blockingLog) AppendAudit(context.Context, []store.AuditRecord) error {
	b.once.Do(func() { close(b.started) })
	<-b.release
	return nil
}
