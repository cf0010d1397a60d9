package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

// threePartnerCase opens a case whose three partners are each notified of
// one automated task, beside a manual task.
func threePartnerCase(t *testing.T, s *store.Store) *store.CaseResult {
	t.Helper()
	nc := birthCase(person(bsnA), "")
	nc.Tasks = append(nc.Tasks, store.NewTask{StepID: "vaccination", PartnerID: "rivm", Kind: store.TaskAutomated})
	nc.Messages = append(nc.Messages, store.NewOutboxMessage{PartnerID: "rivm", Endpoint: "https://rivm.example/notify",
		Payload: json.RawMessage(`{"event":"birth"}`), StepIDs: []string{"vaccination"}})
	return createCase(t, s, nc)
}

func cancellation(partner string) (store.NewOutboxMessage, error) {
	return store.NewOutboxMessage{PartnerID: partner, Endpoint: "directory:" + partner, Payload: json.RawMessage(`{"type":"caseCancelled"}`)}, nil
}

// Cancelling a case withdraws what is not done and tells exactly the
// partners that heard of it: the one whose notification was delivered and
// the one whose delivery is under way, but not the one never reached,
// whose notification is withdrawn. A delivery under way that then fails is
// withdrawn, not tried again.
func TestCancelCase(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		res := threePartnerCase(t, s)
		byPartner := map[string]store.OutboxMessage{}
		for _, m := range res.Messages {
			byPartner[m.PartnerID] = m
		}
		now := time.Now()
		// brp: delivered. svb: claimed, being delivered. rivm: pending.
		claimed, err := s.ClaimDue(ctx, now, 2, time.Minute)
		if err != nil || len(claimed) != 2 || claimed[0].PartnerID != "brp" || claimed[1].PartnerID != "svb" {
			t.Fatalf("claimed %+v, %v", claimed, err)
		}
		if err := s.MarkDelivered(ctx, claimed[0].ID); err != nil {
			t.Fatal(err)
		}

		cc := store.CaseCancel{CaseID: res.Case.ID, ExpectedVersion: 1, Reason: "started for the wrong person", Actor: "kcc-employee-2", Notify: cancellation}
		_, err = s.CancelCase(ctx, store.CaseCancel{CaseID: res.Case.ID, ExpectedVersion: 5, Reason: "x", Actor: "a", Notify: cancellation})
		wantErr(t, err, store.ErrConflict)
		got, err := s.CancelCase(ctx, cc)
		if err != nil {
			t.Fatal(err)
		}
		if got.Replayed || got.Case.Status != store.CaseCancelled || got.Case.Version != 2 || len(got.Withdrawn) != 4 {
			t.Fatalf("cancel = %+v", got)
		}
		if !slices.Equal(got.Told, []string{"brp", "svb"}) {
			t.Fatalf("told %v, want brp (delivered) and svb (in flight)", got.Told)
		}
		tasks, _ := s.Tasks(ctx, res.Case.ID)
		for _, task := range tasks {
			if task.Status != store.TaskWithdrawn || task.Note != cc.Reason {
				t.Errorf("task %s: %s %q", task.StepID, task.Status, task.Note)
			}
		}
		if rivm, _ := s.Message(ctx, byPartner["rivm"].ID); rivm.Status != store.OutboxWithdrawn {
			t.Errorf("the unreached notification is %s, want withdrawn", rivm.Status)
		}
		// The delivery under way fails: it is withdrawn, not retried.
		if err := s.MarkFailed(ctx, claimed[1].ID, claimed[1].LeaseToken, nil, now.Add(time.Second), false); err != nil {
			t.Fatal(err)
		}
		if svb, _ := s.Message(ctx, claimed[1].ID); svb.Status != store.OutboxWithdrawn {
			t.Errorf("the failed delivery under way is %s, want withdrawn", svb.Status)
		}
		// What is due now is the two cancellations, nothing else.
		due, err := s.ClaimDue(ctx, now.Add(time.Hour), 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		var partners []string
		for _, m := range due {
			partners = append(partners, m.PartnerID)
			if string(m.Payload) != `{"type":"caseCancelled"}` || m.CaseID == nil || *m.CaseID != res.Case.ID || len(m.TaskIDs) != 0 {
				t.Errorf("due message %+v", m)
			}
		}
		if slices.Sort(partners); !slices.Equal(partners, []string{"brp", "svb"}) {
			t.Fatalf("due after the cancellation: %v", partners)
		}
		events, _ := nodes(s.Timeline(ctx, res.Case.ID, wholeList))
		if last := events[len(events)-1]; last.Kind != store.EventMessageWithdrawn {
			t.Errorf("last event %s, want the withdrawn delivery", last.Kind)
		}
		if !slices.Contains(eventKinds(events), store.EventCaseCancelled) {
			t.Errorf("timeline %v has no case_cancelled", eventKinds(events))
		}

		// Cancelling again changes nothing; a withdrawn task stays so.
		again, err := s.CancelCase(ctx, cc)
		if err != nil || !again.Replayed || again.Case.Version != 2 || len(again.Withdrawn) != 0 {
			t.Fatalf("again = %+v, %v", again, err)
		}
		_, _, err = s.UpdateTaskStatus(ctx, store.TaskStatusChange{TaskID: tasks[0].ID, ExpectedVersion: tasks[0].Version, Status: store.TaskDone, Actor: "a"})
		wantErr(t, err, store.ErrInvalidTransition)

		// A closed case cannot be cancelled.
		closed := createCase(t, s, birthCase(person(bsnB), ""))
		if _, _, err := s.UpdateCaseStatus(ctx, store.CaseStatusChange{CaseID: closed.Case.ID, ExpectedVersion: 1, Status: store.CaseClosed, Actor: "a"}); err != nil {
			t.Fatal(err)
		}
		_, err = s.CancelCase(ctx, store.CaseCancel{CaseID: closed.Case.ID, ExpectedVersion: 2, Reason: "x", Actor: "a", Notify: cancellation})
		wantErr(t, err, store.ErrInvalidTransition)
	})
}

// A list read with a scope holds only what the scope allows, and so does
// its count.
func TestScopedLists(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		birthA := createCase(t, s, birthCase(person(bsnA), ""))
		death := birthCase(person(bsnB), "")
		death.LifeEventID = "death"
		deathB := createCase(t, s, death)
		createCase(t, s, birthCase(person(bsnB), ""))

		list := func(sc *store.Scope) (int, []string) {
			t.Helper()
			conn, err := s.ListCases(ctx, store.CaseFilter{Scope: sc}, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range conn.Edges {
				ids = append(ids, e.Node.ID.String())
			}
			return conn.TotalCount, ids
		}
		if n, ids := list(&store.Scope{LifeEvents: []string{"death"}}); n != 1 || len(ids) != 1 || ids[0] != deathB.Case.ID.String() {
			t.Errorf("death only: %d %v", n, ids)
		}
		if n, _ := list(&store.Scope{LifeEvents: []string{"birth", "death"}}); n != 3 {
			t.Errorf("births and deaths: %d, want 3", n)
		}
		subject := person(bsnA)
		if n, ids := list(&store.Scope{LifeEvents: []string{"birth", "death"}, Subject: &subject}); n != 1 || ids[0] != birthA.Case.ID.String() {
			t.Errorf("one subject: %d %v", n, ids)
		}
		if n, ids := list(&store.Scope{}); n != 0 || len(ids) != 0 {
			t.Errorf("no life event: %d %v", n, ids)
		}

		hand := func(from, team, to string, caseID *store.CaseResult, key string) *store.Handover {
			t.Helper()
			nh := store.NewHandover{Subject: person(bsnB), FromOrganisation: from, FromFrontOffice: team, ToPartnerID: to,
				Reason: "r", CreatedBy: "emp", IdempotencyKey: key,
				Notify: &store.NewOutboxMessage{PartnerID: to, Endpoint: "directory:" + to, Payload: json.RawMessage(`{}`)}}
			if caseID != nil {
				nh.CaseID, nh.Subject = caseID.Case.ID, store.Subject{}
			}
			h, _, err := s.CreateHandover(ctx, nh)
			if err != nil {
				t.Fatal(err)
			}
			return h
		}
		kccToUWV := hand("gemeente-a", "front-office", "uwv", nil, "h1")
		kccToSVB := hand("gemeente-a", "front-office", "svb", nil, "h2")
		otherToUWV := hand("gemeente-b", "front-office", "uwv", nil, "h3")
		deathToSVB := hand("gemeente-a", "front-office", "svb", deathB, "h4")
		handovers := func(sc *store.Scope) []string {
			t.Helper()
			hs, err := nodes(s.ListHandovers(ctx, store.HandoverFilter{Scope: sc}, wholeList))
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, h := range hs {
				ids = append(ids, h.ID.String())
			}
			return ids
		}
		ids := func(hs ...*store.Handover) []string {
			var out []string
			for _, h := range hs {
				out = append(out, h.ID.String())
			}
			return out
		}
		tests := []struct {
			name string
			sc   store.Scope
			want []string
		}{
			{"the sending team, with death cases", store.Scope{Organisation: "gemeente-a", Team: "front-office", LifeEvents: []string{"death"}, WithoutLifeEvent: true}, ids(kccToUWV, kccToSVB, deathToSVB)},
			{"the sending team, without", store.Scope{Organisation: "gemeente-a", Team: "front-office", LifeEvents: []string{"birth"}, WithoutLifeEvent: true}, ids(kccToUWV, kccToSVB)},
			{"the sending team, acting for no purpose", store.Scope{Organisation: "gemeente-a", Team: "front-office", LifeEvents: []string{"death"}}, ids(deathToSVB)},
			{"another team of the sender", store.Scope{Organisation: "gemeente-a", Team: "civil-affairs", LifeEvents: []string{"death"}, WithoutLifeEvent: true}, nil},
			{"the receiving partner", store.Scope{Organisation: "uwv-oin", Team: "uwv", WithoutLifeEvent: true}, ids(kccToUWV, otherToUWV)},
			{"no team", store.Scope{Organisation: "gemeente-a", LifeEvents: []string{"death"}, WithoutLifeEvent: true}, nil},
		}
		for _, tt := range tests {
			if got := handovers(&tt.sc); !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}

		// Parked notifications of cases and handovers out of scope are
		// left out.
		park := func(partner string) {
			t.Helper()
			for {
				due, err := s.ClaimDue(ctx, time.Now().Add(time.Hour), 1, time.Minute)
				if err != nil || len(due) == 0 {
					t.Fatalf("nothing due for %s: %v", partner, err)
				}
				if err := s.MarkFailed(ctx, due[0].ID, due[0].LeaseToken, nil, time.Now(), due[0].PartnerID == partner); err != nil {
					t.Fatal(err)
				}
				if due[0].PartnerID == partner {
					return
				}
			}
		}
		park("uwv")
		parked := func(sc *store.Scope) int {
			t.Helper()
			ms, err := nodes(s.ListParked(ctx, sc, wholeList))
			if err != nil {
				t.Fatal(err)
			}
			return len(ms)
		}
		if all, uwv, kcc := parked(nil), parked(&store.Scope{Team: "uwv", WithoutLifeEvent: true}), parked(&store.Scope{Organisation: "gemeente-a", Team: "civil-affairs", WithoutLifeEvent: true}); all != 1 || uwv != 1 || kcc != 0 {
			t.Fatalf("parked: %d in all, %d for uwv, %d for another team", all, uwv, kcc)
		}
	})
}

// A NUL byte or invalid UTF-8 in a text a client chose is refused as an
// invalid argument on both databases, naming the field but not its value.
func TestTextsTheDatabasesCannotHold(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		nc := birthCase(person(bsnA), "key\x00Jan Jansen")
		_, err := s.CreateCase(ctx, nc)
		wantErr(t, err, store.ErrInvalidArgument)
		if contains(err.Error(), "Jansen") {
			t.Errorf("the error repeats the key: %v", err)
		}
		res := createCase(t, s, birthCase(person(bsnA), ""))
		_, _, err = s.CreateHandover(ctx, store.NewHandover{CaseID: res.Case.ID, FromOrganisation: "o", ToPartnerID: "svb",
			Reason: "r", Context: store.HandoverContext{Notes: "bad \xff byte"}, CreatedBy: "e"})
		wantErr(t, err, store.ErrInvalidArgument)
		_, _, err = s.UpdateTaskStatus(ctx, store.TaskStatusChange{TaskID: res.Tasks[0].ID, ExpectedVersion: 1, Status: store.TaskDone, Note: "\x00", Actor: "a"})
		wantErr(t, err, store.ErrInvalidArgument)
		_, err = s.CancelCase(ctx, store.CaseCancel{CaseID: res.Case.ID, ExpectedVersion: 1, Reason: "\x00", Actor: "a", Notify: cancellation})
		wantErr(t, err, store.ErrInvalidArgument)
	})
}

// A store whose database is gone says so with ErrUnavailable, on every
// kind of call, and not as an internal error.
func TestUnavailable(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := replica(t, db)
		res := createCase(t, s, birthCase(person(bsnA), ""))
		s.Close()
		_, err := s.Case(ctx, res.Case.ID)
		wantErr(t, err, store.ErrUnavailable)
		_, err = s.CreateCase(ctx, birthCase(person(bsnB), "k"))
		wantErr(t, err, store.ErrUnavailable)
		_, err = s.ListCases(ctx, store.CaseFilter{}, store.Page{})
		wantErr(t, err, store.ErrUnavailable)
		_, err = nodes(s.ListHandovers(ctx, store.HandoverFilter{ToPartnerID: "svb"}, wholeList))
		wantErr(t, err, store.ErrUnavailable)
	})
}
