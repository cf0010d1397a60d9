package brk

import (
	"context"

	"github.com/poort-nl/poort/connectors"
)

// Registry is the registry the connector serves.
const Registry connectors.Registry = "BRK"

// API is what the hub asks of the BRK. Client implements it.
type API interface {
	connectors.Connector
	ParcelsAt(ctx context.Context, addressID string) ([]Parcel, error)
	Rights(ctx context.Context, parcelID string) ([]Right, error)
	HoldingsOf(ctx context.Context, bsn string) ([]Holding, error)
	Restrictions(ctx context.Context, parcelID string) ([]Restriction, error)
}

// From returns the BRK among the hub's open registries.
func From(rs connectors.Registries) (API, error) { return connectors.Get[API](rs, Registry) }

// ParcelID is the key kind of a kadastraal onroerende zaak's
// identification, by which its rights and restrictions are asked.
const ParcelID connectors.Key = "BRKParcelID"

// The API resources besides the main one (kadastraalonroerendezaken), as
// the schema's @source declarations name them.
const (
	rightsEndpoint       = "zakelijkgerechtigden"
	restrictionsEndpoint = "publiekrechtelijkebeperkingen"
)

// Registration describes the connector to the hub. Parcels and the
// public-law restrictions on them are public registers about no one; who
// holds a right, and what a person holds, is personal data.
func Registration() connectors.Registration {
	return connectors.Registration{
		ID:          ID,
		Registry:    Registry,
		Description: "Parcels, apartment rights, their rights holders and public-law restrictions from the Kadaster's BRK-Bevragen API v2 (Haal Centraal).",
		New:         func(cfg connectors.Config) (connectors.Connector, error) { return New(cfg) },
		AuthHeader:  AuthHeader,
		Resource:    "kadastraalonroerendezaken",
		Lookups: []connectors.Lookup{
			{
				Name: "parcels", Key: connectors.AddressID, Batch: 1, AbsentIsEmpty: true, Data: connectors.OpenData,
				Fetch: connectors.Single(func(a API, ctx context.Context, id string, _ connectors.Asked) ([]Parcel, error) {
					return a.ParcelsAt(ctx, id)
				}),
			},
			{
				Name: "rights", Endpoint: rightsEndpoint, Key: ParcelID, Batch: 1, AbsentIsEmpty: true, Data: connectors.PersonalData,
				Fetch: connectors.Single(func(a API, ctx context.Context, id string, _ connectors.Asked) ([]Right, error) {
					return a.Rights(ctx, id)
				}),
			},
			{
				Name: "holdings", Endpoint: rightsEndpoint, Key: connectors.BSN, Batch: 1, AbsentIsEmpty: true, Data: connectors.PersonalData,
				Fetch: connectors.Single(func(a API, ctx context.Context, bsn string, _ connectors.Asked) ([]Holding, error) {
					return a.HoldingsOf(ctx, bsn)
				}),
			},
			{
				Name: "restrictions", Endpoint: restrictionsEndpoint, Key: ParcelID, Batch: 1, AbsentIsEmpty: true, Data: connectors.OpenData,
				Fetch: connectors.Single(func(a API, ctx context.Context, id string, _ connectors.Asked) ([]Restriction, error) {
					return a.Restrictions(ctx, id)
				}),
			},
		},
	}
}

var _ API = (*Client)(nil)
