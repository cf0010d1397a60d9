// Package rdw is the connector to the RDW: vehicles by licence plate from
// RDW open data (Socrata datasets m9d7-ebf2 and 8ys7-d773), and the
// vehicles a person or organisation holds and a person's driving licences
// from the RDW dossier, a JSON contract of our own modelled on the Suwinet
// service RDWDossierGSD (mocks/rdw/rdw-dossier.openapi.yaml), because RDW
// publishes no API for holders or licences. The dossier has a base URL of
// its own (DossierURL); without one, holders and licences are reported as
// not offered.
package rdw

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/httpclient"
	"github.com/poort-nl/poort/internal/ident"
)

// ID identifies the connector in the hub's configuration.
const ID = "rdw-voertuigen"

// AppTokenHeader is the header of RDW open data's optional app token;
// without one, Socrata throttles. Set it as Config.AuthHeader.
const AppTokenHeader = "X-App-Token"

// Batch sizes. Socrata has no fixed cap on in(), but a URL of 50 plates
// stays well under the lengths proxies accept; the dossier takes at most 20
// subjects per call, as BRP does.
const (
	MaxPlatesPerCall   = 50
	MaxSubjectsPerCall = 20
)

// maxInFlight bounds the concurrent calls of one split request, so one
// large request cannot take all of the registry's capacity.
const maxInFlight = 4

// Paths below the open data base URL and below the dossier's.
const (
	vehiclesPath = "resource/m9d7-ebf2.json"
	fuelsPath    = "resource/8ys7-d773.json"
	holdingsPath = "voertuigbezit"
	licencesPath = "rijbewijzen"
)

// DossierURL is the setting (POORT_RDW_DOSSIER_URL) that names the base URL
// of a source of the dossier contract, below which voertuigbezit and
// rijbewijzen live.
const DossierURL = "DOSSIER_URL"

// The registry operations: the open data datasets by name and the dossier
// operations by their operationId.
const (
	opVehicles = "GekentekendeVoertuigen"
	opFuels    = "GekentekendeVoertuigenBrandstof"
	opHoldings = "VoertuigbezitInfo"
	opLicences = "RijbewijzenInfo"
)

// Client calls the RDW. It is safe for concurrent use.
type Client struct {
	http *httpclient.Client
	// dossier speaks the dossier contract; nil when no source of it is
	// configured.
	dossier *httpclient.Client
}

// New builds a client for RDW open data at cfg.BaseURL (below which
// resource/... lives, e.g. "https://opendata.rdw.nl"), and for the
// dossier at cfg.Settings[DossierURL], if given. The open data app token
// goes to open data only, never to the dossier; both share the TLS
// configuration. It does not touch the network.
func New(cfg connectors.Config) (*Client, error) {
	hc, err := httpclient.New(httpclient.Options{Config: cfg, Registry: Registry})
	if err != nil {
		return nil, fmt.Errorf("rdw: %w", err)
	}
	c := &Client{http: hc}
	if base := cfg.Settings[DossierURL]; base != "" {
		own := cfg
		own.BaseURL, own.AuthHeader, own.AuthValue = base, "", ""
		if c.dossier, err = httpclient.New(httpclient.Options{Config: own, Registry: Registry}); err != nil {
			hc.Close()
			return nil, fmt.Errorf("rdw: %s: %w", DossierURL, err)
		}
	}
	return c, nil
}

// Registry returns Registry.
func (c *Client) Registry() connectors.Registry { return Registry }

// Close releases idle connections.
func (c *Client) Close() error {
	if c.dossier != nil {
		c.dossier.Close()
	}
	return c.http.Close()
}

// NotOffered names vehicle holders and driving licences while no source
// of the dossier contract is configured (connectors.Partial).
func (c *Client) NotOffered() []string {
	if c.dossier == nil {
		return []string{"vehicle holders (" + DossierURL + ")", "driving licences (" + DossierURL + ")"}
	}
	return nil
}

// Check asks open data for one plate of the vehicles dataset. Any JSON
// array, also an empty one, proves the registry answers queries.
func (c *Client) Check(ctx context.Context) error {
	var rows []struct{}
	q := url.Values{"$select": {"kenteken"}, "$limit": {"1"}}
	return c.http.Do(ctx, httpclient.Request{Operation: opVehicles, Method: http.MethodGet, Path: vehiclesPath, Query: q}, &rows)
}

// VehicleByPlate returns the vehicle with the plate (dashes and lower case
// allowed), or a *connectors.Error of kind ErrNotFound when the register
// does not know it.
func (c *Client) VehicleByPlate(ctx context.Context, plate string, opts ...VehicleOption) (*Vehicle, error) {
	vs, err := c.VehiclesByPlate(ctx, []string{plate}, opts...)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		return v, nil
	}
	return nil, &connectors.Error{Registry: Registry, Operation: opVehicles, Kind: connectors.ErrNotFound,
		Detail: "no vehicle with this plate"}
}

// VehicleOption adjusts a vehicle look-up.
type VehicleOption func(*vehicleLookup)

type vehicleLookup struct{ fuels bool }

// WithFuels also asks the fuels dataset, to fill Vehicle.Fuels. It costs a
// second call per batch, so only callers that show the fuels ask for it.
func WithFuels() VehicleOption { return func(l *vehicleLookup) { l.fuels = true } }

// VehiclesByPlate returns the vehicles with the plates, keyed by plate as
// ident.ParseLicencePlate normalises it (upper case, no dashes). A plate the
// register does not know is absent from the map. Each batch of up to
// MaxPlatesPerCall plates is one $where kenteken in(...) query on the
// vehicles dataset and, WithFuels, one on the fuels dataset, all run
// concurrently. Errors are *connectors.Error: ErrInvalidRequest for a
// malformed plate (nothing is asked then), otherwise the kind of the
// failed call.
func (c *Client) VehiclesByPlate(ctx context.Context, plates []string, opts ...VehicleOption) (map[string]*Vehicle, error) {
	var l vehicleLookup
	for _, o := range opts {
		o(&l)
	}
	return inBatches(ctx, opVehicles, "plates", plates, ident.ParseLicencePlate, MaxPlatesPerCall,
		func(ctx context.Context, batch []string) (map[string]*Vehicle, error) {
			var rows []vehicleRow
			var fuels []fuelRow
			g, ctx := errgroup.WithContext(ctx)
			g.Go(func() error { return c.dataset(ctx, opVehicles, vehiclesPath, batch, len(batch), &rows) })
			if l.fuels {
				// A vehicle has a row per fuel; hybrids have two or three.
				g.Go(func() error { return c.dataset(ctx, opFuels, fuelsPath, batch, 4*len(batch), &fuels) })
			}
			if err := g.Wait(); err != nil {
				return nil, err
			}
			return vehiclesOf(rows, fuels)
		})
}

// HoldingsByBSN returns the vehicles each person is liable for, keyed by
// BSN. A person the register holds nothing for (NietsGevonden) is absent.
// It calls VoertuigbezitInfo with up to MaxSubjectsPerCall BSNs per call, in
// the body, concurrently. Errors are as for VehiclesByPlate; a BSN that
// fails ident.ParseBSN is ErrInvalidRequest.
func (c *Client) HoldingsByBSN(ctx context.Context, bsns []string) (map[string][]Holding, error) {
	return inBatches(ctx, opHoldings, "bsns", bsns, ident.ParseBSN, MaxSubjectsPerCall,
		func(ctx context.Context, batch []string) (map[string][]Holding, error) {
			var resp holdingsAnswer
			if err := c.query(ctx, opHoldings, holdingsPath, subjectsQuery{BSNs: batch}, &resp); err != nil {
				return nil, err
			}
			return resp.byBSN()
		})
}

// HoldingsByKvK returns the vehicles each organisation is liable for, keyed
// by KvK number. An organisation the register holds nothing for is absent.
// It calls VoertuigbezitInfo like HoldingsByBSN; a number that fails
// ident.ParseKvKNumber is ErrInvalidRequest.
func (c *Client) HoldingsByKvK(ctx context.Context, kvks []string) (map[string][]Holding, error) {
	return inBatches(ctx, opHoldings, "kvks", kvks, ident.ParseKvKNumber, MaxSubjectsPerCall,
		func(ctx context.Context, batch []string) (map[string][]Holding, error) {
			var resp holdingsAnswer
			if err := c.query(ctx, opHoldings, holdingsPath, subjectsQuery{KvKs: batch}, &resp); err != nil {
				return nil, err
			}
			return resp.byKvK()
		})
}

// DrivingLicences returns the driving licences of each person, keyed by
// BSN, with their status on the day of the request. A person without a
// licence is absent. It calls RijbewijzenInfo with up to MaxSubjectsPerCall
// BSNs per call, concurrently; errors are as for HoldingsByBSN.
func (c *Client) DrivingLicences(ctx context.Context, bsns []string) (map[string][]DrivingLicence, error) {
	return inBatches(ctx, opLicences, "bsns", bsns, ident.ParseBSN, MaxSubjectsPerCall,
		func(ctx context.Context, batch []string) (map[string][]DrivingLicence, error) {
			var resp licencesAnswer
			if err := c.query(ctx, opLicences, licencesPath, subjectsQuery{BSNs: batch}, &resp); err != nil {
				return nil, err
			}
			return resp.byBSN()
		})
}

// dataset asks an open data dataset for the rows of the plates. Plates have
// been through ident.ParseLicencePlate, so they hold only letters and
// digits and need no quoting beyond the quotes.
func (c *Client) dataset(ctx context.Context, op, path string, plates []string, limit int, out any) error {
	var where strings.Builder
	where.WriteString("kenteken in(")
	for i, p := range plates {
		if i > 0 {
			where.WriteByte(',')
		}
		where.WriteString("'" + p + "'")
	}
	where.WriteByte(')')
	q := url.Values{"$where": {where.String()}, "$limit": {strconv.Itoa(limit)}}
	return notFoundIsUnavailable(c.http.Do(ctx, httpclient.Request{Operation: op, Method: http.MethodGet, Path: path, Query: q}, out))
}

// query POSTs one dossier batch. The POST is a query that changes nothing,
// so it may be retried. Without a source of the dossier it asks nothing:
// RDW open data has no holders or licences.
func (c *Client) query(ctx context.Context, op, path string, body subjectsQuery, out any) error {
	if c.dossier == nil {
		return &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrNotOffered,
			Detail: "RDW open data has no vehicle holders or driving licences, and no source of the dossier contract is configured (" + DossierURL + ")"}
	}
	return notFoundIsUnavailable(c.dossier.Do(ctx, httpclient.Request{
		Operation: op, Method: http.MethodPost, Path: path, Body: body, Idempotent: true,
	}, out))
}

// notFoundIsUnavailable reports a 404 as an unavailable registry: these
// operations answer an unknown key with an empty result, never a 404, so a
// 404 means the operation is not served at the base URL, not that a key is
// unknown.
func notFoundIsUnavailable(err error) error {
	var ce *connectors.Error
	if errors.As(err, &ce) && ce.Kind == connectors.ErrNotFound {
		moved := *ce
		moved.Kind = connectors.ErrUnavailable
		moved.Detail = "the operation is not served at the base URL"
		if ce.Detail != "" {
			moved.Detail += ": " + ce.Detail
		}
		return &moved
	}
	return err
}

func invalidResponse(op string, err error) error {
	return &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrInvalidResponse, Err: err}
}

// inBatches checks, normalises and de-duplicates the keys, splits them into
// batches, runs the batches concurrently and merges their answers. An
// answer may name only keys its batch asked for: anything else is an
// invalid response, never passed on.
func inBatches[T any](ctx context.Context, op, name string, keys []string, parse func(string) (string, error), size int,
	call func(context.Context, []string) (map[string]T, error)) (map[string]T, error) {
	unique := make([]string, 0, len(keys))
	seen := make(map[string]bool, len(keys))
	for i, k := range keys {
		n, err := parse(k)
		if err != nil {
			return nil, &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrInvalidRequest,
				Detail: fmt.Sprintf("%s[%d]", name, i), Err: err}
		}
		if !seen[n] {
			seen[n] = true
			unique = append(unique, n)
		}
	}
	return connectors.Batches(ctx, unique, size, maxInFlight, func(ctx context.Context, batch []string) (map[string]T, error) {
		got, err := call(ctx, batch)
		if err != nil {
			return nil, err
		}
		for k := range got {
			if !slices.Contains(batch, k) {
				return nil, invalidResponse(op, fmt.Errorf("the answer names a %s entry that was not asked for", strings.TrimSuffix(name, "s")))
			}
		}
		return got, nil
	})
}

var _ connectors.Connector = (*Client)(nil)
