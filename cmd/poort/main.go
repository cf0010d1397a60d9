// Command poort runs the Poort integration hub and its tools.
//
//	poort                      start the hub (with mock registries unless configured otherwise)
//	poort mocks                run the mock registries standalone
//	poort mocks export         write the synthetic population as JSON
//	poort gaps                 the coupling-gap report as JSON, Mermaid or DOT
//	poort token --role R ...   a token from the local issuer
//	poort audit verify         check the audit log's hash chain
//	poort bench, poort soak    measure speed, and hold up under random registry faults
//	poort businesscase ...     the business case per municipality, or the scale check
//
// Run `poort --help` for every command, `poort CMD --help` for one.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/poort-nl/poort/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		// An error the log holds already is not printed again: in JSON
		// mode every line on stderr is JSON.
		if !errors.As(err, new(errReported)) {
			fmt.Fprintln(os.Stderr, "poort:", err)
		}
		os.Exit(1)
	}
}

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "start the hub (the default command)", serve},
		{"mocks", "run the mock registries standalone; `mocks export` writes the population as JSON", mocksCommand},
		{"gaps", "the coupling-gap report: --format json|mermaid|dot [--event ID]", gaps},
		{"token", "issue a token from the local issuer: --role ROLE --purpose P, or --bsn BSN", token},
		{"audit", "the audit log: `audit verify` checks its hash chain", auditCommand},
		{"bench", "measure the hub against the mocks: latency, throughput, calls, overhead, memory", benchCommand},
		{"soak", "many clients for a while against one hub with faults injected at random", soak},
		{"businesscase", "the business case of a municipality (--municipality NAME) or the scale check (--scale)", businessCase},
	}
}

// run dispatches to a subcommand; it is main without the process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	name := "serve"
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "-help", "--help":
			if len(args) > 1 { // poort help CMD is poort CMD --help
				return run(ctx, []string{args[1], "--help"}, getenv, stdout, stderr)
			}
			usage(stdout)
			return nil
		}
		if !strings.HasPrefix(args[0], "-") {
			name, args = args[0], args[1:]
		}
	}
	for _, c := range commands() {
		if c.name == name {
			return forUser(c.run(ctx, args, getenv, stdout, stderr))
		}
	}
	return fmt.Errorf("unknown command %q; run `poort --help` for the commands", name)
}

// usage lists the commands.
func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: poort [command] [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `poort COMMAND --help` for a command's flags. The hub is configured by\nenvironment variables (see the README); it keeps its local state in\nPOORT_STATE_DIR (default ~/.local/state/poort).")
}

// forUser drops the store's operation names (store.Open, ListAudit) from
// an error's message: Go names say nothing to the user. The error still
// wraps what it wrapped.
func forUser(err error) error {
	if err == nil {
		return nil
	}
	return userError{msg: store.Reason(err), err: err}
}

type userError struct {
	msg string
	err error
}

func (e userError) Error() string { return e.msg }
func (e userError) Unwrap() error { return e.err }
