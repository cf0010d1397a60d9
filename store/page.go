package store

import (
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
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

// Connection is a page of a list in the shape of a Relay connection:
// the page's items with their cursors, where the page stands, and how many
// items the whole list holds, on every page.
type Connection[T any] struct {
	Edges      []Edge[T]
	PageInfo   PageInfo
	TotalCount int
}

// Edge is an item of a Connection with its cursor.
type Edge[T any] struct {
	Cursor string
	Node   T
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

// keyKind is the type of one column of a list's sort key.
type keyKind int

const (
	keyTime keyKind = iota // a timestamp, kept to the microsecond (dbTime)
	keyUUID
	keyInt
)

// keyset is how a list is paged: by a sort key of columns whose values a
// row never changes while it is in the list (a creation time and an id, a
// sequence number), so a cursor stays valid while rows are added. Cursors
// are opaque to clients: base64url of the list's tag and the key. The tag
// stops a cursor from one list being accepted by another.
type keyset struct {
	tag     string
	columns []string // the key columns, most significant first, as the query names them
	kinds   []keyKind
}

// The lists and their keys. The tags are part of cursors clients hold:
// never reuse one for another list or key.
var (
	casesKeyset     = keyset{"c1", []string{"created_at", "id"}, []keyKind{keyTime, keyUUID}}
	auditKeyset     = keyset{"a1", []string{"seq"}, []keyKind{keyInt}}
	handoversKeyset = keyset{"h1", []string{"created_at", "id"}, []keyKind{keyTime, keyUUID}}
	parkedKeyset    = keyset{"p1", []string{"o.updated_at", "o.id"}, []keyKind{keyTime, keyUUID}}
	timelineKeyset  = keyset{"t1", []string{"id"}, []keyKind{keyInt}}
	messagesKeyset  = keyset{"m1", []string{"created_at", "id"}, []keyKind{keyTime, keyUUID}}
)

// cursor encodes a row's key, given in the order of the key's columns.
func (k keyset) cursor(key ...any) string {
	parts := []string{k.tag}
	for i, v := range key {
		switch k.kinds[i] {
		case keyTime:
			parts = append(parts, strconv.FormatInt(v.(time.Time).UnixMicro(), 10))
		case keyUUID:
			parts = append(parts, v.(uuid.UUID).String())
		case keyInt:
			parts = append(parts, strconv.FormatInt(v.(int64), 10))
		}
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, ":")))
}

// decode checks a cursor's encoding and tag and returns its key as query
// arguments. Errors: ErrInvalidCursor.
func (k keyset) decode(c string) ([]any, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, ErrInvalidCursor
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != len(k.kinds)+1 || parts[0] != k.tag {
		return nil, ErrInvalidCursor
	}
	key := make([]any, len(k.kinds))
	for i, p := range parts[1:] {
		switch k.kinds[i] {
		case keyTime:
			micros, err := strconv.ParseInt(p, 10, 64)
			if err != nil {
				return nil, ErrInvalidCursor
			}
			key[i] = time.UnixMicro(micros).UTC()
		case keyUUID:
			id, err := uuid.Parse(p)
			if err != nil {
				return nil, ErrInvalidCursor
			}
			key[i] = id
		case keyInt:
			n, err := strconv.ParseInt(p, 10, 64)
			if err != nil || n < 0 {
				return nil, ErrInvalidCursor
			}
			key[i] = n
		}
	}
	return key, nil
}

// compare is the condition that keeps the rows whose key is op (<, <=, >,
// >=) the key given as arguments.
func (k keyset) compare(op string) string {
	return "(" + strings.Join(k.columns, ", ") + ") " + op + " (" + strings.TrimSuffix(strings.Repeat("?, ", len(k.columns)), ", ") + ")"
}

// order is the ORDER BY of a page read forward or backward.
func (k keyset) order(backward bool) string {
	if !backward {
		return strings.Join(k.columns, ", ")
	}
	desc := make([]string, len(k.columns))
	for i, c := range k.columns {
		desc[i] = c + " DESC"
	}
	return strings.Join(desc, ", ")
}

// listQuery is a list before paging: the columns a row is read with, the
// tables (with their joins) and the filter.
type listQuery struct {
	columns, from, where string
	args                 []any
}

// page is one page of a list: its rows, each row's cursor, the page info
// and how many rows the whole list holds.
type page[R any] struct {
	rows    []R
	cursors []string
	info    PageInfo
	total   int
}

// readPage reads one page of a list within tx. key returns a row's key in
// the order of the keyset's columns.
//
// Errors: ErrInvalidArgument for a bad page; ErrInvalidCursor (which
// matches ErrInvalidArgument) for a cursor this list did not issue.
func readPage[R any](ctx context.Context, tx *sqlx.Tx, k keyset, q listQuery, p Page, key func(*R) []any) (*page[R], error) {
	w, err := p.window()
	if err != nil {
		return nil, err
	}
	if q.where == "" {
		q.where = "1 = 1"
	}
	pageWhere, pageArgs := q.where, slices.Clone(q.args)
	var after, before []any
	if p.After != "" {
		if after, err = k.decode(p.After); err != nil {
			return nil, err
		}
		pageWhere += " AND " + k.compare(">")
		pageArgs = append(pageArgs, after...)
	}
	if p.Before != "" {
		if before, err = k.decode(p.Before); err != nil {
			return nil, err
		}
		pageWhere += " AND " + k.compare("<")
		pageArgs = append(pageArgs, before...)
	}
	out := &page[R]{}
	if err := get(ctx, tx, &out.total, `SELECT COUNT(*) FROM `+q.from+` WHERE `+q.where, q.args...); err != nil {
		return nil, err
	}
	if err := selectAll(ctx, tx, &out.rows, `SELECT `+q.columns+` FROM `+q.from+` WHERE `+pageWhere+
		` ORDER BY `+k.order(w.backward)+` LIMIT ?`, append(pageArgs, w.limit+1)...); err != nil {
		return nil, err
	}
	// Relay asks whether items exist beyond the cursor on the side the page
	// did not come from; one indexed probe answers it.
	beyond := func(op string, key []any) (bool, error) {
		var n int
		err := get(ctx, tx, &n, `SELECT COUNT(*) FROM (SELECT 1 FROM `+q.from+` WHERE `+q.where+` AND `+k.compare(op)+
			` LIMIT 1) beyond`, append(slices.Clone(q.args), key...)...)
		return n > 0, err
	}
	switch {
	case !w.backward && after != nil:
		if out.info.HasPreviousPage, err = beyond("<=", after); err != nil {
			return nil, err
		}
	case w.backward && before != nil:
		if out.info.HasNextPage, err = beyond(">=", before); err != nil {
			return nil, err
		}
	}
	out.rows = trimPage(out.rows, w, &out.info)
	out.cursors = make([]string, len(out.rows))
	for i := range out.rows {
		out.cursors[i] = k.cursor(key(&out.rows[i])...)
	}
	if len(out.cursors) > 0 {
		out.info.StartCursor = out.cursors[0]
		out.info.EndCursor = out.cursors[len(out.cursors)-1]
	}
	return out, nil
}

// connection turns a page of rows into a Connection of what node makes of
// each row.
func connection[R, T any](pg *page[R], node func(R) T) *Connection[T] {
	c := &Connection[T]{PageInfo: pg.info, TotalCount: pg.total, Edges: make([]Edge[T], len(pg.rows))}
	for i, r := range pg.rows {
		c.Edges[i] = Edge[T]{Cursor: pg.cursors[i], Node: node(r)}
	}
	return c
}
