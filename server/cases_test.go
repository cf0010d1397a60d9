package server

import (
	"context"
	"strings"
	"testing"

	"github.com/poort-nl/poort/auth"
)

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
		Version int
		Partner struct{ ID string }
		Step    struct{ ID string }
	}
	Timeline []struct{ Kind string }
	Messages []struct {
		Status  string
		Partner struct{ ID string }
	}
}

const caseFields = `id status version subjectId tasks { id kind reason status version partner { id } step { id } }
  timeline { kind } messages { status partner { id } }`

func (h *testHub) startLifeEvent(t *testing.T, token, kind, subjectKind, subjectID, channel, key string) (gqlResponse, caseResult, bool) {
	t.Helper()
	r := h.queryAs(t, token, `mutation($in: StartLifeEventInput!) { startLifeEvent(input: $in) { replayed case { `+caseFields+` } } }`,
		map[string]any{"in": map[string]any{"kind": kind, "subjectKind": subjectKind, "subjectId": subjectID, "channel": channel, "idempotencyKey": key}})
	var got struct {
		StartLifeEvent struct {
			Replayed bool
			Case     caseResult
		}
	}
	if len(r.Errors) == 0 {
		r.decode(t, &got)
	}
	return r, got.StartLifeEvent.Case, got.StartLifeEvent.Replayed
}

func TestStartLifeEvent(t *testing.T) {
	h := newTestHub(t)
	child := h.Mocks.Population.Scenarios.RecentBirth
	_, c, replayed := h.startLifeEvent(t, h.token, "BIRTH", "PERSON", child, "DESK", "birth-1")
	if replayed || c.ID == "" || c.Status != "OPEN" || c.SubjectID != child || len(c.Tasks) == 0 {
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
		t.Error("no manual task, though the birth has coupling gaps")
	}
	if len(c.Messages) == 0 || c.Timeline[0].Kind != "case_opened" {
		t.Fatalf("messages %+v, timeline %+v", c.Messages, c.Timeline)
	}

	// The same key returns the first case; another request under it is refused.
	_, again, replayed := h.startLifeEvent(t, h.token, "BIRTH", "PERSON", child, "DESK", "birth-1")
	if !replayed || again.ID != c.ID {
		t.Fatalf("replay opened %s (replayed %v), want %s", again.ID, replayed, c.ID)
	}
	r, _, _ := h.startLifeEvent(t, h.token, "BIRTH", "PERSON", child, "WEB", "birth-1")
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "IDEMPOTENCY_KEY_REUSED" {
		t.Fatalf("key reuse: %+v", r.Errors)
	}

	// The dispatcher delivers a notification per partner with automated tasks.
	res, err := h.Dispatcher.DispatchOnce(context.Background())
	if err != nil || res.Delivered != len(c.Messages) {
		t.Fatalf("dispatch = %+v, %v; want %d delivered", res, err, len(c.Messages))
	}
	for _, m := range c.Messages {
		if got := h.Partners.Received(m.Partner.ID); len(got) != 1 {
			t.Errorf("partner %s received %d notifications", m.Partner.ID, len(got))
		}
	}
	var after struct{ Case caseResult }
	h.query(t, `query($id: ID!) { case(id: $id) { `+caseFields+` } }`, map[string]any{"id": c.ID}).decode(t, &after)
	sent := 0
	for _, task := range after.Case.Tasks {
		if task.Status == "SENT" {
			sent++
		}
	}
	if sent == 0 || !strings.Contains(strings.Join(kinds(after.Case), ","), "message_delivered") {
		t.Fatalf("after dispatch: %+v", after.Case)
	}
}

func kinds(c caseResult) []string {
	var out []string
	for _, e := range c.Timeline {
		out = append(out, e.Kind)
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _, _ := h.startLifeEvent(t, h.token, tt.kind, tt.subjectKind, tt.id, tt.channel, tt.key)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != tt.code || r.Errors[0].Extensions["argument"] != tt.argument {
				t.Fatalf("errors = %+v", r.Errors)
			}
		})
	}
	auditor := h.tokenFor(t, auth.Principal{Role: "auditor"})
	if r, _, _ := h.startLifeEvent(t, auditor, "BIRTH", "PERSON", p.Scenarios.RecentBirth, "DESK", "k3"); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("auditor: %+v", r.Errors)
	}
	citizen := h.tokenFor(t, auth.Principal{Subject: "digid", Role: "burger", CitizenBSN: p.Scenarios.Mover})
	if r, _, _ := h.startLifeEvent(t, citizen, "MOVING", "PERSON", p.Scenarios.Household, "WEB", "k4"); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("citizen for another: %+v", r.Errors)
	}
}

func TestHandOverAndOptimisticLocking(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	_, c, _ := h.startLifeEvent(t, h.token, "BECOMING_UNEMPLOYED", "PERSON", p.Scenarios.JobLoss, "PHONE", "ww-1")
	hand := func(in map[string]any) gqlResponse {
		return h.query(t, `mutation($in: HandOverInput!) { handOver(input: $in) { replayed handover { id status version toPartner { id } } } }`, map[string]any{"in": in})
	}
	r := hand(map[string]any{"caseId": c.ID, "toPartner": "uwv", "reason": "WW application", "notes": "lost job last month", "channel": "PHONE", "idempotencyKey": "h-1"})
	var got struct {
		HandOver struct {
			Handover struct {
				ID, Status string
				Version    int
				ToPartner  struct{ ID string }
			}
		}
	}
	r.decode(t, &got)
	ho := got.HandOver.Handover
	if ho.Status != "HANDED_OVER" || ho.ToPartner.ID != "uwv" {
		t.Fatalf("handover = %+v", ho)
	}
	for name, in := range map[string]map[string]any{
		"unknown partner": {"caseId": c.ID, "toPartner": "ministry-of-magic", "reason": "x", "idempotencyKey": "h-2"},
		"no subject":      {"toPartner": "uwv", "reason": "x", "idempotencyKey": "h-3"},
	} {
		if r := hand(in); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
			t.Errorf("%s: %+v", name, r.Errors)
		}
	}
	ack := `mutation($id: ID!, $v: Int!) { acknowledgeHandover(id: $id, expectedVersion: $v) { status version } }`
	if r := h.query(t, ack, map[string]any{"id": ho.ID, "v": ho.Version + 5}); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "CONFLICT" {
		t.Fatalf("stale acknowledge: %+v", r.Errors)
	}
	h.query(t, ack, map[string]any{"id": ho.ID, "v": ho.Version}).decode(t, &struct{}{})

	task := c.Tasks[0]
	upd := `mutation($in: UpdateTaskInput!) { updateTask(input: $in) { task { status version } } }`
	h.query(t, upd, map[string]any{"in": map[string]any{"id": task.ID, "expectedVersion": task.Version, "status": "ACKNOWLEDGED"}}).decode(t, &struct{}{})
	r = h.query(t, upd, map[string]any{"in": map[string]any{"id": task.ID, "expectedVersion": task.Version, "status": "DONE"}})
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "CONFLICT" || r.Errors[0].Extensions["actualVersion"] == nil {
		t.Fatalf("stale update: %+v", r.Errors)
	}

	var tl struct {
		Case struct{ Timeline []struct{ Kind string } }
	}
	h.query(t, `query($id: ID!) { case(id: $id) { timeline { kind } } }`, map[string]any{"id": c.ID}).decode(t, &tl)
	var ks []string
	for _, e := range tl.Case.Timeline {
		ks = append(ks, e.Kind)
	}
	for _, want := range []string{"case_opened", "handover_made", "handover_acknowledged", "task_status_changed"} {
		if !strings.Contains(strings.Join(ks, ","), want) {
			t.Errorf("timeline %v lacks %s", ks, want)
		}
	}
}

func TestCasesPagination(t *testing.T) {
	h := newTestHub(t)
	bsn := h.Mocks.Population.Scenarios.Mover
	for _, k := range []string{"m-1", "m-2", "m-3"} {
		if r, _, _ := h.startLifeEvent(t, h.token, "MOVING", "PERSON", bsn, "WEB", k); len(r.Errors) > 0 {
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
	h.query(t, q, map[string]any{"id": bsn}).decode(t, &p1)
	h.query(t, q, map[string]any{"id": bsn, "after": p1.Cases.PageInfo.EndCursor}).decode(t, &p2)
	if p1.Cases.TotalCount != 3 || len(p1.Cases.Edges) != 2 || !p1.Cases.PageInfo.HasNextPage || len(p2.Cases.Edges) != 1 || p2.Cases.PageInfo.HasNextPage {
		t.Fatalf("pages %+v %+v", p1, p2)
	}
	if r := h.query(t, q, map[string]any{"id": bsn, "after": "garbage"}); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Fatalf("bad cursor: %+v", r.Errors)
	}
}
