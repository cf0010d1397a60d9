package lifeevents

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Thresholds decide when an observed registry is unhealthy enough to turn
// the steps whose needs trace to it into live gaps.
type Thresholds struct {
	// MaxErrorRate is the error rate, 0 to 1, at or above which a registry
	// is down, once it has seen MinCalls calls in the window.
	MaxErrorRate float64
	// MinCalls is the number of calls below which the error rate and the
	// latency say nothing: one failed call of two is no outage.
	MinCalls int
	// LatencyBudget is the p95 call duration above which a registry is
	// degraded; zero turns the latency check off.
	LatencyBudget time.Duration
}

// DefaultThresholds returns an error rate of 20 % over at least 5 calls and
// a p95 latency budget of 2 seconds: well under the connectors' default
// 5-second call timeout, so a registry that is slow but answering shows
// before its calls start timing out.
func DefaultThresholds() Thresholds {
	return Thresholds{MaxErrorRate: 0.2, MinCalls: 5, LatencyBudget: 2 * time.Second}
}

type thresholdsJSON struct {
	MaxErrorRate    float64 `json:"maxErrorRate"`
	MinCalls        int     `json:"minCalls"`
	LatencyBudgetMs float64 `json:"latencyBudgetMs"`
}

// MarshalJSON writes the latency budget in milliseconds, the unit in the
// key.
func (t Thresholds) MarshalJSON() ([]byte, error) {
	return json.Marshal(thresholdsJSON{t.MaxErrorRate, t.MinCalls, ms(t.LatencyBudget)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (t *Thresholds) UnmarshalJSON(b []byte) error {
	var j thresholdsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	d, err := fromMs("latencyBudgetMs", j.LatencyBudgetMs)
	if err != nil {
		return err
	}
	*t = Thresholds{MaxErrorRate: j.MaxErrorRate, MinCalls: j.MinCalls, LatencyBudget: d}
	return nil
}

// Condition is how a registry fares against the thresholds.
type Condition string

// The conditions, from best to worst.
const (
	// Healthy: nothing observed is over a threshold (or too few calls to
	// tell).
	Healthy Condition = "healthy"
	// Degraded: answering, but slower than the latency budget, or its
	// breaker is half-open and probing.
	Degraded Condition = "degraded"
	// Down: its breaker is open, its error rate is at or above the limit,
	// or it has no connector.
	Down Condition = "down"
)

// Judge returns the condition of a registry and why. The checks, in order:
// breaker open (down), error rate at or over MaxErrorRate with at least
// MinCalls calls (down), breaker half-open (degraded), p95 over
// LatencyBudget with at least MinCalls calls (degraded).
func (t Thresholds) Judge(h RegistryHealth) (Condition, string) {
	switch {
	case h.Breaker == BreakerOpen:
		return Down, fmt.Sprintf("%s: circuit breaker open", h.Registry)
	case h.Calls >= t.MinCalls && h.Calls > 0 && h.ErrorRate >= t.MaxErrorRate:
		return Down, fmt.Sprintf("%s: %s of %d calls failed in the last %s (limit %s over at least %d calls)",
			h.Registry, percent(h.ErrorRate), h.Calls, h.Window, percent(t.MaxErrorRate), t.MinCalls)
	case h.Breaker == BreakerHalfOpen:
		return Degraded, fmt.Sprintf("%s: circuit breaker half-open, probing after failures", h.Registry)
	case t.LatencyBudget > 0 && h.Calls >= t.MinCalls && h.Calls > 0 && h.P95 > t.LatencyBudget:
		return Degraded, fmt.Sprintf("%s: p95 latency %s over %d calls in the last %s, above the budget of %s",
			h.Registry, h.P95, h.Calls, h.Window, t.LatencyBudget)
	}
	return Healthy, ""
}

func percent(f float64) string {
	return fmt.Sprintf("%.0f %%", f*100)
}

// GapKind says whether a gap is in the catalogue or observed now.
type GapKind string

// The gap kinds.
const (
	// GapStatic: the step's coupling is not automated.
	GapStatic GapKind = "static"
	// GapLive: a registry the step's needs trace to is down, degraded or
	// has no connector right now.
	GapLive GapKind = "live"
)

// Severity ranks gaps.
type Severity string

// The severities. The rule (see SeverityOf and docs/life-events.md):
//
//	static gap, missing coupling,  citizen-facing step  HIGH
//	static gap, missing coupling,  back-office step     MEDIUM
//	static gap, manual coupling,   citizen-facing step  MEDIUM
//	static gap, manual coupling,   back-office step     LOW
//	static gap, partial coupling                        LOW
//	live gap,   registry down,     citizen-facing step  HIGH
//	live gap,   registry down,     back-office step     MEDIUM
//	live gap,   registry degraded, citizen-facing step  MEDIUM
//	live gap,   registry degraded, back-office step     LOW
//
// A step is citizen-facing when the municipal front office takes it: a gap
// there is felt by the citizen at the desk or on the phone at once.
const (
	SeverityHigh   Severity = "HIGH"
	SeverityMedium Severity = "MEDIUM"
	SeverityLow    Severity = "LOW"
)

func (s Severity) rank() int {
	switch s {
	case SeverityHigh:
		return 3
	case SeverityMedium:
		return 2
	case SeverityLow:
		return 1
	}
	return 0
}

// staticSeverity applies the rule above to a static gap.
func staticSeverity(status Status, citizenFacing bool) Severity {
	switch {
	case status == StatusMissing && citizenFacing:
		return SeverityHigh
	case status == StatusMissing, status == StatusManual && citizenFacing:
		return SeverityMedium
	}
	return SeverityLow
}

// liveSeverity applies the rule above to a live gap.
func liveSeverity(c Condition, citizenFacing bool) Severity {
	switch {
	case c == Down && citizenFacing:
		return SeverityHigh
	case c == Down, citizenFacing:
		return SeverityMedium
	}
	return SeverityLow
}

// Gap is one coupling gap of one step.
type Gap struct {
	// ID is "<event>/<step>" for a static gap, "<event>/<step>/live" for a
	// live one.
	ID            string   `json:"id"`
	Kind          GapKind  `json:"kind"`
	Severity      Severity `json:"severity"`
	Event         string   `json:"event"`
	Step          string   `json:"step"`
	StepName      string   `json:"stepName"`
	Actor         string   `json:"actor"`
	Partner       string   `json:"partner"`
	CitizenFacing bool     `json:"citizenFacing"`
	// Standard is the coupling's standard: the one that would close a
	// static gap, the one the step's data travels by for a live gap.
	Standard string `json:"standard,omitempty"`
	// Status is the coupling's status in the catalogue.
	Status Status `json:"status"`
	// Reason says what is wrong.
	Reason string `json:"reason"`
	// Closes says what would close the gap.
	Closes string `json:"closes"`
	// Registries are, for a live gap, the unhealthy registries the step's
	// needs trace to; for a static gap, all registries they trace to.
	Registries []string `json:"registries,omitempty"`
}

// StepRef names a step of an event.
type StepRef struct {
	Event string `json:"event"`
	Step  string `json:"step"`
}

// StandardGaps groups the gaps one standard would close.
type StandardGaps struct {
	// Standard is the standard's id; empty for gaps no standard closes.
	Standard string    `json:"standard"`
	Worst    Severity  `json:"worst"`
	Events   []string  `json:"events"`
	Steps    []StepRef `json:"steps"`
}

// RegistryGaps groups the live gaps of one unhealthy registry.
type RegistryGaps struct {
	Registry  string    `json:"registry"`
	Condition Condition `json:"condition"`
	Reason    string    `json:"reason"`
	Events    []string  `json:"events"`
	Steps     []StepRef `json:"steps"`
}

// Summary counts the gaps of a report.
type Summary struct {
	Static int `json:"static"`
	Live   int `json:"live"`
	High   int `json:"high"`
	Medium int `json:"medium"`
	Low    int `json:"low"`
}

// Report is the coupling-gap report: the catalogue's static gaps joined
// with the live health of the registries.
type Report struct {
	Thresholds Thresholds       `json:"thresholds"`
	Health     []RegistryHealth `json:"health"`
	// Absent lists registries without a connector.
	Absent []string `json:"absent,omitempty"`
	// Events are the ids of the events the report covers.
	Events []string `json:"events"`
	// Gaps are in catalogue order: by event, then step, static before live.
	Gaps []Gap `json:"gaps"`
	// ByStandard groups the static gaps by the standard that would close
	// them, worst first.
	ByStandard []StandardGaps `json:"byStandard"`
	// ByRegistry groups the live gaps by unhealthy registry.
	ByRegistry []RegistryGaps `json:"byRegistry"`
	Summary    Summary        `json:"summary"`
}

// ReportOptions is what a report is computed from besides the catalogue.
type ReportOptions struct {
	// Health is the observed health per registry, e.g. Window.Health().
	// A registry not listed counts as healthy.
	Health []RegistryHealth
	// Absent lists registries the hub has no connector for; steps needing
	// them are live gaps.
	Absent []string
	// Thresholds; the zero value means DefaultThresholds.
	Thresholds Thresholds
	// Events limits the report to these event ids; empty means all.
	Events []string
}

// NewReport computes the coupling-gap report. It fails only on an unknown
// event id in opts.Events.
func NewReport(c *Catalogue, opts ReportOptions) (*Report, error) {
	th := opts.Thresholds
	if th == (Thresholds{}) {
		th = DefaultThresholds()
	}
	events, err := c.selectEvents(opts.Events)
	if err != nil {
		return nil, err
	}
	// Empty lists rather than nil ones, so the JSON export says [] not null.
	r := &Report{Thresholds: th, Health: opts.Health, Absent: opts.Absent, Events: []string{}, Gaps: []Gap{}}
	if r.Health == nil {
		r.Health = []RegistryHealth{}
	}
	cond := conditions(opts.Health, opts.Absent, th)
	for _, e := range events {
		r.Events = append(r.Events, e.ID)
		for _, s := range e.Steps {
			if g, ok := staticGap(e, s); ok {
				r.Gaps = append(r.Gaps, g)
			}
			if g, ok := liveGap(e, s, cond); ok {
				r.Gaps = append(r.Gaps, g)
			}
		}
	}
	r.group(cond, c.registries)
	return r, nil
}

// registryCondition is a registry's judged condition.
type registryCondition struct {
	cond   Condition
	reason string
}

func conditions(health []RegistryHealth, absent []string, th Thresholds) map[string]registryCondition {
	out := map[string]registryCondition{}
	for _, h := range health {
		if c, why := th.Judge(h); c != Healthy {
			out[h.Registry] = registryCondition{c, why}
		}
	}
	for _, r := range absent {
		out[r] = registryCondition{Down, r + ": no connector configured"}
	}
	return out
}

func staticGap(e *Event, s *Step) (Gap, bool) {
	k := s.Coupling
	if k.Status == StatusAutomated {
		return Gap{}, false
	}
	std := "no standard exists"
	if k.Standard != "" {
		std = k.Standard
	}
	return Gap{
		ID: e.ID + "/" + s.ID, Kind: GapStatic,
		Severity: staticSeverity(k.Status, s.CitizenFacing()),
		Event:    e.ID, Step: s.ID, StepName: s.Name.EN, Actor: s.Actor, Partner: s.Partner,
		CitizenFacing: s.CitizenFacing(), Standard: k.Standard, Status: k.Status,
		Reason:     fmt.Sprintf("coupling %s (%s): %s", k.Status, std, k.Description),
		Closes:     k.Closes,
		Registries: s.Registries(),
	}, true
}

func liveGap(e *Event, s *Step, cond map[string]registryCondition) (Gap, bool) {
	var regs, reasons []string
	worst := Healthy
	for _, r := range s.Registries() {
		rc, bad := cond[r]
		if !bad {
			continue
		}
		regs = append(regs, r)
		reasons = append(reasons, rc.reason)
		if rc.cond == Down {
			worst = Down
		} else if worst != Down {
			worst = Degraded
		}
	}
	if len(regs) == 0 {
		return Gap{}, false
	}
	return Gap{
		ID: e.ID + "/" + s.ID + "/live", Kind: GapLive,
		Severity: liveSeverity(worst, s.CitizenFacing()),
		Event:    e.ID, Step: s.ID, StepName: s.Name.EN, Actor: s.Actor, Partner: s.Partner,
		CitizenFacing: s.CitizenFacing(), Standard: s.Coupling.Standard, Status: s.Coupling.Status,
		Reason:     strings.Join(reasons, "; "),
		Closes:     connectorsAnswering(regs) + "; until then the front office asks the citizen or the partner",
		Registries: regs,
	}, true
}

// connectorsAnswering says what closes a live gap of the registries.
func connectorsAnswering(regs []string) string {
	if len(regs) == 1 {
		return "the " + regs[0] + " connector answering again within the thresholds"
	}
	return "the " + strings.Join(regs, " and ") + " connectors answering again within the thresholds"
}

func (r *Report) group(cond map[string]registryCondition, order []string) {
	byStd := map[string]*StandardGaps{}
	byReg := map[string]*RegistryGaps{}
	var stdOrder, regOrder []string
	for _, g := range r.Gaps {
		ref := StepRef{g.Event, g.Step}
		switch g.Kind {
		case GapStatic:
			r.Summary.Static++
			sg, ok := byStd[g.Standard]
			if !ok {
				sg = &StandardGaps{Standard: g.Standard}
				byStd[g.Standard] = sg
				stdOrder = append(stdOrder, g.Standard)
			}
			if g.Severity.rank() > sg.Worst.rank() {
				sg.Worst = g.Severity
			}
			if !slices.Contains(sg.Events, g.Event) {
				sg.Events = append(sg.Events, g.Event)
			}
			sg.Steps = append(sg.Steps, ref)
		case GapLive:
			r.Summary.Live++
			for _, reg := range g.Registries {
				rg, ok := byReg[reg]
				if !ok {
					rg = &RegistryGaps{Registry: reg, Condition: cond[reg].cond, Reason: cond[reg].reason}
					byReg[reg] = rg
					regOrder = append(regOrder, reg)
				}
				if !slices.Contains(rg.Events, g.Event) {
					rg.Events = append(rg.Events, g.Event)
				}
				rg.Steps = append(rg.Steps, ref)
			}
		}
		switch g.Severity {
		case SeverityHigh:
			r.Summary.High++
		case SeverityMedium:
			r.Summary.Medium++
		case SeverityLow:
			r.Summary.Low++
		}
	}
	r.ByStandard = []StandardGaps{}
	for _, id := range stdOrder {
		r.ByStandard = append(r.ByStandard, *byStd[id])
	}
	slices.SortStableFunc(r.ByStandard, func(a, b StandardGaps) int {
		if d := b.Worst.rank() - a.Worst.rank(); d != 0 {
			return d
		}
		return len(b.Steps) - len(a.Steps)
	})
	sortRegistries(order, regOrder)
	r.ByRegistry = []RegistryGaps{}
	for _, reg := range regOrder {
		r.ByRegistry = append(r.ByRegistry, *byReg[reg])
	}
}

// LiveGaps returns the report's live gaps.
func (r *Report) LiveGaps() []Gap { return r.filter(GapLive) }

// StaticGaps returns the report's static gaps.
func (r *Report) StaticGaps() []Gap { return r.filter(GapStatic) }

func (r *Report) filter(k GapKind) []Gap {
	var out []Gap
	for _, g := range r.Gaps {
		if g.Kind == k {
			out = append(out, g)
		}
	}
	return out
}

// selectEvents returns the events with the ids, in catalogue order, or all
// events for no ids.
func (c *Catalogue) selectEvents(ids []string) ([]*Event, error) {
	if len(ids) == 0 {
		return c.EventList, nil
	}
	for _, id := range ids {
		if _, ok := c.events[id]; !ok {
			return nil, fmt.Errorf("unknown life event %q; the catalogue has %s", id, strings.Join(EventIDs(), ", "))
		}
	}
	var out []*Event
	for _, e := range c.EventList {
		if slices.Contains(ids, e.ID) {
			out = append(out, e)
		}
	}
	return out, nil
}
