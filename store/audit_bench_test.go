package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

// recordsPerRequest is about what one whole-person query discloses.
const recordsPerRequest = 11

// BenchmarkAppendAudit appends one request's records at a time, one
// request after the other: the single request's cost of the audit log,
// on an SQLite file with each synchronous setting and on PostgreSQL.
//
//	go test ./store -run '^$' -bench AppendAudit
func BenchmarkAppendAudit(b *testing.B) {
	for _, c := range []struct {
		name string
		open func(testing.TB) storetest.Named
	}{
		{"sqlite-normal", func(tb testing.TB) storetest.Named { return env.SQLite(tb) }},
		{"sqlite-full", func(tb testing.TB) storetest.Named { return env.SQLite(tb, store.WithSQLiteSync(store.SQLiteSyncFull)) }},
		{"postgres", func(tb testing.TB) storetest.Named { return env.Postgres(tb) }},
	} {
		// One record is what a one-call look-up discloses.
		for _, n := range []int{1, recordsPerRequest} {
			b.Run(fmt.Sprintf("%s/records=%d", c.name, n), func(b *testing.B) {
				s := c.open(b).Store
				ctx := context.Background()
				recs := make([]store.AuditRecord, n)
				for i := range recs {
					recs[i] = disclosure(i, subjectA)
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := s.AppendAudit(ctx, recs); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
			})
		}
	}
}
