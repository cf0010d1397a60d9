package resilience

import (
	"context"
	"sync/atomic"
	"time"
)

// bulkhead bounds the calls in flight to one registry, with a short queue
// in front. A nil *bulkhead admits everything.
type bulkhead struct {
	slots   chan struct{}
	queue   int64
	wait    time.Duration
	waiting atomic.Int64
}

func newBulkhead(size, queue int, wait time.Duration) *bulkhead {
	if size <= 0 {
		return nil
	}
	return &bulkhead{slots: make(chan struct{}, size), queue: int64(queue), wait: wait}
}

// acquire takes a slot, waiting in the queue for at most the queue timeout
// or until ctx ends. It reports whether a slot was taken; release gives it
// back.
func (b *bulkhead) acquire(ctx context.Context) bool {
	if b == nil {
		return true
	}
	select {
	case b.slots <- struct{}{}:
		return true
	default:
	}
	if b.queue == 0 || b.wait <= 0 {
		return false
	}
	if b.waiting.Add(1) > b.queue {
		b.waiting.Add(-1)
		return false
	}
	defer b.waiting.Add(-1)
	t := time.NewTimer(b.wait)
	defer t.Stop()
	select {
	case b.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (b *bulkhead) release() {
	if b != nil {
		<-b.slots
	}
}

// inUse returns the calls in flight.
func (b *bulkhead) inUse() int {
	if b == nil {
		return 0
	}
	return len(b.slots)
}
