package cases

import (
	"encoding/json"
	"fmt"

	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/store"
)

// PlannedTask is a task a life event would open: the step, the partner
// that acts on it, and for a manual or tracked task why.
type PlannedTask = lifeevents.PlannedTask

// Plan returns the tasks starting the event would open now for an anchor
// whose facts were not read: the rule of StartLifeEvent
// (lifeevents.PlanTasks) on lifeevents.Unassessed, with the live health,
// without opening anything. Errors: ErrInvalidArgument for an unknown
// event.
func (s *Service) Plan(event string) ([]PlannedTask, error) {
	ev, ok := s.cat.Event(event)
	if !ok {
		return nil, argErr("event", "unknown life event %q; the catalogue has %s", event, joinIDs(lifeevents.EventIDs()))
	}
	return s.planTasks(ev, nil), nil
}

// planTasks applies the rule to the steps' assessments, or to the
// unassessed steps when there are none.
func (s *Service) planTasks(ev *lifeevents.Event, steps []lifeevents.StepAssessment) []PlannedTask {
	if len(steps) != len(ev.Steps) {
		var health []lifeevents.RegistryHealth
		if s.health != nil {
			health = s.health.Health()
		}
		steps = lifeevents.Unassessed(ev, health, s.absent, s.th)
	}
	return lifeevents.PlanTasks(ev, steps)
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
	planned := s.planTasks(ev, req.Steps)
	var p plan
	byPartner := map[string]*Notification{}
	var order []string
	steps := map[string][]string{}
	for _, t := range planned {
		p.tasks = append(p.tasks, store.NewTask{StepID: t.Step.ID, PartnerID: t.Partner, Kind: store.TaskKind(t.Kind), Reason: t.Reason})
		if t.Kind != lifeevents.TaskNotify {
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
			ID: t.Step.ID, Name: t.Step.Name.EN, Standard: t.Step.Coupling.Standard, Coupling: string(t.Step.Coupling.Status),
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
