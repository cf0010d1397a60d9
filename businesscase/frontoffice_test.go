package businesscase

import (
	"slices"
	"testing"
)

// workedFrontOffice sets up a case with every new part, small enough to
// compute by hand:
//
//   - a country of 1,000,000 inhabitants, regions of 400,000, a
//     municipality of 100,000; births: 10,000 nationally, 1,000 here;
//   - contacts per birth: today desk 1 and phone 2, target desk 1 and
//     phone 1; desk €20 + €10 back office, phone €5 + €10;
//   - first-contact resolution 50 % today, 75 % target; ramp: one year of
//     delay, then two years, so the years are 0, ½, 1 and 1 of the way;
//   - a phone pick-up norm with target 100 %, met by 80 % of calls today;
//     each call that misses it causes half a follow-up call;
//   - one coupling: €20,000 one-off and €1,000 a year, shares national
//     25 %, regional 25 %, local 50 %, national facility factor 4;
//   - a local floor item: €3,000 one-off and €500 a year;
//   - shifted from the SVB: 0.5 phone and 0.1 desk contacts per birth; the
//     SVB's contact costs €10 and the front office resolves 60 %;
//   - compensation €2 per contact and half the SVB's saving;
//   - horizon 4 years from 2026, discount rate 25 %.
func workedFrontOffice(t *testing.T) (*Case, Options) {
	t.Helper()
	p := clone(t, mustDefaults(t))
	src := func(v float64) Figure { return Figure{Value: v, Source: "worked example"} }
	mix := func(m map[string]float64) Mix { return Mix{PerChannel: m, Source: "worked example"} }
	p.reference = &reference{municipalities: p.municipalities, norms: map[string][]Norm{
		Birth: {{Key: "phone-pick-up", Channel: "phone", Target: 1, Steps: []string{"birth/example"}}},
	}}
	p.NationalPopulation = src(1_000_000)
	p.RegionPopulation = src(400_000)
	p.ChannelCostIndex = src(1)
	p.NationalFacilityFactor = src(4)
	p.Ramp = Ramp{DelayYears: src(1), Years: src(2)}
	p.Channels["desk"] = Channel{Name: "Desk", FrontOffice: src(20), BackOffice: src(10)}
	p.Channels["phone"] = Channel{Name: "Phone", FrontOffice: src(5), BackOffice: src(10)}
	p.LifeEvents[Birth] = LifeEvent{
		Name:                   "Birth",
		NationalVolume:         src(10_000),
		Contacts:               mix(map[string]float64{"desk": 1, "phone": 2}),
		TargetContacts:         mix(map[string]float64{"desk": 1, "phone": 1}),
		FirstContactResolution: &Resolution{Today: src(0.5), Target: src(0.75)},
		ShiftedContacts:        map[string]ContactShift{"svb": {Contacts: mix(map[string]float64{"phone": 0.5, "desk": 0.1})}},
	}
	p.ServiceNorms["phone-pick-up"] = NormEffect{ComplianceToday: src(0.8), FollowUpContacts: src(0.5), FollowUpChannel: "phone"}
	p.Couplings = []Coupling{{
		ID: "example-coupling", LifeEvent: Birth, Description: "example",
		OneOff: src(20_000), Yearly: src(1_000),
		Shares: Shares{National: 0.25, Regional: 0.25, Local: 0.5, Source: "worked example"},
	}}
	p.Investments = nil
	p.LocalFloor = []FloorItem{{ID: "example-floor", Description: "example", OneOff: src(3_000), Yearly: src(500)}}
	p.Agencies["svb"] = Agency{Name: "SVB", CostPerContact: src(10)}
	p.FrontOfficeForAll = FrontOfficeForAll{
		Resolution:   src(0.6),
		Compensation: Compensation{PerContact: src(2), ShareOfAgencySaving: src(0.5)},
	}
	return workedCase(t, p)
}

// TestWorkedExampleFrontOffice reproduces a computation done by hand, to
// the cent.
//
// Cost per birth a share x of the way to target, with resolution
// r = 0.5 + 0.25x, desk 1 × (20 + (1−r)×10), phone (2−x) × (5 + (1−r)×10),
// and follow-up calls (2−x) × (1 − (0.8 + 0.2x)) × 0.5 at the phone's cost:
//
//	x=0:   25      + 2 × 10     + 0.2   × 10   = 47.00
//	x=0.5: 23.75   + 1.5 × 8.75 + 0.075 × 8.75 = 37.53125
//	x=1:   22.5    + 1 × 7.5    + 0                = 30.00
//
// Savings for 1,000 births: 0, 9,468.75, 17,000.00, 17,000.00; follow-up
// calls 200 a year today, none at target.
//
// Coupling: local 10,000, regional 0.25 × 20,000 × ¼ = 1,250, national
// 0.25 × 4 × 20,000 × ⅒ = 2,000: one-off 13,250.00; yearly 500 + 62.50 +
// 100 = 662.50. Floor: 3,000 one-off and 500 a year, general.
//
// Better couplings, total net: −17,412.50, 8,306.25, 15,837.50, 15,837.50;
// cumulative −17,412.50, −9,106.25, 6,731.25, 22,568.75 → 2028. NPV
// −13,930.00 + 5,316.00 + 8,108.80 + 6,487.04 = 5,981.84.
//
// Shifted contacts at target: 500 phone and 100 desk, 600 a year. Extra cost
// 500 × 5 + 100 × 20 = 4,500.00; the SVB saves 600 × 0.6 × 10 = 3,600.00;
// compensation 600 × 2 + ½ × 3,600 = 3,000.00. By year (0, ½, 1, 1): extra
// cost 0, 2,250, 4,500, 4,500; compensation 0, 1,500, 3,000, 3,000.
//
// Front office, uncompensated: net −17,412.50, 6,056.25, 11,337.50,
// 11,337.50; cumulative −17,412.50, −11,356.25, −18.75, 11,318.75 → 2029;
// NPV −13,930.00 + 3,876.00 + 5,804.80 + 4,643.84 = 394.64.
// Compensated: net −17,412.50, 7,556.25, 14,337.50, 14,337.50; cumulative
// −17,412.50, −9,856.25, 4,481.25, 18,818.75 → 2028; NPV −13,930.00 +
// 4,836.00 + 7,340.80 + 5,872.64 = 4,119.44.
//
// Over three years the front office ends at −18.75. A compensation per
// contact of c brings 300c + 600c = 900c, so 3 cents (27.00) breaks even
// and 2 cents (18.00) does not.
func TestWorkedExampleFrontOffice(t *testing.T) {
	c, opts := workedFrontOffice(t)
	r, err := Compute(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	e := r.LifeEvents[0]
	if e.CostPerEventToday != 4700 || e.CostPerEventTarget != 3000 || e.SavingsAtTarget != 1_700_000 {
		t.Errorf("cost per event %v → %v, savings %v; want €47.00 → €30.00, €17,000.00", e.CostPerEventToday, e.CostPerEventTarget, e.SavingsAtTarget)
	}
	if !near(e.NormContactsToday, 200) || !near(e.NormContactsTarget, 0) || len(e.Norms) != 1 {
		t.Errorf("follow-up calls %v → %v, norms %v; want 200 → 0, one norm", e.NormContactsToday, e.NormContactsTarget, e.Norms)
	}
	checkFlow(t, "birth", e.Flow, []YearFlow{
		fy(2026, 1_325_000, 66_250, 0, -1_391_250, -1_391_250),
		fy(2027, 0, 66_250, 946_875, 880_625, -510_625),
		fy(2028, 0, 66_250, 1_700_000, 1_633_750, 1_123_125),
		fy(2029, 0, 66_250, 1_700_000, 1_633_750, 2_756_875),
	}, -1_113_000+563_600+836_480+669_184, 2028)
	checkFlow(t, "total", r.Total, []YearFlow{
		fy(2026, 1_625_000, 116_250, 0, -1_741_250, -1_741_250),
		fy(2027, 0, 116_250, 946_875, 830_625, -910_625),
		fy(2028, 0, 116_250, 1_700_000, 1_583_750, 673_125),
		fy(2029, 0, 116_250, 1_700_000, 1_583_750, 2_256_875),
	}, 598_184, 2028)
	want := Split{Local: 1_000_000, Regional: 125_000, National: 200_000, Total: 1_325_000}
	if got := r.Items[0].OneOff; got != want {
		t.Errorf("coupling one-off %+v, want %+v", got, want)
	}
	if f := r.Items[1]; f.Kind != KindFloor || f.OneOff != (Split{Local: 300_000, Total: 300_000}) || f.Yearly != (Split{Local: 50_000, Total: 50_000}) {
		t.Errorf("floor item %+v", f)
	}

	with := func(y YearFlow, extra, comp Cents) YearFlow {
		y.ExtraCost, y.Compensation = extra, comp
		return y
	}
	checkFlow(t, "front office", r.FrontOffice, []YearFlow{
		with(fy(2026, 1_625_000, 116_250, 0, -1_741_250, -1_741_250), 0, 0),
		with(fy(2027, 0, 116_250, 946_875, 605_625, -1_135_625), 225_000, 0),
		with(fy(2028, 0, 116_250, 1_700_000, 1_133_750, -1_875), 450_000, 0),
		with(fy(2029, 0, 116_250, 1_700_000, 1_133_750, 1_131_875), 450_000, 0),
	}, 39_464, 2029)
	checkFlow(t, "compensated", r.Compensated, []YearFlow{
		with(fy(2026, 1_625_000, 116_250, 0, -1_741_250, -1_741_250), 0, 0),
		with(fy(2027, 0, 116_250, 946_875, 755_625, -985_625), 225_000, 150_000),
		with(fy(2028, 0, 116_250, 1_700_000, 1_433_750, 448_125), 450_000, 300_000),
		with(fy(2029, 0, 116_250, 1_700_000, 1_433_750, 1_881_875), 450_000, 300_000),
	}, 411_944, 2028)
	if r.FrontOffice.ExtraCost != 1_125_000 || r.Compensated.Compensation != 750_000 {
		t.Errorf("extra cost %v, compensation %v over the horizon; want €11,250.00 and €7,500.00", r.FrontOffice.ExtraCost, r.Compensated.Compensation)
	}

	s := r.Shift
	if !near(s.Contacts, 600) || s.ExtraCost != 450_000 || s.AgencySaving != 360_000 || s.Compensation != 300_000 {
		t.Errorf("shift at target: %v contacts, extra %v, saving %v, compensation %v", s.Contacts, s.ExtraCost, s.AgencySaving, s.Compensation)
	}
	if !near(s.ContactsOverHorizon, 1_500) || s.AgencySavingOverHorizon != 900_000 {
		t.Errorf("over the horizon: %v contacts, saving %v; want 1,500 and €9,000.00", s.ContactsOverHorizon, s.AgencySavingOverHorizon)
	}
	if len(s.Agencies) != 1 || s.Agencies[0].ID != "svb" || s.Agencies[0].Saving != 360_000 {
		t.Errorf("agencies %+v", s.Agencies)
	}
	if s.BreakEvenPerContact == nil || *s.BreakEvenPerContact != 0 {
		t.Errorf("compensation per contact needed %v, want €0.00: it breaks even without", s.BreakEvenPerContact)
	}

	opts.HorizonYears = 3
	r, err = Compute(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.FrontOffice.Balance != -1_875 || r.Shift.BreakEvenPerContact == nil || *r.Shift.BreakEvenPerContact != 3 {
		t.Fatalf("three years: balance %v, compensation per contact needed %v; want -€18.75 and €0.03", r.FrontOffice.Balance, r.Shift.BreakEvenPerContact)
	}
	for _, tc := range []struct {
		cents   Cents
		balance Cents
	}{{3, 825}, {2, -75}} {
		opts.Compensation = &Rate{PerContact: tc.cents.Euros()}
		r, err := Compute(c, opts)
		if err != nil {
			t.Fatal(err)
		}
		if r.Compensated.Balance != tc.balance || (r.Compensated.BreakEvenYear != 0) != (tc.balance >= 0) {
			t.Errorf("at %v a contact: balance %v, break-even %d; want %v", tc.cents, r.Compensated.Balance, r.Compensated.BreakEvenYear, tc.balance)
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// withFlatFrontOffice returns the defaults with every channel's
// front-office cost equal, so that a compensation of that amount per
// contact is exactly the extra cost.
func withFlatFrontOffice(t *testing.T, cost float64) *Parameters {
	t.Helper()
	p := clone(t, mustDefaults(t))
	p.ChannelCostIndex = Figure{Value: 1, Source: "test"}
	for id, ch := range p.Channels {
		ch.FrontOffice = Figure{Value: cost, Source: "test"}
		p.Channels[id] = ch
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p
}

// A compensation equal to the extra cost makes the front office for all of
// government exactly the business case of better couplings: every year, in
// every municipality, to the cent.
func TestCompensationEqualToExtraCostGivesTheCouplingsCase(t *testing.T) {
	p := withFlatFrontOffice(t, 8)
	opts := p.DefaultOptions()
	opts.Compensation = &Rate{PerContact: 8}
	for _, r := range computeAll(t, p, opts) {
		if r.FrontOffice.ExtraCost == 0 {
			t.Fatalf("%s: no extra cost, the test proves nothing", r.Municipality.Name)
		}
		if r.Compensated.Compensation != r.Compensated.ExtraCost {
			t.Fatalf("%s: compensation %v, extra cost %v", r.Municipality.Name, r.Compensated.Compensation, r.Compensated.ExtraCost)
		}
		for i, y := range r.Compensated.Years {
			if y.Net != r.Total.Years[i].Net || y.Cumulative != r.Total.Years[i].Cumulative {
				t.Fatalf("%s %d: compensated %+v, couplings %+v", r.Municipality.Name, y.Year, y, r.Total.Years[i])
			}
		}
		if r.Compensated.Balance != r.Total.Balance || r.Compensated.NPV != r.Total.NPV || r.Compensated.BreakEvenYear != r.Total.BreakEvenYear {
			t.Fatalf("%s: compensated %v/%v/%d, couplings %v/%v/%d", r.Municipality.Name,
				r.Compensated.Balance, r.Compensated.NPV, r.Compensated.BreakEvenYear, r.Total.Balance, r.Total.NPV, r.Total.BreakEvenYear)
		}
	}
}

// Without shifted contacts the front office is the couplings case, and
// compensation changes nothing.
func TestNoShiftedContactsNoDifference(t *testing.T) {
	p := clone(t, mustDefaults(t))
	for id, le := range p.LifeEvents {
		le.ShiftedContacts = nil
		p.LifeEvents[id] = le
	}
	for _, r := range computeAll(t, p, p.DefaultOptions()) {
		if r.FrontOffice.Balance != r.Total.Balance || r.Compensated.NPV != r.Total.NPV || r.Shift.Contacts != 0 {
			t.Fatalf("%s: front office %v, compensated %v, couplings %v", r.Municipality.Name, r.FrontOffice.Balance, r.Compensated.NPV, r.Total.Balance)
		}
		if r.Total.Balance < 0 && r.Shift.BreakEvenPerContact != nil {
			t.Fatalf("%s: a compensation per contact of %v although no contacts shift", r.Municipality.Name, *r.Shift.BreakEvenPerContact)
		}
	}
}

// The compensation per contact a municipality needs is the least whole
// number of cents that lets it break even: with it the compensated case
// breaks even, with a cent less it does not.
func TestBreakEvenPerContactIsTheLeast(t *testing.T) {
	p := mustDefaults(t)
	needed := 0
	for _, r := range computeAll(t, p, p.DefaultOptions()) {
		c := r.Shift.BreakEvenPerContact
		if c == nil {
			t.Fatalf("%s: no compensation per contact found", r.Municipality.Name)
		}
		if *c == 0 {
			if r.FrontOffice.BreakEvenYear == 0 {
				t.Fatalf("%s: needs nothing but does not break even", r.Municipality.Name)
			}
			continue
		}
		needed++
		cs, err := p.ForMunicipality(r.Municipality.Code)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			cents Cents
			even  bool
		}{{*c, true}, {*c - 1, false}} {
			opts := p.DefaultOptions()
			opts.Compensation = &Rate{PerContact: tc.cents.Euros()}
			got, err := Compute(cs, opts)
			if err != nil {
				t.Fatal(err)
			}
			if (got.Compensated.BreakEvenYear != 0) != tc.even {
				t.Fatalf("%s at %v a contact: break-even %d, balance %v; want break-even %v", r.Municipality.Name, tc.cents,
					got.Compensated.BreakEvenYear, got.Compensated.Balance, tc.even)
			}
		}
	}
	if needed == 0 {
		t.Fatal("every municipality breaks even without compensation; the test proves nothing")
	}
}

// More compensation never makes a municipality worse off, and the agencies'
// saving is what a share of 100 % passes on.
func TestCompensationIsMonotonic(t *testing.T) {
	p := mustDefaults(t)
	c, err := p.ForMunicipality("Zwolle")
	if err != nil {
		t.Fatal(err)
	}
	var prev Cents
	for i, rate := range []Rate{{}, {ShareOfAgencySaving: 0.5}, {ShareOfAgencySaving: 1}, {PerContact: 1, ShareOfAgencySaving: 1}, {PerContact: 5, ShareOfAgencySaving: 1}} {
		opts := p.DefaultOptions()
		opts.Compensation = &rate
		r, err := Compute(c, opts)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 && r.Compensated.Balance <= prev {
			t.Errorf("%+v: balance %v not above %v", rate, r.Compensated.Balance, prev)
		}
		prev = r.Compensated.Balance
		if rate == (Rate{}) && r.Compensated.Balance != r.FrontOffice.Balance {
			t.Errorf("no compensation: compensated %v, front office %v", r.Compensated.Balance, r.FrontOffice.Balance)
		}
		if rate == (Rate{ShareOfAgencySaving: 1}) && r.Shift.Compensation != r.Shift.AgencySaving {
			t.Errorf("100 %% of the saving: compensation %v, saving %v", r.Shift.Compensation, r.Shift.AgencySaving)
		}
	}
}

// The local floor is carried in full by every municipality, alone, shared
// and pooled: pooling every local share regionally does not remove it.
func TestLocalFloorSurvivesPooling(t *testing.T) {
	p := mustDefaults(t)
	pooled := applyFile(t, p, "testdata/regional-pooling.json")
	var oneOff, yearly Cents
	for _, f := range p.LocalFloor {
		oneOff += toCents(f.OneOff.Value)
		yearly += toCents(f.Yearly.Value)
	}
	if oneOff == 0 || yearly == 0 {
		t.Fatal("the defaults have no local floor")
	}
	for _, q := range []*Parameters{p, pooled} {
		for _, carrying := range []Carrying{Shared, Alone} {
			opts := q.DefaultOptions()
			opts.Carrying = carrying
			c, err := q.ForMunicipality("Schiermonnikoog")
			if err != nil {
				t.Fatal(err)
			}
			r, err := Compute(c, opts)
			if err != nil {
				t.Fatal(err)
			}
			var local, floorOneOff, floorYearly Cents
			for _, it := range r.Items {
				local += it.OneOff.Local
				if it.Kind == KindFloor {
					floorOneOff += it.OneOff.Local
					floorYearly += it.Yearly.Local
					if it.OneOff.Total != it.OneOff.Local || it.Yearly.Total != it.Yearly.Local {
						t.Errorf("floor item %s is shared: %+v", it.ID, it)
					}
				}
			}
			if floorOneOff != oneOff || floorYearly != yearly || local < oneOff {
				t.Errorf("%s: floor %v/%v, local one-off %v; want the floor's %v/%v", carrying, floorOneOff, floorYearly, local, oneOff, yearly)
			}
		}
	}
	// With the floor, pooling no longer lets every municipality break even.
	s, err := ScaleCheck(pooled, pooled.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if s.Total.Shared.Count == s.Total.Municipalities {
		t.Errorf("all %d municipalities break even pooled despite the floor", s.Total.Municipalities)
	}
}

// The national facility factor multiplies only the national share.
func TestNationalFacilityFactor(t *testing.T) {
	p := mustDefaults(t)
	c, err := p.ForMunicipality("Amersfoort")
	if err != nil {
		t.Fatal(err)
	}
	base, err := Compute(c, p.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	q, err := p.Apply([]byte(`{"nationalFacilityFactor": {"value": 20, "source": "test"}}`))
	if err != nil {
		t.Fatal(err)
	}
	cq, _ := q.ForMunicipality("Amersfoort")
	double, err := Compute(cq, q.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range base.Items {
		d := double.Items[i]
		if d.OneOff.Local != it.OneOff.Local || d.OneOff.Regional != it.OneOff.Regional {
			t.Errorf("%s: the factor changed the local or regional share", it.ID)
		}
		want := it.OneOff.National
		if it.Kind == KindCoupling {
			want = 2 * it.OneOff.National
		}
		if diff := d.OneOff.National - want; diff < -1 || diff > 1 {
			t.Errorf("%s: national %v, want %v", it.ID, d.OneOff.National, want)
		}
	}
}

// A service norm changes volumes only while compliance is below its
// target, and a callback norm only counts contacts not resolved at once.
func TestServiceNormsChangeVolumes(t *testing.T) {
	p := mustDefaults(t)
	norms := p.Norms(Travel)
	if !slices.ContainsFunc(norms, func(n Norm) bool { return n.Key == "phone-pick-up" }) ||
		!slices.ContainsFunc(norms, func(n Norm) bool { return n.Key == "phone-callback" && n.Callback }) {
		t.Fatalf("travel norms %+v lack the phone norms of the catalogue", norms)
	}
	c, err := p.ForMunicipality("Leiden")
	if err != nil {
		t.Fatal(err)
	}
	opts := p.DefaultOptions()
	opts.LifeEvents = []string{Travel}
	base, err := Compute(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	e := base.LifeEvents[0]
	if e.NormContactsToday <= e.NormContactsTarget {
		t.Fatalf("follow-ups %v today, %v at target; want fewer at target", e.NormContactsToday, e.NormContactsTarget)
	}
	// Compliance at 100 % today: nothing to gain, no follow-ups at all.
	met := `{"serviceNorms": {"phone-pick-up": {"complianceToday": 1}, "phone-callback": {"complianceToday": 1},
		"email-answer": {"complianceToday": 1}, "chat-answer": {"complianceToday": 1}, "desk-wait": {"complianceToday": 1}}}`
	q, err := p.Apply([]byte(met))
	if err != nil {
		t.Fatal(err)
	}
	cq, _ := q.ForMunicipality("Leiden")
	r, err := Compute(cq, opts)
	if err != nil {
		t.Fatal(err)
	}
	if m := r.LifeEvents[0]; m.NormContactsToday != 0 || m.NormContactsTarget != 0 || m.SavingsAtTarget >= e.SavingsAtTarget {
		t.Errorf("all norms met today: follow-ups %v → %v, savings %v (with misses %v)", m.NormContactsToday, m.NormContactsTarget, m.SavingsAtTarget, e.SavingsAtTarget)
	}
	// Only the callback norm missed: its follow-ups come from the contacts
	// not resolved at once, so resolving every contact leaves none.
	for _, tc := range []struct {
		resolution string
		none       bool
	}{{"1", true}, {"0.5", false}} {
		q, err := p.Apply([]byte(`{"serviceNorms": {"phone-pick-up": {"complianceToday": 1}, "email-answer": {"complianceToday": 1},
			"chat-answer": {"complianceToday": 1}, "desk-wait": {"complianceToday": 1}},
			"lifeEvents": {"travel": {"firstContactResolution": {"today": ` + tc.resolution + `, "target": 1}}}}`))
		if err != nil {
			t.Fatal(err)
		}
		cq, _ := q.ForMunicipality("Leiden")
		r, err := Compute(cq, opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.LifeEvents[0].NormContactsToday; (got == 0) != tc.none {
			t.Errorf("resolution %s today: %v follow-ups of missed callbacks", tc.resolution, got)
		}
	}
}

// The scale check answers all three questions, and its national totals
// follow from the parameters.
func TestScaleCheckAnswersBothQuestions(t *testing.T) {
	p := mustDefaults(t)
	s, err := ScaleCheck(p, p.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Answers) != 3 {
		t.Fatalf("%d answers, want 3", len(s.Answers))
	}
	for i, sc := range Scenarios() {
		a := s.Answers[i]
		if a.Scenario != sc || a.Municipalities != 342 || a.BreakEven != s.Total.BreakEvens(sc).Count || a.Text == "" {
			t.Errorf("answer %d: %+v", i, a)
		}
		count := 0
		for _, m := range s.Municipalities {
			if m.Outcome(sc).BreakEvenYear != 0 {
				count++
			}
		}
		if count != a.BreakEven {
			t.Errorf("%s: %d municipalities break even, the answer says %d", sc, count, a.BreakEven)
		}
	}
	// The shifted contacts a year are the national volumes times the
	// contacts per event, whatever the municipalities' sizes.
	want := 0.0
	for _, le := range p.LifeEvents {
		for _, sh := range le.ShiftedContacts {
			v := le.NationalVolume.Value
			if sh.NationalVolume != nil {
				v = sh.NationalVolume.Value
			}
			want += v * sh.Contacts.Total()
		}
	}
	if d := s.National.ShiftedContacts - want; d < -1e-6 || d > 1e-6 {
		t.Errorf("national shifted contacts %v, want %v", s.National.ShiftedContacts, want)
	}
	n := s.National
	if n.AgencySaving <= 0 || n.ExtraCost <= 0 || n.Compensation != n.AgencySaving {
		t.Errorf("national: extra cost %v, agency saving %v, compensation %v (100 %% of the saving)", n.ExtraCost, n.AgencySaving, n.Compensation)
	}
	if n.PerContactEvery == nil || *n.PerContactEvery != s.Total.PerContact.Max {
		t.Errorf("compensation for every municipality %v, want the highest need %v", n.PerContactEvery, s.Total.PerContact.Max)
	}
	var fo Cents
	for _, m := range s.Municipalities {
		fo += m.FrontOffice.Balance
	}
	if fo != n.Balance[FrontOffice] {
		t.Errorf("front-office balances add up to %v, national says %v", fo, n.Balance[FrontOffice])
	}
}
