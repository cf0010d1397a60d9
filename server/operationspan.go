package server

import (
	"context"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/poort-nl/poort/internal/telemetry"
)

// operationSpans is the gqlgen extension that gives each GraphQL operation a span
// below the request's ("query PersonCard"), covering its execution, with
// the operation's type and name and the codes of its errors. The document
// and its variables are never recorded: they may hold personal data.
// Install it with handler.Server.Use.
type operationSpans struct{}

var (
	_ graphql.HandlerExtension    = operationSpans{}
	_ graphql.ResponseInterceptor = operationSpans{}
)

// ExtensionName names the extension to gqlgen.
func (operationSpans) ExtensionName() string { return "OpenTelemetry" }

// Validate accepts every schema.
func (operationSpans) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse runs the operation in its span.
func (operationSpans) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	typ, name := "query", oc.OperationName
	if op := oc.Operation; op != nil {
		typ, name = string(op.Operation), op.Name
	}
	span := typ
	if name != "" {
		span += " " + name
	}
	attrs := []attribute.KeyValue{attribute.String("graphql.operation.type", typ)}
	if name != "" {
		attrs = append(attrs, attribute.String("graphql.operation.name", name))
	}
	ctx, s := telemetry.TracerFrom(ctx).Start(ctx, span, trace.WithAttributes(attrs...))
	defer s.End()
	resp := next(ctx)
	if resp != nil && len(resp.Errors) > 0 {
		var cs []string
		for _, e := range resp.Errors {
			if c, _ := e.Extensions["code"].(string); c != "" && !slices.Contains(cs, c) {
				cs = append(cs, c)
			}
		}
		s.SetAttributes(attribute.StringSlice("graphql.error.codes", cs))
		s.SetStatus(codes.Error, strings.Join(cs, ","))
	}
	return resp
}
