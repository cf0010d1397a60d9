package audit

import (
	"context"
	"testing"
	"time"
)

func TestSITimeBatch(t *testing.T) {
	db := env.Postgres(t)
	ctx := context.Background()
	for _, n := range []int{1, 64} {
		batch := requestRecords(0)
		for i := 1; i < n; i++ {
			batch = append(batch, requestRecords(i)...)
		}
		var total time.Duration
		for i := range 20 {
			start := time.Now()
			if err := db.Store.AppendAudit(ctx, batch); err != nil {
				t.Fatal(err)
			}
			d := time.Since(start)
			if i > 0 {
				total += d
			}
		}
		t.Logf("%d records: %v per append", len(batch), total/19)
	}
}
