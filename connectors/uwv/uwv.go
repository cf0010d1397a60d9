// Package uwv is the connector to UWV's employment history
// (polisadministratie) and employee-insurance benefits (WW) as a
// municipality receives them: through Suwinet, run by BKWI.
//
// Suwinet speaks SOAP 1.1 with SuwiML messages, one person per request,
// over Digikoppeling with mutual TLS. The connector asks two services, each
// with one operation: UWVDossierInkomstenGSD v0200 (UWVPersoonsIkvInfo,
// income relations) and UWVDossierWerknemersverzekeringenGSD v0200
// (UWVPersoonsWvInfo, benefits). A question about several persons becomes
// one call per person, made concurrently within a bound.
package uwv

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/httpclient"
	"github.com/poort-nl/poort/internal/ident"
)

// ID identifies the connector in the hub's configuration.
const ID = "uwv-suwinet"

// MaxInFlight bounds the concurrent calls of one question about several
// persons, so a large question cannot take all of the broker's capacity
// while a household's persons are still asked at once.
const MaxInFlight = 8

// opStatus names the health check, which fetches a service's WSDL.
const opStatus = "WSDL"

// Client calls the UWV services on the Suwinet broker. It is safe for
// concurrent use.
type Client struct {
	http  *httpclient.Client
	base  string // the broker's SOAP root, ending in a slash
	codes codeTables
}

// New builds a client for the broker whose SOAP root is cfg.BaseURL, e.g.
// "https://broker.prd.suwi.net/suwibroker/soap"; the services are below it.
// Mutual TLS is cfg.TLS. It does not touch the network.
func New(cfg connectors.Config) (*Client, error) {
	hc, err := httpclient.New(httpclient.Options{Config: cfg, Registry: Registry})
	if err != nil {
		return nil, fmt.Errorf("uwv: %w", err)
	}
	codes, err := loadCodeTables()
	if err != nil {
		return nil, fmt.Errorf("uwv: %w", err)
	}
	return &Client{http: hc, base: strings.TrimSuffix(cfg.BaseURL, "/") + "/", codes: codes}, nil
}

// Registry returns Registry.
func (c *Client) Registry() connectors.Registry { return Registry }

// Close releases idle connections.
func (c *Client) Close() error { return c.http.Close() }

// Check fetches the WSDL of the income service (GET ?wsdl): it asks about
// no one, and shows that the broker answers and TLS holds.
func (c *Client) Check(ctx context.Context) error {
	return c.http.Do(ctx, httpclient.Request{
		Operation: opStatus, Method: http.MethodGet, Path: inkomsten.path + "?wsdl",
		Accept: []string{"text/xml", "application/xml", "application/wsdl+xml"}, Fault: fault,
	}, nil)
}

// Employments returns the income relations of the persons, keyed by BSN,
// each person's in the registry's order (oldest first). A person UWV holds
// nothing for (NietsGevonden) is absent from the map. It calls
// UWVPersoonsIkvInfo once per distinct BSN, at most MaxInFlight at a time.
// Errors are *connectors.Error: ErrInvalidRequest for a BSN that fails
// ident.ParseBSN (nothing is asked then), otherwise the kind of the first
// failed call, which cancels the others.
func (c *Client) Employments(ctx context.Context, bsns []string) (map[string][]Employment, error) {
	return perPerson(ctx, inkomsten.operation, bsns, func(ctx context.Context, bsn string) ([]Employment, bool, error) {
		a, err := ask[ikvAntwoord](ctx, c, inkomsten, bsn)
		if err != nil {
			return nil, false, err
		}
		switch {
		case a.ClientSuwi != nil:
			out, err := c.employments(bsn, a.ClientSuwi)
			if err != nil {
				return nil, false, invalidResponse(inkomsten.operation, err)
			}
			return out, true, nil
		case a.NietsGevonden != nil:
			return nil, false, nil
		}
		return nil, false, noAnswer(inkomsten.operation, a.FWI)
	})
}

// Benefits returns the WW and other employee-insurance benefit relations of
// the persons, keyed by BSN. A person without any is absent from the map. It
// calls UWVPersoonsWvInfo once per distinct BSN; errors are as for
// Employments.
func (c *Client) Benefits(ctx context.Context, bsns []string) (map[string][]Benefit, error) {
	return perPerson(ctx, werknemersverzekeringen.operation, bsns, func(ctx context.Context, bsn string) ([]Benefit, bool, error) {
		a, err := ask[wvAntwoord](ctx, c, werknemersverzekeringen, bsn)
		if err != nil {
			return nil, false, err
		}
		switch {
		case a.ClientSuwi != nil:
			out, err := benefits(bsn, a.ClientSuwi)
			if err != nil {
				return nil, false, invalidResponse(werknemersverzekeringen.operation, err)
			}
			return out, len(out) > 0, nil
		case a.NietsGevonden != nil:
			return nil, false, nil
		}
		return nil, false, noAnswer(werknemersverzekeringen.operation, a.FWI)
	})
}

// ask sends one SOAP request about one person and decodes the answer, a
// T. The operation is a query and changes nothing, so an unreachable or
// overloaded broker is asked again; a SOAP fault, the registry's answer to
// this very message, is not.
func ask[T any](ctx context.Context, c *Client, s service, bsn string) (T, error) {
	var out T
	id := "urn:uuid:" + uuid.NewString()
	err := c.http.Do(ctx, httpclient.Request{
		Operation: s.operation, Method: http.MethodPost, Path: s.path,
		Payload: s.request(c.base+s.path, id, bsn), ContentType: soapContentType,
		// The WSDL's soapAction is empty; WS-Addressing carries the action.
		Header:     http.Header{"SOAPAction": {`""`}},
		Accept:     []string{"text/xml"},
		Idempotent: true, Retryable: retryable,
		Decode: decodeAnswer[T](id), Fault: fault,
	}, &out)
	return out, err
}

// perPerson checks and de-duplicates the BSNs and asks about each person
// concurrently, at most MaxInFlight at a time. ask reports whether the
// person belongs in the map.
func perPerson[T any](ctx context.Context, op string, bsns []string, ask func(context.Context, string) (T, bool, error)) (map[string]T, error) {
	unique := make([]string, 0, len(bsns))
	seen := make(map[string]bool, len(bsns))
	for i, b := range bsns {
		if _, err := ident.ParseBSN(b); err != nil {
			return nil, &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrInvalidRequest,
				Detail: fmt.Sprintf("bsns[%d]", i), Err: err}
		}
		if !seen[b] {
			seen[b] = true
			unique = append(unique, b)
		}
	}
	return connectors.Batches(ctx, unique, 1, MaxInFlight, func(ctx context.Context, one []string) (map[string]T, error) {
		v, found, err := ask(ctx, one[0])
		if err != nil || !found {
			return nil, err
		}
		return map[string]T{one[0]: v}, nil
	})
}

// noAnswer is an answer without the person and without NietsGevonden: the
// registry's FWI says why it could not answer (its Fout codes are in
// Codes), or the answer is empty.
func noAnswer(op string, f *fwi) *connectors.Error {
	codes := foutCodes(f)
	if len(codes) == 0 {
		return invalidResponse(op, fmt.Errorf("the answer holds neither ClientSuwi, NietsGevonden nor an FWI Fout"))
	}
	return &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrUnavailable,
		Status: http.StatusOK, Detail: "FWI Fout " + strings.Join(codes, ", "), Codes: codes}
}

func invalidResponse(op string, err error) *connectors.Error {
	return &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrInvalidResponse,
		Status: http.StatusOK, Detail: "the answer does not follow SuwiML", Err: err}
}

var _ connectors.Connector = (*Client)(nil)
