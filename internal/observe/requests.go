// Package observe records what the hub's callers see, for operators: a
// line in the access log per request, and Prometheus metrics of GraphQL
// requests by operation, HTTP status and error code, of their latency, and
// of the audit log's writes.
//
// It reads what the hub answered, not what its parts meant to answer: a
// response replaced on its way out (a withheld audit, a timeout) is counted
// as the caller received it.
package observe

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/poort-nl/poort/internal/logging"
)

// Operation labels for requests without a name of their own.
const (
	// OperationNone: refused before an operation was read (authentication,
	// rate limit, body, parse and validation failures).
	OperationNone = "none"
	// OperationAnonymous: an operation without a name.
	OperationAnonymous = "anonymous"
	// OperationOther: a name beyond the bounded set of operation labels.
	OperationOther = "other"
)

// Statuses are the HTTP statuses the GraphQL endpoint answers with; each
// is counted from the start, at zero.
var Statuses = []int{200, 400, 401, 403, 405, 413, 415, 429, 500, 503}

// RequestOptions configure Requests.
type RequestOptions struct {
	// Operations are operation names known in advance (the console's): each
	// has its own label from the start.
	Operations []string
	// MaxOperations bounds the further names that get a label of their
	// own, first come; later names count as "other". Zero means 50.
	MaxOperations int
	// Codes are the error codes (extensions.code) the hub answers with;
	// each is counted from the start. A code outside them still counts
	// under its own name if it is shaped like one, else as "other".
	Codes []string
}

// Requests counts the GraphQL requests of the hub and what they were
// answered:
//
//	poort_graphql_requests_total{operation,status}           requests by operation and HTTP status
//	poort_graphql_errors_total{code}                         errors in responses by extensions.code
//	poort_graphql_request_duration_seconds{operation}        latency of requests, as the caller waits
//
// The operation label is bounded: the known operations, up to
// MaxOperations further names, then "other".
type Requests struct {
	requests *prometheus.CounterVec
	errs     *prometheus.CounterVec
	duration *prometheus.HistogramVec

	mu    sync.Mutex
	names map[string]bool
	// limit bounds len(names): the known names and MaxOperations more.
	limit int
}

// NewRequests makes the request metrics and registers them with reg.
func NewRequests(reg prometheus.Registerer, o RequestOptions) (*Requests, error) {
	r := &Requests{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "poort_graphql_requests_total",
			Help: "GraphQL requests by operation and the HTTP status they were answered with; operation none was refused before an operation was read.",
		}, []string{"operation", "status"}),
		errs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "poort_graphql_errors_total",
			Help: "Errors in GraphQL responses by their extensions.code.",
		}, []string{"code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "poort_graphql_request_duration_seconds",
			Help:    "Duration of GraphQL requests from the first byte read to the last byte written.",
			Buckets: prometheus.ExponentialBuckets(0.002, 2, 13),
		}, []string{"operation"}),
		names: map[string]bool{},
	}
	for _, c := range []prometheus.Collector{r.requests, r.errs, r.duration} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	labels := []string{OperationNone, OperationAnonymous, OperationOther}
	for _, n := range o.Operations {
		if validName(n) && !r.names[n] {
			r.names[n] = true
			labels = append(labels, n)
		}
	}
	r.limit = len(r.names) + o.MaxOperations
	if o.MaxOperations <= 0 {
		r.limit += 50
	}
	for _, op := range labels {
		for _, s := range Statuses {
			r.requests.WithLabelValues(op, strconv.Itoa(s))
		}
		r.duration.WithLabelValues(op)
	}
	for _, c := range append(o.Codes, OperationOther) {
		r.errs.WithLabelValues(c)
	}
	return r, nil
}

// label returns the operation label of a name: its own for a known name
// or while there is room, else "other".
func (r *Requests) label(name string) string {
	switch {
	case name == "":
		return OperationAnonymous
	case !validName(name):
		return OperationOther
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names[name] {
		return name
	}
	if len(r.names) < r.limit {
		r.names[name] = true
		return name
	}
	return OperationOther
}

// validName accepts a GraphQL name of at most 64 characters.
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// codeLabel bounds an error code to the shape of one: upper-case letters
// and underscores, at most 40.
func codeLabel(c string) string {
	if c == "" || len(c) > 40 {
		return OperationOther
	}
	for i := 0; i < len(c); i++ {
		if !(c[i] == '_' || c[i] >= 'A' && c[i] <= 'Z') {
			return OperationOther
		}
	}
	return c
}

// maxRead bounds how much of a response is kept to read its error codes;
// the query limits keep responses far smaller.
const maxRead = 8 << 20

// Middleware counts each request through next: its operation (as
// SetOperation was told), the status and error codes of the answer, and
// its duration. It adds the operation and the codes to the request's
// access log line (Log).
func (r *Requests) Middleware(next http.Handler) http.Handler {
	if r == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		op := &operation{}
		tw := &teeWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(tw, req.WithContext(context.WithValue(req.Context(), operationKey{}, op)))
		codes := errorCodes(tw)
		label := OperationNone
		if op.read {
			label = r.label(op.name)
		}
		r.requests.WithLabelValues(label, strconv.Itoa(tw.status)).Inc()
		r.duration.WithLabelValues(label).Observe(time.Since(start).Seconds())
		for _, c := range codes {
			r.errs.WithLabelValues(codeLabel(c)).Inc()
		}
		if ex, ok := req.Context().Value(exchangeKey{}).(*exchange); ok {
			ex.addGraphQL(label, codes)
		}
	})
}

type operationKey struct{}

type operation struct {
	read bool
	name string
}

// SetOperation tells Middleware the name of the request's operation once
// it is read ("" for an anonymous one). A nested operation, run within the
// request, does not rename it.
func SetOperation(ctx context.Context, name string) {
	if op, ok := ctx.Value(operationKey{}).(*operation); ok && !op.read {
		op.read, op.name = true, name
	}
}

// teeWriter keeps the status and a copy of the body of a response.
type teeWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	body        bytes.Buffer
	overflow    bool
}

func (t *teeWriter) WriteHeader(code int) {
	if !t.wroteHeader {
		t.status, t.wroteHeader = code, true
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *teeWriter) Write(b []byte) (int, error) {
	t.wroteHeader = true
	if !t.overflow {
		if t.body.Len()+len(b) > maxRead {
			t.overflow = true
			t.body = bytes.Buffer{}
		} else {
			t.body.Write(b)
		}
	}
	return t.ResponseWriter.Write(b)
}

func (t *teeWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

var errorsKey = []byte(`"errors"`)

// errorCodes returns the extensions.code of each error of a JSON response,
// in order; an error without one counts as "".
func errorCodes(t *teeWriter) []string {
	if t.overflow || !bytes.Contains(t.body.Bytes(), errorsKey) ||
		!strings.Contains(t.Header().Get("Content-Type"), "json") {
		return nil
	}
	var body struct {
		Errors []struct {
			Extensions struct {
				Code any `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if json.Unmarshal(t.body.Bytes(), &body) != nil {
		return nil
	}
	codes := make([]string, len(body.Errors))
	for i, e := range body.Errors {
		codes[i], _ = e.Extensions.Code.(string)
	}
	return codes
}

type exchangeKey struct{}

// exchange is what the access log line of a request says beyond HTTP: the
// GraphQL operations run for it and the codes of their errors.
type exchange struct {
	mu         sync.Mutex
	operations []string
	codes      []string
}

func (e *exchange) addGraphQL(operation string, codes []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !slices.Contains(e.operations, operation) {
		e.operations = append(e.operations, operation)
	}
	for _, c := range codes {
		if c = codeLabel(c); !slices.Contains(e.codes, c) {
			e.codes = append(e.codes, c)
		}
	}
}

// Log writes one line per request, once it is answered: method, route,
// status, duration in milliseconds, and for GraphQL the operations (as
// Requests labels them) and the error codes of the answer. The handler's
// logger adds the trace id and request id. Never the query, its
// variables, the body or the raw path: they may hold personal data.
// Liveness and readiness probes are not logged.
func Log(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		ex := &exchange{}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		ctx := context.WithValue(r.Context(), exchangeKey{}, ex)
		rr := r.WithContext(ctx)
		next.ServeHTTP(sw, rr)
		attrs := []slog.Attr{
			slog.String("method", r.Method), slog.String("route", route(rr)), slog.Int("status", sw.status),
			slog.Float64("duration_ms", logging.Milliseconds(time.Since(start))),
		}
		ex.mu.Lock()
		if len(ex.operations) > 0 {
			attrs = append(attrs, slog.String("operation", strings.Join(ex.operations, ",")))
		}
		if len(ex.codes) > 0 {
			attrs = append(attrs, slog.String("error_codes", strings.Join(ex.codes, ",")))
		}
		ex.mu.Unlock()
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelWarn
		}
		log.LogAttrs(ctx, level, "request", attrs...)
	})
}

// route names the route the mux matched, or "unmatched": a raw path may
// carry an identifier.
func route(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return "unmatched"
}

type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wroteHeader {
		s.status, s.wroteHeader = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.wroteHeader = true
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// GraphQL is the gqlgen extension that tells Middleware the name of each
// operation once it is read and valid; install it with
// handler.Server.Use.
type GraphQL struct{}

var (
	_ graphql.HandlerExtension        = GraphQL{}
	_ graphql.OperationContextMutator = GraphQL{}
)

// ExtensionName names the extension to gqlgen.
func (GraphQL) ExtensionName() string { return "ObserveOperations" }

// Validate accepts every schema.
func (GraphQL) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext notes the operation's name.
func (GraphQL) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	name := rc.OperationName
	if rc.Operation != nil {
		name = rc.Operation.Name
	}
	SetOperation(ctx, name)
	return nil
}
