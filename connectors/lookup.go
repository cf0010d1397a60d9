package connectors

import (
	"context"
	"errors"
	"fmt"
	"sort"
)

// Key is the kind of identifier a look-up is asked by. The shared kinds
// are below; a connector may declare a kind of its own for a key only it
// takes.
type Key string

// The identifiers registries are asked by.
const (
	// BSN is a burgerservicenummer: a person.
	BSN Key = "BSN"
	// KvKNumber is a KvK number: a company.
	KvKNumber Key = "KvKNumber"
	// BranchNumber is a vestigingsnummer: a company's branch.
	BranchNumber Key = "BranchNumber"
	// AddressID is a BAG nummeraanduiding identification: an address.
	AddressID Key = "AddressID"
	// ObjectID is a BAG adresseerbaar object identification: a dwelling
	// or other residential object.
	ObjectID Key = "ObjectID"
	// LicencePlate is a normalised licence plate: a vehicle.
	LicencePlate Key = "LicencePlate"
)

// Data says how long the hub's cache may keep a look-up's answers.
type Data int

const (
	// NotCached answers are asked of the registry anew in every request.
	NotCached Data = iota
	// PersonalData answers hold personal data: the cache keeps them only
	// for the operator's personal TTL (POORT_CACHE_PERSONAL_TTL), which is
	// off unless set.
	PersonalData
	// OpenData answers are open data, such as BAG addresses or RDW vehicle
	// technical data: the cache keeps them for POORT_CACHE_TTL.
	OpenData
)

// Asked is what the current operation asks of one registry: per API
// resource ("" for the main one), the source paths its selection needs, as
// the schema's @source declarations give them. A look-up builds its field
// list from it (data minimisation).
type Asked interface {
	Fields(endpoint string) []string
}

// Fetch asks the registry, through its connector c, for the keys. A key
// absent from the answer is unknown to the registry, or empty with
// Lookup.AbsentIsEmpty. It returns a typed *Error.
type Fetch func(ctx context.Context, c Connector, keys []string, asked Asked) (map[string]any, error)

// Lookup is an operation the graph asks a registry by key: a person's
// vehicles by BSN, an address by its identification. Declaring it in the
// registration is what lets the graph batch it, load it once per key per
// request, prefetch it beside the BRP, and cache it.
type Lookup struct {
	// Name names the look-up within its registry, e.g. "addresses"; the
	// cache's statistics and metrics call it "<registry>_<name>".
	Name string
	// Endpoint is the API resource, as the schema's @source declarations
	// name it ("" for the main one). With Key it identifies the look-up:
	// the graph prefetches, for a person, the look-ups by BSN of the
	// resources its selected fields come from.
	Endpoint string
	// Key is the kind of identifier the look-up takes.
	Key Key
	// Batch is the most keys one call takes; 1 for an API that takes one
	// key per call, whose keys are then asked in calls of their own, at
	// once. Zero means any number.
	Batch int
	// AbsentIsEmpty says that a key the answer leaves out has an empty
	// value (a person without vehicles) rather than being unknown.
	AbsentIsEmpty bool
	// Data says how long the cache may keep the answers.
	Data Data
	// Vary, when the answer to a key depends on what the operation asks (a
	// field list, an expansion), names the variant asked, followed by any
	// variants whose answers serve it too. Nil when the key alone decides.
	Vary func(Asked) []string
	// Fetch calls the registry.
	Fetch Fetch
}

// checkLookups validates a registration's look-ups: each has a name, a key
// and an operation, and no two share a name or an endpoint and key.
func checkLookups(ls []Lookup) error {
	var errs []error
	names := map[string]bool{}
	ids := map[[2]string]bool{}
	for i, l := range ls {
		switch {
		case l.Name == "":
			errs = append(errs, fmt.Errorf("look-up %d: no name", i))
		case l.Key == "":
			errs = append(errs, fmt.Errorf("look-up %q: no key", l.Name))
		case l.Fetch == nil:
			errs = append(errs, fmt.Errorf("look-up %q: no operation", l.Name))
		case l.Batch < 0:
			errs = append(errs, fmt.Errorf("look-up %q: negative batch", l.Name))
		}
		if names[l.Name] && l.Name != "" {
			errs = append(errs, fmt.Errorf("look-up %q: declared twice", l.Name))
		}
		id := [2]string{l.Endpoint, string(l.Key)}
		if ids[id] {
			errs = append(errs, fmt.Errorf("look-up %q: another look-up of resource %q by %s", l.Name, l.Endpoint, l.Key))
		}
		names[l.Name], ids[id] = true, true
	}
	return errors.Join(errs...)
}

// Batched adapts an operation of the connector's API A that answers many
// keys in one call to a Fetch.
func Batched[A, V any](op func(a A, ctx context.Context, keys []string, asked Asked) (map[string]V, error)) Fetch {
	return func(ctx context.Context, c Connector, keys []string, asked Asked) (map[string]any, error) {
		a, err := api[A](c)
		if err != nil {
			return nil, err
		}
		m, err := op(a, ctx, keys, asked)
		if err != nil {
			return nil, err
		}
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[k] = v
		}
		return out, nil
	}
}

// Single adapts an operation of the connector's API A that answers one key
// per call to a Fetch; a key the registry does not know (ErrNotFound) is
// left out of the answer.
func Single[A, V any](op func(a A, ctx context.Context, key string, asked Asked) (V, error)) Fetch {
	return func(ctx context.Context, c Connector, keys []string, asked Asked) (map[string]any, error) {
		a, err := api[A](c)
		if err != nil {
			return nil, err
		}
		out := make(map[string]any, len(keys))
		for _, k := range keys {
			v, err := op(a, ctx, k, asked)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
		return out, nil
	}
}

// api returns the connector as the API A its registration's look-ups
// call; another type is a wiring bug, such as a fake of another registry.
func api[A any](c Connector) (A, error) {
	a, ok := c.(A)
	if !ok {
		var zero A
		return zero, fmt.Errorf("connector %T of %s does not implement %T", c, c.Registry(), (*A)(nil))
	}
	return a, nil
}

// Open is one registry as the hub resolves with it: its registration and
// its open connector.
type Open struct {
	Registration
	Connector Connector
}

// Registries are the hub's open registries by name.
type Registries map[Registry]Open

// Names returns the registries' names, sorted.
func (rs Registries) Names() []Registry {
	out := make([]Registry, 0, len(rs))
	for r := range rs {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Lookup returns the registry's look-up of the API resource by the key.
func (rs Registries) Lookup(r Registry, endpoint string, key Key) (Lookup, bool) {
	for _, l := range rs[r].Lookups {
		if l.Endpoint == endpoint && l.Key == key {
			return l, true
		}
	}
	return Lookup{}, false
}

// Get returns the registry's connector as the API A the caller asks of it.
// Each connector package offers it typed as From.
func Get[A any](rs Registries, r Registry) (A, error) {
	o, ok := rs[r]
	if !ok || o.Connector == nil {
		var zero A
		return zero, fmt.Errorf("no connector for registry %s", r)
	}
	return api[A](o.Connector)
}
