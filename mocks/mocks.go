// Package mocks runs the mock registries: one HTTP server per registry on
// loopback, each speaking its registry's published API over the same
// synthetic population, each wrapped in fault injection and a call counter.
//
// The hub's run command starts them in-process; tests start them to have
// real HTTP between connectors and registries; `poort mocks` runs them
// standalone.
package mocks

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/population"
)

// Registration describes a registry's mock to the hub. Each mock package
// returns one from its Registration function; server/registries.go binds it
// to the registry's connector.
type Registration struct {
	// Registry is the registry the mock plays, as its connector names it,
	// e.g. "BRP".
	Registry string
	// BasePath is the path below the mock server's root where the API
	// lives, as the real registry has it (e.g. "/haalcentraal/api/brp");
	// a connector's base URL is the server's root URL plus this path.
	BasePath string
	// New builds the mock's handler over the population.
	New func(*population.Population) http.Handler
	// Settings are, for each of the connector's settings that names the
	// base URL of a contract of the hub's own, the path below the mock
	// server's root where the mock serves that contract
	// ("FUNCTIONARIES_URL": "/api/v1").
	Settings map[string]string
	// RequireKey, when set, wraps the handler so that it refuses a call
	// without the key, or with another, as the registry does. Without a
	// key configured (Options.Keys) the mock takes every call.
	RequireKey func(key string, next http.Handler) http.Handler
}

// check validates the registrations: each names a registry, once, and has
// a handler.
func check(regs []Registration) error {
	var errs []error
	seen := map[string]bool{}
	for i, r := range regs {
		switch {
		case r.Registry == "":
			errs = append(errs, fmt.Errorf("mock %d: no registry", i))
		case seen[r.Registry]:
			errs = append(errs, fmt.Errorf("mock %s: registered twice", r.Registry))
		case r.New == nil:
			errs = append(errs, fmt.Errorf("mock %s: no handler", r.Registry))
		}
		seen[r.Registry] = true
	}
	return errors.Join(errs...)
}

// Options configure Start.
type Options struct {
	// Host is the interface to listen on; the default is 127.0.0.1.
	Host string
	// BasePort, when not zero, fixes the ports: the first registry listens
	// on it, the others on the ports after it, in the order given. Zero
	// gives each registry a free port.
	BasePort int
	// Faults are the initial faults per registry; a name that is not one
	// of the registries started is refused.
	Faults map[string]fault.Config
	// Keys are the API keys the mocks require, per registry; a registry
	// without one takes every call. A key for a mock that checks none
	// (no RequireKey) is refused.
	Keys map[string]string
}

// Set is a running set of mock registries.
type Set struct {
	Population *population.Population
	names      []string
	mocks      map[string]*mock
}

type mock struct {
	root     string
	basePath string
	settings map[string]string
	server   *http.Server
	listener net.Listener
	faults   *fault.Injector
	calls    *counter
	stopped  bool
}

// Start runs the registered mocks over the population, each on a server of
// its own.
func Start(pop *population.Population, regs []Registration, o Options) (*Set, error) {
	if err := check(regs); err != nil {
		return nil, fmt.Errorf("mock registries: %w", err)
	}
	host := o.Host
	if host == "" {
		host = "127.0.0.1"
	}
	s := &Set{Population: pop, mocks: map[string]*mock{}}
	for _, r := range regs {
		s.names = append(s.names, r.Registry)
	}
	for name := range o.Faults {
		if _, ok := s.index(name); !ok {
			return nil, fmt.Errorf("mock faults: unknown registry %q (want one of %s)", name, strings.Join(s.names, ", "))
		}
	}
	for name := range o.Keys {
		i, ok := s.index(name)
		if !ok || regs[i].RequireKey == nil {
			return nil, fmt.Errorf("mock keys: registry %q has no mock that checks a key", name)
		}
	}
	for i, reg := range regs {
		name := reg.Registry
		inj, err := fault.New(o.Faults[name])
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("mock %s faults: %w", name, err)
		}
		port := 0
		if o.BasePort > 0 {
			port = o.BasePort + i
		}
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("mock %s: %w", name, err)
		}
		c := &counter{byRoute: map[string]int{}}
		api := reg.New(pop)
		if key := o.Keys[name]; key != "" {
			api = reg.RequireKey(key, api)
		}
		m := &mock{
			root:     "http://" + l.Addr().String(),
			basePath: reg.BasePath,
			settings: reg.Settings,
			listener: l,
			faults:   inj,
			calls:    c,
			server: &http.Server{
				Handler:           c.wrap(inj.Wrap(api)),
				ReadHeaderTimeout: 10 * time.Second,
			},
		}
		s.mocks[name] = m
		go m.server.Serve(l)
	}
	return s, nil
}

// Registries returns the names of the running mocks, in the order they
// were started.
func (s *Set) Registries() []string { return append([]string(nil), s.names...) }

func (s *Set) index(name string) (int, bool) {
	for i, n := range s.names {
		if n == name {
			return i, true
		}
	}
	return 0, false
}

// RootURL returns the root URL of a mock registry's server.
func (s *Set) RootURL(registry string) string { return s.mocks[registry].root }

// BaseURL returns the URL a connector for the registry is configured with.
func (s *Set) BaseURL(registry string) string {
	m := s.mocks[registry]
	return m.root + m.basePath
}

// Settings returns the values of the registry's own-contract settings
// that point at its mock (Registration.Settings), as URLs.
func (s *Set) Settings(registry string) map[string]string {
	m := s.mocks[registry]
	out := make(map[string]string, len(m.settings))
	for name, path := range m.settings {
		out[name] = m.root + path
	}
	return out
}

// Faults returns the fault injector of a mock registry.
func (s *Set) Faults(registry string) *fault.Injector { return s.mocks[registry].faults }

// ClearFaults removes every injected fault.
func (s *Set) ClearFaults() {
	for _, m := range s.mocks {
		m.faults.Set(fault.Config{})
	}
}

// Calls returns how many API requests the registry received, by route
// ("POST /haalcentraal/api/brp/personen") and in total.
func (s *Set) Calls(registry string) (total int, byRoute map[string]int) {
	return s.mocks[registry].calls.snapshot()
}

// TraceContexts returns the trace context of each API request the
// registry received since the last ResetCalls (the most recent 1000), in
// order.
func (s *Set) TraceContexts(registry string) []TraceContext {
	c := s.mocks[registry].calls
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.traces)
}

// ResetCalls sets every call counter to zero.
func (s *Set) ResetCalls() {
	for _, m := range s.mocks {
		m.calls.reset()
	}
}

// Stop stops one registry's server at once, so that calls to it are
// refused, as when the registry is down.
func (s *Set) Stop(registry string) error {
	m := s.mocks[registry]
	m.stopped = true
	return m.server.Close()
}

// Close stops the servers.
func (s *Set) Close() error {
	var errs []error
	for _, m := range s.mocks {
		if m.stopped {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if err := m.server.Shutdown(ctx); err != nil {
			// Hanging fault handlers hold connections; cut them.
			errs = append(errs, m.server.Close())
		}
		cancel()
	}
	return errors.Join(errs...)
}

// Describe lists the registries and their base URLs, one per line.
func (s *Set) Describe() string {
	var b strings.Builder
	for _, n := range s.names {
		fmt.Fprintf(&b, "%-4s %s (faults: %s%s)\n", n, s.BaseURL(n), s.RootURL(n), fault.AdminPath)
		settings := s.Settings(n)
		for _, k := range slices.Sorted(maps.Keys(settings)) {
			fmt.Fprintf(&b, "     POORT_%s_%s=%s (a contract of our own)\n", n, k, settings[k])
		}
	}
	return b.String()
}

// counter counts API requests per route; the fault admin endpoint does not
// count.
type counter struct {
	mu      sync.Mutex
	total   int
	byRoute map[string]int
	// traces are the W3C trace context headers of the API requests, the
	// most recent maxTraces, as a registry's own log would keep them.
	traces []TraceContext
}

const maxTraces = 1000

// TraceContext is the W3C trace context a registry received with a
// request: its traceparent and tracestate headers, "" when absent.
type TraceContext struct {
	Traceparent, Tracestate string
}

func (c *counter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != fault.AdminPath {
			c.mu.Lock()
			c.total++
			c.byRoute[r.Method+" "+r.URL.Path]++
			if len(c.traces) == maxTraces {
				c.traces = c.traces[1:]
			}
			c.traces = append(c.traces, TraceContext{r.Header.Get("traceparent"), r.Header.Get("tracestate")})
			c.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (c *counter) snapshot() (int, map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := make(map[string]int, len(c.byRoute))
	for k, v := range c.byRoute {
		m[k] = v
	}
	return c.total, m
}

func (c *counter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total = 0
	c.byRoute = map[string]int{}
	c.traces = nil
}
