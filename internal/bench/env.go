package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
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
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/store"
)

// registries are the hub's own connectors, which the critical-path and
// naive resolvers call directly: the same HTTP clients, guard and
// observer as the graph's.
type registries struct {
	brp brp.API
	nhr nhr.API
	bag bag.API
	rdw rdw.API
	uwv uwv.API
}

// registriesOf takes the connectors the queries call from the hub.
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

// env is a hub and its mock registries in this process, served over
// loopback HTTP.
type env struct {
	hub *server.Hub
	pop *population.Population
	url string
	// token is a development token of the hub's own issuer.
	token   string
	srv     *http.Server
	client  *http.Client
	regs    registries
	metrics *resilience.Metrics
	cache   *resilience.Cache
	// populationTime is how long generating the population took.
	populationTime time.Duration
	// keys holds the hub's signing key for the run.
	keys string
}

type envOptions struct {
	size int
	seed uint64
	// batchWait, when not zero, replaces the hub's loader batch window.
	batchWait time.Duration
	// noAuditLog records disclosures per request as the hub does but does
	// not write them to the store, to measure what writing costs.
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
}

func startEnv(ctx context.Context, o envOptions, log *slog.Logger) (*env, error) {
	e := &env{pop: o.pop}
	keys, err := os.MkdirTemp("", "poort-bench-")
	if err != nil {
		return nil, err
	}
	e.keys = keys
	if e.pop == nil {
		start := time.Now()
		pop, err := population.Generate(population.Config{Seed: o.seed, Size: o.size})
		if err != nil {
			return nil, err
		}
		e.pop, e.populationTime = pop, time.Since(start)
	}
	vars := map[string]string{
		"POORT_DATABASE_URL":    "sqlite::memory:",
		"POORT_PLAYGROUND":      "false",
		"POORT_REQUEST_TIMEOUT": "30s",
		// One principal asks everything here; the per-principal rate
		// limit is for a hub shared by many.
		"POORT_RATE_LIMIT": "0",
	}
	vars["POORT_AUTH_LOCAL_KEY_FILE"] = filepath.Join(keys, "signing-key.json")
	if o.requestTimeout > 0 {
		vars["POORT_REQUEST_TIMEOUT"] = o.requestTimeout.String()
	}
	if o.upstreamTimeout > 0 {
		vars["POORT_UPSTREAM_TIMEOUT"] = o.upstreamTimeout.String()
	}
	if o.batchWait > 0 {
		vars["POORT_BATCH_WAIT"] = o.batchWait.String()
	}
	cfg, err := server.LoadConfig(func(k string) string { return vars[k] })
	if err != nil {
		return nil, err
	}
	// The hub puts its default cache and guard in place of any it is not
	// given, so both are given here: none unless the options ask for them.
	opts := server.Options{Population: e.pop, Guard: unguarded{}, Cache: resilience.NewCache(resilience.CacheConfig{}, nil)}
	if o.resilience != nil {
		e.metrics = resilience.NewMetrics()
		gopts := []resilience.GuardOption{resilience.WithMetrics(e.metrics)}
		if o.breakers != nil {
			gopts = append(gopts, resilience.WithBreakerObserver(o.breakers))
		}
		opts.Guard, opts.Observer = resilience.NewGuard(*o.resilience, gopts...), e.metrics
		if o.cache {
			e.cache = resilience.NewCache(o.resilience.Cache, e.metrics)
			opts.Cache = e.cache
		}
	}
	h, err := server.NewHub(ctx, cfg, log, opts)
	if err != nil {
		os.RemoveAll(keys)
		return nil, err
	}
	e.hub = h
	if e.token, err = h.DevelopmentToken(auth.MaxTokenTTL); err != nil {
		e.close()
		return nil, err
	}
	if e.regs, err = registriesOf(h.Registries); err != nil {
		e.close()
		return nil, err
	}
	handler := h.Handler
	if o.noAuditLog {
		if handler, err = e.noAuditLogHandler(cfg, log); err != nil {
			h.Close()
			return nil, err
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.Close()
		return nil, err
	}
	e.url = "http://" + l.Addr().String() + "/graphql"
	e.srv = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go e.srv.Serve(l)
	clients := max(o.clients, 16)
	e.client = &http.Client{Transport: &http.Transport{
		MaxIdleConns: clients, MaxIdleConnsPerHost: clients, IdleConnTimeout: time.Minute, DisableCompression: true,
	}}
	return e, nil
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
	for _, r := range e.hub.Mocks.Registries() {
		errs = append(errs, e.hub.Mocks.Faults(r).Set(fault.Config{
			LatencyMs: int(low.Milliseconds()), JitterMs: int((2 * jitter).Milliseconds()),
		}))
	}
	return errors.Join(errs...)
}

// calls returns the API calls the mocks received since the last reset, per
// registry.
func (e *env) calls() map[string]int {
	out := map[string]int{}
	for _, r := range e.hub.Mocks.Registries() {
		out[r], _ = e.hub.Mocks.Calls(r)
	}
	return out
}

func (e *env) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	if e.srv != nil {
		errs = append(errs, e.srv.Shutdown(ctx))
	}
	errs = append(errs, e.hub.Close(), os.RemoveAll(e.keys))
	return errors.Join(errs...)
}
