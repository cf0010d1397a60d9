// Package uwv is the connector to UWV's employment history
// (polisadministratie) and WW benefits.
//
// UWV has no public REST API; the connector speaks the hub's own JSON
// contract "UWV Suwi JSON" v1, which mirrors the Suwinet services
// UWVDossierInkomstenGSD (UWVPersoonsIkvInfo) and
// UWVDossierWerknemersverzekeringenGSD (UWVPersoonsWvInfo) with their SuwiML
// element names. The contract is mocks/uwv/uwv-suwi.openapi.yaml; a gateway
// in front of Suwinet, or the mock, serves it.
package uwv

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/httpclient"
	"github.com/poort-nl/poort/internal/ident"
)

// ID identifies the connector in the hub's configuration.
const ID = "uwv-suwi-json"

// DefaultAuthHeader carries the credentials when Config.AuthValue is set
// and Config.AuthHeader is not.
const DefaultAuthHeader = "X-Api-Key"

// MaxBatch is the most BSNs the registry takes in one call; larger requests
// are split.
const MaxBatch = 20

// maxInFlight bounds the concurrent calls of one split request, so one
// large request cannot take all of the registry's capacity.
const maxInFlight = 4

// The registry operations, named after the Suwinet operations they mirror.
const (
	opEmployments = "UWVPersoonsIkvInfo"
	opBenefits    = "UWVPersoonsWvInfo"
	opStatus      = "Status"
)

// Client calls the UWV registry. It is safe for concurrent use.
type Client struct {
	http *httpclient.Client
}

// New builds a client for the registry at cfg.BaseURL, e.g.
// "https://uwv.example.nl/uwv/v1". It does not touch the network.
func New(cfg connectors.Config) (*Client, error) {
	if cfg.AuthValue != "" && cfg.AuthHeader == "" {
		cfg.AuthHeader = DefaultAuthHeader
	}
	hc, err := httpclient.New(httpclient.Options{Config: cfg, Registry: connectors.UWV})
	if err != nil {
		return nil, fmt.Errorf("uwv: %w", err)
	}
	return &Client{http: hc}, nil
}

// Registration registers the connector with the hub.
func Registration() connectors.Registration {
	return connectors.Registration{
		ID:          ID,
		Registry:    connectors.UWV,
		Description: "UWV employment history and WW benefits over a JSON contract mirroring the Suwinet services UWVPersoonsIkvInfo and UWVPersoonsWvInfo.",
		New: func(cfg connectors.Config) (connectors.Connector, error) {
			c, err := New(cfg)
			if err != nil {
				return nil, err
			}
			return c, nil
		},
	}
}

// Registry returns connectors.UWV.
func (c *Client) Registry() connectors.Registry { return connectors.UWV }

// Close releases idle connections.
func (c *Client) Close() error { return c.http.Close() }

// Check asks the registry's status endpoint; the registry is healthy when
// it answers {"status":"ok"}.
func (c *Client) Check(ctx context.Context) error {
	var s struct {
		Status string `json:"status"`
	}
	if err := c.http.Do(ctx, httpclient.Request{Operation: opStatus, Method: http.MethodGet, Path: "status"}, &s); err != nil {
		return notServed(err)
	}
	if s.Status != "ok" {
		return &connectors.Error{Registry: connectors.UWV, Operation: opStatus, Kind: connectors.ErrUnavailable,
			Status: http.StatusOK, Detail: fmt.Sprintf("status %q", s.Status)}
	}
	return nil
}

// Employments returns the income relations of the persons, keyed by BSN,
// each person's in the registry's order (oldest first). A person UWV holds
// nothing for is absent from the map. It calls UWVPersoonsIkvInfo with at
// most MaxBatch BSNs per call. Errors are *connectors.Error: ErrInvalidRequest
// for a BSN that fails ident.ParseBSN (nothing is asked then), otherwise the
// kind of the failed call.
func (c *Client) Employments(ctx context.Context, bsns []string) (map[string][]Employment, error) {
	return inBatches(ctx, opEmployments, bsns, func(ctx context.Context, batch []string) (map[string][]Employment, error) {
		var resp ikvAntwoord
		if err := c.query(ctx, opEmployments, "inkomstenverhoudingen", batch, &resp); err != nil {
			return nil, err
		}
		out, err := resp.employments()
		if err != nil {
			return nil, invalidResponse(opEmployments, err)
		}
		return out, nil
	})
}

// Benefits returns the WW and other employee-insurance benefit relations of
// the persons, keyed by BSN. A person without any is absent from the map. It
// calls UWVPersoonsWvInfo with at most MaxBatch BSNs per call; errors are as
// for Employments.
func (c *Client) Benefits(ctx context.Context, bsns []string) (map[string][]Benefit, error) {
	return inBatches(ctx, opBenefits, bsns, func(ctx context.Context, batch []string) (map[string][]Benefit, error) {
		var resp wvAntwoord
		if err := c.query(ctx, opBenefits, "werknemersverzekeringen", batch, &resp); err != nil {
			return nil, err
		}
		out, err := resp.benefits()
		if err != nil {
			return nil, invalidResponse(opBenefits, err)
		}
		return out, nil
	})
}

// query POSTs one batch. The POST is a query and changes nothing, so it may
// be retried. An unknown person is listed under NietsGevonden, never
// answered with a 404.
func (c *Client) query(ctx context.Context, op, path string, batch []string, out any) error {
	return notServed(c.http.Do(ctx, httpclient.Request{
		Operation: op, Method: http.MethodPost, Path: path,
		Body: query{Burgerservicenummers: batch}, Idempotent: true,
	}, out))
}

// notServed turns a 404 into ErrUnavailable: no operation of this API
// answers 404 for data it does not hold, so a 404 means the base URL points
// at something that does not serve the API.
func notServed(err error) error {
	var ce *connectors.Error
	if errors.As(err, &ce) && ce.Kind == connectors.ErrNotFound {
		moved := *ce
		moved.Kind, moved.Detail = connectors.ErrUnavailable, "the operation is not served at the base URL"
		return &moved
	}
	return err
}

// inBatches checks and de-duplicates the BSNs, splits them into batches of
// MaxBatch, runs the batches concurrently and merges their answers. It makes
// sure an answer names only persons that batch asked for.
func inBatches[T any](ctx context.Context, op string, bsns []string, call func(context.Context, []string) (map[string]T, error)) (map[string]T, error) {
	unique := make([]string, 0, len(bsns))
	seen := make(map[string]bool, len(bsns))
	for i, b := range bsns {
		if _, err := ident.ParseBSN(b); err != nil {
			return nil, &connectors.Error{Registry: connectors.UWV, Operation: op, Kind: connectors.ErrInvalidRequest,
				Detail: fmt.Sprintf("bsns[%d]", i), Err: err}
		}
		if !seen[b] {
			seen[b] = true
			unique = append(unique, b)
		}
	}
	return connectors.Batches(ctx, unique, MaxBatch, maxInFlight, func(ctx context.Context, batch []string) (map[string]T, error) {
		got, err := call(ctx, batch)
		if err != nil {
			return nil, err
		}
		for bsn := range got {
			if !slices.Contains(batch, bsn) {
				return nil, invalidResponse(op, errors.New("the answer names a person that was not asked for"))
			}
		}
		return got, nil
	})
}

func invalidResponse(op string, err error) *connectors.Error {
	return &connectors.Error{Registry: connectors.UWV, Operation: op, Kind: connectors.ErrInvalidResponse,
		Status: http.StatusOK, Detail: "the answer does not follow the contract", Err: err}
}

var _ connectors.Connector = (*Client)(nil)
