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
	"github.com/poort-nl/poort/connectors/uwv"
)

// fakeBAG answers every id but unknownID, counting calls per id.
type fakeBAG struct {
	mu      sync.Mutex
	calls   map[string]int
	gate    chan struct{} // when not nil, calls wait for it
	err     error
	byPC    int
	started atomic.Int32
}

const unknownID = "0363200000000000"

func (f *fakeBAG) Addresses(ctx context.Context, ids []string, expand bool) (map[string]*bag.Address, error) {
	f.started.Add(1)
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return nil, &connectors.Error{Registry: connectors.BAG, Kind: connectors.ErrTimeout}
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

func (f *fakeBAG) AddressesByPostcode(_ context.Context, postcode string, number int, _, _ string) ([]bag.Address, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byPC++
	return []bag.Address{{ID: fmt.Sprintf("%s-%d", postcode, number)}}, nil
}

func (f *fakeBAG) count(id string, expand bool) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[fmt.Sprint(id, expand)]
}

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
	f := &fakeBAG{calls: map[string]int{}}
	a := c.Addresses(f)
	ctx := context.Background()
	ids := []string{"0363200000000001", "0363200000000002", unknownID}

	got, err := a.Addresses(ctx, ids, false)
	if err != nil || len(got) != 2 || got[ids[0]].ID != ids[0] {
		t.Fatalf("first look-up: %v, %v", got, err)
	}
	got, err = a.Addresses(ctx, ids, false)
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
	x, err := a.Addresses(ctx, []string{"0363200000000003"}, true)
	if err != nil || x["0363200000000003"].Object == nil {
		t.Fatalf("expanded: %v, %v", x, err)
	}
	if _, err := a.Addresses(ctx, []string{"0363200000000003"}, false); err != nil {
		t.Fatal(err)
	}
	if n := f.count("0363200000000003", false); n != 0 {
		t.Errorf("a plain look-up of an expanded address went to the BAG %d times", n)
	}
	a.Addresses(ctx, []string{ids[0]}, true)
	if n := f.count(ids[0], true); n != 1 {
		t.Errorf("a plain address served an expanded look-up")
	}

	clk.advance(time.Minute + time.Second)
	if _, err := a.Addresses(ctx, ids[:1], false); err != nil {
		t.Fatal(err)
	}
	if n := f.count(ids[0], false); n != 2 {
		t.Errorf("%s fetched %d times after the TTL, want twice", ids[0], n)
	}

	pc := []string{"1234AB"}
	for range 3 {
		if got, err := a.AddressesByPostcode(ctx, pc[0], 1, "", ""); err != nil || len(got) != 1 {
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
	f := &fakeBAG{calls: map[string]int{}, err: &connectors.Error{Registry: connectors.BAG, Kind: connectors.ErrUnavailable}}
	a := c.Addresses(f)
	id := "0363200000000001"
	if _, err := a.Addresses(context.Background(), []string{id}, false); !errors.Is(err, connectors.ErrUnavailable) {
		t.Fatalf("error = %v, want the BAG's", err)
	}
	f.mu.Lock()
	f.err = nil
	f.mu.Unlock()
	got, err := a.Addresses(context.Background(), []string{id}, false)
	if err != nil || got[id] == nil {
		t.Fatalf("after recovery: %v, %v", got, err)
	}
}

func TestCacheSingleFlight(t *testing.T) {
	c, _ := newTestCache(CacheConfig{TTL: time.Minute, MaxEntries: 100})
	f := &fakeBAG{calls: map[string]int{}, gate: make(chan struct{})}
	a := c.Addresses(f)
	id := "0363200000000001"
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Go(func() {
			got, err := a.Addresses(context.Background(), []string{id}, false)
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
	f := &fakeBAG{calls: map[string]int{}, gate: make(chan struct{})}
	a := c.Addresses(f)
	id := "0363200000000001"
	first, cancel := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() {
		_, err := a.Addresses(first, []string{id}, false)
		firstErr <- err
	}()
	for f.started.Load() < 1 {
		time.Sleep(time.Millisecond)
	}
	second := make(chan error, 1)
	go func() {
		got, err := a.Addresses(context.Background(), []string{id}, false)
		if err == nil && got[id] == nil {
			err = errors.New("no address")
		}
		second <- err
	}()
	time.Sleep(10 * time.Millisecond)
	cancel()
	err := <-firstErr
	var ce *connectors.Error
	if !errors.As(err, &ce) || ce.Registry != connectors.BAG || !errors.Is(err, connectors.ErrTimeout) {
		t.Fatalf("the caller that left got %v, want a BAG timeout", err)
	}
	close(f.gate)
	if err := <-second; err != nil {
		t.Fatalf("the caller that stayed got %v", err)
	}
}

func TestCacheBound(t *testing.T) {
	c, _ := newTestCache(CacheConfig{TTL: time.Minute, MaxEntries: 3})
	f := &fakeBAG{calls: map[string]int{}}
	a := c.Addresses(f)
	ctx := context.Background()
	for i := range 5 {
		a.Addresses(ctx, []string{fmt.Sprintf("036320000000001%d", i)}, false)
	}
	if n := c.Stats()[0].Entries; n != 3 {
		t.Fatalf("%d entries, want the bound of 3", n)
	}
	// The oldest were evicted, the newest are kept.
	a.Addresses(ctx, []string{"0363200000000014", "0363200000000010"}, false)
	if f.count("0363200000000014", false) != 1 || f.count("0363200000000010", false) != 2 {
		t.Errorf("eviction is not least recently used first")
	}
}

func TestCacheOff(t *testing.T) {
	c, _ := newTestCache(CacheConfig{})
	f := &fakeBAG{calls: map[string]int{}}
	if a := c.Addresses(f); a != AddressRegistry(f) {
		t.Error("with a TTL of zero the BAG is wrapped")
	}
	v := &fakeRDW{}
	if w := c.Vehicles(v); w != VehicleRegistry(v) {
		t.Error("with both TTLs zero the RDW is wrapped")
	}
	p, n, u := &fakeBRP{}, &fakeNHR{}, &fakeUWV{}
	if c.Persons(p) != PersonRegistry(p) || c.Companies(n) != CompanyRegistry(n) || c.Employments(u) != EmploymentRegistry(u) {
		t.Error("personal data is wrapped without a personal TTL")
	}
	if len(c.Stats()) != 0 {
		t.Errorf("stats = %+v, want none", c.Stats())
	}
}

type fakeRDW struct {
	mu       sync.Mutex
	vehicles [][]string
	fuels    int
	holdings int
}

func (f *fakeRDW) VehiclesByPlate(_ context.Context, plates []string, opts ...rdw.VehicleOption) (map[string]*rdw.Vehicle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.vehicles = append(f.vehicles, slices.Clone(plates))
	if len(opts) > 0 {
		f.fuels++
	}
	out := map[string]*rdw.Vehicle{}
	for _, p := range plates {
		if p != "ZZ999Z" {
			out[p] = &rdw.Vehicle{Plate: p}
		}
	}
	return out, nil
}

func (f *fakeRDW) HoldingsByBSN(_ context.Context, bsns []string) (map[string][]rdw.Holding, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.holdings++
	return map[string][]rdw.Holding{bsns[0]: {{Plate: "AB12CD"}}}, nil
}

func (f *fakeRDW) HoldingsByKvK(context.Context, []string) (map[string][]rdw.Holding, error) {
	return nil, nil
}

func (f *fakeRDW) DrivingLicences(context.Context, []string) (map[string][]rdw.DrivingLicence, error) {
	return nil, nil
}

func TestVehicleCache(t *testing.T) {
	c, _ := newTestCache(CacheConfig{TTL: time.Minute, MaxEntries: 100})
	f := &fakeRDW{}
	v := c.Vehicles(f)
	ctx := context.Background()

	got, err := v.VehiclesByPlate(ctx, []string{"ab-12-cd", "XY34ZZ"})
	if err != nil || got["AB12CD"] == nil || got["XY34ZZ"] == nil {
		t.Fatalf("vehicles = %v, %v; want them keyed by normalised plate", got, err)
	}
	got, err = v.VehiclesByPlate(ctx, []string{"AB12CD", "EF56GH", "ZZ999Z"})
	if err != nil || len(got) != 2 {
		t.Fatalf("vehicles = %v, %v", got, err)
	}
	if len(f.vehicles) != 2 || !slices.Equal(f.vehicles[1], []string{"EF56GH", "ZZ999Z"}) {
		t.Fatalf("calls = %v, want the second to ask only the misses, in one call", f.vehicles)
	}
	// With fuels is another question, which the cache cannot tell from
	// others with options: it passes through.
	v.VehiclesByPlate(ctx, []string{"AB12CD"}, rdw.WithFuels())
	v.VehiclesByPlate(ctx, []string{"AB12CD"}, rdw.WithFuels())
	if f.fuels != 2 {
		t.Errorf("fuels asked %d times, want each time", f.fuels)
	}

	// Holdings are personal: not kept without a personal TTL.
	v.HoldingsByBSN(ctx, []string{"999993653"})
	v.HoldingsByBSN(ctx, []string{"999993653"})
	if f.holdings != 2 {
		t.Errorf("holdings asked %d times, want every time: personal data is not kept by default", f.holdings)
	}
}

func TestPersonalCacheWhenConfigured(t *testing.T) {
	c, clk := newTestCache(CacheConfig{PersonalTTL: 10 * time.Second, MaxEntries: 100})
	ctx := context.Background()

	f := &fakeRDW{}
	v := c.Vehicles(f)
	for range 3 {
		got, err := v.HoldingsByBSN(ctx, []string{"999993653"})
		if err != nil || len(got["999993653"]) != 1 {
			t.Fatalf("holdings = %v, %v", got, err)
		}
	}
	if f.holdings != 1 {
		t.Errorf("holdings asked %d times with a personal TTL, want once", f.holdings)
	}
	// Open data is not kept when only the personal TTL is set.
	v.VehiclesByPlate(ctx, []string{"AB12CD"})
	v.VehiclesByPlate(ctx, []string{"AB12CD"})
	if len(f.vehicles) != 2 {
		t.Errorf("vehicles asked %d times with no TTL for open data, want 2", len(f.vehicles))
	}

	b := &fakeBRP{}
	p := c.Persons(b)
	p.PersonsByBSN(ctx, []string{"999993653", "999990019"}, []string{"naam", "geboorte"})
	p.PersonsByBSN(ctx, []string{"999993653"}, []string{"geboorte", "naam"})
	p.PersonsByBSN(ctx, []string{"999993653"}, []string{"naam"})
	if b.calls != 2 {
		t.Errorf("BRP asked %d times, want 2: the same fields in another order hit, other fields miss", b.calls)
	}

	n := &fakeNHR{}
	co := c.Companies(n)
	co.Company(ctx, "69599084")
	co.Company(ctx, "69599084")
	co.Functionaries(ctx, "69599084")
	co.Functionaries(ctx, "69599084")
	co.Search(ctx, nhr.SearchQuery{Name: "x"})
	co.Search(ctx, nhr.SearchQuery{Name: "x"})
	if n.company != 1 || n.functionaries != 1 || n.search != 2 {
		t.Errorf("NHR calls: company %d, functionaries %d, search %d; want 1, 1, 2", n.company, n.functionaries, n.search)
	}

	u := &fakeUWV{}
	e := c.Employments(u)
	e.Employments(ctx, []string{"999993653"})
	e.Employments(ctx, []string{"999993653"})
	clk.advance(11 * time.Second)
	e.Employments(ctx, []string{"999993653"})
	if u.calls != 2 {
		t.Errorf("UWV asked %d times, want 2: once, then again after the personal TTL", u.calls)
	}
}

type fakeBRP struct{ calls int }

func (f *fakeBRP) PersonsByBSN(_ context.Context, bsns, _ []string) (map[string]*brp.Person, error) {
	f.calls++
	out := map[string]*brp.Person{}
	for _, b := range bsns {
		out[b] = &brp.Person{BSN: b}
	}
	return out, nil
}

func (f *fakeBRP) SearchByNameAndBirthDate(context.Context, string, string, ...brp.SearchOption) ([]*brp.Person, error) {
	return nil, nil
}

func (f *fakeBRP) SearchByObject(context.Context, string, ...brp.SearchOption) ([]*brp.Person, error) {
	return nil, nil
}

func (f *fakeBRP) TravelDocuments(context.Context, string, []string) ([]brp.TravelDocument, error) {
	return nil, nil
}

type fakeNHR struct{ company, functionaries, search int }

func (f *fakeNHR) Company(_ context.Context, kvk string) (*nhr.Company, error) {
	f.company++
	return &nhr.Company{KvKNumber: kvk}, nil
}

func (f *fakeNHR) Branches(context.Context, string) ([]nhr.BranchSummary, error) { return nil, nil }
func (f *fakeNHR) Branch(context.Context, string) (*nhr.Branch, error)           { return nil, nil }
func (f *fakeNHR) Search(context.Context, nhr.SearchQuery) (*nhr.SearchPage, error) {
	f.search++
	return &nhr.SearchPage{}, nil
}

func (f *fakeNHR) Functionaries(context.Context, string) ([]nhr.Functionary, error) {
	f.functionaries++
	return []nhr.Functionary{{Role: "Eigenaar"}}, nil
}

func (f *fakeNHR) RolesOfPerson(context.Context, string) ([]nhr.Role, error) { return nil, nil }

type fakeUWV struct{ calls int }

func (f *fakeUWV) Employments(context.Context, []string) (map[string][]uwv.Employment, error) {
	f.calls++
	return nil, nil
}

func (f *fakeUWV) Benefits(context.Context, []string) (map[string][]uwv.Benefit, error) {
	return nil, nil
}
