package resilience

import (
	"context"
	"testing"
	"time"
)

// BenchmarkGuardDo is what the guard adds to every registry call: the
// deadline split, the breaker's bookkeeping and a bulkhead slot.
func BenchmarkGuardDo(b *testing.B) {
	g := NewGuard(DefaultConfig(), WithMetrics(NewMetrics()))
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	call := func(context.Context) error { return nil }
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := g.Do(ctx, "BRP", call); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkCacheHit is a batch look-up of ten vehicles, all cached.
func BenchmarkCacheHit(b *testing.B) {
	c := NewCache(CacheConfig{TTL: time.Hour, MaxEntries: 1000}, NewMetrics())
	v := cachedLookup(b, c, newFakeRDW(), "vehicles")
	plates := []string{"AB12CD", "EF34GH", "IJ56KL", "MN78OP", "QR90ST", "UV12WX", "YZ34AB", "CD56EF", "GH78IJ", "KL90MN"}
	ctx := context.Background()
	if _, err := v.ask(ctx, plates, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if m, err := v.ask(ctx, plates, nil); err != nil || len(m) != len(plates) {
				b.Errorf("%d vehicles, %v", len(m), err)
				return
			}
		}
	})
}
