package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/server/hubtest"
	"github.com/poort-nl/poort/store/storetest"
)

// The lookups a front office makes most: one BRP call, and a person with
// the BAG address they live at (a BRP call, then a BAG call).
var cpuLookups = []struct{ name, query string }{
	{"person", `query($bsn: String!) { person(bsn: $bsn) { bsn name { fullName } age } }`},
	{"person-address", `query($bsn: String!) { person(bsn: $bsn) { bsn name { fullName } age
	  address { id street houseNumber postcode place } } }`},
}

// BenchmarkHubCPU asks the assembled hub, in process, the most common
// look-ups with 16 clients at once, against zero-latency mock registries,
// with the audit log written to each database. It reports the process's
// CPU per look-up (cpu-µs/op: the hub, the mocks and the clients). The
// hub's own share is in a CPU profile under the label side=hub, which
// every goroutine the hub starts for a request inherits:
//
//	go test -run - -bench HubCPU -cpuprofile cpu.prof ./server
//	go tool pprof -tagfocus side=hub -top cpu.prof
func BenchmarkHubCPU(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		for _, q := range cpuLookups {
			b.Run(db+"/"+q.name, func(b *testing.B) {
				var named storetest.Named
				if db == "sqlite" {
					named = stores.SQLite(b)
				} else {
					named = stores.Postgres(b)
				}
				// One principal asks everything here; the per-principal
				// rate limit is for a hub shared by many.
				h := hubtest.Start(b, hubtest.Options{
					Env: map[string]string{"POORT_RATE_LIMIT": "0"},
					Hub: server.Options{Store: named.Store, Population: testPopulation(b)},
				})
				bodies := lookupBodies(b, q.query)
				ask := func(body []byte) {
					rec := httptest.NewRecorder()
					req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+h.Token)
					pprof.Do(context.Background(), pprof.Labels("side", "hub"), func(context.Context) {
						h.Handler.ServeHTTP(rec, req)
					})
					if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
						b.Errorf("HTTP %d: %s", rec.Code, rec.Body)
					}
				}
				for _, body := range bodies {
					ask(body)
				}
				b.ReportAllocs()
				b.SetParallelism(8) // 16 clients on two cores
				start := cpuTime()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					i := 0
					for pb.Next() {
						ask(bodies[i%len(bodies)])
						i++
					}
				})
				b.StopTimer()
				b.ReportMetric(float64((cpuTime()-start).Microseconds())/float64(b.N), "cpu-µs/op")
			})
		}
	}
}

// lookupBodies are the query's requests for living persons with an
// address, spread over the population.
func lookupBodies(b *testing.B, query string) [][]byte {
	b.Helper()
	var out [][]byte
	for _, p := range testPopulation(b).Persons {
		if !p.Alive() || p.AddressID == "" {
			continue
		}
		body, err := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"bsn": p.BSN}})
		if err != nil {
			b.Fatal(err)
		}
		if out = append(out, body); len(out) == 100 {
			return out
		}
	}
	b.Fatalf("found %d living persons with an address, want 100", len(out))
	return nil
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCriticalPath asks the same look-ups with one client two ways,
// alternately: of the hub over HTTP, and straight through the hub's own
// connectors with the calls they need (the BRP; for the address, the BAG
// after it), against zero-latency mock registries. It reports both
// medians and the hub's overhead over the critical path (hub-minus-
// critical-µs), which waiting for a batch window would add to.
//
//	go test -run - -bench CriticalPath ./server
func BenchmarkCriticalPath(b *testing.B) {
	for _, q := range cpuLookups {
		b.Run(q.name, func(b *testing.B) {
			h := hubtest.Start(b, hubtest.Options{
				Env: map[string]string{"POORT_RATE_LIMIT": "0"},
				Hub: server.Options{Population: testPopulation(b)},
			})
			persons, err := brp.From(h.Registries)
			if err != nil {
				b.Fatal(err)
			}
			addresses, err := bag.From(h.Registries)
			if err != nil {
				b.Fatal(err)
			}
			bodies := lookupBodies(b, q.query)
			bsns := make([]string, len(bodies))
			for i, body := range bodies {
				var req struct{ Variables struct{ BSN string } }
				if err := json.Unmarshal(body, &req); err != nil {
					b.Fatal(err)
				}
				bsns[i] = req.Variables.BSN
			}
			withAddress := strings.Contains(q.query, "address")
			critical := func(ctx context.Context, bsn string) error {
				fields := []string{"burgerservicenummer", "leeftijd", "naam.volledigeNaam"}
				if withAddress {
					fields = append(fields, "verblijfplaats.nummeraanduidingIdentificatie")
				}
				ps, err := persons.PersonsByBSN(ctx, []string{bsn}, fields)
				if err != nil || !withAddress {
					return err
				}
				p := ps[bsn]
				if p == nil || p.Residence == nil {
					return fmt.Errorf("person %s without an address", bsn)
				}
				_, err = addresses.Addresses(ctx, []string{p.Residence.AddressID}, false)
				return err
			}
			client := &http.Client{}
			ask := func(body []byte) error {
				req, _ := http.NewRequest(http.MethodPost, h.URL+"/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+h.Token)
				resp, err := client.Do(req)
				if err != nil {
					return err
				}
				defer resp.Body.Close()
				raw, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != http.StatusOK || bytes.Contains(raw, []byte(`"errors"`)) {
					return fmt.Errorf("HTTP %d: %s", resp.StatusCode, raw)
				}
				return nil
			}
			var hub, crit []time.Duration
			i := 0
			for b.Loop() {
				k := i % len(bodies)
				start := time.Now()
				if err := ask(bodies[k]); err != nil {
					b.Fatal(err)
				}
				hub = append(hub, time.Since(start))
				start = time.Now()
				if err := critical(context.Background(), bsns[k]); err != nil {
					b.Fatal(err)
				}
				crit = append(crit, time.Since(start))
				i++
			}
			hp, cp := median(hub), median(crit)
			b.ReportMetric(float64(hp.Microseconds()), "hub-p50-µs")
			b.ReportMetric(float64(cp.Microseconds()), "critical-p50-µs")
			b.ReportMetric(float64((hp - cp).Microseconds()), "hub-minus-critical-µs")
		})
	}
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
