// Package batchload batches and de-duplicates the keys one operation asks
// of a data source, and calls the source as soon as no work of the
// operation that could add keys to the batch is still running.
//
// Loaders that wait a fixed window for keys (dataloadgen, graph-gophers'
// dataloader) add that window to every hop of a request, even when every
// key of the hop is already known. A Group instead counts the work that
// could still add keys (the GraphQL executor tells it: a resolver starts,
// waits for a loader, returns) and dispatches every loader's batch the
// moment that count falls to zero. A batch also goes when it is full, and
// after MaxWait at the latest, so that work the count does not see (a
// resolver blocked on something other than a loader) costs at most the
// window it always did.
package batchload

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrNotFound is the error of a key the source's answer left out.
var ErrNotFound = errors.New("batchload: not found")

// ErrorSlice holds the errors of LoadAll, one per key, nil where the key
// loaded.
type ErrorSlice []error

func (e ErrorSlice) Error() string {
	if err := errors.Join(e...); err != nil {
		return err.Error()
	}
	return ""
}

// Unwrap returns the errors, so errors.Is and errors.As look into them.
func (e ErrorSlice) Unwrap() []error { return e }

// Group is the loaders of one operation and the count of its work that
// could still add keys to their batches. Its zero value is not usable;
// use NewGroup.
type Group struct {
	maxWait time.Duration

	mu      sync.Mutex
	busy    int
	pending []dispatcher
	// Fallbacks counts batches dispatched by MaxWait rather than by the
	// work falling idle, for tests and benchmarks.
	fallbacks int
}

type dispatcher interface{ dispatch(fallback bool) }

// NewGroup returns a group whose batches wait at most maxWait for the
// work to fall idle; 0 or less waits only for that.
func NewGroup(maxWait time.Duration) *Group { return &Group{maxWait: maxWait} }

// Enter counts n more units of work that could add keys: a resolver that
// starts or resumes, or the children a returned field is about to start.
func (g *Group) Enter(n int) {
	g.mu.Lock()
	g.busy += n
	g.mu.Unlock()
}

// Leave ends one unit of work; when none is left, every pending batch is
// dispatched.
func (g *Group) Leave() {
	g.mu.Lock()
	g.busy--
	var ready []dispatcher
	if g.busy <= 0 {
		ready, g.pending = g.pending, nil
	}
	g.mu.Unlock()
	for _, d := range ready {
		d.dispatch(false)
	}
}

// Fallbacks returns how many batches were dispatched by MaxWait instead
// of by the work falling idle.
func (g *Group) Fallbacks() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.fallbacks
}

// await registers a loader with a batch waiting for dispatch, or
// dispatches it at once when no work could add to it.
func (g *Group) await(d dispatcher) {
	g.mu.Lock()
	idle := g.busy <= 0
	if !idle {
		g.pending = append(g.pending, d)
	}
	g.mu.Unlock()
	if idle {
		d.dispatch(false)
	}
}

func (g *Group) fellBack() {
	g.mu.Lock()
	g.fallbacks++
	g.mu.Unlock()
}

// Fetch loads keys from the source: one value and one error per key, in
// order, or a single error for all of them.
type Fetch[K comparable, V any] func(ctx context.Context, keys []K) ([]V, []error)

// Options adjust a loader.
type Options struct {
	// Capacity is the most keys a batch holds; a full batch is dispatched
	// at once. 1 dispatches every key on its own, at once: a source that
	// takes one key per call gains nothing by waiting. 0 is unbounded.
	Capacity int
}

// Loader loads values by key for one operation, each key at most once.
type Loader[K comparable, V any] struct {
	g     *Group
	fetch Fetch[K, V]
	opts  Options

	mu    sync.Mutex
	cache map[K]*result[V]
	batch *batch[K, V]
	// parent, when set, is a loader whose keys this one takes instead of
	// fetching them again (Share).
	parent *Loader[K, V]
}

// Share makes l take a key parent has already been asked for from
// parent, loaded or on its way, instead of fetching it again; keys parent
// has not been asked go in l's own batches. A nested operation shares its
// enclosing operation's loaders this way, where they fetched at least what
// it asks.
func (l *Loader[K, V]) Share(parent *Loader[K, V]) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.parent = parent
}

type result[V any] struct {
	done  chan struct{}
	value V
	err   error
}

type batch[K comparable, V any] struct {
	ctx     context.Context
	keys    []K
	results []*result[V]
	timer   *time.Timer
	sent    bool
}

// New returns a loader of the group.
func New[K comparable, V any](g *Group, fetch Fetch[K, V], o Options) *Loader[K, V] {
	return &Loader[K, V]{g: g, fetch: fetch, opts: o, cache: map[K]*result[V]{}}
}

// Prime gives the loader a value it need not fetch; a key already asked
// keeps what it has.
func (l *Loader[K, V]) Prime(key K, v V) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.cache[key]; ok {
		return
	}
	r := &result[V]{done: make(chan struct{}), value: v}
	close(r.done)
	l.cache[key] = r
}

// Start asks for the key without waiting for it: it joins the batch, or
// is already asked.
func (l *Loader[K, V]) Start(ctx context.Context, key K) { l.start(ctx, key) }

func (l *Loader[K, V]) start(ctx context.Context, key K) *result[V] {
	l.mu.Lock()
	if r, ok := l.cache[key]; ok {
		l.mu.Unlock()
		return r
	}
	if p := l.parent; p != nil {
		p.mu.Lock()
		r, ok := p.cache[key]
		p.mu.Unlock()
		if ok {
			l.cache[key] = r
			l.mu.Unlock()
			return r
		}
	}
	r := &result[V]{done: make(chan struct{})}
	l.cache[key] = r
	if l.opts.Capacity == 1 {
		l.mu.Unlock()
		go l.run(&batch[K, V]{ctx: ctx, keys: []K{key}, results: []*result[V]{r}, sent: true})
		return r
	}
	b := l.batch
	first := b == nil
	if first {
		b = &batch[K, V]{ctx: ctx}
		l.batch = b
	}
	b.keys = append(b.keys, key)
	b.results = append(b.results, r)
	full := l.opts.Capacity > 0 && len(b.keys) >= l.opts.Capacity
	if full {
		l.send(b)
	} else if first && l.g.maxWait > 0 {
		b.timer = time.AfterFunc(l.g.maxWait, func() { l.dispatchBatch(b, true) })
	}
	l.mu.Unlock()
	if first && !full {
		l.g.await(l)
	}
	return r
}

// dispatch sends the current batch, if any: the group's work fell idle.
func (l *Loader[K, V]) dispatch(fallback bool) {
	l.mu.Lock()
	b := l.batch
	l.mu.Unlock()
	if b != nil {
		l.dispatchBatch(b, fallback)
	}
}

func (l *Loader[K, V]) dispatchBatch(b *batch[K, V], fallback bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b.sent {
		return
	}
	if fallback {
		l.g.fellBack()
	}
	l.send(b)
}

// send takes the batch out of the loader and fetches it; l.mu is held.
func (l *Loader[K, V]) send(b *batch[K, V]) {
	b.sent = true
	if b.timer != nil {
		b.timer.Stop()
	}
	if l.batch == b {
		l.batch = nil
	}
	go l.run(b)
}

func (l *Loader[K, V]) run(b *batch[K, V]) {
	vals, errs := l.safeFetch(b.ctx, b.keys)
	for i, r := range b.results {
		switch {
		case len(errs) == 1 && len(vals) != len(b.keys):
			r.err = errs[0]
		case i < len(errs) && errs[i] != nil:
			r.err = errs[i]
		case i < len(vals):
			r.value = vals[i]
		default:
			r.err = ErrNotFound
		}
		close(r.done)
	}
}

// safeFetch fetches, turning a panic into every key's error: a panic in
// a goroutine of its own would end the process.
func (l *Loader[K, V]) safeFetch(ctx context.Context, keys []K) (vals []V, errs []error) {
	defer func() {
		if p := recover(); p != nil {
			vals, errs = nil, []error{fmt.Errorf("batchload: fetch panicked: %v", p)}
		}
	}()
	return l.fetch(ctx, keys)
}

// Load returns the key's value, waiting for its batch. While it waits,
// the caller's work counts as idle in the group.
func (l *Loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	return l.wait(ctx, l.start(ctx, key))
}

// LoadAll returns the keys' values in order; the error, when not nil, is
// an ErrorSlice with one error per key.
func (l *Loader[K, V]) LoadAll(ctx context.Context, keys []K) ([]V, error) {
	rs := make([]*result[V], len(keys))
	for i, k := range keys {
		rs[i] = l.start(ctx, k)
	}
	vals := make([]V, len(keys))
	var errs ErrorSlice
	for i, r := range rs {
		v, err := l.wait(ctx, r)
		vals[i] = v
		if err != nil {
			if errs == nil {
				errs = make(ErrorSlice, len(keys))
			}
			errs[i] = err
		}
	}
	if errs != nil {
		return vals, errs
	}
	return vals, nil
}

// wait blocks until the result is in or the context ends, counting the
// caller idle meanwhile.
func (l *Loader[K, V]) wait(ctx context.Context, r *result[V]) (V, error) {
	select {
	case <-r.done:
		return r.value, r.err
	default:
	}
	l.g.Leave()
	defer l.g.Enter(1)
	select {
	case <-r.done:
		return r.value, r.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}
