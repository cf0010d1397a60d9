// Package connectors holds the contract every registry connector keeps: the
// Connector interface, the Registration that describes a connector to the
// hub, the Lookups through which the graph asks a registry by key, the
// typed errors connectors return, and the validated set of registrations.
//
// A connector speaks one registry's published API over HTTP and maps its
// shapes to plain Go types. It knows nothing of GraphQL and nothing of the
// mocks. Partner integrators add a registry by writing a package with a
// Registration; server/registries.go binds it to its mock in one line
// (docs/registries.md has the checklist).
package connectors

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"time"
)

// Registry names a base registry, e.g. "BRP". Each connector package
// declares its own as Name; the GraphQL schema's Registry enum lists the
// same names.
type Registry string

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

// Partial is implemented by a connector whose registry's published API
// lacks some of its data, which it takes from a source of a contract of
// our own (Setting.OwnContract). NotOffered names that data while no
// source is configured, nil when all of it is offered; the hub's readiness
// endpoint reports it.
type Partial interface {
	NotOffered() []string
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
	// Settings are the values of the registry's own configuration keys
	// (Registration.Settings), by name; a key left unset is absent.
	Settings map[string]string
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

// Registration describes a registry's connector to the hub: everything the
// hub needs to know of the registry beside its mock and its schema.
type Registration struct {
	// ID identifies the connector, e.g. "brp-haalcentraal-v2".
	ID string
	// Registry is the registry the connector serves. The hub reads the
	// registry's configuration from POORT_<REGISTRY>_URL, _AUTH_HEADER,
	// _AUTH_VALUE and _TIMEOUT, and the schema's Registry enum must list it.
	Registry Registry
	// Description says in one sentence which API the connector speaks.
	Description string
	// New constructs the connector without touching the network.
	New func(Config) (Connector, error)

	// AuthHeader is the credentials header the registry's API takes, e.g.
	// "X-API-KEY"; the hub sends it with POORT_<REGISTRY>_AUTH_VALUE unless
	// POORT_<REGISTRY>_AUTH_HEADER names another. Empty when the API takes
	// none or the operator must name it.
	AuthHeader string
	// Settings are the registry's own configuration keys beside URL,
	// credentials and timeout, read from POORT_<REGISTRY>_<NAME> into
	// Config.Settings.
	Settings []Setting
	// Resource names the registry's main API resource, e.g. "personen": the
	// resource of the schema's @source declarations without an endpoint,
	// which the audit log names in its records ("brp.personen.raadplegen").
	Resource string
	// Paths are, per API resource ("" for the main one), the paths the API
	// takes in a field list, when it takes one. The hub refuses to start
	// when an @source of the registry declares a path outside them, as
	// asking for it would fail every query.
	Paths map[string][]string
	// Lookups are the operations the graph asks the registry by key. The
	// graph loads them batched and once per key per request, prefetches
	// those asked by a person's BSN or a company's KvK number beside the
	// BRP or the Handelsregister, and the cache keeps their answers as
	// their Data allows.
	Lookups []Lookup
}

// Setting is one of a registry's own configuration keys.
type Setting struct {
	// Name is the key's name after POORT_<REGISTRY>_, e.g. "CLIENT_CERT".
	Name string
	// Description says what the key holds, for the docs and errors.
	Description string
	// OwnContract marks the base URL of a source that serves a contract
	// of the hub's own, for data the registry's published API lacks (the
	// NHR's functionaries, the RDW's vehicle holders). Setting it is a
	// production setting; left unset outside development mode, the
	// connector reports that data as not offered (ErrNotOffered). In
	// development mode the registry's mock serves the contract, at the
	// path its registration gives for the key (mocks.Registration.Settings).
	OwnContract bool
}

// Set is a validated collection of registrations.
type Set struct {
	byID map[string]Registration
}

// NewSet validates the registrations: each needs an ID, a registry name, a
// description and a constructor, each look-up an operation to call, and no
// ID may appear twice.
func NewSet(regs ...Registration) (*Set, error) {
	s := &Set{byID: make(map[string]Registration, len(regs))}
	var errs []error
	for i, r := range regs {
		switch {
		case r.ID == "":
			errs = append(errs, fmt.Errorf("connector %d: empty id", i))
		case r.Registry == "":
			errs = append(errs, fmt.Errorf("connector %q: no registry", r.ID))
		case r.Description == "":
			errs = append(errs, fmt.Errorf("connector %q: empty description", r.ID))
		case r.New == nil:
			errs = append(errs, fmt.Errorf("connector %q: no constructor", r.ID))
		}
		if err := checkLookups(r.Lookups); err != nil {
			errs = append(errs, fmt.Errorf("connector %q: %w", r.ID, err))
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
