package connectors

import (
	"errors"
	"fmt"
	"time"
)

// The kinds of upstream failure. Check them with errors.Is on any error a
// connector returns.
var (
	// ErrNotFound: the registry holds nothing under the key.
	ErrNotFound = errors.New("not found")
	// ErrInvalidRequest: the registry refused the request as malformed (4xx).
	// It is a bug in the hub or input that slipped past validation.
	ErrInvalidRequest = errors.New("invalid request")
	// ErrUnauthorized: the registry refused our credentials or authorisation.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrUnavailable: the registry is down, overloaded, rate limiting (5xx,
	// 429, connection refused), or the hub refused the call itself (open
	// circuit, full bulkhead).
	ErrUnavailable = errors.New("unavailable")
	// ErrTimeout: the registry did not answer within the deadline.
	ErrTimeout = errors.New("timeout")
	// ErrInvalidResponse: the registry answered with something that is not
	// its API's shape (wrong content type, malformed or truncated body).
	ErrInvalidResponse = errors.New("invalid response")
	// ErrNotOffered: the registry's published API has no such data (the
	// KvK APIs have no functionaries, RDW open data no vehicle holders),
	// and no source of the hub's own contract for it is configured. The
	// connector asks nothing; asking again will not help.
	ErrNotOffered = errors.New("not offered")
)

// KindOf names the kind of a connector error as metrics, logs and spans
// label it: not_found, invalid_request, unauthorized, unavailable, timeout,
// invalid_response, not_offered, or other for an error that is none of
// these.
func KindOf(err error) string {
	switch {
	case errors.Is(err, ErrNotFound):
		return "not_found"
	case errors.Is(err, ErrInvalidRequest):
		return "invalid_request"
	case errors.Is(err, ErrUnauthorized):
		return "unauthorized"
	case errors.Is(err, ErrUnavailable):
		return "unavailable"
	case errors.Is(err, ErrTimeout):
		return "timeout"
	case errors.Is(err, ErrInvalidResponse):
		return "invalid_response"
	case errors.Is(err, ErrNotOffered):
		return "not_offered"
	}
	return "other"
}

// Error is an upstream failure of one registry call.
type Error struct {
	Registry  Registry
	Operation string
	// Kind is one of the Err* sentinels above.
	Kind error
	// Status is the HTTP status, zero when none was received.
	Status int
	// RetryAfter is what the registry asked us to wait, if anything.
	RetryAfter time.Duration
	// Detail is the registry's own explanation (a problem title, a KvK
	// fout code). Connectors must not put personal data in it.
	Detail string
	// Codes are the registry's own error codes from its error body: a
	// problem's code, KvK's fout codes. A connector that acts on one, such
	// as a "nothing found" code, checks them here.
	Codes []string
	// Err is the underlying error, if any.
	Err error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s %s: %v", e.Registry, e.Operation, e.Kind)
	if e.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Is reports whether target is the error's kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }
