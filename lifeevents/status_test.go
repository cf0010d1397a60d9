package lifeevents

import (
	"slices"
	"strings"
	"testing"
	"time"
)

var today = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// cond compiles a condition over a Person's facts.
func cond(t *testing.T, src string) *Expr {
	t.Helper()
	x, err := newCompiler(realSchema(t)).compile("Person", src)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestExprPaths(t *testing.T) {
	for _, tc := range []struct {
		src   string
		paths []string
		regs  []string
	}{
		{"age >= 67", []string{"age"}, []string{"BRP"}},
		{`any(parents, .gender.code == "V" && len(.partners) > 0)`, []string{"parents.gender.code", "parents.partners"}, []string{"BRP"}},
		{`"gezondheidszorgfunctie" in address.residentialObject.uses`, []string{"address.residentialObject.uses"}, []string{"BRP", "BAG"}},
		{`none(benefits, .law == "WW" && .end == "") || daysBetween(today, birth.date.date) > 0`, []string{"benefits.end", "benefits.law", "birth.date.date"}, []string{"BRP", "UWV"}},
		{`all(parents, all(.partners, .ended.date != "" || .started.date > birth.date.date))`, []string{"birth.date.date", "parents.partners.ended.date", "parents.partners.started.date"}, []string{"BRP"}},
	} {
		x := cond(t, tc.src)
		if !slices.Equal(x.Paths, tc.paths) || !slices.Equal(x.Registries, tc.regs) {
			t.Errorf("%s: paths %v registries %v, want %v %v", tc.src, x.Paths, x.Registries, tc.paths, tc.regs)
		}
	}
	for src, want := range map[string]string{
		"age >= \"old\"":                "mismatched types int and string",
		"birth.dte == \"x\"":            "type Birth has no field dte",
		"parents.name == \"x\"":         "read with a builtin such as any",
		"let x = age; x > 3":            "is not allowed in a condition",
		"travelDocuments.expires > 3":   "",
		"name.fullName.Contains(\"x\")": "has no method Contains",
	} {
		_, err := newCompiler(realSchema(t)).compile("Person", src)
		if err == nil || (want != "" && !strings.Contains(err.Error(), want)) {
			t.Errorf("%s: error %v, want one saying %q", src, err, want)
		}
	}
}

func TestExprEval(t *testing.T) {
	x := cond(t, `age >= 67 && any(parents, .gender.code == "V")`)
	facts := Facts{Value: map[string]any{"age": 70.0, "parents": []any{map[string]any{"gender": map[string]any{"code": "V"}}}}}
	if ok, u, err := x.Eval(facts, today); !ok || u != nil || err != nil {
		t.Errorf("Eval = %v, %v, %v", ok, u, err)
	}
	// Absent facts are zero: a person without parents has none.
	if ok, _, _ := x.Eval(Facts{Value: map[string]any{"age": 70.0}}, today); ok {
		t.Error("no parents, yet a mother")
	}
	// A withheld fact the condition reads makes it unknown, never false.
	withheld := Facts{Value: map[string]any{"age": 70.0}, Errors: []FactError{{Path: "parents", Code: "FORBIDDEN", Withheld: true}}}
	if ok, u, err := x.Eval(withheld, today); ok || u == nil || err != nil || !strings.Contains(u.Reason, "outside the token's purposes") {
		t.Errorf("withheld: %v, %+v, %v", ok, u, err)
	}
	failed := Facts{Errors: []FactError{{Path: "", Registry: "BRP", Code: "UPSTREAM_UNAVAILABLE"}}}
	if _, u, _ := x.Eval(failed, today); u == nil || !strings.Contains(u.Reason, "BRP failed") {
		t.Errorf("failed: %+v", u)
	}
}

// step builds a step of a test event.
func step(id string, k Coupling, learns Learns, opts ...func(*Step)) *Step {
	s := &Step{ID: id, Actor: "svb", Partner: "svb", Coupling: k, Learns: learns}
	for _, o := range opts {
		o(s)
	}
	return s
}

var (
	automated = Coupling{Standard: "brp-spontaneous-provision", Status: StatusAutomated, Description: "flows"}
	manualK   = Coupling{Standard: "zgw-api", Status: StatusManual, Description: "by hand", Closes: "a ZGW case"}
	partialK  = Coupling{Standard: "suwinet", Status: StatusPartial, Description: "half", Closes: "all of it"}
	provision = Learns{By: DeliveryProvision, Standard: "brp-spontaneous-provision"}
	citizen   = Learns{By: DeliveryCitizen}
)

func TestAssessEvent(t *testing.T) {
	done := func(src string) func(*Step) {
		return func(s *Step) { s.Done = &Rule{When: cond(t, src), Says: "done: " + src} }
	}
	when := func(src string) func(*Step) {
		return func(s *Step) { s.Condition = &Rule{When: cond(t, src), Says: "not " + src} }
	}
	after := func(ids ...string) func(*Step) { return func(s *Step) { s.DependsOn = ids } }
	needs := func(paths ...string) func(*Step) {
		return func(s *Step) {
			for _, p := range paths {
				n, _ := traceNeed(realSchema(t), "Person", p)
				s.Needs = append(s.Needs, n)
			}
		}
	}
	inputs := func(s *Step) { s.Inputs = []string{"a photo"} }
	e := &Event{ID: "e", Steps: []*Step{
		step("registered", automated, citizen, done(`bsn != ""`)),
		step("pensioner", automated, citizen, when("age >= 67")),
		step("provided", automated, provision, after("registered")),
		step("chained", automated, provision, after("provided")),
		step("waits", automated, citizen, after("pensioner")),
		step("manual", manualK, citizen),
		step("asks", partialK, citizen, inputs),
		step("reads-uwv", automated, citizen, needs("benefits.law")),
		step("tasked", automated, citizen),
	}}
	facts := Facts{Value: map[string]any{"bsn": "999990019", "age": 40.0, "benefits": []any{}}}
	a, err := AssessEvent(e, AssessInput{Facts: facts, Now: today, OpenTasks: map[string]bool{"tasked": true}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]StepStatus{
		"registered": StepDone, "pensioner": StepNotApplicable, "provided": StepInProgress, "chained": StepInProgress,
		"waits": StepNotApplicable, "manual": StepBlocked, "asks": StepNeedsInput, "reads-uwv": StepReady, "tasked": StepInProgress,
	}
	for _, s := range a.Steps {
		if s.Status != want[s.StepID] || s.Because == "" {
			t.Errorf("%s: %s (%s), want %s", s.StepID, s.Status, s.Because, want[s.StepID])
		}
		if (s.Status == StepNotApplicable) != (s.Applicable != nil && !*s.Applicable) {
			t.Errorf("%s: %s but applicable %v", s.StepID, s.Status, s.Applicable)
		}
	}
	// The most pressing step that can be taken now decides.
	if a.Status != StepBlocked || !strings.Contains(a.Because, "manual") {
		t.Errorf("event %s (%s), want BLOCKED by the manual step", a.Status, a.Because)
	}

	// With UWV down, only the step reading UWV data is a live gap; with
	// its data withheld, it is unknown.
	down := []RegistryHealth{{Registry: "UWV", Breaker: BreakerOpen}}
	a, _ = AssessEvent(e, AssessInput{Facts: facts, Now: today, Health: down})
	for _, s := range a.Steps {
		if live := s.Coupling == CouplingLiveDegraded; live != (s.StepID == "reads-uwv") {
			t.Errorf("%s: coupling %s with UWV down", s.StepID, s.Coupling)
		}
	}
	withheld := facts
	withheld.Errors = []FactError{{Path: "benefits", Code: "FORBIDDEN", Withheld: true}}
	a, _ = AssessEvent(e, AssessInput{Facts: withheld, Now: today})
	for _, s := range a.Steps {
		if s.StepID == "reads-uwv" && (s.Status != StepUnknown || s.Blockers[len(s.Blockers)-1].Kind != BlockerWithheld) {
			t.Errorf("reads-uwv with its need withheld: %+v", s)
		}
	}
	// A condition that reads a withheld fact: the step's applicability is
	// unknown.
	withheld.Errors = []FactError{{Path: "age", Code: "FORBIDDEN", Withheld: true}}
	a, _ = AssessEvent(e, AssessInput{Facts: withheld, Now: today})
	if s := a.Steps[1]; s.Status != StepUnknown || s.Applicable != nil {
		t.Errorf("pensioner with age withheld: %s, applicable %v", s.Status, s.Applicable)
	}

	// Every step done: the event is done.
	small := &Event{ID: "small", Steps: []*Step{e.Steps[0], e.Steps[1]}}
	if a, _ := AssessEvent(small, AssessInput{Facts: facts, Now: today}); a.Status != StepDone {
		t.Errorf("all done or not applicable: %s", a.Status)
	}
}

func TestPlanTasks(t *testing.T) {
	basis := &LegalBasis{Text: "a law"}
	e := &Event{ID: "e", Steps: []*Step{
		step("told", automated, Learns{By: DeliveryHub, LegalBasis: basis}),
		step("no-basis", automated, Learns{By: DeliveryHub}),
		step("provided", automated, provision),
		step("gap", manualK, Learns{By: DeliveryHub, LegalBasis: basis}),
		step("counter", partialK, Learns{By: DeliveryFrontOffice}, func(s *Step) { s.Actor, s.Partner = FrontOffice, "civil-affairs" }),
		step("maybe", automated, Learns{By: DeliveryHub, LegalBasis: basis}, func(s *Step) { s.Condition = &Rule{When: cond(t, "age > 1")} }),
		step("done", automated, citizen),
	}}
	steps := Unassessed(e, []RegistryHealth{{Registry: "UWV", Breaker: BreakerOpen}}, nil, Thresholds{})
	steps[6].Status = StepDone
	got := map[string]string{}
	for _, pt := range PlanTasks(e, steps) {
		got[pt.Step.ID] = string(pt.Kind) + " " + pt.Partner
		if (pt.Kind == TaskNotify) != (pt.Reason == "") {
			t.Errorf("%s: %s with reason %q", pt.Step.ID, pt.Kind, pt.Reason)
		}
	}
	want := map[string]string{
		"told": "automated svb", "no-basis": "tracked svb", "provided": "tracked svb", "gap": "manual svb",
		"counter": "tracked front-office", "maybe": "tracked svb",
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %q, want %q", id, got[id], w)
		}
	}
	if _, ok := got["done"]; ok {
		t.Error("a done step got a task")
	}
}
