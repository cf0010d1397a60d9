package rdw

import (
	"context"

	"github.com/poort-nl/poort/connectors"
)

// Registry is the registry the connector serves.
const Registry connectors.Registry = "RDW"

// API is what the hub asks of the RDW. Client implements it, and so do the
// fakes in connectors/registrytest.
type API interface {
	connectors.Connector
	VehiclesByPlate(ctx context.Context, plates []string, opts ...VehicleOption) (map[string]*Vehicle, error)
	HoldingsByBSN(ctx context.Context, bsns []string) (map[string][]Holding, error)
	HoldingsByKvK(ctx context.Context, kvks []string) (map[string][]Holding, error)
	DrivingLicences(ctx context.Context, bsns []string) (map[string][]DrivingLicence, error)
}

// From returns the RDW among the hub's open registries.
func From(rs connectors.Registries) (API, error) { return connectors.Get[API](rs, Registry) }

// fuelsEndpoint is the fuels dataset, a resource of its own in the
// schema's lineage.
const fuelsEndpoint = "brandstof"

// holderBatch is how many holders one call of the graph's asks about; the
// connector splits it as the API needs.
const holderBatch = 20

// Registration describes the connector to the hub. Vehicle technical data
// is open data; who holds a vehicle and driving licences are personal.
func Registration() connectors.Registration {
	return connectors.Registration{
		ID:          ID,
		Registry:    Registry,
		Description: "RDW vehicles from open data (Socrata m9d7-ebf2, 8ys7-d773), and vehicle holders and driving licences over a JSON contract of our own modelled on Suwinet RDWDossierGSD, which open data lacks.",
		New:         func(cfg connectors.Config) (connectors.Connector, error) { return New(cfg) },
		AuthHeader:  AppTokenHeader,
		Settings: []connectors.Setting{{
			Name: DossierURL, OwnContract: true,
			Description: "base URL of a source of the RDW dossier contract (mocks/rdw/rdw-dossier.openapi.yaml): RDW open data has no vehicle holders or driving licences; unset, they are reported as not offered",
		}},
		Resource: "voertuigen",
		Lookups: []connectors.Lookup{
			{
				Name: "vehicles", Key: connectors.LicencePlate, Batch: MaxPlatesPerCall, Data: connectors.OpenData,
				// A vehicle with its fuels serves a look-up without them.
				Vary: func(asked connectors.Asked) []string {
					if len(asked.Fields(fuelsEndpoint)) > 0 {
						return []string{"fuels"}
					}
					return []string{"plain", "fuels"}
				},
				Fetch: connectors.Batched(func(a API, ctx context.Context, plates []string, asked connectors.Asked) (map[string]*Vehicle, error) {
					var opts []VehicleOption
					if len(asked.Fields(fuelsEndpoint)) > 0 {
						opts = append(opts, WithFuels())
					}
					return a.VehiclesByPlate(ctx, plates, opts...)
				}),
			},
			{
				Name: "holdings_bsn", Endpoint: "voertuigbezit", Key: connectors.BSN, Batch: holderBatch, AbsentIsEmpty: true, Data: connectors.PersonalData,
				Fetch: connectors.Batched(func(a API, ctx context.Context, bsns []string, _ connectors.Asked) (map[string][]Holding, error) {
					return a.HoldingsByBSN(ctx, bsns)
				}),
			},
			{
				Name: "holdings_kvk", Endpoint: "voertuigbezit", Key: connectors.KvKNumber, Batch: holderBatch, AbsentIsEmpty: true, Data: connectors.PersonalData,
				Fetch: connectors.Batched(func(a API, ctx context.Context, kvks []string, _ connectors.Asked) (map[string][]Holding, error) {
					return a.HoldingsByKvK(ctx, kvks)
				}),
			},
			{
				Name: "driving_licences", Endpoint: "rijbewijzen", Key: connectors.BSN, Batch: holderBatch, AbsentIsEmpty: true, Data: connectors.PersonalData,
				Fetch: connectors.Batched(func(a API, ctx context.Context, bsns []string, _ connectors.Asked) (map[string][]DrivingLicence, error) {
					return a.DrivingLicences(ctx, bsns)
				}),
			},
		},
	}
}

var _ API = (*Client)(nil)
