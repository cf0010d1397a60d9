package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/poort-nl/poort/internal/cli"
	"github.com/poort-nl/poort/internal/jsonerr"
	"github.com/poort-nl/poort/mocks"
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server"
)

const mocksUsage = `usage: poort mocks [flags]
       poort mocks export [--seed N] [--size N] [--out FILE]

Runs the mock registries standalone over a synthetic population, until
interrupted; ` + "`mocks export`" + ` writes the population as JSON instead.

Flags:
`

func mocksCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "export" {
		return mocksExport(args[1:], stdout)
	}
	fs := flag.NewFlagSet("poort mocks", flag.ContinueOnError)
	seed := fs.Uint64("seed", 1, "population seed")
	size := fs.Int("size", population.DefaultSize, "number of persons")
	host := fs.String("host", "127.0.0.1", "interface to listen on")
	basePort := fs.Int("port", 0, "first port: the first registry on it, the others on the next ones ("+registryNames()+"); 0 picks free ports")
	faultsJSON := fs.String("faults", "", `initial faults per registry as JSON, e.g. {"BAG":{"latencyMs":20}}`)
	keysJSON := fs.String("keys", "", `API keys the mocks require, per registry, as JSON, e.g. {"BAG":"secret"}; a mock without one takes every call`)
	if done, err := cli.Parse(fs, args, mocksUsage, stdout); done || err != nil {
		return err
	}
	faults := map[string]fault.Config{}
	if *faultsJSON != "" {
		if err := jsonerr.UnmarshalStrict([]byte(*faultsJSON), &faults); err != nil {
			return fmt.Errorf("--faults: %w", err)
		}
	}
	keys := map[string]string{}
	if *keysJSON != "" {
		if err := jsonerr.UnmarshalStrict([]byte(*keysJSON), &keys); err != nil {
			return fmt.Errorf("--keys: %w", err)
		}
	}
	pop, err := population.Generate(population.Config{Seed: *seed, Size: *size})
	if err != nil {
		return err
	}
	set, err := mocks.Start(pop, server.MockRegistrations(server.Registries()),
		mocks.Options{Host: *host, BasePort: *basePort, Faults: faults, Keys: keys})
	if err != nil {
		return err
	}
	defer set.Close()
	fmt.Fprintf(stdout, "mock registries over %s\n%s", pop, set.Describe())
	<-ctx.Done()
	return nil
}

// registryNames lists the compiled-in registries in port order.
func registryNames() string {
	var names []string
	for _, n := range server.RegistryNames(server.Registries()) {
		names = append(names, string(n))
	}
	return strings.Join(names, ", ")
}

func mocksExport(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("poort mocks export", flag.ContinueOnError)
	seed := fs.Uint64("seed", 1, "population seed")
	size := fs.Int("size", population.DefaultSize, "number of persons")
	out := fs.String("out", "", "file to write; standard output when empty")
	const usage = "usage: poort mocks export [flags]\n\nWrites the synthetic population the mocks serve as JSON: persons, companies,\naddresses and the scenarios tests and examples pick their subjects from.\n\nFlags:\n"
	if done, err := cli.Parse(fs, args, usage, stdout); done || err != nil {
		return err
	}
	pop, err := population.Generate(population.Config{Seed: *seed, Size: *size})
	if err != nil {
		return err
	}
	if *out == "" {
		return pop.WriteJSON(stdout)
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := pop.WriteJSON(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
