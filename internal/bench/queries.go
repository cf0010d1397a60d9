package bench

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/uwv"
	"github.com/poort-nl/poort/mocks/population"
)

// A query of the mix: its GraphQL text and variables, the subjects it runs
// over, and two resolutions straight through the connectors:
//
//   - critical makes the minimum calls, each as soon as the keys it needs
//     are known, independent calls concurrently: the registries' critical
//     path, with no GraphQL, no loaders and no batch window;
//   - naive resolves the same data one call at a time, one key per call,
//     as resolvers without loaders would.
type query struct {
	name    string
	graphql string
	// criticalHops is the longest chain of calls that depend on each
	// other's answers; hubHops the chain the graph makes today.
	criticalHops, hubHops int
	subjects              func(p *population.Population, n int) []subject
	vars                  func(s subject) map[string]any
	critical              func(ctx context.Context, r registries, s subject) error
	naive                 func(ctx context.Context, r registries, s subject) error
}

// subject is what a query is asked about.
type subject struct {
	key      string // BSN or KvK number
	postcode string
	number   int
}

func queries() []query {
	return []query{wholePerson(), household(), company(), address(), personLookup(), personWithAddress()}
}

// The BRP fields the hub asks for each query, as its planner derives them
// from the selection; the resolutions below ask the same.
var (
	wholePersonFields = []string{"burgerservicenummer", "geboorte.datum", "kinderen.burgerservicenummer", "leeftijd",
		"naam.volledigeNaam", "naam.voornamen", "partners.burgerservicenummer", "verblijfplaats.nummeraanduidingIdentificatie"}
	householdFields = []string{"burgerservicenummer", "kinderen.burgerservicenummer", "leeftijd", "naam.volledigeNaam",
		"partners.burgerservicenummer", "verblijfplaats.nummeraanduidingIdentificatie"}
	functionaryFields = []string{"burgerservicenummer", "naam.volledigeNaam"}
)

// stride picks up to n items spread over the population, so that subjects
// are not all of one kind.
func stride[T any](all []T, n int, keep func(*T) bool) []*T {
	var candidates []*T
	for i := range all {
		if keep(&all[i]) {
			candidates = append(candidates, &all[i])
		}
	}
	if len(candidates) <= n {
		return candidates
	}
	out := make([]*T, 0, n)
	step := float64(len(candidates)) / float64(n)
	for i := range n {
		out = append(out, candidates[int(float64(i)*step)])
	}
	return out
}

func personSubjects(keep func(*population.Person) bool) func(*population.Population, int) []subject {
	return func(p *population.Population, n int) []subject {
		var out []subject
		for _, x := range stride(p.Persons, n, keep) {
			out = append(out, subject{key: x.BSN})
		}
		return out
	}
}

func bsnVars(s subject) map[string]any { return map[string]any{"bsn": s.key} }

// keyed de-duplicates keys across the branches of one resolution: the
// first to claim a key makes the call.
type keyed struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (k *keyed) claim(key string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.seen == nil {
		k.seen = map[string]bool{}
	}
	if k.seen[key] {
		return false
	}
	k.seen[key] = true
	return true
}

func notFound(r connectors.Registry, what string) error {
	return &connectors.Error{Registry: r, Operation: "bench", Kind: connectors.ErrNotFound, Detail: what}
}

// personLookup is the one-call look-up a front office makes most: a
// person's name and age. Minimum calls: BRP 1. Critical path: that call.
func personLookup() query {
	fields := []string{"burgerservicenummer", "leeftijd", "naam.volledigeNaam"}
	return query{
		name:         "person",
		graphql:      `query($bsn: String!) { person(bsn: $bsn) { bsn name { fullName } age } }`,
		criticalHops: 1, hubHops: 1,
		subjects: personSubjects(func(p *population.Person) bool { return p.Alive() }),
		vars:     bsnVars,
		critical: func(ctx context.Context, r registries, s subject) error {
			_, err := r.brp.PersonsByBSN(ctx, []string{s.key}, fields)
			return err
		},
		naive: func(ctx context.Context, r registries, s subject) error {
			_, err := r.brp.PersonsByBSN(ctx, []string{s.key}, fields)
			return err
		},
	}
}

// personWithAddress is a person's name and age with the address they live
// at. Minimum calls: BRP 1, then BAG 1 for the address the BRP names (not
// expanded: no residential object or buildings are asked). Critical path:
// 2 calls.
func personWithAddress() query {
	fields := []string{"burgerservicenummer", "leeftijd", "naam.volledigeNaam", "verblijfplaats.nummeraanduidingIdentificatie"}
	resolve := func(ctx context.Context, r registries, s subject) error {
		ps, err := r.brp.PersonsByBSN(ctx, []string{s.key}, fields)
		if err != nil {
			return err
		}
		p := ps[s.key]
		if p == nil || p.Residence == nil || p.Residence.AddressID == "" {
			return notFound(brp.Registry, "the address of "+s.key)
		}
		_, err = r.bag.Addresses(ctx, []string{p.Residence.AddressID}, false)
		return err
	}
	return query{
		name: "person-address",
		graphql: `query($bsn: String!) { person(bsn: $bsn) { bsn name { fullName } age
  address { id street houseNumber postcode place } } }`,
		criticalHops: 2, hubHops: 2,
		subjects: personSubjects(func(p *population.Person) bool { return p.Alive() && p.AddressID != "" }),
		vars:     bsnVars,
		critical: resolve,
		naive:    resolve,
	}
}

// wholePerson is the whole picture of a person across the five registries.
//
// Minimum calls: BRP 1 for the person and 1 for partner and children
// together (one batch of up to 20); BAG 1 for the address, expanded with
// the residential object and buildings; RDW 1 for holdings, 1 for driving
// licences and 1 for the vehicles' open data when the person holds any;
// UWV 1 for employments and 1 for benefits (Suwinet takes one BSN per
// call); NHR 1 for the roles, 1 search per distinct employer (UWV names an
// employer by RSIN or by name and address, not by KvK number) and 1 per
// distinct company among employers and roles (the KvK API takes one KvK
// number per call). Critical path: 3 calls (UWV, then KvK zoeken for the
// employer, then its profile), as every registry but the BAG can be asked
// with the BSN from the start.
func wholePerson() query {
	return query{
		name: "whole-person",
		graphql: `query($bsn: String!) { person(bsn: $bsn) {
  bsn name { fullName } birth { date { date } }
  address { street houseNumber postcode place residentialObject { surface uses } buildings { yearBuilt } }
  partners { partner { name { fullName } } }
  children { name { givenNames } age }
  vehicles { licencePlate make tradeName apkExpiry }
  drivingLicences { expires valid }
  employments { employerName start end employer { name legalForm } }
  benefits { law start }
  companies { role company { name legalForm } }
} }`,
		criticalHops: 3, hubHops: 3,
		subjects: personSubjects(func(p *population.Person) bool { return p.Alive() && p.AddressID != "" }),
		vars:     bsnVars,
		critical: func(ctx context.Context, r registries, s subject) error {
			bsn := s.key
			var g errgroup.Group
			g.Go(func() error {
				ps, err := r.brp.PersonsByBSN(ctx, []string{bsn}, wholePersonFields)
				if err != nil {
					return err
				}
				p := ps[bsn]
				if p == nil {
					return notFound(brp.Registry, "person")
				}
				var next errgroup.Group
				if p.Residence != nil && p.Residence.AddressID != "" {
					next.Go(func() error { _, err := r.bag.Addresses(ctx, []string{p.Residence.AddressID}, true); return err })
				}
				var related []string
				for _, x := range p.Partners {
					related = append(related, x.BSN)
				}
				for _, x := range p.Children {
					related = append(related, x.BSN)
				}
				if len(related) > 0 {
					next.Go(func() error { _, err := r.brp.PersonsByBSN(ctx, related, wholePersonFields); return err })
				}
				return next.Wait()
			})
			g.Go(func() error { return holdingsThenVehicles(ctx, r, []string{bsn}) })
			g.Go(func() error { _, err := r.rdw.DrivingLicences(ctx, []string{bsn}); return err })
			g.Go(func() error { _, err := r.uwv.Benefits(ctx, []string{bsn}); return err })
			var companies keyed
			company := func(g *errgroup.Group, kvk string) {
				if kvk != "" && companies.claim(kvk) {
					g.Go(func() error { _, err := r.nhr.Company(ctx, kvk); return err })
				}
			}
			var profiles errgroup.Group
			g.Go(func() error {
				es, err := r.uwv.Employments(ctx, []string{bsn})
				var employers keyed
				for _, e := range es[bsn] {
					ref := registrant(e)
					if !employers.claim(fmt.Sprint(ref)) {
						continue
					}
					profiles.Go(func() error {
						kvk, err := nhr.FindKvKNumber(ctx, r.nhr.Search, ref)
						company(&profiles, kvk)
						return err
					})
				}
				return err
			})
			g.Go(func() error {
				roles, err := r.nhr.RolesOfPerson(ctx, bsn)
				for _, ro := range roles {
					company(&profiles, ro.KvKNumber)
				}
				return err
			})
			return firstError(g.Wait(), profiles.Wait())
		},
		naive: func(ctx context.Context, r registries, s subject) error {
			bsn := s.key
			ps, err := r.brp.PersonsByBSN(ctx, []string{bsn}, wholePersonFields)
			if err != nil {
				return err
			}
			p := ps[bsn]
			if p == nil {
				return notFound(brp.Registry, "person")
			}
			if p.Residence != nil && p.Residence.AddressID != "" {
				if _, err := r.bag.Addresses(ctx, []string{p.Residence.AddressID}, true); err != nil {
					return err
				}
			}
			for _, x := range p.Partners {
				if _, err := r.brp.PersonsByBSN(ctx, []string{x.BSN}, wholePersonFields); err != nil {
					return err
				}
			}
			for _, x := range p.Children {
				if _, err := r.brp.PersonsByBSN(ctx, []string{x.BSN}, wholePersonFields); err != nil {
					return err
				}
			}
			if err := naiveVehicles(ctx, r, bsn); err != nil {
				return err
			}
			if _, err := r.rdw.DrivingLicences(ctx, []string{bsn}); err != nil {
				return err
			}
			es, err := r.uwv.Employments(ctx, []string{bsn})
			if err != nil {
				return err
			}
			for _, e := range es[bsn] {
				kvk, err := nhr.FindKvKNumber(ctx, r.nhr.Search, registrant(e))
				if err != nil {
					return err
				}
				if kvk != "" {
					if _, err := r.nhr.Company(ctx, kvk); err != nil {
						return err
					}
				}
			}
			if _, err := r.uwv.Benefits(ctx, []string{bsn}); err != nil {
				return err
			}
			roles, err := r.nhr.RolesOfPerson(ctx, bsn)
			if err != nil {
				return err
			}
			for _, ro := range roles {
				if _, err := r.nhr.Company(ctx, ro.KvKNumber); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// registrant is an employment's employer as UWV names it, for KvK zoeken.
func registrant(e uwv.Employment) nhr.Registrant {
	ref := nhr.Registrant{RSIN: e.EmployerRSIN, Name: e.EmployerName}
	if a := e.EmployerAddress; a != nil {
		ref.Postcode, ref.HouseNumber = a.Postcode, a.HouseNumber
	}
	return ref
}

// holdingsThenVehicles asks the holdings of the BSNs and then, in one call,
// the open data of every vehicle they hold.
func holdingsThenVehicles(ctx context.Context, r registries, bsns []string) error {
	hs, err := r.rdw.HoldingsByBSN(ctx, bsns)
	if err != nil {
		return err
	}
	var plates []string
	for _, b := range bsns {
		for _, h := range hs[b] {
			plates = append(plates, h.Plate)
		}
	}
	if len(plates) == 0 {
		return nil
	}
	_, err = r.rdw.VehiclesByPlate(ctx, plates)
	return err
}

// naiveVehicles asks the holdings of one person, then each vehicle alone.
func naiveVehicles(ctx context.Context, r registries, bsn string) error {
	hs, err := r.rdw.HoldingsByBSN(ctx, []string{bsn})
	if err != nil {
		return err
	}
	for _, h := range hs[bsn] {
		if _, err := r.rdw.VehiclesByPlate(ctx, []string{h.Plate}); err != nil {
			return err
		}
	}
	return nil
}

// household is a person with partner and children, each with address and
// vehicles.
//
// Minimum calls: BRP 1 for the person and 1 for partner and children; BAG 1
// per distinct address; RDW 1 for the person's holdings (asked with the BSN
// at once) and 1 for the others' (known after the second BRP call), and an
// open-data call after each when it found vehicles. Critical path: 4 calls
// (BRP, BRP, RDW holdings, RDW open data).
func household() query {
	return query{
		name: "household",
		graphql: `query($bsn: String!) { person(bsn: $bsn) {
  bsn name { fullName } address { street postcode } vehicles { licencePlate make }
  partners { partner { bsn name { fullName } address { street postcode } vehicles { licencePlate make } } }
  children { bsn name { fullName } age address { street postcode } vehicles { licencePlate make } }
} }`,
		criticalHops: 4, hubHops: 4,
		subjects: personSubjects(func(p *population.Person) bool {
			return p.Alive() && p.AddressID != "" && p.Partner != nil && p.Partner.Ended == "" && len(p.Children) > 0
		}),
		vars: bsnVars,
		critical: func(ctx context.Context, r registries, s subject) error {
			bsn := s.key
			var addresses keyed
			address := func(g *errgroup.Group, id string) {
				if id != "" && addresses.claim(id) {
					g.Go(func() error { _, err := r.bag.Addresses(ctx, []string{id}, false); return err })
				}
			}
			var g, bagCalls errgroup.Group
			g.Go(func() error { return holdingsThenVehicles(ctx, r, []string{bsn}) })
			g.Go(func() error {
				ps, err := r.brp.PersonsByBSN(ctx, []string{bsn}, householdFields)
				if err != nil {
					return err
				}
				p := ps[bsn]
				if p == nil {
					return notFound(brp.Registry, "person")
				}
				if p.Residence != nil {
					address(&bagCalls, p.Residence.AddressID)
				}
				var members []string
				for _, x := range p.Partners {
					members = append(members, x.BSN)
				}
				for _, x := range p.Children {
					members = append(members, x.BSN)
				}
				if len(members) == 0 {
					return nil
				}
				ms, err := r.brp.PersonsByBSN(ctx, members, householdFields)
				if err != nil {
					return err
				}
				for _, m := range ms {
					if m.Residence != nil {
						address(&bagCalls, m.Residence.AddressID)
					}
				}
				return holdingsThenVehicles(ctx, r, members)
			})
			return firstError(g.Wait(), bagCalls.Wait())
		},
		naive: func(ctx context.Context, r registries, s subject) error {
			ps, err := r.brp.PersonsByBSN(ctx, []string{s.key}, householdFields)
			if err != nil {
				return err
			}
			p := ps[s.key]
			if p == nil {
				return notFound(brp.Registry, "person")
			}
			one := func(x string) error {
				if x != s.key {
					ms, err := r.brp.PersonsByBSN(ctx, []string{x}, householdFields)
					if err != nil {
						return err
					}
					if ms[x] == nil {
						return nil
					}
					p = ms[x]
				}
				if p.Residence != nil && p.Residence.AddressID != "" {
					if _, err := r.bag.Addresses(ctx, []string{p.Residence.AddressID}, false); err != nil {
						return err
					}
				}
				return naiveVehicles(ctx, r, x)
			}
			members := []string{s.key}
			for _, x := range p.Partners {
				members = append(members, x.BSN)
			}
			for _, x := range p.Children {
				members = append(members, x.BSN)
			}
			for _, m := range members {
				if err := one(m); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// company is a company with its branches, their addresses, and its
// functionaries by name.
//
// Minimum calls: NHR 1 for the profile, 1 for the list of branches, 1 per
// branch for its profile (the profile's embedded main branch carries no
// trade names, so it too is asked), 1 for the functionaries; BRP 1 for the
// functionaries' names; BAG 1 per distinct branch address. Critical path:
// 3 calls (the branch list, the branches, their addresses), as the list
// and the functionaries need only the KvK number.
func company() query {
	return query{
		name: "company",
		graphql: `query($kvk: String!) { company(kvkNumber: $kvk) {
  kvkNumber name legalForm employees
  branches { branchNumber main tradeNames address { street postcode place } }
  functionaries { role person { name { fullName } } }
} }`,
		criticalHops: 3, hubHops: 4,
		subjects: func(p *population.Population, n int) []subject {
			var out []subject
			for _, c := range stride(p.Companies, n, func(c *population.Company) bool { return c.EndDate == "" }) {
				out = append(out, subject{key: c.KvKNumber})
			}
			return out
		},
		vars: func(s subject) map[string]any { return map[string]any{"kvk": s.key} },
		critical: func(ctx context.Context, r registries, s subject) error {
			kvk := s.key
			var g, bagCalls errgroup.Group
			var addresses keyed
			g.Go(func() error { _, err := r.nhr.Company(ctx, kvk); return err })
			g.Go(func() error {
				list, err := r.nhr.Branches(ctx, kvk)
				if err != nil {
					return err
				}
				var branches errgroup.Group
				for _, b := range list {
					branches.Go(func() error {
						br, err := r.nhr.Branch(ctx, b.Number)
						if err != nil {
							return err
						}
						if id := branchAddress(br); id != "" && addresses.claim(id) {
							bagCalls.Go(func() error { _, err := r.bag.Addresses(ctx, []string{id}, false); return err })
						}
						return nil
					})
				}
				return branches.Wait()
			})
			g.Go(func() error {
				fs, err := r.nhr.Functionaries(ctx, kvk)
				if err != nil || len(fs) == 0 {
					return err
				}
				bsns := make([]string, 0, len(fs))
				for _, f := range fs {
					bsns = append(bsns, f.BSN)
				}
				_, err = r.brp.PersonsByBSN(ctx, bsns, functionaryFields)
				return err
			})
			return firstError(g.Wait(), bagCalls.Wait())
		},
		naive: func(ctx context.Context, r registries, s subject) error {
			if _, err := r.nhr.Company(ctx, s.key); err != nil {
				return err
			}
			list, err := r.nhr.Branches(ctx, s.key)
			if err != nil {
				return err
			}
			for _, b := range list {
				br, err := r.nhr.Branch(ctx, b.Number)
				if err != nil {
					return err
				}
				if id := branchAddress(br); id != "" {
					if _, err := r.bag.Addresses(ctx, []string{id}, false); err != nil {
						return err
					}
				}
			}
			fs, err := r.nhr.Functionaries(ctx, s.key)
			if err != nil {
				return err
			}
			for _, f := range fs {
				if _, err := r.brp.PersonsByBSN(ctx, []string{f.BSN}, functionaryFields); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// address is an address found by postcode and house number, with its
// residential object, building and residents.
//
// Minimum calls: BAG 1 for the search and 1 per address found for the
// expanded address (the connector's search takes no expand); BRP 1 per
// residential object for the residents: the search by object answers
// with name and age already. Critical path: 2 calls (the BAG search, then
// the expanded address or the residents, as the search gives the object).
func address() query {
	return query{
		name: "address",
		graphql: `query($pc: String!, $nr: Int!) { addresses(postcode: $pc, houseNumber: $nr) {
  id street houseNumber postcode place
  residentialObject { surface uses } buildings { yearBuilt }
  residents { bsn name { fullName } age }
} }`,
		criticalHops: 2, hubHops: 4,
		subjects: func(p *population.Population, n int) []subject {
			seen := map[string]bool{}
			var out []subject
			for _, x := range stride(p.Persons, n*2, func(x *population.Person) bool { return x.Alive() && x.AddressID != "" }) {
				a, ok := p.Address(x.AddressID)
				if !ok {
					continue
				}
				key := fmt.Sprint(a.Postcode, a.HouseNumber)
				if seen[key] {
					continue
				}
				seen[key] = true
				out = append(out, subject{postcode: a.Postcode, number: a.HouseNumber})
				if len(out) == n {
					break
				}
			}
			return out
		},
		vars: func(s subject) map[string]any { return map[string]any{"pc": s.postcode, "nr": s.number} },
		critical: func(ctx context.Context, r registries, s subject) error {
			found, err := r.bag.AddressesByPostcode(ctx, s.postcode, s.number, "", "")
			if err != nil {
				return err
			}
			var g errgroup.Group
			var objects keyed
			for _, a := range found {
				g.Go(func() error { _, err := r.bag.Addresses(ctx, []string{a.ID}, true); return err })
				if a.ObjectID != "" && objects.claim(a.ObjectID) {
					g.Go(func() error { _, err := r.brp.SearchByObject(ctx, a.ObjectID); return err })
				}
			}
			return g.Wait()
		},
		naive: func(ctx context.Context, r registries, s subject) error {
			found, err := r.bag.AddressesByPostcode(ctx, s.postcode, s.number, "", "")
			if err != nil {
				return err
			}
			for _, a := range found {
				if _, err := r.bag.Addresses(ctx, []string{a.ID}, true); err != nil {
					return err
				}
				residents, err := r.brp.SearchByObject(ctx, a.ObjectID)
				if err != nil {
					return err
				}
				for _, p := range residents {
					if _, err := r.brp.PersonsByBSN(ctx, []string{p.BSN}, []string{"burgerservicenummer", "leeftijd", "naam.volledigeNaam"}); err != nil {
						return err
					}
				}
			}
			return nil
		},
	}
}

// branchAddress is the BAG address the graph shows for a branch: its
// visiting address, or else its first.
func branchAddress(b *nhr.Branch) string {
	id := ""
	for i, a := range b.Addresses {
		if a.Kind == nhr.VisitingAddress || i == 0 {
			id = a.AddressID
		}
	}
	return id
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
