package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/internal/globalid"
	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/server/hubtest"
	"github.com/poort-nl/poort/store/storetest"
)

// eachStore runs fn with a hub on each database the store supports.
func eachStore(t *testing.T, fn func(t *testing.T, h *hubtest.Hub)) {
	t.Helper()
	stores.Each(t, func(t *testing.T, db storetest.Named) {
		log, _ := logging.New(os.Stderr, "text", "error")
		fn(t, newHubWith(t, log, server.Options{Store: db.Store}))
	})
}

type caseResult struct {
	ID        string
	Status    string
	Version   int
	SubjectID string
	Tasks     []struct {
		ID      string
		Kind    string
		Reason  *string
		Status  string
		Note    *string
		Version int
		Partner struct{ ID string }
		Step    struct{ ID string }
	}
	Timeline timeline
	Messages struct {
		Edges []struct {
			Node struct {
				Status  string
				Partner struct{ ID string }
			}
		}
	}
}

const caseFields = `id status version subjectId tasks { id kind reason status note version partner { id } step { id } }
  timeline(first: 100) { edges { node { kind data } } } messages(first: 100) { edges { node { status partner { id } } } }`

// timeline is a case's timeline as a test reads it.
type timeline struct {
	Edges []struct {
		Node struct {
			Kind string
			Data map[string]any
		}
	}
}

// startCase starts a life event; override, when not empty, is the
// overrideReason.
func startCase(t *testing.T, h *hubtest.Hub, token, kind, subjectKind, subjectID, channel, key, override string) (hubtest.Response, caseResult, bool) {
	t.Helper()
	in := map[string]any{"kind": kind, "subjectKind": subjectKind, "subjectId": subjectID, "channel": channel, "idempotencyKey": key}
	if override != "" {
		in["overrideReason"] = override
	}
	r := h.QueryAs(t, token, `mutation($in: StartLifeEventInput!) { startLifeEvent(input: $in) { replayed case { `+caseFields+` } } }`,
		map[string]any{"in": in})
	var got struct {
		StartLifeEvent struct {
			Replayed bool
			Case     caseResult
		}
	}
	if len(r.Errors) == 0 {
		r.Decode(t, &got)
	}
	return r, got.StartLifeEvent.Case, got.StartLifeEvent.Replayed
}

func startLifeEvent(t *testing.T, h *hubtest.Hub, token, kind, subjectKind, subjectID, channel, key string) (hubtest.Response, caseResult, bool) {
	t.Helper()
	return startCase(t, h, token, kind, subjectKind, subjectID, channel, key, "")
}

// employee is a token of a municipal employee of one organisation.
func employee(t *testing.T, h *hubtest.Hub, role string, purposes ...string) string {
	t.Helper()
	return h.TokenFor(t, auth.Principal{Subject: "emp-" + role, Organisation: "00000001001234567000", Role: role, Purposes: purposes})
}

func code(r hubtest.Response) any {
	if len(r.Errors) == 0 {
		return nil
	}
	return r.Errors[0].Extensions["code"]
}

func TestStartLifeEvent(t *testing.T) {
	eachStore(t, func(t *testing.T, h *hubtest.Hub) {
		// A renovation: the environmental service learns of it only from
		// the municipality, so it is notified.
		address := h.Mocks.Population.Scenarios.Renovation
		_, c, replayed := startLifeEvent(t, h, h.Token, "RENOVATION", "ADDRESS", address, "WEB", "renovation-1")
		if replayed || c.ID == "" || c.Status != "OPEN" || c.SubjectID != address || len(c.Tasks) == 0 {
			t.Fatalf("case = %+v", c)
		}
		manual := 0
		for _, task := range c.Tasks {
			if task.Kind == "MANUAL" {
				manual++
				if task.Reason == nil || *task.Reason == "" {
					t.Errorf("manual task %s without reason", task.Step.ID)
				}
			}
			if task.Partner.ID == "" || task.Status != "OPEN" {
				t.Errorf("task %+v", task)
			}
		}
		if manual == 0 {
			t.Error("no manual task, though the renovation has coupling gaps")
		}
		if len(c.Messages.Edges) == 0 || c.Timeline.Edges[0].Node.Kind != "CASE_OPENED" {
			t.Fatalf("messages %+v, timeline %+v", c.Messages, c.Timeline)
		}

		// The same key returns the first case; another request under it is refused.
		_, again, replayed := startLifeEvent(t, h, h.Token, "RENOVATION", "ADDRESS", address, "WEB", "renovation-1")
		if !replayed || again.ID != c.ID {
			t.Fatalf("replay opened %s (replayed %v), want %s", again.ID, replayed, c.ID)
		}
		r, _, _ := startCase(t, h, h.Token, "RENOVATION", "ADDRESS", address, "WEB", "renovation-1", "another request")
		if code(r) != "IDEMPOTENCY_KEY_REUSED" {
			t.Fatalf("key reuse: %+v", r.Errors)
		}
		saysNoGoNames(t, r)

		// The dispatcher delivers a notification per partner with automated tasks.
		res, err := h.Dispatcher.DispatchOnce(context.Background())
		if err != nil || res.Delivered != len(c.Messages.Edges) {
			t.Fatalf("dispatch = %+v, %v; want %d delivered", res, err, len(c.Messages.Edges))
		}
		for _, e := range c.Messages.Edges {
			m := e.Node
			if got := h.Partners.Received(m.Partner.ID); len(got) != 1 {
				t.Errorf("partner %s received %d notifications", m.Partner.ID, len(got))
			}
		}
		var after struct{ Case caseResult }
		h.Query(t, `query($id: ID!) { case(id: $id) { `+caseFields+` } }`, map[string]any{"id": c.ID}).Decode(t, &after)
		sent := 0
		for _, task := range after.Case.Tasks {
			if task.Status == "SENT" {
				sent++
			}
		}
		if sent == 0 || !strings.Contains(strings.Join(kinds(after.Case), ","), "MESSAGE_DELIVERED") {
			t.Fatalf("after dispatch: %+v", after.Case)
		}
	})
}

func kinds(c caseResult) []string {
	var out []string
	for _, e := range c.Timeline.Edges {
		out = append(out, e.Node.Kind)
	}
	return out
}

func TestStartLifeEventValidation(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	tests := []struct {
		name, kind, subjectKind, id, channel, key, code, argument string
	}{
		{"subject of another kind", "RENOVATION", "PERSON", p.Scenarios.Household, "DESK", "k1", "BAD_USER_INPUT", "subject.kind"},
		{"bad bsn", "BIRTH", "PERSON", "123456789", "DESK", "k2", "BAD_USER_INPUT", "subject.id"},
		{"no key", "BIRTH", "PERSON", p.Scenarios.RecentBirth, "DESK", "", "BAD_USER_INPUT", "idempotencyKey"},
		{"a NUL byte in the key", "BIRTH", "PERSON", p.Scenarios.RecentBirth, "DESK", "k\x00", "BAD_USER_INPUT", "idempotencyKey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _, _ := startLifeEvent(t, h, h.Token, tt.kind, tt.subjectKind, tt.id, tt.channel, tt.key)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != tt.code || r.Errors[0].Extensions["argument"] != tt.argument {
				t.Fatalf("errors = %+v", r.Errors)
			}
		})
	}
	auditor := h.TokenFor(t, auth.Principal{Role: "auditor"})
	if r, _, _ := startLifeEvent(t, h, auditor, "BIRTH", "PERSON", p.Scenarios.RecentBirth, "DESK", "k3"); code(r) != "FORBIDDEN" {
		t.Fatalf("auditor: %+v", r.Errors)
	}
	citizen := h.TokenFor(t, auth.Principal{Subject: "digid", Role: "burger", CitizenBSN: p.Scenarios.Mover})
	if r, _, _ := startLifeEvent(t, h, citizen, "MOVING", "PERSON", p.Scenarios.Household, "WEB", "k4"); code(r) != "FORBIDDEN" {
		t.Fatalf("citizen for another: %+v", r.Errors)
	}
}

// startLifeEvent asks the registries first: a DEATH case for a living
// person, or for a BSN the BRP does not know, is refused and notifies no
// one, unless the caller overrides with a reason, which the case keeps.
// Data the principal may not see is not asked, and the refusal says so.
func TestStartLifeEventChecksTheRegistries(t *testing.T) {
	eachStore(t, func(t *testing.T, h *hubtest.Hub) {
		p := h.Mocks.Population
		kcc := employee(t, h, "kcc-medewerker", "kcc-algemeen", "overlijden")
		tests := []struct {
			name, kind, subject, code string
		}{
			{"a death of a living person", "DEATH", p.Scenarios.Household, "EVENT_DOES_NOT_APPLY"},
			{"a death of someone the BRP does not know", "DEATH", unknownBSN(t, p), "NOT_FOUND"},
			{"unemployment, asked without the UWV purpose", "BECOMING_UNEMPLOYED", p.Scenarios.JobLoss, "FORBIDDEN"},
		}
		for _, tt := range tests {
			r, _, _ := startCase(t, h, kcc, tt.kind, "PERSON", tt.subject, "DESK", "k-"+tt.name, "")
			if code(r) != tt.code || !strings.Contains(r.Errors[0].Message, "overrideReason") {
				t.Errorf("%s: %+v, want %s naming overrideReason", tt.name, r.Errors, tt.code)
			}
		}
		if res, err := h.Dispatcher.DispatchOnce(context.Background()); err != nil || res.Claimed != 0 {
			t.Fatalf("refused cases notified partners: %+v, %v", res, err)
		}
		var list struct{ Cases struct{ TotalCount int } }
		h.Query(t, `{ cases { totalCount } }`, nil).Decode(t, &list)
		if list.Cases.TotalCount != 0 {
			t.Fatalf("%d cases opened by refused requests", list.Cases.TotalCount)
		}

		r, c, _ := startCase(t, h, kcc, "DEATH", "PERSON", p.Scenarios.Household, "DESK", "k-override", "the hospital reported the death; the BRP has not yet")
		if len(r.Errors) > 0 || c.Status != "OPEN" || c.Timeline.Edges[0].Node.Data["override"] != "the hospital reported the death; the BRP has not yet" {
			t.Fatalf("override: %+v, case %+v", r.Errors, c)
		}
		if r, _, _ := startCase(t, h, kcc, "DEATH", "PERSON", p.Scenarios.Deceased, "DESK", "k-deceased", ""); len(r.Errors) > 0 {
			t.Fatalf("a death the BRP shows: %+v", r.Errors)
		}
	})
}

// Reading or changing a case needs the purpose of its life event, or a
// role the policy grants case work for it; a list holds, and counts, only
// the cases the principal may see.
func TestCasesArePurposeBound(t *testing.T) {
	eachStore(t, func(t *testing.T, h *hubtest.Hub) {
		p := h.Mocks.Population
		registrar := employee(t, h, "kcc-medewerker", "kcc-algemeen", "bouwen-en-verbouwen")
		_, death, _ := startLifeEvent(t, h, registrar, "RENOVATION", "ADDRESS", p.Scenarios.Renovation, "WEB", "renovation-1")
		// The front office starts unemployment cases by its case work,
		// telling the registries' check to wait.
		_, ww, _ := startCase(t, h, registrar, "BECOMING_UNEMPLOYED", "PERSON", p.Scenarios.JobLoss, "PHONE", "ww-1", "asked at the desk")
		if death.ID == "" || ww.ID == "" {
			t.Fatal("cases not opened")
		}
		general := employee(t, h, "kcc-medewerker", "kcc-algemeen")
		consultant := employee(t, h, "consulent-werk-en-inkomen", "werk-en-inkomen")
		auditor := h.TokenFor(t, auth.Principal{Role: "auditor"})

		for _, tt := range []struct {
			name     string
			token    string
			visible  []string
			refused  string // a case it may not read
			mayWrite bool
		}{
			{"the death purpose", registrar, []string{death.ID, ww.ID}, "", true},
			{"general front-office work", general, []string{ww.ID}, death.ID, false},
			{"the unemployment consultant", consultant, []string{ww.ID}, death.ID, false},
			{"the auditor", auditor, nil, death.ID, false},
		} {
			t.Run(tt.name, func(t *testing.T) {
				var got struct {
					Cases struct {
						TotalCount int
						Edges      []struct{ Node struct{ ID string } }
					}
				}
				h.QueryAs(t, tt.token, `{ cases(first: 50) { totalCount edges { node { id } } } }`, nil).Decode(t, &got)
				var ids []string
				for _, e := range got.Cases.Edges {
					ids = append(ids, e.Node.ID)
				}
				if !slices.Equal(ids, tt.visible) || got.Cases.TotalCount != len(tt.visible) {
					t.Errorf("cases %v (total %d), want %v", ids, got.Cases.TotalCount, tt.visible)
				}
				if tt.refused == "" {
					return
				}
				if r := h.QueryAs(t, tt.token, `query($id: ID!) { case(id: $id) { subjectId } }`, map[string]any{"id": tt.refused}); code(r) != "FORBIDDEN" {
					t.Errorf("case(id) of another life event: %s %+v", r.Data, r.Errors)
				}
				task := death.Tasks[0]
				upd := h.QueryAs(t, tt.token, `mutation($in: UpdateTaskInput!) { updateTask(input: $in) { task { status } } }`,
					map[string]any{"in": map[string]any{"id": task.ID, "expectedVersion": task.Version, "status": "DONE"}})
				if code(upd) != "FORBIDDEN" {
					t.Errorf("updateTask of another life event: %+v", upd.Errors)
				}
				cancel := h.QueryAs(t, tt.token, `mutation($id: ID!) { cancelCase(id: $id, expectedVersion: 1, reason: "x") { case { status } } }`,
					map[string]any{"id": tt.refused})
				if code(cancel) != "FORBIDDEN" {
					t.Errorf("cancelCase of another life event: %+v", cancel.Errors)
				}
			})
		}
	})
}

type handoverResult struct {
	ID, Status, Notes string
	Version           int
}

const handOverMutation = `mutation($in: HandOverInput!) { handOver(input: $in) { replayed handover { id status version notes } } }`

// A handover is for the team that made it and the partner it is
// addressed to: only the latter acknowledges it, and nobody else reads it
// or finds it in a list.
func TestHandoversAreForSenderAndAddressee(t *testing.T) {
	eachStore(t, func(t *testing.T, h *hubtest.Hub) {
		p := h.Mocks.Population
		kcc := employee(t, h, "kcc-medewerker", "kcc-algemeen")
		_, ww, _ := startCase(t, h, kcc, "BECOMING_UNEMPLOYED", "PERSON", p.Scenarios.JobLoss, "PHONE", "ww-1", "asked at the desk")
		var got struct {
			HandOver struct{ Handover handoverResult }
		}
		h.QueryAs(t, kcc, handOverMutation, map[string]any{"in": map[string]any{
			"caseId": ww.ID, "toPartner": "work-and-income", "reason": "WW ends next month", "notes": "debts; lives alone", "idempotencyKey": "h-1",
		}}).Decode(t, &got)
		ho := got.HandOver.Handover

		consultant := employee(t, h, "consulent-werk-en-inkomen", "werk-en-inkomen")
		districtTeam := employee(t, h, "wijkteam-medewerker", "zorg-en-ondersteuning", "kcc-algemeen")
		elsewhere := h.TokenFor(t, auth.Principal{Subject: "kcc-2", Organisation: "00000001009999999000", Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}})
		read := `query($id: ID!) { handover(id: $id) { notes } }`
		list := `{ handovers(toPartner: "work-and-income") { edges { node { id } } } }`
		ack := `mutation($id: ID!, $v: Int!) { acknowledgeHandover(id: $id, expectedVersion: $v) { status } }`
		for _, tt := range []struct {
			name                string
			token               string
			reads, acknowledges bool
		}{
			{"the sending team", kcc, true, false},
			{"another organisation's front office", elsewhere, false, false},
			{"another team", districtTeam, false, false},
			{"the addressee", consultant, true, true},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r := h.QueryAs(t, tt.token, read, map[string]any{"id": ho.ID})
				if tt.reads != (len(r.Errors) == 0) || !tt.reads && code(r) != "FORBIDDEN" {
					t.Errorf("handover(id): %s %+v", r.Data, r.Errors)
				}
				var l struct {
					Handovers struct {
						Edges []struct{ Node struct{ ID string } }
					}
				}
				h.QueryAs(t, tt.token, list, nil).Decode(t, &l)
				if tt.reads != (len(l.Handovers.Edges) == 1) {
					t.Errorf("handovers lists %d", len(l.Handovers.Edges))
				}
				a := h.QueryAs(t, tt.token, ack, map[string]any{"id": ho.ID, "v": ho.Version})
				if tt.acknowledges != (len(a.Errors) == 0) || !tt.acknowledges && code(a) != "FORBIDDEN" {
					t.Errorf("acknowledgeHandover: %s %+v", a.Data, a.Errors)
				}
			})
		}
	})
}

// Every read of a case or handover is a disclosure in the audit log,
// under the case's subject and the purpose of its life event.
func TestCaseReadsAreAudited(t *testing.T) {
	eachStore(t, func(t *testing.T, h *hubtest.Hub) {
		p := h.Mocks.Population
		kcc := employee(t, h, "kcc-medewerker", "kcc-algemeen", "overlijden")
		_, c, _ := startLifeEvent(t, h, kcc, "DEATH", "PERSON", p.Scenarios.Deceased, "DESK", "death-1")
		h.QueryAs(t, kcc, handOverMutation, map[string]any{"in": map[string]any{
			"caseId": c.ID, "toPartner": "svb", "reason": "surviving partner's pension", "idempotencyKey": "h-1",
		}}).Decode(t, &struct{}{})
		before := auditRecords(t, h, p.Scenarios.Deceased)
		h.QueryAs(t, kcc, `query($id: ID!) { case(id: $id) { subjectId tasks { status } handovers { edges { node { notes } } } } }`, map[string]any{"id": c.ID}).Decode(t, &struct{}{})
		after := auditRecords(t, h, p.Scenarios.Deceased)
		added := after[len(before):]
		want := map[string]string{"poort.zaken.raadplegen": "handovers,subjectId,tasks", "poort.overdrachten.raadplegen": "notes"}
		if len(added) != len(want) {
			t.Fatalf("the read added %d records, want %d: %+v", len(added), len(want), added)
		}
		for _, rec := range added {
			if rec.Purpose != "overlijden" || rec.Registry != "POORT" || strings.Join(rec.Fields, ",") != want[rec.Name] || rec.Principal.Role != "kcc-medewerker" {
				t.Errorf("record %+v", rec)
			}
		}
	})
}

type auditRecord struct {
	Name, Registry, Purpose string
	Fields                  []string
	Principal               struct{ Role string }
}

// auditRecords lists the audit log's records about a person, oldest first.
func auditRecords(t *testing.T, h *hubtest.Hub, bsn string) []auditRecord {
	t.Helper()
	auditor := h.TokenFor(t, auth.Principal{Role: "auditor"})
	var got struct {
		AuditLog struct {
			Edges []struct{ Node auditRecord }
		}
	}
	h.QueryAs(t, auditor, `query($id: String!) { auditLog(subjectId: $id, first: 100) { edges { node { name registry purpose fields principal { role } } } } }`,
		map[string]any{"id": bsn}).Decode(t, &got)
	out := make([]auditRecord, len(got.AuditLog.Edges))
	for i, e := range got.AuditLog.Edges {
		out[i] = e.Node
	}
	return out
}

// cancelCase withdraws the open tasks, keeps the reason, and tells the
// partners that were notified, through the outbox.
func TestCancelCase(t *testing.T) {
	eachStore(t, func(t *testing.T, h *hubtest.Hub) {
		ctx := context.Background()
		_, c, _ := startLifeEvent(t, h, h.Token, "BIRTH", "PERSON", h.Mocks.Population.Scenarios.RecentBirth, "DESK", "birth-1")
		if _, err := h.Dispatcher.DispatchOnce(ctx); err != nil {
			t.Fatal(err)
		}
		cancel := `mutation($id: ID!, $v: Int!) { cancelCase(id: $id, expectedVersion: $v, reason: "registered under the wrong BSN") {
			replayed tasksWithdrawn partnersTold { id } case { ` + caseFields + ` } } }`
		var got struct {
			CancelCase struct {
				Replayed       bool
				TasksWithdrawn int
				PartnersTold   []struct{ ID string }
				Case           caseResult
			}
		}
		h.Query(t, cancel, map[string]any{"id": c.ID, "v": c.Version}).Decode(t, &got)
		cc := got.CancelCase
		if cc.Replayed || cc.Case.Status != "CANCELLED" || cc.TasksWithdrawn != len(c.Tasks) || len(cc.PartnersTold) != len(c.Messages.Edges) {
			t.Fatalf("cancel = %+v", cc)
		}
		for _, task := range cc.Case.Tasks {
			if task.Status != "WITHDRAWN" || task.Note == nil || *task.Note != "registered under the wrong BSN" {
				t.Errorf("task %s: %s", task.Step.ID, task.Status)
			}
		}
		if res, err := h.Dispatcher.DispatchOnce(ctx); err != nil || res.Delivered != len(c.Messages.Edges) {
			t.Fatalf("cancellations: %+v, %v", res, err)
		}
		for _, m := range cc.PartnersTold {
			recv := h.Partners.Received(m.ID)
			if len(recv) != 2 || !strings.Contains(string(recv[1].Body), `"caseCancelled"`) || !strings.Contains(string(recv[1].Body), "wrong BSN") {
				t.Errorf("%s received %d notifications, the last %s", m.ID, len(recv), recv[len(recv)-1].Body)
			}
		}
		h.Query(t, cancel, map[string]any{"id": c.ID, "v": c.Version}).Decode(t, &got)
		if !got.CancelCase.Replayed {
			t.Fatal("cancelling again changed something")
		}
		upd := h.Query(t, `mutation($in: UpdateTaskInput!) { updateTask(input: $in) { task { status } } }`,
			map[string]any{"in": map[string]any{"id": c.Tasks[0].ID, "expectedVersion": 2, "status": "WITHDRAWN"}})
		if code(upd) != "BAD_USER_INPUT" {
			t.Fatalf("updateTask to WITHDRAWN: %+v", upd.Errors)
		}
	})
}

// parkedMessages lists only the notifications of cases the principal may
// see, and requeueMessage refuses the others.
func TestParkedMessagesAreScoped(t *testing.T) {
	eachStore(t, func(t *testing.T, h *hubtest.Hub) {
		p := h.Mocks.Population
		registrar := employee(t, h, "kcc-medewerker", "kcc-algemeen", "bouwen-en-verbouwen")
		_, death, _ := startLifeEvent(t, h, registrar, "RENOVATION", "ADDRESS", p.Scenarios.Renovation, "WEB", "renovation-1")
		// The dispatcher gives up on every notification of the case.
		ctx := context.Background()
		due, err := h.Store.ClaimDue(ctx, time.Now(), 50, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range due {
			if err := h.Store.MarkFailed(ctx, m.ID, m.LeaseToken, errors.New("partner refuses"), time.Now(), true); err != nil {
				t.Fatal(err)
			}
		}
		parked := `{ parkedMessages { totalCount edges { node { id caseId } } } }`
		var mine, theirs struct {
			ParkedMessages struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID, CaseID string } }
			}
		}
		h.QueryAs(t, registrar, parked, nil).Decode(t, &mine)
		if n := len(mine.ParkedMessages.Edges); n != len(death.Messages.Edges) || n == 0 || mine.ParkedMessages.TotalCount != n {
			t.Fatalf("the registrar sees %d parked (of %d counted) of %d", n, mine.ParkedMessages.TotalCount, len(death.Messages.Edges))
		}
		if got := mine.ParkedMessages.Edges[0].Node.CaseID; got != death.ID {
			t.Errorf("a parked notification names case %q, want the case's id %q", got, death.ID)
		}
		general := employee(t, h, "kcc-medewerker", "kcc-algemeen")
		h.QueryAs(t, general, parked, nil).Decode(t, &theirs)
		if len(theirs.ParkedMessages.Edges) != 0 || theirs.ParkedMessages.TotalCount != 0 {
			t.Fatalf("general work sees %d parked notifications of a renovation case", theirs.ParkedMessages.TotalCount)
		}
		r := h.QueryAs(t, general, `mutation($id: ID!) { requeueMessage(id: $id) { status } }`, map[string]any{"id": mine.ParkedMessages.Edges[0].Node.ID})
		if code(r) != "FORBIDDEN" {
			t.Fatalf("requeue by general work: %+v", r.Errors)
		}
	})
}

func TestHandOverAndOptimisticLocking(t *testing.T) {
	eachStore(t, func(t *testing.T, h *hubtest.Hub) {
		p := h.Mocks.Population
		_, c, _ := startLifeEvent(t, h, h.Token, "BECOMING_UNEMPLOYED", "PERSON", p.Scenarios.JobLoss, "PHONE", "ww-1")
		hand := func(in map[string]any) hubtest.Response {
			return h.Query(t, handOverMutation, map[string]any{"in": in})
		}
		r := hand(map[string]any{"caseId": c.ID, "toPartner": "work-and-income", "reason": "WW application", "notes": "lost job last month", "channel": "PHONE", "idempotencyKey": "h-1"})
		var got struct {
			HandOver struct{ Handover handoverResult }
		}
		r.Decode(t, &got)
		ho := got.HandOver.Handover
		if ho.Status != "HANDED_OVER" {
			t.Fatalf("handover = %+v", ho)
		}
		for name, in := range map[string]map[string]any{
			"unknown partner": {"caseId": c.ID, "toPartner": "ministry-of-magic", "reason": "x", "idempotencyKey": "h-2"},
			"no subject":      {"toPartner": "uwv", "reason": "x", "idempotencyKey": "h-3"},
			"a NUL byte":      {"caseId": c.ID, "toPartner": "uwv", "reason": "x", "notes": "a\x00b", "idempotencyKey": "h-4"},
		} {
			if r := hand(in); code(r) != "BAD_USER_INPUT" {
				t.Errorf("%s: %+v", name, r.Errors)
			}
		}
		consultant := employee(t, h, "consulent-werk-en-inkomen", "werk-en-inkomen")
		ack := `mutation($id: ID!, $v: Int!) { acknowledgeHandover(id: $id, expectedVersion: $v) { status version } }`
		if r := h.QueryAs(t, consultant, ack, map[string]any{"id": ho.ID, "v": ho.Version + 5}); code(r) != "CONFLICT" {
			t.Fatalf("stale acknowledge: %+v", r.Errors)
		} else {
			saysNoGoNames(t, r)
		}
		h.QueryAs(t, consultant, ack, map[string]any{"id": ho.ID, "v": ho.Version}).Decode(t, &struct{}{})

		task := c.Tasks[0]
		upd := `mutation($in: UpdateTaskInput!) { updateTask(input: $in) { task { status version } } }`
		h.Query(t, upd, map[string]any{"in": map[string]any{"id": task.ID, "expectedVersion": task.Version, "status": "ACKNOWLEDGED"}}).Decode(t, &struct{}{})
		r = h.Query(t, upd, map[string]any{"in": map[string]any{"id": task.ID, "expectedVersion": task.Version, "status": "DONE"}})
		if code(r) != "CONFLICT" || r.Errors[0].Extensions["actualVersion"] == nil {
			t.Fatalf("stale update: %+v", r.Errors)
		}
		saysNoGoNames(t, r)

		var tl struct{ Case struct{ Timeline timeline } }
		h.Query(t, `query($id: ID!) { case(id: $id) { timeline { edges { node { kind } } } } }`, map[string]any{"id": c.ID}).Decode(t, &tl)
		var ks []string
		for _, e := range tl.Case.Timeline.Edges {
			ks = append(ks, e.Node.Kind)
		}
		for _, want := range []string{"CASE_OPENED", "HANDOVER_MADE", "HANDOVER_ACKNOWLEDGED", "TASK_STATUS_CHANGED"} {
			if !strings.Contains(strings.Join(ks, ","), want) {
				t.Errorf("timeline %v lacks %s", ks, want)
			}
		}
	})
}

func TestCasesPagination(t *testing.T) {
	eachStore(t, func(t *testing.T, h *hubtest.Hub) {
		bsn := h.Mocks.Population.Scenarios.Mover
		for _, k := range []string{"m-1", "m-2", "m-3"} {
			if r, _, _ := startLifeEvent(t, h, h.Token, "MOVING", "PERSON", bsn, "WEB", k); len(r.Errors) > 0 {
				t.Fatal(r.Errors)
			}
		}
		q := `query($id: String, $after: String) { cases(subjectKind: PERSON, subjectId: $id, first: 2, after: $after) {
		totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`
		type page struct {
			Cases struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct{ Node struct{ ID string } }
			}
		}
		var p1, p2 page
		h.Query(t, q, map[string]any{"id": bsn}).Decode(t, &p1)
		h.Query(t, q, map[string]any{"id": bsn, "after": p1.Cases.PageInfo.EndCursor}).Decode(t, &p2)
		if p1.Cases.TotalCount != 3 || len(p1.Cases.Edges) != 2 || !p1.Cases.PageInfo.HasNextPage || len(p2.Cases.Edges) != 1 || p2.Cases.PageInfo.HasNextPage {
			t.Fatalf("pages %+v %+v", p1, p2)
		}
		if r := h.Query(t, q, map[string]any{"id": bsn, "after": "garbage"}); code(r) != "BAD_USER_INPUT" {
			t.Fatalf("bad cursor: %+v", r.Errors)
		}
	})
}

// A store that is down gives STORE_UNAVAILABLE with HTTP 503 and
// Retry-After where nothing was done, and the log it leaves holds nothing
// the client chose, such as an idempotency key with a name and a BSN in it.
func TestStoreUnavailable(t *testing.T) {
	stores.Each(t, func(t *testing.T, db storetest.Named) {
		var out strings.Builder
		log, _ := logging.New(&out, "text", "info")
		h := newHubWith(t, log, server.Options{Store: db.Store})
		p := h.Mocks.Population
		db.Store.Close()
		key := "Jan Jansen 999-99-0019 " + p.Scenarios.Household
		for name, q := range map[string]struct {
			query string
			vars  map[string]any
		}{
			"a case":     {`query($id: ID!) { case(id: $id) { id } }`, map[string]any{"id": globalid.New(globalid.Case, "0195f3a2-7c1e-7000-8000-000000000001")}},
			"a mutation": {`mutation($in: StartLifeEventInput!) { startLifeEvent(input: $in) { case { id } } }`, map[string]any{"in": map[string]any{"kind": "MOVING", "subjectKind": "PERSON", "subjectId": p.Scenarios.Mover, "channel": "WEB", "idempotencyKey": key, "overrideReason": "test"}}},
		} {
			body, _ := json.Marshal(map[string]any{"query": q.query, "variables": q.vars})
			resp, raw := hubtest.Post(t, h.URL+"/graphql", h.Token, string(body))
			if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(raw), `"STORE_UNAVAILABLE"`) {
				t.Errorf("%s: %d (Retry-After %q) %s", name, resp.StatusCode, resp.Header.Get("Retry-After"), raw)
			}
		}
		for _, leak := range []string{"Jansen", "999-99-0019", p.Scenarios.Household} {
			if strings.Contains(out.String(), leak) {
				t.Errorf("the log holds %q:\n%s", leak, out.String())
			}
		}
	})
}

// goName matches what a client must not read in an error: a Go method
// call (CreateCase(...), Handover(...)), a Go type (lifeevents.Case), or
// a store's key where the graph gives global ids.
var goName = regexp.MustCompile(`\b[A-Z][a-z]+[A-Z]?\w*\(|\b[a-z]+\.[A-Z]\w+|Go value|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-`)

// saysNoGoNames checks that the errors of r speak the graph's language.
func saysNoGoNames(t *testing.T, r hubtest.Response) {
	t.Helper()
	for _, e := range r.Errors {
		if m := goName.FindString(e.Message); m != "" {
			t.Errorf("error %q names the code (%s)", e.Message, m)
		}
	}
}
