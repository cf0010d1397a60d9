package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/internal/batchload"
	"github.com/poort-nl/poort/internal/telemetry"
	"github.com/poort-nl/poort/policy"
)

// request holds what one GraphQL operation shares: its plan and its
// loaders, one per registry look-up (connectors.Lookup), which batch keys
// and fetch each key at most once, and dispatch their batches when no
// resolver could add to them (work).
type request struct {
	plan   *plan
	access *access
	r      *Resolver
	group  *batchload.Group
	work   *fieldWork
	// outer is the operation a nested one (a life-event picture) runs
	// in; its loaders serve the nested one what they already asked.
	outer *request

	mu      sync.Mutex
	loaders map[lookupID]*batchload.Loader[string, any]
	// own are loaders the graph makes itself, by name (loaderOf); what
	// they fetch must not depend on the operation's selection.
	own map[string]any
	// refusals are the refusals logged, so a field refused in every
	// element of a list is logged once.
	refusals map[string]bool
}

// firstRefusal reports whether the refusal is the operation's first of
// its kind.
func (rq *request) firstRefusal(kind string) bool {
	rq.mu.Lock()
	defer rq.mu.Unlock()
	if rq.refusals[kind] {
		return false
	}
	if rq.refusals == nil {
		rq.refusals = map[string]bool{}
	}
	rq.refusals[kind] = true
	return true
}

// lookupID names a registry's look-up: of which resource, by which key.
type lookupID struct {
	registry connectors.Registry
	endpoint string
	key      connectors.Key
}

type requestKey struct{}

// AroundOperations plans each operation from its selection set and gives it
// fresh loaders; install it with handler.Server.AroundOperations.
func (r *Resolver) AroundOperations(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx)
	acc := r.planAccess(ctx)
	rq := r.newRequest(planOperation(op, r.lineage, acc))
	rq.access = acc
	outer, nested := ctx.Value(requestKey{}).(*request)
	if nested {
		rq.outer = outer
	}
	h := next(context.WithValue(ctx, requestKey{}, rq))
	if !nested {
		return h
	}
	// A nested operation (a life-event picture) runs inside a resolver of
	// the outer one, which adds no keys to the outer loaders meanwhile:
	// their batches need not wait for it.
	return func(ctx context.Context) *graphql.Response {
		outer.group.Leave()
		defer outer.group.Enter(1)
		return h(ctx)
	}
}

// req returns the operation's request state. Resolvers only run inside
// AroundOperations; a missing state is a wiring bug, answered with an
// unplanned request rather than a panic.
func (r *Resolver) req(ctx context.Context) *request {
	if rq, ok := ctx.Value(requestKey{}).(*request); ok {
		return rq
	}
	rq := r.newRequest(&plan{fields: map[endpointKey][]string{}})
	rq.access = &access{forbidden: map[[2]string]policy.Decision{}, refusedAt: map[*ast.Field]policy.Decision{}}
	return rq
}

func (r *Resolver) newRequest(p *plan) *request {
	g := batchload.NewGroup(r.batchWait)
	return &request{
		plan: p, r: r, group: g, work: newFieldWork(g, r.implementors),
		loaders: map[lookupID]*batchload.Loader[string, any]{}, own: map[string]any{},
	}
}

// asked is what the operation asks of a registry, for its look-ups.
func (rq *request) asked(reg connectors.Registry) connectors.Asked {
	return askedOf{plan: rq.plan, registry: string(reg)}
}

// loader returns the operation's loader of the registry's look-up of the
// resource by the key, made on first use.
func (rq *request) loader(reg connectors.Registry, endpoint string, key connectors.Key) (*batchload.Loader[string, any], error) {
	id := lookupID{reg, endpoint, key}
	rq.mu.Lock()
	defer rq.mu.Unlock()
	if l, ok := rq.loaders[id]; ok {
		return l, nil
	}
	o, ok := rq.r.reg[reg]
	if !ok {
		return nil, fmt.Errorf("graph: no connector for registry %s", reg)
	}
	lk, ok := rq.r.reg.Lookup(reg, endpoint, key)
	if !ok {
		return nil, fmt.Errorf("graph: registry %s declares no look-up of resource %q by %s", reg, endpoint, key)
	}
	l := newLoader(rq.group, o.Connector, reg, lk, rq.asked(reg))
	if parent := rq.outer.sharedLoader(id, rq.plan); parent != nil {
		l.Share(parent)
	}
	rq.loaders[id] = l
	return l, nil
}

// sharedLoader returns the operation's loader of the look-up if it asked
// the registry for every field the nested operation's plan asks of any of
// the registry's resources (a look-up may read more than its own resource's
// fields: the BAG expands an address when the residential object's are
// asked), so that the nested operation takes its answers instead of asking
// the registry again; nil otherwise, or for no operation.
func (rq *request) sharedLoader(id lookupID, nested *plan) *batchload.Loader[string, any] {
	if rq == nil {
		return nil
	}
	rq.mu.Lock()
	l, ok := rq.loaders[id]
	rq.mu.Unlock()
	if !ok {
		return nil
	}
	for k, fields := range nested.fields {
		if k.registry != string(id.registry) {
			continue
		}
		has := rq.plan.Fields(k)
		for _, f := range fields {
			if !slices.Contains(has, f) {
				return nil
			}
		}
	}
	return l
}

// newLoader builds the loader of a look-up: an API that takes one key per
// call has each key fetched in a call of its own, at once; one that takes
// many gets batches of at most Batch keys. A key the answer leaves out is
// batchload.ErrNotFound, or an empty value with AbsentIsEmpty. Each batch
// is a span ("load BRP persons"), its registry calls below it.
func newLoader(g *batchload.Group, c connectors.Connector, reg connectors.Registry, l connectors.Lookup, asked connectors.Asked) *batchload.Loader[string, any] {
	fetch := func(ctx context.Context, keys []string) ([]any, []error) {
		m, err := l.Fetch(ctx, c, keys, asked)
		if err != nil {
			return nil, []error{err}
		}
		vals := make([]any, len(keys))
		errs := make([]error, len(keys))
		for i, k := range keys {
			v, found := m[k]
			if !found && !l.AbsentIsEmpty {
				errs[i] = batchload.ErrNotFound
			}
			vals[i] = v
		}
		return vals, errs
	}
	return batchload.New(g, traced("load "+string(reg)+" "+l.Name, reg, l, fetch), batchload.Options{Capacity: max(l.Batch, 0)})
}

// traced runs a loader's batch in a span of its own, with the number of
// keys it loads; never the keys, which identify persons.
func traced(name string, reg connectors.Registry, l connectors.Lookup, fetch func(context.Context, []string) ([]any, []error)) func(context.Context, []string) ([]any, []error) {
	return func(ctx context.Context, keys []string) ([]any, []error) {
		ctx, span := telemetry.TracerFrom(ctx).Start(ctx, name, trace.WithAttributes(
			attribute.String("poort.registry", string(reg)), attribute.String("poort.lookup", l.Name),
			attribute.String("poort.lookup.key", string(l.Key)), attribute.Int("poort.lookup.keys", len(keys))))
		defer span.End()
		vals, errs := fetch(ctx, keys)
		for _, err := range errs {
			if err != nil && !errors.Is(err, batchload.ErrNotFound) {
				span.SetStatus(codes.Error, connectors.KindOf(err))
				break
			}
		}
		return vals, errs
	}
}

// loaderOf returns the operation's loader named name, made by mk on first
// use: a loader the graph makes itself rather than a registry's look-up,
// such as one that derives a key from several registries' answers.
func loaderOf[K comparable, V any](rq *request, name string, fetch batchload.Fetch[K, V], o batchload.Options) *batchload.Loader[K, V] {
	rq.mu.Lock()
	defer rq.mu.Unlock()
	if l, ok := rq.own[name].(*batchload.Loader[K, V]); ok {
		return l
	}
	l := batchload.New(rq.group, fetch, o)
	// A loader of the graph's own fetches the same whatever the operation
	// selects, so a nested operation takes what the outer one's asked.
	if rq.outer != nil {
		rq.outer.mu.Lock()
		parent, ok := rq.outer.own[name].(*batchload.Loader[K, V])
		rq.outer.mu.Unlock()
		if ok {
			l.Share(parent)
		}
	}
	rq.own[name] = l
	return l
}

// lookup loads one key through the registry's look-up of the resource by
// the key kind. A key the registry does not know is batchload.ErrNotFound
// (see notKnown).
func lookup[V any](ctx context.Context, r *Resolver, reg connectors.Registry, endpoint string, kind connectors.Key, key string) (V, error) {
	var zero V
	l, err := r.req(ctx).loader(reg, endpoint, kind)
	if err != nil {
		return zero, err
	}
	v, err := l.Load(ctx, key)
	if err != nil {
		return zero, err
	}
	return as[V](v)
}

// lookupAll loads keys through a look-up, one value per key in order; the
// error is a batchload.ErrorSlice (read it with errAt) or a failure of
// the whole look-up.
func lookupAll[V any](ctx context.Context, r *Resolver, reg connectors.Registry, endpoint string, kind connectors.Key, keys []string) ([]V, error) {
	l, err := r.req(ctx).loader(reg, endpoint, kind)
	if err != nil {
		return nil, err
	}
	vs, err := l.LoadAll(ctx, keys)
	out := make([]V, len(vs))
	for i, v := range vs {
		t, cerr := as[V](v)
		if cerr != nil {
			return nil, cerr
		}
		out[i] = t
	}
	return out, err
}

// bySource loads one key through the look-up that the current field's
// @source names: its registry and resource, by the key kind given. So the
// field resolves from the same loader that prefetch started for it.
func bySource[V any](ctx context.Context, r *Resolver, kind connectors.Key, key string) (V, error) {
	fc := graphql.GetFieldContext(ctx)
	src, ok := r.lineage.Lookup(fc.Object, fc.Field.Name)
	if !ok {
		var zero V
		return zero, fmt.Errorf("graph: %s.%s declares no @source to load by", fc.Object, fc.Field.Name)
	}
	return lookup[V](ctx, r, connectors.Registry(src.Registry), src.Endpoint, kind, key)
}

// prime gives the operation's loader of a look-up a value it already has.
func prime(ctx context.Context, r *Resolver, reg connectors.Registry, endpoint string, kind connectors.Key, key string, v any) {
	if l, err := r.req(ctx).loader(reg, endpoint, kind); err == nil {
		l.Prime(key, v)
	}
}

// as returns a loaded value as the look-up's type; nil is the empty value
// of a key the registry left out.
func as[V any](v any) (V, error) {
	if v == nil {
		var zero V
		return zero, nil
	}
	t, ok := v.(V)
	if !ok {
		return t, fmt.Errorf("graph: look-up answered %T, want %T", v, t)
	}
	return t, nil
}

// isMissing reports whether a loader found nothing for the key.
func isMissing(err error) bool { return errors.Is(err, batchload.ErrNotFound) }

// notKnown reports whether the registry does not know a key: left out of
// its answer, or answered as not found.
func notKnown(err error) bool { return isMissing(err) || errors.Is(err, connectors.ErrNotFound) }
