package cases_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/store/storetest"
)

// BenchmarkStartLifeEvent opens cases of becoming dependent on care (eight
// tasks, one notification to the social district team, in one
// transaction) on each database.
func BenchmarkStartLifeEvent(b *testing.B) {
	for _, open := range []func(testing.TB) storetest.Named{
		func(tb testing.TB) storetest.Named { return env.SQLite(tb) },
		func(tb testing.TB) storetest.Named { return env.Postgres(tb) },
	} {
		db := open(b)
		b.Run(db.Name, func(b *testing.B) {
			s := newService(b, db.Store, newClock())
			ctx := context.Background()
			i := 0
			for b.Loop() {
				i++
				_, err := s.StartLifeEvent(ctx, cases.StartRequest{
					Event: "becoming-dependent-on-care", Subject: person(bsnA), Channel: "desk", IdempotencyKey: fmt.Sprint("bench-", i), Principal: clerk,
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDispatch delivers notifications to the mock partners over
// loopback HTTP, one batch at a time, and reports messages per second.
func BenchmarkDispatch(b *testing.B) {
	for _, open := range []func(testing.TB) storetest.Named{
		func(tb testing.TB) storetest.Named { return env.SQLite(tb) },
		func(tb testing.TB) storetest.Named { return env.Postgres(tb) },
	} {
		db := open(b)
		b.Run(db.Name, func(b *testing.B) {
			ctx := context.Background()
			_, url := partnerServer(b)
			s := newService(b, db.Store, newClock())
			d, err := cases.NewDispatcher(db.Store, cases.MockDirectory(url), cases.DispatcherOptions{BatchSize: 16, Concurrency: 8})
			if err != nil {
				b.Fatal(err)
			}
			delivered, i := 0, 0
			for b.Loop() {
				b.StopTimer()
				i++
				start(b, s, "becoming-dependent-on-care", person(bsnA), "desk", fmt.Sprint("dispatch-", i)) // one message
				b.StartTimer()
				for {
					res, err := d.DispatchOnce(ctx)
					if err != nil {
						b.Fatal(err)
					}
					delivered += res.Delivered
					if res.Claimed == 0 {
						break
					}
				}
			}
			b.ReportMetric(float64(delivered)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
