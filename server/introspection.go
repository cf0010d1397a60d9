package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/poort-nl/poort/graph"
)

// noIntrospection refuses introspection with a clear error when it is
// switched off, however the root selection reaches it (directly, through
// an inline fragment or a fragment spread); gqlgen alone answers with an
// unexplained failure.
type noIntrospection struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = noIntrospection{}

func (noIntrospection) ExtensionName() string                   { return "NoIntrospection" }
func (noIntrospection) Validate(graphql.ExecutableSchema) error { return nil }
func (noIntrospection) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil {
		return nil
	}
	for _, f := range graphql.CollectFields(rc, rc.Operation.SelectionSet, []string{"Query"}) {
		if f.Name == "__schema" || f.Name == "__type" {
			return &gqlerror.Error{
				Message:    "introspection is switched off on this hub; the schema is published with its documentation",
				Extensions: map[string]any{"code": graph.CodeForbidden},
			}
		}
	}
	return nil
}
