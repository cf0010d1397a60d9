package graph

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/internal/batchload"
)

// This file holds what the resolvers share: loading a record through the
// request's loaders and turning registry failures into partial results.

func (r *Resolver) today() model.Date { return model.DateOf(r.now()) }

// errAt returns the error of the i-th key of a LoadAll.
func errAt(err error, i int) error {
	var es batchload.ErrorSlice
	if errors.As(err, &es) {
		if i < len(es) {
			return es[i]
		}
		return nil
	}
	return err
}

// loadPerson resolves one person for the current field. A BSN the BRP does
// not know is null with NOT_FOUND; a BRP failure gives a person that
// carries only its BSN, with the failure reported on each BRP field asked,
// so what other registries know of the person still comes through.
func (r *Resolver) loadPerson(ctx context.Context, bsn string) (*model.Person, error) {
	if ok, err := r.mayDisclosePerson(ctx, bsn); err != nil || !ok {
		return nil, refusal(err)
	}
	r.prefetch(ctx, "Person", connectors.BSN, bsn)
	p, err := lookup[*brp.Person](ctx, r, brp.Registry, "", connectors.BSN, bsn)
	switch {
	case err == nil:
		return person(p), nil
	case notKnown(err):
		return nil, notFound(brp.Registry, "person")
	case isUpstream(err):
		reportOnFields(ctx, r, "Person", brp.Registry, err)
		return &model.Person{BSN: bsn, Refs: model.PersonRefs{Unavailable: err}}, nil
	}
	return nil, err
}

// relatedPersons resolves a list of persons for the current field, in
// order; persons the principal may not see or the BRP does not return are
// left out.
func (r *Resolver) relatedPersons(ctx context.Context, bsns []string) ([]*model.Person, error) {
	ps, err := r.loadPersons(ctx, bsns)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Person, 0, len(ps))
	for _, p := range ps {
		if p != nil {
			out = append(out, p)
		}
	}
	reportUnavailable(ctx, r, out)
	return out, nil
}

// loadPersons loads persons in the order asked, with nil for a BSN the
// principal may not see or the BRP does not know. A BRP failure gives a
// person that carries only its BSN and the failure, for the caller to
// report once it knows the person's place in the list.
func (r *Resolver) loadPersons(ctx context.Context, bsns []string) ([]*model.Person, error) {
	visible, err := r.visiblePersons(ctx, bsns)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Person, len(bsns))
	if len(visible) == 0 {
		return out, nil
	}
	shown := make(map[string]bool, len(visible))
	for _, b := range visible {
		shown[b] = true
	}
	r.prefetch(ctx, "Person", connectors.BSN, visible...)
	ps, err := lookupAll[*brp.Person](ctx, r, brp.Registry, "", connectors.BSN, visible)
	j := 0
	for i, bsn := range bsns {
		if !shown[bsn] {
			continue
		}
		// LoadAll answers one value per key asked.
		e, p := errAt(err, j), ps[j]
		j++
		switch {
		case e == nil:
			out[i] = person(p)
		case notKnown(e):
		case isUpstream(e):
			out[i] = &model.Person{BSN: bsn, Refs: model.PersonRefs{Unavailable: e}}
		default:
			return nil, e
		}
	}
	return out, nil
}

// reportUnavailable reports, for each person of the current list field
// that the BRP failed on, the failure on each BRP field asked.
func reportUnavailable(ctx context.Context, r *Resolver, ps []*model.Person) {
	for i, p := range ps {
		if p != nil && p.Refs.Unavailable != nil {
			reportOnFields(ctx, r, "Person", brp.Registry, p.Refs.Unavailable, i)
		}
	}
}

// visiblePersons keeps the persons the principal may see; when some are
// withheld, the current field says so.
func (r *Resolver) visiblePersons(ctx context.Context, bsns []string) ([]string, error) {
	return visible(ctx, r, bsns, func(bsn string) (string, bool) { return bsn, true })
}

// visibleRights keeps the rights whose holder the principal may see, as
// visiblePersons keeps persons: a citizen looking at a parcel learns
// neither who else holds a right on it nor how many do. A right held by a
// legal entity is about no one and stays.
func (r *Resolver) visibleRights(ctx context.Context, rights []*model.RealEstateRight) ([]*model.RealEstateRight, error) {
	return visible(ctx, r, rights, func(rt *model.RealEstateRight) (string, bool) {
		kind, bsn, ok := rt.DataSubject()
		return bsn, ok && kind == model.DataSubjectTypeBsn
	})
}

// visible keeps the items a citizen may see: those about no person, and
// those about a person mayDisclosePerson allows. When some are withheld,
// the current field says so. Other principals see every item, the policy
// deciding field by field.
func visible[T any](ctx context.Context, r *Resolver, items []T, person func(T) (bsn string, ok bool)) ([]T, error) {
	if r.req(ctx).access.citizen == nil {
		return items, nil
	}
	out := make([]T, 0, len(items))
	for _, it := range items {
		if bsn, ok := person(it); ok {
			may, err := r.mayDisclosePerson(ctx, bsn)
			if err != nil {
				return nil, refusal(err)
			}
			if !may {
				continue
			}
		}
		out = append(out, it)
	}
	if len(out) < len(items) {
		graphql.AddError(ctx, citizenRefusal())
	}
	return out, nil
}

// refusal is the error for a person the principal may not see, or for not
// being able to tell.
func refusal(err error) error {
	if err != nil {
		return err
	}
	return citizenRefusal()
}

// loadAddress resolves one BAG address for the current field; objectID,
// when known from elsewhere, keeps the residents reachable if the BAG fails.
func (r *Resolver) loadAddress(ctx context.Context, id, objectID string) (*model.Address, error) {
	r.prefetch(ctx, "Address", connectors.AddressID, id)
	a, err := lookup[*bag.Address](ctx, r, bag.Registry, "", connectors.AddressID, id)
	switch {
	case err == nil:
		return r.address(a), nil
	case notKnown(err):
		return nil, notFound(bag.Registry, "address")
	case isUpstream(err):
		reportOnFields(ctx, r, "Address", bag.Registry, err)
		return &model.Address{ID: id, Refs: model.AddressRefs{Unavailable: err, ObjectID: objectID}}, nil
	}
	return nil, err
}

// loadCompany resolves one company for the current field, priming its main
// branch so asking for it again costs no call.
func (r *Resolver) loadCompany(ctx context.Context, kvk string) (*model.Company, error) {
	r.prefetch(ctx, "Company", connectors.KvKNumber, kvk)
	c, err := lookup[*nhr.Company](ctx, r, nhr.Registry, "", connectors.KvKNumber, kvk)
	switch {
	case err == nil:
		// The embedded main branch lacks the trade names of its own
		// profile; only a complete one may stand in for it.
		if c.MainBranch != nil && len(c.MainBranch.TradeNames) > 0 {
			prime(ctx, r, nhr.Registry, branchProfiles, connectors.BranchNumber, c.MainBranch.Number, c.MainBranch)
		}
		return company(c), nil
	case notKnown(err):
		return nil, notFound(nhr.Registry, "company")
	case isUpstream(err):
		reportOnFields(ctx, r, "Company", nhr.Registry, err)
		return &model.Company{KvKNumber: kvk, Refs: model.CompanyRefs{Unavailable: err}}, nil
	}
	return nil, err
}

// vehicles resolves held vehicles, each about its holder. RDW open data
// is asked only when a field beyond the licence plate is selected, as the
// holding already names it.
func (r *Resolver) vehicles(ctx context.Context, holdings []rdw.Holding) ([]*model.Vehicle, error) {
	plates := make([]string, 0, len(holdings))
	for _, h := range holdings {
		plates = append(plates, h.Plate)
	}
	out := make([]*model.Vehicle, 0, len(plates))
	if !selectsBeyond(ctx, "licencePlate") {
		for _, h := range holdings {
			out = append(out, &model.Vehicle{Subject: vehicleHolder(h), LicencePlate: h.Plate})
		}
		return out, nil
	}
	vs, err := lookupAll[*rdw.Vehicle](ctx, r, rdw.Registry, "", connectors.LicencePlate, plates)
	for i, h := range holdings {
		switch e := errAt(err, i); {
		case e == nil:
			out = append(out, vehicle(vehicleHolder(h), vs[i]))
		case notKnown(e):
			out = append(out, &model.Vehicle{Subject: vehicleHolder(h), LicencePlate: h.Plate})
		default:
			return nil, e
		}
	}
	return out, nil
}

// selectsBeyond reports whether the current field selects anything but the
// named fields.
func selectsBeyond(ctx context.Context, names ...string) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		known := f.Name == "__typename"
		for _, n := range names {
			known = known || f.Name == n
		}
		if !known {
			return true
		}
	}
	return false
}

// prefetch starts, for the objects of type typ the current field resolves,
// known by keys of the kind given, the look-ups their selected fields come
// from: for a person's vehicles, the RDW's look-up of voertuigbezit by
// BSN. So they run beside the look-up of the objects themselves instead of
// after it. Which look-ups there are, each registry's registration
// declares; which resource a field comes from, its @source. A field the
// principal may not see is not fetched.
func (r *Resolver) prefetch(ctx context.Context, typ string, kind connectors.Key, keys ...string) {
	rq := r.req(ctx)
	for _, f := range fieldsOf(ctx, typ) {
		if rq.access.refuses(typ, f.Name) {
			continue
		}
		src, ok := r.lineage.Lookup(typ, f.Name)
		if !ok {
			continue
		}
		reg := connectors.Registry(src.Registry)
		if _, declared := r.reg.Lookup(reg, src.Endpoint, kind); !declared {
			continue
		}
		l, err := rq.loader(reg, src.Endpoint, kind)
		if err != nil {
			continue
		}
		for _, k := range keys {
			l.Start(ctx, k)
		}
	}
}

// selects reports whether the current field selects the named field.
func selects(ctx context.Context, name string) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == name {
			return true
		}
	}
	return false
}
