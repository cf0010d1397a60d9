package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/poort-nl/poort/internal/trace"
)

// ErrorPresenter turns every error a resolver returns into the error the
// client sees: registry failures get their UPSTREAM_* code and registry,
// errors that carry a code keep it, input coercion errors are
// BAD_USER_INPUT, and anything else is INTERNAL with a trace id, its cause
// written to the log, never to the client.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var ge *gqlerror.Error
		if errors.As(err, &ge) && ge.Extensions["code"] != nil {
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
		id := trace.IDFrom(ctx)
		log.ErrorContext(ctx, "internal error", "trace_id", string(id), "err", err)
		out := internal(id)
		if ge != nil {
			out.Path, out.Locations = ge.Path, ge.Locations
		} else {
			out.Path = graphql.GetPath(ctx)
		}
		return out
	}
}

func internal(id trace.ID) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf("internal error; quote trace id %s when reporting it", id),
		Extensions: map[string]any{"code": CodeInternal, "traceId": string(id)},
	}
}

// Recover turns a panic in a resolver into an INTERNAL error with a trace
// id; the stack goes to the log, never to the client.
func Recover(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		id := trace.IDFrom(ctx)
		log.ErrorContext(ctx, "panic in resolver", "trace_id", string(id), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return internal(id)
	}
}
