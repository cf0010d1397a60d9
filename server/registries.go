package server

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/brk"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/connectors/uwv"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/mocks"
	bagmock "github.com/poort-nl/poort/mocks/bag"
	brkmock "github.com/poort-nl/poort/mocks/brk"
	brpmock "github.com/poort-nl/poort/mocks/brp"
	nhrmock "github.com/poort-nl/poort/mocks/nhr"
	rdwmock "github.com/poort-nl/poort/mocks/rdw"
	uwvmock "github.com/poort-nl/poort/mocks/uwv"
)

// Registry is one registry compiled into the hub: its connector's
// registration and its mock's.
type Registry struct {
	Connector connectors.Registration
	Mock      mocks.Registration
}

// Registries lists the registries compiled into the hub, one line each. It
// is the one place that names them: the configuration, the connectors the
// hub opens, the mocks it starts, the cache, the audit log's resource
// names, the bench and the tests all take them from here. The embedded
// mocks listen on POORT_MOCKS_PORT and the ports after it in this order.
//
// This list lives in server because server is the package that may import
// both the connectors and the mocks (docs/registries.md).
func Registries() []Registry {
	return []Registry{
		{brp.Registration(), brpmock.Registration()},
		{nhr.Registration(), nhrmock.Registration()},
		{bag.Registration(), bagmock.Registration()},
		{rdw.Registration(), rdwmock.Registration()},
		{uwv.Registration(), uwvmock.Registration()},
		{brk.Registration(), brkmock.Registration()},
	}
}

// RegistryNames returns the names of the registries, in order.
func RegistryNames(regs []Registry) []connectors.Registry {
	out := make([]connectors.Registry, 0, len(regs))
	for _, r := range regs {
		out = append(out, r.Connector.Registry)
	}
	return out
}

// checkRegistries validates the registrations: each connector's (see
// connectors.NewSet), each registry once, and a mock that plays it.
func checkRegistries(regs []Registry) error {
	set := make([]connectors.Registration, 0, len(regs))
	var errs []error
	seen := map[connectors.Registry]bool{}
	for _, r := range regs {
		name := r.Connector.Registry
		set = append(set, r.Connector)
		if seen[name] {
			errs = append(errs, fmt.Errorf("registry %s: registered twice", name))
		}
		seen[name] = true
		if r.Mock.Registry != string(name) {
			errs = append(errs, fmt.Errorf("registry %s: its mock plays %q", name, r.Mock.Registry))
		}
		// Development mode needs the mock to serve every contract of our
		// own the connector speaks, and a path for no other setting.
		own := map[string]bool{}
		for _, st := range r.Connector.Settings {
			if st.OwnContract {
				own[st.Name] = true
				if _, ok := r.Mock.Settings[st.Name]; !ok {
					errs = append(errs, fmt.Errorf("registry %s: its mock serves no %s", name, st.Name))
				}
			}
		}
		for k := range r.Mock.Settings {
			if !own[k] {
				errs = append(errs, fmt.Errorf("registry %s: its mock gives %s, which is no own-contract setting of its connector", name, k))
			}
		}
	}
	if _, err := connectors.NewSet(set...); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// checkSchema checks the registries against the schema: the Registry enum
// lists exactly the registered registries, each has fields whose @source
// names it, each look-up's resource is one those declare, and every path
// declared of a resource with a field list is one its API takes.
func checkSchema(regs []Registry, s *ast.Schema, ix *lineage.Index) error {
	var errs []error
	var enum []string
	if def := s.Types["Registry"]; def != nil {
		for _, v := range def.EnumValues {
			enum = append(enum, v.Name)
		}
	}
	resources := map[string]map[string]bool{}
	for _, f := range ix.All() {
		if resources[f.Registry] == nil {
			resources[f.Registry] = map[string]bool{}
		}
		resources[f.Registry][f.Endpoint] = true
	}
	registered := map[string]bool{}
	for _, r := range regs {
		c := r.Connector
		name := string(c.Registry)
		registered[name] = true
		if !slices.Contains(enum, name) {
			errs = append(errs, fmt.Errorf("registry %s is registered but not a value of the schema's Registry enum", name))
		}
		if resources[name] == nil {
			errs = append(errs, fmt.Errorf("registry %s is registered but no field of the schema declares it as its @source", name))
			continue
		}
		for _, l := range c.Lookups {
			if !resources[name][l.Endpoint] && l.Endpoint != "" {
				errs = append(errs, fmt.Errorf("registry %s: look-up %q reads resource %q, which no @source declares", name, l.Name, l.Endpoint))
			}
		}
		for endpoint, paths := range c.Paths {
			if err := ix.CheckPaths(name, endpoint, paths); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for _, v := range enum {
		if !registered[v] {
			errs = append(errs, fmt.Errorf("registry %s of the schema's Registry enum has no registration in server.Registries", v))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("registries and schema disagree: %w", err)
	}
	return nil
}

// MockRegistrations returns the mocks of the registries, in order.
func MockRegistrations(regs []Registry) []mocks.Registration {
	out := make([]mocks.Registration, 0, len(regs))
	for _, r := range regs {
		out = append(out, r.Mock)
	}
	return out
}

// resources returns each registry's main API resource, for the audit log.
func resources(regs []Registry) map[string]string {
	out := make(map[string]string, len(regs))
	for _, r := range regs {
		out[string(r.Connector.Registry)] = r.Connector.Resource
	}
	return out
}

// registryList names the registries for messages: "BRP, NHR".
func registryList(regs []Registry) string {
	names := make([]string, 0, len(regs))
	for _, n := range RegistryNames(regs) {
		names = append(names, string(n))
	}
	return strings.Join(names, ", ")
}
