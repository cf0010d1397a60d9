package nhr

import (
	"errors"
	"slices"

	"github.com/poort-nl/poort/connectors"
)

// KvK fout codes the connector acts on.
const (
	// foutNothingFound is Zoeken's "nothing found" (also our functionarissen
	// search's), which a search maps to an empty result.
	foutNothingFound = "IPD5200"
)

// invalid reports input the connector refuses before calling the API. The
// ident errors it wraps name the rule broken, never the input.
func invalid(op string, err error) error {
	return &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrInvalidRequest, Detail: err.Error(), Err: err}
}

func invalidResponse(op string, err error) error {
	return &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrInvalidResponse, Detail: err.Error(), Err: err}
}

// nothingFound sorts the error of a search: a 404 with KvK's IPD5200 means
// nothing was found (empty, no error); a 404 without it is not the API
// answering, as with a wrong base URL, and becomes an invalid response.
// Other errors pass unchanged.
func nothingFound(err error) (empty bool, _ error) {
	var ce *connectors.Error
	if !errors.As(err, &ce) || ce.Kind != connectors.ErrNotFound {
		return false, err
	}
	if slices.Contains(ce.Codes, foutNothingFound) {
		return true, nil
	}
	wrapped := *ce
	wrapped.Kind = connectors.ErrInvalidResponse
	wrapped.Detail = "404 without fout " + foutNothingFound
	if ce.Detail != "" {
		wrapped.Detail += ": " + ce.Detail
	}
	return false, &wrapped
}
