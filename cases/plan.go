package cases

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/store"
)

// PlannedTask is a task a life event would open: the step, the partner
// that acts on it, and for a manual task why it cannot be automated.
type PlannedTask struct {
	Step    *lifeevents.Step
	Partner string
	Kind    store.TaskKind
	Reason  string
}

// Plan returns the tasks starting the event would open now, given the
// catalogue and the live health: the rule of StartLifeEvent, without
// opening anything. Errors: ErrInvalidArgument for an unknown event.
//
// A step is a chain-partner step, and becomes a task, when
//
//   - its actor is a chain partner (a back office takes it): the task is
//     that partner's; or
//   - its actor is the front office but its coupling with the step's
//     partner is manual or missing: the front office cannot finish it at
//     the counter through its own systems, so the case tracks it as a
//     manual task for that partner.
//
// A front-office step with an automated or partial coupling is no task:
// the front office takes it during the contact itself (what a partial
// coupling does not carry is asked of the citizen then and there).
//
// A task is manual when the step's coupling is manual or missing (a static
// gap) or a registry its needs trace to is down, degraded or absent now (a
// live gap); the reason says which. Every other task is automated.
func (s *Service) Plan(event string) ([]PlannedTask, error) {
	ev, ok := s.cat.Event(event)
	if !ok {
		return nil, argErr("event", "unknown life event %q; the catalogue has %s", event, joinIDs(lifeevents.EventIDs()))
	}
	return s.planTasks(ev)
}

func (s *Service) planTasks(ev *lifeevents.Event) ([]PlannedTask, error) {
	opts := lifeevents.ReportOptions{Absent: s.absent, Thresholds: s.th, Events: []string{ev.ID}}
	if s.health != nil {
		opts.Health = s.health.Health()
	}
	report, err := lifeevents.NewReport(s.cat, opts)
	if err != nil {
		return nil, fmt.Errorf("gap report for %q: %w", ev.ID, err)
	}
	static, live := map[string]lifeevents.Gap{}, map[string]lifeevents.Gap{}
	for _, g := range report.Gaps {
		if g.Kind == lifeevents.GapLive {
			live[g.Step] = g
		} else {
			static[g.Step] = g
		}
	}
	var out []PlannedTask
	for _, step := range ev.Steps {
		blocked := step.Coupling.Status == lifeevents.StatusManual || step.Coupling.Status == lifeevents.StatusMissing
		partner := step.Actor
		if step.Actor == lifeevents.FrontOffice {
			if !blocked {
				continue
			}
			partner = step.Partner
		}
		t := PlannedTask{Step: step, Partner: partner, Kind: store.TaskAutomated}
		var reasons []string
		if g, ok := static[step.ID]; ok && blocked {
			reasons = append(reasons, g.Reason)
		}
		if g, ok := live[step.ID]; ok {
			reasons = append(reasons, "live gap: "+g.Reason)
		}
		if len(reasons) > 0 {
			t.Kind, t.Reason = store.TaskManual, strings.Join(reasons, "; ")
		}
		out = append(out, t)
	}
	return out, nil
}

// plan is what a case is opened with.
type plan struct {
	tasks    []store.NewTask
	messages []store.NewOutboxMessage
}

// plan turns the planned tasks into the store's tasks, and the automated
// ones into one notification per partner, in step order. A message stands
// for exactly the partner's automated tasks whose steps it lists: the store
// links it to each, and its delivery moves all of them to sent at once.
func (s *Service) plan(ev *lifeevents.Event, req StartRequest) (plan, error) {
	planned, err := s.planTasks(ev)
	if err != nil {
		return plan{}, err
	}
	var p plan
	byPartner := map[string]*Notification{}
	var order []string
	steps := map[string][]string{}
	for _, t := range planned {
		p.tasks = append(p.tasks, store.NewTask{StepID: t.Step.ID, PartnerID: t.Partner, Kind: t.Kind, Reason: t.Reason})
		if t.Kind != store.TaskAutomated {
			continue
		}
		n, ok := byPartner[t.Partner]
		if !ok {
			n = &Notification{
				Type: TypeLifeEventStarted, LifeEvent: ev.ID,
				Subject: NotificationSubject{Kind: string(req.Subject.Kind), ID: req.Subject.ID},
				Channel: req.Channel, From: NotificationFrom{Organisation: req.Principal.Organisation},
				At: s.now().UTC(),
			}
			byPartner[t.Partner] = n
			order = append(order, t.Partner)
		}
		steps[t.Partner] = append(steps[t.Partner], t.Step.ID)
		n.Steps = append(n.Steps, NotificationStep{
			ID: t.Step.ID, Name: t.Step.Name, Standard: t.Step.Coupling.Standard, Coupling: string(t.Step.Coupling.Status),
		})
	}
	for _, partner := range order {
		payload, err := json.Marshal(byPartner[partner])
		if err != nil {
			return plan{}, fmt.Errorf("encode notification: %w", err)
		}
		p.messages = append(p.messages, store.NewOutboxMessage{
			PartnerID: partner, Endpoint: directoryEndpoint(partner), Payload: payload, StepIDs: steps[partner],
		})
	}
	return p, nil
}
