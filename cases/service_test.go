package cases_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

// task is a task as the tests expect it: step, partner and kind.
type task struct {
	step, partner string
	kind          store.TaskKind
}

func (t task) String() string { return t.step + "/" + t.partner + "/" + string(t.kind) }

const (
	automated = store.TaskAutomated
	manual    = store.TaskManual
	tracked   = store.TaskTracked
)

func tasksOf(res *store.CaseResult) []task {
	out := make([]task, len(res.Tasks))
	for i, t := range res.Tasks {
		out[i] = task{t.StepID, t.PartnerID, t.Kind}
	}
	return out
}

func TestStartLifeEvent(t *testing.T) {
	tests := []struct {
		event   string
		subject cases.Subject
		channel string
		tasks   []task
		// notified maps each partner to the steps its one notification
		// carries.
		notified map[string][]string
	}{
		// Every partner of a birth learns of it from the BRP: the case
		// tracks the steps and notifies no one.
		{
			event: "birth", subject: person(bsnA), channel: "desk",
			tasks: []task{
				{"register-birth", "front-office", tracked},
				{"recognition", "front-office", tracked}, // whether it applies was not asked
				{"child-benefit", "svb", tracked},
				{"child-budget", "toeslagen", tracked},
				{"health-insurance", "health-insurers", tracked},
				{"vaccination-invitation", "rivm", tracked},
				{"youth-health-care", "ggd", tracked},
				{"benefits-status", "svb", manual}, // front office, coupling missing
			},
		},
		// Only the municipality hands a case to the environmental service.
		{
			event: "renovation", subject: cases.Subject{Kind: cases.SubjectAddress, ID: addrA}, channel: "web",
			tasks: []task{
				{"permit-check", "omgevingsloket", tracked},
				{"application", "omgevingsloket", tracked},
				{"intake", "municipal-permits", tracked},
				{"assessment", "omgevingsdienst", automated},
				{"appearance-advice", "advisory-boards", manual},
				{"other-authorities", "water-boards", tracked},
				{"application-status", "omgevingsdienst", manual},
				{"bag-update", "municipal-permits", tracked},
			},
			notified: map[string][]string{"omgevingsdienst": {"assessment"}},
		},
		// The social district team investigates after a report (Wmo 2015).
		{
			event: "becoming-dependent-on-care", subject: person(bsnB), channel: "desk",
			tasks: []task{
				{"report", "social-district-team", manual},
				{"wlz-check", "social-district-team", automated},
				{"kitchen-table", "social-district-team", automated},
				{"assignment", "social-district-team", tracked},
				{"contribution", "cak", tracked},
				{"contribution-estimate", "cak", manual},
				{"home-adaptation", "social-district-team", manual},
				{"wlz-indication", "ciz", tracked},
			},
			notified: map[string][]string{"social-district-team": {"wlz-check", "kitchen-table"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.event, func(t *testing.T) {
			env.Each(t, func(t *testing.T, db storetest.Named) {
				ctx := context.Background()
				clk := newClock()
				s := newService(t, db.Store, clk)
				res := start(t, s, tt.event, tt.subject, tt.channel, keyBase+tt.event)

				c := res.Case
				if c.LifeEventID != tt.event || c.Subject != tt.subject || c.Channel != tt.channel ||
					c.Status != store.CaseOpen || c.CreatedBy != clerk.ID || c.Version != 1 || res.Replayed {
					t.Errorf("case = %+v", c)
				}
				if got := fmt.Sprint(tasksOf(res)); got != fmt.Sprint(tt.tasks) {
					t.Errorf("tasks\n got %s\nwant %s", got, fmt.Sprint(tt.tasks))
				}
				for _, tk := range res.Tasks {
					if (tk.Kind != store.TaskAutomated) != (tk.Reason != "") || tk.Status != store.TaskOpen {
						t.Errorf("task %s: kind %s, reason %q, status %s", tk.StepID, tk.Kind, tk.Reason, tk.Status)
					}
					if tk.Kind == store.TaskManual && !strings.HasPrefix(tk.Reason, "coupling ") {
						t.Errorf("manual task %s: reason %q does not name the coupling gap", tk.StepID, tk.Reason)
					}
				}

				if len(res.Messages) != len(tt.notified) {
					t.Fatalf("%d messages, want one per notified partner: %v", len(res.Messages), tt.notified)
				}
				taskByID := map[string]store.Task{}
				for _, tk := range res.Tasks {
					taskByID[tk.ID.String()] = tk
				}
				for _, m := range res.Messages {
					var n cases.Notification
					if err := json.Unmarshal(m.Payload, &n); err != nil {
						t.Fatal(err)
					}
					var steps []string
					for _, st := range n.Steps {
						steps = append(steps, st.ID)
					}
					want, ok := tt.notified[m.PartnerID]
					if !ok || !slices.Equal(steps, want) {
						t.Errorf("message to %s carries steps %v, want %v", m.PartnerID, steps, want)
					}
					if n.Type != cases.TypeLifeEventStarted || n.LifeEvent != tt.event || n.Channel != tt.channel ||
						n.Subject.Kind != string(tt.subject.Kind) || n.Subject.ID != tt.subject.ID ||
						n.From.Organisation != clerk.Organisation || !n.At.Equal(clk.Now()) {
						t.Errorf("notification to %s = %+v", m.PartnerID, n)
					}
					if m.CaseID == nil || *m.CaseID != c.ID || m.TaskID == nil || m.IdempotencyKey == "" ||
						m.Status != store.OutboxPending || m.Endpoint != "directory:"+m.PartnerID {
						t.Errorf("message = %+v", m)
					}
					if tk := taskByID[m.TaskID.String()]; tk.StepID != want[0] || tk.PartnerID != m.PartnerID {
						t.Errorf("message to %s is tied to task %s/%s, want its first step %s", m.PartnerID, tk.StepID, tk.PartnerID, want[0])
					}
					// It stands for exactly the partner's automated tasks of
					// the steps it lists.
					var linked []string
					for _, id := range m.TaskIDs {
						tk := taskByID[id.String()]
						if tk.PartnerID != m.PartnerID || tk.Kind != store.TaskAutomated {
							t.Errorf("message to %s stands for task %s/%s (%s)", m.PartnerID, tk.StepID, tk.PartnerID, tk.Kind)
						}
						linked = append(linked, tk.StepID)
					}
					if !slices.Equal(linked, want) {
						t.Errorf("message to %s stands for the tasks of steps %v, want %v", m.PartnerID, linked, want)
					}
				}

				// All of it is in the store, with the case_opened event.
				got, err := s.Case(ctx, c.ID)
				if err != nil || got.ID != c.ID {
					t.Fatalf("Case = %+v, %v", got, err)
				}
				stored, err := s.Tasks(ctx, c.ID)
				if err != nil || len(stored) != len(tt.tasks) {
					t.Fatalf("stored tasks = %d, %v", len(stored), err)
				}
				msgs, err := nodes(s.Messages(ctx, c.ID, wholeList))
				if err != nil || len(msgs) != len(tt.notified) {
					t.Fatalf("stored messages = %d, %v", len(msgs), err)
				}
				events, err := nodes(s.Timeline(ctx, c.ID, wholeList))
				if err != nil || fmt.Sprint(eventKinds(events)) != "[case_opened]" {
					t.Fatalf("timeline = %v, %v", eventKinds(events), err)
				}
			}, store.WithClock(newClock().Now))
		})
	}
}

// TestStartEveryEvent starts each of the eight events without asking the
// registries and checks the task rule's invariants against the catalogue.
func TestStartEveryEvent(t *testing.T) {
	ctx := context.Background()
	cat := catalogue(t)
	st := env.SQLite(t).Store
	s := newService(t, st, newClock())
	subjects := map[lifeevents.SubjectKind]cases.Subject{
		lifeevents.SubjectPerson:  person(bsnA),
		lifeevents.SubjectCompany: {Kind: cases.SubjectCompany, ID: kvkA},
		lifeevents.SubjectAddress: {Kind: cases.SubjectAddress, ID: addrA},
	}
	for _, ev := range cat.Events() {
		res := start(t, s, ev.ID, subjects[ev.Subject], string(ev.Steps[0].Channels[0]), "every-"+ev.ID)
		byStep := map[string]store.Task{}
		for _, tk := range res.Tasks {
			byStep[tk.StepID] = tk
		}
		partners := map[string]bool{}
		for _, step := range ev.Steps {
			tk, ok := byStep[step.ID]
			if !ok {
				t.Errorf("%s/%s: no task", ev.ID, step.ID)
				continue
			}
			blocked := step.Coupling.Status == lifeevents.StatusManual || step.Coupling.Status == lifeevents.StatusMissing
			// Unasked, a step with a condition may not apply: nothing is
			// sent for it; a step the hub tells its partner of is sent
			// only under a legal basis.
			notify := !blocked && step.Condition == nil && step.Learns.By == lifeevents.DeliveryHub && step.Learns.LegalBasis != nil
			want := map[bool]store.TaskKind{true: store.TaskAutomated, false: store.TaskTracked}[notify]
			if blocked {
				want = store.TaskManual
			}
			partner := step.Actor
			if step.Actor == lifeevents.FrontOffice && blocked {
				partner = step.Partner
			}
			if tk.Kind != want || tk.PartnerID != partner {
				t.Errorf("%s/%s: task %s for %s, want %s for %s", ev.ID, step.ID, tk.Kind, tk.PartnerID, want, partner)
			}
			if tk.Kind == store.TaskAutomated {
				partners[tk.PartnerID] = true
			}
		}
		msgs, err := nodes(st.Messages(ctx, res.Case.ID, wholeList))
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, m := range msgs {
			if seen[m.PartnerID] || !partners[m.PartnerID] {
				t.Errorf("%s: message to %s: duplicate or partner without automated tasks", ev.ID, m.PartnerID)
			}
			seen[m.PartnerID] = true
		}
		if len(seen) != len(partners) {
			t.Errorf("%s: %d partners notified, want %d", ev.ID, len(seen), len(partners))
		}
	}
}

// TestStartWithLiveGap turns steps whose needs trace to a registry that is
// down into manual tasks, and sends no notification for them.
func TestStartWithLiveGap(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		clk := newClock()
		s := newService(t, db.Store, clk, cases.WithHealth(health{down("UWV")}, lifeevents.Thresholds{}))
		cat := catalogue(t)
		ev, _ := cat.Event("becoming-unemployed")
		res := start(t, s, ev.ID, person(bsnA), "desk", "live-gap")

		uwvSteps := 0
		for _, tk := range res.Tasks {
			step, _ := ev.Step(tk.StepID)
			needsUWV := slices.Contains(step.Registries(), "UWV")
			if needsUWV {
				uwvSteps++
				if tk.Kind != store.TaskManual || !strings.Contains(tk.Reason, "live gap: UWV: circuit breaker open") {
					t.Errorf("task %s needs UWV, which is down: kind %s, reason %q", tk.StepID, tk.Kind, tk.Reason)
				}
			}
			if !needsUWV && strings.Contains(tk.Reason, "live gap") {
				t.Errorf("task %s needs no UWV data but is a live gap: %q", tk.StepID, tk.Reason)
			}
		}
		if uwvSteps == 0 {
			t.Fatal("no task needs UWV data; the test shows nothing")
		}
		for _, m := range res.Messages {
			var n cases.Notification
			json.Unmarshal(m.Payload, &n)
			for _, st := range n.Steps {
				step, _ := ev.Step(st.ID)
				if slices.Contains(step.Registries(), "UWV") {
					t.Errorf("notification to %s carries step %s, a live gap", m.PartnerID, st.ID)
				}
			}
		}

		// The same health without the outage gives automated tasks.
		healthy := newService(t, db.Store, clk, cases.WithHealth(health{}, lifeevents.Thresholds{}))
		plan, err := healthy.Plan(ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range plan {
			if strings.Contains(p.Reason, "live gap") {
				t.Errorf("healthy plan has a live gap: %+v", p)
			}
		}
	})
}

func TestStartIdempotent(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		clk := newClock()
		s := newService(t, db.Store, clk)
		first := start(t, s, "birth", person(bsnA), "desk", "same-key")

		// A retry after the registries' health changed, so that the plan
		// would differ now, is still the same request.
		clk.Advance(time.Minute)
		degraded := newService(t, db.Store, clk, cases.WithHealth(health{down("BRP")}, lifeevents.Thresholds{}))
		again := start(t, degraded, "birth", person(bsnA), "desk", "same-key")
		if !again.Replayed || again.Case.ID != first.Case.ID || len(again.Tasks) != len(first.Tasks) || len(again.Messages) != len(first.Messages) {
			t.Fatalf("replay = %+v, want the first case replayed", again)
		}
		conn, err := s.Cases(ctx, cases.CaseQuery{Subject: ptr(person(bsnA))}, store.Page{})
		if err != nil || conn.TotalCount != 1 {
			t.Fatalf("cases after replay: %d, %v", conn.TotalCount, err)
		}

		// The same key for a different request is refused.
		_, err = s.StartLifeEvent(ctx, cases.StartRequest{
			Event: "birth", Subject: person(bsnA), Channel: "web", IdempotencyKey: "same-key", Principal: clerk,
		})
		wantErr(t, err, cases.ErrIdempotencyMismatch)
		if cases.Code(err) != cases.CodeIdempotencyMismatch || !strings.Contains(err.Error(), "different request") {
			t.Errorf("mismatch error %q, code %q", err, cases.Code(err))
		}

		// The key is the principal's: another principal's same key opens
		// its own case.
		res, err := s.StartLifeEvent(ctx, cases.StartRequest{
			Event: "birth", Subject: person(bsnA), Channel: "desk", IdempotencyKey: "same-key", Principal: other,
		})
		if err != nil || res.Replayed || res.Case.ID == first.Case.ID {
			t.Fatalf("other principal: %+v, %v", res, err)
		}
	}, store.WithClock(newClock().Now))
}

func TestStartValidation(t *testing.T) {
	valid := cases.StartRequest{Event: "birth", Subject: person(bsnA), Channel: "desk", IdempotencyKey: "k", Principal: clerk}
	tests := []struct {
		name  string
		edit  func(r *cases.StartRequest)
		param string
		says  string
	}{
		{"no event", func(r *cases.StartRequest) { r.Event = "" }, "event", "required"},
		{"unknown event", func(r *cases.StartRequest) { r.Event = "marriage" }, "event", `unknown life event "marriage"`},
		{"enum name instead of id", func(r *cases.StartRequest) { r.Event = "BIRTH" }, "event", "unknown life event"},
		{"subject kind of another event", func(r *cases.StartRequest) { r.Subject = cases.Subject{Kind: cases.SubjectCompany, ID: kvkA} }, "subject.kind", "the child of life event \"birth\" is a PERSON, not a COMPANY"},
		{"unknown subject kind", func(r *cases.StartRequest) { r.Subject.Kind = "CITIZEN" }, "subject.kind", "PERSON, COMPANY or ADDRESS"},
		{"BSN failing the elfproef", func(r *cases.StartRequest) { r.Subject.ID = "999990018" }, "subject.id", "elfproef"},
		{"BSN too short", func(r *cases.StartRequest) { r.Subject.ID = "99999001" }, "subject.id", "exactly 9 digits"},
		{"no subject id", func(r *cases.StartRequest) { r.Subject.ID = "" }, "subject.id", "BSN"},
		{"KvK number too short", func(r *cases.StartRequest) {
			r.Event, r.Channel, r.Subject = "starting-a-business", "web", cases.Subject{Kind: cases.SubjectCompany, ID: "9000001"}
		}, "subject.id", "KvK number has exactly 8 digits"},
		{"BAG id of a building, not an address", func(r *cases.StartRequest) {
			r.Event, r.Channel, r.Subject = "renovation", "web", cases.Subject{Kind: cases.SubjectAddress, ID: "0363100012345678"}
		}, "subject.id", "must be 20"},
		{"channel the first step does not take", func(r *cases.StartRequest) { r.Channel = "post" }, "channel", `does not start over "post"; its first step "register-birth" takes desk, web`},
		{"unknown channel", func(r *cases.StartRequest) { r.Channel = "fax" }, "channel", "does not start over"},
		{"no channel", func(r *cases.StartRequest) { r.Channel = "" }, "channel", "required"},
		{"no idempotency key", func(r *cases.StartRequest) { r.IdempotencyKey = "" }, "idempotencyKey", "required"},
		{"idempotency key too long", func(r *cases.StartRequest) { r.IdempotencyKey = strings.Repeat("k", 201) }, "idempotencyKey", "at most 200"},
		{"a NUL byte in the key", func(r *cases.StartRequest) { r.IdempotencyKey = "k\x00" }, "idempotencyKey", "NUL byte"},
		{"invalid UTF-8 in the override", func(r *cases.StartRequest) { r.Override = "\xff" }, "override", "UTF-8"},
		{"no principal", func(r *cases.StartRequest) { r.Principal = cases.Principal{} }, "principal", "authenticated"},
		{"principal without organisation", func(r *cases.StartRequest) { r.Principal.Organisation = "" }, "principal", "organisation"},
	}
	env.Each(t, func(t *testing.T, db storetest.Named) {
		s := newService(t, db.Store, newClock())
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req := valid
				tt.edit(&req)
				_, err := s.StartLifeEvent(context.Background(), req)
				var ae *cases.ArgumentError
				if !errors.As(err, &ae) || ae.Param != tt.param || !strings.Contains(ae.Rule, tt.says) {
					t.Fatalf("got %v, want argument %q saying %q", err, tt.param, tt.says)
				}
				if !errors.Is(err, cases.ErrInvalidArgument) || cases.Code(err) != cases.CodeBadUserInput {
					t.Errorf("error %v does not match ErrInvalidArgument (code %q)", err, cases.Code(err))
				}
				if strings.Contains(err.Error(), req.Subject.ID) && req.Subject.ID != "" {
					t.Errorf("error %q discloses the subject's identifier", err)
				}
			})
		}
		conn, err := s.Cases(context.Background(), cases.CaseQuery{}, store.Page{})
		if err != nil || conn.TotalCount != 0 {
			t.Fatalf("%d cases written by invalid requests (%v)", conn.TotalCount, err)
		}
	})
}

func TestUpdateTask(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := newService(t, db.Store, newClock())
		res := start(t, s, "birth", person(bsnA), "desk", "k")
		tk := res.Tasks[len(res.Tasks)-1] // the manual benefits-status task

		done, replayed, err := s.UpdateTask(ctx, tk.ID, 1, store.TaskDone, "called SVB: child benefit started", "u1", clerk)
		if err != nil || replayed || done.Status != store.TaskDone || done.Version != 2 || done.Note == "" {
			t.Fatalf("UpdateTask = %+v, %v, %v", done, replayed, err)
		}
		again, replayed, err := s.UpdateTask(ctx, tk.ID, 1, store.TaskDone, "called SVB: child benefit started", "u1", clerk)
		if err != nil || !replayed || again.Version != 2 {
			t.Fatalf("replay = %+v, %v, %v", again, replayed, err)
		}

		// A stale version is a conflict that says both versions.
		_, _, err = s.UpdateTask(ctx, tk.ID, 1, store.TaskFailed, "", "", clerk)
		wantErr(t, err, cases.ErrConflict)
		var ce *store.ConflictError
		if !errors.As(err, &ce) || ce.Expected != 1 || ce.Actual != 2 || cases.Code(err) != cases.CodeConflict {
			t.Errorf("conflict = %v (code %q)", err, cases.Code(err))
		}
		// Done is final.
		_, _, err = s.UpdateTask(ctx, tk.ID, 2, store.TaskOpen, "", "", clerk)
		if cases.Code(err) != cases.CodeInvalidTransition {
			t.Errorf("done → open: %v (code %q)", err, cases.Code(err))
		}
		_, _, err = s.UpdateTask(ctx, tk.ID, 2, "finished", "", "", clerk)
		var ae *cases.ArgumentError
		if !errors.As(err, &ae) || ae.Param != "status" {
			t.Errorf("unknown status: %v", err)
		}
		_, _, err = s.UpdateTask(ctx, tk.ID, 2, store.TaskFailed, "", "u1", clerk)
		wantErr(t, err, cases.ErrIdempotencyMismatch)
		_, _, err = s.UpdateTask(ctx, uuid.New(), 1, store.TaskDone, "", "", clerk)
		if cases.Code(err) != cases.CodeNotFound {
			t.Errorf("unknown task: %v", err)
		}

		events, _ := nodes(s.Timeline(ctx, res.Case.ID, wholeList))
		if fmt.Sprint(eventKinds(events)) != "[case_opened task_status_changed]" {
			t.Errorf("timeline = %v", eventKinds(events))
		}
	})
}

func TestCases(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := newService(t, db.Store, newClock())
		for i := range 5 {
			start(t, s, "birth", person(bsnA), "desk", fmt.Sprint("a", i))
		}
		start(t, s, "travel", person(bsnB), "desk", "b")

		var seen []string
		page := store.Page{First: ptr(2)}
		for {
			conn, err := s.Cases(ctx, cases.CaseQuery{Subject: ptr(person(bsnA))}, page)
			if err != nil {
				t.Fatal(err)
			}
			if conn.TotalCount != 5 {
				t.Fatalf("total %d, want 5", conn.TotalCount)
			}
			for _, e := range conn.Edges {
				seen = append(seen, e.Node.ID.String())
			}
			if !conn.PageInfo.HasNextPage {
				break
			}
			page.After = conn.PageInfo.EndCursor
		}
		if len(seen) != 5 {
			t.Errorf("paged through %d cases, want 5", len(seen))
		}
		conn, err := s.Cases(ctx, cases.CaseQuery{Status: store.CaseOpen, LifeEvent: "travel"}, store.Page{})
		if err != nil || conn.TotalCount != 1 {
			t.Errorf("open travel cases: %v, %v", conn, err)
		}

		for _, q := range []struct {
			q     cases.CaseQuery
			param string
		}{
			{cases.CaseQuery{Subject: ptr(person("123"))}, "subject.id"},
			{cases.CaseQuery{Status: "pending"}, "status"},
			{cases.CaseQuery{LifeEvent: "wedding"}, "lifeEvent"},
		} {
			_, err := s.Cases(ctx, q.q, store.Page{})
			var ae *cases.ArgumentError
			if !errors.As(err, &ae) || ae.Param != q.param {
				t.Errorf("Cases(%+v): %v, want argument %s", q.q, err, q.param)
			}
		}
		_, err = s.Cases(ctx, cases.CaseQuery{}, store.Page{After: "not-a-cursor"})
		if cases.Code(err) != cases.CodeBadUserInput {
			t.Errorf("bad cursor: %v", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// wholeList is a page as large as a page gets: the whole of the short lists
// the tests make.
var wholeList = store.Page{First: ptr(store.MaxPageSize)}

// nodes returns the items of a page of a list, or the error reading it.
func nodes[T any](c *store.Connection[T], err error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	out := make([]T, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out, nil
}

// TestStartWithAssessedSteps starts unemployment with its steps as the
// registries show them: a step that does not apply or is done gets no
// task, and the work-and-income team is notified only when assistance
// applies.
func TestStartWithAssessedSteps(t *testing.T) {
	ev, _ := catalogue(t).Event("becoming-unemployed")
	assessed := func(change map[string]lifeevents.StepStatus) []lifeevents.StepAssessment {
		steps := lifeevents.Unassessed(ev, nil, nil, lifeevents.Thresholds{})
		for i := range steps {
			yes := true
			steps[i].Applicable, steps[i].Status = &yes, lifeevents.StepReady
			if st, ok := change[steps[i].StepID]; ok {
				steps[i].Status = st
				if st == lifeevents.StepNotApplicable {
					no := false
					steps[i].Applicable = &no
				}
			}
		}
		return steps
	}
	for _, tc := range []struct {
		name     string
		steps    []lifeevents.StepAssessment
		absent   []string
		notified []string
	}{
		{"no WW benefit", assessed(map[string]lifeevents.StepStatus{"supplementary-income": lifeevents.StepNotApplicable}),
			[]string{"supplementary-income"}, []string{"work-and-income"}},
		{"a WW benefit runs", assessed(map[string]lifeevents.StepStatus{
			"ww-decision": lifeevents.StepDone, "social-assistance": lifeevents.StepNotApplicable,
			"income-checks": lifeevents.StepNotApplicable, "uwv-handover": lifeevents.StepNotApplicable,
			"supplementary-income": lifeevents.StepNotApplicable,
		}), []string{"ww-decision", "social-assistance", "income-checks", "uwv-handover", "supplementary-income"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newService(t, env.SQLite(t).Store, newClock())
			res, err := s.StartLifeEvent(context.Background(), cases.StartRequest{
				Event: ev.ID, Subject: person(bsnA), Channel: "desk", IdempotencyKey: "assessed", Principal: clerk, Steps: tc.steps,
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Tasks) != len(ev.Steps)-len(tc.absent) {
				t.Errorf("%d tasks, want one per step but %v", len(res.Tasks), tc.absent)
			}
			for _, tk := range res.Tasks {
				if slices.Contains(tc.absent, tk.StepID) {
					t.Errorf("step %s does not apply or is done, yet has a task", tk.StepID)
				}
			}
			var notified []string
			for _, m := range res.Messages {
				notified = append(notified, m.PartnerID)
			}
			if !slices.Equal(notified, tc.notified) {
				t.Errorf("notified %v, want %v", notified, tc.notified)
			}
		})
	}
}
