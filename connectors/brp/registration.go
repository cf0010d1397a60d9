package brp

import (
	"context"
	"slices"
	"strings"

	"github.com/poort-nl/poort/connectors"
)

// Registry is the registry the connector serves.
const Registry connectors.Registry = "BRP"

// API is what the hub asks of the BRP. Client implements it, and so do the
// fakes in connectors/registrytest.
type API interface {
	connectors.Connector
	PersonsByBSN(ctx context.Context, bsns, fields []string) (map[string]*Person, error)
	SearchByNameAndBirthDate(ctx context.Context, surname, birthDate string, opts ...SearchOption) ([]*Person, error)
	SearchByObject(ctx context.Context, objectID string, opts ...SearchOption) ([]*Person, error)
	TravelDocuments(ctx context.Context, bsn string, fields []string) ([]TravelDocument, error)
}

// From returns the BRP among the hub's open registries.
func From(rs connectors.Registries) (API, error) { return connectors.Get[API](rs, Registry) }

// Travel documents are a resource of their own in the schema's lineage.
const travelDocumentsEndpoint = "reisdocumenten"

// automatic are the fields the BRP delivers by itself and refuses to be
// asked for; the schema may declare them as sources all the same.
var automatic = []string{"geheimhoudingPersoonsgegevens", "inOnderzoek", "opschortingBijhouding", "rni", "verificatie"}

// Askable returns the paths of the main resource an operation asks for
// that may go in a fields list: the automatic ones left out.
func Askable(asked connectors.Asked) []string {
	var out []string
	for _, f := range asked.Fields("") {
		if !slices.Contains(automatic, f) {
			out = append(out, f)
		}
	}
	return out
}

// Registration describes the connector to the hub.
func Registration() connectors.Registration {
	return connectors.Registration{
		ID:          ID,
		Registry:    Registry,
		Description: "Persons and travel documents from the BRP through the Haal Centraal BRP Personen bevragen API v2 and the Reisdocumenten bevragen API.",
		New:         func(cfg connectors.Config) (connectors.Connector, error) { return New(cfg) },
		AuthHeader:  "X-API-KEY",
		Resource:    "personen",
		Paths: map[string][]string{
			// Of the automatic fields the schema declares only geheimhouding.
			"":                      append(FieldPaths(), "geheimhoudingPersoonsgegevens"),
			travelDocumentsEndpoint: TravelDocumentPaths(),
		},
		Lookups: []connectors.Lookup{
			{
				Name: "persons", Key: connectors.BSN, Batch: MaxBSNs, Data: connectors.PersonalData,
				// Persons asked with other fields are other answers.
				Vary: func(asked connectors.Asked) []string {
					fields := Askable(asked)
					slices.Sort(fields)
					return []string{strings.Join(fields, ",")}
				},
				Fetch: connectors.Batched(func(a API, ctx context.Context, bsns []string, asked connectors.Asked) (map[string]*Person, error) {
					return a.PersonsByBSN(ctx, bsns, Askable(asked))
				}),
			},
			{
				// The residents of a dwelling, as the limited person
				// (PersoonBeperkt) the search answers.
				Name: "residents", Key: connectors.ObjectID, Batch: 1, AbsentIsEmpty: true,
				Fetch: connectors.Single(func(a API, ctx context.Context, objectID string, _ connectors.Asked) ([]*Person, error) {
					return a.SearchByObject(ctx, objectID)
				}),
			},
			{
				Name: "travel_documents", Endpoint: travelDocumentsEndpoint, Key: connectors.BSN, Batch: 1, AbsentIsEmpty: true,
				Fetch: connectors.Single(func(a API, ctx context.Context, bsn string, asked connectors.Asked) ([]TravelDocument, error) {
					return a.TravelDocuments(ctx, bsn, asked.Fields(travelDocumentsEndpoint))
				}),
			},
		},
	}
}

var _ API = (*Client)(nil)
