package graph

import (
	"context"
	"errors"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/connectors/uwv"
	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/policy"
)

// BatchSize caps the keys of one registry call where the API takes several
// (BRP: 20 BSNs per RaadpleegMetBurgerservicenummer).
const batchSize = 20

// request holds what one GraphQL operation shares: its plan and its
// loaders, which batch keys per registry and fetch each key at most once.
type request struct {
	plan   *plan
	access *access

	persons     *dataloadgen.Loader[string, *brp.Person]
	documents   *dataloadgen.Loader[string, []brp.TravelDocument]
	residents   *dataloadgen.Loader[string, []string] // object id → BSNs
	addresses   *dataloadgen.Loader[string, *bag.Address]
	companies   *dataloadgen.Loader[string, *nhr.Company]
	branchList  *dataloadgen.Loader[string, []nhr.BranchSummary]
	branches    *dataloadgen.Loader[string, *nhr.Branch]
	functionary *dataloadgen.Loader[string, []nhr.Functionary]
	roles       *dataloadgen.Loader[string, []nhr.Role]
	holdingsBSN *dataloadgen.Loader[string, []rdw.Holding]
	holdingsKvK *dataloadgen.Loader[string, []rdw.Holding]
	vehicles    *dataloadgen.Loader[string, *rdw.Vehicle]
	licences    *dataloadgen.Loader[string, []rdw.DrivingLicence]
	employments *dataloadgen.Loader[string, []uwv.Employment]
	benefits    *dataloadgen.Loader[string, []uwv.Benefit]
	employers   *dataloadgen.Loader[model.EmployerRef, string] // → KvK number
}

type requestKey struct{}

// AroundOperations plans each operation from its selection set and gives it
// fresh loaders; install it with handler.Server.AroundOperations.
func (r *Resolver) AroundOperations(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx)
	acc := r.planAccess(ctx)
	rq := r.newRequest(planOperation(op, r.lineage, acc))
	rq.access = acc
	return next(context.WithValue(ctx, requestKey{}, rq))
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
	wait := dataloadgen.WithWait(r.batchWait)
	batch := dataloadgen.WithBatchCapacity(batchSize)
	personFields := append([]string{"burgerservicenummer"}, p.Fields(brpPersons)...)
	docFields := p.Fields(brpDocuments)
	if len(docFields) == 0 {
		docFields = []string{"reisdocumentnummer"}
	}
	rq := &request{plan: p}
	rq.persons = dataloadgen.NewMappedLoader(func(ctx context.Context, bsns []string) (map[string]*brp.Person, error) {
		return r.reg.BRP.PersonsByBSN(ctx, bsns, personFields)
	}, wait, batch)
	rq.documents = perKey(wait, func(ctx context.Context, bsn string) ([]brp.TravelDocument, error) {
		return r.reg.BRP.TravelDocuments(ctx, bsn, docFields)
	})
	searchSuffices := coveredBySearch(personFields)
	rq.residents = perKey(wait, func(ctx context.Context, objectID string) ([]string, error) {
		ps, err := r.reg.BRP.SearchByObject(ctx, objectID)
		if err != nil {
			return nil, err
		}
		bsns := make([]string, 0, len(ps))
		for _, p := range ps {
			bsns = append(bsns, p.BSN)
			// The search answers the limited person (PersoonBeperkt); when
			// that holds every field the operation asks, the residents need
			// no second call.
			if searchSuffices {
				rq.persons.Prime(p.BSN, p)
			}
		}
		return bsns, nil
	})
	rq.addresses = dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*bag.Address, error) {
		return r.reg.BAG.Addresses(ctx, ids, p.bagExpand)
	}, wait)
	rq.companies = perKey(wait, r.reg.NHR.Company)
	rq.branchList = perKey(wait, r.reg.NHR.Branches)
	rq.branches = perKey(wait, r.reg.NHR.Branch)
	rq.functionary = perKey(wait, r.reg.NHR.Functionaries)
	rq.roles = perKey(wait, r.reg.NHR.RolesOfPerson)
	rq.holdingsBSN = listLoader(wait, batch, r.reg.RDW.HoldingsByBSN)
	rq.holdingsKvK = listLoader(wait, batch, r.reg.RDW.HoldingsByKvK)
	var vehicleOpts []rdw.VehicleOption
	if len(p.Fields(rdwFuels)) > 0 {
		vehicleOpts = append(vehicleOpts, rdw.WithFuels())
	}
	rq.vehicles = dataloadgen.NewMappedLoader(func(ctx context.Context, plates []string) (map[string]*rdw.Vehicle, error) {
		return r.reg.RDW.VehiclesByPlate(ctx, plates, vehicleOpts...)
	}, wait, dataloadgen.WithBatchCapacity(rdw.MaxPlatesPerCall))
	rq.licences = listLoader(wait, batch, r.reg.RDW.DrivingLicences)
	rq.employments = listLoader(wait, batch, r.reg.UWV.Employments)
	rq.benefits = listLoader(wait, batch, r.reg.UWV.Benefits)
	rq.employers = perKey(wait, func(ctx context.Context, e model.EmployerRef) (string, error) {
		return nhr.FindKvKNumber(ctx, r.reg.NHR.Search, nhr.Registrant(e))
	})
	return rq
}

// perKey builds a loader for an API that takes one key per call: the
// batch's keys are fetched concurrently, each once.
func perKey[K comparable, V any](wait dataloadgen.Option, fetch func(context.Context, K) (V, error)) *dataloadgen.Loader[K, V] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []K) ([]V, []error) {
		vals := make([]V, len(keys))
		errs := make([]error, len(keys))
		done := make(chan struct{}, len(keys))
		for i, k := range keys {
			go func() {
				defer func() { done <- struct{}{} }()
				vals[i], errs[i] = fetch(ctx, k)
			}()
		}
		for range keys {
			<-done
		}
		return vals, errs
	}, wait)
}

// listLoader builds a loader over a batch API that answers a list per key;
// a key the registry does not mention has an empty list.
func listLoader[V any](wait, batch dataloadgen.Option, fetch func(context.Context, []string) (map[string][]V, error)) *dataloadgen.Loader[string, []V] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []string) ([][]V, []error) {
		m, err := fetch(ctx, keys)
		if err != nil {
			return nil, []error{err}
		}
		out := make([][]V, len(keys))
		for i, k := range keys {
			out[i] = m[k]
		}
		return out, nil
	}, wait, batch)
}

// isMissing reports whether a mapped loader found nothing for the key.
func isMissing(err error) bool { return errors.Is(err, dataloadgen.ErrNotFound) }

// searchFields are the BRP paths a search's limited person
// (PersoonBeperkt) answers.
var searchFields = map[string]bool{
	"burgerservicenummer": true, "naam": true, "geslacht": true, "leeftijd": true, "geboorte.datum": true,
}

// coveredBySearch reports whether a search's limited person holds every
// one of the paths.
func coveredBySearch(paths []string) bool {
	for _, p := range paths {
		head, _, _ := strings.Cut(p, ".")
		if !searchFields[p] && !(head == "naam" || head == "geslacht") {
			return false
		}
	}
	return true
}
