package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/poort-nl/poort/mocks"
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server"
)

func mocksCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "export" {
		return mocksExport(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("mocks", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Uint64("seed", 1, "population seed")
	size := fs.Int("size", population.DefaultSize, "number of persons")
	host := fs.String("host", "127.0.0.1", "interface to listen on")
	basePort := fs.Int("port", 0, "first port: the first registry on it, the others on the next ones ("+registryNames()+"); 0 picks free ports")
	faultsJSON := fs.String("faults", "", `initial faults per registry as JSON, e.g. {"BAG":{"latencyMs":20}}`)
	keysJSON := fs.String("keys", "", `API keys the mocks require, per registry, as JSON, e.g. {"BAG":"secret"}; a mock without one takes every call`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	faults := map[string]fault.Config{}
	if *faultsJSON != "" {
		dec := json.NewDecoder(strings.NewReader(*faultsJSON))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&faults); err != nil {
			return fmt.Errorf("--faults: %w", err)
		}
	}
	keys := map[string]string{}
	if *keysJSON != "" {
		if err := json.Unmarshal([]byte(*keysJSON), &keys); err != nil {
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

func mocksExport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mocks export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Uint64("seed", 1, "population seed")
	size := fs.Int("size", population.DefaultSize, "number of persons")
	out := fs.String("out", "", "file to write; standard output when empty")
	if err := fs.Parse(args); err != nil {
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
