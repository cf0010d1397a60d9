package resilience

import (
	"container/list"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"

	"github.com/poort-nl/poort/connectors"
)

// Cache keeps registry answers for a short time, with single-flight: the
// answers of the look-ups a registry's registration declares
// (connectors.Lookup), as each look-up's Data allows. Open data (BAG
// addresses, RDW vehicle technical data) is kept for CacheConfig.TTL;
// personal data only when the operator sets CacheConfig.PersonalTTL.
// Values handed out are shared between requests: callers must not modify
// them. It is safe for concurrent use.
type Cache struct {
	cfg     CacheConfig
	metrics *Metrics
	now     func() time.Time

	mu    sync.Mutex
	stats []func() CacheStats
}

// NewCache makes a cache; m, when not nil, counts its hits and misses.
func NewCache(cfg CacheConfig, m *Metrics) *Cache {
	return &Cache{cfg: cfg, metrics: m, now: time.Now}
}

// Stats returns the hit and miss counts of every cached look-up wrapped so
// far, in the order they were wrapped.
func (c *Cache) Stats() []CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]CacheStats, 0, len(c.stats))
	for _, s := range c.stats {
		out = append(out, s())
	}
	return out
}

// Registries returns the registries with each look-up wrapped as Lookup
// wraps it; the connectors are the same.
func (c *Cache) Registries(rs connectors.Registries) connectors.Registries {
	out := make(connectors.Registries, len(rs))
	for _, name := range rs.Names() {
		o := rs[name]
		ls := make([]connectors.Lookup, len(o.Lookups))
		for i, l := range o.Lookups {
			ls[i] = c.Lookup(name, l)
		}
		o.Lookups = ls
		out[name] = o
	}
	return out
}

// Lookup wraps a look-up of registry r so that its answers are kept as its
// Data allows, per variant of the question (connectors.Lookup.Vary), under
// the name "<registry>_<look-up>". A look-up of one key per call keeps
// each key's answer as it comes; one of many keys per call asks the
// registry once for all the keys it misses. It returns l itself when
// nothing is to be kept.
func (c *Cache) Lookup(r connectors.Registry, l connectors.Lookup) connectors.Lookup {
	var ttl time.Duration
	switch l.Data {
	case connectors.OpenData:
		ttl = c.cfg.TTL
	case connectors.PersonalData:
		ttl = c.cfg.PersonalTTL
	}
	if ttl <= 0 {
		return l
	}
	t := newTable[any](c, strings.ToLower(string(r))+"_"+l.Name, r, ttl)
	next := l.Fetch
	l.Fetch = func(ctx context.Context, conn connectors.Connector, keys []string, asked connectors.Asked) (map[string]any, error) {
		variants := []string{""}
		if l.Vary != nil {
			if v := l.Vary(asked); len(v) > 0 {
				variants = v
			}
		}
		prefix := variants[0] + "|"
		var also []string
		for _, v := range variants[1:] {
			also = append(also, v+"|")
		}
		if l.Batch == 1 {
			return each(ctx, t, prefix, keys, also, func(ctx context.Context, k string) (any, bool, error) {
				m, err := next(ctx, conn, []string{k}, asked)
				v, found := m[k]
				return v, found, err
			})
		}
		return batch(ctx, t, prefix, keys, also, l.AbsentIsEmpty, func(ctx context.Context, keys []string) (map[string]any, error) {
			return next(ctx, conn, keys, asked)
		})
	}
	return l
}

// table is one cached operation: entries that expire after a TTL, at most
// max of them, the least recently used evicted first, and single-flight so
// that concurrent misses of the same key make one registry call. A nil
// *table caches nothing and passes every call through.
type table[V any] struct {
	name     string
	registry connectors.Registry
	ttl      time.Duration
	max      int
	now      func() time.Time
	metrics  *Metrics

	mu     sync.Mutex
	items  map[string]*list.Element
	order  *list.List // front: most recently used
	flight singleflight.Group

	hits, misses atomic.Uint64
}

type entry[V any] struct {
	key     string
	val     V
	expires time.Time
}

func newTable[V any](c *Cache, name string, r connectors.Registry, ttl time.Duration) *table[V] {
	if ttl <= 0 {
		return nil
	}
	t := &table[V]{
		name: name, registry: r, ttl: ttl, max: c.cfg.MaxEntries, now: c.now, metrics: c.metrics,
		items: map[string]*list.Element{}, order: list.New(),
	}
	if t.max <= 0 {
		t.max = DefaultConfig().Cache.MaxEntries
	}
	c.mu.Lock()
	c.stats = append(c.stats, t.stats)
	c.mu.Unlock()
	return t
}

// get returns a live entry and counts the look-up.
func (t *table[V]) get(key string) (V, bool) {
	t.mu.Lock()
	el, ok := t.items[key]
	if ok {
		e := el.Value.(*entry[V])
		if t.now().Before(e.expires) {
			t.order.MoveToFront(el)
			t.mu.Unlock()
			t.count(true)
			return e.val, true
		}
		t.order.Remove(el)
		delete(t.items, key)
	}
	t.mu.Unlock()
	t.count(false)
	var zero V
	return zero, false
}

// peek returns a live entry without counting the look-up.
func (t *table[V]) peek(key string) (V, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if el, ok := t.items[key]; ok {
		if e := el.Value.(*entry[V]); t.now().Before(e.expires) {
			t.order.MoveToFront(el)
			return e.val, true
		}
	}
	var zero V
	return zero, false
}

func (t *table[V]) count(hit bool) {
	if hit {
		t.hits.Add(1)
	} else {
		t.misses.Add(1)
	}
	t.metrics.cacheLookup(t.name, hit)
}

func (t *table[V]) put(key string, v V) {
	t.mu.Lock()
	defer t.mu.Unlock()
	expires := t.now().Add(t.ttl)
	if el, ok := t.items[key]; ok {
		e := el.Value.(*entry[V])
		e.val, e.expires = v, expires
		t.order.MoveToFront(el)
		return
	}
	t.items[key] = t.order.PushFront(&entry[V]{key: key, val: v, expires: expires})
	for t.order.Len() > t.max {
		last := t.order.Back()
		t.order.Remove(last)
		delete(t.items, last.Value.(*entry[V]).key)
	}
}

func (t *table[V]) stats() CacheStats {
	t.mu.Lock()
	n := t.order.Len()
	t.mu.Unlock()
	return CacheStats{Name: t.name, Hits: t.hits.Load(), Misses: t.misses.Load(), Entries: n}
}

// shared returns the context a single-flight fetch runs with: the first
// caller's values and deadline, but not its cancellation, so a caller that
// leaves does not fail the others waiting on the same fetch.
func shared(ctx context.Context) (context.Context, context.CancelFunc) {
	s := context.WithoutCancel(ctx)
	if d, ok := ctx.Deadline(); ok {
		return context.WithDeadline(s, d)
	}
	return context.WithCancel(s)
}

// wait waits for a single-flight result or for ctx to end.
func wait(ctx context.Context, r connectors.Registry, ch <-chan singleflight.Result) (any, error) {
	select {
	case res := <-ch:
		return res.Val, res.Err
	case <-ctx.Done():
		detail := "no answer within the deadline"
		if errors.Is(ctx.Err(), context.Canceled) {
			detail = "the request was cancelled"
		}
		return nil, &connectors.Error{Registry: r, Operation: "cache", Kind: connectors.ErrTimeout, Detail: detail}
	}
}

// batch looks up keys of an API that takes many per call: the hits come
// from the cache, the misses from one call (split by the connector as its
// API needs), shared with any concurrent caller missing the same keys.
// prefix tells variants of the operation apart (a field list, options);
// entries under the prefixes in alsoFrom serve the look-up too. With
// absentIsEmpty a key the answer leaves out has an empty value (a person
// without vehicles) and is cached as such; otherwise it is unknown and not
// cached.
func batch[V any](ctx context.Context, t *table[V], prefix string, keys []string, alsoFrom []string, absentIsEmpty bool,
	fetch func(context.Context, []string) (map[string]V, error)) (map[string]V, error) {
	if t == nil {
		return fetch(ctx, keys)
	}
	out := make(map[string]V, len(keys))
	var misses []string
	for _, k := range keys {
		if _, done := out[k]; done || slices.Contains(misses, k) {
			continue
		}
		if v, ok := peekAny(t, k, alsoFrom); ok {
			t.count(true)
			out[k] = v
			continue
		}
		if v, ok := t.get(prefix + k); ok {
			out[k] = v
		} else {
			misses = append(misses, k)
		}
	}
	if len(misses) == 0 {
		return out, nil
	}
	slices.Sort(misses)
	ch := t.flight.DoChan(prefix+strings.Join(misses, ","), func() (any, error) {
		sctx, cancel := shared(ctx)
		defer cancel()
		got, err := fetch(sctx, misses)
		if err != nil {
			return nil, err
		}
		for k, v := range got {
			t.put(prefix+k, v)
		}
		if absentIsEmpty {
			for _, k := range misses {
				if _, ok := got[k]; !ok {
					var empty V
					t.put(prefix+k, empty)
				}
			}
		}
		return got, nil
	})
	got, err := wait(ctx, t.registry, ch)
	if err != nil {
		return nil, err
	}
	for k, v := range got.(map[string]V) {
		out[k] = v
	}
	return out, nil
}

// each looks up keys of an API that takes one per call (the BAG's): every
// miss is its own single-flight call, all of them concurrent, so a key
// another request is already fetching is not fetched again.
func each[V any](ctx context.Context, t *table[V], prefix string, keys []string, alsoFrom []string,
	fetch func(context.Context, string) (V, bool, error)) (map[string]V, error) {
	out := make(map[string]V, len(keys))
	var misses []string
	for _, k := range keys {
		if _, done := out[k]; done || slices.Contains(misses, k) {
			continue
		}
		if v, ok := peekAny(t, k, alsoFrom); ok {
			t.count(true)
			out[k] = v
			continue
		}
		if v, ok := t.get(prefix + k); ok {
			out[k] = v
		} else {
			misses = append(misses, k)
		}
	}
	if len(misses) == 0 {
		return out, nil
	}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	for _, k := range misses {
		g.Go(func() error {
			ch := t.flight.DoChan(prefix+k, func() (any, error) {
				sctx, cancel := shared(ctx)
				defer cancel()
				v, found, err := fetch(sctx, k)
				if err != nil || !found {
					return nil, err
				}
				t.put(prefix+k, v)
				return v, nil
			})
			v, err := wait(gctx, t.registry, ch)
			if err != nil || v == nil {
				return err
			}
			mu.Lock()
			out[k] = v.(V)
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// peekAny looks for the key under other prefixes whose entries serve this
// look-up too (an expanded address serves a plain look-up).
func peekAny[V any](t *table[V], key string, prefixes []string) (V, bool) {
	for _, p := range prefixes {
		if v, ok := t.peek(p + key); ok {
			return v, true
		}
	}
	var zero V
	return zero, false
}

// CacheStats counts the look-ups of one cached operation.
type CacheStats struct {
	// Name names the operation, e.g. "bag_addresses".
	Name         string
	Hits, Misses uint64
	Entries      int
}

// HitRate returns the share of look-ups that hit, 0 when there were none.
func (s CacheStats) HitRate() float64 {
	if s.Hits+s.Misses == 0 {
		return 0
	}
	return float64(s.Hits) / float64(s.Hits+s.Misses)
}
