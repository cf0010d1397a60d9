package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
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
