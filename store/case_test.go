package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

func TestCreateCase(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		res := createCase(t, s, birthCase(person(bsnA), "key-1"))

		if res.Replayed {
			t.Error("first request reported as replayed")
		}
		c := res.Case
		if c.Status != store.CaseOpen || c.Version != 1 || c.Subject != person(bsnA) || c.LifeEventID != "birth" {
			t.Errorf("case = %+v", c)
		}
		if len(res.Tasks) != 3 || len(res.Messages) != 2 {
			t.Fatalf("got %d tasks and %d messages, want 3 and 2", len(res.Tasks), len(res.Messages))
		}
		manual := res.Tasks[2]
		if manual.Kind != store.TaskManual || manual.Reason == "" || manual.Status != store.TaskOpen {
			t.Errorf("manual task = %+v", manual)
		}
		if m := res.Messages[0]; m.TaskID == nil || *m.TaskID != res.Tasks[0].ID || m.Status != store.OutboxPending ||
			m.IdempotencyKey != m.ID.String() || string(m.Payload) != `{"event":"birth"}` {
			t.Errorf("message = %+v", m)
		}

		// Everything reads back as it was returned.
		got, err := s.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *got != c {
			t.Errorf("Case() = %+v, want %+v", *got, c)
		}
		tasks, err := s.Tasks(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i := range tasks {
			if tasks[i] != res.Tasks[i] {
				t.Errorf("task %d = %+v, want %+v", i, tasks[i], res.Tasks[i])
			}
		}
		msgs, err := nodes(s.Messages(ctx, c.ID, wholeList))
		if err != nil || len(msgs) != 2 || string(msgs[1].Payload) != `{"event":"birth"}` {
			t.Fatalf("Messages() = %+v, %v", msgs, err)
		}
		events, err := nodes(s.Timeline(ctx, c.ID, wholeList))
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || events[0].Kind != store.EventCaseOpened || events[0].Actor != "kcc-employee-1" {
			t.Errorf("timeline = %+v", events)
		}

		_, err = s.Case(ctx, uuid.New())
		wantErr(t, err, store.ErrNotFound)
	})
}

func TestCreateCaseIsOneTransaction(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		first := birthCase(person(bsnA), "")
		first.Messages[0].IdempotencyKey = "partner-key"
		createCase(t, s, first)

		// The second message clashes with the first case's partner key, so
		// the insert fails after the case and its tasks were written: none
		// of it may remain.
		second := birthCase(person(bsnB), "")
		second.Messages[1].IdempotencyKey = "partner-key"
		if _, err := s.CreateCase(ctx, second); err == nil {
			t.Fatal("CreateCase with a clashing partner key succeeded")
		}
		conn, err := s.ListCases(ctx, store.CaseFilter{Subject: ptr(person(bsnB))}, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if conn.TotalCount != 0 {
			t.Errorf("a failed CreateCase left %d cases behind", conn.TotalCount)
		}
		var tasks int
		err = s.Transact(ctx, func(tx *sqlx.Tx) error {
			return tx.GetContext(ctx, &tasks, "SELECT COUNT(*) FROM tasks")
		})
		if err != nil || tasks != 3 {
			t.Errorf("tasks in store = %d (%v), want only the first case's 3", tasks, err)
		}
	})
}

func TestCreateCaseIdempotency(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		first := createCase(t, s, birthCase(person(bsnA), "retry-me"))

		t.Run("same key replays", func(t *testing.T) {
			again := createCase(t, s, birthCase(person(bsnA), "retry-me"))
			if !again.Replayed || again.Case.ID != first.Case.ID || len(again.Tasks) != 3 || len(again.Messages) != 2 {
				t.Fatalf("replay = %+v, want the first case %s replayed", again, first.Case.ID)
			}
			if again.Tasks[0].ID != first.Tasks[0].ID || again.Messages[1].ID != first.Messages[1].ID {
				t.Error("replay returned other tasks or messages than the first request made")
			}
			conn, _ := s.ListCases(ctx, store.CaseFilter{Subject: ptr(person(bsnA))}, store.Page{})
			if conn.TotalCount != 1 {
				t.Errorf("%d cases after a replay, want 1", conn.TotalCount)
			}
		})
		t.Run("same key different request", func(t *testing.T) {
			other := birthCase(person(bsnB), "retry-me")
			_, err := s.CreateCase(ctx, other)
			wantErr(t, err, store.ErrIdempotencyMismatch)
		})
		t.Run("explicit request hash", func(t *testing.T) {
			a := birthCase(person(bsnA), "hashed")
			a.RequestHash = "h1"
			createCase(t, s, a)
			b := birthCase(person(bsnB), "hashed") // differs, but the caller says it is the same request
			b.RequestHash = "h1"
			if res := createCase(t, s, b); !res.Replayed {
				t.Error("same explicit hash not replayed")
			}
		})
		t.Run("keys are per principal", func(t *testing.T) {
			other := birthCase(person(bsnA), "retry-me")
			other.CreatedBy = "kcc-employee-2"
			res := createCase(t, s, other)
			if res.Replayed || res.Case.ID == first.Case.ID {
				t.Error("another principal's key replayed the first principal's case")
			}
		})
		t.Run("concurrent requests with one key", func(t *testing.T) {
			r := replica(t, db)
			var wg sync.WaitGroup
			ids := make([]uuid.UUID, 8)
			errs := make([]error, 8)
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					st := s
					if i%2 == 1 {
						st = r
					}
					res, err := st.CreateCase(ctx, birthCase(person(bsnB), "racing"))
					if err == nil {
						ids[i] = res.Case.ID
					}
					errs[i] = err
				}()
			}
			wg.Wait()
			for i := range 8 {
				if errs[i] != nil {
					t.Fatalf("request %d: %v", i, errs[i])
				}
				if ids[i] != ids[0] {
					t.Fatalf("racing requests opened different cases: %v", ids)
				}
			}
		})
	})
}

func TestCreateCaseValidation(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		cases := map[string]func(*store.NewCase){
			"no life event":       func(nc *store.NewCase) { nc.LifeEventID = "" },
			"bad subject kind":    func(nc *store.NewCase) { nc.Subject.Kind = "CAT" },
			"manual without why":  func(nc *store.NewCase) { nc.Tasks[2].Reason = "" },
			"bad task kind":       func(nc *store.NewCase) { nc.Tasks[0].Kind = "magic" },
			"duplicate step":      func(nc *store.NewCase) { nc.Tasks[1] = nc.Tasks[0] },
			"payload not json":    func(nc *store.NewCase) { nc.Messages[0].Payload = json.RawMessage(`{`) },
			"message for no task": func(nc *store.NewCase) { nc.Messages[0].StepIDs = []string{"nope"} },
			"another partner's task": func(nc *store.NewCase) {
				nc.Messages[0].StepIDs = []string{"register-birth", "child-benefit"}
			},
			"one task twice": func(nc *store.NewCase) {
				nc.Messages[0].StepIDs = []string{"register-birth", "register-birth"}
			},
		}
		for name, mutate := range cases {
			nc := birthCase(person(bsnA), "")
			mutate(&nc)
			_, err := db.Store.CreateCase(context.Background(), nc)
			if !errors.Is(err, store.ErrInvalidArgument) {
				t.Errorf("%s: got %v, want ErrInvalidArgument", name, err)
			}
		}
	})
}

func TestUpdateCaseStatus(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		c := createCase(t, s, birthCase(person(bsnA), "")).Case

		closed, replayed, err := s.UpdateCaseStatus(ctx, store.CaseStatusChange{
			CaseID: c.ID, ExpectedVersion: 1, Status: store.CaseClosed, Actor: "kcc-employee-1", IdempotencyKey: "close-1",
		})
		if err != nil || replayed || closed.Status != store.CaseClosed || closed.Version != 2 {
			t.Fatalf("close = %+v, %v, %v", closed, replayed, err)
		}
		again, replayed, err := s.UpdateCaseStatus(ctx, store.CaseStatusChange{
			CaseID: c.ID, ExpectedVersion: 1, Status: store.CaseClosed, Actor: "kcc-employee-1", IdempotencyKey: "close-1",
		})
		if err != nil || !replayed || again.Version != 2 {
			t.Fatalf("replayed close = %+v, %v, %v", again, replayed, err)
		}

		_, _, err = s.UpdateCaseStatus(ctx, store.CaseStatusChange{CaseID: c.ID, ExpectedVersion: 1, Status: store.CaseOpen, Actor: "x"})
		var ce *store.ConflictError
		if !errors.As(err, &ce) || ce.Expected != 1 || ce.Actual != 2 || !errors.Is(err, store.ErrConflict) {
			t.Fatalf("stale update: got %v, want a conflict expecting 1 and finding 2", err)
		}
		_, _, err = s.UpdateCaseStatus(ctx, store.CaseStatusChange{CaseID: c.ID, ExpectedVersion: 2, Status: store.CaseCancelled, Actor: "x"})
		wantErr(t, err, store.ErrInvalidTransition)
		_, _, err = s.UpdateCaseStatus(ctx, store.CaseStatusChange{CaseID: uuid.New(), ExpectedVersion: 1, Status: store.CaseClosed, Actor: "x"})
		wantErr(t, err, store.ErrNotFound)
	})
}
