package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/internal/apq"
	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/internal/resilience"
	"github.com/poort-nl/poort/mocks/population"
)

// The benchmarks run the assembled hub against the mock registries with no
// latency, over a population of 1,000. Allocations are those of the whole
// process: the hub, and (where HTTP is involved) the mocks answering it.
//
//	go test -run - -bench . -benchmem ./bench

func benchEnv(b *testing.B, cache bool) *env {
	b.Helper()
	pop, err := population.Generate(population.Config{Seed: 1, Size: 1000})
	if err != nil {
		b.Fatal(err)
	}
	cfg := resilience.DefaultConfig()
	if cache {
		// Everything is kept, so after one round no registry is asked:
		// what is left is the executor, the planner and the loaders.
		cfg.Cache.TTL, cfg.Cache.PersonalTTL = time.Hour, time.Hour
	}
	e, err := startEnv(context.Background(), envOptions{pop: pop, resilience: &cfg, cache: cache, clients: 64}, logging.Discard())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.close() })
	return e
}

func benchPrepared(b *testing.B, e *env, q query) prepared {
	b.Helper()
	p, err := prepare(q, e, 100)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func reportCalls(b *testing.B, e *env) {
	total := 0
	for _, n := range e.calls() {
		total += n
	}
	b.ReportMetric(float64(total)/float64(b.N), "upstream-calls/op")
}

// BenchmarkWholePersonHub is the whole-person query over HTTP to the hub,
// which calls the mocks over HTTP: the whole executor path.
func BenchmarkWholePersonHub(b *testing.B) {
	e := benchEnv(b, false)
	p := benchPrepared(b, e, wholePerson())
	ctx := context.Background()
	e.mocks.ResetCalls()
	b.ReportAllocs()
	b.ResetTimer()
	var i int
	for b.Loop() {
		if err := e.ask(ctx, p.bodies[i%len(p.bodies)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCalls(b, e)
}

// BenchmarkWholePersonHubParallel is the same with many clients at once,
// so the loaders' batch window overlaps other requests' work.
func BenchmarkWholePersonHubParallel(b *testing.B) {
	e := benchEnv(b, false)
	p := benchPrepared(b, e, wholePerson())
	e.mocks.ResetCalls()
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if err := e.ask(context.Background(), p.bodies[i%len(p.bodies)]); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	reportCalls(b, e)
}

// BenchmarkExecutor serves every registry answer from the cache after a
// first round, and calls the hub's handler in process: what is left is the
// GraphQL executor, the planner, the resolvers and the loaders.
func BenchmarkExecutor(b *testing.B) {
	for _, q := range queries() {
		b.Run(q.name, func(b *testing.B) {
			e := benchEnv(b, true)
			p := benchPrepared(b, e, q)
			for _, body := range p.bodies {
				if err := e.ask(context.Background(), body); err != nil {
					b.Fatal(err)
				}
			}
			e.mocks.ResetCalls()
			h := e.srv.Handler
			b.ReportAllocs()
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					rec := httptest.NewRecorder()
					req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(p.bodies[i%len(p.bodies)]))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+e.token)
					h.ServeHTTP(rec, req)
					if rec.Code != 200 || strings.Contains(rec.Body.String(), `"errors":`) {
						b.Errorf("HTTP %d: %s", rec.Code, rec.Body)
						return
					}
					i++
				}
			})
			reportCalls(b, e)
		})
	}
}

// BenchmarkPersistedQuery asks the whole-person query in full and by its
// hash alone (automatic persisted queries), every registry answer from the
// cache, one request at a time: what sending the hash saves the hub per
// request. Both find the parsed and validated query in the hub's cache;
// the hash saves reading, decoding and looking up the query's text.
func BenchmarkPersistedQuery(b *testing.B) {
	e := benchEnv(b, true)
	p := benchPrepared(b, e, wholePerson())
	hash := apq.Hash(p.graphql)
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
	bodies := map[string][][]byte{}
	for _, s := range p.subjects {
		full, _ := json.Marshal(map[string]any{"query": p.graphql, "variables": p.vars(s), "extensions": ext})
		short, _ := json.Marshal(map[string]any{"variables": p.vars(s), "extensions": ext})
		bodies["query"] = append(bodies["query"], full)
		bodies["hash"] = append(bodies["hash"], short)
	}
	// The query sent with its hash once makes the hub keep it; the rounds
	// fill the registry cache.
	for _, body := range bodies["query"] {
		if err := e.ask(context.Background(), body); err != nil {
			b.Fatal(err)
		}
	}
	h := e.srv.Handler
	for _, way := range []string{"query", "hash"} {
		b.Run(way, func(b *testing.B) {
			bs := bodies[way]
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(bs[i%len(bs)]))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.token)
				h.ServeHTTP(rec, req)
				if rec.Code != 200 || strings.Contains(rec.Body.String(), `"errors":`) {
					b.Fatalf("HTTP %d: %s", rec.Code, rec.Body)
				}
				i++
			}
			b.ReportMetric(float64(len(bs[0])), "request-bytes")
		})
	}
}

// BenchmarkLoaderBatching asks for 50 persons by BSN: the loader splits
// them in batches of 20 for the BRP, 3 calls in all.
func BenchmarkLoaderBatching(b *testing.B) {
	e := benchEnv(b, false)
	var bsns []string
	for _, p := range e.pop.Persons[:50] {
		bsns = append(bsns, p.BSN)
	}
	body, _ := json.Marshal(map[string]any{
		"query":     `query($bsns: [String!]!) { persons(bsns: $bsns) { bsn name { fullName } age } }`,
		"variables": map[string]any{"bsns": bsns},
	})
	e.mocks.ResetCalls()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := e.ask(context.Background(), body); err != nil {
			b.Fatal(err)
		}
	}
	reportCalls(b, e)
}

// quick are the settings of a small and quick run.
func quick() Settings {
	s := DefaultSettings()
	s.Size, s.Latency, s.Jitter, s.Concurrency, s.Count = 200, 2*time.Millisecond, time.Millisecond, []int{1, 3}, 6
	s.Subjects, s.Verify, s.Warmup = 3, 2, 0
	return s
}

// TestRun runs the benchmark small and quick with the hub in this
// process, and checks that the report holds what the doc reads from it.
func TestRun(t *testing.T) {
	s := quick()
	s.Hub = HubInProcess
	var out, errs bytes.Buffer
	if err := Run(context.Background(), Options{Settings: s, JSON: "-"}, &out, &errs); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	var r Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("report: %v: %s", err, out.String())
	}
	if len(r.Levels) != 2 || r.Levels[1].Concurrency != 3 || r.Machine.CPUs == 0 {
		t.Fatalf("levels %+v, machine %+v", r.Levels, r.Machine)
	}
	for _, l := range r.Levels {
		if len(l.Queries) != len(QueryNames()) || l.Memory.PeakRSS == 0 || l.Memory.PeakHeap == 0 {
			t.Fatalf("level %d: %d queries, memory %+v", l.Concurrency, len(l.Queries), l.Memory)
		}
		for _, q := range l.Queries {
			for way, ph := range map[string]*Phase{"hub": q.Hub, "critical": q.Critical, "naive": q.Naive} {
				if ph == nil || ph.Requests != 6 || ph.Failures != 0 || ph.Latency.P50 <= 0 || ph.Calls <= 0 {
					t.Errorf("%s at %d, %s: %+v", q.Query, l.Concurrency, way, ph)
				}
			}
			// In this process, the hub's CPU cannot be told apart.
			if q.Hub.HubCPUSeconds != 0 || q.Hub.HubMemory == nil {
				t.Errorf("%s: hub CPU %v, memory %v in process", q.Query, q.Hub.HubCPUSeconds, q.Hub.HubMemory)
			}
			if q.Overhead <= 0 || q.NaiveOverHub <= 0 {
				t.Errorf("%s: ratios %v, %v", q.Query, q.Overhead, q.NaiveOverHub)
			}
		}
	}
	if len(r.Verification) != len(QueryNames()) {
		t.Fatalf("verification %+v", r.Verification)
	}
	for _, v := range r.Verification {
		if v.Subjects != 2 || v.Failures != 0 || v.MinimumCalls <= 0 || v.HubCalls < v.MinimumCalls-1 {
			t.Errorf("verification %+v", v)
		}
	}

	out.Reset()
	s.Latency, s.Jitter, s.Concurrency, s.Count, s.Subjects, s.Verify = 0, 0, []int{2}, 4, 2, 0
	s.Queries, s.Ways = []string{"company"}, []string{"hub"}
	if err := Run(context.Background(), Options{Settings: s}, &out, &errs); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"machine:", "in this process", "concurrency 2:", "company", "hub p50", "q/CPU-s"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

// TestRunHubProcess runs the benchmark with the hub in a process of its
// own (this test binary, playing poort serve): the run's mocks count the
// hub's calls, its CPU and memory are its own, and its profiles come from
// its admin listener.
func TestRunHubProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a hub process")
	}
	s := quick()
	s.Concurrency, s.Count, s.Duration = []int{2}, 0, time.Second
	s.Queries, s.Ways = []string{"whole-person", "address"}, []string{"hub", "critical"}
	dir := t.TempDir()
	prof := filepath.Join(dir, "hub")
	var out, errs bytes.Buffer
	err := Run(context.Background(), Options{
		Settings: s, HubCommand: hubCommand(t), JSON: filepath.Join(dir, "report.json"),
		CPUProfile: prof + ".cpu", MemProfile: prof + ".heap",
	}, &out, &errs)
	if err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Settings.Hub != HubProcess || len(r.Levels) != 1 || len(r.Verification) != 2 {
		t.Fatalf("settings %+v, %d levels, verification %+v", r.Settings, len(r.Levels), r.Verification)
	}
	// The mocks counted the hub process's calls: never fewer than the
	// minimum without a cache. More happen when keys that could share a
	// call miss each other's batch window on a busy machine, which is
	// what the verification reports, not what this test is about.
	for _, v := range r.Verification {
		if v.Subjects != 2 || v.Failures != 0 || v.MinimumCalls <= 0 || v.HubCalls < v.MinimumCalls {
			t.Errorf("verification of the hub process %+v", v)
		}
	}
	for _, q := range r.Levels[0].Queries {
		h := q.Hub
		if h.Failures != 0 || h.Requests == 0 || q.Critical == nil || q.Overhead <= 0 {
			t.Errorf("%s: %d of %d failed (%v), overhead %v", q.Query, h.Failures, h.Requests, h.Errors, q.Overhead)
		}
		// The hub's CPU, within what the machine could give it.
		if h.HubCPUSeconds <= 0 || h.HubCPUPerRequest <= 0 || h.RequestsPerHubCPUSecond <= 0 ||
			h.HubCPUSeconds > h.Seconds*float64(r.Machine.CPUs)+0.05 {
			t.Errorf("%s: hub CPU %.3fs over %.3fs", q.Query, h.HubCPUSeconds, h.Seconds)
		}
		// The hub process's resident set, without this process's Go
		// runtime figures, which are not its.
		if h.HubMemory == nil || h.HubMemory.PeakRSS == 0 || h.HubMemory.PeakHeap != 0 {
			t.Errorf("%s: hub memory %+v", q.Query, h.HubMemory)
		}
		if p, err := os.Stat(fmt.Sprintf("%s.cpu.c2.%s", prof, q.Query)); err != nil || p.Size() == 0 {
			t.Errorf("%s: no CPU profile of the hub: %v", q.Query, err)
		}
	}
	for _, f := range []string{prof + ".heap", prof + ".heap.goroutines"} {
		if p, err := os.Stat(f); err != nil || p.Size() == 0 {
			t.Errorf("no heap profile of the hub: %v", err)
		}
	}
	for _, want := range []string{"a process of its own", "hub CPU/q", "q/hub-CPU-s", "hub RSS"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

// TestRunRefusesBadSettings: each bad setting alone is refused before
// anything starts.
func TestRunRefusesBadSettings(t *testing.T) {
	for name, change := range map[string]func(*Options){
		"no level":            func(o *Options) { o.Concurrency = nil },
		"no client":           func(o *Options) { o.Concurrency = []int{0} },
		"unknown query":       func(o *Options) { o.Queries = []string{"everything"} },
		"no hub":              func(o *Options) { o.Ways = []string{"critical"} },
		"unknown way":         func(o *Options) { o.Ways = []string{"hub", "fastest"} },
		"no time or count":    func(o *Options) { o.Duration, o.Count = 0, 0 },
		"unknown hub":         func(o *Options) { o.Hub = "elsewhere" },
		"no hub command":      func(o *Options) { o.HubCommand = nil },
		"no audit log apart":  func(o *Options) { o.AuditLog = false },
		"no token":            func(o *Options) { o.Hub = "http://127.0.0.1:8080" },
		"database in process": func(o *Options) { o.Hub, o.Database = HubInProcess, "sqlite::memory:" },
	} {
		t.Run(name, func(t *testing.T) {
			o := Options{Settings: DefaultSettings(), HubCommand: []string{"poort", "serve"}}
			o.Size = -1 // were it to start, generating the population would fail
			change(&o)
			err := Run(context.Background(), o, io.Discard, io.Discard)
			if err == nil || strings.Contains(err.Error(), "population") {
				t.Errorf("%+v: %v", o, err)
			}
		})
	}
}

// TestRunSoak soaks a small hub briefly: faults come and go, no answer is
// a 5xx, and the report has the errors, the faults and the samples.
func TestRunSoak(t *testing.T) {
	s := DefaultSoakSettings()
	s.Size, s.Clients, s.Duration, s.FaultEvery, s.Sample = 200, 4, 2*time.Second, 200*time.Millisecond, 500*time.Millisecond
	s.Latency, s.Jitter, s.RequestTimeout, s.UpstreamTimeout = 2*time.Millisecond, time.Millisecond, 500*time.Millisecond, 200*time.Millisecond
	var out, errs bytes.Buffer
	err := RunSoak(context.Background(), s, "-", &out, &errs)
	if err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	var r SoakReport
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("report: %v: %s", err, out.String())
	}
	if r.Requests == 0 || r.ServerErrors != 0 || r.Statuses[200] != r.Requests {
		t.Errorf("%d requests, %d 5xx, statuses %v", r.Requests, r.ServerErrors, r.Statuses)
	}
	if len(r.Faults) < 3 || len(r.Samples) < 3 {
		t.Errorf("faults %v, samples %+v", r.Faults, r.Samples)
	}
	upstream := 0
	for code, n := range r.Codes {
		if strings.HasPrefix(code, "UPSTREAM_") {
			upstream += int(n)
		}
	}
	if upstream == 0 || r.Partial == 0 {
		t.Errorf("no upstream errors reported under faults: %v", r.Codes)
	}
	if r.GoroutinesAfter > r.GoroutinesBefore+5 {
		t.Errorf("goroutines %d before, %d after: a leak", r.GoroutinesBefore, r.GoroutinesAfter)
	}
}

// The hub caches open data by default; the benchmark's hub must not,
// unless -cache asks for it, or its calls would fall below the minimum
// they are compared with.
func TestEnvCachesOnlyWhenAsked(t *testing.T) {
	pop, err := population.Generate(population.Config{Seed: 1, Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, cache := range []bool{false, true} {
		t.Run(fmt.Sprintf("cache=%v", cache), func(t *testing.T) {
			cfg := resilience.DefaultConfig()
			e, err := startEnv(context.Background(), envOptions{pop: pop, resilience: &cfg, cache: cache, clients: 1}, logging.Discard())
			if err != nil {
				t.Fatal(err)
			}
			defer e.close()
			p, err := prepare(wholePerson(), e, 1)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if err := e.ask(ctx, p.bodies[0]); err != nil {
				t.Fatal(err)
			}
			e.mocks.ResetCalls()
			if err := e.ask(ctx, p.bodies[0]); err != nil {
				t.Fatal(err)
			}
			// The person's address is open data, which the cache keeps.
			bag := e.calls()["BAG"]
			if cache && bag != 0 {
				t.Errorf("with the cache, the second query asked the BAG %d times", bag)
			}
			if !cache && bag == 0 {
				t.Error("without the cache, the second query did not ask the BAG")
			}
		})
	}
}
