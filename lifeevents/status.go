package lifeevents

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// StepStatus is where a step stands for one anchor right now; an event's
// status uses the same values.
type StepStatus string

// The step statuses. AssessEvent applies them in this order, the first
// that fits deciding:
//
//   - NOT_APPLICABLE when the step's condition is false for the anchor
//     (the reason says why), when none of the steps it follows applies,
//     or when the event does not apply at all.
//   - UNKNOWN when the condition, or the done rule, reads a fact the
//     principal may not see or a registry did not give.
//   - DONE when the step's done rule holds: the registries show it
//     happened (the child is in the BRP, the WW benefit runs).
//   - IN_PROGRESS when a case task for the step is open, or when the
//     partner learns of the event through a registry provision and the
//     steps it waits for are done or under way: the partner has it, and
//     the hub does not see the outcome.
//   - BLOCKED when the coupling is missing or manual, a need did not
//     resolve, or a registry a need traces to is unhealthy (a live gap).
//   - UNKNOWN when a need is withheld from the principal.
//   - NEEDS_INPUT when the citizen must supply something or the coupling
//     is partial.
//   - READY otherwise.
const (
	StepNotApplicable StepStatus = "NOT_APPLICABLE"
	StepDone          StepStatus = "DONE"
	StepInProgress    StepStatus = "IN_PROGRESS"
	StepReady         StepStatus = "READY"
	StepNeedsInput    StepStatus = "NEEDS_INPUT"
	StepUnknown       StepStatus = "UNKNOWN"
	StepBlocked       StepStatus = "BLOCKED"
)

// CouplingState is how the step's coupling stands now: the catalogue's
// status, or LIVE_DEGRADED when a registry its needs trace to is down or
// degraded.
type CouplingState string

// The coupling states.
const (
	CouplingAutomated    CouplingState = "AUTOMATED"
	CouplingPartial      CouplingState = "PARTIAL"
	CouplingManual       CouplingState = "MANUAL"
	CouplingMissing      CouplingState = "MISSING"
	CouplingLiveDegraded CouplingState = "LIVE_DEGRADED"
)

// NeedResult is how one need of a step fared when the GraphQL layer
// resolved it for the anchor.
type NeedResult struct {
	// Path is the need's path as in the catalogue.
	Path string `json:"path"`
	// Resolved reports that the registries answered: with a value or with
	// a definite absence (no travel documents is an answer).
	Resolved bool `json:"resolved"`
	// Registries are the registries that answered.
	Registries []string `json:"registries,omitempty"`
	// FailedRegistry and Code say, when not resolved, which registry failed
	// and the error's extensions.code, e.g. UPSTREAM_UNAVAILABLE.
	FailedRegistry string `json:"failedRegistry,omitempty"`
	Code           string `json:"code,omitempty"`
	// Withheld reports that the need was not resolved because the
	// principal may not see it.
	Withheld bool `json:"withheld,omitempty"`
}

// NeedResultOf judges one need against the facts.
func NeedResultOf(n Need, f Facts) NeedResult {
	out := NeedResult{Path: n.Path, Resolved: true, Registries: n.Registries}
	if e, failed := f.ErrorOn(n.Path); failed {
		out = NeedResult{Path: n.Path, FailedRegistry: e.Registry, Code: e.Code, Withheld: e.Withheld}
	}
	return out
}

// BlockerKind says where a blocker comes from.
type BlockerKind string

// The blocker kinds.
const (
	// BlockerCoupling: the catalogue's coupling is missing or manual.
	BlockerCoupling BlockerKind = "coupling"
	// BlockerRegistry: a registry the needs trace to is unhealthy.
	BlockerRegistry BlockerKind = "registry"
	// BlockerNeed: a need did not resolve for this anchor.
	BlockerNeed BlockerKind = "need"
	// BlockerWithheld: a need, or a fact a rule or the trigger reads, is
	// outside the principal's purposes or was not given by a registry, so
	// the step's status is unknown.
	BlockerWithheld BlockerKind = "withheld"
)

// Blocker is one reason a step is blocked or unknown.
type Blocker struct {
	Kind BlockerKind `json:"kind"`
	// Standard and Status are the step's coupling.
	Standard string `json:"standard,omitempty"`
	Status   Status `json:"status"`
	// Registry is the registry at fault, for a registry or need blocker.
	Registry string `json:"registry,omitempty"`
	// Need is the need's or fact's path.
	Need   string `json:"need,omitempty"`
	Reason string `json:"reason"`
	// Closes says what would lift the blocker.
	Closes string `json:"closes,omitempty"`
}

// StepAssessment is where one step stands for one anchor.
type StepAssessment struct {
	Step   *Step      `json:"-"`
	Event  string     `json:"event"`
	StepID string     `json:"step"`
	Status StepStatus `json:"status"`
	// Because says why, in words.
	Because string `json:"because"`
	// Applicable is the step's condition: true without one, null when it
	// cannot be told.
	Applicable *bool `json:"applicable"`
	// Coupling is the coupling's state now.
	Coupling CouplingState `json:"coupling"`
	// Inputs are what the citizen or business must supply.
	Inputs []string `json:"inputs,omitempty"`
	// Blockers say why the step is BLOCKED or UNKNOWN.
	Blockers []Blocker `json:"blockers,omitempty"`
	// Needs are the results the assessment was given.
	Needs []NeedResult `json:"needs,omitempty"`
}

// AssessInput is what an event is assessed on for one anchor.
type AssessInput struct {
	// Facts are the anchor's facts, with every path the event's needs
	// and rules read.
	Facts Facts
	// Health is the registries' live health; Thresholds judge it (zero
	// means DefaultThresholds).
	Health     []RegistryHealth
	Thresholds Thresholds
	// OpenTasks are the ids of the steps with an open case task.
	OpenTasks map[string]bool
	// Now is today.
	Now time.Time
	// Reported is set for an event a case reports before the registries
	// show its anchor (a birth being declared): no facts are read, and each
	// step is in progress when its case task is open, unknown otherwise.
	Reported bool
}

// EventAssessment is where an event stands for one anchor.
type EventAssessment struct {
	Status  StepStatus       `json:"status"`
	Because string           `json:"because"`
	Steps   []StepAssessment `json:"steps"`
}

// AssessEvent assesses every step of the event for one anchor the event
// applies to, and derives the event's status from them: DONE when every
// step that applies is done; otherwise the status of the steps that can
// be taken now (those whose earlier steps are done or do not apply), the
// most pressing first: BLOCKED, NEEDS_INPUT, READY, UNKNOWN, then
// IN_PROGRESS when all of them are under way.
func AssessEvent(e *Event, in AssessInput) (EventAssessment, error) {
	th := in.Thresholds
	if th == (Thresholds{}) {
		th = DefaultThresholds()
	}
	cond := conditions(in.Health, nil, th)
	byID := map[string]StepAssessment{}
	var out EventAssessment
	for _, s := range e.Steps {
		a, err := assessStep(e, s, in, cond, byID)
		if err != nil {
			return EventAssessment{}, err
		}
		byID[s.ID] = a
		out.Steps = append(out.Steps, a)
	}
	out.Status, out.Because = eventStatus(e, byID)
	return out, nil
}

// NotApplicable returns the assessment of an event that does not apply, or
// cannot be told to: every step with the status and reason.
func NotApplicable(e *Event, status StepStatus, because string) EventAssessment {
	out := EventAssessment{Status: status, Because: because}
	for _, s := range e.Steps {
		a := StepAssessment{Step: s, Event: e.ID, StepID: s.ID, Status: status, Because: because,
			Coupling: CouplingState(strings.ToUpper(string(s.Coupling.Status))), Inputs: s.Inputs}
		switch status {
		case StepNotApplicable:
			f := false
			a.Applicable = &f
		case StepUnknown:
			a.Blockers = []Blocker{{Kind: BlockerWithheld, Standard: s.Coupling.Standard, Status: s.Coupling.Status, Reason: because}}
		}
		out.Steps = append(out.Steps, a)
	}
	return out
}

// pressing orders the statuses of steps that can be taken now for the
// event's status, most pressing first.
var pressing = []StepStatus{StepBlocked, StepNeedsInput, StepReady, StepUnknown, StepInProgress}

func eventStatus(e *Event, byID map[string]StepAssessment) (StepStatus, string) {
	settled := func(id string) bool {
		s := byID[id].Status
		return s == StepDone || s == StepNotApplicable
	}
	applicable, done := 0, 0
	var now []StepAssessment
	for _, s := range e.Steps {
		a := byID[s.ID]
		switch a.Status {
		case StepNotApplicable:
			continue
		case StepDone:
			applicable++
			done++
			continue
		}
		applicable++
		if !slices.ContainsFunc(s.DependsOn, func(id string) bool { return !settled(id) }) {
			now = append(now, a)
		}
	}
	if applicable == done {
		return StepDone, fmt.Sprintf("all %d steps that apply are done", done)
	}
	for _, st := range pressing {
		var ids []string
		for _, a := range now {
			if a.Status == st {
				ids = append(ids, a.StepID)
			}
		}
		if len(ids) > 0 {
			return st, fmt.Sprintf("%d of %d steps done; can be taken now: %s %s", done, applicable, strings.Join(ids, ", "), strings.ToLower(strings.ReplaceAll(string(st), "_", " ")))
		}
	}
	return StepInProgress, fmt.Sprintf("%d of %d steps done; the others wait for earlier steps", done, applicable)
}

func assessStep(e *Event, s *Step, in AssessInput, cond map[string]registryCondition, earlier map[string]StepAssessment) (a StepAssessment, err error) {
	a = StepAssessment{Step: s, Event: e.ID, StepID: s.ID, Inputs: s.Inputs, Coupling: CouplingState(strings.ToUpper(string(s.Coupling.Status)))}
	k := s.Coupling
	if in.Reported {
		if s.Condition == nil {
			yes := true
			a.Applicable = &yes
		}
		if in.OpenTasks[s.ID] {
			a.Status, a.Because = StepInProgress, "a case task for this step is open"
		} else {
			a.Status, a.Because = StepUnknown, "the registries do not show the event yet; it was reported in a case"
		}
		return a, nil
	}
	for _, n := range s.Needs {
		a.Needs = append(a.Needs, NeedResultOf(n, in.Facts))
	}
	for _, reg := range s.Registries() {
		if rc, bad := cond[reg]; bad {
			a.Coupling = CouplingLiveDegraded
			a.Blockers = append(a.Blockers, Blocker{Kind: BlockerRegistry, Standard: k.Standard, Status: k.Status,
				Registry: reg, Reason: rc.reason, Closes: connectorsAnswering([]string{reg})})
		}
	}
	yes := true
	a.Applicable = &yes
	if s.Condition != nil {
		ok, unknown, err := s.Condition.When.Eval(in.Facts, in.Now)
		switch {
		case err != nil:
			return a, fmt.Errorf("%s/%s: %w", e.ID, s.ID, err)
		case unknown != nil:
			a.Applicable = nil
			return unknownStep(a, k, unknown, "whether the step applies is unknown"), nil
		case !ok:
			no := false
			a.Applicable, a.Status, a.Because, a.Blockers = &no, StepNotApplicable, s.Condition.Says, nil
			return a, nil
		}
	}
	if len(s.DependsOn) > 0 && !slices.ContainsFunc(s.DependsOn, func(id string) bool { return earlier[id].Status != StepNotApplicable }) {
		no := false
		a.Applicable, a.Status, a.Blockers = &no, StepNotApplicable, nil
		a.Because = "none of the steps it follows applies: " + strings.Join(s.DependsOn, ", ")
		return a, nil
	}
	if s.Done != nil {
		ok, unknown, err := s.Done.When.Eval(in.Facts, in.Now)
		switch {
		case err != nil:
			return a, fmt.Errorf("%s/%s: %w", e.ID, s.ID, err)
		case unknown != nil:
			return unknownStep(a, k, unknown, "whether the step is done is unknown"), nil
		case ok:
			a.Status, a.Because, a.Blockers = StepDone, s.Done.Says, nil
			return a, nil
		}
	}
	if in.OpenTasks[s.ID] {
		a.Status, a.Because = StepInProgress, "a case task for this step is open"
		return a, nil
	}
	var waits []string
	for _, id := range s.DependsOn {
		if st := earlier[id].Status; st != StepDone && st != StepNotApplicable && st != StepInProgress {
			waits = append(waits, id)
		}
	}
	if s.Learns.By == DeliveryProvision && len(waits) == 0 {
		a.Status = StepInProgress
		a.Because = fmt.Sprintf("%s learns of it through %s; the hub does not see the outcome", s.Actor, s.Learns.Standard)
		return a, nil
	}
	defer func() {
		if len(waits) > 0 {
			a.Because += "; waits for " + strings.Join(waits, " and ")
		}
	}()

	if k.Status == StatusMissing || k.Status == StatusManual {
		a.Blockers = append([]Blocker{{Kind: BlockerCoupling, Standard: k.Standard, Status: k.Status,
			Reason: fmt.Sprintf("the coupling is %s: %s", k.Status, k.Description), Closes: k.Closes}}, a.Blockers...)
	}
	var withheld []Blocker
	for _, r := range a.Needs {
		switch {
		case r.Resolved:
		case r.Withheld:
			withheld = append(withheld, Blocker{Kind: BlockerWithheld, Standard: k.Standard, Status: k.Status, Need: r.Path,
				Reason: fmt.Sprintf("%s is outside the token's purposes, so whether the step can proceed is unknown", r.Path)})
		default:
			reason := fmt.Sprintf("%s did not resolve", r.Path)
			if r.FailedRegistry != "" {
				reason = fmt.Sprintf("%s did not resolve: %s failed", r.Path, r.FailedRegistry)
				if r.Code != "" {
					reason += " (" + r.Code + ")"
				}
			}
			a.Blockers = append(a.Blockers, Blocker{Kind: BlockerNeed, Standard: k.Standard, Status: k.Status,
				Registry: r.FailedRegistry, Need: r.Path, Reason: reason})
		}
	}
	switch {
	case len(a.Blockers) > 0:
		a.Status = StepBlocked
		a.Because = a.Blockers[0].Reason
	case len(withheld) > 0:
		a.Status, a.Because = StepUnknown, withheld[0].Reason
	case len(s.Inputs) > 0 || k.Status == StatusPartial:
		a.Status = StepNeedsInput
		if k.Status == StatusPartial {
			a.Because = fmt.Sprintf("the coupling is partial: %s", k.Description)
		} else {
			a.Because = "the citizen supplies: " + strings.Join(s.Inputs, "; ")
		}
	default:
		a.Status, a.Because = StepReady, "every need is at hand through automated couplings"
	}
	a.Blockers = append(a.Blockers, withheld...)
	return a, nil
}

// unknownStep marks a step whose rule read a fact that is missing.
func unknownStep(a StepAssessment, k Coupling, u *Unknown, what string) StepAssessment {
	a.Status = StepUnknown
	a.Because = what + ": " + u.Reason
	a.Blockers = []Blocker{{Kind: BlockerWithheld, Standard: k.Standard, Status: k.Status, Need: u.Path, Reason: a.Because}}
	return a
}
