package businesscase

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestTornado(t *testing.T) {
	p := mustDefaults(t)
	c, err := p.ForMunicipality("Utrecht")
	if err != nil {
		t.Fatal(err)
	}
	opts := p.DefaultOptions()
	tor, err := TornadoOf(c, opts, FrontOffice)
	if err != nil {
		t.Fatal(err)
	}
	base, err := Compute(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	if tor.Base != outcome(base.FrontOffice) {
		t.Errorf("base %+v, want the front office's %+v", tor.Base, outcome(base.FrontOffice))
	}
	groups := map[string]TornadoBar{}
	for i, b := range tor.Bars {
		groups[b.Group] = b
		if i > 0 && b.Swing > tor.Bars[i-1].Swing {
			t.Errorf("bar %s (swing %v) after a smaller swing %v", b.Group, b.Swing, tor.Bars[i-1].Swing)
		}
	}
	// Every kind of uncertain figure has its group, with all its members.
	for group, figures := range map[string]int{
		"couplings[*].oneOff": len(p.Couplings), "localFloor[*].yearly": len(p.LocalFloor), "nationalFacilityFactor": 1,
		"lifeEvents.*.contacts": 8, "lifeEvents.*.shiftedContacts.*.contacts": 16, "serviceNorms.*.complianceToday": 3,
		"agencies.*.costPerContact": len(p.Agencies), "frontOfficeForAll.resolution": 1,
	} {
		if b, ok := groups[group]; !ok || b.Figures != figures {
			t.Errorf("group %s: %+v, want %d figures", group, b, figures)
		}
	}
	for _, g := range []string{"horizonYears", "couplings[*].shares", "frontOfficeForAll.compensation.shareOfAgencySaving"} {
		if _, ok := groups[g]; ok {
			t.Errorf("a choice, %s, is varied as if uncertain", g)
		}
	}
	// A bar is the outcome with the group moved by hand.
	b := groups["nationalFacilityFactor"]
	for end, v := range []float64{p.NationalFacilityFactor.Range.Low, p.NationalFacilityFactor.Range.High} {
		q, err := p.Apply(fmt.Appendf(nil, `{"nationalFacilityFactor": {"value": %v, "source": "test"}}`, v))
		if err != nil {
			t.Fatal(err)
		}
		cq, _ := q.ForMunicipality("Utrecht")
		r, err := Compute(cq, opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := []Outcome{b.Low, b.High}[end]; got != outcome(r.FrontOffice) {
			t.Errorf("factor %v: bar %+v, computed %+v", v, got, outcome(r.FrontOffice))
		}
	}
	// Agencies' costs only matter when the state passes their saving on.
	if b := groups["agencies.*.costPerContact"]; b.Swing != 0 {
		t.Errorf("agencies' costs swing the uncompensated case by %v", b.Swing)
	}
	comp, err := TornadoOf(c, opts, Compensated)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(comp.Bars, func(b TornadoBar) bool { return b.Group == "agencies.*.costPerContact" })
	if comp.Bars[i].Swing == 0 || comp.Bars[i].High.NPV <= comp.Bars[i].Low.NPV {
		t.Errorf("agencies' costs in the compensated case: %+v", comp.Bars[i])
	}

	if _, err := TornadoOf(c, opts, "everything"); err == nil || !strings.Contains(err.Error(), `scenario: unknown scenario "everything"`) {
		t.Errorf("unknown scenario: %v", err)
	}

	var buf bytes.Buffer
	if err := TornadoSVG(&buf, tor); err != nil {
		t.Fatal(err)
	}
	root := parseSVG(t, buf.Bytes())
	checkAccessible(t, root, "tornado")
	bars := root.find("bars")
	if bars == nil || bars.count("g") != tornadoRows {
		t.Fatalf("tornado chart has no %d bars", tornadoRows)
	}
	for k, g := range bars.children {
		want := tor.Bars[k]
		if g.attrs["data-group"] != want.Group || g.attrs["data-low-cents"] != fmt.Sprint(int64(want.Low.NPV)) ||
			g.attrs["data-high-year"] != fmt.Sprint(want.High.BreakEvenYear) {
			t.Errorf("bar %d: %v, want %s %v %d", k, g.attrs, want.Group, want.Low.NPV, want.High.BreakEvenYear)
		}
	}
}

func TestUncertainty(t *testing.T) {
	p := mustDefaults(t)
	opts := p.DefaultOptions()
	u, err := UncertaintyOf(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ScaleCheck(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	if u.Municipalities != 342 || len(u.Scenarios) != 3 {
		t.Fatalf("%d municipalities, %d scenarios", u.Municipalities, len(u.Scenarios))
	}
	for i, su := range u.Scenarios {
		if su.Scenario != Scenarios()[i] || len(su.Counts) != 3 {
			t.Fatalf("scenario %d: %+v", i, su)
		}
		low, middle, high := su.Counts[0], su.Counts[1], su.Counts[2]
		if middle.BreakEven != s.Total.BreakEvens(su.Scenario).Count {
			t.Errorf("%s: middle %d, scale check %d", su.Scenario, middle.BreakEven, s.Total.BreakEvens(su.Scenario).Count)
		}
		if low.BreakEven > middle.BreakEven || middle.BreakEven > high.BreakEven || low.BreakEven == high.BreakEven {
			t.Errorf("%s: low %d, middle %d, high %d", su.Scenario, low.BreakEven, middle.BreakEven, high.BreakEven)
		}
		if high.Smallest == nil || (middle.Smallest != nil && high.Smallest.Population > middle.Smallest.Population) {
			t.Errorf("%s: smallest breaking even high %v, middle %v", su.Scenario, high.Smallest, middle.Smallest)
		}
		if want := float64(high.BreakEven) / 342; high.Share != want {
			t.Errorf("%s: share %v, want %v", su.Scenario, high.Share, want)
		}
	}

	var buf bytes.Buffer
	if err := BreakEvenByAssumptionSVG(&buf, u); err != nil {
		t.Fatal(err)
	}
	root := parseSVG(t, buf.Bytes())
	checkAccessible(t, root, "break-even-assumption")
	bars := 0
	var walk func(n *node)
	walk = func(n *node) {
		if n.name == "rect" && n.attrs["data-assumption"] != "" {
			bars++
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(root)
	if bars != 9 {
		t.Errorf("%d bars, want 3 scenarios × 3 assumptions", bars)
	}
}

func TestRangesAndChoicesValidated(t *testing.T) {
	p := mustDefaults(t)
	for _, tc := range []struct{ name, overrides, want string }{
		{"unsourced estimate without a range", `{"regionPopulation": {"value": 400000, "source": "unsourced estimate"}}`,
			"regionPopulation.range: an unsourced estimate needs a range"},
		{"range without the value", `{"regionPopulation": {"range": [600000, 900000]}}`,
			"regionPopulation.range: [600000, 900000] must hold the value 500000"},
		{"range breaking a rule", `{"frontOfficeForAll": {"resolution": {"range": [0.4, 1.2]}}}`,
			"frontOfficeForAll.resolution.range: high end must not exceed 1"},
		{"choice with a range", `{"horizonYears": {"range": [5, 15]}}`,
			"horizonYears.range: a choice has no range"},
		{"range of three", `{"regionPopulation": {"range": [1, 2, 3]}}`,
			"regionPopulation.range: must be a list of two numbers"},
		{"mix factors", `{"lifeEvents": {"birth": {"contacts": {"range": [1.2, 1.5]}}}}`,
			"lifeEvents.birth.contacts.range: [1.2, 1.5] must be factors"},
		{"shares as an estimate", `{"couplings": [{"id": "travel-document-status", "shares": {"source": "unsourced estimate"}}]}`,
			`couplings[travel-document-status].shares.source: shares say who carries a cost, a choice`},
		{"agency not in the catalogue", `{"agencies": {"belastingtelefoon": {"name": "BelastingTelefoon", "costPerContact": {"value": 5, "source": "test"}}}}`,
			"agencies.belastingtelefoon: unknown agency"},
		{"shift from an unknown agency", `{"lifeEvents": {"birth": {"shiftedContacts": {"ggd": {"contacts": {"phone": 1, "source": "test"}}}}}}`,
			"lifeEvents.birth.shiftedContacts.ggd: unknown agency"},
		{"more contacts than the agency has", `{"lifeEvents": {"becoming-unemployed": {"shiftedContacts": {"uwv": {"contacts": {"phone": 20}}}}}}`,
			"agencies.uwv.nationalContacts: the life events shift"},
		{"a catalogue norm without its effect", `{"serviceNorms": {"email-answer": null}}`,
			"serviceNorms.email-answer: missing: the catalogue's steps"},
		{"follow-ups on an unknown channel", `{"serviceNorms": {"email-answer": {"followUpChannel": "fax"}}}`,
			`serviceNorms.email-answer.followUpChannel: unknown channel "fax"`},
		{"negative compensation", `{"frontOfficeForAll": {"compensation": {"perContact": -1}}}`,
			"frontOfficeForAll.compensation.perContact: must not be negative"},
		{"floor item without description", `{"localFloor": [{"id": "floor-dpia", "description": ""}]}`,
			"localFloor[floor-dpia].description: must not be empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Apply([]byte(tc.overrides))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Apply(%s) = %v, want %q", tc.overrides, err, tc.want)
			}
		})
	}

	// A new value drops the old range; a new range alone keeps the source.
	q, err := p.Apply([]byte(`{"regionPopulation": 450000, "nationalFacilityFactor": {"range": [5, 20]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if f := q.RegionPopulation; !f.Range.IsZero() || f.Source != OverrideSource {
		t.Errorf("changed value: %+v", f)
	}
	if f := q.NationalFacilityFactor; f.Range != (Range{5, 20}) || f.Source != UnsourcedEstimate || f.Value != 10 {
		t.Errorf("changed range: %+v", f)
	}
	if _, err := LoadDefaults(nil); err == nil {
		t.Error("LoadDefaults without a catalogue succeeded")
	}
}
