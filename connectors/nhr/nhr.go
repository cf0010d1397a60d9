// Package nhr is the connector to the Handelsregister (NHR) through the
// KvK APIs Zoeken v2, Basisprofiel v1 and Vestigingsprofiel v1. The KvK
// APIs have no functionaries: for those it speaks a contract of our own
// (mocks/nhr/functionarissen.openapi.yaml) with the source configured as
// FunctionariesURL, and without one it reports them as not offered. It
// speaks JSON over the shared HTTP client and maps the API's shapes to the
// plain types in types.go.
package nhr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/httpclient"
	"github.com/poort-nl/poort/internal/ident"
)

// ID identifies the connector among the hub's registrations.
const ID = "kvk-handelsregister"

// AuthHeader is the header that carries the KvK API key. New uses it when
// the configuration gives a key but no header.
const AuthHeader = "apikey"

const (
	// parallel bounds the calls one batch makes at a time; KvK allows 100
	// requests a second per key.
	parallel = 8
	// checkKvKNumber is a well-formed KvK number no registration has, for
	// Check.
	checkKvKNumber = "00000000"
	// maxText bounds the free-text search parameters.
	maxText = 200
)

// accept lists the media types the KvK APIs answer with; Vestigingsprofiel
// declares only HAL+JSON, the others both.
var accept = []string{"application/json", "application/hal+json"}

// FunctionariesURL is the setting (POORT_NHR_FUNCTIONARIES_URL) that names
// the base URL of a source of the functionarissen contract, below which
// basisprofielen/{kvkNummer}/functionarissen and functionarissen/zoeken
// live.
const FunctionariesURL = "FUNCTIONARIES_URL"

// Client calls the KvK APIs, and the functionarissen contract where a
// source of it is configured. It is safe for concurrent use.
type Client struct {
	http *httpclient.Client
	// functionaries speaks the functionarissen contract; nil when no
	// source of it is configured.
	functionaries *httpclient.Client
}

// New builds a client from the configuration; BaseURL is the root of the
// KvK APIs, below which v1 and v2 live, e.g. "https://api.kvk.nl/api" (or
// "https://api.kvk.nl/test/api"), and Settings[FunctionariesURL] the base
// of the functionarissen contract, if any. The KvK API key goes to KvK
// only, never to the functionarissen source; both share the TLS
// configuration. It does not touch the network.
func New(cfg connectors.Config) (*Client, error) {
	if cfg.AuthHeader == "" && cfg.AuthValue != "" {
		cfg.AuthHeader = AuthHeader
	}
	h, err := httpclient.New(httpclient.Options{Config: cfg, Registry: Registry})
	if err != nil {
		return nil, fmt.Errorf("nhr connector: %w", err)
	}
	c := &Client{http: h}
	if base := cfg.Settings[FunctionariesURL]; base != "" {
		own := cfg
		own.BaseURL, own.AuthHeader, own.AuthValue = base, "", ""
		if c.functionaries, err = httpclient.New(httpclient.Options{Config: own, Registry: Registry}); err != nil {
			h.Close()
			return nil, fmt.Errorf("nhr connector: %s: %w", FunctionariesURL, err)
		}
	}
	return c, nil
}

// Registry returns Registry.
func (c *Client) Registry() connectors.Registry { return Registry }

// Close releases idle connections.
func (c *Client) Close() error {
	if c.functionaries != nil {
		c.functionaries.Close()
	}
	return c.http.Close()
}

// NotOffered names the functionaries while no source of the
// functionarissen contract is configured (connectors.Partial).
func (c *Client) NotOffered() []string {
	if c.functionaries == nil {
		return []string{"functionaries (" + FunctionariesURL + ")"}
	}
	return nil
}

// notOffered is the error of a functionarissen operation without a source
// of the contract: the KvK APIs have no functionaries.
func notOffered(op string) error {
	return &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrNotOffered,
		Detail: "the KvK APIs have no functionaries, and no source of the functionarissen contract is configured (" + FunctionariesURL + ")"}
}

// Check searches for a KvK number no registration has (operation
// getResults). KvK's IPD5200 "nothing found" proves the API works; a 404
// without it, such as a web server's page for a wrong base URL, does not.
func (c *Client) Check(ctx context.Context) error {
	q := url.Values{"kvkNummer": {checkKvKNumber}, "resultatenPerPagina": {"1"}}
	err := c.get(ctx, "getResults", "v2/zoeken", q, &resultaatJSON{})
	if _, err := nothingFound(err); err != nil {
		return err
	}
	return nil
}

// Company returns the registration with the KvK number, with its owner's
// legal form and its main branch with BAG identifiers, in one call
// (operation getBasisprofielByKvkNummer, with geoData). An unknown number
// is an error of kind connectors.ErrNotFound.
func (c *Client) Company(ctx context.Context, kvk string) (*Company, error) {
	const op = "getBasisprofielByKvkNummer"
	if _, err := ident.ParseKvKNumber(kvk); err != nil {
		return nil, invalid(op, err)
	}
	var out basisprofielJSON
	if err := c.get(ctx, op, "v1/basisprofielen/"+kvk, url.Values{"geoData": {"true"}}, &out); err != nil {
		return nil, err
	}
	co, err := out.company()
	if err != nil {
		return nil, invalidResponse(op, err)
	}
	return co, nil
}

// Companies returns the registrations with the KvK numbers, keyed by
// number; a number the registry does not know is absent. The API takes one
// number per call, so the calls run concurrently.
func (c *Client) Companies(ctx context.Context, kvks []string) (map[string]*Company, error) {
	return batch(ctx, "getBasisprofielByKvkNummer", kvks, ident.ParseKvKNumber, c.Company)
}

// Branches lists the branches of the registration with the KvK number
// (operation getVestigingen). An unknown number is an error of kind
// connectors.ErrNotFound.
func (c *Client) Branches(ctx context.Context, kvk string) ([]BranchSummary, error) {
	const op = "getVestigingen"
	if _, err := ident.ParseKvKNumber(kvk); err != nil {
		return nil, invalid(op, err)
	}
	var out vestigingListJSON
	if err := c.get(ctx, op, "v1/basisprofielen/"+kvk+"/vestigingen", nil, &out); err != nil {
		return nil, err
	}
	return out.summaries(), nil
}

// Branch returns the branch with the vestigingsnummer, with BAG identifiers
// (operation getVestigingByVestigingsnummer, with geoData). An unknown
// number is an error of kind connectors.ErrNotFound.
func (c *Client) Branch(ctx context.Context, number string) (*Branch, error) {
	const op = "getVestigingByVestigingsnummer"
	if _, err := ident.ParseBranchNumber(number); err != nil {
		return nil, invalid(op, err)
	}
	var out vestigingJSON
	if err := c.get(ctx, op, "v1/vestigingsprofielen/"+number, url.Values{"geoData": {"true"}}, &out); err != nil {
		return nil, err
	}
	b, err := out.branch()
	if err != nil {
		return nil, invalidResponse(op, err)
	}
	return b, nil
}

// BranchesByNumber returns the branches with the vestigingsnummers, keyed
// by number; a number the registry does not know is absent.
func (c *Client) BranchesByNumber(ctx context.Context, numbers []string) (map[string]*Branch, error) {
	return batch(ctx, "getVestigingByVestigingsnummer", numbers, ident.ParseBranchNumber, c.Branch)
}

// Search asks the Zoeken API for one page of results (operation
// getResults). Nothing found is an empty page, not an error.
func (c *Client) Search(ctx context.Context, q SearchQuery) (*SearchPage, error) {
	const op = "getResults"
	params, err := q.values()
	if err != nil {
		return nil, invalid(op, err)
	}
	var out resultaatJSON
	empty, err := nothingFound(c.get(ctx, op, "v2/zoeken", params, &out))
	switch {
	case err != nil:
		return nil, err
	case empty:
		perPage := q.PerPage
		if perPage == 0 {
			perPage = 10 // the API's default
		}
		return &SearchPage{Page: max(q.Page, 1), PerPage: perPage, Results: []SearchResult{}}, nil
	}
	return out.page(), nil
}

// Functionaries returns the functionaries of the registration with the KvK
// number, with their BSN (operation getFunctionarissen of our contract). An
// unknown number is an error of kind connectors.ErrNotFound; without a
// source of the contract, of kind connectors.ErrNotOffered.
func (c *Client) Functionaries(ctx context.Context, kvk string) ([]Functionary, error) {
	const op = "getFunctionarissen"
	if _, err := ident.ParseKvKNumber(kvk); err != nil {
		return nil, invalid(op, err)
	}
	if c.functionaries == nil {
		return nil, notOffered(op)
	}
	var out functionarisListJSON
	err := c.functionaries.Do(ctx, httpclient.Request{
		Operation: op, Method: http.MethodGet, Path: "basisprofielen/" + kvk + "/functionarissen", Accept: accept,
	}, &out)
	if err != nil {
		return nil, err
	}
	fs, err := out.functionaries()
	if err != nil {
		return nil, invalidResponse(op, err)
	}
	return fs, nil
}

// RolesOfPerson returns the active registrations in which the person with
// the BSN is a functionary (operation zoekFunctionarissen of our contract).
// The BSN goes in the body of a POST, never in the URL; the POST changes
// nothing, so it may be retried. None is an empty result, not an error;
// without a source of the contract, it is an error of kind
// connectors.ErrNotOffered.
func (c *Client) RolesOfPerson(ctx context.Context, bsn string) ([]Role, error) {
	const op = "zoekFunctionarissen"
	if _, err := ident.ParseBSN(bsn); err != nil {
		return nil, invalid(op, err)
	}
	if c.functionaries == nil {
		return nil, notOffered(op)
	}
	var out inschrijvingListJSON
	empty, err := nothingFound(c.functionaries.Do(ctx, httpclient.Request{
		Operation: op, Method: http.MethodPost, Path: "functionarissen/zoeken",
		Body: map[string]string{"burgerservicenummer": bsn}, Idempotent: true, Accept: accept,
	}, &out))
	switch {
	case err != nil:
		return nil, err
	case empty:
		return []Role{}, nil
	}
	roles, err := out.roles()
	if err != nil {
		return nil, invalidResponse(op, err)
	}
	return roles, nil
}

func (c *Client) get(ctx context.Context, op, path string, q url.Values, out any) error {
	return c.http.Do(ctx, httpclient.Request{Operation: op, Method: http.MethodGet, Path: path, Query: q, Accept: accept}, out)
}

var (
	errNoCriterion = errors.New("a search needs a KvK number, vestigingsnummer, RSIN, name, street, place or postcode with house number")
	errPostcode    = errors.New("a postcode and a house number are searched together")
	errHouseLetter = errors.New("a house letter is one letter a-z, searched with a house number")
	errType        = errors.New("a result type is hoofdvestiging, nevenvestiging or rechtspersoon")
	errPage        = errors.New("a page is 1 to 1000")
	errPerPage     = errors.New("results per page are 1 to 100")
	errText        = fmt.Errorf("a name, street or place has at most %d characters", maxText)
)

// values checks the query against the Zoeken API's rules and encodes it.
// Its errors name the rule broken, never the input.
func (q SearchQuery) values() (url.Values, error) {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	if q.KvKNumber != "" {
		if _, err := ident.ParseKvKNumber(q.KvKNumber); err != nil {
			return nil, err
		}
	}
	if q.BranchNumber != "" {
		if _, err := ident.ParseBranchNumber(q.BranchNumber); err != nil {
			return nil, err
		}
	}
	if q.RSIN != "" {
		if _, err := ident.ParseRSIN(q.RSIN); err != nil {
			return nil, err
		}
	}
	name, street, place := strings.TrimSpace(q.Name), strings.TrimSpace(q.Street), strings.TrimSpace(q.Place)
	if len(name) > maxText || len(street) > maxText || len(place) > maxText {
		return nil, errText
	}
	set("kvkNummer", q.KvKNumber)
	set("vestigingsnummer", q.BranchNumber)
	set("rsin", q.RSIN)
	set("naam", name)
	set("straatnaam", street)
	set("plaats", place)
	switch {
	case (q.Postcode == "") != (q.HouseNumber == 0):
		return nil, errPostcode
	case q.Postcode != "":
		pc, err := ident.ParsePostcode(q.Postcode)
		if err != nil {
			return nil, err
		}
		if _, err := ident.ParseHouseNumber(q.HouseNumber); err != nil {
			return nil, err
		}
		v.Set("postcode", pc)
		v.Set("huisnummer", strconv.Itoa(q.HouseNumber))
	}
	if q.HouseLetter != "" {
		if c := q.HouseLetter[0] | 0x20; len(q.HouseLetter) != 1 || c < 'a' || c > 'z' || q.HouseNumber == 0 {
			return nil, errHouseLetter
		}
		v.Set("huisletter", q.HouseLetter)
	}
	if len(v) == 0 {
		return nil, errNoCriterion
	}
	switch q.Type {
	case "":
	case MainBranchResult, SideBranchResult, LegalEntityResult:
		v.Set("type", string(q.Type))
	default:
		return nil, errType
	}
	if q.IncludeInactive {
		v.Set("inclusiefInactieveRegistraties", "true")
	}
	if q.Page < 0 || q.Page > 1000 {
		return nil, errPage
	}
	if q.PerPage < 0 || q.PerPage > 100 {
		return nil, errPerPage
	}
	if q.Page > 0 {
		v.Set("pagina", strconv.Itoa(q.Page))
	}
	if q.PerPage > 0 {
		v.Set("resultatenPerPagina", strconv.Itoa(q.PerPage))
	}
	return v, nil
}

// batch looks up each distinct key once, concurrently, keeping what is
// found. Every key is checked before any call is made.
func batch[T any](ctx context.Context, op string, keys []string, check func(string) (string, error), one func(context.Context, string) (*T, error)) (map[string]*T, error) {
	distinct := make([]string, 0, len(keys))
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if _, err := check(k); err != nil {
			return nil, invalid(op, err)
		}
		if !seen[k] {
			seen[k] = true
			distinct = append(distinct, k)
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
