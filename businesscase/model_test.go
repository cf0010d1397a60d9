package businesscase

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// workedExample sets up a case small enough to compute by hand:
//
//   - a country of 1,000,000 inhabitants and regions of 400,000; the
//     municipality has 100,000 inhabitants, so it pays 1/10 of a national
//     share and 1/4 of a regional share;
//   - births: 10,000 a year nationally, so 1,000 in the municipality;
//   - contacts per birth: today 1 at the desk; target 0.5 at the desk and
//     0.5 on the web;
//   - desk €20 front office + €10 back office; web €1 + €10;
//   - first-contact resolution 50 % today, 75 % target;
//   - ramp: one year of delay, then two years to target;
//   - one coupling: €20,000 one-off and €1,000 a year, shares national 25 %,
//     regional 25 %, local 50 %;
//   - training: €0.02 per inhabitant one-off, carried locally;
//   - no service norms, no local floor, a national share at its own cost
//     (factor 1) and no contacts shifted from national agencies;
//   - horizon 4 years from 2026, discount rate 25 %.
func workedExample(t *testing.T) (*Case, Options) {
	t.Helper()
	p := clone(t, mustDefaults(t))
	src := func(v float64) Figure { return Figure{Value: v, Source: "worked example"} }
	p.reference = &reference{municipalities: p.municipalities}
	p.LocalFloor = nil
	p.NationalFacilityFactor = src(1)
	p.NationalPopulation = src(1_000_000)
	p.RegionPopulation = src(400_000)
	p.ChannelCostIndex = src(1)
	p.Ramp = Ramp{DelayYears: src(1), Years: src(2)}
	p.Channels["desk"] = Channel{Name: "Desk", FrontOffice: src(20), BackOffice: src(10)}
	p.Channels["web"] = Channel{Name: "Web", FrontOffice: src(1), BackOffice: src(10)}
	p.LifeEvents[Birth] = LifeEvent{
		Name:                   "Birth",
		NationalVolume:         src(10_000),
		Contacts:               Mix{PerChannel: map[string]float64{"desk": 1}, Source: "worked example"},
		TargetContacts:         Mix{PerChannel: map[string]float64{"desk": 0.5, "web": 0.5}, Source: "worked example"},
		FirstContactResolution: &Resolution{Today: src(0.5), Target: src(0.75)},
	}
	p.Couplings = []Coupling{{
		ID: "example-coupling", LifeEvent: Birth, Description: "example",
		OneOff: src(20_000), Yearly: src(1_000),
		Shares: Shares{National: 0.25, Regional: 0.25, Local: 0.5, Source: "worked example"},
	}}
	perInhabitant := src(0.02)
	p.Investments = []Investment{{
		ID: "example-training", Kind: KindTraining, Description: "example",
		OneOff: src(0), Yearly: src(0), OneOffPerInhabitant: &perInhabitant,
		Shares: Shares{Local: 1, Source: "worked example"},
	}}
	return workedCase(t, p)
}

// workedCase validates a worked example's parameters and gives its
// municipality of 100,000 with the options the hand computations use:
// four years from 2026 at 25 %, costs shared, births only.
func workedCase(t *testing.T, p *Parameters) (*Case, Options) {
	t.Helper()
	if err := p.Validate(); err != nil {
		t.Fatalf("worked example parameters: %v", err)
	}
	c, err := p.ForPopulation("Voorbeeld", 100_000)
	if err != nil {
		t.Fatal(err)
	}
	return c, Options{HorizonYears: 4, DiscountRate: 0.25, StartYear: 2026, Carrying: Shared, LifeEvents: []string{Birth}}
}

// TestWorkedExample reproduces a computation done by hand, to the cent.
//
// Cost per birth with a share x of the way from today to target:
//
//	today  (x=0):   resolution 0.5;   desk 1    × (20 + 0.5×10)           = 25.00
//	year 2 (x=0.5): resolution 0.625; desk 0.75 × (20 + 0.375×10) = 17.8125
//	                                  web  0.25 × ( 1 + 0.375×10) =  1.1875 → 19.00
//	target (x=1):   resolution 0.75;  desk 0.5  × (20 + 0.25×10)  = 11.25
//	                                  web  0.5  × ( 1 + 0.25×10)  =  1.75   → 13.00
//
// Savings for 1,000 births: year 1 none (delay), year 2 6,000.00, years 3
// and 4 12,000.00.
//
// Coupling, shared: one-off 0.5×20,000 + 0.25×20,000×¼ + 0.25×20,000×⅒
// = 10,000 + 1,250 + 500 = 11,750.00; yearly 500 + 62.50 + 25 = 587.50.
// Training: 0.02 × 100,000 = 2,000.00 in year 1 (general).
//
// Birth net: −12,337.50, 5,412.50, 11,412.50, 11,412.50
// cumulative: −12,337.50, −6,925.00, 4,487.50, 15,900.00 → break-even 2028.
// Total net: −14,337.50, 5,412.50, 11,412.50, 11,412.50
// cumulative: −14,337.50, −8,925.00, 2,487.50, 13,900.00 → break-even 2028.
// NPV at 25 %: −14,337.50/1.25 + 5,412.50/1.5625 + 11,412.50/1.953125 +
// 11,412.50/2.44140625 = −11,470.00 + 3,464.00 + 5,843.20 + 4,674.56
// = 2,511.76; for birth alone −9,870.00 + … = 4,111.76; general −1,600.00.
//
// Carried alone: one-off 20,000 + 2,000, yearly 1,000; birth net −21,000,
// 5,000, 11,000, 11,000, cumulative −21,000, −16,000, −5,000, 6,000 →
// break-even 2029; NPV −16,800.00 + 3,200.00 + 5,632.00 + 4,505.60 = −3,462.40.
func TestWorkedExample(t *testing.T) {
	c, opts := workedExample(t)
	r, err := Compute(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.LifeEvents) != 1 {
		t.Fatalf("%d life events, want 1", len(r.LifeEvents))
	}
	e := r.LifeEvents[0]
	if e.Volume != 1000 || e.ContactsToday != 1000 || e.ContactsTarget != 1000 {
		t.Errorf("volume %v, contacts %v → %v; want 1000, 1000 → 1000", e.Volume, e.ContactsToday, e.ContactsTarget)
	}
	if e.CostPerEventToday != 2500 || e.CostPerEventTarget != 1300 || e.SavingsAtTarget != 1_200_000 {
		t.Errorf("cost per event %v → %v, savings at target %v; want €25.00 → €13.00, €12,000.00",
			e.CostPerEventToday, e.CostPerEventTarget, e.SavingsAtTarget)
	}
	checkFlow(t, "birth", e.Flow, []YearFlow{
		fy(2026, 1_175_000, 58_750, 0, -1_233_750, -1_233_750),
		fy(2027, 0, 58_750, 600_000, 541_250, -692_500),
		fy(2028, 0, 58_750, 1_200_000, 1_141_250, 448_750),
		fy(2029, 0, 58_750, 1_200_000, 1_141_250, 1_590_000),
	}, 411_176, 2028)
	checkFlow(t, "general", r.General, []YearFlow{
		fy(2026, 200_000, 0, 0, -200_000, -200_000),
		fy(2027, 0, 0, 0, 0, -200_000),
		fy(2028, 0, 0, 0, 0, -200_000),
		fy(2029, 0, 0, 0, 0, -200_000),
	}, -160_000, 0)
	checkFlow(t, "total", r.Total, []YearFlow{
		fy(2026, 1_375_000, 58_750, 0, -1_433_750, -1_433_750),
		fy(2027, 0, 58_750, 600_000, 541_250, -892_500),
		fy(2028, 0, 58_750, 1_200_000, 1_141_250, 248_750),
		fy(2029, 0, 58_750, 1_200_000, 1_141_250, 1_390_000),
	}, 251_176, 2028)
	if r.Total.YearsToBreakEven != 3 {
		t.Errorf("years to break-even %d, want 3", r.Total.YearsToBreakEven)
	}
	want := Split{Local: 1_000_000, Regional: 125_000, National: 50_000, Total: 1_175_000}
	if got := r.Items[0].OneOff; got != want {
		t.Errorf("coupling one-off split %+v, want %+v", got, want)
	}

	opts.Carrying = Alone
	r, err = Compute(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	checkFlow(t, "birth alone", r.LifeEvents[0].Flow, []YearFlow{
		fy(2026, 2_000_000, 100_000, 0, -2_100_000, -2_100_000),
		fy(2027, 0, 100_000, 600_000, 500_000, -1_600_000),
		fy(2028, 0, 100_000, 1_200_000, 1_100_000, -500_000),
		fy(2029, 0, 100_000, 1_200_000, 1_100_000, 600_000),
	}, -1_680_000+320_000+563_200+450_560, 2029) // −21,000/1.25 + 5,000/1.5625 + 11,000/1.953125 + 11,000/2.44140625
}

// fy is one year of a flow without extra cost or compensation.
func fy(year int, investment, running, savings, net, cumulative Cents) YearFlow {
	return YearFlow{Year: year, Investment: investment, Running: running, Savings: savings, Net: net, Cumulative: cumulative}
}

func checkFlow(t *testing.T, name string, f Flow, want []YearFlow, npv Cents, breakEven int) {
	t.Helper()
	if len(f.Years) != len(want) {
		t.Fatalf("%s: %d years, want %d", name, len(f.Years), len(want))
	}
	for i, w := range want {
		if f.Years[i] != w {
			t.Errorf("%s year %d = %+v, want %+v", name, w.Year, f.Years[i], w)
		}
	}
	if f.NPV != npv {
		t.Errorf("%s NPV = %v, want %v", name, f.NPV, npv)
	}
	if f.BreakEvenYear != breakEven {
		t.Errorf("%s break-even = %d, want %d", name, f.BreakEvenYear, breakEven)
	}
	if f.Balance != want[len(want)-1].Cumulative {
		t.Errorf("%s balance = %v, want the last cumulative %v", name, f.Balance, want[len(want)-1].Cumulative)
	}
}

func computeAll(t *testing.T, p *Parameters, opts Options) []*Result {
	t.Helper()
	var out []*Result
	for _, m := range p.Municipalities() {
		c, err := p.ForMunicipality(m.Code)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Compute(c, opts)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestVolumesScaleWithPopulation(t *testing.T) {
	p := mustDefaults(t)
	opts := p.DefaultOptions()
	for _, r := range computeAll(t, p, opts) {
		for _, e := range r.LifeEvents {
			want := p.LifeEvents[e.ID].NationalVolume.Value * float64(r.Municipality.Population) / p.NationalPopulation.Value
			if e.Volume != want || e.LocalVolume {
				t.Fatalf("%s %s volume %v, want %v", r.Municipality.Name, e.ID, e.Volume, want)
			}
		}
	}
	// Doubling the population doubles every volume and every contact count.
	small, _ := p.ForPopulation("small", 12_345)
	large, _ := p.ForPopulation("large", 24_690)
	rs, _ := Compute(small, opts)
	rl, _ := Compute(large, opts)
	for i := range rs.LifeEvents {
		s, l := rs.LifeEvents[i], rl.LifeEvents[i]
		if math.Abs(l.Volume-2*s.Volume) > 1e-9*l.Volume || math.Abs(l.ContactsToday-2*s.ContactsToday) > 1e-9*l.ContactsToday {
			t.Errorf("%s: volume %v and %v, contacts %v and %v; want double", s.ID, s.Volume, l.Volume, s.ContactsToday, l.ContactsToday)
		}
		// Savings are rounded per year, so doubling may differ by a cent.
		if d := l.SavingsAtTarget - 2*s.SavingsAtTarget; d < -1 || d > 1 {
			t.Errorf("%s: savings %v and %v, want double", s.ID, s.SavingsAtTarget, l.SavingsAtTarget)
		}
	}
}

func TestZeroInvestmentBreaksEvenInYearOne(t *testing.T) {
	base := clone(t, mustDefaults(t))
	base.Couplings, base.Investments, base.LocalFloor = nil, nil, nil
	for _, delay := range []float64{0, 1, 3} {
		p := clone(t, base)
		p.Ramp.DelayYears.Value = delay
		opts := p.DefaultOptions()
		for _, r := range computeAll(t, p, opts) {
			if r.Total.Savings <= 0 {
				t.Fatalf("%s: savings %v, want positive", r.Municipality.Name, r.Total.Savings)
			}
			if r.Total.BreakEvenYear != opts.StartYear || r.Total.YearsToBreakEven != 1 {
				t.Fatalf("delay %v, %s: break-even %d (year %d), want %d (year 1)",
					delay, r.Municipality.Name, r.Total.BreakEvenYear, r.Total.YearsToBreakEven, opts.StartYear)
			}
			for _, y := range r.Total.Years {
				if y.Cumulative < 0 {
					t.Fatalf("%s: negative balance %v in %d without investment", r.Municipality.Name, y.Cumulative, y.Year)
				}
			}
		}
	}
}

// TestCostsPrecedeBenefits checks, for every municipality and life event,
// that money is spent before any is saved, and that the cumulative balance
// only falls before the first saving.
func TestCostsPrecedeBenefits(t *testing.T) {
	p := mustDefaults(t)
	for _, carrying := range []Carrying{Shared, Alone} {
		opts := p.DefaultOptions()
		opts.Carrying = carrying
		for _, r := range computeAll(t, p, opts) {
			for _, e := range append(r.LifeEvents, EventResult{ID: "total", Flow: r.Total}) {
				firstCost, firstSaving := -1, -1
				for i, y := range e.Flow.Years {
					if firstCost < 0 && y.Investment+y.Running > 0 {
						firstCost = i
					}
					if firstSaving < 0 && y.Savings > 0 {
						firstSaving = i
					}
				}
				if firstCost < 0 || firstSaving < 0 || firstCost >= firstSaving {
					t.Fatalf("%s %s: first cost in year %d, first saving in year %d", r.Municipality.Name, e.ID, firstCost+1, firstSaving+1)
				}
				if y := e.Flow.Years[0]; y.Net >= 0 {
					t.Fatalf("%s %s: first year net %v, want a cost", r.Municipality.Name, e.ID, y.Net)
				}
			}
		}
	}
}

func TestTotalsAddUp(t *testing.T) {
	p := mustDefaults(t)
	for _, carrying := range []Carrying{Shared, Alone} {
		opts := p.DefaultOptions()
		opts.Carrying = carrying
		for _, r := range computeAll(t, p, opts) {
			var itemOneOff, itemYearly Cents
			for _, it := range r.Items {
				itemOneOff += it.OneOff.Total
				itemYearly += it.Yearly.Total
				if it.OneOff.Local+it.OneOff.Regional+it.OneOff.National != it.OneOff.Total {
					t.Fatalf("%s: split of %s does not add up", r.Municipality.Name, it.ID)
				}
				if carrying == Alone && (it.OneOff.National != 0 || it.OneOff.Regional != 0) {
					t.Fatalf("%s: alone but %s is shared", r.Municipality.Name, it.ID)
				}
			}
			if itemOneOff != r.Total.OneOff || itemYearly != r.Total.Years[0].Running {
				t.Fatalf("%s: items %v/%v, total flow %v/%v", r.Municipality.Name, itemOneOff, itemYearly, r.Total.OneOff, r.Total.Years[0].Running)
			}
			for i, y := range r.Total.Years {
				sum := r.General.Years[i]
				for _, e := range r.LifeEvents {
					sum.Investment += e.Flow.Years[i].Investment
					sum.Running += e.Flow.Years[i].Running
					sum.Savings += e.Flow.Years[i].Savings
					sum.Net += e.Flow.Years[i].Net
				}
				if sum.Investment != y.Investment || sum.Running != y.Running || sum.Savings != y.Savings || sum.Net != y.Net {
					t.Fatalf("%s %d: parts %+v, total %+v", r.Municipality.Name, y.Year, sum, y)
				}
			}
		}
	}
}

func TestSharingNeverCostsMore(t *testing.T) {
	p := mustDefaults(t)
	shared := p.DefaultOptions()
	alone := shared
	alone.Carrying = Alone
	rs, ra := computeAll(t, p, shared), computeAll(t, p, alone)
	for i := range rs {
		if rs[i].Total.OneOff > ra[i].Total.OneOff || rs[i].Total.Running > ra[i].Total.Running {
			t.Errorf("%s: shared %v/%v, alone %v/%v", rs[i].Municipality.Name, rs[i].Total.OneOff, rs[i].Total.Running, ra[i].Total.OneOff, ra[i].Total.Running)
		}
		if rs[i].Total.Savings != ra[i].Total.Savings {
			t.Errorf("%s: savings depend on who carries the costs", rs[i].Municipality.Name)
		}
	}
}

func TestNPVAtZeroRateIsTheBalance(t *testing.T) {
	p := mustDefaults(t)
	c, err := p.ForMunicipality("Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	opts := p.DefaultOptions()
	opts.DiscountRate = 0
	r, err := Compute(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total.NPV != r.Total.Balance {
		t.Errorf("NPV %v, balance %v", r.Total.NPV, r.Total.Balance)
	}
	opts.DiscountRate = 0.1
	r2, _ := Compute(c, opts)
	if r2.Total.NPV >= r.Total.NPV {
		t.Errorf("NPV at 10 %% (%v) not below NPV at 0 %% (%v) for a case with positive later flows", r2.Total.NPV, r.Total.NPV)
	}
}

func TestNoBreakEvenWithinHorizon(t *testing.T) {
	p := mustDefaults(t)
	c, err := p.ForMunicipality("Schiermonnikoog")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Compute(c, p.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if r.Total.BreakEvenYear != 0 || r.Total.YearsToBreakEven != 0 || r.Total.Balance >= 0 {
		t.Errorf("Schiermonnikoog: break-even %d, balance %v; want none and negative", r.Total.BreakEvenYear, r.Total.Balance)
	}
}

func TestOptionErrors(t *testing.T) {
	p := mustDefaults(t)
	c, err := p.ForMunicipality("Utrecht")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*Options)
		want   string
	}{
		{"horizon zero", func(o *Options) { o.HorizonYears = 0 }, "options.horizonYears: must be between 1 and 50 years"},
		{"horizon too long", func(o *Options) { o.HorizonYears = 51 }, "options.horizonYears: must be between 1 and 50 years"},
		{"discount rate -100 %", func(o *Options) { o.DiscountRate = -1 }, "options.discountRate: must be greater than -1 (-100 %)"},
		{"discount rate NaN", func(o *Options) { o.DiscountRate = math.NaN() }, "options.discountRate: must be a finite number"},
		{"start year", func(o *Options) { o.StartYear = 26 }, "options.startYear: must be between 2000 and 2100"},
		{"carrying", func(o *Options) { o.Carrying = "halves" }, `options.carrying: unknown carrying "halves"`},
		{"unknown life event", func(o *Options) { o.LifeEvents = []string{Birth, "wedding"} }, `options.lifeEvents[1]: unknown life event "wedding"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := p.DefaultOptions()
			tt.change(&opts)
			_, err := Compute(c, opts)
			var pe *ParamError
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.As(err, &pe) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := Compute(nil, p.DefaultOptions()); err == nil {
		t.Error("Compute(nil) succeeded")
	}
	if _, err := p.ForPopulation("none", 0); err == nil || !strings.Contains(err.Error(), "population: must be greater than zero") {
		t.Errorf("ForPopulation(0) error = %v", err)
	}
	if _, err := p.ForMunicipality("Atlantis"); !errors.Is(err, ErrUnknownMunicipality) {
		t.Errorf("ForMunicipality(Atlantis) error = %v", err)
	}
}

func TestLifeEventFilter(t *testing.T) {
	p := mustDefaults(t)
	c, _ := p.ForMunicipality("Utrecht")
	opts := p.DefaultOptions()
	opts.LifeEvents = []string{Death, Travel}
	r, err := Compute(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.LifeEvents) != 2 || r.LifeEvents[0].ID != Travel || r.LifeEvents[1].ID != Death {
		t.Fatalf("life events %v, want travel and death in catalogue order", r.LifeEvents)
	}
	for _, it := range r.Items {
		if it.LifeEvent != "" && it.LifeEvent != Travel && it.LifeEvent != Death {
			t.Errorf("item %s of %s counted", it.ID, it.LifeEvent)
		}
	}
}

func TestCentsFormatting(t *testing.T) {
	tests := []struct {
		c          Cents
		str, euros string
		compact    string
	}{
		{0, "€0.00", "0", "€0"},
		{5, "€0.05", "0", "€0"},
		{50, "€0.50", "1", "€1"},
		{-50, "-€0.50", "-1", "-€1"},
		{123_456_789, "€1,234,567.89", "1,234,568", "€1.2M"},
		{-91_718_236, "-€917,182.36", "-917,182", "-€917k"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.str {
			t.Errorf("Cents(%d).String() = %q, want %q", tt.c, got, tt.str)
		}
		if got := tt.c.WholeEuros(); got != tt.euros {
			t.Errorf("Cents(%d).WholeEuros() = %q, want %q", tt.c, got, tt.euros)
		}
		if got := compactEuros(tt.c); got != tt.compact {
			t.Errorf("compactEuros(%d) = %q, want %q", tt.c, got, tt.compact)
		}
	}
}
