package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/poort-nl/poort/internal/gqlhttp"
	"github.com/poort-nl/poort/internal/trace"
)

// withTrace gives each request a W3C trace context, continuing the
// caller's traceparent when it sends a valid one, and answers with it. The
// request's span, and so its request id, is always the hub's own.
func withTrace(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tc := trace.FromTraceparent(r.Header.Get("traceparent"))
		w.Header().Set("traceparent", tc.Traceparent())
		next.ServeHTTP(w, r.WithContext(trace.With(r.Context(), tc)))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// accessLog writes one line per request: method, path, status, duration,
// trace id and request id. Never the query, its variables or the body:
// they may hold personal data.
func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			return
		}
		log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", rec.status),
			slog.Duration("duration", time.Since(start)), slog.String("trace_id", string(trace.IDFrom(r.Context()))),
			slog.String("request_id", trace.RequestIDFrom(r.Context())))
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
				id, req := trace.IDFrom(r.Context()), trace.RequestIDFrom(r.Context())
				log.Error("panic in handler", "trace_id", string(id), "request_id", req, "path", r.URL.Path,
					"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				gqlhttp.Error(w, http.StatusInternalServerError, "INTERNAL",
					"internal error; quote request id "+req, map[string]any{"requestId": req, "traceId": string(id)})
			}
		}()
		next.ServeHTTP(w, r)
	})
}
