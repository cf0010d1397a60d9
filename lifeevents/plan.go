package lifeevents

import (
	"fmt"
	"strings"
)

// TaskKind is how a case carries a step.
type TaskKind string

// The task kinds.
const (
	// TaskNotify: the hub notifies the partner, which has no other way to
	// learn of the event, under the legal basis the step records.
	TaskNotify TaskKind = "automated"
	// TaskManual: a coupling gap, static or live, blocks automation;
	// people carry the step.
	TaskManual TaskKind = "manual"
	// TaskTracked: the case tracks the step and sends nothing: the partner
	// learns through a registry provision or from the citizen, the front
	// office takes it itself, no legal basis for telling the partner is
	// recorded, or whether the step applies is unknown.
	TaskTracked TaskKind = "tracked"
)

// PlannedTask is a task starting an event would open.
type PlannedTask struct {
	Step *Step
	// Partner is the partner that takes the task: the step's actor, or for
	// a front-office step whose coupling is manual or missing the partner
	// the front office depends on.
	Partner string
	Kind    TaskKind
	// Reason says why the task is manual or tracked.
	Reason string
}

// PlanTasks returns the tasks starting the event opens for an anchor,
// given its steps' assessments (in step order): one per step that applies
// and is not done yet; a step whose applicability is unknown gets a
// tracked task. Only a step whose partner learns of the event from the
// hub, with a legal basis recorded, a known applicability and a working
// coupling notifies its partner.
func PlanTasks(e *Event, steps []StepAssessment) []PlannedTask {
	var out []PlannedTask
	for i, s := range e.Steps {
		a := steps[i]
		if a.Status == StepNotApplicable || a.Status == StepDone {
			continue
		}
		k := s.Coupling
		gap := k.Status == StatusManual || k.Status == StatusMissing
		t := PlannedTask{Step: s, Partner: s.Actor}
		if s.Actor == FrontOffice && gap {
			t.Partner = s.Partner
		}
		var live []string
		for _, b := range a.Blockers {
			if b.Kind == BlockerRegistry {
				live = append(live, b.Reason)
			}
		}
		switch {
		case gap:
			std := k.Standard
			if std == "" {
				std = "no standard exists"
			}
			t.Kind, t.Reason = TaskManual, fmt.Sprintf("coupling %s (%s): %s", k.Status, std, k.Description)
			if len(live) > 0 {
				t.Reason += "; live gap: " + strings.Join(live, "; ")
			}
		case len(live) > 0:
			t.Kind, t.Reason = TaskManual, "live gap: "+strings.Join(live, "; ")
		case a.Applicable == nil:
			t.Kind, t.Reason = TaskTracked, a.Because+"; nothing is sent until it is known"
		default:
			t.Kind, t.Reason = deliveryTask(s)
		}
		out = append(out, t)
	}
	return out
}

// deliveryTask decides a task by how the step's partner learns of the
// event.
func deliveryTask(s *Step) (TaskKind, string) {
	switch l := s.Learns; l.By {
	case DeliveryHub:
		if l.LegalBasis == nil || s.Actor == FrontOffice {
			return TaskTracked, "no legal basis is recorded for the hub to tell " + s.Actor + "; tracked, not sent"
		}
		return TaskNotify, ""
	case DeliveryProvision:
		return TaskTracked, fmt.Sprintf("%s learns of it through %s; nothing is sent", s.Actor, l.Standard)
	case DeliveryCitizen:
		return TaskTracked, fmt.Sprintf("the citizen or business goes to %s; nothing is sent", s.Actor)
	}
	return TaskTracked, "the front office takes it at the counter; nothing is sent"
}

// Unassessed returns the assessments of an event's steps when no anchor's
// facts were read (a case started without asking the registries): a step
// with a condition has an unknown applicability, and a step whose needs
// trace to an unhealthy registry carries a registry blocker.
func Unassessed(e *Event, health []RegistryHealth, absent []string, th Thresholds) []StepAssessment {
	if th == (Thresholds{}) {
		th = DefaultThresholds()
	}
	cond := conditions(health, absent, th)
	out := make([]StepAssessment, len(e.Steps))
	for i, s := range e.Steps {
		a := StepAssessment{Step: s, Event: e.ID, StepID: s.ID, Status: StepUnknown,
			Coupling: CouplingState(strings.ToUpper(string(s.Coupling.Status)))}
		yes := true
		if s.Condition == nil {
			a.Applicable = &yes
		} else {
			a.Because = "whether the step applies was not asked of the registries"
		}
		for _, reg := range s.Registries() {
			if rc, bad := cond[reg]; bad {
				a.Coupling = CouplingLiveDegraded
				a.Blockers = append(a.Blockers, Blocker{Kind: BlockerRegistry, Registry: reg, Reason: rc.reason})
			}
		}
		out[i] = a
	}
	return out
}
