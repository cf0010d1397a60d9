package cases

import (
	"errors"
	"fmt"

	"github.com/poort-nl/poort/store"
)

// The errors the service returns match one of these with errors.Is, so the
// GraphQL layer maps them to error codes without reading messages. They are
// the store's sentinels, so an error from either package matches.
var (
	// ErrInvalidArgument: the request breaks a rule; nothing was written.
	// The concrete error is usually an *ArgumentError naming the parameter.
	ErrInvalidArgument = store.ErrInvalidArgument
	// ErrNotFound: the case, task, handover or message does not exist.
	ErrNotFound = store.ErrNotFound
	// ErrConflict: the expected version is stale; another request changed
	// the record first. The concrete error is a *store.ConflictError that
	// names the expected and the actual version.
	ErrConflict = store.ErrConflict
	// ErrIdempotencyMismatch: the idempotency key was used before, by the
	// same principal, for a different request.
	ErrIdempotencyMismatch = store.ErrIdempotencyMismatch
	// ErrInvalidTransition: the status change is not allowed from the
	// record's current status (a *store.TransitionError).
	ErrInvalidTransition = store.ErrInvalidTransition
	// ErrUnavailable: the store cannot be reached; nothing was done, or,
	// for a mutation whose commit was under way, it is unknown whether it
	// was. Retrying with the same idempotency key is safe.
	ErrUnavailable = store.ErrUnavailable
)

// ArgumentError reports a request parameter that breaks a rule. Param is
// the parameter's name as the GraphQL input spells it, with a dot for a
// nested field ("subject.id", "context.step"). The message never holds the
// value of an identifier, so it may be shown and logged.
type ArgumentError struct {
	Param string
	Rule  string
}

// Error names the parameter and the rule.
func (e *ArgumentError) Error() string {
	return fmt.Sprintf("argument %q: %s", e.Param, e.Rule)
}

// Is makes an *ArgumentError match ErrInvalidArgument.
func (e *ArgumentError) Is(target error) bool { return target == ErrInvalidArgument }

func argErr(param, format string, args ...any) error {
	return &ArgumentError{Param: param, Rule: fmt.Sprintf(format, args...)}
}

// Error codes for the GraphQL layer's extensions.code.
const (
	CodeBadUserInput        = "BAD_USER_INPUT"
	CodeNotFound            = "NOT_FOUND"
	CodeConflict            = "CONFLICT"
	CodeIdempotencyMismatch = "IDEMPOTENCY_KEY_REUSED"
	CodeInvalidTransition   = "INVALID_TRANSITION"
	CodeStoreUnavailable    = "STORE_UNAVAILABLE"
)

// Code returns the error code for err, or "" when err is none of the
// errors above (a database failure, a cancelled request: an internal
// error to the client).
func Code(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrUnavailable):
		return CodeStoreUnavailable
	case errors.Is(err, ErrIdempotencyMismatch):
		return CodeIdempotencyMismatch
	case errors.Is(err, ErrConflict):
		return CodeConflict
	case errors.Is(err, ErrNotFound):
		return CodeNotFound
	case errors.Is(err, ErrInvalidTransition):
		return CodeInvalidTransition
	case errors.Is(err, ErrInvalidArgument):
		return CodeBadUserInput
	}
	return ""
}

// mismatch makes the store's idempotency error say which operation the key
// was used for.
func mismatch(op string, err error) error {
	if errors.Is(err, ErrIdempotencyMismatch) {
		return fmt.Errorf("%s: this idempotency key was used before for a different request; use a new key for a new request: %w", op, err)
	}
	return err
}
