package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/internal/ident"
)

// The error codes clients see in extensions.code.
const (
	CodeBadUserInput        = "BAD_USER_INPUT"
	CodeNotFound            = "NOT_FOUND"
	CodeForbidden           = "FORBIDDEN"
	CodeUpstreamUnavailable = "UPSTREAM_UNAVAILABLE"
	CodeUpstreamTimeout     = "UPSTREAM_TIMEOUT"
	CodeUpstreamInvalid     = "UPSTREAM_INVALID_RESPONSE"
	CodeUpstreamNotOffered  = "UPSTREAM_NOT_OFFERED"
	CodeInternal            = "INTERNAL"
)

// badInput reports an argument that breaks a rule, naming both.
func badInput(argument string, err error) *gqlerror.Error {
	rule := err.Error()
	var ie *ident.Error
	if errors.As(err, &ie) {
		rule = ie.Rule
	}
	return &gqlerror.Error{
		Message:    fmt.Sprintf("argument %q: %s", argument, rule),
		Extensions: map[string]any{"code": CodeBadUserInput, "argument": argument},
	}
}

// notFound reports that a registry does not know a key.
func notFound(registry connectors.Registry, what string) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf("%s: no %s with that identifier", registry, what),
		Extensions: map[string]any{"code": CodeNotFound, "registry": string(registry)},
	}
}

// upstream turns a connector error into the error clients see: the code
// says what went wrong, extensions.registry which registry.
func upstream(err error) *gqlerror.Error {
	var ce *connectors.Error
	if !errors.As(err, &ce) {
		return nil
	}
	code, msg := CodeUpstreamUnavailable, "is unavailable"
	switch {
	case errors.Is(err, connectors.ErrTimeout):
		code, msg = CodeUpstreamTimeout, "did not answer in time"
	case errors.Is(err, connectors.ErrInvalidResponse):
		code, msg = CodeUpstreamInvalid, "answered with an invalid response"
	case errors.Is(err, connectors.ErrNotOffered):
		code, msg = CodeUpstreamNotOffered, "does not offer this data: its published API has none, and no source of the hub's own contract is configured"
	case errors.Is(err, connectors.ErrNotFound):
		code, msg = CodeNotFound, "does not know the identifier"
	case errors.Is(err, connectors.ErrInvalidRequest):
		code, msg = CodeBadUserInput, "refused the request"
	case errors.Is(err, connectors.ErrUnauthorized):
		msg = "refused the hub's credentials"
	}
	ext := map[string]any{"code": code, "registry": string(ce.Registry)}
	if ce.RetryAfter > 0 {
		ext["retryAfterSeconds"] = int(ce.RetryAfter.Seconds())
	}
	message := fmt.Sprintf("%s %s", ce.Registry, msg)
	if ce.Detail != "" && code == CodeBadUserInput {
		message += ": " + ce.Detail
	}
	return &gqlerror.Error{Message: message, Extensions: ext}
}

// isUpstream reports whether err is a registry failure that should null
// only the fields the registry owns.
func isUpstream(err error) bool {
	var ce *connectors.Error
	return errors.As(err, &ce) && !errors.Is(err, connectors.ErrNotFound)
}

// reportOnFields adds err once for every selected field of an object that
// the registry owns, except the object's key, so each affected path carries
// the error while the rest of the object stays. The object is the current
// field's value, or, with an index, that element of the current list.
func reportOnFields(ctx context.Context, r *Resolver, typ string, registry connectors.Registry, err error, index ...int) {
	base := append(ast.Path{}, graphql.GetPath(ctx)...)
	for _, i := range index {
		base = append(base, ast.PathIndex(i))
	}
	for _, f := range fieldsOf(ctx, typ) {
		src, ok := r.lineage.Lookup(typ, f.Name)
		if !ok || connectors.Registry(src.Registry) != registry || src.Key {
			continue
		}
		e := upstream(err)
		e.Path = append(append(ast.Path{}, base...), ast.PathName(f.Alias))
		graphql.AddError(ctx, e)
	}
}
