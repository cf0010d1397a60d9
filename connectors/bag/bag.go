// Package bag is the connector to the Kadaster's BAG API Individuele
// Bevragingen v2 (Basisregistratie Adressen en Gebouwen): addresses,
// adresseerbare objecten with their surface and use, and panden with their
// year built. It speaks HAL+JSON over the shared HTTP client and maps the
// API's shapes to the plain types in types.go.
package bag

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"golang.org/x/sync/errgroup"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/httpclient"
	"github.com/poort-nl/poort/internal/ident"
)

// ID identifies the connector among the hub's registrations.
const ID = "bag-individuele-bevragingen-v2"

// AuthHeader is the header that carries the API key. New uses it when the
// configuration gives a key but no header.
const AuthHeader = "X-Api-Key"

const (
	mediaHAL = "application/hal+json"
	// crsRD asks for geometry in Rijksdriehoek coordinates, the only system
	// the API has; older versions refuse geometry without it.
	crsRD = "epsg:28992"
	// pageSize is the API's largest page, so a search takes few calls.
	pageSize = 100
	// maxPages bounds one search to 5,000 addresses.
	maxPages = 50
	// parallel bounds the calls one batch or search makes at a time, so a
	// large batch does not trip the API's rate limit.
	parallel = 8
	// checkBuildingID is a pand identification of the well-formed kind that
	// no municipality (code 0000) can have, for Check.
	checkBuildingID = "0000100000000000"
)

// Client calls the BAG API. It is safe for concurrent use.
type Client struct {
	http *httpclient.Client
}

// New builds a client from the configuration; BaseURL is the API's base,
// e.g. "https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2". It
// does not touch the network.
func New(cfg connectors.Config) (*Client, error) {
	if cfg.AuthHeader == "" && cfg.AuthValue != "" {
		cfg.AuthHeader = AuthHeader
	}
	h, err := httpclient.New(httpclient.Options{Config: cfg, Registry: Registry})
	if err != nil {
		return nil, fmt.Errorf("bag connector: %w", err)
	}
	return &Client{http: h}, nil
}

// Registry returns Registry.
func (c *Client) Registry() connectors.Registry { return Registry }

// Close releases idle connections.
func (c *Client) Close() error { return c.http.Close() }

// Check asks for a pand that cannot exist (operation pandIdentificatie).
// The API's own notFound problem proves it works; a 404 without it, such as
// a web server's page for a wrong base URL, does not.
func (c *Client) Check(ctx context.Context) error {
	const op = "pandIdentificatie"
	err := c.get(ctx, op, "panden/"+checkBuildingID, nil, true, &pandHal{})
	var ce *connectors.Error
	if errors.As(err, &ce) && ce.Kind == connectors.ErrNotFound && slices.Contains(ce.Codes, "notFound") {
		return nil
	}
	return err
}

// Address returns the address with the nummeraanduiding identification
// (operation bevraagAdressenMetNumId). With expand it asks in the same call
// for the adresseerbaar object and the panden and fills Object and
// Buildings. An unknown id is an error of kind connectors.ErrNotFound.
func (c *Client) Address(ctx context.Context, id string, expand bool) (*Address, error) {
	const op = "bevraagAdressenMetNumId"
	if _, err := ident.ParseAddressID(id); err != nil {
		return nil, invalid(op, err)
	}
	var q url.Values
	if expand {
		q = url.Values{"expand": {"adresseerbaarObject,panden"}}
	}
	var out adresHal
	if err := c.get(ctx, op, "adressen/"+id, q, expand, &out); err != nil {
		return nil, err
	}
	a, err := out.address()
	if err != nil {
		return nil, invalidResponse(op, err)
	}
	return &a, nil
}

// Addresses returns the addresses with the identifications, keyed by
// identification; an id the BAG does not know is absent. The API takes one
// id per call, so the calls run concurrently.
func (c *Client) Addresses(ctx context.Context, ids []string, expand bool) (map[string]*Address, error) {
	return batch(ctx, "bevraagAdressenMetNumId", ids, ident.ParseAddressID, func(ctx context.Context, id string) (*Address, error) {
		return c.Address(ctx, id, expand)
	})
}

// AddressesByPostcode returns the current addresses with the postcode and
// house number (operation bevraagAdressen), ordered as the API orders them.
// With a letter or an addition it asks for an exact match (exacteMatch),
// so 1A finds 1A but not 1A-2; with neither it finds every address with the
// number. None found is an empty result, not an error.
func (c *Client) AddressesByPostcode(ctx context.Context, postcode string, number int, letter, addition string) ([]Address, error) {
	const op = "bevraagAdressen"
	pc, err := ident.ParsePostcode(postcode)
	if err == nil {
		_, err = ident.ParseHouseNumber(number)
	}
	if err == nil {
		err = checkLetterAndAddition(letter, addition)
	}
	if err != nil {
		return nil, invalid(op, err)
	}
	q := url.Values{"postcode": {pc}, "huisnummer": {strconv.Itoa(number)}}
	if letter != "" || addition != "" {
		q.Set("exacteMatch", "true")
	}
	if letter != "" {
		q.Set("huisletter", letter)
	}
	if addition != "" {
		q.Set("huisnummertoevoeging", addition)
	}
	return c.search(ctx, op, q)
}

// AddressesByObject returns the current addresses of the adresseerbaar
// object, its main address and any secondary ones (operation
// bevraagAdressen).
func (c *Client) AddressesByObject(ctx context.Context, objectID string) ([]Address, error) {
	const op = "bevraagAdressen"
	if _, err := ident.ParseObjectID(objectID); err != nil {
		return nil, invalid(op, err)
	}
	return c.search(ctx, op, url.Values{"adresseerbaarObjectIdentificatie": {objectID}})
}

// AddressesByBuilding returns the current addresses of the objects in the
// pand (operation bevraagAdressen), at most 5,000.
func (c *Client) AddressesByBuilding(ctx context.Context, buildingID string) ([]Address, error) {
	const op = "bevraagAdressen"
	if _, err := ident.ParseBuildingID(buildingID); err != nil {
		return nil, invalid(op, err)
	}
	return c.search(ctx, op, url.Values{"pandIdentificatie": {buildingID}})
}

// Object returns the adresseerbaar object with the identification
// (operation bevragenAdresseerbaarObject). An unknown id is an error of
// kind connectors.ErrNotFound.
func (c *Client) Object(ctx context.Context, id string) (*Object, error) {
	const op = "bevragenAdresseerbaarObject"
	if _, err := ident.ParseObjectID(id); err != nil {
		return nil, invalid(op, err)
	}
	var out adresseerbaarObjectHal
	if err := c.get(ctx, op, "adresseerbareobjecten/"+id, nil, true, &out); err != nil {
		return nil, err
	}
	o, err := out.object()
	if err != nil {
		return nil, invalidResponse(op, err)
	}
	return &o, nil
}

// Objects returns the adresseerbare objecten with the identifications,
// keyed by identification; an id the BAG does not know is absent.
func (c *Client) Objects(ctx context.Context, ids []string) (map[string]*Object, error) {
	return batch(ctx, "bevragenAdresseerbaarObject", ids, ident.ParseObjectID, c.Object)
}

// Building returns the pand with the identification (operation
// pandIdentificatie). An unknown id is an error of kind
// connectors.ErrNotFound.
func (c *Client) Building(ctx context.Context, id string) (*Building, error) {
	const op = "pandIdentificatie"
	if _, err := ident.ParseBuildingID(id); err != nil {
		return nil, invalid(op, err)
	}
	var out pandHal
	if err := c.get(ctx, op, "panden/"+id, nil, true, &out); err != nil {
		return nil, err
	}
	b, err := out.building()
	if err != nil {
		return nil, invalidResponse(op, err)
	}
	return &b, nil
}

// Buildings returns the panden with the identifications, keyed by
// identification; an id the BAG does not know is absent.
func (c *Client) Buildings(ctx context.Context, ids []string) (map[string]*Building, error) {
	return batch(ctx, "pandIdentificatie", ids, ident.ParseBuildingID, c.Building)
}

// get calls one GET operation below the base URL. Calls whose answer holds
// geometry ask for Rijksdriehoek coordinates.
func (c *Client) get(ctx context.Context, op, path string, q url.Values, geometry bool, out any) error {
	r := httpclient.Request{Operation: op, Method: http.MethodGet, Path: path, Query: q, Accept: []string{mediaHAL}}
	if geometry {
		r.Header = http.Header{"Accept-Crs": {crsRD}}
	}
	return c.http.Do(ctx, r, out)
}

// search runs a bevraagAdressen query through all its pages. The first
// page's last link tells how many there are; the rest are fetched
// concurrently. An API that gives a next link but no last link is followed
// page by page.
func (c *Client) search(ctx context.Context, op string, q url.Values) ([]Address, error) {
	first, err := c.page(ctx, op, q, 1)
	if err != nil {
		return nil, err
	}
	pages := []*adresCollection{first}
	last, known := pageOf(first.Links.Last)
	switch {
	case known && last > maxPages:
		return nil, tooMany(op)
	case known && last > 1:
		rest := make([]*adresCollection, last-1)
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(parallel)
		for i := range rest {
			g.Go(func() (err error) {
				rest[i], err = c.page(gctx, op, q, i+2)
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		pages = append(pages, rest...)
	case !known:
		for p := pages[0]; p.Links.Next != nil; {
			if len(pages) == maxPages {
				return nil, tooMany(op)
			}
			if p, err = c.page(ctx, op, q, len(pages)+1); err != nil {
				return nil, err
			}
			pages = append(pages, p)
		}
	}
	var out []Address
	for _, p := range pages {
		for i := range p.Embedded.Adressen {
			a, err := p.Embedded.Adressen[i].address()
			if err != nil {
				return nil, invalidResponse(op, err)
			}
			out = append(out, a)
		}
	}
	return out, nil
}

func (c *Client) page(ctx context.Context, op string, q url.Values, n int) (*adresCollection, error) {
	pq := make(url.Values, len(q)+2)
	for k, v := range q {
		pq[k] = v
	}
	pq.Set("pageSize", strconv.Itoa(pageSize))
	if n > 1 {
		pq.Set("page", strconv.Itoa(n))
	}
	var out adresCollection
	if err := c.get(ctx, op, "adressen", pq, false, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// batch looks up each distinct id once, concurrently, keeping what is found.
// Every id is checked before any call is made.
func batch[T any](ctx context.Context, op string, ids []string, check func(string) (string, error), one func(context.Context, string) (*T, error)) (map[string]*T, error) {
	distinct := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if _, err := check(id); err != nil {
			return nil, invalid(op, err)
		}
		if !seen[id] {
			seen[id] = true
			distinct = append(distinct, id)
		}
	}
	return connectors.Batches(ctx, distinct, 1, parallel, func(ctx context.Context, batch []string) (map[string]*T, error) {
		v, err := one(ctx, batch[0])
		switch {
		case errors.Is(err, connectors.ErrNotFound):
			return nil, nil
		case err != nil:
			return nil, err
		}
		return map[string]*T{batch[0]: v}, nil
	})
}

var _ connectors.Connector = (*Client)(nil)
