package store

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Page sizes for Relay-style pagination.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Page selects a window of a list, following the Relay cursor connection
// specification: First with After pages forward, Last with Before pages
// backward. After and Before may be combined to bound the window on both
// sides. With neither First nor Last, the first DefaultPageSize items are
// returned. Setting both First and Last is rejected.
type Page struct {
	First  *int
	After  string
	Last   *int
	Before string
}

// PageInfo is the Relay page info of a connection.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     string // empty when the page is empty
	EndCursor       string // empty when the page is empty
}

// window is a validated Page.
type window struct {
	limit    int
	backward bool
}

func (p Page) window() (window, error) {
	switch {
	case p.First != nil && p.Last != nil:
		return window{}, invalidf("set first or last, not both")
	case p.First != nil:
		if *p.First < 0 || *p.First > MaxPageSize {
			return window{}, invalidf("first must be between 0 and %d", MaxPageSize)
		}
		return window{limit: *p.First}, nil
	case p.Last != nil:
		if *p.Last < 0 || *p.Last > MaxPageSize {
			return window{}, invalidf("last must be between 0 and %d", MaxPageSize)
		}
		return window{limit: *p.Last, backward: true}, nil
	}
	return window{limit: DefaultPageSize}, nil
}

// trimPage cuts rows, read in the page's direction with a limit of one more
// than the page holds, to the page: the extra row only tells that more lie
// beyond, which sets the page info's flag for the far side. A backward page
// is put back in ascending order.
func trimPage[T any](rows []T, w window, info *PageInfo) []T {
	more := len(rows) > w.limit
	if more {
		rows = rows[:w.limit]
	}
	if w.backward {
		info.HasPreviousPage = more
		slices.Reverse(rows)
	} else {
		info.HasNextPage = more
	}
	return rows
}

// Cursors are opaque to clients: base64url of a kind tag and the sort key.
// The tag stops a cursor from one list being accepted by another.
const (
	cursorCase  = "c1"
	cursorAudit = "a1"
)

// caseKey is the sort key of cases: creation time, then ID.
type caseKey struct {
	createdAt time.Time
	id        uuid.UUID
}

func encodeCaseCursor(k caseKey) string {
	raw := cursorCase + ":" + strconv.FormatInt(k.createdAt.UnixMicro(), 10) + ":" + k.id.String()
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeCaseCursor(c string) (caseKey, error) {
	parts, err := decodeCursor(c, cursorCase, 2)
	if err != nil {
		return caseKey{}, err
	}
	micros, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return caseKey{}, ErrInvalidCursor
	}
	id, err := uuid.Parse(parts[1])
	if err != nil {
		return caseKey{}, ErrInvalidCursor
	}
	return caseKey{createdAt: time.UnixMicro(micros).UTC(), id: id}, nil
}

func encodeAuditCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorAudit + ":" + strconv.FormatInt(seq, 10)))
}

func decodeAuditCursor(c string) (int64, error) {
	parts, err := decodeCursor(c, cursorAudit, 1)
	if err != nil {
		return 0, err
	}
	seq, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || seq < 0 {
		return 0, ErrInvalidCursor
	}
	return seq, nil
}

// decodeCursor checks a cursor's encoding and tag and returns its n fields.
func decodeCursor(c, tag string, n int) ([]string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, ErrInvalidCursor
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != n+1 || parts[0] != tag {
		return nil, ErrInvalidCursor
	}
	return parts[1:], nil
}
