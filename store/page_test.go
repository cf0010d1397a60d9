package store_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

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

// TestListsPageByCursor walks every list the graph pages besides cases and
// the audit log (handovers, a case's timeline and notifications, parked
// notifications) forward and backward, and checks that each list refuses
// the others' cursors.
func TestListsPageByCursor(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		res := createCase(t, s, birthCase(person(bsnA), ""))
		var handovers []uuid.UUID
		for i := range 5 {
			h, _, err := s.CreateHandover(ctx, store.NewHandover{
				CaseID: res.Case.ID, FromOrganisation: "gemeente Utrecht", FromFrontOffice: "KCC", ToPartnerID: "svb",
				Reason: fmt.Sprintf("question %d", i), CreatedBy: "kcc-employee-1",
				Notify: &store.NewOutboxMessage{PartnerID: "svb", Endpoint: "https://svb.example/handover", Payload: json.RawMessage(`{"type":"handover"}`)},
			})
			if err != nil {
				t.Fatal(err)
			}
			handovers = append(handovers, h.ID)
		}
		// Park every notification of three cases.
		var parked []uuid.UUID
		for range 2 {
			createCase(t, s, birthCase(person(bsnB), ""))
		}
		at := time.Now()
		for {
			claimed, err := s.ClaimDue(ctx, at, 1, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if len(claimed) == 0 {
				break
			}
			at = at.Add(time.Second)
			if err := s.MarkFailed(ctx, claimed[0].ID, claimed[0].LeaseToken, errors.New("503 from partner"), at, true); err != nil {
				t.Fatal(err)
			}
			parked = append(parked, claimed[0].ID)
		}
		messages, err := nodes(s.Messages(ctx, res.Case.ID, wholeList))
		if err != nil || len(messages) != 7 {
			t.Fatalf("messages = %d, %v; want the case's two and one per handover", len(messages), err)
		}
		timeline, err := nodes(s.Timeline(ctx, res.Case.ID, wholeList))
		if err != nil || len(timeline) < 6 {
			t.Fatalf("timeline = %d events, %v; want the opening and five handovers", len(timeline), err)
		}

		lists := []struct {
			name string
			want []string
			list func(store.Page) ([]string, store.PageInfo, int, error)
		}{
			{"handovers", idStrings(handovers), func(p store.Page) ([]string, store.PageInfo, int, error) {
				return page(s.ListHandovers(ctx, store.HandoverFilter{CaseID: res.Case.ID}, p))(func(h store.Handover) string { return h.ID.String() })
			}},
			{"timeline", eventIDs(timeline), func(p store.Page) ([]string, store.PageInfo, int, error) {
				return page(s.Timeline(ctx, res.Case.ID, p))(func(e store.TimelineEvent) string { return fmt.Sprint(e.ID) })
			}},
			{"messages of a case", messageIDs(messages), func(p store.Page) ([]string, store.PageInfo, int, error) {
				return page(s.Messages(ctx, res.Case.ID, p))(func(m store.OutboxMessage) string { return m.ID.String() })
			}},
			{"parked", idStrings(parked), func(p store.Page) ([]string, store.PageInfo, int, error) {
				return page(s.ListParked(ctx, nil, p))(func(m store.OutboxMessage) string { return m.ID.String() })
			}},
		}
		for i, l := range lists {
			t.Run(l.name, func(t *testing.T) {
				if len(l.want) < 5 {
					t.Fatalf("the test made %d items, want at least 5", len(l.want))
				}
				var forward []string
				p := store.Page{First: ptr(2)}
				for pages := 0; ; pages++ {
					ids, info, total, err := l.list(p)
					if err != nil {
						t.Fatal(err)
					}
					if total != len(l.want) || info.HasPreviousPage != (pages > 0) {
						t.Fatalf("page %d: total %d, %+v", pages, total, info)
					}
					forward = append(forward, ids...)
					if !info.HasNextPage {
						break
					}
					p.After = info.EndCursor
				}
				if !slices.Equal(forward, l.want) {
					t.Errorf("forward = %v, want %v", forward, l.want)
				}
				var backward []string
				p = store.Page{Last: ptr(2)}
				for {
					ids, info, _, err := l.list(p)
					if err != nil {
						t.Fatal(err)
					}
					backward = append(ids, backward...)
					if !info.HasPreviousPage {
						break
					}
					p.Before = info.StartCursor
				}
				if !slices.Equal(backward, l.want) {
					t.Errorf("backward = %v, want %v", backward, l.want)
				}
				// A cursor of the next list is not a cursor of this one.
				other := lists[(i+1)%len(lists)]
				_, info, _, _ := other.list(store.Page{First: ptr(1)})
				_, _, _, err := l.list(store.Page{After: info.EndCursor})
				wantErr(t, err, store.ErrInvalidCursor)
			})
		}
	})
}

// page adapts a page of a list to the ids of its items.
func page[T any](c *store.Connection[T], err error) func(id func(T) string) ([]string, store.PageInfo, int, error) {
	return func(id func(T) string) ([]string, store.PageInfo, int, error) {
		if err != nil {
			return nil, store.PageInfo{}, 0, err
		}
		ids := make([]string, len(c.Edges))
		for i, e := range c.Edges {
			ids[i] = id(e.Node)
		}
		return ids, c.PageInfo, c.TotalCount, nil
	}
}

func idStrings(ids []uuid.UUID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}

func eventIDs(events []store.TimelineEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = fmt.Sprint(e.ID)
	}
	return out
}

func messageIDs(ms []store.OutboxMessage) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID.String()
	}
	return out
}
