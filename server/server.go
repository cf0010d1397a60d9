package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/trace"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/apq"
	"github.com/poort-nl/poort/internal/gqlhttp"
	"github.com/poort-nl/poort/internal/observe"
	"github.com/poort-nl/poort/server/playground"
)

// Deps are what the HTTP handler is built from.
type Deps struct {
	Resolver *graph.Resolver
	// Connectors are checked by /readyz.
	Connectors map[string]connectors.Connector
	Logger     *slog.Logger
	// PlaygroundHeaders are preset in the playground, e.g. a development
	// token; PlaygroundEditorHeaders are left in its header editor for the
	// user to complete, e.g. where a token belongs.
	PlaygroundHeaders       map[string]string
	PlaygroundEditorHeaders map[string]string
	// ExampleQuery opens the playground.
	ExampleQuery string
	// Verifier authenticates GraphQL requests.
	Verifier *auth.Verifier
	// Auditor records every disclosure before a response is released.
	Auditor *audit.Auditor
	// Store is pinged by /readyz: without it the hub cannot audit, so it
	// cannot disclose anything.
	Store interface{ Ping(context.Context) error }
	// Console, when set, serves the web console under /balie/; it is given
	// the GraphQL handler below authentication, to run its operations as
	// its signed-in employees.
	Console func(graphql http.Handler) http.Handler
	// TracerProvider makes each request's spans; nil traces nothing.
	TracerProvider trace.TracerProvider
	// Requests counts the GraphQL requests and what they were answered;
	// nil counts nothing.
	Requests *observe.Requests
}

// NewHandler returns the hub's HTTP handler with every route:
//
//	POST /graphql       the GraphQL endpoint
//	     /balie/        the web console (when configured)
//	GET  /playground    GraphiQL (when enabled)
//	GET  /healthz       liveness: the process serves
//	GET  /readyz        readiness, with each registry's state
//
// Metrics and charts are on the admin handler, off this public port.
func NewHandler(cfg Config, d Deps) http.Handler {
	mux := http.NewServeMux()
	gql := graphQL(cfg, d)
	var api http.Handler = gql
	if d.Verifier != nil {
		api = d.Verifier.Middleware(gql)
	}
	mux.Handle("POST /graphql", d.Requests.Middleware(cfg.Limits.Body(api)))
	mux.Handle("GET /graphql", methodNotAllowed("POST"))
	if d.Console != nil {
		// The console's operations pass the same chain as an API client's
		// request once its token is verified: the console signs its
		// employees in itself.
		mux.Handle("/balie/", d.Console(d.Requests.Middleware(cfg.Limits.Body(gql))))
	}
	if cfg.Playground {
		mux.Handle("GET /playground", playground.Handler(playground.Options{
			Title: "Poort", Endpoint: "/graphql", AssetsPath: "/playground/assets",
			Headers: d.PlaygroundHeaders, EditorHeaders: d.PlaygroundEditorHeaders, Query: d.ExampleQuery,
		}))
		mux.Handle("GET /playground/assets/", http.StripPrefix("/playground/assets", playground.Assets()))
		mux.Handle("GET /{$}", http.RedirectHandler("/playground", http.StatusFound))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.Handle("GET /readyz", readiness(d.Connectors, d.Store))
	return traced(d.TracerProvider, observe.Log(d.Logger, recoverPanics(d.Logger, routeNames(mux))))
}

// NewAdminHandler returns the handler of the admin listener, which serves
// what operators need but clients must not reach, without a token:
//
//	GET /metrics        Prometheus metrics: requests, registry calls, breakers, audit, outbox, ...
//	GET /charts/...     the business case as pictures
//	GET /debug/pprof/   the Go runtime's profiles, only when profiling is on
//
// Neither metrics nor charts hold an identifier of a person or company. A
// heap or goroutine profile holds code locations and sizes, no data; it is
// off by default all the same (Config.Profiling).
func NewAdminHandler(log *slog.Logger, metrics, charts http.Handler, profiling bool) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	mux.Handle("GET /charts/", charts)
	if profiling {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	return recoverPanics(log, mux)
}

// graphQL is the GraphQL executor behind the guards that follow
// authentication, outermost first: the per-principal rate limit, the audit
// log holding the response until every disclosure is recorded, the request
// timeout, and the answer 503 when the store was unavailable and nothing
// was done. NewHandler puts the body limit and batch refusal and the
// authentication of API clients in front of it.
func graphQL(cfg Config, d Deps) http.Handler {
	srv := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: d.Resolver}))
	srv.AddTransport(transport.Options{})
	// Only POST: identifiers such as a BSN must not travel in a URL.
	srv.AddTransport(gqlhttp.POST{})
	// The limits validate a query within the request's deadline and leave
	// it in this cache, so the executor need not validate it again.
	cache := lru.New[*ast.QueryDocument](1000)
	srv.SetQueryCache(cache)
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.Use(noIntrospection{})
	}
	// Before the limits: a query a hash stands for passes them as one
	// sent in full.
	srv.Use(apq.New(cfg.PersistedQueryBytes))
	srv.Use(cfg.Limits.Extension(cache))
	srv.Use(operationSpans{})
	srv.Use(observe.GraphQL{})
	srv.AroundOperations(d.Resolver.AroundOperations)
	srv.AroundFields(d.Resolver.AroundFields)
	srv.AroundFields(graph.CheckRepresentations)
	srv.AroundResponses(markStoreUnavailable)
	srv.SetErrorPresenter(graph.ErrorPresenter(d.Logger))
	srv.SetRecoverFunc(graph.Recover(d.Logger))
	h := withStoreStatus(srv)
	if cfg.RequestTimeout > 0 {
		h = withTimeout(cfg.RequestTimeout, h)
	}
	if d.Auditor != nil {
		h = d.Auditor.Middleware(h)
	}
	return cfg.Limits.NewRateLimiter(d.Logger).Middleware(h)
}

// withTimeout bounds a request's context, so every registry call below it
// gets its share of the remaining time.
func withTimeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func methodNotAllowed(allow string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		gqlhttp.Error(w, http.StatusMethodNotAllowed, graph.CodeBadUserInput,
			"use POST: identifiers must not travel in a URL", nil)
	})
}

// readiness checks the store and every registry concurrently. The hub
// stays ready when a registry is down, as it answers partially; the report
// says which. Without its store it is not ready: it could not audit a
// disclosure.
func readiness(cs map[string]connectors.Connector, st interface{ Ping(context.Context) error }) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		type state struct {
			Ready     bool   `json:"ready"`
			Error     string `json:"error,omitempty"`
			LatencyMs int64  `json:"latencyMs"`
			// NotOffered is the data the registry's published API lacks
			// and no source of our own contract is configured for
			// (connectors.Partial): answered UPSTREAM_NOT_OFFERED.
			NotOffered []string `json:"notOffered,omitempty"`
		}
		var mu sync.Mutex
		states := map[string]state{}
		var wg sync.WaitGroup
		for name, c := range cs {
			wg.Go(func() {
				start := time.Now()
				err := c.Check(ctx)
				s := state{Ready: err == nil, LatencyMs: time.Since(start).Milliseconds()}
				if err != nil {
					s.Error = err.Error()
				}
				if p, ok := c.(connectors.Partial); ok {
					s.NotOffered = p.NotOffered()
				}
				mu.Lock()
				states[name] = s
				mu.Unlock()
			})
		}
		var storeErr error
		if st != nil {
			wg.Go(func() { storeErr = st.Ping(ctx) })
		}
		wg.Wait()
		status := "ready"
		for _, s := range states {
			if !s.Ready {
				status = "degraded"
			}
		}
		code, storeState := http.StatusOK, "ready"
		if storeErr != nil {
			code, status, storeState = http.StatusServiceUnavailable, "unavailable", "unavailable"
		}
		writeJSON(w, code, map[string]any{"status": status, "store": storeState, "registries": states})
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
