package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/poort-nl/poort/internal/gqlhttp"
	"github.com/poort-nl/poort/internal/telemetry"
)

// traced gives each request a server span, continuing the caller's trace
// when it sends a valid traceparent (telemetry.Propagator's bounds), and
// answers with the span's traceparent. The span, and so the request id,
// is always the hub's own. Liveness and readiness probes are not traced.
func traced(tp trace.TracerProvider, next http.Handler) http.Handler {
	prop := telemetry.Propagator()
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := telemetry.WithRequest(r.Context())
		prop.Inject(ctx, propagation.HeaderCarrier(w.Header()))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
	return otelhttp.NewHandler(inner, "poort",
		otelhttp.WithTracerProvider(tp), otelhttp.WithPropagators(prop),
		// Request metrics are the hub's own (internal/observe), on /metrics.
		otelhttp.WithMeterProvider(metricnoop.NewMeterProvider()),
		otelhttp.WithFilter(func(r *http.Request) bool { return r.URL.Path != "/healthz" && r.URL.Path != "/readyz" }),
		// Named by method until routeNames names it by its route: a raw
		// path may carry an identifier.
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }))
}

// routeNames renames the request's server span after the route the mux
// chose ("POST /graphql", "/balie/"), so a path's identifiers never name a
// span.
func routeNames(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if r.Pattern != "" {
			trace.SpanFromContext(r.Context()).SetName(r.Pattern)
		}
	})
}

// recoverPanics answers 500 instead of dropping the connection when a
// handler outside the GraphQL executor panics.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				req := telemetry.RequestID(r.Context())
				log.ErrorContext(r.Context(), "panic in handler", "path", r.URL.Path,
					"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				gqlhttp.Error(w, http.StatusInternalServerError, "INTERNAL",
					"internal error; quote request id "+req, map[string]any{"requestId": req, "traceId": telemetry.TraceID(r.Context())})
			}
		}()
		next.ServeHTTP(w, r)
	})
}
