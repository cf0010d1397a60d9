// Package connectors holds the contract every registry connector keeps, the
// typed errors connectors return, and the validated set of registered
// connectors the hub opens at start-up.
//
// A connector speaks one registry's published API over HTTP and maps its
// shapes to plain Go types. It knows nothing of GraphQL. Partner integrators
// add a registry by writing a package with a Registration and listing it in
// connectors/all.
package connectors

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"time"
)

// Registry names a base registry.
type Registry string

// The registries the hub federates.
const (
	BRP Registry = "BRP"
	NHR Registry = "NHR"
	BAG Registry = "BAG"
	RDW Registry = "RDW"
	UWV Registry = "UWV"
)

// Registries lists the known registries in a stable order.
func Registries() []Registry { return []Registry{BRP, NHR, BAG, RDW, UWV} }

// Connector is what every connector implements besides its registry's own
// operations.
type Connector interface {
	// Registry returns the registry the connector speaks to.
	Registry() Registry
	// Check makes one cheap call to see whether the registry answers; the
	// hub's readiness endpoint reports it. It returns a typed *Error.
	Check(ctx context.Context) error
	// Close releases idle connections.
	Close() error
}

// Config is what a connector is constructed with. Constructors must not
// touch the network.
type Config struct {
	// BaseURL is the registry's base URL, e.g.
	// "https://proefomgeving.haalcentraal.nl/haalcentraal/api/brp".
	BaseURL string
	// AuthHeader and AuthValue set a credentials header on every call,
	// e.g. "X-API-KEY" for BRP, "apikey" for KvK, "X-Api-Key" for BAG.
	AuthHeader string
	AuthValue  string
	// Timeout bounds one call, retries included, when the caller's context
	// allows longer. Zero means 5 seconds.
	Timeout time.Duration
	// MaxRetries bounds retries of calls that change nothing. Zero means 2;
	// negative means none.
	MaxRetries int
	// TLS configures the client side of TLS: a client certificate for
	// mutual TLS and the CA that signs the registry's certificate, as a
	// registry behind Digikoppeling requires. The zero value uses the
	// system's roots and no client certificate.
	TLS TLSConfig
	// Transport replaces the HTTP transport; TLS must then be zero.
	Transport http.RoundTripper
	// Observer, when set, sees every upstream call.
	Observer Observer
	// Guard, when set, wraps every upstream call, e.g. in a circuit breaker
	// and a bulkhead.
	Guard Guard
}

// TLSConfig names PEM files for TLS to a registry.
type TLSConfig struct {
	// CertFile and KeyFile hold the client certificate (with its chain)
	// and its private key, sent when the registry asks for one. Both or
	// neither.
	CertFile string
	KeyFile  string
	// CAFile holds the certificates that may sign the registry's server
	// certificate, replacing the system's roots (e.g. PKIoverheid's).
	CAFile string
}

// IsZero reports whether nothing is configured.
func (t TLSConfig) IsZero() bool { return t == TLSConfig{} }

// Call describes one finished upstream call for an Observer.
type Call struct {
	Registry Registry
	// Operation names the registry API operation, e.g. "RaadpleegMetBurgerservicenummer".
	Operation string
	Duration  time.Duration
	// Attempts counts HTTP attempts, retries included.
	Attempts int
	// Err is nil or a typed *Error.
	Err error
}

// Observer receives every upstream call. Implementations must be safe for
// concurrent use and must not block.
type Observer interface {
	ObserveCall(ctx context.Context, c Call)
}

// Guard runs an upstream call, possibly refusing it (an open circuit, a
// full bulkhead) with a typed *Error.
type Guard interface {
	Do(ctx context.Context, r Registry, call func(context.Context) error) error
}

// Registration describes a connector to the hub.
type Registration struct {
	// ID identifies the connector, e.g. "brp-haalcentraal-v2".
	ID string
	// Registry is the registry the connector serves.
	Registry Registry
	// Description says in one sentence which API the connector speaks.
	Description string
	// New constructs the connector without touching the network.
	New func(Config) (Connector, error)
}

// Set is a validated collection of registrations.
type Set struct {
	byID map[string]Registration
}

// NewSet validates the registrations: each needs an ID, a known registry, a
// description and a constructor, and no ID may appear twice.
func NewSet(regs ...Registration) (*Set, error) {
	known := map[Registry]bool{}
	for _, r := range Registries() {
		known[r] = true
	}
	s := &Set{byID: make(map[string]Registration, len(regs))}
	var errs []error
	for i, r := range regs {
		switch {
		case r.ID == "":
			errs = append(errs, fmt.Errorf("connector %d: empty id", i))
		case !known[r.Registry]:
			errs = append(errs, fmt.Errorf("connector %q: unknown registry %q", r.ID, r.Registry))
		case r.Description == "":
			errs = append(errs, fmt.Errorf("connector %q: empty description", r.ID))
		case r.New == nil:
			errs = append(errs, fmt.Errorf("connector %q: no constructor", r.ID))
		}
		if _, dup := s.byID[r.ID]; dup && r.ID != "" {
			errs = append(errs, fmt.Errorf("connector %q: registered twice", r.ID))
		}
		s.byID[r.ID] = r
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("invalid connector registrations: %w", err)
	}
	return s, nil
}

// Registrations returns the registrations ordered by ID.
func (s *Set) Registrations() []Registration {
	out := make([]Registration, 0, len(s.byID))
	for _, r := range s.byID {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ForRegistry returns the registrations serving the registry.
func (s *Set) ForRegistry(r Registry) []Registration {
	var out []Registration
	for _, reg := range s.Registrations() {
		if reg.Registry == r {
			out = append(out, reg)
		}
	}
	return out
}

// Open constructs the connector with the ID.
func (s *Set) Open(id string, cfg Config) (Connector, error) {
	r, ok := s.byID[id]
	if !ok {
		return nil, fmt.Errorf("open connector %q: not registered", id)
	}
	c, err := r.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("open connector %q: %w", id, err)
	}
	if c.Registry() != r.Registry {
		return nil, fmt.Errorf("open connector %q: serves %s, registered for %s", id, c.Registry(), r.Registry)
	}
	return c, nil
}

// Observers combines observers into one that tells each of them every
// call; nil observers are left out.
func Observers(obs ...Observer) Observer {
	var m multiObserver
	for _, o := range obs {
		if o != nil {
			m = append(m, o)
		}
	}
	return m
}

type multiObserver []Observer

func (m multiObserver) ObserveCall(ctx context.Context, c Call) {
	for _, o := range m {
		o.ObserveCall(ctx, c)
	}
}
