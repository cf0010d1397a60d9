package nhr

import (
	"context"

	"github.com/poort-nl/poort/connectors"
)

// Registry is the registry the connector serves.
const Registry connectors.Registry = "NHR"

// API is what the hub asks of the Handelsregister. Client implements it,
// and so do the fakes in connectors/registrytest.
type API interface {
	connectors.Connector
	Company(ctx context.Context, kvk string) (*Company, error)
	Branches(ctx context.Context, kvk string) ([]BranchSummary, error)
	Branch(ctx context.Context, number string) (*Branch, error)
	Search(ctx context.Context, q SearchQuery) (*SearchPage, error)
	Functionaries(ctx context.Context, kvk string) ([]Functionary, error)
	RolesOfPerson(ctx context.Context, bsn string) ([]Role, error)
}

// From returns the Handelsregister among the hub's open registries.
func From(rs connectors.Registries) (API, error) { return connectors.Get[API](rs, Registry) }

// Registration describes the connector to the hub. Everything the
// Handelsregister answers may name a person (an eenmanszaak's profile names
// its owner), so all of it is personal data to the cache.
func Registration() connectors.Registration {
	return connectors.Registration{
		ID:          ID,
		Registry:    Registry,
		Description: "Companies and branches from the Handelsregister through the KvK Zoeken, Basisprofiel and Vestigingsprofiel APIs; functionaries through a contract of our own, which the KvK APIs lack.",
		New:         func(cfg connectors.Config) (connectors.Connector, error) { return New(cfg) },
		AuthHeader:  AuthHeader,
		Settings: []connectors.Setting{{
			Name: FunctionariesURL, OwnContract: true,
			Description: "base URL of a source of the functionarissen contract (mocks/nhr/functionarissen.openapi.yaml): the KvK APIs have no functionaries; unset, they are reported as not offered",
		}},
		Resource: "basisprofielen",
		Lookups: []connectors.Lookup{
			{
				Name: "companies", Key: connectors.KvKNumber, Batch: 1, Data: connectors.PersonalData,
				Fetch: connectors.Single(func(a API, ctx context.Context, kvk string, _ connectors.Asked) (*Company, error) {
					return a.Company(ctx, kvk)
				}),
			},
			{
				Name: "branch_lists", Endpoint: "vestigingen", Key: connectors.KvKNumber, Batch: 1, AbsentIsEmpty: true, Data: connectors.PersonalData,
				Fetch: connectors.Single(func(a API, ctx context.Context, kvk string, _ connectors.Asked) ([]BranchSummary, error) {
					return a.Branches(ctx, kvk)
				}),
			},
			{
				Name: "branches", Endpoint: "vestigingsprofielen", Key: connectors.BranchNumber, Batch: 1, Data: connectors.PersonalData,
				Fetch: connectors.Single(func(a API, ctx context.Context, number string, _ connectors.Asked) (*Branch, error) {
					return a.Branch(ctx, number)
				}),
			},
			{
				Name: "functionaries", Endpoint: "functionarissen", Key: connectors.KvKNumber, Batch: 1, AbsentIsEmpty: true, Data: connectors.PersonalData,
				Fetch: connectors.Single(func(a API, ctx context.Context, kvk string, _ connectors.Asked) ([]Functionary, error) {
					return a.Functionaries(ctx, kvk)
				}),
			},
			{
				Name: "roles", Endpoint: "functionarissen", Key: connectors.BSN, Batch: 1, AbsentIsEmpty: true, Data: connectors.PersonalData,
				Fetch: connectors.Single(func(a API, ctx context.Context, bsn string, _ connectors.Asked) ([]Role, error) {
					return a.RolesOfPerson(ctx, bsn)
				}),
			},
		},
	}
}

var _ API = (*Client)(nil)
