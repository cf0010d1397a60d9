package observe

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/internal/logging"
)

// RegistryFailures logs every registry call that failed, with its reason:
// the registry, the operation, the kind of failure, the HTTP status, the
// registry's own codes and explanation, the attempts and the duration; the
// logger adds the trace and request ids. Never the call's URL or body,
// which hold identifiers. A key the registry does not know is logged at
// debug level: it is an answer, not a failure.
type RegistryFailures struct{ Log *slog.Logger }

// ObserveCall logs the call when it failed.
func (f RegistryFailures) ObserveCall(ctx context.Context, c connectors.Call) {
	if c.Err == nil || f.Log == nil {
		return
	}
	level := slog.LevelWarn
	if errors.Is(c.Err, connectors.ErrNotFound) {
		level = slog.LevelDebug
	}
	attrs := []slog.Attr{
		slog.String("registry", string(c.Registry)), slog.String("operation", c.Operation),
		slog.String("reason", connectors.KindOf(c.Err)), slog.Int("attempts", c.Attempts),
		slog.Float64("duration_ms", logging.Milliseconds(c.Duration)),
	}
	var ce *connectors.Error
	if errors.As(c.Err, &ce) {
		if ce.Status != 0 {
			attrs = append(attrs, slog.Int("status", ce.Status))
		}
		if len(ce.Codes) > 0 {
			attrs = append(attrs, slog.String("registry_codes", strings.Join(ce.Codes, ",")))
		}
		if ce.Detail != "" {
			attrs = append(attrs, slog.String("detail", ce.Detail))
		}
	}
	f.Log.LogAttrs(ctx, level, "registry call failed", attrs...)
}

var _ connectors.Observer = RegistryFailures{}
