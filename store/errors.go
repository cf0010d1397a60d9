package store

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the store returns for one of these conditions
// matches the sentinel with errors.Is, however much context was added on the
// way out, so callers map them to API error codes without reading messages.
var (
	// ErrNotFound means the requested record does not exist.
	ErrNotFound = errors.New("not found")

	// ErrConflict means an optimistic-locking check failed: the caller's
	// expected version is stale, or a lease on an outbox message was lost.
	// The concrete error is a *ConflictError (or *LeaseLostError) that says
	// what was expected and what was found.
	ErrConflict = errors.New("conflict")

	// ErrIdempotencyMismatch means an idempotency key was used again with a
	// request that differs from the first one under that key.
	ErrIdempotencyMismatch = errors.New("idempotency key reused with a different request")

	// ErrInvalidTransition means a status change is not allowed from the
	// record's current status. The concrete error is a *TransitionError.
	ErrInvalidTransition = errors.New("invalid status transition")

	// ErrInvalidArgument means the input was rejected before any SQL ran:
	// a missing field, an unknown enum value, a malformed cursor.
	ErrInvalidArgument = errors.New("invalid argument")

	// ErrInvalidCursor means a pagination cursor could not be decoded. It
	// also matches ErrInvalidArgument.
	ErrInvalidCursor = fmt.Errorf("%w: invalid cursor", ErrInvalidArgument)

	// ErrNoPseudonymKey means the store was opened without a pseudonymisation
	// key, so it cannot write or query the audit log. Callers must treat
	// this like any other audit failure and not disclose the data.
	ErrNoPseudonymKey = errors.New("audit pseudonymisation key not configured")
)

// ConflictError reports a stale version in an optimistic-locking update.
type ConflictError struct {
	Entity   string // "case", "task", "handover"
	ID       string
	Expected int64 // the version the caller based its change on
	Actual   int64 // the version in the store
}

// Error says which record was stale and both versions.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s %s was changed concurrently: expected version %d, actual version %d",
		e.Entity, e.ID, e.Expected, e.Actual)
}

// Is makes a *ConflictError match ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// LeaseLostError reports that an outbox message is no longer held by the
// claim that tries to settle it: its lease expired and another dispatcher
// claimed it, or it was settled already.
type LeaseLostError struct {
	MessageID string
}

// Error names the message whose lease was lost.
func (e *LeaseLostError) Error() string {
	return fmt.Sprintf("outbox message %s: lease lost to another claim", e.MessageID)
}

// Is makes a *LeaseLostError match ErrConflict.
func (e *LeaseLostError) Is(target error) bool { return target == ErrConflict }

// TransitionError reports a status change that the record's state machine
// does not allow.
type TransitionError struct {
	Entity string
	ID     string
	From   string
	To     string
}

// Error names the record and the refused transition.
func (e *TransitionError) Error() string {
	return fmt.Sprintf("%s %s: cannot change status from %q to %q", e.Entity, e.ID, e.From, e.To)
}

// Is makes a *TransitionError match ErrInvalidTransition.
func (e *TransitionError) Is(target error) bool { return target == ErrInvalidTransition }

// invalidf returns an error that matches ErrInvalidArgument.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidArgument, fmt.Sprintf(format, args...))
}

// notFound returns an error that matches ErrNotFound and names the record.
func notFound(entity, id string) error {
	return fmt.Errorf("%s %s: %w", entity, id, ErrNotFound)
}

// wrap adds context to *errp when it is non-nil, keeping the chain intact
// for errors.Is and errors.As. Use it as
//
//	defer wrap(&err, "UpdateTaskStatus(%q)", id)
//
// Never pass personal data (a BSN, a KvK number, a name) as an argument:
// errors end up in application logs, which must stay free of it.
func wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
