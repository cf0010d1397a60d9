package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/lib/pq"
)

// The errors of a database that cannot be reached or used right now are
// marked ErrUnavailable; a request that ran out of time, or a mistake of
// the caller, is not.
func TestWrapMarksUnavailability(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{"a dead connection", fmt.Errorf("query: %w", driver.ErrBadConn), true},
		{"PostgreSQL lost the connection", &pq.Error{Code: "08006"}, true},
		{"PostgreSQL shutting down", &pq.Error{Code: "57P01"}, true},
		{"too many connections", &pq.Error{Code: "53300"}, true},
		{"a constraint", &pq.Error{Code: "23505"}, false},
		{"the request's deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), false},
		{"a bad argument", invalidf("limit"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err
			wrap(&err, "Op(%d)", 1)
			if got := errors.Is(err, ErrUnavailable); got != tt.want {
				t.Fatalf("%v: unavailable %v, want %v", err, got, tt.want)
			}
			if !errors.Is(err, tt.err) {
				t.Fatalf("%v lost its cause", err)
			}
			again := err
			wrap(&again, "Outer")
			if errors.Is(again, ErrUnavailable) != tt.want {
				t.Fatal("a second wrap changed the verdict")
			}
		})
	}
}

// Reason drops the store operations an error passed through, and keeps
// everything else it says, through errors that join others.
func TestReasonDropsOperations(t *testing.T) {
	inner := func() (err error) {
		defer wrap(&err, "Case(%s)", "k1")
		return &ConflictError{Entity: "case", ID: "k1", Expected: 1, Actual: 2}
	}
	outer := func() (err error) {
		defer wrap(&err, "CancelCase(%s)", "k1")
		return fmt.Errorf("cancelCase: %w", inner())
	}
	err := outer()
	if want := "CancelCase(k1): cancelCase: Case(k1): case k1 was changed concurrently: expected version 1, actual version 2"; err.Error() != want {
		t.Fatalf("Error() = %q, want the operations for the logs: %q", err, want)
	}
	if got, want := Reason(err), "cancelCase: case k1 was changed concurrently: expected version 1, actual version 2"; got != want {
		t.Errorf("Reason = %q, want %q", got, want)
	}
	var ce *ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, ErrConflict) {
		t.Error("the wrapped error no longer matches its kind")
	}
	down := func() (err error) {
		defer wrap(&err, "ListCases")
		return &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}()
	if !errors.Is(down, ErrUnavailable) || strings.Contains(Reason(down), "ListCases") {
		t.Errorf("unavailable: %v, Reason %q", down, Reason(down))
	}
}
