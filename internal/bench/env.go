package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/connectors/uwv"
	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/municipalities"
	"github.com/poort-nl/poort/internal/resilience"
	"github.com/poort-nl/poort/mocks"
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/store"
)

// Where the hub under measurement runs (Settings.Hub); anything else is
// the URL of a hub that runs already.
const (
	// HubInProcess runs the hub in the process of the run, beside the
	// mocks and the clients: what it measures of CPU and memory is theirs
	// together.
	HubInProcess = "in-process"
	// HubProcess runs the hub in a process of its own (HubCommand), as in
	// production against the run's mocks, so that its CPU and memory are
	// measured alone.
	HubProcess = "process"
)

// registries are the connectors the critical-path and naive resolvers
// call directly: the hub's own when it runs in this process, otherwise
// the same connectors opened here, with the same guard.
type registries struct {
	brp brp.API
	nhr nhr.API
	bag bag.API
	rdw rdw.API
	uwv uwv.API
}

// registriesOf takes the connectors the queries call from the open
// registries.
func registriesOf(rs connectors.Registries) (registries, error) {
	var r registries
	var errs [5]error
	r.brp, errs[0] = brp.From(rs)
	r.nhr, errs[1] = nhr.From(rs)
	r.bag, errs[2] = bag.From(rs)
	r.rdw, errs[3] = rdw.From(rs)
	r.uwv, errs[4] = uwv.From(rs)
	return r, errors.Join(errs[:]...)
}

// env is what a run measures: the mock registries over their population,
// served over loopback HTTP from this process; the hub, in this process or
// in its own; the connectors the reference resolutions call; and the
// clients' HTTP client.
type env struct {
	pop   *population.Population
	mocks *mocks.Set
	// url is the hub's GraphQL endpoint; token a bearer token it accepts
	// for every purpose.
	url   string
	token string
	// hubProc is the process the hub runs in: this one (inProcess), or
	// its own.
	hubProc   proc
	inProcess bool
	// hub is the hub when it runs in this process.
	hub *server.Hub
	// child is the hub's process when the run started it.
	child *hubChild
	// admin is the hub's admin listener, where it has one the run knows.
	admin   string
	srv     *http.Server
	client  *http.Client
	regs    registries
	metrics *resilience.Metrics
	cache   *resilience.Cache
	// populationTime is how long generating the population took.
	populationTime time.Duration
	// dir holds the run's files: keys, the policy, the database.
	dir     string
	closers []func() error
}

type envOptions struct {
	size int
	seed uint64
	// hub is HubInProcess, HubProcess or a running hub's URL; empty is
	// HubInProcess.
	hub string
	// hubCommand starts a hub process: the poort binary and its serve
	// command.
	hubCommand []string
	// token, hubPID and hubAdmin describe a running hub: a token it
	// accepts, its process (0: found by its port) and its admin listener.
	token    string
	hubPID   int
	hubAdmin string
	// mocksPort, when not zero, puts the mocks on fixed ports: the first
	// registry on it, the others on the next ones.
	mocksPort int
	// database is the POORT_DATABASE_URL of a hub process; empty is an
	// SQLite file in the run's directory.
	database string
	// batchWait, when not zero, replaces the hub's POORT_BATCH_WAIT.
	batchWait time.Duration
	// noAuditLog records disclosures per request as the hub does but does
	// not write them to the store, to measure what writing costs (in
	// process only).
	noAuditLog bool
	// cache wraps the registries in the resilience cache.
	cache bool
	// resilience configures guard and cache; nil means no guard at all.
	resilience *resilience.Config
	// clients is the number of concurrent clients to keep connections
	// for.
	clients int
	pop     *population.Population
	// requestTimeout and upstreamTimeout, when not zero, replace the
	// hub's POORT_REQUEST_TIMEOUT (30s here) and POORT_UPSTREAM_TIMEOUT.
	requestTimeout, upstreamTimeout time.Duration
	// breakers, when not nil, sees every change of a circuit.
	breakers func(connectors.Registry, string)
	// hubLog receives a hub process's output.
	hubLog io.Writer
}

// hubVars are the settings every hub of a run gets, in this process or
// its own.
func hubVars(o envOptions) map[string]string {
	vars := map[string]string{
		"POORT_PLAYGROUND":      "false",
		"POORT_REQUEST_TIMEOUT": "30s",
		// One principal asks everything here; the per-principal rate
		// limit is for a hub shared by many.
		"POORT_RATE_LIMIT": "0",
	}
	if o.requestTimeout > 0 {
		vars["POORT_REQUEST_TIMEOUT"] = o.requestTimeout.String()
	}
	if o.upstreamTimeout > 0 {
		vars["POORT_UPSTREAM_TIMEOUT"] = o.upstreamTimeout.String()
	}
	if o.batchWait > 0 {
		vars["POORT_BATCH_WAIT"] = o.batchWait.String()
	}
	return vars
}

func startEnv(ctx context.Context, o envOptions, log *slog.Logger) (_ *env, err error) {
	e := &env{pop: o.pop}
	if e.dir, err = os.MkdirTemp("", "poort-bench-"); err != nil {
		return nil, err
	}
	e.closers = append(e.closers, func() error { return os.RemoveAll(e.dir) })
	defer func() {
		if err != nil {
			e.close()
		}
	}()
	if e.pop == nil {
		start := time.Now()
		pop, err := population.Generate(population.Config{Seed: o.seed, Size: o.size})
		if err != nil {
			return nil, err
		}
		e.pop, e.populationTime = pop, time.Since(start)
	}
	switch o.hub {
	case "", HubInProcess:
		err = e.startInProcess(ctx, o, log)
	default:
		err = e.startApart(ctx, o)
	}
	if err != nil {
		return nil, err
	}
	clients := max(o.clients, 16)
	e.client = &http.Client{Transport: &http.Transport{
		MaxIdleConns: clients, MaxIdleConnsPerHost: clients, IdleConnTimeout: time.Minute, DisableCompression: true,
	}}
	e.closers = append(e.closers, func() error { e.client.CloseIdleConnections(); return nil })
	return e, nil
}

// startInProcess assembles the hub in this process, with its embedded
// mocks, and serves it on loopback.
func (e *env) startInProcess(ctx context.Context, o envOptions, log *slog.Logger) error {
	vars := hubVars(o)
	vars["POORT_DATABASE_URL"] = "sqlite::memory:"
	vars["POORT_AUTH_LOCAL_KEY_FILE"] = filepath.Join(e.dir, "signing-key.json")
	cfg, err := server.LoadConfig(func(k string) string { return vars[k] })
	if err != nil {
		return err
	}
	// The hub puts its default cache and guard in place of any it is not
	// given, so both are given here: none unless the options ask for them.
	opts := server.Options{Population: e.pop, Guard: unguarded{}, Cache: resilience.NewCache(resilience.CacheConfig{}, nil)}
	if o.resilience != nil {
		e.metrics = resilience.NewMetrics()
		opts.Guard, opts.Observer = e.guard(o), e.metrics
		if o.cache {
			e.cache = resilience.NewCache(o.resilience.Cache, e.metrics)
			opts.Cache = e.cache
		}
	}
	h, err := server.NewHub(ctx, cfg, log, opts)
	if err != nil {
		return err
	}
	e.hub, e.mocks, e.hubProc, e.inProcess = h, h.Mocks, self(), true
	e.closers = append(e.closers, h.Close)
	if e.token, err = h.DevelopmentToken(auth.MaxTokenTTL); err != nil {
		return err
	}
	if e.regs, err = registriesOf(h.Registries); err != nil {
		return err
	}
	handler := h.Handler
	if o.noAuditLog {
		if handler, err = e.noAuditLogHandler(cfg, log); err != nil {
			return err
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	e.url = "http://" + l.Addr().String() + "/graphql"
	e.srv = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go e.srv.Serve(l)
	e.closers = append(e.closers, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return e.srv.Shutdown(ctx)
	})
	return nil
}

// guard is the guard of the options' resilience configuration, counting
// into the run's metrics.
func (e *env) guard(o envOptions) connectors.Guard {
	gopts := []resilience.GuardOption{resilience.WithMetrics(e.metrics)}
	if o.breakers != nil {
		gopts = append(gopts, resilience.WithBreakerObserver(o.breakers))
	}
	return resilience.NewGuard(*o.resilience, gopts...)
}

// startApart starts the mocks in this process and opens the reference
// resolutions' connectors to them, then starts the hub in a process of
// its own or finds the running one.
func (e *env) startApart(ctx context.Context, o envOptions) error {
	set, err := mocks.Start(e.pop, server.MockRegistrations(server.Registries()), mocks.Options{BasePort: o.mocksPort})
	if err != nil {
		return err
	}
	e.mocks = set
	e.closers = append(e.closers, set.Close)
	var guard connectors.Guard = unguarded{}
	var observer connectors.Observer
	if o.resilience != nil {
		e.metrics = resilience.NewMetrics()
		guard, observer = e.guard(o), e.metrics
	}
	open := connectors.Registries{}
	for _, r := range server.Registries() {
		reg := r.Connector
		cs, err := connectors.NewSet(reg)
		if err != nil {
			return err
		}
		timeout := o.upstreamTimeout
		if timeout == 0 {
			timeout = 5 * time.Second // the hub's default POORT_UPSTREAM_TIMEOUT
		}
		c, err := cs.Open(reg.ID, connectors.Config{
			BaseURL: set.BaseURL(string(reg.Registry)), Settings: set.Settings(string(reg.Registry)),
			Timeout: timeout, Guard: guard, Observer: observer,
		})
		if err != nil {
			return err
		}
		e.closers = append(e.closers, c.Close)
		open[reg.Registry] = connectors.Open{Registration: reg, Connector: c}
	}
	if e.regs, err = registriesOf(open); err != nil {
		return err
	}
	if o.hub == HubProcess {
		return e.startHubProcess(ctx, o)
	}
	return e.findHub(o)
}

// findHub points the run at a hub that runs already, whose registries
// must be the run's mocks (-mocks-port fixes their ports).
func (e *env) findHub(o envOptions) error {
	base := strings.TrimSuffix(o.hub, "/")
	e.url, e.token, e.admin = base+"/graphql", o.token, strings.TrimSuffix(o.hubAdmin, "/")
	pid := o.hubPID
	if pid == 0 {
		_, port, err := net.SplitHostPort(strings.TrimPrefix(strings.TrimPrefix(base, "http://"), "https://"))
		if err != nil {
			return fmt.Errorf("-hub %q: %w", o.hub, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return fmt.Errorf("-hub %q: port %q: %w", o.hub, port, err)
		}
		if pid, err = listenerPID(p); err != nil {
			return fmt.Errorf("the hub's process, to measure it: %w", err)
		}
	}
	e.hubProc = proc{pid}
	return nil
}

// noAuditLogHandler builds the GraphQL handler as the hub does (the same
// resolver, policy, authentication and audit), but with an audit log that
// keeps nothing, for which the hub takes no option.
func (e *env) noAuditLogHandler(cfg server.Config, log *slog.Logger) (http.Handler, error) {
	towns, err := municipalities.Load()
	if err != nil {
		return nil, err
	}
	res, err := graph.NewResolver(graph.Options{
		Registries: e.hub.Cache.Registries(e.hub.Registries), Lineage: e.hub.Lineage, MunicipalityName: towns.Name, Catalogue: e.hub.Catalogue,
		Health: e.hub.Health.Health, Logger: log, Policy: e.hub.Policy, AuditLog: e.hub.Store, BatchWait: cfg.BatchWait,
	})
	if err != nil {
		return nil, fmt.Errorf("resolver with batch wait %v: %w", cfg.BatchWait, err)
	}
	verifier, _, err := auth.Setup(cfg.Auth)
	if err != nil {
		return nil, err
	}
	auditor, err := audit.New(audit.Config{Log: discardAudit{}, Policy: e.hub.Policy, Logger: log})
	if err != nil {
		return nil, err
	}
	return server.NewHandler(cfg, server.Deps{
		Resolver: res, Logger: log, Verifier: verifier, Auditor: auditor,
	}), nil
}

// discardAudit is an audit log that keeps nothing.
type discardAudit struct{}

func (discardAudit) AppendAudit(context.Context, []store.AuditRecord) error { return nil }

// unguarded makes every registry call directly: no breaker, no bulkhead.
type unguarded struct{}

func (unguarded) Do(ctx context.Context, _ connectors.Registry, call func(context.Context) error) error {
	return call(ctx)
}

// setLatency makes every mock registry answer after latency ± jitter.
func (e *env) setLatency(latency, jitter time.Duration) error {
	low := latency - jitter
	if low < 0 {
		return fmt.Errorf("jitter %v is larger than the latency %v", jitter, latency)
	}
	var errs []error
	for _, r := range e.mocks.Registries() {
		errs = append(errs, e.mocks.Faults(r).Set(fault.Config{
			LatencyMs: int(low.Milliseconds()), JitterMs: int((2 * jitter).Milliseconds()),
		}))
	}
	return errors.Join(errs...)
}

// calls returns the API calls the mocks received since the last reset, per
// registry.
func (e *env) calls() map[string]int {
	out := map[string]int{}
	for _, r := range e.mocks.Registries() {
		out[r], _ = e.mocks.Calls(r)
	}
	return out
}

// close stops what the run started, the last started first.
func (e *env) close() error {
	var errs []error
	for i := len(e.closers) - 1; i >= 0; i-- {
		errs = append(errs, e.closers[i]())
	}
	return errors.Join(errs...)
}
