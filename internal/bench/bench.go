// Package bench measures the hub: Run is `poort bench`, which runs a fixed
// mix of queries against the hub and mock registries in this process and
// compares the hub with the registries' critical path and with a naive
// resolution; RunSoak is `poort soak`, which keeps clients busy against a
// hub whose registries fail at random. docs/benchmarks.md has the
// definitions, the commands and the results.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/poort-nl/poort/internal/cli"
	"github.com/poort-nl/poort/internal/resilience"
	"github.com/poort-nl/poort/server"
)

// Settings are the flags of a run, as the report repeats them.
type Settings struct {
	Size        int           `json:"populationSize"`
	Seed        uint64        `json:"seed"`
	Latency     time.Duration `json:"latency"`
	Jitter      time.Duration `json:"jitter"`
	Concurrency []int         `json:"concurrency"`
	Duration    time.Duration `json:"duration"`
	Count       int           `json:"count"`
	Queries     []string      `json:"queries"`
	Ways        []string      `json:"ways"`
	Subjects    int           `json:"subjects"`
	Verify      int           `json:"verify"`
	BatchWait   time.Duration `json:"batchWait"`
	Cache       bool          `json:"cache"`
	Guard       bool          `json:"guard"`
	Warmup      time.Duration `json:"warmup"`
	AuditLog    bool          `json:"auditLog"`
}

// Report is what Run writes as JSON.
type Report struct {
	Machine           Machine                 `json:"machine"`
	Settings          Settings                `json:"settings"`
	PopulationSeconds float64                 `json:"populationSeconds"`
	Verification      []Verification          `json:"verification,omitempty"`
	Levels            []Level                 `json:"levels"`
	Cache             []resilience.CacheStats `json:"cache,omitempty"`
}

// Run is `poort bench`: it starts the mock registries over a generated
// population and the hub in this process, gives every registry the
// configured latency, and for each concurrency and query measures the hub,
// the critical-path resolution and the naive one. It writes a table to
// stdout (or the JSON report with -json -), progress to stderr. The guard
// and cache take the hub's POORT_* resilience variables.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("poort bench", flag.ContinueOnError)
	var s Settings
	var concurrency, names, ways, jsonOut, cpuProfile, memProfile string
	var showMetrics bool
	fs.IntVar(&s.Size, "size", 100_000, "persons in the mock population")
	fs.Uint64Var(&s.Seed, "seed", 1, "population seed")
	fs.DurationVar(&s.Latency, "latency", 20*time.Millisecond, "latency of every registry call")
	fs.DurationVar(&s.Jitter, "jitter", 5*time.Millisecond, "uniform jitter around the latency (±)")
	fs.StringVar(&concurrency, "concurrency", "1,200", "concurrent clients, a comma-separated list of levels")
	fs.DurationVar(&s.Duration, "duration", 10*time.Second, "how long each query runs each way at each level")
	fs.IntVar(&s.Count, "count", 0, "run this many queries each way instead of for a duration")
	fs.StringVar(&names, "queries", "whole-person,household,company,address", "queries of the mix to run")
	fs.StringVar(&ways, "ways", "hub,critical,naive", "resolutions to measure: hub, critical (path), naive")
	fs.IntVar(&s.Subjects, "subjects", 200, "distinct subjects per query, spread over the population")
	fs.IntVar(&s.Verify, "verify", 50, "subjects per query whose calls are checked against the minimum; 0 skips")
	fs.DurationVar(&s.BatchWait, "batch-wait", 0, "loader batch window; 0 keeps the hub's default (POORT_BATCH_WAIT, 250µs)")
	fs.BoolVar(&s.Cache, "cache", false, "wrap the registries in the resilience cache (calls then fall below the minimum)")
	fs.BoolVar(&s.Guard, "guard", true, "guard every registry call (breaker, bulkhead, deadline) as the hub does")
	fs.BoolVar(&s.AuditLog, "audit-log", true, "write every disclosure to the audit log before answering, as the hub does; false records them but writes nothing")
	fs.DurationVar(&s.Warmup, "warmup", 300*time.Millisecond, "warm-up per query and way before the first level")
	fs.StringVar(&jsonOut, "json", "", "also write the JSON report to this file; - writes it to stdout instead of the table")
	fs.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the measured phases to this file")
	fs.StringVar(&memProfile, "memprofile", "", "write a heap profile (and FILE.goroutines, a goroutine profile) to this file halfway through the first hub phase of the last level")
	fs.BoolVar(&showMetrics, "metrics", false, "write the hub's poort_* metrics to stderr at the end")
	if done, err := cli.Parse(fs, args, "", stdout); done || err != nil {
		return err
	}
	var err error
	if s.Concurrency, err = parseLevels(concurrency); err != nil {
		return err
	}
	s.Queries, s.Ways = split(names), split(ways)
	for _, w := range s.Ways {
		if !slices.Contains([]string{"hub", "critical", "naive"}, w) {
			return fmt.Errorf("-ways: unknown way %q", w)
		}
	}
	if !slices.Contains(s.Ways, "hub") {
		return errors.New("-ways: the hub must be measured")
	}
	var qs []query
	all := queries()
	for _, n := range s.Queries {
		i := slices.IndexFunc(all, func(q query) bool { return q.name == n })
		if i < 0 {
			return fmt.Errorf("-queries: unknown query %q", n)
		}
		qs = append(qs, all[i])
	}

	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	rcfg, err := resilience.LoadConfig(os.Getenv, server.RegistryNames(server.Registries()))
	if err != nil {
		return err
	}
	eo := envOptions{size: s.Size, seed: s.Seed, batchWait: s.BatchWait, noAuditLog: !s.AuditLog, cache: s.Cache, clients: slices.Max(s.Concurrency)}
	if s.Guard {
		eo.resilience = &rcfg
	}
	fmt.Fprintf(stderr, "generating %d persons and starting the hub\n", s.Size)
	e, err := startEnv(ctx, eo, log)
	if err != nil {
		return err
	}
	defer e.close()
	rep := Report{Machine: machine(), Settings: s, PopulationSeconds: e.populationTime.Seconds()}

	var ps []prepared
	for _, q := range qs {
		p, err := prepare(q, e, s.Subjects)
		if err != nil {
			return err
		}
		ps = append(ps, p)
	}
	if err := e.setLatency(s.Latency, s.Jitter); err != nil {
		return err
	}
	// Under the configured latency: with none, answers coincide and the
	// loaders batch by chance what they would not batch in production.
	if s.Verify > 0 {
		for _, p := range ps {
			fmt.Fprintf(stderr, "checking the calls of %s against the minimum\n", p.name)
			rep.Verification = append(rep.Verification, e.verify(ctx, p, s.Verify))
		}
	}
	if s.Warmup > 0 {
		for _, p := range ps {
			for _, w := range s.Ways {
				e.phase(ctx, p, wayOf(w), 4, 0, s.Warmup)
			}
		}
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for li, c := range s.Concurrency {
		lvl := Level{Concurrency: c}
		watch := watchMemory(10 * time.Millisecond)
		for qi, p := range ps {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			fmt.Fprintf(stderr, "concurrency %d: %s\n", c, p.name)
			r := QueryResult{Query: p.name, CriticalHops: p.criticalHops, HubHops: p.hubHops}
			var profiled chan error
			if memProfile != "" && li == len(s.Concurrency)-1 && qi == 0 && s.Count == 0 {
				// Under load, where the memory is; at the end it is gone.
				profiled = make(chan error, 1)
				time.AfterFunc(s.Duration/2, func() { profiled <- writeHeapProfile(memProfile) })
			}
			r.Hub = e.phase(ctx, p, viaHub, c, s.Count, s.Duration)
			if profiled != nil {
				if err := <-profiled; err != nil {
					return err
				}
			}
			if slices.Contains(s.Ways, "critical") {
				r.Critical = e.phase(ctx, p, viaCritical, c, s.Count, s.Duration)
				r.Overhead = ratio(r.Hub.Latency.P50, r.Critical.Latency.P50)
			}
			if slices.Contains(s.Ways, "naive") {
				r.Naive = e.phase(ctx, p, viaNaive, c, s.Count, s.Duration)
				r.NaiveOverHub = ratio(r.Naive.Latency.P50, r.Hub.Latency.P50)
			}
			lvl.Queries = append(lvl.Queries, r)
		}
		lvl.Memory = watch.end()
		rep.Levels = append(rep.Levels, lvl)
	}
	if e.cache != nil {
		rep.Cache = e.cache.Stats()
	}
	if showMetrics && e.metrics != nil {
		rec := httptest.NewRecorder()
		e.metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		for _, l := range strings.Split(rec.Body.String(), "\n") {
			if strings.HasPrefix(l, "poort_") && !strings.Contains(l, "_bucket") {
				fmt.Fprintln(stderr, l)
			}
		}
	}
	if jsonOut == "-" {
		return writeJSON(stdout, rep)
	}
	writeTable(stdout, rep)
	if jsonOut != "" {
		f, err := os.Create(jsonOut)
		if err != nil {
			return err
		}
		defer f.Close()
		return writeJSON(f, rep)
	}
	return nil
}

func wayOf(name string) way {
	switch name {
	case "critical":
		return viaCritical
	case "naive":
		return viaNaive
	}
	return viaHub
}

func parseLevels(s string) ([]int, error) {
	var out []int
	for _, f := range split(s) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-concurrency: %q is not a number of clients", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("-concurrency: give at least one level")
	}
	return out, nil
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// writeHeapProfile writes the heap profile, and the goroutine profile
// beside it, which accounts for the stacks.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		return err
	}
	g, err := os.Create(path + ".goroutines")
	if err != nil {
		return err
	}
	defer g.Close()
	return pprof.Lookup("goroutine").WriteTo(g, 0)
}

// mostOften names the most frequent cause of failure and its count.
func mostOften(m map[string]int) string {
	best, n := "", 0
	for k, v := range m {
		if v > n || v == n && k < best {
			best, n = k, v
		}
	}
	return fmt.Sprintf("%q (%d)", best, n)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64)
}

func mib(b uint64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 0, 64) }

func writeTable(w io.Writer, r Report) {
	s := r.Settings
	fmt.Fprintf(w, "machine: %d CPUs (GOMAXPROCS %d), %s, %s\n", r.Machine.CPUs, r.Machine.GOMAXPROCS, r.Machine.CPUModel, r.Machine.GoVersion)
	bw := "the hub's default (POORT_BATCH_WAIT, 250µs)"
	if s.BatchWait > 0 {
		bw = s.BatchWait.String()
	}
	fmt.Fprintf(w, "population %d persons (generated in %.1fs), registry latency %v ± %v, batch window %s, guard %v, cache %v, audit log %v\n",
		s.Size, r.PopulationSeconds, s.Latency, s.Jitter, bw, s.Guard, s.Cache, s.AuditLog)
	if len(r.Verification) > 0 {
		fmt.Fprintln(w, "\nupstream calls per query, hub against the minimum (checked per subject):")
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
		regs := server.RegistryNames(server.Registries())
		fmt.Fprint(tw, "query\tsubjects\thub\tminimum\tdiffering\t")
		for _, reg := range regs {
			fmt.Fprintf(tw, "%s\t", reg)
		}
		fmt.Fprintln(tw)
		for _, v := range r.Verification {
			fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%d\t", v.Query, v.Subjects, v.HubCalls, v.MinimumCalls, v.Differing)
			for _, reg := range regs {
				fmt.Fprintf(tw, "%.2f/%.2f\t", v.HubBy[string(reg)], v.MinimumBy[string(reg)])
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		for _, v := range r.Verification {
			for _, ex := range v.Examples {
				fmt.Fprintf(w, "  %s, %s\n", v.Query, ex)
			}
		}
	}
	for _, l := range r.Levels {
		fmt.Fprintf(w, "\nconcurrency %d: peak RSS %s MiB (%s MiB at start), peak Go heap %s MiB (%s MiB at start), stacks %s MiB, %d goroutines at most\n",
			l.Concurrency, mib(l.Memory.PeakRSS), mib(l.Memory.StartRSS), mib(l.Memory.PeakHeap), mib(l.Memory.StartHeap),
			mib(l.Memory.PeakStacks), l.Memory.Goroutines)
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "query\thub p50\tp95\tp99\tq/s\tq/CPU-s\tcalls/q\tfailed\tcritical p50\toverhead\thops\tnaive p50\tnaive/hub\t")
		for _, q := range l.Queries {
			h := q.Hub
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.0f\t%.0f\t%.2f\t%d\t", q.Query, ms(h.Latency.P50), ms(h.Latency.P95), ms(h.Latency.P99),
				h.Throughput, float64(h.Requests)/max(h.CPUSeconds, 1e-9), h.Calls, h.Failures)
			if c := q.Critical; c != nil {
				fmt.Fprintf(tw, "%s\t%.2f\t%d/%d\t", ms(c.Latency.P50), q.Overhead, q.HubHops, q.CriticalHops)
			} else {
				fmt.Fprint(tw, "-\t-\t-\t")
			}
			if n := q.Naive; n != nil {
				fmt.Fprintf(tw, "%s\t%.2f\t", ms(n.Latency.P50), q.NaiveOverHub)
			} else {
				fmt.Fprint(tw, "-\t-\t")
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		for _, q := range l.Queries {
			for i, ph := range []*Phase{q.Hub, q.Critical, q.Naive} {
				if ph != nil && ph.Failures > 0 {
					fmt.Fprintf(w, "  %s, %s: %d failed, most often with %s\n", q.Query, []string{"hub", "critical path", "naive"}[i], ph.Failures, mostOften(ph.Errors))
				}
			}
		}
	}
	for _, c := range r.Cache {
		fmt.Fprintf(w, "cache %s: %d hits, %d misses (%.0f%%)\n", c.Name, c.Hits, c.Misses, 100*c.HitRate())
	}
}
