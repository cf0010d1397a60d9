package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/store"
)

// spanTree indexes finished spans by id, for walking up from a span.
type spanTree map[trace.SpanID]tracetest.SpanStub

func (st spanTree) parent(s tracetest.SpanStub) (tracetest.SpanStub, bool) {
	p, ok := st[s.Parent.SpanID()]
	return p, ok
}

// below reports whether s lies below the span anc.
func (st spanTree) below(s, anc tracetest.SpanStub) bool {
	for p, ok := st.parent(s); ok; p, ok = st.parent(p) {
		if p.SpanContext.SpanID() == anc.SpanContext.SpanID() {
			return true
		}
	}
	return false
}

func (st spanTree) String() string {
	var b strings.Builder
	for _, s := range st {
		fmt.Fprintf(&b, "%s %s parent %s\n", s.SpanContext.SpanID(), s.Name, s.Parent.SpanID())
	}
	return b.String()
}

func attr(s tracetest.SpanStub, key string) string {
	for _, a := range s.Attributes {
		if string(a.Key) == key {
			return a.Value.String()
		}
	}
	return ""
}

// TestTracingWholePerson follows one whole-person query from a caller that
// sends its trace context: the server span continues the caller's trace,
// the operation's span lies below it, every registry call is a client span
// below a loader's batch, each registry received the trace context of its
// call, and the audit records and the access log carry the trace and the
// request id.
func TestTracingWholePerson(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	var (
		mu      sync.Mutex
		records []store.AuditRecord
	)
	var logBuf syncBuffer
	log, _ := logging.New(&logBuf, "json", "info")
	h := newHubWith(t, log, server.Options{TracerProvider: tp, WrapAuditLog: func(next audit.Appender) audit.Appender {
		return appendFunc(func(ctx context.Context, rs []store.AuditRecord) error {
			mu.Lock()
			records = append(records, rs...)
			mu.Unlock()
			return next.AppendAudit(ctx, rs)
		})
	}})
	p := h.Mocks.Population
	h.Mocks.ResetCalls()

	const (
		callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
		callerSpan  = "00f067aa0ba902b7"
		callerState = "gemeente=kcc"
	)
	body, _ := json.Marshal(map[string]any{"query": strings.Replace(wholePerson, "query(", "query WholePerson(", 1), "variables": map[string]any{"bsn": p.Scenarios.Household}})
	req, _ := http.NewRequest(http.MethodPost, h.URL+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+h.Token)
	req.Header.Set("traceparent", "00-"+callerTrace+"-"+callerSpan+"-01")
	req.Header.Set("tracestate", callerState)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Errors []any }
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(out.Errors) > 0 {
		t.Fatalf("status %d, errors %v", resp.StatusCode, out.Errors)
	}
	// The server span ends once the handler returns, which may be just
	// after the client has the answer.
	waitFor(t, func() bool {
		return slices.ContainsFunc(spans.GetSpans(), func(s tracetest.SpanStub) bool { return s.SpanKind == trace.SpanKindServer })
	})

	tree := spanTree{}
	var server, operation, auditSpan []tracetest.SpanStub
	for _, s := range spans.GetSpans() {
		tree[s.SpanContext.SpanID()] = s
		switch {
		case s.SpanKind == trace.SpanKindServer:
			server = append(server, s)
		case strings.HasPrefix(s.Name, "query"):
			operation = append(operation, s)
		case s.Name == "audit append":
			auditSpan = append(auditSpan, s)
		}
	}
	if len(server) != 1 || len(operation) != 1 || len(auditSpan) != 1 {
		t.Fatalf("%d server, %d operation and %d audit spans, want one each:\n%s", len(server), len(operation), len(auditSpan), tree)
	}
	srv, op := server[0], operation[0]
	if srv.Name != "POST /graphql" || srv.SpanContext.TraceID().String() != callerTrace ||
		srv.Parent.SpanID().String() != callerSpan || !srv.Parent.IsRemote() {
		t.Errorf("server span %q in trace %s under %s, want POST /graphql continuing the caller's", srv.Name, srv.SpanContext.TraceID(), srv.Parent.SpanID())
	}
	requestID := srv.SpanContext.SpanID().String()
	if tp := resp.Header.Get("traceparent"); tp != "00-"+callerTrace+"-"+requestID+"-01" {
		t.Errorf("answered traceparent %q, want the server span's", tp)
	}
	if op.Name != "query WholePerson" || attr(op, "graphql.operation.name") != "WholePerson" || op.Parent.SpanID() != srv.SpanContext.SpanID() {
		t.Errorf("operation span %q (%v) is not the named query below the server span", op.Name, op.Attributes)
	}
	if auditSpan[0].Parent.SpanID() != srv.SpanContext.SpanID() {
		t.Errorf("the audit append is not below the server span")
	}

	// Every registry call is a client span below a batch of a loader of
	// its registry, below the operation, and the registry received that
	// span's trace context.
	calls := map[string][]string{} // registry: the traceparents it should have received
	for _, s := range tree {
		if s.SpanKind != trace.SpanKindClient {
			continue
		}
		reg := attr(s, "poort.registry")
		if s.SpanContext.TraceID().String() != callerTrace || !tree.below(s, op) {
			t.Errorf("registry call %q is not below the operation in the caller's trace", s.Name)
		}
		if loader, ok := tree.parent(s); !ok || !strings.HasPrefix(loader.Name, "load ") || attr(loader, "poort.registry") != reg {
			t.Errorf("registry call %q is not below a batch of a %s loader", s.Name, reg)
		}
		calls[reg] = append(calls[reg], "00-"+callerTrace+"-"+s.SpanContext.SpanID().String()+"-01")
	}
	for _, reg := range h.Mocks.Registries() {
		got := h.Mocks.TraceContexts(reg)
		if len(got) == 0 || len(calls[reg]) == 0 {
			t.Errorf("%s: %d calls received, %d spans; the whole person asks every registry", reg, len(got), len(calls[reg]))
		}
		for _, tc := range got {
			if !slices.Contains(calls[reg], tc.Traceparent) || tc.Tracestate != callerState {
				t.Errorf("%s received %+v, which names no registry call of the request (%v) or lost the caller's tracestate", reg, tc, calls[reg])
			}
		}
	}

	mu.Lock()
	defer mu.Unlock()
	if len(records) == 0 {
		t.Fatal("no audit records")
	}
	for _, r := range records {
		if r.TraceID != callerTrace || r.ParentSpanID != requestID || r.SpanID == requestID {
			t.Errorf("audit record in trace %s under %s (span %s), want the request's trace %s under its span %s",
				r.TraceID, r.ParentSpanID, r.SpanID, callerTrace, requestID)
		}
	}
	if !strings.Contains(logBuf.String(), `"trace_id":"`+callerTrace+`","request_id":"`+requestID+`"`) {
		t.Errorf("no log line names the trace and the request:\n%s", logBuf.String())
	}
}

// waitFor polls cond for up to five seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 500 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the condition did not come true")
}

type appendFunc func(ctx context.Context, rs []store.AuditRecord) error

func (f appendFunc) AppendAudit(ctx context.Context, rs []store.AuditRecord) error { return f(ctx, rs) }
