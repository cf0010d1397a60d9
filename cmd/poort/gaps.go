package main

import (
	"context"
	"io"

	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/lifeevents"
)

func gaps(ctx context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	ix, err := lineage.FromSchema(s)
	if err != nil {
		return err
	}
	return lifeevents.RunGapsCLI(ctx, args, lifeevents.SchemaFromAST(s, ix), stdout, stderr)
}
