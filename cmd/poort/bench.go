package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/poort-nl/poort/internal/bench"
	"github.com/poort-nl/poort/internal/cli"
	"github.com/poort-nl/poort/server"
)

// benchCommand is `poort bench`: the query mix against the hub, the
// registries' critical path and a naive resolution (docs/benchmarks.md).
// The hub runs in a process of its own, started from this binary, unless
// -hub says otherwise.
func benchCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o := bench.Options{Settings: bench.DefaultSettings()}
	s := &o.Settings
	fs := flag.NewFlagSet("poort bench", flag.ContinueOnError)
	concurrency := intList(s.Concurrency)
	queries, ways := stringList(s.Queries), stringList(s.Ways)
	fs.StringVar(&s.Hub, "hub", s.Hub, "where the hub runs: process (its own, started from this binary), in-process (beside the mocks and clients), or the URL of a running hub")
	fs.StringVar(&o.Token, "token", getenv("POORT_BENCH_TOKEN"), "with -hub URL: a bearer token the hub accepts for every purpose the mix asks (default $POORT_BENCH_TOKEN)")
	fs.IntVar(&o.HubPID, "hub-pid", 0, "with -hub URL: the hub's process id, to measure its CPU and memory; 0 finds the process listening on the URL's port")
	fs.StringVar(&o.HubAdmin, "hub-admin", "", "with -hub URL: the hub's admin listener (e.g. http://127.0.0.1:9464), for -metrics and the profiles")
	fs.IntVar(&s.MocksPort, "mocks-port", 0, "fixed ports for the mocks: the first registry on it, the others on the next ones; 0 picks free ports")
	hubBinary := fs.String("hub-binary", "", "with -hub process: the poort binary to run the hub from (e.g. a build of another commit, to compare); empty is this binary")
	fs.StringVar(&s.Database, "database", "", "with -hub process: the hub's POORT_DATABASE_URL; empty is an SQLite file of the run")
	fs.IntVar(&s.Size, "size", s.Size, "persons in the mock population")
	fs.Uint64Var(&s.Seed, "seed", s.Seed, "population seed")
	fs.DurationVar(&s.Latency, "latency", s.Latency, "latency of every registry call")
	fs.DurationVar(&s.Jitter, "jitter", s.Jitter, "uniform jitter around the latency (±)")
	fs.Var(&concurrency, "concurrency", "concurrent clients, a comma-separated list of levels")
	fs.DurationVar(&s.Duration, "duration", s.Duration, "how long each query runs each way at each level")
	fs.IntVar(&s.Count, "count", 0, "run this many queries each way instead of for a duration")
	fs.Var(&queries, "queries", "queries of the mix to run, comma-separated: "+strings.Join(bench.QueryNames(), ", "))
	fs.Var(&ways, "ways", "resolutions to measure, comma-separated: hub, critical (path), naive")
	fs.IntVar(&s.Subjects, "subjects", s.Subjects, "distinct subjects per query, spread over the population")
	fs.IntVar(&s.Verify, "verify", s.Verify, "subjects per query whose calls are checked against the minimum; 0 skips")
	fs.DurationVar(&s.BatchWait, "batch-wait", 0, "longest a loader's batch waits for keys the executor cannot see; 0 keeps the hub's default (POORT_BATCH_WAIT, "+server.DefaultBatchWait.String()+")")
	fs.BoolVar(&s.Cache, "cache", s.Cache, "keep registry answers in the resilience cache as the hub does by default (calls then fall below the minimum)")
	fs.BoolVar(&s.Guard, "guard", s.Guard, "guard every registry call (breaker, bulkhead, deadline) as the hub does")
	fs.BoolVar(&s.AuditLog, "audit-log", s.AuditLog, "write every disclosure to the audit log before answering, as the hub does; false (in-process only) records them but writes nothing")
	fs.DurationVar(&s.Warmup, "warmup", s.Warmup, "warm-up per query and way before the first level")
	fs.StringVar(&o.JSON, "json", "", "also write the JSON report to this file; - writes it to stdout instead of the table")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile: of the whole run in-process, of the hub process per hub phase (FILE.c<clients>.<query>)")
	fs.StringVar(&o.MemProfile, "memprofile", "", "write a heap profile of the hub (and FILE.goroutines) halfway through the first hub phase of the last level")
	fs.BoolVar(&o.Metrics, "metrics", false, "write the hub's poort_* metrics to stderr at the end")
	if done, err := cli.Parse(fs, args, "", stdout); done || err != nil {
		return err
	}
	s.Concurrency, s.Queries, s.Ways = concurrency, queries, ways
	if s.Hub == bench.HubProcess {
		exe := *hubBinary
		if exe == "" {
			var err error
			if exe, err = os.Executable(); err != nil {
				return fmt.Errorf("bench: the poort binary, to start the hub with: %w", err)
			}
		}
		o.HubCommand = []string{exe, "serve"}
	}
	return bench.Run(ctx, o, stdout, stderr)
}

// soak is `poort soak`: many clients against one hub whose registries
// fail at random (docs/benchmarks.md).
func soak(ctx context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	s := bench.DefaultSoakSettings()
	var jsonOut string
	fs := flag.NewFlagSet("poort soak", flag.ContinueOnError)
	fs.IntVar(&s.Clients, "clients", s.Clients, "concurrent clients")
	fs.DurationVar(&s.Duration, "duration", s.Duration, "how long to keep the clients busy")
	fs.IntVar(&s.Size, "size", s.Size, "persons in the mock population")
	fs.Uint64Var(&s.Seed, "seed", s.Seed, "population and fault seed")
	fs.DurationVar(&s.Latency, "latency", s.Latency, "latency of every registry call")
	fs.DurationVar(&s.Jitter, "jitter", s.Jitter, "uniform jitter around the latency (±)")
	fs.DurationVar(&s.FaultEvery, "fault-every", s.FaultEvery, "how often the faults change")
	fs.DurationVar(&s.Sample, "sample", s.Sample, "how often memory is sampled")
	fs.DurationVar(&s.RequestTimeout, "request-timeout", s.RequestTimeout, "the hub's POORT_REQUEST_TIMEOUT")
	fs.DurationVar(&s.UpstreamTimeout, "upstream-timeout", s.UpstreamTimeout, "the hub's POORT_UPSTREAM_TIMEOUT")
	fs.BoolVar(&s.Cache, "cache", s.Cache, "wrap the registries in the resilience cache, as the hub does")
	fs.BoolVar(&s.AuditLog, "audit-log", s.AuditLog, "write every disclosure to the audit log (here an in-memory SQLite database), as the hub does")
	fs.StringVar(&jsonOut, "json", "", "also write the JSON report to this file; - writes it to stdout instead of the table")
	if done, err := cli.Parse(fs, args, "", stdout); done || err != nil {
		return err
	}
	return bench.RunSoak(ctx, s, jsonOut, stdout, stderr)
}

// stringList is a comma-separated flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = nil
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			*l = append(*l, f)
		}
	}
	return nil
}

// intList is a comma-separated flag of positive numbers.
type intList []int

func (l *intList) String() string {
	var out []string
	for _, n := range *l {
		out = append(out, strconv.Itoa(n))
	}
	return strings.Join(out, ",")
}

func (l *intList) Set(v string) error {
	*l = nil
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return fmt.Errorf("%q is not a number of clients", f)
		}
		*l = append(*l, n)
	}
	if len(*l) == 0 {
		return errors.New("give at least one level")
	}
	return nil
}
