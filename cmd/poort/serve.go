package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/go-logr/logr"
	"go.opentelemetry.io/otel"

	"github.com/poort-nl/poort/internal/cli"
	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/internal/telemetry"
	"github.com/poort-nl/poort/server"
)

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("poort serve", flag.ContinueOnError)
	const usage = "usage: poort [serve]\n\nStarts the hub. Configuration is by environment variables (see the README);\nin development mode its signing key and database are in POORT_STATE_DIR\n(default ~/.local/state/poort).\n"
	if done, err := cli.Parse(fs, args, usage, stdout); done || err != nil {
		return err
	}
	cfg, err := server.LoadConfig(getenv)
	if err != nil {
		return reportJSON(getenv, stderr, "configuration refused", err)
	}
	log, err := logging.New(stderr, cfg.LogFormat, cfg.LogLevel)
	if err != nil {
		return err
	}
	// What the process's libraries print goes through the hub's logger:
	// the standard log package (and through it net/http's servers) and
	// OpenTelemetry's own errors.
	defer routeLibraryLogs(log)()
	tp, err := telemetry.Setup(ctx, getenv)
	if err != nil {
		return reported(log, "tracing refused", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := tp.Shutdown(sctx); err != nil {
			log.Warn("tracing: spans not exported at shutdown", "err", err)
		}
	}()
	err = server.Run(ctx, cfg, log, server.Options{TracerProvider: tp}, func(url string) {
		if cfg.LogFormat == "json" {
			return // the log says where the hub listens; stdout holds JSON only
		}
		fmt.Fprintf(stdout, "Poort is listening on %s\n", url)
		if cfg.Playground {
			fmt.Fprintf(stdout, "Playground: %s/playground\n", url)
		}
		fmt.Fprintf(stdout, "GraphQL:    POST %s/graphql\n", url)
	})
	if err != nil && cfg.LogFormat == "json" {
		return reported(log, "hub stopped", err)
	}
	return err
}

// routeLibraryLogs sends the standard log package's output and
// OpenTelemetry's errors through log, and returns what puts them back.
// They are process-wide, so only the command that runs the process sets
// them.
func routeLibraryLogs(log *slog.Logger) (restore func()) {
	prevDefault, prevHandler := slog.Default(), otel.GetErrorHandler()
	slog.SetDefault(log)
	otel.SetLogger(logr.FromSlogHandler(log.Handler()))
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { log.Warn("tracing", "err", err) }))
	return func() {
		slog.SetDefault(prevDefault)
		otel.SetLogger(logr.FromSlogHandler(prevDefault.Handler()))
		otel.SetErrorHandler(prevHandler)
	}
}

// errReported is an error already written to the log, which main must not
// print again as plain text.
type errReported struct{ error }

func (e errReported) Unwrap() error { return e.error }

// reported logs err and marks it as reported.
func reported(log *slog.Logger, msg string, err error) error {
	log.Error(msg, "err", err)
	return errReported{err}
}

// reportJSON reports an error that came before the logger existed: as a
// JSON line when POORT_LOG_FORMAT asks for JSON, else it is main's to
// print.
func reportJSON(getenv func(string) string, stderr io.Writer, msg string, err error) error {
	if getenv("POORT_LOG_FORMAT") != "json" {
		return err
	}
	log, lerr := logging.New(stderr, "json", "info")
	if lerr != nil {
		return errors.Join(err, lerr)
	}
	return reported(log, msg, err)
}
