package audit

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

// env provides the databases of the replica benchmark.
var env = storetest.New()

func TestMain(m *testing.M) { os.Exit(env.Main(m)) }

// recordsPerRequest is about what one whole-person query discloses.
const recordsPerRequest = 11

// requestRecords are one request's disclosures: one person, several
// registries.
func requestRecords(n int) []store.AuditRecord {
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	recs := make([]store.AuditRecord, recordsPerRequest)
	for i := range recs {
		recs[i] = store.AuditRecord{
			TraceID: fmt.Sprintf("%032x", n+1), SpanID: fmt.Sprintf("%016x", i+1), Name: "brp.personen.raadplegen",
			Status: store.AuditStatusOK, StartTime: start, EndTime: start.Add(20 * time.Millisecond),
			ProcessingActivityID: "https://register.example/verwerkingsactiviteiten/kcc-algemeen",
			DataSubject:          store.DataSubject{Type: store.DataSubjectBSN, ID: "999990019"},
			Registry:             "BRP", Fields: []string{"naam.voornamen", "geboorte.datum"}, Purpose: "kcc-algemeen",
			Principal: store.Principal{Subject: "kcc-employee-1", OrganisationOIN: "00000001001234567000", Role: "kcc-medewerker"},
		}
	}
	return recs
}

// BenchmarkReplicasAppend has hub replicas, each a store with its group
// commit as the hub has, append the records of many concurrent requests
// to PostgreSQL, and reports the disclosures written per second: what the
// audit log's one chain, whose head every append locks, lets through. The
// control gives each replica a database, and so a chain, of its own: what
// the same replicas write with no lock to share.
//
//	go test ./audit -run '^$' -bench ReplicasAppend
//
// The throwaway cluster of store/storetest runs with fsync off; set
// POORT_TEST_POSTGRES_URL for a server that syncs every commit, as
// production does.
func BenchmarkReplicasAppend(b *testing.B) {
	for _, c := range []struct {
		name                         string
		replicas, databases, clients int
	}{
		{"one request at a time", 1, 1, 1},
		{"1 replica", 1, 1, 64},
		{"2 replicas, one chain", 2, 1, 64},
		{"2 replicas, a chain each (control)", 2, 2, 64},
	} {
		b.Run(c.name, func(b *testing.B) {
			var dbs []storetest.Named
			for range c.databases {
				dbs = append(dbs, env.Postgres(b))
			}
			var writers []*GroupCommit
			for i := range c.replicas {
				db := dbs[i%len(dbs)]
				s := db.Store
				if i >= len(dbs) {
					var err error
					if s, err = store.Open(context.Background(), db.DSN, store.WithPseudonymKey([]byte(storetest.PseudonymKey))); err != nil {
						b.Fatal(err)
					}
					defer s.Close()
				}
				g := NewGroupCommit(s, 0)
				defer g.Close()
				writers = append(writers, g)
			}
			ctx := context.Background()
			var next atomic.Int64
			var wg sync.WaitGroup
			cpu := processCPU()
			b.ResetTimer()
			for _, w := range writers {
				for range c.clients {
					wg.Go(func() {
						for n := next.Add(1); n <= int64(b.N); n = next.Add(1) {
							if err := w.AppendAudit(ctx, requestRecords(int(n))); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
			}
			wg.Wait()
			b.StopTimer()
			disclosures := float64(b.N * recordsPerRequest)
			b.ReportMetric(disclosures/b.Elapsed().Seconds(), "disclosures/s")
			// The replicas' own work, PostgreSQL's left out.
			b.ReportMetric(float64((processCPU()-cpu).Microseconds())/disclosures, "replica-CPU-µs/disclosure")
			var checked int64
			for _, db := range dbs {
				rep, err := db.Store.VerifyAudit(ctx)
				if err != nil || !rep.OK {
					b.Fatalf("a chain after the benchmark: %+v, %v", rep, err)
				}
				checked += rep.Checked
			}
			if checked != int64(b.N*recordsPerRequest) {
				b.Fatalf("%d records in the chains, %d appended", checked, b.N*recordsPerRequest)
			}
		})
	}
}

// processCPU is the CPU time this process used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
