package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/poort-nl/poort/internal/batchload"
)

// This file resolves the representations a federation gateway sends to
// _entities, so that every error of one representation carries its index:
// ["_entities", 3, "name"] rather than ["_entities"]. A gateway maps that
// index back to the place in its own response.

// CheckRepresentations is field middleware for _entities: it checks every
// representation before any is resolved. One a gateway cannot have sent
// (no __typename, a type that is not an entity, a key field missing or
// not a string) fails the field as an invalid argument does, with a
// BAD_USER_INPUT error at its index; gqlgen would answer it with an
// internal error without an index and fail the other representations of
// its type with it.
func CheckRepresentations(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Object != "Query" || fc.Field.Name != "_entities" {
		return next(ctx)
	}
	reps, _ := fc.Args["representations"].([]map[string]any)
	bad := 0
	for i, rep := range reps {
		if problem := representationProblem(parsedSchema, rep); problem != "" {
			bad++
			graphql.AddError(graphql.WithPathContext(ctx, graphql.NewPathWithIndex(i)), &gqlerror.Error{
				Message:    fmt.Sprintf("representation %d: %s", i, problem),
				Extensions: map[string]any{"code": CodeBadUserInput, "argument": "representations"},
			})
		}
	}
	if bad > 0 {
		return nil, &gqlerror.Error{
			Message:    fmt.Sprintf("%d of %d representations are not valid; none is resolved", bad, len(reps)),
			Extensions: map[string]any{"code": CodeBadUserInput, "argument": "representations"},
		}
	}
	return next(ctx)
}

// representationProblem says what is wrong with a representation, or
// nothing: it names an entity type of the schema by __typename and has
// each field of that type's @key, a string where the field is one.
func representationProblem(s *ast.Schema, rep map[string]any) string {
	name, ok := rep["__typename"].(string)
	if !ok {
		return "__typename must be a string"
	}
	def := s.Types[name]
	if def == nil || def.Kind != ast.Object || len(def.Directives.ForNames("key")) == 0 {
		return fmt.Sprintf("%q is not an entity type", name)
	}
	for _, key := range def.Directives.ForNames("key") {
		fields := key.Arguments.ForName("fields")
		if fields == nil {
			continue
		}
		for _, f := range strings.Fields(fields.Value.Raw) {
			fd := def.Fields.ForName(f)
			if fd == nil {
				continue
			}
			v, present := rep[f]
			if t := fd.Type.Name(); t == "String" || t == "ID" {
				_, present = v.(string)
			}
			if !present || v == nil {
				return fmt.Sprintf("%s needs its key field %q (%s)", name, f, fd.Type)
			}
		}
	}
	return ""
}

// resolveEntities resolves the representations of one entity type, each
// by its key, concurrently so the request's loaders batch the registry
// calls as they do for any list. Each key is resolved under the path of
// its representation, so errors reported on its fields (a registry
// failing on a person) carry the index too; the errors returned are one
// per key, which gqlgen places at the same index.
func resolveEntities[K, T any](ctx context.Context, typeName string, keys []K, resolve func(context.Context, K) (T, error)) ([]T, error) {
	at := representationIndexes(ctx, typeName, len(keys))
	out := make([]T, len(keys))
	errs := make(graphql.BatchErrorList, len(keys))
	// Each goroutine is work that adds keys to the request's loaders;
	// this one, waiting for them, is not.
	var work *batchload.Group
	if rq, ok := ctx.Value(requestKey{}).(*request); ok {
		work = rq.group
		work.Enter(len(keys))
	}
	var wg sync.WaitGroup
	for i, key := range keys {
		kctx := graphql.WithPathContext(ctx, graphql.NewPathWithIndex(at[i]))
		wg.Go(func() {
			if work != nil {
				defer work.Leave()
			}
			// A panic in a goroutine would end the process; it becomes
			// this representation's error, as a panic in a resolver does.
			defer func() {
				if p := recover(); p != nil {
					errs[i] = graphql.GetOperationContext(kctx).Recover(kctx, p)
				}
			}()
			out[i], errs[i] = resolve(kctx, key)
		})
	}
	if work != nil {
		work.Leave()
		defer work.Enter(1)
	}
	wg.Wait()
	if slices.ContainsFunc(errs, func(err error) bool { return err != nil }) {
		return out, errs
	}
	return out, nil
}

// representationIndexes returns where the n representations of typeName
// that gqlgen hands an entity resolver stand in the representations
// argument of _entities. gqlgen groups the representations by __typename,
// keeping their order, so the i-th of the group is the i-th of that type
// in the argument.
func representationIndexes(ctx context.Context, typeName string, n int) []int {
	var reps []map[string]any
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		reps, _ = fc.Args["representations"].([]map[string]any)
	}
	at := make([]int, 0, n)
	for i, rep := range reps {
		if t, _ := rep["__typename"].(string); t == typeName {
			at = append(at, i)
		}
	}
	if len(at) != n {
		// Not called from _entities as gqlgen does; the place in the
		// group is the best index there is.
		at = at[:0]
		for i := range n {
			at = append(at, i)
		}
	}
	return at
}

// fieldsOf returns the fields the current field selects on an object of
// the entity type typ. Under _entities the selection holds a fragment per
// entity type; only typ's apply (an entity is also an _Entity).
func fieldsOf(ctx context.Context, typ string) []graphql.CollectedField {
	return graphql.CollectFieldsCtx(ctx, []string{typ, "_Entity"})
}
