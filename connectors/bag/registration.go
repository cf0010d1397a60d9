package bag

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/poort-nl/poort/connectors"
)

// Registry is the registry the connector serves.
const Registry connectors.Registry = "BAG"

// API is what the hub asks of the BAG. Client implements it, and so do the
// fakes in connectors/registrytest.
type API interface {
	connectors.Connector
	Addresses(ctx context.Context, ids []string, expand bool) (map[string]*Address, error)
	AddressesByPostcode(ctx context.Context, postcode string, number int, letter, addition string) ([]Address, error)
}

// From returns the BAG among the hub's open registries.
func From(rs connectors.Registries) (API, error) { return connectors.Get[API](rs, Registry) }

// Expands reports whether an operation asks for residential objects or
// buildings, which an address look-up then fetches in the same call.
func Expands(asked connectors.Asked) bool {
	return len(asked.Fields("adresseerbareobjecten")) > 0 || len(asked.Fields("panden")) > 0
}

// ByPostcode is the key kind of the search by postcode and house number:
// the four parts as PostcodeKey writes them.
const ByPostcode connectors.Key = "BAGPostcode"

// PostcodeKey writes a search by postcode and house number as the key of
// the addresses_by_postcode look-up.
func PostcodeKey(postcode string, number int, letter, addition string) string {
	return fmt.Sprintf("%s|%d|%s|%s", postcode, number, letter, addition)
}

// byPostcode searches by a key PostcodeKey wrote.
func byPostcode(a API, ctx context.Context, key string, _ connectors.Asked) ([]Address, error) {
	parts := strings.Split(key, "|")
	n, err := strconv.Atoi(parts[min(1, len(parts)-1)])
	if len(parts) != 4 || err != nil {
		return nil, invalid("bevraagAdressen", fmt.Errorf("search key %q is not postcode|number|letter|addition", key))
	}
	return a.AddressesByPostcode(ctx, parts[0], n, parts[2], parts[3])
}

// Registration describes the connector to the hub. BAG data is open data.
func Registration() connectors.Registration {
	return connectors.Registration{
		ID:          ID,
		Registry:    Registry,
		Description: "Addresses, residential objects and buildings from the Kadaster's BAG API Individuele Bevragingen v2.",
		New:         func(cfg connectors.Config) (connectors.Connector, error) { return New(cfg) },
		AuthHeader:  "X-Api-Key",
		Resource:    "adressen",
		Lookups: []connectors.Lookup{
			{
				Name: "addresses", Key: connectors.AddressID, Batch: 1, Data: connectors.OpenData,
				// An expanded address serves a plain look-up too: it holds
				// everything the plain one does.
				Vary: func(asked connectors.Asked) []string {
					if Expands(asked) {
						return []string{"expanded"}
					}
					return []string{"plain", "expanded"}
				},
				Fetch: connectors.Batched(func(a API, ctx context.Context, ids []string, asked connectors.Asked) (map[string]*Address, error) {
					return a.Addresses(ctx, ids, Expands(asked))
				}),
			},
			{
				Name: "addresses_by_postcode", Key: ByPostcode, Batch: 1, AbsentIsEmpty: true, Data: connectors.OpenData,
				Fetch: connectors.Single(byPostcode),
			},
		},
	}
}

var _ API = (*Client)(nil)
