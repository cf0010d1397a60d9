// Package trace carries the W3C Trace Context of a request: its trace id
// ties the access log, error reports and audit records of one request
// together, and is passed on to the registries.
package trace

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// ID is a W3C trace id: 32 lower-case hex digits, not all zero.
type ID string

// SpanID is a W3C parent id: 16 lower-case hex digits.
type SpanID string

type ctxKey struct{}

// Context is the trace context of the current request.
type Context struct {
	TraceID ID
	SpanID  SpanID
}

// NewID returns a random trace id.
func NewID() ID { return ID(randomHex(16)) }

// NewSpanID returns a random span id.
func NewSpanID() SpanID { return SpanID(randomHex(8)) }

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails on supported platforms
	return hex.EncodeToString(b)
}

// maxTraceparent bounds the header read: version 00 is 55 characters, and
// no other version is accepted, so a longer header is not even split.
const maxTraceparent = 64

// FromTraceparent reads a W3C traceparent header
// ("00-<trace id>-<parent id>-<flags>") and returns a context with a new
// span under it, or a fresh trace when the header is absent, longer than
// any valid one or invalid.
//
// The trace id is the caller's to choose, so it ties a request to the
// caller's trace but never identifies it: many requests may share one.
// The span is always the hub's own and random; RequestID names it.
func FromTraceparent(h string) Context {
	if len(h) > maxTraceparent {
		return Context{TraceID: NewID(), SpanID: NewSpanID()}
	}
	parts := strings.Split(strings.TrimSpace(h), "-")
	if len(parts) == 4 && parts[0] == "00" && isHex(parts[1], 32) && isHex(parts[2], 16) &&
		strings.Trim(parts[1], "0") != "" && strings.Trim(parts[2], "0") != "" {
		return Context{TraceID: ID(parts[1]), SpanID: NewSpanID()}
	}
	return Context{TraceID: NewID(), SpanID: NewSpanID()}
}

// RequestID identifies the request: the hub's own span, which, unlike the
// trace id, no caller chooses.
func (c Context) RequestID() string { return string(c.SpanID) }

// RequestIDFrom returns the request id of ctx, or "" when there is none.
func RequestIDFrom(ctx context.Context) string {
	c, _ := From(ctx)
	return c.RequestID()
}

// Traceparent renders the header to send downstream.
func (c Context) Traceparent() string {
	return "00-" + string(c.TraceID) + "-" + string(c.SpanID) + "-01"
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// With returns ctx carrying the trace context.
func With(ctx context.Context, c Context) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// From returns the trace context of ctx; ok is false when there is none.
func From(ctx context.Context) (Context, bool) {
	c, ok := ctx.Value(ctxKey{}).(Context)
	return c, ok
}

// IDFrom returns the trace id of ctx, or "" when there is none.
func IDFrom(ctx context.Context) ID {
	c, _ := From(ctx)
	return c.TraceID
}
