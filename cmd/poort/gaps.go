package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/cli"
	"github.com/poort-nl/poort/internal/jsonerr"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/lifeevents"
)

const gapsUsage = `usage: poort gaps [--format json|mermaid|dot] [--event ID[,ID...]] [--health FILE]

Writes the life-event catalogue and its coupling-gap report: as JSON, or as a
Mermaid or Graphviz DOT diagram of the life events, their steps and chain
partners, with the couplings coloured by status.

Without --health the report holds the catalogue's static gaps only; with it,
the registries' observed health (a JSON list as the hub's gap report gives
under "health") turns the steps of unhealthy registries into live gaps.

Flags:
`

// gaps is `poort gaps`: the embedded catalogue, checked against the
// executable schema, and its gap report in the format asked.
func gaps(ctx context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("poort gaps", flag.ContinueOnError)
	var (
		format = fs.String("format", "json", "output `format`: json, mermaid or dot")
		events = fs.String("event", "", "only these life-event `ids`, comma-separated (default all), e.g. starting-a-business")
		health = fs.String("health", "", "JSON `file` with the observed health per registry")
	)
	if done, err := cli.Parse(fs, args, gapsUsage, stdout); done || err != nil {
		return err
	}
	f, err := lifeevents.ParseFormat(*format)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	ix, err := lineage.FromSchema(s)
	if err != nil {
		return err
	}
	c, err := lifeevents.LoadEmbedded(lifeevents.SchemaFromAST(s, ix))
	if err != nil {
		return err
	}
	opts := lifeevents.ReportOptions{}
	for _, id := range strings.Split(*events, ",") {
		if id = strings.TrimSpace(id); id != "" {
			if enumID, ok := lifeevents.EventIDFromEnum(id); ok && strings.ToUpper(id) == id {
				id = enumID // accept the GraphQL enum name too
			}
			opts.Events = append(opts.Events, id)
		}
	}
	if *health != "" {
		b, err := os.ReadFile(*health)
		if err != nil {
			return fmt.Errorf("read health: %w", err)
		}
		if err := jsonerr.UnmarshalStrict(b, &opts.Health); err != nil {
			return fmt.Errorf("--health %s: %w (want a JSON list as the gap report's \"health\" holds it)", *health, err)
		}
	}
	r, err := lifeevents.NewReport(c, opts)
	if err != nil {
		return err
	}
	return lifeevents.Export(stdout, f, c, r)
}
