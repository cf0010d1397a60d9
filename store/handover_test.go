package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

func TestHandover(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		res := createCase(t, s, birthCase(person(bsnA), ""))

		req := store.NewHandover{
			CaseID:           res.Case.ID,
			FromOrganisation: "gemeente Utrecht",
			FromFrontOffice:  "KCC",
			ToPartnerID:      "svb",
			Reason:           "question about child benefit",
			Context:          store.HandoverContext{StepID: "child-benefit", Notes: "parents ask about the start date"},
			CreatedBy:        "kcc-employee-1",
			Notify: &store.NewOutboxMessage{PartnerID: "svb", Endpoint: "https://svb.example/handover",
				Payload: json.RawMessage(`{"type":"handover"}`)},
			IdempotencyKey: "hand-1",
		}
		h, replayed, err := s.CreateHandover(ctx, req)
		if err != nil || replayed {
			t.Fatalf("CreateHandover = %v, %v", replayed, err)
		}
		// The case supplies the subject and the missing context.
		if h.Subject != person(bsnA) || h.Context.LifeEventID != "birth" || h.Context.Channel != "desk" ||
			h.Status != store.HandoverHandedOver || h.Version != 1 || h.CaseID == nil || *h.CaseID != res.Case.ID {
			t.Fatalf("handover = %+v", h)
		}
		again, replayed, err := s.CreateHandover(ctx, req)
		if err != nil || !replayed || again.ID != h.ID {
			t.Fatalf("replay = %+v, %v, %v", again, replayed, err)
		}
		msgs, _ := nodes(s.Messages(ctx, res.Case.ID, wholeList))
		if len(msgs) != 3 || msgs[2].HandoverID == nil || *msgs[2].HandoverID != h.ID {
			t.Fatalf("handover notification missing or counted twice: %+v", msgs)
		}

		pending, err := nodes(s.ListHandovers(ctx, store.HandoverFilter{ToPartnerID: "svb", Status: store.HandoverHandedOver}, wholeList))
		if err != nil || len(pending) != 1 || pending[0].ID != h.ID {
			t.Fatalf("pending handovers = %+v, %v", pending, err)
		}

		t.Run("stale acknowledge", func(t *testing.T) {
			_, _, err := s.AcknowledgeHandover(ctx, store.HandoverAck{HandoverID: h.ID, ExpectedVersion: 7, By: "svb-employee"})
			var ce *store.ConflictError
			if !errors.As(err, &ce) || ce.Expected != 7 || ce.Actual != 1 {
				t.Fatalf("got %v, want a conflict expecting 7 and finding 1", err)
			}
		})
		acked, replayed, err := s.AcknowledgeHandover(ctx, store.HandoverAck{HandoverID: h.ID, ExpectedVersion: 1, By: "svb-employee"})
		if err != nil || replayed || acked.Status != store.HandoverAcknowledged || acked.AcknowledgedBy != "svb-employee" ||
			acked.AcknowledgedAt == nil || acked.Version != 2 {
			t.Fatalf("acknowledge = %+v, %v, %v", acked, replayed, err)
		}
		t.Run("acknowledge is idempotent", func(t *testing.T) {
			again, replayed, err := s.AcknowledgeHandover(ctx, store.HandoverAck{HandoverID: h.ID, ExpectedVersion: 1, By: "svb-employee"})
			if err != nil || !replayed || again.Version != 2 {
				t.Fatalf("second acknowledge = %+v, %v, %v", again, replayed, err)
			}
		})

		got, err := s.Handover(ctx, h.ID)
		if err != nil || got.Status != store.HandoverAcknowledged || !got.AcknowledgedAt.Equal(*acked.AcknowledgedAt) {
			t.Fatalf("Handover() = %+v, %v", got, err)
		}
		events, _ := nodes(s.Timeline(ctx, res.Case.ID, wholeList))
		want := []store.EventKind{store.EventCaseOpened, store.EventHandoverMade, store.EventHandoverAcknowledged}
		if kinds := eventKinds(events); fmt.Sprint(kinds) != fmt.Sprint(want) {
			t.Fatalf("timeline = %v, want %v", kinds, want)
		}
		if e := events[1]; e.HandoverID == nil || *e.HandoverID != h.ID || e.Actor != "kcc-employee-1" {
			t.Errorf("handover event = %+v", e)
		}
		if e := events[2]; e.Actor != "svb-employee" {
			t.Errorf("acknowledge event = %+v", e)
		}
	})
}

func TestHandoverWithoutCase(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		company := store.Subject{Kind: store.SubjectCompany, ID: kvkA}
		h, _, err := s.CreateHandover(ctx, store.NewHandover{
			Subject: company, FromOrganisation: "gemeente Utrecht", ToPartnerID: "kvk",
			Reason: "registration question", CreatedBy: "kcc-employee-1",
			Context: store.HandoverContext{LifeEventID: "start-business", Channel: "phone"},
		})
		if err != nil || h.CaseID != nil || h.Subject != company {
			t.Fatalf("CreateHandover = %+v, %v", h, err)
		}
		list, err := nodes(s.ListHandovers(ctx, store.HandoverFilter{Subject: &company}, wholeList))
		if err != nil || len(list) != 1 {
			t.Fatalf("by subject = %+v, %v", list, err)
		}
		// An employee finds the handovers they made, and not another's.
		mine, err := nodes(s.ListHandovers(ctx, store.HandoverFilter{CreatedBy: "kcc-employee-1"}, wholeList))
		if err != nil || len(mine) != 1 || mine[0].ID != h.ID {
			t.Fatalf("by creator = %+v, %v", mine, err)
		}
		if others, err := nodes(s.ListHandovers(ctx, store.HandoverFilter{CreatedBy: "kcc-employee-2"}, wholeList)); err != nil || len(others) != 0 {
			t.Fatalf("another creator's = %+v, %v", others, err)
		}

		_, _, err = s.CreateHandover(ctx, store.NewHandover{FromOrganisation: "x", ToPartnerID: "y", Reason: "z", CreatedBy: "w"})
		wantErr(t, err, store.ErrInvalidArgument) // neither case nor subject
		_, _, err = s.CreateHandover(ctx, store.NewHandover{CaseID: uuid.New(), FromOrganisation: "x", ToPartnerID: "y", Reason: "z", CreatedBy: "w"})
		wantErr(t, err, store.ErrNotFound)
		_, _, err = s.AcknowledgeHandover(ctx, store.HandoverAck{HandoverID: uuid.New(), ExpectedVersion: 1, By: "x"})
		wantErr(t, err, store.ErrNotFound)
		_, err = nodes(s.ListHandovers(ctx, store.HandoverFilter{}, wholeList))
		wantErr(t, err, store.ErrInvalidArgument)
	})
}

// TestTimelineOrder checks that a case's history reads back in the order
// it happened, whatever produced each event.
func TestTimelineOrder(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		res := createCase(t, s, birthCase(person(bsnA), ""))
		if _, _, err := s.UpdateTaskStatus(ctx, store.TaskStatusChange{TaskID: res.Tasks[2].ID, ExpectedVersion: 1,
			Status: store.TaskDone, Note: "called the insurer", Actor: "kcc-employee-1"}); err != nil {
			t.Fatal(err)
		}
		h, _, err := s.CreateHandover(ctx, store.NewHandover{CaseID: res.Case.ID, FromOrganisation: "gemeente Utrecht",
			ToPartnerID: "svb", Reason: "benefit question", CreatedBy: "kcc-employee-1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.AcknowledgeHandover(ctx, store.HandoverAck{HandoverID: h.ID, ExpectedVersion: 1, By: "svb-1"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.UpdateCaseStatus(ctx, store.CaseStatusChange{CaseID: res.Case.ID, ExpectedVersion: 1,
			Status: store.CaseClosed, Actor: "kcc-employee-1"}); err != nil {
			t.Fatal(err)
		}

		events, err := nodes(s.Timeline(ctx, res.Case.ID, wholeList))
		if err != nil {
			t.Fatal(err)
		}
		want := []store.EventKind{store.EventCaseOpened, store.EventTaskStatusChanged, store.EventHandoverMade,
			store.EventHandoverAcknowledged, store.EventCaseStatusChanged}
		if kinds := eventKinds(events); fmt.Sprint(kinds) != fmt.Sprint(want) {
			t.Fatalf("timeline = %v, want %v", kinds, want)
		}
		for i := 1; i < len(events); i++ {
			if events[i].ID <= events[i-1].ID || events[i].At.Before(events[i-1].At) {
				t.Errorf("event %d out of order: %+v after %+v", i, events[i], events[i-1])
			}
		}
		var data map[string]any
		if err := json.Unmarshal(events[1].Data, &data); err != nil || data["from"] != "open" || data["to"] != "done" ||
			data["note"] != "called the insurer" {
			t.Errorf("task event data = %s (%v)", events[1].Data, err)
		}
		if events[1].TaskID == nil || *events[1].TaskID != res.Tasks[2].ID {
			t.Errorf("task event does not name the task: %+v", events[1])
		}
		_, err = s.Timeline(ctx, uuid.New(), wholeList)
		wantErr(t, err, store.ErrNotFound)
	})
}
