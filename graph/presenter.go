package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/internal/telemetry"
	"github.com/poort-nl/poort/store"
)

// ErrorPresenter turns every error a resolver returns into the error the
// client sees: registry failures get their UPSTREAM_* code and registry,
// errors that carry a code keep it, input coercion errors are
// BAD_USER_INPUT, a store that cannot be reached is STORE_UNAVAILABLE, and
// anything else is INTERNAL with a trace id, its cause written to the log,
// never to the client.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var ge *gqlerror.Error
		if errors.As(err, &ge) && ge.Extensions["code"] != nil {
			if ge.Extensions["code"] == CodeForbidden {
				logRefusal(ctx, log, ge)
			}
			return ge
		}
		if u := upstream(err); u != nil {
			if ge != nil {
				u.Path, u.Locations = ge.Path, ge.Locations
			} else {
				u.Path = graphql.GetPath(ctx)
			}
			return u
		}
		if ge != nil && ge.Err == nil {
			// gqlgen reports arguments and variables that do not fit their
			// type as plain errors on the argument's path.
			if ge.Extensions == nil {
				ge.Extensions = map[string]any{}
			}
			ge.Extensions["code"] = CodeBadUserInput
			return ge
		}
		out := internal(ctx)
		if errors.Is(err, store.ErrUnavailable) {
			log.WarnContext(ctx, "store unavailable", "err", err)
			out = storeUnavailable()
		} else {
			log.ErrorContext(ctx, "internal error", "err", err)
		}
		if ge != nil {
			out.Path, out.Locations = ge.Path, ge.Locations
		} else {
			out.Path = graphql.GetPath(ctx)
		}
		return out
	}
}

// logRefusal logs a refusal (FORBIDDEN) with its reason, once per
// operation for each field and reason: the field, the purpose that would
// allow it, the principal's role and purposes. The path is left out: its
// aliases are the caller's to choose.
func logRefusal(ctx context.Context, log *slog.Logger, ge *gqlerror.Error) {
	field, _ := ge.Extensions["field"].(string)
	if rq, ok := ctx.Value(requestKey{}).(*request); ok && !rq.firstRefusal(field+"\x00"+ge.Message) {
		return
	}
	p, _ := auth.From(ctx)
	attrs := []slog.Attr{slog.String("reason", ge.Message), slog.String("role", p.Role), slog.String("purposes", strings.Join(p.Purposes, ","))}
	if field != "" {
		attrs = append(attrs, slog.String("field", field))
	}
	if mp, _ := ge.Extensions["missingPurpose"].(string); mp != "" {
		attrs = append(attrs, slog.String("missing_purpose", mp))
	}
	log.LogAttrs(ctx, slog.LevelInfo, "refused", attrs...)
}

// CodeStoreUnavailable says the hub's store cannot be reached: retryable,
// and answered with HTTP 503 when nothing else was done.
const CodeStoreUnavailable = cases.CodeStoreUnavailable

func storeUnavailable() *gqlerror.Error {
	return &gqlerror.Error{
		Message:    "the hub's store is unavailable; try again later (with the same idempotency key for a mutation)",
		Extensions: map[string]any{"code": CodeStoreUnavailable, "retryable": true},
	}
}

// internal is the error a client sees for a fault of the hub. It quotes
// the request id, which the hub chose, rather than the trace id, which
// the caller may have chosen for many requests.
func internal(ctx context.Context) *gqlerror.Error {
	req := telemetry.RequestID(ctx)
	return &gqlerror.Error{
		Message:    fmt.Sprintf("internal error; quote request id %s when reporting it", req),
		Extensions: map[string]any{"code": CodeInternal, "requestId": req, "traceId": telemetry.TraceID(ctx)},
	}
}

// Recover turns a panic in a resolver into an INTERNAL error with a trace
// id; the stack goes to the log, never to the client.
func Recover(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return internal(ctx)
	}
}
