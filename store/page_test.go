package store_test

import (
	"context"
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

func TestListCases(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		var want []uuid.UUID // bsnA's cases in creation order
		for range 7 {
			want = append(want, createCase(t, s, birthCase(person(bsnA), "")).Case.ID)
		}
		for range 3 {
			createCase(t, s, birthCase(person(bsnB), ""))
		}
		subject := store.CaseFilter{Subject: ptr(person(bsnA))}

		// walk pages forward with first/after and collect IDs.
		walk := func(t *testing.T, size int) []uuid.UUID {
			var got []uuid.UUID
			p := store.Page{First: ptr(size)}
			for pages := 0; ; pages++ {
				conn, err := s.ListCases(ctx, subject, p)
				if err != nil {
					t.Fatal(err)
				}
				if conn.TotalCount != 7 {
					t.Fatalf("total count %d, want 7", conn.TotalCount)
				}
				if conn.PageInfo.HasPreviousPage != (pages > 0) {
					t.Errorf("page %d: hasPreviousPage = %v", pages, conn.PageInfo.HasPreviousPage)
				}
				for _, e := range conn.Edges {
					got = append(got, e.Node.ID)
				}
				if !conn.PageInfo.HasNextPage {
					return got
				}
				p.After = conn.PageInfo.EndCursor
			}
		}

		t.Run("forward", func(t *testing.T) {
			if got := walk(t, 3); !slices.Equal(got, want) {
				t.Fatalf("pages gave %v, want %v", got, want)
			}
		})
		t.Run("backward", func(t *testing.T) {
			conn, err := s.ListCases(ctx, subject, store.Page{Last: ptr(2)})
			if err != nil {
				t.Fatal(err)
			}
			if ids := edgeIDs(conn); !slices.Equal(ids, want[5:]) || !conn.PageInfo.HasPreviousPage || conn.PageInfo.HasNextPage {
				t.Fatalf("last 2 = %v %+v, want %v", ids, conn.PageInfo, want[5:])
			}
			conn, err = s.ListCases(ctx, subject, store.Page{Last: ptr(2), Before: conn.PageInfo.StartCursor})
			if err != nil {
				t.Fatal(err)
			}
			if ids := edgeIDs(conn); !slices.Equal(ids, want[3:5]) || !conn.PageInfo.HasNextPage {
				t.Fatalf("2 before = %v %+v, want %v", ids, conn.PageInfo, want[3:5])
			}
		})
		t.Run("between after and before", func(t *testing.T) {
			all, _ := s.ListCases(ctx, subject, store.Page{First: ptr(7)})
			conn, err := s.ListCases(ctx, subject, store.Page{First: ptr(10), After: all.Edges[1].Cursor, Before: all.Edges[5].Cursor})
			if err != nil {
				t.Fatal(err)
			}
			if ids := edgeIDs(conn); !slices.Equal(ids, want[2:5]) {
				t.Fatalf("window = %v, want %v", ids, want[2:5])
			}
		})
		t.Run("stable while cases are added", func(t *testing.T) {
			first, _ := s.ListCases(ctx, subject, store.Page{First: ptr(4)})
			added := createCase(t, s, birthCase(person(bsnA), "")).Case.ID
			rest, err := s.ListCases(ctx, subject, store.Page{First: ptr(10), After: first.PageInfo.EndCursor})
			if err != nil {
				t.Fatal(err)
			}
			got := append(edgeIDs(first), edgeIDs(rest)...)
			if !slices.Equal(got, append(slices.Clone(want), added)) {
				t.Fatalf("got %v, want the old cases once each and the new one last", got)
			}
		})
		t.Run("by status", func(t *testing.T) {
			_, _, err := s.UpdateCaseStatus(ctx, store.CaseStatusChange{CaseID: want[0], ExpectedVersion: 1, Status: store.CaseClosed, Actor: "x"})
			if err != nil {
				t.Fatal(err)
			}
			conn, err := s.ListCases(ctx, store.CaseFilter{Status: store.CaseClosed}, store.Page{})
			if err != nil || conn.TotalCount != 1 || conn.Edges[0].Node.ID != want[0] {
				t.Fatalf("closed cases = %+v, %v", conn, err)
			}
		})
		t.Run("cursors are opaque", func(t *testing.T) {
			conn, _ := s.ListCases(ctx, subject, store.Page{First: ptr(1)})
			c := conn.PageInfo.EndCursor
			if strings.Contains(c, want[0].String()) || strings.Contains(c, "birth") {
				t.Errorf("cursor %q shows its contents", c)
			}
		})
		t.Run("bad cursors and sizes", func(t *testing.T) {
			forged := base64.RawURLEncoding.EncodeToString([]byte("c1:notanumber:x"))
			for _, p := range []store.Page{
				{After: "not a cursor!"},
				{After: forged},
				{Before: base64.RawURLEncoding.EncodeToString([]byte("a1:5"))}, // an audit cursor
			} {
				_, err := s.ListCases(ctx, subject, p)
				wantErr(t, err, store.ErrInvalidCursor)
				wantErr(t, err, store.ErrInvalidArgument)
			}
			for _, p := range []store.Page{{First: ptr(101)}, {First: ptr(-1)}, {First: ptr(1), Last: ptr(1)}} {
				_, err := s.ListCases(ctx, subject, p)
				wantErr(t, err, store.ErrInvalidArgument)
			}
		})
		t.Run("first zero", func(t *testing.T) {
			conn, err := s.ListCases(ctx, subject, store.Page{First: ptr(0)})
			if err != nil || len(conn.Edges) != 0 || !conn.PageInfo.HasNextPage || conn.PageInfo.EndCursor != "" {
				t.Fatalf("first 0 = %+v, %v", conn, err)
			}
		})
	})
}

func edgeIDs(conn *store.CaseConnection) []uuid.UUID {
	ids := make([]uuid.UUID, len(conn.Edges))
	for i, e := range conn.Edges {
		ids[i] = e.Node.ID
	}
	return ids
}
