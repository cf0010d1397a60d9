// Package brk is the connector to the Kadaster's BRK-Bevragen API v2 (Haal
// Centraal, Basisregistratie Kadaster): the parcels and apartment rights
// at an address, the rights held on them and by whom, what a person holds,
// and the public-law restrictions on a parcel, such as a monument's. It
// speaks HAL+JSON over the shared HTTP client, as the OpenAPI document in
// mocks/brk/spec describes, and maps the API's shapes to the plain types in
// types.go.
package brk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/httpclient"
	"github.com/poort-nl/poort/internal/ident"
)

// ID identifies the connector among the hub's registrations.
const ID = "brk-bevragen-v2"

// AuthHeader is the header that carries the API key (security scheme
// apiKeyAuth). New uses it when the configuration gives a key but no
// header.
const AuthHeader = "X-Api-Key"

// The API operations, by their operationId.
const (
	opZaken        = "GetKadastraalOnroerendeZaken"
	opZakenMetBSN  = "ZoekKadastraalOnroerendeZakenMetBsn"
	opZaak         = "GetKadastraalOnroerendeZaak"
	opGerechtigden = "GetZakelijkGerechtigden"
	opBeperkingen  = "GetPubliekrechtelijkeBeperkingen"
)

const (
	mediaHAL = "application/hal+json"
	// parallel bounds the calls one person's holdings make at a time.
	parallel = 8
	// checkParcelID is a well-formed identification that no kadastrale
	// gemeente (0000) can have, for Check.
	checkParcelID = "00000000070000"
)

// Client calls the BRK-Bevragen API. It is safe for concurrent use.
type Client struct {
	http *httpclient.Client
}

// New builds a client from the configuration; BaseURL is the API's base,
// e.g. "https://api.brk.kadaster.nl/esd/bevragen/v2". It does not touch
// the network.
func New(cfg connectors.Config) (*Client, error) {
	if cfg.AuthHeader == "" && cfg.AuthValue != "" {
		cfg.AuthHeader = AuthHeader
	}
	h, err := httpclient.New(httpclient.Options{Config: cfg, Registry: Registry})
	if err != nil {
		return nil, fmt.Errorf("brk connector: %w", err)
	}
	return &Client{http: h}, nil
}

// Registry returns Registry.
func (c *Client) Registry() connectors.Registry { return Registry }

// Close releases idle connections.
func (c *Client) Close() error { return c.http.Close() }

// Check asks for a zaak that cannot exist (GetKadastraalOnroerendeZaak).
// The API's own notFound problem proves it answers; a 404 without it, such
// as a web server's page for a wrong base URL, does not.
func (c *Client) Check(ctx context.Context) error {
	err := c.get(ctx, opZaak, "kadastraalonroerendezaken/"+checkParcelID, nil, &zaakWire{})
	var ce *connectors.Error
	if errors.As(err, &ce) && ce.Kind == connectors.ErrNotFound && slices.Contains(ce.Codes, "notFound") {
		return nil
	}
	return err
}

// ParcelsAt returns the parcels and apartment rights the BAG address
// (nummeraanduiding) is registered at (GetKadastraalOnroerendeZaken by
// nummeraanduidingIdentificatie); none is an empty result.
func (c *Client) ParcelsAt(ctx context.Context, addressID string) ([]Parcel, error) {
	if _, err := ident.ParseAddressID(addressID); err != nil {
		return nil, invalid(opZaken, err)
	}
	var out zakenCollection
	if err := c.get(ctx, opZaken, "kadastraalonroerendezaken", url.Values{"nummeraanduidingIdentificatie": {addressID}}, &out); err != nil {
		return nil, err
	}
	return parcels(opZaken, out)
}

// Rights returns the rights held on the parcel and their holders
// (GetZakelijkGerechtigden). A land parcel split into apartment rights has
// none of its own. An unknown parcel is an error of kind
// connectors.ErrNotFound.
func (c *Client) Rights(ctx context.Context, parcelID string) ([]Right, error) {
	if err := checkParcelIDOf(parcelID); err != nil {
		return nil, invalid(opGerechtigden, err)
	}
	var out gerechtigdenCollection
	if err := c.get(ctx, opGerechtigden, "kadastraalonroerendezaken/"+parcelID+"/zakelijkgerechtigden", nil, &out); err != nil {
		return nil, err
	}
	rights := make([]Right, 0, len(out.Embedded.Gerechtigden))
	for i := range out.Embedded.Gerechtigden {
		r, err := out.Embedded.Gerechtigden[i].right()
		if err != nil {
			return nil, invalidResponse(opGerechtigden, err)
		}
		rights = append(rights, r)
	}
	return rights, nil
}

// HoldingsOf returns what the person with the BSN holds: each parcel the
// BRK finds for the BSN (ZoekKadastraalOnroerendeZakenMetBsn) with the
// person's right on it. That search names no zakelijk gerechtigden, so
// the rights of each parcel are asked in a call of their own
// (GetZakelijkGerechtigden), at most 8 at a time. A person holding nothing
// is an empty result.
func (c *Client) HoldingsOf(ctx context.Context, bsn string) ([]Holding, error) {
	if len(bsn) != 9 || strings.Trim(bsn, "0123456789") != "" {
		// The API takes a BSN as the BRP does: nine digits, without the
		// elfproef; the hub's edge keeps that.
		return nil, invalid(opZakenMetBSN, errors.New("a BSN has exactly 9 digits"))
	}
	var out zakenCollection
	r := httpclient.Request{
		Operation: opZakenMetBSN, Method: http.MethodPost, Path: "kadastraalonroerendezaken",
		Body: map[string]string{"burgerservicenummer": bsn}, Idempotent: true, Accept: []string{mediaHAL},
	}
	if err := c.http.Do(ctx, r, &out); err != nil {
		return nil, err
	}
	ps, err := parcels(opZakenMetBSN, out)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	rights, err := connectors.Batches(ctx, ids, 1, parallel, func(ctx context.Context, id []string) (map[string][]Right, error) {
		rs, err := c.Rights(ctx, id[0])
		if errors.Is(err, connectors.ErrNotFound) {
			return nil, nil
		}
		return map[string][]Right{id[0]: rs}, err
	})
	if err != nil {
		return nil, err
	}
	var holdings []Holding
	for _, p := range ps {
		for _, r := range rights[p.ID] {
			if r.Holder.BSN() == bsn {
				holdings = append(holdings, Holding{Parcel: p, Right: r})
			}
		}
	}
	return holdings, nil
}

// Restrictions returns the public-law restrictions on the parcel
// (GetPubliekrechtelijkeBeperkingen); none is an empty result.
func (c *Client) Restrictions(ctx context.Context, parcelID string) ([]Restriction, error) {
	if err := checkParcelIDOf(parcelID); err != nil {
		return nil, invalid(opBeperkingen, err)
	}
	var out beperkingenCollection
	q := url.Values{"kadastraalOnroerendeZaakIdentificatie": {parcelID}}
	if err := c.get(ctx, opBeperkingen, "publiekrechtelijkebeperkingen", q, &out); err != nil {
		return nil, err
	}
	rs := make([]Restriction, 0, len(out.Embedded.Beperkingen))
	for i := range out.Embedded.Beperkingen {
		r, err := out.Embedded.Beperkingen[i].restriction()
		if err != nil {
			return nil, invalidResponse(opBeperkingen, err)
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// get calls one GET operation below the base URL.
func (c *Client) get(ctx context.Context, op, path string, q url.Values, out any) error {
	return c.http.Do(ctx, httpclient.Request{Operation: op, Method: http.MethodGet, Path: path, Query: q, Accept: []string{mediaHAL}}, out)
}

func parcels(op string, out zakenCollection) ([]Parcel, error) {
	ps := make([]Parcel, 0, len(out.Embedded.Zaken))
	for i := range out.Embedded.Zaken {
		p, err := out.Embedded.Zaken[i].parcel()
		if err != nil {
			return nil, invalidResponse(op, err)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

var errParcelID = errors.New("a kadastraal onroerende zaak identification has 1 to 20 digits")

// checkParcelIDOf checks an identification before it goes into a path:
// the API gives it no pattern, but the Kadaster's are digits.
func checkParcelIDOf(id string) error {
	if id == "" || len(id) > 20 || strings.Trim(id, "0123456789") != "" {
		return errParcelID
	}
	return nil
}

func invalid(op string, err error) error {
	return &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrInvalidRequest, Detail: err.Error(), Err: err}
}

func invalidResponse(op string, err error) error {
	return &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrInvalidResponse, Detail: err.Error(), Err: err}
}
