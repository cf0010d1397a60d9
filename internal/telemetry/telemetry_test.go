package telemetry

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

const (
	callerParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	callerTrace  = "4bf92f3577b34da6a3ce929d0e0e4736"
)

func extract(h http.Header) trace.SpanContext {
	return trace.SpanContextFromContext(Propagator().Extract(context.Background(), propagation.HeaderCarrier(h)))
}

func TestPropagatorBoundsWhatCallersSend(t *testing.T) {
	tests := map[string]struct {
		traceparent, tracestate string
		continued               bool
		state                   string
	}{
		"valid":                          {callerParent, "gemeente=kcc", true, "gemeente=kcc"},
		"without tracestate":             {callerParent, "", true, ""},
		"longer than any valid one":      {callerParent + strings.Repeat("-01", 20000), "gemeente=kcc", false, ""},
		"tracestate beyond 512 bytes":    {callerParent, "a=" + strings.Repeat("b", 600), true, ""},
		"all-zero trace id":              {"00-00000000000000000000000000000000-00f067aa0ba902b7-01", "", false, ""},
		"upper case":                     {strings.ToUpper(callerParent), "", false, ""},
		"garbage":                        {"garbage", "", false, ""},
		"a future version, still short":  {"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "", true, ""},
		"a future version, too long":     {"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-" + strings.Repeat("x", 10), "", false, ""},
		"nothing at all":                 {"", "", false, ""},
		"tracestate without traceparent": {"", "gemeente=kcc", false, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			h := http.Header{}
			if tt.traceparent != "" {
				h.Set("traceparent", tt.traceparent)
			}
			if tt.tracestate != "" {
				h.Set("tracestate", tt.tracestate)
			}
			sc := extract(h)
			if got := sc.IsValid() && sc.TraceID().String() == strings.ToLower(tt.traceparent[3:35]); got != tt.continued {
				t.Errorf("continued = %v, want %v", got, tt.continued)
			}
			if got := sc.TraceState().String(); got != tt.state {
				t.Errorf("tracestate %q, want %q", got, tt.state)
			}
		})
	}
}

// TestRequestIDIsTheHubsOwn: two requests that send one traceparent share
// the trace but never a request id, and neither is the caller's span.
func TestRequestIDIsTheHubsOwn(t *testing.T) {
	tracer := Tracer(sdktrace.NewTracerProvider())
	h := http.Header{"Traceparent": {callerParent}}
	ids := map[string]bool{}
	for range 2 {
		ctx, span := tracer.Start(Propagator().Extract(context.Background(), propagation.HeaderCarrier(h)), "request",
			trace.WithSpanKind(trace.SpanKindServer))
		ctx = WithRequest(ctx)
		// A span below the request's does not change its id.
		inner, child := tracer.Start(ctx, "below")
		id := RequestID(inner)
		child.End()
		span.End()
		if TraceID(inner) != callerTrace || id != span.SpanContext().SpanID().String() || id == "00f067aa0ba902b7" || ids[id] {
			t.Fatalf("trace %s, request id %s (seen %v)", TraceID(inner), id, ids)
		}
		ids[id] = true
	}
	if RequestID(context.Background()) != "" || TraceID(context.Background()) != "" {
		t.Error("ids outside a request")
	}
}

func TestExporting(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want bool
		err  bool
	}{
		{env: nil, want: false},
		{env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, want: true},
		{env: map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, want: true},
		{env: map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, want: true},
		{env: map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, want: false},
		{env: map[string]string{"OTEL_SDK_DISABLED": "true", "OTEL_TRACES_EXPORTER": "otlp"}, want: false},
		{env: map[string]string{"OTEL_TRACES_EXPORTER": "zipkin"}, err: true},
	}
	for _, tt := range tests {
		got, err := Exporting(func(k string) string { return tt.env[k] })
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("Exporting(%v) = %v, %v", tt.env, got, err)
		}
	}
	getenv := func(k string) string {
		return map[string]string{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}[k]
	}
	if _, err := Setup(context.Background(), getenv); err == nil || !strings.Contains(err.Error(), "http/protobuf") {
		t.Errorf("Setup with gRPC = %v, want a refusal naming http/protobuf", err)
	}
}

// TestSetupExportsOverOTLP: with an OTLP endpoint set, the spans reach it
// when the provider shuts down; without, Setup still makes spans with ids.
func TestSetupExportsOverOTLP(t *testing.T) {
	var posts atomic.Int32
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/v1/traces" && r.Header.Get("Content-Type") == "application/x-protobuf" && strings.Contains(string(body), "poort") {
			posts.Add(1)
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer collector.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	tp, err := Setup(context.Background(), os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	_, span := Tracer(tp).Start(context.Background(), "request")
	span.End()
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if posts.Load() == 0 {
		t.Fatal("no spans reached the OTLP endpoint")
	}

	off, err := Setup(context.Background(), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	_, span = Tracer(off).Start(context.Background(), "request")
	if !span.SpanContext().IsValid() {
		t.Error("without an exporter, spans have no ids")
	}
	if span.IsRecording() {
		t.Error("without an exporter, spans record what nothing exports")
	}
	span.End()
}

// BenchmarkRequestSpan is what a span costs a request: started with the
// attributes the HTTP middleware sets, and ended, by a provider that
// records spans and exports nowhere (the SDK's default) and by the one a
// hub without an exporter has.
//
//	go test ./internal/telemetry -run '^$' -bench RequestSpan -benchmem
func BenchmarkRequestSpan(b *testing.B) {
	for _, c := range []struct {
		name string
		tp   *sdktrace.TracerProvider
	}{{"recorded", sdktrace.NewTracerProvider()}, {"ids-only", Unexported()}} {
		b.Run(c.name, func(b *testing.B) {
			tr := Tracer(c.tp)
			attrs := []attribute.KeyValue{attribute.String("http.request.method", "POST"),
				attribute.String("url.path", "/graphql"), attribute.Int("http.response.status_code", 200)}
			b.ReportAllocs()
			for b.Loop() {
				ctx, span := tr.Start(context.Background(), "POST /graphql", trace.WithAttributes(attrs...))
				_, child := tr.Start(ctx, "query person")
				child.SetAttributes(attrs...)
				child.End()
				span.End()
			}
		})
	}
}

// TestTracerFromARequest: below WithRequest, TracerFrom makes spans of the
// request's trace, with the request's provider.
func TestTracerFromARequest(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	ctx, root := Tracer(tp).Start(context.Background(), "request")
	ctx = WithRequest(ctx)
	_, child := TracerFrom(ctx).Start(ctx, "registry call")
	child.End()
	root.End()
	spans := exp.GetSpans()
	if len(spans) != 2 || spans[0].Name != "registry call" {
		t.Fatalf("spans = %v, want the registry call recorded by the request's provider", spans)
	}
	if spans[0].Parent.SpanID() != root.SpanContext().SpanID() || spans[0].SpanContext.TraceID() != root.SpanContext().TraceID() {
		t.Error("the registry call is not a child of the request's span")
	}
	if RequestID(ctx) != root.SpanContext().SpanID().String() {
		t.Errorf("RequestID = %q, want the request span's id", RequestID(ctx))
	}
}

// BenchmarkTracerFrom: the tracer for a span below a request, kept by
// WithRequest, against asking the provider for it.
//
//	go test ./internal/telemetry -run '^$' -bench TracerFrom -benchmem
func BenchmarkTracerFrom(b *testing.B) {
	ctx, span := Tracer(Unexported()).Start(context.Background(), "request")
	defer span.End()
	for name, ctx := range map[string]context.Context{"provider": ctx, "request": WithRequest(ctx)} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if TracerFrom(ctx) == nil {
					b.Fatal("no tracer")
				}
			}
		})
	}
}
