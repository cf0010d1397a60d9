package audit

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/poort-nl/poort/internal/gqlhttp"
	"github.com/poort-nl/poort/internal/telemetry"
)

// CodeAuditUnavailable is the extensions.code of a response withheld
// because its disclosures could not be recorded.
const CodeAuditUnavailable = "AUDIT_UNAVAILABLE"

// Middleware gives each request a Recorder (read it with RecorderFrom),
// holds the handler's response back, appends the recorded disclosures to
// the audit log, and only then sends the response. When the audit log
// cannot be written, the response is replaced by HTTP 503 with a GraphQL
// error AUDIT_UNAVAILABLE and "data": null: nothing that was not
// accounted for leaves the hub.
//
// Put it after authentication and tracing, directly around the GraphQL
// handler: the response is buffered in memory, which the query limits
// keep small.
func (a *Auditor) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := a.NewRecorder(r.Context())
		buf := &heldResponse{header: w.Header(), status: http.StatusOK}
		next.ServeHTTP(buf, r.WithContext(WithRecorder(r.Context(), rec)))
		n := rec.Pending()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), a.cfg.FlushTimeout)
		defer cancel()
		if err := flush(ctx, rec, n); err != nil {
			a.cfg.Logger.LogAttrs(r.Context(), slog.LevelError, "audit log unavailable; response withheld",
				slog.Int("records", n), slog.String("err", err.Error()))
			withhold(w, rec)
			return
		}
		buf.release(w)
	})
}

// flush appends the request's records in a span of its own.
func flush(ctx context.Context, rec *Recorder, n int) error {
	ctx, span := telemetry.TracerFrom(ctx).Start(ctx, "audit append",
		trace.WithAttributes(attribute.Int("poort.audit.records", n)))
	defer span.End()
	err := rec.Flush(ctx)
	if err != nil {
		span.SetStatus(codes.Error, "audit log unavailable")
	}
	return err
}

// heldResponse keeps a response in memory until it may be sent. It does
// not implement http.Flusher, so nothing can slip out early.
type heldResponse struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (h *heldResponse) Header() http.Header { return h.header }

func (h *heldResponse) WriteHeader(status int) {
	if !h.wroteHeader {
		h.status, h.wroteHeader = status, true
	}
}

func (h *heldResponse) Write(b []byte) (int, error) {
	h.wroteHeader = true
	return h.body.Write(b)
}

func (h *heldResponse) release(w http.ResponseWriter) {
	w.WriteHeader(h.status)
	w.Write(h.body.Bytes())
}

func withhold(w http.ResponseWriter, rec *Recorder) {
	h := w.Header()
	for _, k := range []string{"Content-Length", "Content-Encoding", "ETag", "Last-Modified"} {
		h.Del(k)
	}
	h.Set("Retry-After", strconv.Itoa(5))
	gqlhttp.ErrorWithheld(w, http.StatusServiceUnavailable, CodeAuditUnavailable,
		"the audit log could not record this request's disclosures, so no data is sent; "+
			"try again later and quote request id "+rec.requestID+" if it persists",
		map[string]any{"requestId": rec.requestID, "traceId": rec.traceID})
}
