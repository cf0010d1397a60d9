package balie

import (
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/poort-nl/poort/graph"
)

// TestOperationsMatchSchema validates every console operation against the
// hub's schema, so a schema change that breaks a page fails here, naming
// the operation, before any browser runs.
func TestOperationsMatchSchema(t *testing.T) {
	ops, err := loadOperations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) < 10 {
		t.Fatalf("loaded %d operations", len(ops))
	}
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			q, perr := parser.ParseQuery(&ast.Source{Name: name, Input: op.doc})
			if perr != nil {
				t.Fatal(perr)
			}
			for _, e := range validator.ValidateWithRules(schema, q, nil) {
				t.Error(e)
			}
		})
	}
}
