package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

func TestUpdateTaskStatus(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		res := createCase(t, s, birthCase(person(bsnA), ""))
		task := res.Tasks[0]

		sent, replayed, err := s.UpdateTaskStatus(ctx, store.TaskStatusChange{
			TaskID: task.ID, ExpectedVersion: 1, Status: store.TaskSent, Note: "sent by hand", Actor: "kcc-employee-1",
			IdempotencyKey: "send-1",
		})
		if err != nil || replayed || sent.Status != store.TaskSent || sent.Version != 2 || sent.Note != "sent by hand" {
			t.Fatalf("update = %+v, %v, %v", sent, replayed, err)
		}

		t.Run("replay returns the task without a conflict", func(t *testing.T) {
			again, replayed, err := s.UpdateTaskStatus(ctx, store.TaskStatusChange{
				TaskID: task.ID, ExpectedVersion: 1, Status: store.TaskSent, Note: "sent by hand", Actor: "kcc-employee-1",
				IdempotencyKey: "send-1",
			})
			if err != nil || !replayed || again.Version != 2 {
				t.Fatalf("replay = %+v, %v, %v", again, replayed, err)
			}
		})
		t.Run("same key, other change", func(t *testing.T) {
			_, _, err := s.UpdateTaskStatus(ctx, store.TaskStatusChange{
				TaskID: task.ID, ExpectedVersion: 2, Status: store.TaskDone, Actor: "kcc-employee-1", IdempotencyKey: "send-1",
			})
			wantErr(t, err, store.ErrIdempotencyMismatch)
		})
		t.Run("stale version", func(t *testing.T) {
			_, _, err := s.UpdateTaskStatus(ctx, store.TaskStatusChange{
				TaskID: task.ID, ExpectedVersion: 1, Status: store.TaskDone, Actor: "kcc-employee-1",
			})
			var ce *store.ConflictError
			if !errors.As(err, &ce) || ce.Entity != "task" || ce.Expected != 1 || ce.Actual != 2 {
				t.Fatalf("got %v, want a task conflict expecting 1 and finding 2", err)
			}
			if want := "expected version 1, actual version 2"; !contains(err.Error(), want) {
				t.Errorf("message %q does not say %q", err, want)
			}
		})
		t.Run("transitions", func(t *testing.T) {
			_, _, err := s.UpdateTaskStatus(ctx, store.TaskStatusChange{
				TaskID: task.ID, ExpectedVersion: 2, Status: store.TaskOpen, Actor: "x",
			})
			var te *store.TransitionError
			if !errors.As(err, &te) || te.From != "sent" || te.To != "open" || !errors.Is(err, store.ErrInvalidTransition) {
				t.Fatalf("sent → open: got %v", err)
			}
			done, _, err := s.UpdateTaskStatus(ctx, store.TaskStatusChange{TaskID: task.ID, ExpectedVersion: 2, Status: store.TaskDone, Actor: "x"})
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = s.UpdateTaskStatus(ctx, store.TaskStatusChange{TaskID: task.ID, ExpectedVersion: done.Version, Status: store.TaskFailed, Actor: "x"})
			wantErr(t, err, store.ErrInvalidTransition)

			// A failed task can be reopened.
			other := res.Tasks[1]
			failed, _, err := s.UpdateTaskStatus(ctx, store.TaskStatusChange{TaskID: other.ID, ExpectedVersion: 1, Status: store.TaskFailed, Actor: "x"})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.UpdateTaskStatus(ctx, store.TaskStatusChange{TaskID: other.ID, ExpectedVersion: failed.Version, Status: store.TaskOpen, Actor: "x"}); err != nil {
				t.Fatalf("failed → open: %v", err)
			}
		})
		t.Run("unknown task", func(t *testing.T) {
			_, _, err := s.UpdateTaskStatus(ctx, store.TaskStatusChange{TaskID: uuid.New(), ExpectedVersion: 1, Status: store.TaskDone, Actor: "x"})
			wantErr(t, err, store.ErrNotFound)
		})
	})
}

// TestConcurrentTaskUpdates races many writers, spread over two replicas,
// on one task: for each version exactly one wins and the rest get
// ErrConflict.
func TestConcurrentTaskUpdates(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		a, b := db.Store, replica(t, db)
		task := createCase(t, a, birthCase(person(bsnA), "")).Tasks[0]

		const writers = 16
		var wins, conflicts atomic.Int32
		var wg sync.WaitGroup
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := a
				if i%2 == 1 {
					s = b
				}
				_, _, err := s.UpdateTaskStatus(ctx, store.TaskStatusChange{
					TaskID: task.ID, ExpectedVersion: 1, Status: store.TaskSent, Actor: "writer",
				})
				switch {
				case err == nil:
					wins.Add(1)
				case errors.Is(err, store.ErrConflict):
					conflicts.Add(1)
				default:
					t.Errorf("writer %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 || conflicts.Load() != writers-1 {
			t.Fatalf("%d wins and %d conflicts, want 1 and %d", wins.Load(), conflicts.Load(), writers-1)
		}
		got, _ := a.Task(ctx, task.ID)
		if got.Version != 2 || got.Status != store.TaskSent {
			t.Errorf("task after the race = %+v", got)
		}
	})
}

// TestNoLostUpdates has writers on two replicas move one task through its
// whole life, each re-reading and retrying on conflict. Every step must
// happen exactly once: no update is lost and none is applied twice.
func TestNoLostUpdates(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		a, b := db.Store, replica(t, db)
		res := createCase(t, a, birthCase(person(bsnA), ""))
		task := res.Tasks[0]
		next := map[store.TaskStatus]store.TaskStatus{
			store.TaskOpen: store.TaskSent, store.TaskSent: store.TaskAcknowledged, store.TaskAcknowledged: store.TaskDone,
		}

		var applied atomic.Int32
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := a
				if i%2 == 1 {
					s = b
				}
				for {
					cur, err := s.Task(ctx, task.ID)
					if err != nil {
						t.Error(err)
						return
					}
					to, ok := next[cur.Status]
					if !ok {
						return // done
					}
					_, _, err = s.UpdateTaskStatus(ctx, store.TaskStatusChange{
						TaskID: task.ID, ExpectedVersion: cur.Version, Status: to, Actor: "writer",
					})
					switch {
					case err == nil:
						applied.Add(1)
					case errors.Is(err, store.ErrConflict):
					default:
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		got, _ := a.Task(ctx, task.ID)
		if applied.Load() != 3 || got.Version != 4 || got.Status != store.TaskDone {
			t.Fatalf("%d updates applied, task = %+v; want 3 and version 4, done", applied.Load(), got)
		}
		events, _ := nodes(a.Timeline(ctx, res.Case.ID, wholeList))
		var changes []string
		for _, e := range events {
			if e.Kind == store.EventTaskStatusChanged {
				changes = append(changes, e.Summary)
			}
		}
		if len(changes) != 3 {
			t.Errorf("timeline has %d task changes, want 3: %q", len(changes), changes)
		}
	})
}
