package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/internal/resilience"
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/server"
)

// SoakSettings are the flags of a soak, as its report repeats them.
type SoakSettings struct {
	Clients         int           `json:"clients"`
	Duration        time.Duration `json:"duration"`
	Size            int           `json:"populationSize"`
	Latency         time.Duration `json:"latency"`
	Jitter          time.Duration `json:"jitter"`
	FaultEvery      time.Duration `json:"faultEvery"`
	Sample          time.Duration `json:"sample"`
	RequestTimeout  time.Duration `json:"requestTimeout"`
	UpstreamTimeout time.Duration `json:"upstreamTimeout"`
	Cache           bool          `json:"cache"`
	AuditLog        bool          `json:"auditLog"`
	Seed            uint64        `json:"seed"`
}

// SoakSample is the process at one moment of the soak.
type SoakSample struct {
	At         time.Duration `json:"at"`
	Requests   int64         `json:"requests"`
	RSS        uint64        `json:"rssBytes"`
	Heap       uint64        `json:"heapBytes"`
	Goroutines int           `json:"goroutines"`
	Faults     string        `json:"faults"`
}

// SoakReport is what RunSoak reports.
type SoakReport struct {
	Machine  Machine      `json:"machine"`
	Settings SoakSettings `json:"settings"`
	Requests int64        `json:"requests"`
	// Statuses counts the answers by HTTP status; ServerErrors those of
	// 500 and above, which must be none.
	Statuses     map[int]int64 `json:"statuses"`
	ServerErrors int64         `json:"serverErrors"`
	// TransportErrors are requests that got no answer at all.
	TransportErrors int64 `json:"transportErrors"`
	// Partial counts answers with data and errors; Codes the errors by
	// extensions.code and registry.
	Partial int64            `json:"partialAnswers"`
	Codes   map[string]int64 `json:"errorsByCode"`
	Latency Latencies        `json:"latency"`
	// BreakerChanges counts the circuit changes per registry and state.
	BreakerChanges map[string]int64 `json:"breakerChanges"`
	Faults         []string         `json:"faults"`
	Samples        []SoakSample     `json:"samples"`
	// GoroutinesBefore and GoroutinesAfter bracket the soak, once the
	// clients stopped and the hub settled: a leak shows as a difference.
	GoroutinesBefore int `json:"goroutinesBefore"`
	GoroutinesAfter  int `json:"goroutinesAfter"`
}

// soakFaults are the faults the soak picks from.
var soakFaults = []struct {
	name string
	cfg  fault.Config
}{
	// LatencyMs is set to half a second past the upstream timeout.
	{"latency past the deadline", fault.Config{LatencyMs: -1}},
	{"hang", fault.Config{Hang: true}},
	{"500", fault.Config{Status: 500}},
	{"503 with Retry-After", fault.Config{Status: 503, RetryAfterSeconds: 2}},
	{"429", fault.Config{Status: 429}},
	{"dropped connection", fault.Config{Drop: true}},
	{"malformed JSON", fault.Config{Malformed: true}},
	{"truncated body", fault.Config{Truncated: true}},
	{"wrong content type", fault.Config{WrongContentType: true}},
}

// DefaultSoakSettings are the settings of `poort soak` without flags.
func DefaultSoakSettings() SoakSettings {
	return SoakSettings{
		Clients: 50, Duration: 3 * time.Minute, Size: 100_000, Seed: 1, Latency: 20 * time.Millisecond, Jitter: 5 * time.Millisecond,
		FaultEvery: 5 * time.Second, Sample: 10 * time.Second, RequestTimeout: 2 * time.Second, UpstreamTimeout: time.Second,
		Cache: true, AuditLog: true,
	}
}

// RunSoak is `poort soak`: clients keep asking the query mix of a hub in
// this process for the duration, while every few seconds one or two
// registries, at random, fail in a random way for a random share of their
// calls. It reports the answers by status and the errors by code, and
// samples memory over time. It fails when any answer was a 5xx. jsonOut,
// when set, names a file the JSON report is written to as well; "-"
// writes it to stdout instead of the table.
func RunSoak(ctx context.Context, s SoakSettings, jsonOut string, stdout, stderr io.Writer) error {
	if s.Clients < 1 || s.Duration <= 0 || s.FaultEvery <= 0 || s.Sample <= 0 {
		return errors.New("soak: clients, duration, fault interval and sample interval must be positive")
	}
	rcfg, err := resilience.LoadConfig(os.Getenv, server.RegistryNames(server.Registries()))
	if err != nil {
		return err
	}
	rep := SoakReport{Machine: machine(), Settings: s, Statuses: map[int]int64{}, Codes: map[string]int64{}, BreakerChanges: map[string]int64{}}
	var bmu sync.Mutex
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	fmt.Fprintf(stderr, "generating %d persons and starting the hub\n", s.Size)
	e, err := startEnv(ctx, envOptions{
		size: s.Size, seed: s.Seed, cache: s.Cache, noAuditLog: !s.AuditLog, resilience: &rcfg, clients: s.Clients,
		requestTimeout: s.RequestTimeout, upstreamTimeout: s.UpstreamTimeout,
		breakers: func(r connectors.Registry, state string) {
			bmu.Lock()
			rep.BreakerChanges[string(r)+" "+state]++
			bmu.Unlock()
		},
	}, log)
	if err != nil {
		return err
	}
	defer e.close()
	if err := e.setLatency(s.Latency, s.Jitter); err != nil {
		return err
	}
	var ps []prepared
	for _, q := range queries() {
		p, err := prepare(q, e, 200)
		if err != nil {
			return err
		}
		ps = append(ps, p)
	}
	runtime.GC()
	rep.GoroutinesBefore = runtime.NumGoroutine()

	ctx, cancel := context.WithTimeout(ctx, s.Duration)
	defer cancel()
	rnd := rand.New(rand.NewPCG(s.Seed, 7))
	var current atomic.Value
	current.Store("none")
	var requests atomic.Int64
	start := time.Now()

	var bg sync.WaitGroup
	bg.Go(func() {
		t := time.NewTicker(s.FaultEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			desc := e.injectFaults(rnd, s.Latency, s.Jitter, s.UpstreamTimeout+500*time.Millisecond)
			current.Store(desc)
			rep.Faults = append(rep.Faults, fmt.Sprintf("%6.1fs %s", time.Since(start).Seconds(), desc))
		}
	})
	sample := func() {
		heap, _ := heapInUse()
		rep.Samples = append(rep.Samples, SoakSample{
			At: time.Since(start).Round(time.Second), Requests: requests.Load(), RSS: self().status("VmRSS"),
			Heap: heap, Goroutines: runtime.NumGoroutine(), Faults: current.Load().(string),
		})
	}
	bg.Go(func() {
		t := time.NewTicker(s.Sample)
		defer t.Stop()
		for {
			sample()
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})

	var mu sync.Mutex
	lat, _, _ := load(ctx, s.Clients, 0, s.Duration, func(ctx context.Context, i int) error {
		p := ps[i%len(ps)]
		st, codes, err := e.askForCodes(ctx, p.bodies[(i/len(ps))%len(p.bodies)])
		if ctx.Err() != nil {
			// The soak's end, not the hub's doing.
			return nil
		}
		requests.Add(1)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err != nil:
			rep.TransportErrors++
		case st >= 500:
			rep.ServerErrors++
		}
		if st != 0 {
			rep.Statuses[st]++
		}
		if len(codes) > 0 {
			rep.Partial++
		}
		for _, c := range codes {
			rep.Codes[c]++
		}
		return err
	})
	bg.Wait()
	sample()
	rep.Requests = requests.Load()
	rep.Latency = summarise(lat)
	e.mocks.ClearFaults()
	// Let what the faults left hanging time out, then count what is left.
	time.Sleep(s.UpstreamTimeout + time.Second)
	// Idle keep-alive connections hold goroutines on both ends; close
	// them, so what is left is what leaked.
	e.client.CloseIdleConnections()
	for _, o := range e.hub.Registries {
		o.Connector.Close()
	}
	time.Sleep(200 * time.Millisecond)
	runtime.GC()
	rep.GoroutinesAfter = runtime.NumGoroutine()

	if jsonOut == "-" {
		err = writeJSON(stdout, rep)
	} else {
		writeSoakTable(stdout, rep)
		if jsonOut != "" {
			f, ferr := os.Create(jsonOut)
			if ferr != nil {
				return ferr
			}
			defer f.Close()
			err = writeJSON(f, rep)
		}
	}
	if err != nil {
		return err
	}
	if rep.ServerErrors > 0 {
		return fmt.Errorf("soak: %d answers were a 5xx, want none", rep.ServerErrors)
	}
	return nil
}

// injectFaults clears every fault, then breaks one or two registries at
// random in a random way for a random share of their calls, and describes
// what it did.
func (e *env) injectFaults(rnd *rand.Rand, latency, jitter, late time.Duration) string {
	e.setLatency(latency, jitter)
	regs := e.mocks.Registries()
	rnd.Shuffle(len(regs), func(i, j int) { regs[i], regs[j] = regs[j], regs[i] })
	n := 1 + rnd.IntN(2)
	var parts []string
	for _, r := range regs[:n] {
		f := soakFaults[rnd.IntN(len(soakFaults))]
		cfg := f.cfg
		switch cfg.LatencyMs {
		case -1:
			// Not much later: a mock sleeping on a POST it has not read
			// does not notice the hub leaving.
			cfg.LatencyMs = int(late.Milliseconds())
		case 0:
			cfg.LatencyMs = int((latency - jitter).Milliseconds())
			cfg.JitterMs = int((2 * jitter).Milliseconds())
		}
		// A share of 30 to 100 %: some calls pass, as with a real
		// registry in trouble.
		cfg.Probability = 0.3 + 0.7*rnd.Float64()
		e.mocks.Faults(r).Set(cfg)
		parts = append(parts, fmt.Sprintf("%s %s (%.0f%%)", r, f.name, 100*cfg.Probability))
	}
	sort.Strings(parts)
	return fmt.Sprint(parts)
}

// askForCodes sends a request and returns the HTTP status and each
// error's code and registry, as "UPSTREAM_TIMEOUT BAG".
func (e *env) askForCodes(ctx context.Context, body []byte) (int, []string, error) {
	st, b, err := e.post(ctx, body)
	if err != nil {
		return st, nil, err
	}
	codes, err := errorCodes(b)
	if err != nil {
		return st, []string{"NOT_JSON"}, nil
	}
	return st, codes, nil
}

func writeSoakTable(w io.Writer, r SoakReport) {
	s := r.Settings
	fmt.Fprintf(w, "machine: %d CPUs (GOMAXPROCS %d), %s, %s\n", r.Machine.CPUs, r.Machine.GOMAXPROCS, r.Machine.CPUModel, r.Machine.GoVersion)
	fmt.Fprintf(w, "soak: %d clients for %v, population %d, registry latency %v ± %v, faults change every %v, request timeout %v, upstream timeout %v, cache %v, audit log %v\n",
		s.Clients, s.Duration, s.Size, s.Latency, s.Jitter, s.FaultEvery, s.RequestTimeout, s.UpstreamTimeout, s.Cache, s.AuditLog)
	fmt.Fprintf(w, "\n%d requests: HTTP 5xx %d, no answer %d, partial answers %d; latency p50 %s ms, p95 %s ms, p99 %s ms, max %s ms\n",
		r.Requests, r.ServerErrors, r.TransportErrors, r.Partial, ms(r.Latency.P50), ms(r.Latency.P95), ms(r.Latency.P99), ms(r.Latency.Max))
	fmt.Fprint(w, "statuses:")
	var sts []int
	for st := range r.Statuses {
		sts = append(sts, st)
	}
	sort.Ints(sts)
	for _, st := range sts {
		fmt.Fprintf(w, " %d×%d", st, r.Statuses[st])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "\nerrors by code and registry:")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, k := range sortedKeys(r.Codes) {
		fmt.Fprintf(tw, "  %s\t%d\n", k, r.Codes[k])
	}
	tw.Flush()
	fmt.Fprintln(w, "\ncircuit changes:")
	for _, k := range sortedKeys(r.BreakerChanges) {
		fmt.Fprintf(w, "  %s %d\n", k, r.BreakerChanges[k])
	}
	fmt.Fprintln(w, "\nmemory over time:")
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  at\trequests\tRSS MiB\tGo heap MiB\tgoroutines\tfaults")
	for _, x := range r.Samples {
		fmt.Fprintf(tw, "  %v\t%d\t%s\t%s\t%d\t%s\n", x.At, x.Requests, mib(x.RSS), mib(x.Heap), x.Goroutines, x.Faults)
	}
	tw.Flush()
	fmt.Fprintf(w, "\ngoroutines before %d, after (clients stopped, hub settled) %d\n", r.GoroutinesBefore, r.GoroutinesAfter)
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
