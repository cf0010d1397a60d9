package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/balie"
	"github.com/poort-nl/poort/businesscase"
	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/internal/municipalities"
	"github.com/poort-nl/poort/internal/observe"
	"github.com/poort-nl/poort/internal/resilience"
	"github.com/poort-nl/poort/internal/telemetry"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/mocks"
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/partners"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/policy"
	"github.com/poort-nl/poort/store"
)

// Hub is an assembled hub: its handler and what it owns.
type Hub struct {
	Handler http.Handler
	// AdminHandler serves metrics and charts, for the admin listener.
	AdminHandler http.Handler
	// Development says the hub runs in development mode
	// (Config.DevelopmentMode).
	Development bool
	// Store holds the hub's durable state.
	Store     *store.Store
	ownsStore bool
	// Mocks are the embedded mock registries of development mode, nil
	// otherwise.
	Mocks *mocks.Set
	// Registries are the open registries, by name: each registry's
	// registration and connector. Take a registry's typed API from it with
	// its connector package's From, e.g. brp.From(h.Registries).
	Registries connectors.Registries
	// Cache keeps the answers of the registries' look-ups as their
	// registrations allow; the graph resolves through it.
	Cache   *resilience.Cache
	Lineage *lineage.Index
	// Catalogue is the life-event catalogue, validated at start.
	Catalogue *lifeevents.Catalogue
	// Health observes every registry call over a recent window, for the
	// coupling-gap report.
	Health *lifeevents.Window
	// Policy decides who may see which field.
	Policy *policy.Policy
	// Issuer is the local token issuer of development mode, nil with a
	// real identity provider.
	Issuer *auth.Issuer
	// Cases opens cases and makes warm handovers.
	Cases *cases.Service
	// Dispatcher delivers the outbox to the chain partners; Run starts it.
	Dispatcher *cases.Dispatcher
	// Partners is the embedded mock intake of the chain partners in
	// development mode without a partner directory, nil otherwise.
	Partners *partners.Running
	// Metrics holds the hub's metrics, for /metrics: registry calls,
	// breakers, bulkheads and the cache, and beside them (internal/observe)
	// GraphQL requests, audit writes, the outbox and the database pools.
	Metrics *resilience.Metrics
	// Guard wraps every registry call in a circuit breaker and a bulkhead.
	Guard connectors.Guard
	// TracerProvider makes the spans of requests, registry calls and
	// deliveries.
	TracerProvider trace.TracerProvider

	auditWriter *audit.GroupCommit
}

// Options adjust how a hub is assembled, for tests and tools.
type Options struct {
	// Population replaces the generated population of the mocks.
	Population *population.Population
	// Observer sees every registry call.
	Observer connectors.Observer
	// Guard wraps every registry call.
	Guard connectors.Guard
	// Cache replaces the cache made from the configuration
	// (cfg.Resilience.Cache).
	Cache *resilience.Cache
	// Store replaces the store opened from the configuration; the hub does
	// not close a store it is given.
	Store *store.Store
	// WrapAuditLog, when set, wraps the audit log the disclosures are
	// appended to, e.g. to observe what each request recorded.
	WrapAuditLog func(audit.Appender) audit.Appender
	// Registries replace the registries compiled in (Registries()).
	Registries []Registry
	// TracerProvider makes the hub's spans (telemetry.Setup); nil makes
	// spans that nothing exports, for their ids in logs and audit records.
	TracerProvider trace.TracerProvider
}

// NewHub assembles the hub: in development mode the mock registries, one
// connector per registry, the lineage of the schema, the resolver and the
// HTTP handlers. It refuses a configuration that Config.Validate refuses.
func NewHub(ctx context.Context, cfg Config, log *slog.Logger, o Options) (_ *Hub, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	regs := o.Registries
	if regs == nil {
		regs = Registries()
	}
	if err := checkRegistries(regs); err != nil {
		return nil, err
	}
	var names []string
	for _, n := range RegistryNames(regs) {
		names = append(names, string(n))
	}
	h := &Hub{
		Registries: connectors.Registries{}, Health: lifeevents.NewWindow(0, 0, nil, names...), Metrics: resilience.NewMetrics(),
		Development: cfg.DevelopmentMode(),
	}
	// Whatever was opened before a failure is released.
	defer func() {
		if err != nil {
			h.Close()
		}
	}()
	h.TracerProvider = o.TracerProvider
	if h.TracerProvider == nil {
		h.TracerProvider = telemetry.Unexported()
	}
	h.Guard = o.Guard
	if h.Guard == nil {
		h.Guard = resilience.NewGuard(cfg.Resilience, resilience.WithMetrics(h.Metrics),
			resilience.WithBreakerObserver(h.Health.ObserveBreaker), resilience.ForRegistries(RegistryNames(regs)...))
	}
	if h.Development {
		pop := o.Population
		if pop == nil {
			pop, err = population.Generate(population.Config{Seed: cfg.PopulationSeed, Size: cfg.PopulationSize})
			if err != nil {
				return nil, fmt.Errorf("mock population: %w", err)
			}
		}
		set, err := mocks.Start(pop, MockRegistrations(regs), mocks.Options{BasePort: cfg.MocksPort, Faults: cfg.MockFaults, Keys: mockKeys(cfg, regs)})
		if err != nil {
			return nil, fmt.Errorf("mock registries: %w", err)
		}
		h.Mocks = set
	}
	if err := h.openConnectors(cfg, log, o, regs); err != nil {
		return nil, err
	}
	for _, msg := range notOffered(cfg, regs) {
		log.Warn(msg)
	}
	es := graph.NewExecutableSchema(graph.Config{})
	ix, err := lineage.FromSchema(es.Schema())
	if err != nil {
		return nil, err
	}
	// A registry the schema does not know, or a path its API does not
	// take, would fail every query asking it: refuse to start instead.
	if err := checkSchema(regs, es.Schema(), ix); err != nil {
		return nil, err
	}
	h.Lineage = ix
	// A broken catalogue stops the start, naming file, line and fault.
	h.Catalogue, err = lifeevents.LoadEmbedded(lifeevents.SchemaFromAST(es.Schema(), ix))
	if err != nil {
		return nil, err
	}
	if err := h.openStore(ctx, cfg, log, o); err != nil {
		return nil, err
	}
	// Validate keeps the local issuer to development mode.
	verifier, issuer, err := auth.Setup(cfg.Auth, auth.WithLogger(log))
	if err != nil {
		return nil, fmt.Errorf("authentication: %w", err)
	}
	h.Issuer = issuer
	if h.Policy, err = loadPolicy(cfg, ix, h.Development); err != nil {
		return nil, err
	}
	if err := checkTeams(h.Policy, h.Catalogue); err != nil {
		return nil, err
	}
	// Concurrent requests share one audit transaction; each still waits
	// for the commit holding its own records.
	h.auditWriter = audit.NewGroupCommit(h.Store, 0)
	auditMetrics, err := observe.NewAuditLog(h.Metrics.Registry())
	if err != nil {
		return nil, err
	}
	if err := observe.RegisterStore(h.Metrics.Registry(), h.Store); err != nil {
		return nil, err
	}
	var auditLog audit.Appender = h.auditWriter
	if o.WrapAuditLog != nil {
		auditLog = o.WrapAuditLog(auditLog)
	}
	// Counted as the auditor sees its writes.
	auditLog = auditMetrics.Wrap(auditLog)
	auditor, err := audit.New(audit.Config{Log: auditLog, Policy: h.Policy, Logger: log, Resources: resources(regs)})
	if err != nil {
		return nil, err
	}
	if err := h.openCases(cfg, log); err != nil {
		return nil, err
	}
	requests, err := observe.NewRequests(h.Metrics.Registry(), observe.RequestOptions{
		Operations: balie.OperationNames(), Codes: errorCodes(),
	})
	if err != nil {
		return nil, err
	}
	bc, err := businesscase.LoadDefaults(h.Catalogue)
	if err != nil {
		return nil, err
	}
	towns, err := municipalities.Load()
	if err != nil {
		return nil, err
	}
	// Data that is not personal is cached briefly; personal data only when
	// an operator configures it (docs/resilience.md).
	h.Cache = o.Cache
	if h.Cache == nil {
		h.Cache = resilience.NewCache(cfg.Resilience.Cache, h.Metrics)
	}
	res, err := graph.NewResolver(graph.Options{
		Registries:       h.Cache.Registries(h.Registries),
		Lineage:          ix,
		BatchWait:        cfg.BatchWait,
		MunicipalityName: towns.Name,
		Catalogue:        h.Catalogue,
		Health:           h.Health.Health,
		Logger:           log,
		BusinessCase:     bc,
		Policy:           h.Policy,
		AuditLog:         h.Store,
		Cases:            h.Cases,
	})
	if err != nil {
		return nil, err
	}
	deps := Deps{
		Resolver: res, Connectors: h.connectors(), Logger: log, ExampleQuery: exampleQuery(h.Mocks),
		Verifier: verifier, Auditor: auditor, Store: h.Store, TracerProvider: h.TracerProvider, Requests: requests,
	}
	console, err := balie.New(balie.Options{
		Config: cfg.Console, Development: h.Development, Policy: h.Policy, Tokens: verifier, Logger: log,
	})
	if err != nil {
		return nil, err
	}
	deps.Console = console.Handler
	if h.Development {
		// The playground works out of the box with a development token.
		tok, err := h.DevelopmentToken(auth.MaxTokenTTL)
		if err != nil {
			return nil, err
		}
		deps.PlaygroundHeaders = map[string]string{"Authorization": "Bearer " + tok}
	} else {
		deps.PlaygroundEditorHeaders = map[string]string{"Authorization": "Bearer <a token from your identity provider>"}
	}
	h.Handler = NewHandler(cfg, deps)
	h.AdminHandler = NewAdminHandler(log, h.Metrics.Handler(), charts(bc), cfg.Profiling)
	return h, nil
}

// mockKeys are the API keys the embedded mocks require: a registry's
// configured key (POORT_<REGISTRY>_AUTH_VALUE) when its mock checks one,
// so that development mode runs with or without keys and a configured key
// is one the mock holds the connector to.
func mockKeys(cfg Config, regs []Registry) map[string]string {
	keys := map[string]string{}
	for _, r := range regs {
		name := string(r.Connector.Registry)
		if v := cfg.Registries[name].AuthValue; v != "" && r.Mock.RequireKey != nil {
			keys[name] = v
		}
	}
	return keys
}

// loadPolicy loads the configured policy file, or the embedded default;
// in development mode, the default gains the development role.
func loadPolicy(cfg Config, ix *lineage.Index, development bool) (*policy.Policy, error) {
	switch {
	case cfg.PolicyFile != "":
		return policy.Load(cfg.PolicyFile, ix)
	case development:
		return policy.LoadDevelopment(ix)
	}
	return policy.LoadDefault(ix)
}

// checkTeams refuses a policy whose role names a team that is neither the
// front office nor a chain partner of the catalogue: its handovers would
// reach no one.
func checkTeams(pol *policy.Policy, cat *lifeevents.Catalogue) error {
	var errs []error
	for _, r := range pol.Roles() {
		if r.Team == "" || r.Team == lifeevents.FrontOffice {
			continue
		}
		if _, ok := cat.Partner(r.Team); !ok {
			errs = append(errs, fmt.Errorf("policy %s: role %s: team %q is neither %s nor a chain partner of the life-event catalogue", pol.File(), r.Name, r.Team, lifeevents.FrontOffice))
		}
	}
	return errors.Join(errs...)
}

// DevelopmentToken issues a token for the development role, which sees the
// whole graph; only a hub in development mode can.
func (h *Hub) DevelopmentToken(ttl time.Duration) (string, error) {
	if !h.Development || h.Issuer == nil {
		return "", errors.New("not in development mode: tokens come from the identity provider")
	}
	return h.Issuer.Issue(auth.Principal{Subject: "developer", Organisation: auth.LocalOrganisation, Role: policy.DevelopmentRole}, ttl)
}

// openConnectors opens each registry's connector: to its configured URL,
// or to its embedded mock.
func (h *Hub) openConnectors(cfg Config, log *slog.Logger, o Options, regs []Registry) error {
	observer := connectors.Observers(h.Health, h.Metrics, observe.RegistryFailures{Log: log}, o.Observer)
	for _, r := range regs {
		reg := r.Connector
		set, err := connectors.NewSet(reg)
		if err != nil {
			return err
		}
		name := string(reg.Registry)
		rc := cfg.Registries[name]
		url, settings := rc.URL, rc.Settings
		if url == "" {
			if h.Mocks == nil {
				return fmt.Errorf("registry %s: no POORT_%s_URL, and outside development mode there is no mock", name, name)
			}
			// The mock serves the registry's own contracts too.
			url, settings = h.Mocks.BaseURL(name), maps.Clone(settings)
			if settings == nil {
				settings = map[string]string{}
			}
			for k, v := range h.Mocks.Settings(name) {
				if settings[k] == "" {
					settings[k] = v
				}
			}
		}
		timeout := rc.Timeout
		if timeout == 0 {
			timeout = cfg.UpstreamTimeout
		}
		header := rc.AuthHeader
		if header == "" && rc.AuthValue != "" {
			header = reg.AuthHeader
		}
		c, err := set.Open(reg.ID, connectors.Config{
			BaseURL: url, AuthHeader: header, AuthValue: rc.AuthValue, Timeout: timeout, TLS: rc.TLS, Settings: settings,
			Observer: observer, Guard: h.Guard,
		})
		if err != nil {
			return err
		}
		h.Registries[reg.Registry] = connectors.Open{Registration: reg, Connector: c}
	}
	return nil
}

// connectors returns the open connectors by registry name, for the
// readiness endpoint.
func (h *Hub) connectors() map[string]connectors.Connector {
	out := make(map[string]connectors.Connector, len(h.Registries))
	for name, o := range h.Registries {
		out[string(name)] = o.Connector
	}
	return out
}

// openStore opens the configured store, applying its migrations.
func (h *Hub) openStore(ctx context.Context, cfg Config, log *slog.Logger, o Options) error {
	if o.Store != nil {
		h.Store = o.Store
		return nil
	}
	if path, ok := sqliteFile(cfg.DatabaseURL); ok {
		// The state directory (or the one configured) on first start.
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	key, err := cfg.pseudonymKey(log)
	if err != nil {
		return err
	}
	s, err := store.Open(ctx, cfg.DatabaseURL, store.WithPseudonymKey(key), store.WithLogger(log), store.WithSQLiteSync(cfg.SQLiteSync))
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	h.Store, h.ownsStore = s, true
	return nil
}

// openCases builds the case service and the outbox dispatcher, with the
// partner directory, or in development mode the embedded mock intake when
// none is configured.
func (h *Hub) openCases(cfg Config, log *slog.Logger) error {
	var dir *cases.PartnerDirectory
	if cfg.PartnerDirectory == "" && h.Development {
		p, err := partners.Start("127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("mock partners: %w", err)
		}
		h.Partners, dir = p, cases.MockDirectory(p.URL)
	} else {
		var err error
		if dir, err = cases.DirectoryFromConfig(cfg.PartnerDirectory); err != nil {
			return err
		}
		if missing := dir.Missing(h.Catalogue); len(missing) > 0 {
			log.Warn("chain partners without an intake endpoint; their notifications will be parked", "partners", strings.Join(missing, ","))
		}
	}
	d, err := cases.NewDispatcher(h.Store, dir, cases.DispatcherOptions{
		Lease: cfg.DispatchLease, Timeout: cfg.DispatchTimeout, PollInterval: cfg.DispatchPoll, Logger: log,
		TracerProvider: h.TracerProvider,
	})
	if err != nil {
		return err
	}
	svc, err := cases.NewService(h.Store, h.Catalogue, time.Now,
		cases.WithHealth(h.Health, lifeevents.Thresholds{}), cases.WithEnqueued(d.Wake))
	if err != nil {
		return err
	}
	h.Cases, h.Dispatcher = svc, d
	return nil
}

// notOffered names the data the hub reports as not offered: each contract
// of our own without a configured source, of a registry at a configured
// URL, in development mode too. A registry on its embedded mock is not
// named: the mock serves those contracts as well.
func notOffered(cfg Config, regs []Registry) []string {
	var out []string
	for _, r := range regs {
		name := string(r.Connector.Registry)
		if cfg.Registries[name].URL == "" {
			continue
		}
		for _, st := range r.Connector.Settings {
			if st.OwnContract && cfg.Registries[name].Settings[st.Name] == "" {
				out = append(out, fmt.Sprintf("POORT_%s_%s is not set, so that data is reported as not offered (UPSTREAM_NOT_OFFERED): %s", name, st.Name, st.Description))
			}
		}
	}
	return out
}

// Close releases the connectors and stops the mocks.
func (h *Hub) Close() error {
	var errs []error
	if h.Partners != nil {
		errs = append(errs, h.Partners.Close())
	}
	if h.auditWriter != nil {
		errs = append(errs, h.auditWriter.Close())
	}
	if h.ownsStore && h.Store != nil {
		errs = append(errs, h.Store.Close())
	}
	for _, o := range h.Registries {
		errs = append(errs, o.Connector.Close())
	}
	if h.Mocks != nil {
		errs = append(errs, h.Mocks.Close())
	}
	return errors.Join(errs...)
}

// Run serves the hub on cfg.Listen, and its admin handler on
// cfg.AdminListen when set, until ctx ends, then shuts down gracefully.
// started, when not nil, is called with the URL once the hub listens.
func Run(ctx context.Context, cfg Config, log *slog.Logger, o Options, started func(url string)) error {
	h, err := NewHub(ctx, cfg, log, o)
	if err != nil {
		return err
	}
	defer h.Close()
	servers := []*http.Server{{
		Addr:              cfg.Listen,
		Handler:           h.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      cfg.RequestTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}}
	if cfg.AdminListen != "" {
		servers = append(servers, &http.Server{
			Addr:              cfg.AdminListen,
			Handler:           h.AdminHandler,
			ReadHeaderTimeout: 10 * time.Second,
			WriteTimeout:      30 * time.Second,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		})
	}
	listeners := make([]net.Listener, len(servers))
	for i, srv := range servers {
		if listeners[i], err = net.Listen("tcp", srv.Addr); err != nil {
			for _, l := range listeners[:i] {
				l.Close()
			}
			return fmt.Errorf("listen on %s: %w", srv.Addr, err)
		}
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	dctx, stopDispatch := context.WithCancel(ctx)
	dispatched := make(chan struct{})
	go func() {
		defer close(dispatched)
		if err := h.Dispatcher.Run(dctx); err != nil {
			log.Error("dispatcher stopped", "err", err)
		}
	}()
	defer func() {
		stopDispatch()
		<-dispatched
	}()
	url := "http://" + listeners[0].Addr().String()
	log.Info("hub listening", "url", url, "playground", cfg.Playground, "development", h.Development)
	if len(listeners) > 1 {
		log.Info("admin listening", "url", "http://"+listeners[1].Addr().String(), "paths", "/metrics /charts/")
	}
	if h.Development {
		log.Warn("development mode: mock registries, a local token issuer with an all-purpose development role and generated keys; never expose this hub")
		for _, r := range h.Mocks.Registries() {
			log.Info("mock registry", "registry", r, "url", h.Mocks.BaseURL(r), "faults", h.Mocks.RootURL(r)+fault.AdminPath)
		}
	}
	if started != nil {
		started(url)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	var errs []error
	for _, srv := range servers {
		if err := srv.Shutdown(sctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown %s: %w", srv.Addr, err))
		}
	}
	return errors.Join(errs...)
}
