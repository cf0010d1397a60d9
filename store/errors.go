package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"
	"unicode/utf8"

	"github.com/lib/pq"
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

	// ErrUnavailable means the database could not be reached, or the
	// connection to it was lost or is saturated: nothing was done, or, for
	// a write whose commit was under way, the caller cannot know. Trying
	// again later may succeed; a mutation with an idempotency key is safe
	// to repeat.
	ErrUnavailable = errors.New("store unavailable")

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
// for errors.Is and errors.As, and marks a database that cannot be reached
// with ErrUnavailable. Use it as
//
//	defer wrap(&err, "UpdateTaskStatus(%s)", id)
//
// Pass only what the store made (record ids, counts), never a value a
// client chose (an idempotency key, a reason, a note) or personal data (a
// BSN, a KvK number, a name): errors end up in application logs, which
// must stay free of both.
func wrap(errp *error, format string, args ...any) {
	if *errp == nil {
		return
	}
	op := fmt.Sprintf(format, args...)
	if unavailable(*errp) {
		*errp = &opError{op: op, err: fmt.Errorf("%w: %w", ErrUnavailable, *errp)}
		return
	}
	*errp = &opError{op: op, err: *errp}
}

// opError names the store operation an error passed through, e.g.
// CreateCase or Case(<id>): the logs want it, a client does not (Reason).
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string { return e.op + ": " + e.err.Error() }
func (e *opError) Unwrap() error { return e.err }

// Reason is err's message as a client may read it: without the names of
// the store operations it passed through, which are the store's Go
// methods and keys, not the graph's.
func Reason(err error) string {
	msg := err.Error()
	var strip func(error)
	strip = func(e error) {
		for e != nil {
			if o, ok := e.(*opError); ok {
				msg = strings.Replace(msg, o.op+": ", "", 1)
			}
			switch u := e.(type) {
			case interface{ Unwrap() []error }:
				for _, inner := range u.Unwrap() {
					strip(inner)
				}
				return
			case interface{ Unwrap() error }:
				e = u.Unwrap()
			default:
				return
			}
		}
	}
	strip(err)
	return msg
}

// unavailable reports whether err says the database cannot be reached or
// used right now, rather than that the request was wrong.
func unavailable(err error) bool {
	if errors.Is(err, ErrUnavailable) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// Marked already; or the request ran out of time, which a
		// deadline's error also says by looking like a network error.
		return false
	}
	var pqErr *pq.Error
	var netErr net.Error
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.As(err, &netErr):
		return true
	case errors.As(err, &pqErr):
		// Class 08: connection exception; 53: insufficient resources
		// (too many connections, out of memory or disk); 57P01-57P03: the
		// server is shutting down or starting.
		switch {
		case pqErr.Code.Class() == "08", pqErr.Code.Class() == "53",
			pqErr.Code == "57P01", pqErr.Code == "57P02", pqErr.Code == "57P03":
			return true
		}
	case isRetryable(err):
		// A serialisation failure or busy database that outlasted the
		// retries of Transact.
		return true
	}
	// database/sql reports a closed pool with an unexported error.
	return strings.Contains(err.Error(), "sql: database is closed")
}

// validTexts checks name, value pairs with validText.
func validTexts(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := validText(pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// validText refuses a text a database would refuse or store differently:
// PostgreSQL takes neither a NUL byte nor invalid UTF-8, so neither
// database may. name says which field, never what it holds.
func validText(name, s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return invalidf("%s holds a NUL byte", name)
	}
	if !utf8.ValidString(s) {
		return invalidf("%s is not valid UTF-8", name)
	}
	return nil
}
