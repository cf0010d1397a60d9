// Package logging builds the hub's application logger. The application log
// must never hold personal data, so every string it writes passes a filter
// that masks numbers shaped like a BSN, RSIN or KvK number. Every line
// logged in a request names its trace and request, and every duration
// carries its unit in its key.
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/poort-nl/poort/internal/telemetry"
)

// New returns a logger writing text or JSON at the level.
func New(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", level, err)
	}
	opts := &slog.HandlerOptions{Level: lv, ReplaceAttr: replace}
	switch format {
	case "json":
		return slog.New(traced{slog.NewJSONHandler(w, opts)}), nil
	case "text", "":
		return slog.New(traced{slog.NewTextHandler(w, opts)}), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", format)
}

// traced adds the trace id and the request id of the record's context
// (telemetry.TraceID, telemetry.RequestID), so the lines of one request
// can be found together and beside its spans and audit records.
type traced struct{ slog.Handler }

func (t traced) Handle(ctx context.Context, r slog.Record) error {
	if id := telemetry.TraceID(ctx); id != "" {
		r.AddAttrs(slog.String("trace_id", id))
	}
	if id := telemetry.RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return t.Handler.Handle(ctx, r)
}

func (t traced) WithAttrs(as []slog.Attr) slog.Handler { return traced{t.Handler.WithAttrs(as)} }
func (t traced) WithGroup(name string) slog.Handler    { return traced{t.Handler.WithGroup(name)} }

// replace masks personal data and gives durations their unit.
func replace(groups []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		return slog.Float64(a.Key+"_ms", Milliseconds(a.Value.Duration()))
	}
	return mask(groups, a)
}

// Milliseconds renders a duration in milliseconds, to the microsecond,
// for an attribute whose key ends in _ms.
func Milliseconds(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Discard returns a logger that writes nothing.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// unmasked are attributes that hold identifiers of our own, never personal
// data, whose hex digits could look like a masked number.
var unmasked = map[string]bool{"trace_id": true, "span_id": true, "request_id": true}

func mask(_ []string, a slog.Attr) slog.Attr {
	if unmasked[a.Key] {
		return a
	}
	switch a.Value.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(a.Value.String()))
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			return slog.String(a.Key, Redact(err.Error()))
		}
	}
	return a
}

// Redact replaces every run of eight or more digits, the shape of a BSN,
// RSIN, KvK number or A-nummer, with a mask.
func Redact(s string) string {
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
			if digits == 8 {
				break
			}
		} else {
			digits = 0
		}
	}
	if digits < 8 {
		return s
	}
	var b strings.Builder
	run := 0
	flush := func(end int) {
		if run >= 8 {
			b.WriteString("[redacted]")
		} else {
			b.WriteString(s[end-run : end])
		}
		run = 0
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			continue
		}
		flush(i)
		b.WriteByte(s[i])
	}
	flush(len(s))
	return b.String()
}
