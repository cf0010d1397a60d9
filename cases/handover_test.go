package cases_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

func TestHandOverWithCase(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		clk := newClock()
		s := newService(t, db.Store, clk)
		res := start(t, s, "becoming-unemployed", person(bsnA), "desk", "k")

		req := cases.HandOverRequest{
			CaseID: res.Case.ID, ToPartner: "uwv", Reason: "WW application and registration as a job seeker",
			Context:         cases.HandoverContext{Step: "uwv-handover", Notes: "dismissed per 1 March; employer letter seen"},
			FromFrontOffice: "KCC", IdempotencyKey: "h1", Principal: clerk,
		}
		h, replayed, err := s.HandOver(ctx, req)
		if err != nil || replayed {
			t.Fatalf("HandOver = %v, %v", replayed, err)
		}
		if h.CaseID == nil || *h.CaseID != res.Case.ID || h.Subject != person(bsnA) || h.ToPartnerID != "uwv" ||
			h.FromOrganisation != clerk.Organisation || h.FromFrontOffice != "KCC" || h.CreatedBy != clerk.ID ||
			h.Context.LifeEventID != "becoming-unemployed" || h.Context.Channel != "desk" || h.Context.StepID != "uwv-handover" ||
			h.Status != store.HandoverHandedOver || h.Version != 1 {
			t.Errorf("handover = %+v", h)
		}

		// The partner is notified in the same transaction.
		msgs, _ := nodes(s.Messages(ctx, res.Case.ID, wholeList))
		var m *store.OutboxMessage
		for i := range msgs {
			if msgs[i].HandoverID != nil && *msgs[i].HandoverID == h.ID {
				m = &msgs[i]
			}
		}
		if m == nil || m.PartnerID != "uwv" || m.TaskID != nil {
			t.Fatalf("no notification of the handover to uwv among %+v", msgs)
		}
		var n cases.Notification
		if err := json.Unmarshal(m.Payload, &n); err != nil {
			t.Fatal(err)
		}
		if n.Type != cases.TypeHandover || n.Subject.ID != bsnA || n.LifeEvent != "becoming-unemployed" ||
			n.Channel != "desk" || n.Handover == nil || n.Handover.Reason != req.Reason || n.Handover.Notes != req.Context.Notes ||
			len(n.Steps) != 1 || n.Steps[0].ID != "uwv-handover" || n.From.FrontOffice != "KCC" {
			t.Errorf("notification = %+v", n)
		}

		// The same key again is the same handover.
		again, replayed, err := s.HandOver(ctx, req)
		if err != nil || !replayed || again.ID != h.ID {
			t.Fatalf("replay = %+v, %v, %v", again, replayed, err)
		}
		req.Reason = "something else"
		_, _, err = s.HandOver(ctx, req)
		wantErr(t, err, cases.ErrIdempotencyMismatch)

		// Acknowledging with a stale version is a conflict; with the
		// current one it succeeds, and again is a replay.
		_, _, err = s.AcknowledgeHandover(ctx, h.ID, 2, other)
		var ce *store.ConflictError
		if !errors.As(err, &ce) || cases.Code(err) != cases.CodeConflict {
			t.Fatalf("stale acknowledge: %v", err)
		}
		ack, replayed, err := s.AcknowledgeHandover(ctx, h.ID, 1, other)
		if err != nil || replayed || ack.Status != store.HandoverAcknowledged || ack.AcknowledgedBy != other.ID || ack.Version != 2 {
			t.Fatalf("acknowledge = %+v, %v, %v", ack, replayed, err)
		}
		if _, replayed, err := s.AcknowledgeHandover(ctx, h.ID, 1, other); err != nil || !replayed {
			t.Errorf("second acknowledge: %v, %v", replayed, err)
		}
		_, _, err = s.AcknowledgeHandover(ctx, uuid.New(), 1, other)
		wantErr(t, err, cases.ErrNotFound)

		events, _ := nodes(s.Timeline(ctx, res.Case.ID, wholeList))
		if got := fmt.Sprint(eventKinds(events)); got != "[case_opened handover_made handover_acknowledged]" {
			t.Errorf("timeline = %s", got)
		}
		open, err := nodes(s.Handovers(ctx, cases.HandoverQuery{ToPartner: "uwv", Status: store.HandoverAcknowledged}, wholeList))
		if err != nil || len(open) != 1 || open[0].ID != h.ID {
			t.Errorf("Handovers = %+v, %v", open, err)
		}
		if got, err := s.Handover(ctx, h.ID); err != nil || got.Version != 2 {
			t.Errorf("Handover = %+v, %v", got, err)
		}
	})
}

func TestHandOverSubjectWithoutCase(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := newService(t, db.Store, newClock())
		sub := person(bsnB)
		h, _, err := s.HandOver(ctx, cases.HandOverRequest{
			Subject: &sub, ToPartner: "svb", Reason: "question about AOW",
			Context:        cases.HandoverContext{Channel: "phone", Notes: "calls back tomorrow"},
			IdempotencyKey: "h", Principal: clerk,
		})
		if err != nil || h.CaseID != nil || h.Subject != sub || h.Context.Channel != "phone" {
			t.Fatalf("HandOver = %+v, %v", h, err)
		}
		list, err := nodes(s.Handovers(ctx, cases.HandoverQuery{Subject: &sub}, wholeList))
		if err != nil || len(list) != 1 {
			t.Fatalf("Handovers = %+v, %v", list, err)
		}
		// The notification is queued even without a case.
		due, err := db.Store.ClaimDue(ctx, h.CreatedAt.Add(time.Second), 10, time.Minute)
		if err != nil || len(due) != 1 || due[0].HandoverID == nil || *due[0].HandoverID != h.ID || due[0].PartnerID != "svb" {
			t.Fatalf("queued = %+v, %v", due, err)
		}
	})
}

func TestHandOverRefused(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := newService(t, db.Store, newClock())
		res := start(t, s, "birth", person(bsnA), "desk", "k")
		sub := person(bsnA)
		valid := cases.HandOverRequest{CaseID: res.Case.ID, ToPartner: "svb", Reason: "r", IdempotencyKey: "h", Principal: clerk}
		tests := []struct {
			name  string
			edit  func(r *cases.HandOverRequest)
			param string
			says  string
		}{
			{"partner not in the catalogue", func(r *cases.HandOverRequest) { r.ToPartner = "ministry-of-magic" }, "toPartner", "not a chain partner in the catalogue"},
			{"the front office is no partner", func(r *cases.HandOverRequest) { r.ToPartner = "front-office" }, "toPartner", "not a chain partner"},
			{"no partner", func(r *cases.HandOverRequest) { r.ToPartner = "" }, "toPartner", "required"},
			{"no case and no subject", func(r *cases.HandOverRequest) { r.CaseID = uuid.Nil }, "subject", "give a caseId or a subject"},
			{"an empty subject", func(r *cases.HandOverRequest) { r.CaseID, r.Subject = uuid.Nil, &cases.Subject{} }, "subject", "give a caseId or a subject"},
			{"a subject with a bad BSN", func(r *cases.HandOverRequest) {
				r.CaseID, r.Subject = uuid.Nil, &cases.Subject{Kind: cases.SubjectPerson, ID: "123456789"}
			}, "subject.id", "elfproef"},
			{"a subject that is not the case's", func(r *cases.HandOverRequest) { r.Subject = ptr(person(bsnB)) }, "subject", "does not match"},
			{"no reason", func(r *cases.HandOverRequest) { r.Reason = "" }, "reason", "why"},
			{"a step of another event", func(r *cases.HandOverRequest) { r.Context.Step = "ww-decision" }, "context.step", `no step "ww-decision"`},
			{"a step without an event", func(r *cases.HandOverRequest) {
				r.CaseID, r.Subject, r.Context.Step = uuid.Nil, &sub, "child-benefit"
			}, "context.step", "needs its life event"},
			{"an event of another subject kind", func(r *cases.HandOverRequest) { r.Context.LifeEvent = "renovation" }, "context.lifeEvent", "is about a ADDRESS"},
			{"an unknown channel", func(r *cases.HandOverRequest) { r.Context.Channel = "pigeon" }, "context.channel", "want one of"},
			{"no idempotency key", func(r *cases.HandOverRequest) { r.IdempotencyKey = "" }, "idempotencyKey", "required"},
			{"no principal", func(r *cases.HandOverRequest) { r.Principal = cases.Principal{} }, "principal", "required"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req := valid
				tt.edit(&req)
				_, _, err := s.HandOver(ctx, req)
				var ae *cases.ArgumentError
				if !errors.As(err, &ae) || ae.Param != tt.param || !strings.Contains(ae.Rule, tt.says) {
					t.Fatalf("got %v, want argument %q saying %q", err, tt.param, tt.says)
				}
			})
		}
		_, _, err := s.HandOver(ctx, cases.HandOverRequest{CaseID: uuid.New(), ToPartner: "svb", Reason: "r", IdempotencyKey: "h", Principal: clerk})
		wantErr(t, err, cases.ErrNotFound)

		list, err := nodes(s.Handovers(ctx, cases.HandoverQuery{CaseID: res.Case.ID}, wholeList))
		if err != nil || len(list) != 0 {
			t.Fatalf("refused handovers were recorded: %+v, %v", list, err)
		}
		msgs, _ := nodes(s.Messages(ctx, res.Case.ID, wholeList))
		for _, m := range msgs {
			if m.HandoverID != nil {
				t.Fatalf("a refused handover queued a message: %+v", m)
			}
		}
	})
}
