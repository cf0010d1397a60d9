// Package telemetry is the hub's tracing with OpenTelemetry: the tracer
// provider, configured by the standard OTEL_* variables and exporting over
// OTLP only when they ask for it; the W3C Trace Context propagation, with
// the bounds the hub puts on what callers send; and the request id, the
// hub's own span of a request, which no caller chooses.
//
// The trace id ties the access log, error reports, audit records and the
// registries' own logs of one request together. A caller may send its
// traceparent, so a trace id may be shared by many requests; errors and
// logs therefore quote the request id.
package telemetry

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// ServiceName names the hub in traces unless OTEL_SERVICE_NAME says
// otherwise.
const ServiceName = "poort"

// InstrumentationName names the hub's tracer.
const InstrumentationName = "github.com/poort-nl/poort"

// Exporting reports whether the OTEL_* variables ask for spans to be
// exported: OTEL_TRACES_EXPORTER=otlp, or an OTLP endpoint
// (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) without
// OTEL_TRACES_EXPORTER=none. OTEL_SDK_DISABLED=true turns it off. Without
// any of them, nothing leaves the hub.
func Exporting(getenv func(string) string) (bool, error) {
	if strings.EqualFold(getenv("OTEL_SDK_DISABLED"), "true") {
		return false, nil
	}
	switch exp := strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER")); exp {
	case "none":
		return false, nil
	case "otlp":
		return true, nil
	case "":
		return getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "", nil
	default:
		return false, fmt.Errorf("OTEL_TRACES_EXPORTER %q: the hub exports with otlp, or none", exp)
	}
}

// Setup returns the hub's tracer provider. It always makes spans, so every
// request has a trace id and a request id for logs and audit records, and
// exports them over OTLP/HTTP when Exporting says so. The exporter, the
// sampler (OTEL_TRACES_SAMPLER), the batch processor (OTEL_BSP_*) and the
// resource (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES) read their own
// OTEL_* variables. Shut the provider down to flush what is pending.
func Setup(ctx context.Context, getenv func(string) string) (*sdktrace.TracerProvider, error) {
	export, err := Exporting(getenv)
	if err != nil {
		return nil, err
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(semconv.ServiceName(ServiceName)),
		resource.WithFromEnv(), resource.WithTelemetrySDK())
	if err != nil {
		return nil, fmt.Errorf("telemetry resource: %w", err)
	}
	opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	if export {
		protocol := getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
		if protocol == "" {
			protocol = getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
		}
		if protocol != "" && protocol != "http/protobuf" {
			return nil, fmt.Errorf("OTLP protocol %q: the hub exports with http/protobuf", protocol)
		}
		exp, err := otlptracehttp.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("OTLP exporter: %w", err)
		}
		opts = append(opts, sdktrace.WithBatcher(exp))
	} else {
		opts = append(opts, idsOnly)
	}
	return sdktrace.NewTracerProvider(opts...), nil
}

// idsOnly makes spans for their ids alone: a sampler that records none
// still gives every span a trace and span id (for logs and audit records)
// but skips the attributes, events and timings that nothing would export.
// It overrides OTEL_TRACES_SAMPLER, which has nothing to choose then.
var idsOnly = sdktrace.WithSampler(sdktrace.NeverSample())

// Unexported is the tracer provider of a hub that exports nothing: spans
// with ids and nothing recorded, as Setup makes without an exporter.
func Unexported() *sdktrace.TracerProvider {
	return sdktrace.NewTracerProvider(idsOnly)
}

// Tracer returns the hub's tracer from the provider; a nil provider makes
// spans that record nothing.
func Tracer(tp trace.TracerProvider) trace.Tracer {
	if tp == nil {
		tp = noop.NewTracerProvider()
	}
	return tp.Tracer(InstrumentationName)
}

// TracerFrom returns the tracer of the span in ctx, so code below a
// request's span makes its spans with the provider the request was traced
// with, without a provider of its own. Within a request it is the tracer
// WithRequest kept: asking the SDK's provider for it takes a lock and a
// look-up each time, which spans made per registry call and per loader
// would repeat.
func TracerFrom(ctx context.Context) trace.Tracer {
	if r, ok := ctx.Value(requestKey{}).(*request); ok {
		return r.tracer
	}
	return tracerOf(ctx)
}

func tracerOf(ctx context.Context) trace.Tracer {
	return trace.SpanFromContext(ctx).TracerProvider().Tracer(InstrumentationName)
}

// The bounds on what a caller sends. A version 00 traceparent is 55
// characters; a longer header is not even parsed. W3C Trace Context asks
// vendors to pass on at least 512 characters of tracestate.
const (
	maxTraceparent = 64
	maxTracestate  = 512
)

// Propagator returns the W3C Trace Context propagator (traceparent and
// tracestate) with the hub's bounds: a traceparent longer than 64 bytes is
// ignored, and with it the tracestate; a tracestate longer than 512 bytes
// is dropped. Nothing else (no baggage) is read from callers.
func Propagator() propagation.TextMapPropagator { return bounded{} }

type bounded struct{ propagation.TraceContext }

func (b bounded) Extract(ctx context.Context, carrier propagation.TextMapCarrier) context.Context {
	if len(carrier.Get("traceparent")) > maxTraceparent {
		return ctx
	}
	if len(carrier.Get("tracestate")) > maxTracestate {
		carrier = withoutTracestate{carrier}
	}
	return b.TraceContext.Extract(ctx, carrier)
}

type withoutTracestate struct{ propagation.TextMapCarrier }

func (w withoutTracestate) Get(key string) string {
	if strings.EqualFold(key, "tracestate") {
		return ""
	}
	return w.TextMapCarrier.Get(key)
}

type requestKey struct{}

// request is what WithRequest keeps: the request's server span and the
// tracer it was made with.
type request struct {
	span   trace.SpanContext
	tracer trace.Tracer
}

// WithRequest marks the span in ctx as the request's own: its id is the
// request id that errors and logs quote, its tracer the one TracerFrom
// returns below it. Call it in the request's server span, before any
// child span.
func WithRequest(ctx context.Context) context.Context {
	return context.WithValue(ctx, requestKey{}, &request{span: trace.SpanContextFromContext(ctx), tracer: tracerOf(ctx)})
}

// RequestID returns the request id of ctx: the span id of the request's
// server span, which the hub chose; "" outside a request.
func RequestID(ctx context.Context) string {
	r, _ := ctx.Value(requestKey{}).(*request)
	if r == nil || !r.span.SpanID().IsValid() {
		return ""
	}
	return r.span.SpanID().String()
}

// TraceID returns the trace id of ctx, or "" without a span.
func TraceID(ctx context.Context) string {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.TraceID().IsValid() {
		return ""
	}
	return sc.TraceID().String()
}

// NewTraceID returns a random trace id, for work that has no trace.
func NewTraceID() trace.TraceID {
	var id trace.TraceID
	for !id.IsValid() {
		rand.Read(id[:]) // never fails on supported platforms
	}
	return id
}

// NewSpanID returns a random span id, for an identified step that is no
// span of its own, such as an audit record.
func NewSpanID() trace.SpanID {
	var id trace.SpanID
	for !id.IsValid() {
		rand.Read(id[:])
	}
	return id
}
