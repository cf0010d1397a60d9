// Package bench measures the hub: Run is `poort bench`, which runs a fixed
// mix of queries against the hub and mock registries and compares the hub
// with the registries' critical path and with a naive resolution; the hub
// runs in this process or in its own, so that its CPU and memory can be
// measured alone. RunSoak is `poort soak`, which keeps clients busy
// against a hub whose registries fail at random. cmd/poort parses their
// flags; docs/benchmarks.md has the definitions, the commands and the
// results.
package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
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

	"github.com/poort-nl/poort/internal/resilience"
	"github.com/poort-nl/poort/server"
)

// Settings are a run's settings, as its report repeats them.
type Settings struct {
	// Hub is where the hub runs: HubProcess, HubInProcess, or the URL of
	// a running hub.
	Hub         string        `json:"hub"`
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
	// MocksPort, when not zero, fixes the mocks' ports: the first
	// registry on it, the others on the next ones, so that a running
	// hub can be pointed at them.
	MocksPort int `json:"mocksPort,omitempty"`
	// Database is a hub process's POORT_DATABASE_URL; empty is an SQLite
	// file of the run's own.
	Database string `json:"database,omitempty"`
}

// DefaultSettings are the settings of `poort bench` without flags.
func DefaultSettings() Settings {
	return Settings{
		Hub: HubProcess, Size: 100_000, Seed: 1, Latency: 20 * time.Millisecond, Jitter: 5 * time.Millisecond,
		Concurrency: []int{1, 200}, Duration: 10 * time.Second, Queries: QueryNames(), Ways: []string{"hub", "critical", "naive"},
		Subjects: 200, Verify: 50, Cache: false, Guard: true, Warmup: 300 * time.Millisecond, AuditLog: true,
	}
}

// QueryNames are the queries of the mix, in the order they run.
func QueryNames() []string {
	var out []string
	for _, q := range queries() {
		out = append(out, q.name)
	}
	return out
}

// Options are a run's settings and what it needs beyond them.
type Options struct {
	Settings
	// HubCommand starts a hub in a process of its own (Hub HubProcess):
	// the poort binary and its serve command.
	HubCommand []string
	// Token is a bearer token a running hub accepts for every purpose the
	// mix needs (Hub a URL).
	Token string
	// HubPID is a running hub's process, whose CPU and memory are
	// measured; 0 finds it by its port.
	HubPID int
	// HubAdmin is a running hub's admin listener, for the metrics and the
	// profiles; a hub process the run starts has its own.
	HubAdmin string
	// JSON, when set, names a file the JSON report is written to as well;
	// "-" writes it to stdout instead of the table.
	JSON string
	// CPUProfile and MemProfile name profile files: of this process for
	// a hub in it, of the hub's process otherwise (see Run).
	CPUProfile, MemProfile string
	// Metrics writes the hub's poort_* metrics to stderr at the end.
	Metrics bool
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

// validate checks the settings that flags cannot.
func (s Settings) validate() error {
	var errs []error
	if len(s.Concurrency) == 0 {
		errs = append(errs, errors.New("give at least one concurrency level"))
	}
	for _, c := range s.Concurrency {
		if c < 1 {
			errs = append(errs, fmt.Errorf("concurrency %d: want at least one client", c))
		}
	}
	for _, w := range s.Ways {
		if !slices.Contains([]string{"hub", "critical", "naive"}, w) {
			errs = append(errs, fmt.Errorf("unknown way %q: want hub, critical or naive", w))
		}
	}
	if !slices.Contains(s.Ways, "hub") {
		errs = append(errs, errors.New("the hub must be measured (ways)"))
	}
	for _, n := range s.Queries {
		if !slices.Contains(QueryNames(), n) {
			errs = append(errs, fmt.Errorf("unknown query %q: want one of %s", n, strings.Join(QueryNames(), ", ")))
		}
	}
	if len(s.Queries) == 0 {
		errs = append(errs, errors.New("give at least one query"))
	}
	if s.Duration <= 0 && s.Count <= 0 {
		errs = append(errs, errors.New("give a duration or a count"))
	}
	switch {
	case s.Hub == HubInProcess:
		if s.Database != "" {
			errs = append(errs, errors.New("a hub in this process keeps its audit log in memory; a database is for a hub process"))
		}
	case s.Hub == HubProcess, strings.HasPrefix(s.Hub, "http://"), strings.HasPrefix(s.Hub, "https://"):
		if !s.AuditLog {
			errs = append(errs, errors.New("a hub in a process of its own always writes its audit log; leaving it out needs the hub in this process"))
		}
	default:
		errs = append(errs, fmt.Errorf("hub %q: want %s, %s or the URL of a running hub", s.Hub, HubProcess, HubInProcess))
	}
	return errors.Join(errs...)
}

// validate checks what a run needs beyond its settings.
func (o Options) validate() error {
	if err := o.Settings.validate(); err != nil {
		return err
	}
	switch o.Hub {
	case HubInProcess:
		return nil
	case HubProcess:
		if len(o.HubCommand) == 0 {
			return errors.New("no command to start a hub process with")
		}
		return nil
	}
	if o.Token == "" {
		return errors.New("a running hub needs a token it accepts for every purpose the mix asks")
	}
	return nil
}

// Run is `poort bench`: it starts the mock registries over a generated
// population and the hub, gives every registry the configured latency,
// and for each concurrency and query measures the hub, the critical-path
// resolution and the naive one. It writes a table to stdout (or the JSON
// report), progress to stderr. The guard and cache take the hub's POORT_*
// resilience variables.
//
// With the hub in this process, CPU and memory are those of the whole
// process, and the CPU profile covers every measured phase of it. With
// the hub in its own process, they are the hub's alone, read from /proc,
// and the profiles are the hub's, from its admin listener: a CPU profile
// per hub phase (FILE.c<clients>.<query>; duration runs of whole seconds
// only) and a heap profile halfway through the first hub phase of the last
// level.
func Run(ctx context.Context, o Options, stdout, stderr io.Writer) error {
	if err := o.validate(); err != nil {
		return err
	}
	s := o.Settings
	var qs []query
	for _, n := range s.Queries {
		qs = append(qs, queries()[slices.Index(QueryNames(), n)])
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	rcfg, err := resilience.LoadConfig(os.Getenv, server.RegistryNames(server.Registries()))
	if err != nil {
		return err
	}
	eo := envOptions{
		size: s.Size, seed: s.Seed, batchWait: s.BatchWait, noAuditLog: !s.AuditLog, cache: s.Cache, clients: slices.Max(s.Concurrency),
		hub: s.Hub, hubCommand: o.HubCommand, token: o.Token, hubPID: o.HubPID, hubAdmin: o.HubAdmin,
		mocksPort: s.MocksPort, database: s.Database, hubLog: stderr,
	}
	if s.Guard {
		eo.resilience = &rcfg
	}
	mach := machine() // before the run loads the machine
	fmt.Fprintf(stderr, "generating %d persons and starting the hub (%s)\n", s.Size, s.Hub)
	e, err := startEnv(ctx, eo, log)
	if err != nil {
		return err
	}
	defer e.close()
	if !e.inProcess && e.child == nil {
		fmt.Fprintln(stderr, "the hub's registries must be this run's mocks:")
		for _, r := range e.mocks.Registries() {
			fmt.Fprintf(stderr, "  POORT_%s_URL=%s\n", r, e.mocks.BaseURL(r))
		}
	}
	rep := Report{Machine: mach, Settings: s, PopulationSeconds: e.populationTime.Seconds()}

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
	if o.CPUProfile != "" && e.inProcess {
		f, err := os.Create(o.CPUProfile)
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
		for qi, p := range ps {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			fmt.Fprintf(stderr, "concurrency %d: %s\n", c, p.name)
			r := QueryResult{Query: p.name, CriticalHops: p.criticalHops, HubHops: p.hubHops}
			var profiles []chan error
			if o.MemProfile != "" && li == len(s.Concurrency)-1 && qi == 0 && s.Count == 0 {
				// Under load, where the memory is; at the end it is gone.
				done := make(chan error, 1)
				time.AfterFunc(s.Duration/2, func() { done <- e.heapProfile(ctx, o.MemProfile) })
				profiles = append(profiles, done)
			}
			if o.CPUProfile != "" && !e.inProcess {
				done := make(chan error, 1)
				go func() {
					done <- e.hubCPUProfile(ctx, fmt.Sprintf("%s.c%d.%s", o.CPUProfile, c, p.name), s.Duration, s.Count)
				}()
				profiles = append(profiles, done)
			}
			r.Hub = e.phase(ctx, p, viaHub, c, s.Count, s.Duration)
			for _, done := range profiles {
				if err := <-done; err != nil {
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
			lvl.Memory = lvl.Memory.merge(*r.Hub.HubMemory, qi == 0)
			lvl.Queries = append(lvl.Queries, r)
		}
		rep.Levels = append(rep.Levels, lvl)
	}
	if e.cache != nil {
		rep.Cache = e.cache.Stats()
	}
	if o.Metrics {
		if err := e.writeMetrics(ctx, stderr); err != nil {
			return err
		}
	}
	if o.JSON == "-" {
		return writeJSON(stdout, rep)
	}
	writeTable(stdout, rep, e.inProcess)
	if o.JSON != "" {
		f, err := os.Create(o.JSON)
		if err != nil {
			return err
		}
		defer f.Close()
		return writeJSON(f, rep)
	}
	return nil
}

// merge takes a phase's memory into a level's: the peaks are the level's
// peaks, the start is the first phase's.
func (m Memory) merge(ph Memory, first bool) Memory {
	if first {
		m.StartRSS, m.StartHeap = ph.StartRSS, ph.StartHeap
	}
	m.PeakRSS, m.PeakHeap = max(m.PeakRSS, ph.PeakRSS), max(m.PeakHeap, ph.PeakHeap)
	m.PeakStacks, m.Goroutines = max(m.PeakStacks, ph.PeakStacks), max(m.Goroutines, ph.Goroutines)
	return m
}

// heapProfile writes the hub's heap profile, and its goroutine profile
// beside it (FILE.goroutines), which accounts for the stacks.
func (e *env) heapProfile(ctx context.Context, path string) error {
	if e.inProcess {
		return writeHeapProfile(path)
	}
	var heap, goroutines bytes.Buffer
	if err := e.adminGet(ctx, "/debug/pprof/heap?gc=1", &heap); err != nil {
		return err
	}
	if err := e.adminGet(ctx, "/debug/pprof/goroutine", &goroutines); err != nil {
		return err
	}
	return errors.Join(os.WriteFile(path, heap.Bytes(), 0o644), os.WriteFile(path+".goroutines", goroutines.Bytes(), 0o644))
}

// hubCPUProfile writes a CPU profile of the hub's process over a phase of
// the duration, which must be whole seconds.
func (e *env) hubCPUProfile(ctx context.Context, path string, d time.Duration, count int) error {
	if count > 0 || d < time.Second || d%time.Second != 0 {
		return fmt.Errorf("a CPU profile of a hub process needs a duration of whole seconds, not %v or a count", d)
	}
	var b bytes.Buffer
	if err := e.adminGet(ctx, fmt.Sprintf("/debug/pprof/profile?seconds=%d", d/time.Second), &b); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// writeMetrics writes the hub's poort_* metrics, histogram buckets left
// out.
func (e *env) writeMetrics(ctx context.Context, w io.Writer) error {
	var b bytes.Buffer
	if e.inProcess {
		if e.metrics == nil {
			return nil
		}
		rec := httptest.NewRecorder()
		e.metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		b = *rec.Body
	} else if err := e.adminGet(ctx, "/metrics", &b); err != nil {
		return err
	}
	sc := bufio.NewScanner(&b)
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, "poort_") && !strings.Contains(l, "_bucket") {
			fmt.Fprintln(w, l)
		}
	}
	return sc.Err()
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

func writeTable(w io.Writer, r Report, inProcess bool) {
	s := r.Settings
	fmt.Fprintf(w, "machine: %d CPUs (GOMAXPROCS %d), %s, %s, load average %s\n", r.Machine.CPUs, r.Machine.GOMAXPROCS, r.Machine.CPUModel, r.Machine.GoVersion, r.Machine.LoadAverage)
	if inProcess {
		fmt.Fprintln(w, "hub: in this process, beside the mocks and the clients; CPU and memory are the whole process's")
	} else {
		fmt.Fprintf(w, "hub: %s, a process of its own; CPU and memory are the hub process's alone\n", s.Hub)
	}
	bw := "the hub's default (POORT_BATCH_WAIT, " + server.DefaultBatchWait.String() + ")"
	if s.BatchWait > 0 {
		bw = s.BatchWait.String()
	}
	fmt.Fprintf(w, "population %d persons (generated in %.1fs), registry latency %v ± %v, loaders' longest wait %s, guard %v, cache %v, audit log %v\n",
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
		m := l.Memory
		if inProcess {
			fmt.Fprintf(w, "\nconcurrency %d: peak RSS %s MiB (%s MiB at start), peak Go heap %s MiB (%s MiB at start), stacks %s MiB, %d goroutines at most\n",
				l.Concurrency, mib(m.PeakRSS), mib(m.StartRSS), mib(m.PeakHeap), mib(m.StartHeap), mib(m.PeakStacks), m.Goroutines)
		} else {
			fmt.Fprintf(w, "\nconcurrency %d: hub peak RSS %s MiB (%s MiB at start)\n", l.Concurrency, mib(m.PeakRSS), mib(m.StartRSS))
		}
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
		if inProcess {
			fmt.Fprint(tw, "query\thub p50\tp95\tp99\tq/s\tq/CPU-s\t")
		} else {
			fmt.Fprint(tw, "query\thub p50\tp95\tp99\tq/s\thub CPU/q\tq/hub-CPU-s\thub RSS\t")
		}
		fmt.Fprintln(tw, "calls/q\tfailed\tcritical p50\toverhead\thops\tnaive p50\tnaive/hub\t")
		for _, q := range l.Queries {
			h := q.Hub
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.0f\t", q.Query, ms(h.Latency.P50), ms(h.Latency.P95), ms(h.Latency.P99), h.Throughput)
			if inProcess {
				fmt.Fprintf(tw, "%.0f\t", float64(h.Requests)/max(h.CPUSeconds, 1e-9))
			} else {
				fmt.Fprintf(tw, "%s ms\t%.0f\t%s MiB\t", strconv.FormatFloat(float64(h.HubCPUPerRequest)/float64(time.Millisecond), 'f', 2, 64),
					h.RequestsPerHubCPUSecond, mib(h.HubMemory.PeakRSS))
			}
			fmt.Fprintf(tw, "%.2f\t%d\t", h.Calls, h.Failures)
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
