package graph

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// entitiesContext is the context of an _entities field over reps.
func entitiesContext(reps []map[string]any) context.Context {
	ctx := graphql.WithOperationContext(context.Background(), &graphql.OperationContext{
		RecoverFunc: func(_ context.Context, p any) error { return fmt.Errorf("recovered: %v", p) },
	})
	return graphql.WithFieldContext(ctx, &graphql.FieldContext{
		Object: "Query",
		Field:  graphql.CollectedField{Field: &ast.Field{Name: "_entities", Alias: "_entities"}},
		Args:   map[string]any{"representations": reps},
	})
}

// TestResolveEntitiesPlacesEachKey checks that a batch of one type, as
// gqlgen hands it over, resolves each key under the index of its own
// representation among representations of several types, and that a
// failure or a panic stays with its key.
func TestResolveEntitiesPlacesEachKey(t *testing.T) {
	ctx := entitiesContext([]map[string]any{
		{"__typename": "Company", "kvkNumber": "1"},
		{"__typename": "Person", "bsn": "a"},
		{"__typename": "Address", "id": "2"},
		{"__typename": "Person", "bsn": "b"},
		{"__typename": "Person", "bsn": "c"},
	})
	got, err := resolveEntities(ctx, "Person", []string{"a", "b", "c"}, func(ctx context.Context, bsn string) (string, error) {
		path := graphql.GetPath(ctx).String()
		switch bsn {
		case "b":
			return "", errors.New("no " + bsn + " at " + path)
		case "c":
			panic("bug at " + path)
		}
		return bsn + " at " + path, nil
	})
	if want := "a at _entities[1]"; got[0] != want {
		t.Errorf("first = %q, want %q", got[0], want)
	}
	var errs graphql.BatchErrorList
	if !errors.As(err, &errs) || len(errs) != 3 {
		t.Fatalf("err = %v, want one error per key", err)
	}
	if errs[0] != nil || errs[1] == nil || errs[1].Error() != "no b at _entities[3]" {
		t.Errorf("errors = %v, want only b's, at _entities[3]", errs)
	}
	var ge *gqlerror.Error
	if !errors.As(errs[2], &ge) || ge.Path.String() != "_entities[4]" || ge.Message != "recovered: bug at _entities[4]" {
		t.Errorf("panic = %v, want it recovered at _entities[4]", errs[2])
	}

	one := entitiesContext([]map[string]any{{"__typename": "Person", "bsn": "a"}})
	if _, err := resolveEntities(one, "Person", []string{"a"}, func(context.Context, string) (string, error) { return "", nil }); err != nil {
		t.Errorf("a batch without failures returned %v", err)
	}
}
