package lifeevents

import (
	"fmt"
)

// StepStatus is where a step stands for one subject right now.
type StepStatus string

// The step statuses. The rule, applied by AssessStep:
//
//   - BLOCKED when the step's coupling is missing or manual (a static gap
//     the front office cannot work around), when a need did not resolve,
//     or when a registry a need traces to is down or degraded or has no
//     connector (a live gap). The blockers say which coupling and why.
//   - UNKNOWN otherwise, when a need is withheld from the principal (it
//     lies outside their purposes): the step may well be ready, but the
//     hub cannot tell. The blockers name the withheld needs.
//   - NEEDS_INPUT otherwise, when the citizen or business must supply
//     something (the step's inputs) or the coupling is partial, so the
//     part that does not flow has to be asked for.
//   - READY otherwise: every need is available through automated
//     couplings and nothing has to be asked.
//
// Steps are judged one by one: a step after a blocked step is not blocked
// for that reason, since the front office can often take it anyway.
const (
	StepReady      StepStatus = "READY"
	StepNeedsInput StepStatus = "NEEDS_INPUT"
	StepUnknown    StepStatus = "UNKNOWN"
	StepBlocked    StepStatus = "BLOCKED"
)

// NeedResult is how one need of a step fared when the GraphQL layer
// resolved it for the subject.
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
	// principal may not see it: no registry failed, and whether the data
	// is there is unknown.
	Withheld bool `json:"withheld,omitempty"`
}

// BlockerKind says where a blocker comes from.
type BlockerKind string

// The blocker kinds.
const (
	// BlockerCoupling: the catalogue's coupling is missing or manual.
	BlockerCoupling BlockerKind = "coupling"
	// BlockerRegistry: a registry the needs trace to is unhealthy.
	BlockerRegistry BlockerKind = "registry"
	// BlockerNeed: a need did not resolve for this subject.
	BlockerNeed BlockerKind = "need"
	// BlockerWithheld: a need is outside the principal's purposes, so the
	// step's status is unknown rather than blocked.
	BlockerWithheld BlockerKind = "withheld"
)

// Blocker is one reason a step is blocked.
type Blocker struct {
	Kind BlockerKind `json:"kind"`
	// Standard and Status are the step's coupling.
	Standard string `json:"standard,omitempty"`
	Status   Status `json:"status"`
	// Registry is the registry at fault, for a registry or need blocker.
	Registry string `json:"registry,omitempty"`
	// Need is the need's path, for a need blocker.
	Need   string `json:"need,omitempty"`
	Reason string `json:"reason"`
	// Closes says what would lift the blocker.
	Closes string `json:"closes,omitempty"`
}

// StepAssessment is the status of one step for one subject.
type StepAssessment struct {
	Event  string     `json:"event"`
	Step   string     `json:"step"`
	Status StepStatus `json:"status"`
	// Inputs are what the citizen or business must supply.
	Inputs []string `json:"inputs,omitempty"`
	// Partial explains a partial coupling, when it makes the step
	// NEEDS_INPUT.
	Partial string `json:"partial,omitempty"`
	// Blockers say why the step is BLOCKED or UNKNOWN; empty otherwise.
	Blockers []Blocker `json:"blockers,omitempty"`
	// Needs are the results the assessment was given.
	Needs []NeedResult `json:"needs,omitempty"`
}

// AssessEvent assesses every step of the event. results holds, per step
// id, the need results the GraphQL layer got; a step or need without
// results is judged on the registries' health alone. health is the live
// health (e.g. Window.Health()); the zero Thresholds mean
// DefaultThresholds.
func AssessEvent(e *Event, results map[string][]NeedResult, health []RegistryHealth, th Thresholds) []StepAssessment {
	if th == (Thresholds{}) {
		th = DefaultThresholds()
	}
	cond := conditions(health, nil, th)
	out := make([]StepAssessment, len(e.Steps))
	for i, s := range e.Steps {
		out[i] = assess(e, s, results[s.ID], cond)
	}
	return out
}

// AssessStep assesses one step of the event; see StepStatus for the rule.
func AssessStep(e *Event, s *Step, results []NeedResult, health []RegistryHealth, th Thresholds) StepAssessment {
	if th == (Thresholds{}) {
		th = DefaultThresholds()
	}
	return assess(e, s, results, conditions(health, nil, th))
}

func assess(e *Event, s *Step, results []NeedResult, cond map[string]registryCondition) StepAssessment {
	a := StepAssessment{Event: e.ID, Step: s.ID, Inputs: s.Inputs, Needs: results}
	k := s.Coupling
	if k.Status == StatusMissing || k.Status == StatusManual {
		a.Blockers = append(a.Blockers, Blocker{
			Kind: BlockerCoupling, Standard: k.Standard, Status: k.Status,
			Reason: fmt.Sprintf("the coupling is %s: %s", k.Status, k.Description),
			Closes: k.Closes,
		})
	}
	blocked := map[string]bool{}
	var withheld []Blocker
	for _, r := range results {
		if r.Resolved {
			continue
		}
		if r.Withheld {
			withheld = append(withheld, Blocker{
				Kind: BlockerWithheld, Standard: k.Standard, Status: k.Status, Need: r.Path,
				Reason: fmt.Sprintf("%s is outside the principal's purposes, so whether the step can proceed is unknown", r.Path),
			})
			continue
		}
		reason := fmt.Sprintf("%s did not resolve", r.Path)
		if r.FailedRegistry != "" {
			reason = fmt.Sprintf("%s did not resolve: %s failed", r.Path, r.FailedRegistry)
			if r.Code != "" {
				reason += " (" + r.Code + ")"
			}
			blocked[r.FailedRegistry] = true
		}
		a.Blockers = append(a.Blockers, Blocker{
			Kind: BlockerNeed, Standard: k.Standard, Status: k.Status,
			Registry: r.FailedRegistry, Need: r.Path, Reason: reason,
		})
	}
	for _, reg := range s.Registries() {
		rc, bad := cond[reg]
		if !bad || blocked[reg] {
			continue
		}
		a.Blockers = append(a.Blockers, Blocker{
			Kind: BlockerRegistry, Standard: k.Standard, Status: k.Status,
			Registry: reg, Reason: rc.reason,
			Closes: connectorsAnswering([]string{reg}),
		})
	}
	switch {
	case len(a.Blockers) > 0:
		a.Status = StepBlocked
	case len(withheld) > 0:
		a.Status = StepUnknown
	case len(s.Inputs) > 0 || k.Status == StatusPartial:
		a.Status = StepNeedsInput
		if k.Status == StatusPartial {
			a.Partial = fmt.Sprintf("the coupling is partial: %s", k.Description)
		}
	default:
		a.Status = StepReady
	}
	a.Blockers = append(a.Blockers, withheld...)
	return a
}
