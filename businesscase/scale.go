package businesscase

import (
	"math"
	"slices"
	"sort"
)

// ScaleResult is the business case run for every municipality: whether
// better couplings pay, carrying the fixed costs alone and shared, and
// whether being the front office for all of government pays, without and
// with compensation (shared).
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
	// National sums up the front office for all of government over all
	// municipalities.
	National National `json:"national"`
	// Answers answers the three questions, one per scenario.
	Answers []Answer `json:"answers"`
}

// National is the front office for all of government for the country: all
// municipalities together, and the agencies.
type National struct {
	Rate Rate `json:"rate"`
	// ShiftedContacts is the yearly number of shifted contacts once the
	// ramp is complete; the amounts add up the horizon.
	ShiftedContacts float64 `json:"shiftedContacts"`
	ExtraCost       Cents   `json:"extraCostCents"`
	AgencySaving    Cents   `json:"agencySavingCents"`
	Compensation    Cents   `json:"compensationCents"`
	// ExtraCostPerContact and AgencySavingPerContact are the averages per
	// shifted contact over the horizon.
	ExtraCostPerContact    Cents `json:"extraCostPerContactCents"`
	AgencySavingPerContact Cents `json:"agencySavingPerContactCents"`
	// Balance is the sum of the municipalities' balances per scenario.
	Balance map[Scenario]Cents `json:"balanceCents"`
	// PerContactEvery is the compensation per contact at which every
	// municipality breaks even, nil when for some none does;
	// PerContactTogether the one at which the municipalities' balances add
	// up to zero or more, nil when no contacts shift and they do not.
	PerContactEvery    *Cents `json:"perContactEveryCents"`
	PerContactTogether *Cents `json:"perContactTogetherCents"`
}

// Answer answers one scenario's question for all municipalities.
type Answer struct {
	Scenario       Scenario `json:"scenario"`
	Question       string   `json:"question"`
	BreakEven      int      `json:"breakEven"`
	Municipalities int      `json:"municipalities"`
	// Text answers the question in a sentence or two.
	Text string `json:"text"`
}

// MunicipalOutcome is the outcome for one municipality.
type MunicipalOutcome struct {
	Municipality Municipality `json:"municipality"`
	Class        string       `json:"class"`
	// Volumes are the yearly events per life event.
	Volumes map[string]float64 `json:"volumes"`
	// Alone and Shared answer whether better couplings pay.
	Alone  Outcome `json:"alone"`
	Shared Outcome `json:"shared"`
	// FrontOffice and Compensated answer whether being the front office
	// for all of government pays, with the fixed costs shared.
	FrontOffice Outcome `json:"frontOffice"`
	Compensated Outcome `json:"compensated"`
	// Shift is the municipality's shifted contacts and what they cost.
	Shift ShiftOutcome `json:"shift"`
}

// ShiftOutcome is a municipality's part of the front office for all of
// government: yearly figures once the ramp is complete, and the
// compensation per contact it needs to break even.
type ShiftOutcome struct {
	Contacts            float64 `json:"contacts"`
	ExtraCost           Cents   `json:"extraCostCents"`
	AgencySaving        Cents   `json:"agencySavingCents"`
	Compensation        Cents   `json:"compensationCents"`
	BreakEvenPerContact *Cents  `json:"breakEvenPerContactCents"`
}

// Outcome returns the municipality's outcome in a scenario, with the fixed
// costs shared.
func (m MunicipalOutcome) Outcome(s Scenario) Outcome {
	switch s {
	case FrontOffice:
		return m.FrontOffice
	case Compensated:
		return m.Compensated
	}
	return m.Shared
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
	FrontOffice    BreakEvens         `json:"frontOffice"`
	Compensated    BreakEvens         `json:"compensated"`
	// PerContact is the compensation per contact the class's
	// municipalities need to break even as front office.
	PerContact PerContactNeed `json:"perContact"`
}

// BreakEvens returns the class's break-evens in a scenario, with the fixed
// costs shared.
func (c ClassOutcome) BreakEvens(s Scenario) BreakEvens {
	switch s {
	case FrontOffice:
		return c.FrontOffice
	case Compensated:
		return c.Compensated
	}
	return c.Shared
}

// PerContactNeed summarises the compensation per contact a group of
// municipalities needs to break even as front office: the median and the
// highest over those for which one exists, and how many have none.
type PerContactNeed struct {
	Median Cents `json:"medianCents"`
	Max    Cents `json:"maxCents"`
	// Impossible counts the municipalities that do not break even at any
	// compensation per contact, because no contacts shift to them.
	Impossible int `json:"impossible"`

	need []Cents
}

func (n *PerContactNeed) add(c *Cents) {
	if c == nil {
		n.Impossible++
		return
	}
	n.need = append(n.need, *c)
}

func (n *PerContactNeed) summarise() {
	slices.Sort(n.need)
	if k := len(n.need); k > 0 {
		n.Median, n.Max = n.need[(k-1)/2], n.need[k-1]
	}
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
	s.National = National{Rate: p.rate(opts), Balance: map[Scenario]Cents{}}
	var contactsOverHorizon float64

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
			FrontOffice:  outcome(shared.FrontOffice),
			Compensated:  outcome(shared.Compensated),
			Shift: ShiftOutcome{
				Contacts: shared.Shift.Contacts, ExtraCost: shared.Shift.ExtraCost, AgencySaving: shared.Shift.AgencySaving,
				Compensation: shared.Shift.Compensation, BreakEvenPerContact: shared.Shift.BreakEvenPerContact,
			},
		}
		n := &s.National
		n.ShiftedContacts += shared.Shift.Contacts
		n.ExtraCost += shared.FrontOffice.ExtraCost
		n.Compensation += shared.Compensated.Compensation
		n.AgencySaving += shared.Shift.AgencySavingOverHorizon
		for _, sc := range Scenarios() {
			n.Balance[sc] += shared.Flow(sc).Balance
		}
		contactsOverHorizon += shared.Shift.ContactsOverHorizon
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
			co.FrontOffice.add(mo.FrontOffice)
			co.Compensated.add(mo.Compensated)
			co.PerContact.add(mo.Shift.BreakEvenPerContact)
		}
	}
	for _, co := range append(pointers(s.Classes), &s.Total) {
		co.Alone.summarise()
		co.Shared.summarise()
		co.FrontOffice.summarise()
		co.Compensated.summarise()
		co.PerContact.summarise()
	}
	s.SmallestAlone = smallest(s.Municipalities, func(m MunicipalOutcome) int { return m.Alone.BreakEvenYear })
	s.SmallestShared = smallest(s.Municipalities, func(m MunicipalOutcome) int { return m.Shared.BreakEvenYear })
	s.NationalOneOffCost = p.nationalOneOff(opts.events())
	s.National.finish(contactsOverHorizon, s.Total.PerContact)
	s.Answers = answers(s)
	return s, nil
}

// finish works out the averages per contact and the compensations per
// contact that make every municipality, and all together, break even.
func (n *National) finish(contacts float64, need PerContactNeed) {
	if contacts > 0 {
		n.ExtraCostPerContact = toCents(n.ExtraCost.Euros() / contacts)
		n.AgencySavingPerContact = toCents(n.AgencySaving.Euros() / contacts)
	}
	if need.Impossible == 0 {
		every := need.Max
		n.PerContactEvery = &every
	}
	switch deficit := -n.Balance[FrontOffice]; {
	case deficit <= 0:
		var zero Cents
		n.PerContactTogether = &zero
	case contacts > 0:
		// Rounded up to the cent; the municipalities' compensations are
		// rounded per line, which at this scale is far below a cent per
		// contact.
		c := Cents(math.Ceil(float64(deficit) / contacts))
		n.PerContactTogether = &c
	}
}

func pointers[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
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
			total += toCents(c.Shares.National * p.NationalFacilityFactor.Value * c.OneOff.Value)
		}
	}
	for _, inv := range p.Investments {
		if inv.LifeEvent == "" || slices.Contains(events, inv.LifeEvent) {
			total += toCents(inv.Shares.National * (inv.OneOff.Value + value(inv.OneOffPerInhabitant)*npop))
		}
	}
	return total
}
