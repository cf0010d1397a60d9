package resilience

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/connectors/registry"
	"github.com/poort-nl/poort/connectors/uwv"
	"github.com/poort-nl/poort/internal/ident"
)

// The registries the cache wraps are declared once, in
// connectors/registry, where the graph takes them too (graph.PersonRegistry
// and the others are the same types), so the graph's connectors go in and
// the wrappers come out where the graph takes them.
type (
	// AddressRegistry is what the hub asks of the BAG.
	AddressRegistry = registry.Addresses
	// VehicleRegistry is what the hub asks of the RDW.
	VehicleRegistry = registry.Vehicles
	// PersonRegistry is what the hub asks of the BRP.
	PersonRegistry = registry.Persons
	// CompanyRegistry is what the hub asks of the Handelsregister.
	CompanyRegistry = registry.Companies
	// EmploymentRegistry is what the hub asks of UWV.
	EmploymentRegistry = registry.Employments
)

// Cache keeps registry answers for a short time, with single-flight, for
// the wrappers it makes. Open data (BAG, RDW vehicle technical data) is
// kept for CacheConfig.TTL; personal data only when the operator sets
// CacheConfig.PersonalTTL. Values handed out are shared between requests:
// callers must not modify them. It is safe for concurrent use.
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

// Stats returns the hit and miss counts of every cached operation of the
// wrappers made so far, in the order they were made.
func (c *Cache) Stats() []CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]CacheStats, 0, len(c.stats))
	for _, s := range c.stats {
		out = append(out, s())
	}
	return out
}

// Addresses wraps the BAG: addresses by identification and by postcode
// are kept for the TTL. It returns next itself when the TTL is zero.
func (c *Cache) Addresses(next AddressRegistry) AddressRegistry {
	if c.cfg.TTL <= 0 {
		return next
	}
	return &addressCache{
		next:       next,
		byID:       newTable[*bag.Address](c, "bag_addresses", connectors.BAG, c.cfg.TTL),
		byPostcode: newTable[[]bag.Address](c, "bag_addresses_by_postcode", connectors.BAG, c.cfg.TTL),
	}
}

type addressCache struct {
	next       AddressRegistry
	byID       *table[*bag.Address]
	byPostcode *table[[]bag.Address]
}

// Addresses keeps plain and expanded addresses apart; an expanded one
// serves a plain look-up too, as it holds everything the plain one does.
func (a *addressCache) Addresses(ctx context.Context, ids []string, expand bool) (map[string]*bag.Address, error) {
	prefix, also := "plain|", []string{"expanded|"}
	if expand {
		prefix, also = "expanded|", nil
	}
	return each(ctx, a.byID, prefix, ids, also, func(ctx context.Context, id string) (*bag.Address, bool, error) {
		m, err := a.next.Addresses(ctx, []string{id}, expand)
		if err != nil {
			return nil, false, err
		}
		v, ok := m[id]
		return v, ok, nil
	})
}

func (a *addressCache) AddressesByPostcode(ctx context.Context, postcode string, number int, letter, addition string) ([]bag.Address, error) {
	key := fmt.Sprintf("%s|%d|%s|%s", postcode, number, letter, addition)
	found, err := one(ctx, a.byPostcode, key, func(ctx context.Context) ([]bag.Address, error) {
		return a.next.AddressesByPostcode(ctx, postcode, number, letter, addition)
	})
	// A copy, so a caller that takes the address of an element holds its
	// own.
	return slices.Clone(found), err
}

// Vehicles wraps the RDW: vehicle technical data (open data) is kept for
// the TTL; holdings and driving licences only for the personal TTL. It
// returns next itself when both are zero.
func (c *Cache) Vehicles(next VehicleRegistry) VehicleRegistry {
	if c.cfg.TTL <= 0 && c.cfg.PersonalTTL <= 0 {
		return next
	}
	return &vehicleCache{
		next:        next,
		vehicles:    newTable[*rdw.Vehicle](c, "rdw_vehicles", connectors.RDW, c.cfg.TTL),
		holdingsBSN: newTable[[]rdw.Holding](c, "rdw_holdings_bsn", connectors.RDW, c.cfg.PersonalTTL),
		holdingsKvK: newTable[[]rdw.Holding](c, "rdw_holdings_kvk", connectors.RDW, c.cfg.PersonalTTL),
		licences:    newTable[[]rdw.DrivingLicence](c, "rdw_driving_licences", connectors.RDW, c.cfg.PersonalTTL),
	}
}

type vehicleCache struct {
	next        VehicleRegistry
	vehicles    *table[*rdw.Vehicle]
	holdingsBSN *table[[]rdw.Holding]
	holdingsKvK *table[[]rdw.Holding]
	licences    *table[[]rdw.DrivingLicence]
}

// VehiclesByPlate keeps the vehicles of look-ups without options. A
// vehicle option (rdw.WithFuels) is a function the cache cannot look into,
// so a look-up with options passes through uncached rather than serve an
// answer to another question.
func (v *vehicleCache) VehiclesByPlate(ctx context.Context, plates []string, opts ...rdw.VehicleOption) (map[string]*rdw.Vehicle, error) {
	if len(opts) > 0 {
		return v.next.VehiclesByPlate(ctx, plates, opts...)
	}
	// The connector answers by normalised plate; look up by the same key.
	keys := make([]string, 0, len(plates))
	for _, p := range plates {
		n, err := ident.ParseLicencePlate(p)
		if err != nil {
			return v.next.VehiclesByPlate(ctx, plates, opts...)
		}
		keys = append(keys, n)
	}
	return batch(ctx, v.vehicles, "", keys, false, func(ctx context.Context, keys []string) (map[string]*rdw.Vehicle, error) {
		return v.next.VehiclesByPlate(ctx, keys)
	})
}

func (v *vehicleCache) HoldingsByBSN(ctx context.Context, bsns []string) (map[string][]rdw.Holding, error) {
	return batch(ctx, v.holdingsBSN, "", bsns, true, v.next.HoldingsByBSN)
}

func (v *vehicleCache) HoldingsByKvK(ctx context.Context, kvks []string) (map[string][]rdw.Holding, error) {
	return batch(ctx, v.holdingsKvK, "", kvks, true, v.next.HoldingsByKvK)
}

func (v *vehicleCache) DrivingLicences(ctx context.Context, bsns []string) (map[string][]rdw.DrivingLicence, error) {
	return batch(ctx, v.licences, "", bsns, true, v.next.DrivingLicences)
}

// Persons wraps the BRP: persons by BSN are kept for the personal TTL,
// per field list; searches and travel documents are not kept. It returns
// next itself when the personal TTL is zero.
func (c *Cache) Persons(next PersonRegistry) PersonRegistry {
	if c.cfg.PersonalTTL <= 0 {
		return next
	}
	return &personCache{PersonRegistry: next, persons: newTable[*brp.Person](c, "brp_persons", connectors.BRP, c.cfg.PersonalTTL)}
}

type personCache struct {
	PersonRegistry
	persons *table[*brp.Person]
}

func (p *personCache) PersonsByBSN(ctx context.Context, bsns, fields []string) (map[string]*brp.Person, error) {
	sorted := slices.Clone(fields)
	slices.Sort(sorted)
	prefix := strings.Join(sorted, ",") + "|"
	return batch(ctx, p.persons, prefix, bsns, false, func(ctx context.Context, bsns []string) (map[string]*brp.Person, error) {
		return p.PersonRegistry.PersonsByBSN(ctx, bsns, fields)
	})
}

// Companies wraps the Handelsregister: profiles, branch lists,
// functionaries and roles are kept for the personal TTL (an eenmanszaak's
// profile names its owner); searches are not kept. It returns next itself
// when the personal TTL is zero.
func (c *Cache) Companies(next CompanyRegistry) CompanyRegistry {
	ttl := c.cfg.PersonalTTL
	if ttl <= 0 {
		return next
	}
	return &companyCache{
		CompanyRegistry: next,
		companies:       newTable[*nhr.Company](c, "nhr_companies", connectors.NHR, ttl),
		branchLists:     newTable[[]nhr.BranchSummary](c, "nhr_branch_lists", connectors.NHR, ttl),
		branches:        newTable[*nhr.Branch](c, "nhr_branches", connectors.NHR, ttl),
		functionaries:   newTable[[]nhr.Functionary](c, "nhr_functionaries", connectors.NHR, ttl),
		roles:           newTable[[]nhr.Role](c, "nhr_roles", connectors.NHR, ttl),
	}
}

type companyCache struct {
	CompanyRegistry
	companies     *table[*nhr.Company]
	branchLists   *table[[]nhr.BranchSummary]
	branches      *table[*nhr.Branch]
	functionaries *table[[]nhr.Functionary]
	roles         *table[[]nhr.Role]
}

func (c *companyCache) Company(ctx context.Context, kvk string) (*nhr.Company, error) {
	return one(ctx, c.companies, kvk, func(ctx context.Context) (*nhr.Company, error) { return c.CompanyRegistry.Company(ctx, kvk) })
}

func (c *companyCache) Branches(ctx context.Context, kvk string) ([]nhr.BranchSummary, error) {
	return one(ctx, c.branchLists, kvk, func(ctx context.Context) ([]nhr.BranchSummary, error) {
		return c.CompanyRegistry.Branches(ctx, kvk)
	})
}

func (c *companyCache) Branch(ctx context.Context, number string) (*nhr.Branch, error) {
	return one(ctx, c.branches, number, func(ctx context.Context) (*nhr.Branch, error) { return c.CompanyRegistry.Branch(ctx, number) })
}

func (c *companyCache) Functionaries(ctx context.Context, kvk string) ([]nhr.Functionary, error) {
	return one(ctx, c.functionaries, kvk, func(ctx context.Context) ([]nhr.Functionary, error) {
		return c.CompanyRegistry.Functionaries(ctx, kvk)
	})
}

func (c *companyCache) RolesOfPerson(ctx context.Context, bsn string) ([]nhr.Role, error) {
	return one(ctx, c.roles, bsn, func(ctx context.Context) ([]nhr.Role, error) { return c.CompanyRegistry.RolesOfPerson(ctx, bsn) })
}

// Employments wraps UWV: employments and benefits are kept for the
// personal TTL. It returns next itself when the personal TTL is zero.
func (c *Cache) Employments(next EmploymentRegistry) EmploymentRegistry {
	if c.cfg.PersonalTTL <= 0 {
		return next
	}
	return &employmentCache{
		next:        next,
		employments: newTable[[]uwv.Employment](c, "uwv_employments", connectors.UWV, c.cfg.PersonalTTL),
		benefits:    newTable[[]uwv.Benefit](c, "uwv_benefits", connectors.UWV, c.cfg.PersonalTTL),
	}
}

type employmentCache struct {
	next        EmploymentRegistry
	employments *table[[]uwv.Employment]
	benefits    *table[[]uwv.Benefit]
}

func (e *employmentCache) Employments(ctx context.Context, bsns []string) (map[string][]uwv.Employment, error) {
	return batch(ctx, e.employments, "", bsns, true, e.next.Employments)
}

func (e *employmentCache) Benefits(ctx context.Context, bsns []string) (map[string][]uwv.Benefit, error) {
	return batch(ctx, e.benefits, "", bsns, true, e.next.Benefits)
}
