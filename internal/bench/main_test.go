package bench

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"

	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/server"
)

// playHub, set in a test binary's environment, makes it the hub process
// of a run (as `poort serve` is for `poort bench`), so that the tests need
// not build the poort binary.
const playHub = "POORT_BENCH_TEST_PLAY_HUB"

func TestMain(m *testing.M) {
	if os.Getenv(playHub) != "" {
		if err := serve(); err != nil {
			fmt.Fprintln(os.Stderr, "hub:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serve is poort serve: the hub of the environment's configuration until
// SIGTERM.
func serve() error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	cfg, err := server.LoadConfig(os.Getenv)
	if err != nil {
		return err
	}
	log, err := logging.New(os.Stderr, cfg.LogFormat, cfg.LogLevel)
	if err != nil {
		return err
	}
	return server.Run(ctx, cfg, log, server.Options{}, nil)
}

// hubCommand starts this test binary as a hub process.
func hubCommand(t *testing.T) []string {
	t.Setenv(playHub, "1")
	return []string{os.Args[0]}
}
