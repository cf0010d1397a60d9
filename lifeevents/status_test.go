package lifeevents

import (
	"testing"
	"time"
)

func TestAssessStep(t *testing.T) {
	brp := Need{Path: "name", Registries: []string{"BRP"}}
	uwv := Need{Path: "employments.employer.name", Registries: []string{"UWV", "NHR"}}
	automated := Coupling{Standard: "haal-centraal-brp", Status: StatusAutomated, Description: "flows"}
	step := func(k Coupling, inputs []string, needs ...Need) *Step {
		return &Step{ID: "s", Actor: FrontOffice, Coupling: k, Inputs: inputs, Needs: needs}
	}
	uwvDown := []RegistryHealth{{Registry: "UWV", ErrorRate: 1, Calls: 10, Window: time.Minute}}
	nhrSlow := []RegistryHealth{{Registry: "NHR", P95: 5 * time.Second, Calls: 10, Window: time.Minute}}

	for _, tc := range []struct {
		name     string
		step     *Step
		results  []NeedResult
		health   []RegistryHealth
		want     StepStatus
		blockers []BlockerKind
	}{
		{"automated, no inputs", step(automated, nil, brp), nil, nil, StepReady, nil},
		{"automated, resolved", step(automated, nil, brp), []NeedResult{{Path: "name", Resolved: true, Registries: []string{"BRP"}}}, nil, StepReady, nil},
		{"unrelated registry down", step(automated, nil, brp), nil, uwvDown, StepReady, nil},
		{"inputs", step(automated, []string{"a photo"}, brp), nil, nil, StepNeedsInput, nil},
		{"partial coupling", step(Coupling{Standard: "suwinet", Status: StatusPartial, Description: "half"}, nil, brp), nil, nil, StepNeedsInput, nil},
		{"manual coupling", step(Coupling{Standard: "zgw-api", Status: StatusManual, Description: "by hand"}, nil), nil, nil, StepBlocked, []BlockerKind{BlockerCoupling}},
		{"missing coupling with inputs", step(Coupling{Status: StatusMissing, Description: "none"}, []string{"x"}), nil, nil, StepBlocked, []BlockerKind{BlockerCoupling}},
		{"registry of a need down", step(automated, nil, brp, uwv), nil, uwvDown, StepBlocked, []BlockerKind{BlockerRegistry}},
		{"registry of a need slow", step(automated, nil, uwv), nil, nhrSlow, StepBlocked, []BlockerKind{BlockerRegistry}},
		{"need failed", step(automated, nil, uwv), []NeedResult{{Path: "employments.employer.name", FailedRegistry: "UWV", Code: "UPSTREAM_TIMEOUT"}}, nil, StepBlocked, []BlockerKind{BlockerNeed}},
		{"need failed and its registry down: one blocker", step(automated, nil, uwv), []NeedResult{{Path: "employments.employer.name", FailedRegistry: "UWV"}}, uwvDown, StepBlocked, []BlockerKind{BlockerNeed}},
		{"need withheld: unknown, not blocked", step(automated, nil, brp, uwv), []NeedResult{{Path: "name", Resolved: true}, {Path: "employments.employer.name", Withheld: true, Code: "FORBIDDEN"}}, nil, StepUnknown, []BlockerKind{BlockerWithheld}},
		{"need withheld, inputs asked: still unknown", step(automated, []string{"x"}, uwv), []NeedResult{{Path: "employments.employer.name", Withheld: true}}, nil, StepUnknown, []BlockerKind{BlockerWithheld}},
		{"need withheld and coupling manual: blocked all the same", step(Coupling{Standard: "zgw-api", Status: StatusManual, Description: "by hand"}, nil, uwv), []NeedResult{{Path: "employments.employer.name", Withheld: true}}, nil, StepBlocked, []BlockerKind{BlockerCoupling, BlockerWithheld}},
		{"manual and down", step(Coupling{Standard: "zgw-api", Status: StatusManual, Description: "by hand"}, nil, uwv), nil, uwvDown, StepBlocked, []BlockerKind{BlockerCoupling, BlockerRegistry}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &Event{ID: "e", Steps: []*Step{tc.step}}
			a := AssessStep(e, tc.step, tc.results, tc.health, Thresholds{})
			if a.Status != tc.want {
				t.Errorf("status %s, want %s (%+v)", a.Status, tc.want, a)
			}
			var kinds []BlockerKind
			for _, b := range a.Blockers {
				kinds = append(kinds, b.Kind)
				if b.Reason == "" {
					t.Errorf("blocker %+v without reason", b)
				}
			}
			if len(kinds) != len(tc.blockers) {
				t.Fatalf("blockers %v, want %v", kinds, tc.blockers)
			}
			for i := range kinds {
				if kinds[i] != tc.blockers[i] {
					t.Errorf("blockers %v, want %v", kinds, tc.blockers)
				}
			}
		})
	}
}

func TestAssessEvent(t *testing.T) {
	c := loadCatalogue(t)
	e, _ := c.Event("travel")
	results := map[string][]NeedResult{
		"document-validity": {
			{Path: "travelDocuments.kind", Resolved: true, Registries: []string{"BRP"}},
			{Path: "travelDocuments.expires", Resolved: true, Registries: []string{"BRP"}},
			{Path: "travelDocuments.valid", Resolved: true, Registries: []string{"BRP"}},
		},
	}
	got := map[string]StepStatus{}
	for _, a := range AssessEvent(e, results, nil, Thresholds{}) {
		got[a.Step] = a.Status
	}
	for step, want := range map[string]StepStatus{
		"document-validity":  StepReady,
		"licence-validity":   StepBlocked,
		"renewal-reminder":   StepNeedsInput,
		"application":        StepNeedsInput,
		"application-status": StepBlocked,
		"vaccination":        StepBlocked,
	} {
		if got[step] != want {
			t.Errorf("%s: %s, want %s", step, got[step], want)
		}
	}
}
