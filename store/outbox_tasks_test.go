package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

// TestMarkDeliveredMovesAllItsTasks delivers one notification that stands
// for three of a partner's tasks: the one MarkDelivered moves those still
// open to sent, and leaves alone the task someone moved on already, the
// partner's task the message does not list, other partners' tasks and the
// manual task. A handover's message touches no task at all.
func TestMarkDeliveredMovesAllItsTasks(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		nc := birthCase(person(bsnA), "")
		nc.Tasks = append(nc.Tasks,
			store.NewTask{StepID: "record-name", PartnerID: "brp", Kind: store.TaskAutomated},
			store.NewTask{StepID: "parental-authority", PartnerID: "brp", Kind: store.TaskAutomated},
			store.NewTask{StepID: "register-address", PartnerID: "brp", Kind: store.TaskAutomated},
		)
		// Listed out of task order: the store keeps the case's order.
		nc.Messages[0].StepIDs = []string{"register-address", "register-birth", "record-name"}
		res := createCase(t, s, nc)
		tasks := map[string]store.Task{}
		for _, tk := range res.Tasks {
			tasks[tk.StepID] = tk
		}
		linked := []uuid.UUID{tasks["register-birth"].ID, tasks["record-name"].ID, tasks["register-address"].ID}

		msg := res.Messages[0]
		if !slices.Equal(msg.TaskIDs, linked) || msg.TaskID == nil || *msg.TaskID != linked[0] {
			t.Fatalf("enqueued message stands for %v (first %v), want %v", msg.TaskIDs, msg.TaskID, linked)
		}
		if got := res.Messages[1].TaskIDs; !slices.Equal(got, []uuid.UUID{tasks["child-benefit"].ID}) {
			t.Fatalf("svb message stands for %v", got)
		}
		// Every read gives the same links.
		if got, err := s.Message(ctx, msg.ID); err != nil || !slices.Equal(got.TaskIDs, linked) {
			t.Fatalf("Message = %+v, %v", got, err)
		}
		if msgs, err := nodes(s.Messages(ctx, res.Case.ID, wholeList)); err != nil || !slices.Equal(msgs[0].TaskIDs, linked) {
			t.Fatalf("Messages = %+v, %v", msgs, err)
		}

		// A handover on the case, delivered first, moves no task.
		_, _, err := s.CreateHandover(ctx, store.NewHandover{
			CaseID: res.Case.ID, FromOrganisation: "gemeente Utrecht", ToPartnerID: "brp",
			Reason: "question about the birth certificate", CreatedBy: "kcc-employee-1",
			Notify: &store.NewOutboxMessage{PartnerID: "brp", Endpoint: "https://brp.example/handover",
				Payload: json.RawMessage(`{"type":"handover"}`)},
		})
		if err != nil {
			t.Fatal(err)
		}
		msgs, _ := nodes(s.Messages(ctx, res.Case.ID, wholeList))
		handover := msgs[len(msgs)-1]
		if handover.HandoverID == nil || len(handover.TaskIDs) != 0 || handover.TaskID != nil {
			t.Fatalf("handover message = %+v", handover)
		}
		if err := s.MarkDelivered(ctx, handover.ID); err != nil {
			t.Fatal(err)
		}
		after, _ := s.Tasks(ctx, res.Case.ID)
		for i, tk := range after {
			if tk != res.Tasks[i] {
				t.Errorf("handover delivery changed task %s: %+v", tk.StepID, tk)
			}
		}

		// Someone moves one of the message's tasks on before it is delivered.
		moved, _, err := s.UpdateTaskStatus(ctx, store.TaskStatusChange{
			TaskID: tasks["record-name"].ID, ExpectedVersion: 1, Status: store.TaskAcknowledged, Actor: "brp-clerk",
		})
		if err != nil {
			t.Fatal(err)
		}

		claimed, err := s.ClaimDue(ctx, time.Now().Add(time.Second), 10, time.Minute)
		if err != nil || len(claimed) != 2 || claimed[0].ID != msg.ID || !slices.Equal(claimed[0].TaskIDs, linked) {
			t.Fatalf("claimed %+v, %v", claimed, err)
		}
		if err := s.MarkDelivered(ctx, msg.ID); err != nil {
			t.Fatal(err)
		}
		want := map[string]store.TaskStatus{
			"register-birth":     store.TaskSent,
			"register-address":   store.TaskSent,
			"record-name":        store.TaskAcknowledged, // moved on: left alone
			"parental-authority": store.TaskOpen,         // not in the message
			"child-benefit":      store.TaskOpen,         // another partner's message
			"health-insurance":   store.TaskOpen,         // manual
		}
		wantVersion := map[string]int64{"register-birth": 2, "register-address": 2, "record-name": moved.Version}
		after, _ = s.Tasks(ctx, res.Case.ID)
		for _, tk := range after {
			v := wantVersion[tk.StepID]
			if v == 0 {
				v = 1
			}
			if tk.Status != want[tk.StepID] || tk.Version != v {
				t.Errorf("task %s: %s at version %d, want %s at %d", tk.StepID, tk.Status, tk.Version, want[tk.StepID], v)
			}
		}

		// The delivery and both task changes are on the timeline, in task order.
		events, _ := nodes(s.Timeline(ctx, res.Case.ID, wholeList))
		kinds := fmt.Sprint(eventKinds(events))
		wantKinds := fmt.Sprint([]store.EventKind{store.EventCaseOpened, store.EventHandoverMade, store.EventMessageDelivered,
			store.EventTaskStatusChanged, store.EventMessageDelivered, store.EventTaskStatusChanged, store.EventTaskStatusChanged})
		if kinds != wantKinds {
			t.Fatalf("timeline = %s, want %s", kinds, wantKinds)
		}
		for i, step := range map[int]string{5: "register-birth", 6: "register-address"} {
			e := events[i]
			if e.TaskID == nil || *e.TaskID != tasks[step].ID || e.Actor != "outbox" || e.MessageID != nil {
				t.Errorf("event %d = %+v, want %s moved by the outbox", i, e, step)
			}
		}

		// Delivering again changes nothing.
		if err := s.MarkDelivered(ctx, msg.ID); err != nil {
			t.Fatal(err)
		}
		if again, _ := nodes(s.Timeline(ctx, res.Case.ID, wholeList)); len(again) != len(events) {
			t.Errorf("second delivery added %d events", len(again)-len(events))
		}
	})
}

// TestMigrationLinksExistingMessages writes a case as the release before
// migration 00002 did, with each message tied to one task, and opens it
// with the current release: each message then stands for its task and, for
// a life-event notification, for the partner's other automated tasks its
// payload lists, as the dispatcher used to mark them; delivering it moves
// them all. A message the previous release writes afterwards, during a
// rolling upgrade, still stands for its task.
func TestMigrationLinksExistingMessages(t *testing.T) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			dsn := "sqlite:" + filepath.Join(t.TempDir(), "poort.db")
			if name == "postgres" {
				dsn = env.PostgresDSN(t)
			}
			old, err := store.Open(ctx, dsn, store.WithMigrationsUpTo(1))
			if err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC().Truncate(time.Microsecond)
			caseID := uuid.New()
			steps := []struct{ step, partner, kind string }{
				{"register-birth", "brp", "automated"},
				{"child-benefit", "svb", "automated"},
				{"record-name", "brp", "automated"},
				{"health-insurance", "brp", "manual"},
				{"parental-authority", "brp", "automated"},
			}
			task := map[string]uuid.UUID{}
			messages := map[string]uuid.UUID{}
			insertMessage := func(tx *sqlx.Tx, key, partner string, taskID *uuid.UUID, payload string) error {
				id := uuid.New()
				messages[key] = id
				_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO outbox (id, case_id, task_id, handover_id,
					partner_id, endpoint, payload, idempotency_key, status, attempts, next_attempt_at, last_error,
					created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, 'pending', 0, ?, '', ?, ?)`),
					id, caseID, taskID, partner, "directory:"+partner, payload, key, now, now, now)
				return err
			}
			err = old.Transact(ctx, func(tx *sqlx.Tx) error {
				if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO cases (id, life_event_id, subject_kind,
					subject_id, channel, status, created_by, created_at, updated_at, version)
					VALUES (?, 'birth', 'PERSON', ?, 'desk', 'open', 'kcc-employee-1', ?, ?, 1)`),
					caseID, bsnA, now, now); err != nil {
					return err
				}
				for i, st := range steps {
					id := uuid.New()
					task[st.step] = id
					reason := ""
					if st.kind == "manual" {
						reason = "no coupling"
					}
					if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO tasks (id, case_id, position, step_id,
						partner_id, kind, reason, status, note, created_at, updated_at, version)
						VALUES (?, ?, ?, ?, ?, ?, ?, 'open', '', ?, ?, 1)`),
						id, caseID, i, st.step, st.partner, st.kind, reason, now, now); err != nil {
						return err
					}
				}
				birth, benefit := task["register-birth"], task["child-benefit"]
				for _, m := range []struct {
					key, partner string
					taskID       *uuid.UUID
					payload      string
				}{
					{"brp", "brp", &birth, `{"type":"lifeEventStarted","steps":[{"id":"register-birth"},{"id":"record-name"},{"id":"health-insurance"}]}`},
					{"svb", "svb", &benefit, `{"type":"lifeEventStarted","steps":[{"id":"child-benefit"}]}`},
					{"handover", "brp", nil, `{"type":"handover","steps":[{"id":"record-name"}]}`},
					{"odd steps", "brp", &birth, `{"type":"lifeEventStarted","steps":["record-name",3,{"id":"record-name"}]}`},
					{"no steps", "brp", &birth, `{"type":"lifeEventStarted","steps":{"id":"record-name"}}`},
					{"not a notification", "brp", &birth, `[1,2]`},
				} {
					if err := insertMessage(tx, m.key, m.partner, m.taskID, m.payload); err != nil {
						return err
					}
				}
				return nil
			})
			old.Close()
			if err != nil {
				t.Fatal(err)
			}

			s, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatalf("migrate: %v", err)
			}
			defer s.Close()
			// The previous release, still running beside this one, enqueues
			// a message the old way.
			err = s.Transact(ctx, func(tx *sqlx.Tx) error {
				id := task["parental-authority"]
				return insertMessage(tx, "written late", "brp", &id, `{"type":"lifeEventStarted","steps":[{"id":"parental-authority"}]}`)
			})
			if err != nil {
				t.Fatal(err)
			}

			want := map[string][]uuid.UUID{
				"brp":                {task["register-birth"], task["record-name"]},
				"svb":                {task["child-benefit"]},
				"handover":           nil,
				"odd steps":          {task["register-birth"], task["record-name"]},
				"no steps":           {task["register-birth"]},
				"not a notification": {task["register-birth"]},
				"written late":       {task["parental-authority"]},
			}
			for key, ids := range want {
				m, err := s.Message(ctx, messages[key])
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(m.TaskIDs, ids) {
					t.Errorf("message %q stands for %v, want %v", key, m.TaskIDs, ids)
				}
			}

			for _, key := range []string{"brp", "written late"} {
				if err := s.MarkDelivered(ctx, messages[key]); err != nil {
					t.Fatal(err)
				}
			}
			tasks, err := s.Tasks(ctx, caseID)
			if err != nil {
				t.Fatal(err)
			}
			for _, tk := range tasks {
				wantStatus := store.TaskOpen
				switch tk.StepID {
				case "register-birth", "record-name", "parental-authority":
					wantStatus = store.TaskSent
				}
				if tk.Status != wantStatus {
					t.Errorf("task %s is %s, want %s", tk.StepID, tk.Status, wantStatus)
				}
			}
		})
	}
}
