package uwv

import (
	"context"

	"github.com/poort-nl/poort/connectors"
)

// Registry is the registry the connector serves.
const Registry connectors.Registry = "UWV"

// API is what the hub asks of UWV. Client implements it, and so do the
// fakes in connectors/registrytest.
type API interface {
	connectors.Connector
	Employments(ctx context.Context, bsns []string) (map[string][]Employment, error)
	Benefits(ctx context.Context, bsns []string) (map[string][]Benefit, error)
}

// From returns UWV among the hub's open registries.
func From(rs connectors.Registries) (API, error) { return connectors.Get[API](rs, Registry) }

// personBatch is how many persons one call of the graph's asks about; the
// connector splits it as the service needs.
const personBatch = 20

// Registration describes the connector to the hub. Everything UWV answers
// is personal data.
func Registration() connectors.Registration {
	return connectors.Registration{
		ID:          ID,
		Registry:    Registry,
		Description: "UWV employment history and WW benefits from Suwinet: SOAP with SuwiML (UWVPersoonsIkvInfo, UWVPersoonsWvInfo), one BSN per call, mutual TLS.",
		New:         func(cfg connectors.Config) (connectors.Connector, error) { return New(cfg) },
		Resource:    "gegevens",
		Lookups: []connectors.Lookup{
			{
				Name: "employments", Endpoint: "inkomstenverhoudingen", Key: connectors.BSN, Batch: personBatch, AbsentIsEmpty: true, Data: connectors.PersonalData,
				Fetch: connectors.Batched(func(a API, ctx context.Context, bsns []string, _ connectors.Asked) (map[string][]Employment, error) {
					return a.Employments(ctx, bsns)
				}),
			},
			{
				Name: "benefits", Endpoint: "werknemersverzekeringen", Key: connectors.BSN, Batch: personBatch, AbsentIsEmpty: true, Data: connectors.PersonalData,
				Fetch: connectors.Batched(func(a API, ctx context.Context, bsns []string, _ connectors.Asked) (map[string][]Benefit, error) {
					return a.Benefits(ctx, bsns)
				}),
			},
		},
	}
}

var _ API = (*Client)(nil)
