package businesscase

import (
	"slices"
	"sort"
)

// ScaleResult is the business case run for every municipality, carrying
// the fixed costs alone and shared.
type ScaleResult struct {
	Options Options `json:"options"`
	// Municipalities are in the order of the embedded list.
	Municipalities []MunicipalOutcome `json:"municipalities"`
	// Classes are the five size classes, smallest first.
	Classes []ClassOutcome `json:"classes"`
	// Total covers all municipalities; its counts and volumes are the sums
	// of the classes'.
	Total ClassOutcome `json:"total"`
	// SmallestAlone and SmallestShared are the least populous
	// municipalities that break even within the horizon, carrying the
	// costs alone and shared; nil when none does.
	SmallestAlone  *MunicipalOutcome `json:"smallestAlone"`
	SmallestShared *MunicipalOutcome `json:"smallestShared"`
	// NationalOneOffCarried is the sum over all municipalities of their
	// part of the national shares of one-off costs; NationalOneOffCost is
	// the national share of those costs itself. They differ only by the
	// rounding of each municipality's part to cents, unless overrides give
	// municipalities other populations.
	NationalOneOffCarried Cents `json:"nationalOneOffCarriedCents"`
	NationalOneOffCost    Cents `json:"nationalOneOffCostCents"`
}

// MunicipalOutcome is the outcome for one municipality.
type MunicipalOutcome struct {
	Municipality Municipality `json:"municipality"`
	Class        string       `json:"class"`
	// Volumes are the yearly events per life event.
	Volumes map[string]float64 `json:"volumes"`
	Alone   Outcome            `json:"alone"`
	Shared  Outcome            `json:"shared"`
}

// Outcome summarises one municipality's total flow.
type Outcome struct {
	BreakEvenYear int   `json:"breakEvenYear,omitempty"`
	NPV           Cents `json:"npvCents"`
	Balance       Cents `json:"balanceCents"`
	OneOff        Cents `json:"oneOffCents"`
	Running       Cents `json:"runningCents"`
	Savings       Cents `json:"savingsCents"`
}

func outcome(f Flow) Outcome {
	return Outcome{BreakEvenYear: f.BreakEvenYear, NPV: f.NPV, Balance: f.Balance, OneOff: f.OneOff, Running: f.Running, Savings: f.Savings}
}

// ClassOutcome aggregates the municipalities of one size class.
type ClassOutcome struct {
	Class          SizeClass          `json:"class"`
	Municipalities int                `json:"municipalities"`
	Population     int                `json:"population"`
	Volumes        map[string]float64 `json:"volumes"`
	Alone          BreakEvens         `json:"alone"`
	Shared         BreakEvens         `json:"shared"`
}

// BreakEvens counts how many municipalities break even and when.
type BreakEvens struct {
	// Count is the number that break even within the horizon.
	Count int `json:"count"`
	// ByYear counts them per break-even year, in year order.
	ByYear []YearCount `json:"byYear"`
	// Earliest, Median and Latest are break-even years of those that break
	// even; the median of an even count is the lower middle year. Zero when
	// none breaks even.
	Earliest int `json:"earliest,omitempty"`
	Median   int `json:"median,omitempty"`
	Latest   int `json:"latest,omitempty"`
	// NPV is the sum of the net present values of all municipalities in the
	// group, including those that do not break even.
	NPV Cents `json:"npvCents"`

	years []int
}

// YearCount is a number of municipalities that break even in a year.
type YearCount struct {
	Year  int `json:"year"`
	Count int `json:"count"`
}

func (b *BreakEvens) add(o Outcome) {
	b.NPV += o.NPV
	if o.BreakEvenYear != 0 {
		b.years = append(b.years, o.BreakEvenYear)
	}
}

func (b *BreakEvens) summarise() {
	sort.Ints(b.years)
	b.Count = len(b.years)
	b.ByYear = []YearCount{}
	for _, y := range b.years {
		if n := len(b.ByYear); n > 0 && b.ByYear[n-1].Year == y {
			b.ByYear[n-1].Count++
		} else {
			b.ByYear = append(b.ByYear, YearCount{Year: y, Count: 1})
		}
	}
	if b.Count > 0 {
		b.Earliest, b.Latest = b.years[0], b.years[b.Count-1]
		b.Median = b.years[(b.Count-1)/2]
	}
}

// ScaleCheck runs the business case for every municipality, once carrying
// the fixed costs alone and once shared, and aggregates by size class.
// opts.Carrying is ignored. Each municipality's section of the overrides is
// applied.
func ScaleCheck(p *Parameters, opts Options) (*ScaleResult, error) {
	opts.Carrying = Shared
	if err := opts.validate(); err != nil {
		return nil, err
	}
	s := &ScaleResult{Options: opts}
	classes := SizeClasses()
	s.Classes = make([]ClassOutcome, len(classes))
	for i, c := range classes {
		s.Classes[i] = ClassOutcome{Class: c, Volumes: map[string]float64{}}
	}
	s.Total = ClassOutcome{Class: SizeClass{ID: "all", Label: "all"}, Volumes: map[string]float64{}}

	sections := p.sectionKeys()
	for _, m := range p.municipalities {
		c, err := p.caseOf(m, sections)
		if err != nil {
			return nil, err
		}
		shared, err := Compute(c, opts)
		if err != nil {
			return nil, err
		}
		aloneOpts := opts
		aloneOpts.Carrying = Alone
		alone, err := Compute(c, aloneOpts)
		if err != nil {
			return nil, err
		}
		mo := MunicipalOutcome{
			Municipality: c.Municipality,
			Class:        ClassOf(c.Municipality.Population).ID,
			Volumes:      map[string]float64{},
			Alone:        outcome(alone.Total),
			Shared:       outcome(shared.Total),
		}
		for _, e := range shared.LifeEvents {
			mo.Volumes[e.ID] = e.Volume
		}
		for _, it := range shared.Items {
			s.NationalOneOffCarried += it.OneOff.National
		}
		s.Municipalities = append(s.Municipalities, mo)

		i := slices.IndexFunc(s.Classes, func(co ClassOutcome) bool { return co.Class.ID == mo.Class })
		for _, co := range []*ClassOutcome{&s.Classes[i], &s.Total} {
			co.Municipalities++
			co.Population += mo.Municipality.Population
			for id, v := range mo.Volumes {
				co.Volumes[id] += v
			}
			co.Alone.add(mo.Alone)
			co.Shared.add(mo.Shared)
		}
	}
	for i := range s.Classes {
		s.Classes[i].Alone.summarise()
		s.Classes[i].Shared.summarise()
	}
	s.Total.Alone.summarise()
	s.Total.Shared.summarise()
	s.SmallestAlone = smallest(s.Municipalities, func(m MunicipalOutcome) int { return m.Alone.BreakEvenYear })
	s.SmallestShared = smallest(s.Municipalities, func(m MunicipalOutcome) int { return m.Shared.BreakEvenYear })
	s.NationalOneOffCost = p.nationalOneOff(opts.events())
	return s, nil
}

func smallest(ms []MunicipalOutcome, breakEven func(MunicipalOutcome) int) *MunicipalOutcome {
	var best *MunicipalOutcome
	for i := range ms {
		m := &ms[i]
		if breakEven(*m) == 0 {
			continue
		}
		if best == nil || m.Municipality.Population < best.Municipality.Population {
			best = m
		}
	}
	if best == nil {
		return nil
	}
	c := *best
	return &c
}

// nationalOneOff is the national share of the one-off costs of the items
// counted for these life events, for the whole country.
func (p *Parameters) nationalOneOff(events []string) Cents {
	npop := p.NationalPopulation.Value
	var total Cents
	for _, c := range p.Couplings {
		if slices.Contains(events, c.LifeEvent) {
			total += toCents(c.Shares.National * c.OneOff.Value)
		}
	}
	for _, inv := range p.Investments {
		if inv.LifeEvent == "" || slices.Contains(events, inv.LifeEvent) {
			total += toCents(inv.Shares.National * (inv.OneOff.Value + value(inv.OneOffPerInhabitant)*npop))
		}
	}
	return total
}
