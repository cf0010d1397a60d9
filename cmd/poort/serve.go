package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/server"
)

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: poort [serve]\n\nStarts the hub. Configuration is by environment variables (see the README).")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := server.LoadConfig(getenv)
	if err != nil {
		return err
	}
	log, err := logging.New(stderr, cfg.LogFormat, cfg.LogLevel)
	if err != nil {
		return err
	}
	return server.Run(ctx, cfg, log, func(url string) {
		fmt.Fprintf(stdout, "Poort is listening on %s\n", url)
		if cfg.Playground {
			fmt.Fprintf(stdout, "Playground: %s/playground\n", url)
		}
		fmt.Fprintf(stdout, "GraphQL:    POST %s/graphql\n", url)
	})
}
