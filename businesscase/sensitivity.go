package businesscase

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Uncertainty: every figure with a range (and every channel mix with a
// range of factors) is uncertain. Figures of one kind form a group, named
// by their path with the ids of life events, channels, agencies, norms,
// statuses and list items replaced by "*", such as "couplings[*].oneOff";
// a group moves to the low or high end of its members' ranges together.

// TornadoBar is what moving one group of uncertain figures to either end
// of its range does to a municipality's outcome, the others staying at
// their values.
type TornadoBar struct {
	// Group names the figures, such as "lifeEvents.*.contacts".
	Group string `json:"group"`
	// Figures counts the figures in the group.
	Figures int `json:"figures"`
	// Low and High are the outcomes with every figure of the group at the
	// low and at the high end of its range.
	Low  Outcome `json:"low"`
	High Outcome `json:"high"`
	// Swing is the difference between the two net present values, never
	// negative.
	Swing Cents `json:"swingCents"`
}

// Tornado is a municipality's sensitivity to each group of uncertain
// figures in one scenario, the largest swing first.
type Tornado struct {
	Municipality Municipality `json:"municipality"`
	Scenario     Scenario     `json:"scenario"`
	Options      Options      `json:"options"`
	// Base is the outcome with every figure at its value.
	Base Outcome      `json:"base"`
	Bars []TornadoBar `json:"bars"`
}

// TornadoOf computes the tornado of a case: for every group of uncertain
// figures, the outcome in the scenario with the group at its low and at its
// high end.
func TornadoOf(c *Case, opts Options, s Scenario) (*Tornado, error) {
	if err := checkScenario(s); err != nil {
		return nil, err
	}
	base, err := Compute(c, opts)
	if err != nil {
		return nil, err
	}
	u, err := uncertaintiesOf(c.Params)
	if err != nil {
		return nil, err
	}
	t := &Tornado{Municipality: c.Municipality, Scenario: s, Options: base.Options, Base: outcome(base.Flow(s)), Bars: []TornadoBar{}}
	for _, g := range u.groups() {
		bar := TornadoBar{Group: g, Figures: len(u.members[g])}
		for end, into := range []*Outcome{&bar.Low, &bar.High} {
			q, err := u.with(map[string]int{g: end})
			if err != nil {
				return nil, err
			}
			r, err := Compute(&Case{Municipality: c.Municipality, Params: q}, opts)
			if err != nil {
				return nil, err
			}
			*into = outcome(r.Flow(s))
		}
		bar.Swing = max(bar.High.NPV-bar.Low.NPV, bar.Low.NPV-bar.High.NPV)
		t.Bars = append(t.Bars, bar)
	}
	sort.SliceStable(t.Bars, func(i, j int) bool { return t.Bars[i].Swing > t.Bars[j].Swing })
	return t, nil
}

func checkScenario(s Scenario) error {
	if !slices.Contains(Scenarios(), s) {
		return &ParamError{Path: "scenario", Msg: fmt.Sprintf("unknown scenario %q, want couplings, front-office or compensated", s)}
	}
	return nil
}

// Assumption is a set of values for every uncertain figure.
type Assumption string

const (
	// Low puts every group of uncertain figures at the end of its range
	// that is worse for the municipality.
	Low Assumption = "low"
	// Middle keeps every figure at its value.
	Middle Assumption = "middle"
	// High puts every group at the end that is better for the
	// municipality.
	High Assumption = "high"
)

// Assumptions returns the three assumptions, worst first.
func Assumptions() []Assumption { return []Assumption{Low, Middle, High} }

// AssumptionCount is how many municipalities break even within the
// horizon under one assumption.
type AssumptionCount struct {
	Assumption Assumption `json:"assumption"`
	BreakEven  int        `json:"breakEven"`
	// Share is BreakEven over all municipalities, between 0 and 1.
	Share float64 `json:"share"`
	// Smallest is the least populous municipality that breaks even, nil
	// when none does.
	Smallest *Municipality `json:"smallest"`
}

// ScenarioUncertainty is a scenario's break-even count under each
// assumption.
type ScenarioUncertainty struct {
	Scenario Scenario          `json:"scenario"`
	Counts   []AssumptionCount `json:"counts"`
}

// Uncertainty is the share of municipalities that break even under low,
// middle and high assumptions, in each scenario, with the fixed costs
// shared.
type Uncertainty struct {
	Options        Options               `json:"options"`
	Municipalities int                   `json:"municipalities"`
	Scenarios      []ScenarioUncertainty `json:"scenarios"`
	// Reference is the hypothetical municipality of median size whose
	// outcome decides, per scenario and group, which end of a range is
	// worse.
	Reference Municipality `json:"reference"`
}

// UncertaintyOf runs every municipality under the low, middle and high
// assumptions of each scenario. Which end of a group's range is worse is
// decided once per scenario, on a municipality of median size, so that
// every municipality is judged under the same values.
func UncertaintyOf(p *Parameters, opts Options) (*Uncertainty, error) {
	opts.Carrying = Shared
	if err := opts.validate(); err != nil {
		return nil, err
	}
	u, err := uncertaintiesOf(p)
	if err != nil {
		return nil, err
	}
	pops := make([]int, len(p.municipalities))
	for i, m := range p.municipalities {
		pops[i] = m.Population
	}
	slices.Sort(pops)
	ref, err := p.ForPopulation("median municipality", pops[(len(pops)-1)/2])
	if err != nil {
		return nil, err
	}
	out := &Uncertainty{Options: opts, Municipalities: len(p.municipalities), Reference: ref.Municipality}
	middle, err := breakEvens(p, opts)
	if err != nil {
		return nil, err
	}
	for _, s := range Scenarios() {
		worse, err := u.worseEnds(ref.Municipality, opts, s)
		if err != nil {
			return nil, err
		}
		su := ScenarioUncertainty{Scenario: s}
		for _, a := range Assumptions() {
			var outcomes []MunicipalOutcome
			switch a {
			case Middle:
				outcomes = middle
			default:
				ends := worse
				if a == High {
					ends = flip(worse)
				}
				q, err := u.with(ends)
				if err != nil {
					return nil, err
				}
				if outcomes, err = breakEvens(q, opts); err != nil {
					return nil, err
				}
			}
			su.Counts = append(su.Counts, count(a, outcomes, s))
		}
		out.Scenarios = append(out.Scenarios, su)
	}
	return out, nil
}

// breakEvens computes every municipality with the fixed costs shared.
func breakEvens(p *Parameters, opts Options) ([]MunicipalOutcome, error) {
	sections := p.sectionKeys()
	out := make([]MunicipalOutcome, 0, len(p.municipalities))
	for _, m := range p.municipalities {
		c, err := p.caseOf(m, sections)
		if err != nil {
			return nil, err
		}
		r, err := Compute(c, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, MunicipalOutcome{Municipality: c.Municipality, Shared: outcome(r.Total),
			FrontOffice: outcome(r.FrontOffice), Compensated: outcome(r.Compensated)})
	}
	return out, nil
}

func count(a Assumption, ms []MunicipalOutcome, s Scenario) AssumptionCount {
	ac := AssumptionCount{Assumption: a}
	for i := range ms {
		if ms[i].Outcome(s).BreakEvenYear == 0 {
			continue
		}
		ac.BreakEven++
		if ac.Smallest == nil || ms[i].Municipality.Population < ac.Smallest.Population {
			m := ms[i].Municipality
			ac.Smallest = &m
		}
	}
	if len(ms) > 0 {
		ac.Share = float64(ac.BreakEven) / float64(len(ms))
	}
	return ac
}

// worseEnds returns, per group, the end of its range (0 low, 1 high) at
// which the municipality's net present value in the scenario is lower;
// the low end when both are equal.
func (u *uncertainties) worseEnds(m Municipality, opts Options, s Scenario) (map[string]int, error) {
	ends := map[string]int{}
	for _, g := range u.groups() {
		var npv [2]Cents
		for end := range npv {
			q, err := u.with(map[string]int{g: end})
			if err != nil {
				return nil, err
			}
			r, err := Compute(&Case{Municipality: m, Params: q}, opts)
			if err != nil {
				return nil, err
			}
			npv[end] = r.Flow(s).NPV
		}
		if npv[1] < npv[0] {
			ends[g] = 1
		}
	}
	return ends, nil
}

func flip(ends map[string]int) map[string]int {
	out := make(map[string]int, len(ends))
	for g, e := range ends {
		out[g] = 1 - e
	}
	return out
}

// uncertainties holds a parameters document as a tree, with the paths of
// its ranged figures and mixes by group.
type uncertainties struct {
	p       *Parameters
	tree    map[string]any
	members map[string][]rangedPath
}

// rangedPath is where a ranged figure or mix sits in the tree: map keys and
// list indices.
type rangedPath []any

// collections are the maps whose keys are ids rather than parameter names.
var collections = []string{"lifeEvents", "channels", "agencies", "serviceNorms", "shiftedContacts", "couplingCostByStatus"}

func uncertaintiesOf(p *Parameters) (*uncertainties, error) {
	doc, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode parameters: %w", err)
	}
	var tree map[string]any
	if err := json.Unmarshal(doc, &tree); err != nil {
		return nil, fmt.Errorf("decode parameters: %w", err)
	}
	// Sections of the overrides are applied per municipality, over the
	// values moved here.
	u := &uncertainties{p: p, tree: tree, members: map[string][]rangedPath{}}
	u.walk(tree, nil, "", false)
	return u, nil
}

func (u *uncertainties) walk(v any, path rangedPath, group string, idKeys bool) {
	switch x := v.(type) {
	case map[string]any:
		if _, ranged := x["range"]; ranged {
			u.members[group] = append(u.members[group], slices.Clone(path))
			return
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if group == "" && k == "municipalities" {
				continue
			}
			name := k
			if idKeys {
				name = "*"
			}
			u.walk(x[k], append(path, k), join(group, name), slices.Contains(collections, k))
		}
	case []any:
		for i, e := range x {
			u.walk(e, append(path, i), group+"[*]", false)
		}
	}
}

func (u *uncertainties) groups() []string { return slices.Sorted(maps.Keys(u.members)) }

// with returns the parameters with each named group at an end of its
// range: 0 low, 1 high.
func (u *uncertainties) with(ends map[string]int) (*Parameters, error) {
	tree := deepCopy(u.tree).(map[string]any)
	for g, end := range ends {
		for _, path := range u.members[g] {
			setEnd(at(tree, path), end)
		}
	}
	doc, err := json.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("encode parameters: %w", err)
	}
	q, err := decodeParameters(doc, u.p.reference)
	if err != nil {
		return nil, fmt.Errorf("parameters at the ends of %s: %w", strings.Join(slices.Sorted(maps.Keys(ends)), ", "), err)
	}
	return q, nil
}

func at(tree any, path rangedPath) map[string]any {
	for _, step := range path {
		switch k := step.(type) {
		case string:
			tree = tree.(map[string]any)[k]
		case int:
			tree = tree.([]any)[k]
		}
	}
	return tree.(map[string]any)
}

// setEnd moves a figure's value to an end of its range, or multiplies every
// channel of a mix by the factor at that end.
func setEnd(obj map[string]any, end int) {
	r := obj["range"].([]any)[end].(float64)
	if _, figure := obj["value"]; figure {
		obj["value"] = r
		return
	}
	for k, v := range obj {
		if n, ok := v.(float64); ok {
			obj[k] = n * r
		}
	}
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}
