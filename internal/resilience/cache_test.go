package resilience

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/connectors/registrytest"
	"github.com/poort-nl/poort/connectors/uwv"
)

// The cache wraps the look-ups the registries' own registrations declare,
// asked of the fakes in registrytest, so these tests check what each
// registration says may be kept as much as the cache itself.

// asked is what an operation asks of a registry: per resource, its paths.
type asked map[string][]string

func (a asked) Fields(endpoint string) []string { return a[endpoint] }

// cached is a registry's look-up wrapped in the cache, bound to a fake.
type cached struct {
	l    connectors.Lookup
	fake connectors.Connector
}

// cachedLookup wraps the look-up named name of the fake's registration.
func cachedLookup(t testing.TB, c *Cache, fake registrytest.Fake, name string) cached {
	t.Helper()
	reg := fake.Registration()
	for _, l := range reg.Lookups {
		if l.Name == name {
			return cached{l: c.Lookup(reg.Registry, l), fake: fake}
		}
	}
	t.Fatalf("%s declares no look-up %q", reg.Registry, name)
	return cached{}
}

func (c cached) ask(ctx context.Context, keys []string, a asked) (map[string]any, error) {
	return c.l.Fetch(ctx, c.fake, keys, a)
}

// fakeBAG answers every id but unknownID, counting calls per id.
type fakeBAG struct {
	registrytest.BAG
	mu      sync.Mutex
	calls   map[string]int
	gate    chan struct{} // when not nil, calls wait for it
	err     error
	byPC    int
	started atomic.Int32
}

const unknownID = "0363200000000000"

func newFakeBAG() *fakeBAG {
	f := &fakeBAG{calls: map[string]int{}}
	f.AddressesFunc = f.addresses
	f.AddressesByPostcodeFunc = func(_ context.Context, postcode string, number int, _, _ string) ([]bag.Address, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.byPC++
		return []bag.Address{{ID: fmt.Sprintf("%s-%d", postcode, number)}}, nil
	}
	return f
}

func (f *fakeBAG) addresses(ctx context.Context, ids []string, expand bool) (map[string]*bag.Address, error) {
	f.started.Add(1)
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return nil, &connectors.Error{Registry: bag.Registry, Kind: connectors.ErrTimeout}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	out := map[string]*bag.Address{}
	for _, id := range ids {
		f.calls[fmt.Sprint(id, expand)]++
		if id != unknownID {
			a := &bag.Address{ID: id}
			if expand {
				a.Object = &bag.Object{ID: "object of " + id}
			}
			out[id] = a
		}
	}
	return out, nil
}

func (f *fakeBAG) count(id string, expand bool) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[fmt.Sprint(id, expand)]
}

// expanded is an operation that asks for residential objects.
var expanded = asked{"adresseerbareobjecten": {"oppervlakte"}}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestCache(cfg CacheConfig) (*Cache, *clock) {
	clk := &clock{t: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)}
	c := NewCache(cfg, NewMetrics())
	c.now = clk.now
	return c, clk
}

func TestAddressCache(t *testing.T) {
	c, clk := newTestCache(CacheConfig{TTL: time.Minute, MaxEntries: 100})
	f := newFakeBAG()
	a := cachedLookup(t, c, f, "addresses")
	ctx := context.Background()
	ids := []string{"0363200000000001", "0363200000000002", unknownID}

	got, err := a.ask(ctx, ids, nil)
	if err != nil || len(got) != 2 || got[ids[0]].(*bag.Address).ID != ids[0] {
		t.Fatalf("first look-up: %v, %v", got, err)
	}
	got, err = a.ask(ctx, ids, nil)
	if err != nil || len(got) != 2 {
		t.Fatalf("second look-up: %v, %v", got, err)
	}
	if n := f.count(ids[0], false); n != 1 {
		t.Errorf("%s fetched %d times within the TTL, want once", ids[0], n)
	}
	if n := f.count(unknownID, false); n != 2 {
		t.Errorf("an unknown id was fetched %d times, want each time (not found is not kept)", n)
	}

	// An expanded address is a different answer, and serves a plain
	// look-up too.
	x, err := a.ask(ctx, []string{"0363200000000003"}, expanded)
	if err != nil || x["0363200000000003"].(*bag.Address).Object == nil {
		t.Fatalf("expanded: %v, %v", x, err)
	}
	if _, err := a.ask(ctx, []string{"0363200000000003"}, nil); err != nil {
		t.Fatal(err)
	}
	if n := f.count("0363200000000003", false); n != 0 {
		t.Errorf("a plain look-up of an expanded address went to the BAG %d times", n)
	}
	a.ask(ctx, []string{ids[0]}, expanded)
	if n := f.count(ids[0], true); n != 1 {
		t.Errorf("a plain address served an expanded look-up")
	}

	clk.advance(time.Minute + time.Second)
	if _, err := a.ask(ctx, ids[:1], nil); err != nil {
		t.Fatal(err)
	}
	if n := f.count(ids[0], false); n != 2 {
		t.Errorf("%s fetched %d times after the TTL, want twice", ids[0], n)
	}

	pc := cachedLookup(t, c, f, "addresses_by_postcode")
	key := bag.PostcodeKey("1234AB", 1, "", "")
	for range 3 {
		if got, err := pc.ask(ctx, []string{key}, nil); err != nil || len(got[key].([]bag.Address)) != 1 {
			t.Fatalf("by postcode: %v, %v", got, err)
		}
	}
	if f.byPC != 1 {
		t.Errorf("the postcode search ran %d times, want once", f.byPC)
	}

	stats := map[string]CacheStats{}
	for _, s := range c.Stats() {
		stats[s.Name] = s
	}
	if s := stats["bag_addresses_by_postcode"]; s.Hits != 2 || s.Misses != 1 || s.HitRate() < 0.66 {
		t.Errorf("postcode stats = %+v, want 2 hits and 1 miss", s)
	}
	if s := stats["bag_addresses"]; s.Hits == 0 || s.Misses == 0 {
		t.Errorf("address stats = %+v", s)
	}
	if body := scrape(t, c.metrics); !strings.Contains(body, `poort_cache_lookups_total{cache="bag_addresses_by_postcode",result="hit"} 2`) {
		t.Errorf("hits are not exported: %s", body)
	}
}

func TestCacheDoesNotKeepErrors(t *testing.T) {
	c, _ := newTestCache(CacheConfig{TTL: time.Minute, MaxEntries: 100})
	f := newFakeBAG()
	f.err = &connectors.Error{Registry: bag.Registry, Kind: connectors.ErrUnavailable}
	a := cachedLookup(t, c, f, "addresses")
	id := "0363200000000001"
	if _, err := a.ask(context.Background(), []string{id}, nil); !errors.Is(err, connectors.ErrUnavailable) {
		t.Fatalf("error = %v, want the BAG's", err)
	}
	f.mu.Lock()
	f.err = nil
	f.mu.Unlock()
	got, err := a.ask(context.Background(), []string{id}, nil)
	if err != nil || got[id] == nil {
		t.Fatalf("after recovery: %v, %v", got, err)
	}
}

func TestCacheSingleFlight(t *testing.T) {
	c, _ := newTestCache(CacheConfig{TTL: time.Minute, MaxEntries: 100})
	f := newFakeBAG()
	f.gate = make(chan struct{})
	a := cachedLookup(t, c, f, "addresses")
	id := "0363200000000001"
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Go(func() {
			got, err := a.ask(context.Background(), []string{id}, nil)
			if err == nil && got[id] == nil {
				err = errors.New("no address")
			}
			errs <- err
		})
	}
	// Let every caller reach the flight before the registry answers.
	deadline := time.Now().Add(5 * time.Second)
	for f.started.Load() < 1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(f.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := f.count(id, false); n != 1 {
		t.Fatalf("10 concurrent look-ups made %d calls, want 1", n)
	}
}

// A caller that leaves does not fail the others waiting on the same
// fetch, and gets a timeout of the registry itself.
func TestCacheCallerLeaves(t *testing.T) {
	c, _ := newTestCache(CacheConfig{TTL: time.Minute, MaxEntries: 100})
	f := newFakeBAG()
	f.gate = make(chan struct{})
	a := cachedLookup(t, c, f, "addresses")
	id := "0363200000000001"
	first, cancel := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() {
		_, err := a.ask(first, []string{id}, nil)
		firstErr <- err
	}()
	for f.started.Load() < 1 {
		time.Sleep(time.Millisecond)
	}
	second := make(chan error, 1)
	go func() {
		got, err := a.ask(context.Background(), []string{id}, nil)
		if err == nil && got[id] == nil {
			err = errors.New("no address")
		}
		second <- err
	}()
	time.Sleep(10 * time.Millisecond)
	cancel()
	err := <-firstErr
	var ce *connectors.Error
	if !errors.As(err, &ce) || ce.Registry != bag.Registry || !errors.Is(err, connectors.ErrTimeout) {
		t.Fatalf("the caller that left got %v, want a BAG timeout", err)
	}
	close(f.gate)
	if err := <-second; err != nil {
		t.Fatalf("the caller that stayed got %v", err)
	}
}

func TestCacheBound(t *testing.T) {
	c, _ := newTestCache(CacheConfig{TTL: time.Minute, MaxEntries: 3})
	f := newFakeBAG()
	a := cachedLookup(t, c, f, "addresses")
	ctx := context.Background()
	for i := range 5 {
		a.ask(ctx, []string{fmt.Sprintf("036320000000001%d", i)}, nil)
	}
	if n := c.Stats()[0].Entries; n != 3 {
		t.Fatalf("%d entries, want the bound of 3", n)
	}
	// The oldest were evicted, the newest are kept.
	a.ask(ctx, []string{"0363200000000014", "0363200000000010"}, nil)
	if f.count("0363200000000014", false) != 1 || f.count("0363200000000010", false) != 2 {
		t.Errorf("eviction is not least recently used first")
	}
}

func TestCacheOff(t *testing.T) {
	c, _ := newTestCache(CacheConfig{})
	ctx := context.Background()
	f := newFakeBAG()
	a := cachedLookup(t, c, f, "addresses")
	a.ask(ctx, []string{"0363200000000001"}, nil)
	a.ask(ctx, []string{"0363200000000001"}, nil)
	if n := f.count("0363200000000001", false); n != 2 {
		t.Errorf("with a TTL of zero the BAG was asked %d times, want every time", n)
	}
	// Wrapping every look-up of every registry keeps nothing either.
	rs := c.Registries(registrytest.Registries(&registrytest.BRP{}, &registrytest.NHR{}, f, &registrytest.RDW{}, &registrytest.UWV{}))
	if len(rs) != 5 {
		t.Fatalf("%d registries, want the 5 given", len(rs))
	}
	if len(c.Stats()) != 0 {
		t.Errorf("stats = %+v, want none", c.Stats())
	}
}

// fakeRDW answers every plate but ZZ999Z, recording each call's plates.
type fakeRDW struct {
	registrytest.RDW
	mu       sync.Mutex
	vehicles [][]string
	fuels    int
	holdings int
}

func newFakeRDW() *fakeRDW {
	f := &fakeRDW{}
	f.VehiclesByPlateFunc = func(_ context.Context, plates []string, opts ...rdw.VehicleOption) (map[string]*rdw.Vehicle, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.vehicles = append(f.vehicles, slices.Clone(plates))
		if len(opts) > 0 {
			f.fuels++
		}
		out := map[string]*rdw.Vehicle{}
		for _, p := range plates {
			if p != "ZZ999Z" {
				out[p] = &rdw.Vehicle{Plate: p, Fuels: make([]string, len(opts))}
			}
		}
		return out, nil
	}
	f.HoldingsByBSNFunc = func(_ context.Context, bsns []string) (map[string][]rdw.Holding, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.holdings++
		return map[string][]rdw.Holding{bsns[0]: {{Plate: "AB12CD"}}}, nil
	}
	return f
}

// withFuels is an operation that asks for a vehicle's fuels.
var withFuels = asked{"brandstof": {"brandstof_omschrijving"}}

func TestVehicleCache(t *testing.T) {
	c, _ := newTestCache(CacheConfig{TTL: time.Minute, MaxEntries: 100})
	f := newFakeRDW()
	v := cachedLookup(t, c, f, "vehicles")
	ctx := context.Background()

	got, err := v.ask(ctx, []string{"AB12CD", "XY34ZZ"}, nil)
	if err != nil || got["AB12CD"] == nil || got["XY34ZZ"] == nil {
		t.Fatalf("vehicles = %v, %v", got, err)
	}
	got, err = v.ask(ctx, []string{"AB12CD", "EF56GH", "ZZ999Z"}, nil)
	if err != nil || len(got) != 2 {
		t.Fatalf("vehicles = %v, %v", got, err)
	}
	if len(f.vehicles) != 2 || !slices.Equal(f.vehicles[1], []string{"EF56GH", "ZZ999Z"}) {
		t.Fatalf("calls = %v, want the second to ask only the misses, in one call", f.vehicles)
	}
	// With fuels is another answer: asked once, kept apart, and it serves
	// a look-up without fuels too.
	v.ask(ctx, []string{"GH78IJ"}, withFuels)
	v.ask(ctx, []string{"GH78IJ"}, withFuels)
	if f.fuels != 1 {
		t.Errorf("fuels asked %d times, want once", f.fuels)
	}
	calls := len(f.vehicles)
	if got, _ := v.ask(ctx, []string{"GH78IJ"}, nil); got["GH78IJ"] == nil || len(f.vehicles) != calls {
		t.Errorf("a vehicle with fuels did not serve a look-up without: %v", got)
	}
	if got, _ := v.ask(ctx, []string{"AB12CD"}, withFuels); len(got["AB12CD"].(*rdw.Vehicle).Fuels) == 0 {
		t.Errorf("a vehicle without fuels served a look-up that asks them")
	}

	// Holdings are personal: not kept without a personal TTL.
	h := cachedLookup(t, c, f, "holdings_bsn")
	h.ask(ctx, []string{"999993653"}, nil)
	h.ask(ctx, []string{"999993653"}, nil)
	if f.holdings != 2 {
		t.Errorf("holdings asked %d times, want every time: personal data is not kept by default", f.holdings)
	}
}

func TestPersonalCacheWhenConfigured(t *testing.T) {
	c, clk := newTestCache(CacheConfig{PersonalTTL: 10 * time.Second, MaxEntries: 100})
	ctx := context.Background()

	f := newFakeRDW()
	h := cachedLookup(t, c, f, "holdings_bsn")
	for range 3 {
		got, err := h.ask(ctx, []string{"999993653"}, nil)
		if err != nil || len(got["999993653"].([]rdw.Holding)) != 1 {
			t.Fatalf("holdings = %v, %v", got, err)
		}
	}
	if f.holdings != 1 {
		t.Errorf("holdings asked %d times with a personal TTL, want once", f.holdings)
	}
	// Open data is not kept when only the personal TTL is set.
	v := cachedLookup(t, c, f, "vehicles")
	v.ask(ctx, []string{"AB12CD"}, nil)
	v.ask(ctx, []string{"AB12CD"}, nil)
	if len(f.vehicles) != 2 {
		t.Errorf("vehicles asked %d times with no TTL for open data, want 2", len(f.vehicles))
	}

	var brpCalls int
	b := &registrytest.BRP{PersonsByBSNFunc: func(_ context.Context, bsns, _ []string) (map[string]*brp.Person, error) {
		brpCalls++
		out := map[string]*brp.Person{}
		for _, b := range bsns {
			out[b] = &brp.Person{BSN: b}
		}
		return out, nil
	}}
	p := cachedLookup(t, c, b, "persons")
	p.ask(ctx, []string{"999993653", "999990019"}, asked{"": {"naam", "geboorte"}})
	p.ask(ctx, []string{"999993653"}, asked{"": {"geboorte", "naam"}})
	p.ask(ctx, []string{"999993653"}, asked{"": {"naam"}})
	if brpCalls != 2 {
		t.Errorf("BRP asked %d times, want 2: the same fields in another order hit, other fields miss", brpCalls)
	}
	// The travel documents are never kept.
	var docs int
	b.TravelDocumentsFunc = func(context.Context, string, []string) ([]brp.TravelDocument, error) { docs++; return nil, nil }
	d := cachedLookup(t, c, b, "travel_documents")
	d.ask(ctx, []string{"999993653"}, nil)
	d.ask(ctx, []string{"999993653"}, nil)
	if docs != 2 {
		t.Errorf("travel documents asked %d times, want every time", docs)
	}

	var company, functionaries int
	n := &registrytest.NHR{
		CompanyFunc: func(_ context.Context, kvk string) (*nhr.Company, error) {
			company++
			return &nhr.Company{KvKNumber: kvk}, nil
		},
		FunctionariesFunc: func(context.Context, string) ([]nhr.Functionary, error) {
			functionaries++
			return []nhr.Functionary{{Role: "Eigenaar"}}, nil
		},
	}
	co, fu := cachedLookup(t, c, n, "companies"), cachedLookup(t, c, n, "functionaries")
	for range 2 {
		co.ask(ctx, []string{"69599084"}, nil)
		fu.ask(ctx, []string{"69599084"}, nil)
	}
	if company != 1 || functionaries != 1 {
		t.Errorf("NHR calls: company %d, functionaries %d; want 1 and 1", company, functionaries)
	}

	var uwvCalls int
	u := &registrytest.UWV{EmploymentsFunc: func(context.Context, []string) (map[string][]uwv.Employment, error) {
		uwvCalls++
		return nil, nil
	}}
	e := cachedLookup(t, c, u, "employments")
	e.ask(ctx, []string{"999993653"}, nil)
	e.ask(ctx, []string{"999993653"}, nil)
	clk.advance(11 * time.Second)
	e.ask(ctx, []string{"999993653"}, nil)
	if uwvCalls != 2 {
		t.Errorf("UWV asked %d times, want 2: once, then again after the personal TTL", uwvCalls)
	}
}
