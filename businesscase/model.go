package businesscase

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/poort-nl/poort/lifeevents"
)

// Cents is an amount of money in euro cents. Every amount the model returns
// is rounded to whole cents, half away from zero, at one defined place: each
// line (an item's one-off or yearly cost at one level, a life event's savings
// in one year) is rounded once, and all sums are sums of those rounded lines,
// so totals always add up exactly.
type Cents int64

// Euros returns the amount in euro.
func (c Cents) Euros() float64 { return float64(c) / 100 }

// String formats the amount as "€1,234.56" or "-€1,234.56".
func (c Cents) String() string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s€%s.%02d", sign, groupThousands(int64(c)/100), int64(c)%100)
}

// toCents rounds an amount in euro to cents, half away from zero.
func toCents(euros float64) Cents { return Cents(math.Round(euros * 100)) }

// Case is the business case of one municipality: its population and the
// parameters with its own overrides applied.
type Case struct {
	Municipality Municipality
	Params       *Parameters
}

// ForMunicipality returns the case of a municipality found by name or GM
// code (see Municipality), with its section of the overrides applied. The
// error names the parameter "municipality" and wraps ErrUnknownMunicipality
// or ErrAmbiguousMunicipality.
func (p *Parameters) ForMunicipality(nameOrCode string) (*Case, error) {
	m, err := p.Municipality(nameOrCode)
	if err != nil {
		return nil, err
	}
	return p.caseOf(m, p.sectionKeys())
}

// sectionKeys maps the GM code of each municipality that has a section in
// the overrides to the section's key, the first in key order if several
// name it (Apply refuses that). Resolving a key reads every municipality's
// name, so a caller running many municipalities does it once.
func (p *Parameters) sectionKeys() map[string]string {
	keys := make(map[string]string, len(p.MunicipalOverrides))
	for _, key := range sortedKeys(p.MunicipalOverrides) {
		if m, err := p.lookup(key); err == nil {
			if _, dup := keys[m.Code]; !dup {
				keys[m.Code] = key
			}
		}
	}
	return keys
}

// caseOf returns the case of m, with its section applied when sections
// (from sectionKeys) names one.
func (p *Parameters) caseOf(m Municipality, sections map[string]string) (*Case, error) {
	key, ok := sections[m.Code]
	if !ok {
		return &Case{Municipality: m, Params: p}, nil
	}
	c, err := p.withSection(m, p.MunicipalOverrides[key])
	if err != nil {
		return nil, prefixErrors("municipalities."+key, err)
	}
	return c, nil
}

// ForPopulation returns the case of a hypothetical municipality of the
// given size, for questions like "what about a municipality of 25,000?".
func (p *Parameters) ForPopulation(name string, population int) (*Case, error) {
	if population <= 0 {
		return nil, &ParamError{Path: "population", Msg: "must be greater than zero"}
	}
	return &Case{Municipality: Municipality{Name: name, Population: population}, Params: p}, nil
}

// Carrying says who carries the fixed costs of couplings and investments.
type Carrying string

const (
	// Shared splits each fixed cost by its shares: the national share is
	// paid once and recovered per inhabitant of the country, the regional
	// share once per region and recovered per inhabitant of the region, the
	// local share by the municipality in full.
	Shared Carrying = "shared"
	// Alone makes the municipality carry every cost in full, as if it built
	// everything itself.
	Alone Carrying = "alone"
)

// Scenario names one of the three questions the business case answers.
type Scenario string

const (
	// Couplings asks whether better couplings pay: the municipality's own
	// contacts get cheaper, against the cost of the couplings.
	Couplings Scenario = "couplings"
	// FrontOffice asks whether being the front office for all of
	// government pays: Couplings plus the contacts that shift to the
	// municipality from national agencies, uncompensated.
	FrontOffice Scenario = "front-office"
	// Compensated is FrontOffice with the state's compensation for the
	// shifted contacts.
	Compensated Scenario = "compensated"
)

// Scenarios returns the three scenarios in the order they build on each
// other.
func Scenarios() []Scenario { return []Scenario{Couplings, FrontOffice, Compensated} }

// Options are the choices of one computation.
type Options struct {
	HorizonYears int      `json:"horizonYears"`
	DiscountRate float64  `json:"discountRate"`
	StartYear    int      `json:"startYear"`
	Carrying     Carrying `json:"carrying"`
	// LifeEvents limits the computation to these life events; nil means
	// all. Investments that serve all life events are always counted.
	LifeEvents []string `json:"lifeEvents,omitempty"`
	// Compensation, when set, replaces the compensation of the
	// parameters (frontOfficeForAll.compensation).
	Compensation *Rate `json:"compensation,omitempty"`
}

// Rate is the compensation the state pays for the contacts shifted to the
// municipality: euro per contact plus a share of what the agencies save.
type Rate struct {
	PerContact          float64 `json:"perContact"`
	ShareOfAgencySaving float64 `json:"shareOfAgencySaving"`
}

// DefaultOptions returns the options set in the parameters, with shared
// carrying, all life events and the parameters' compensation.
func (p *Parameters) DefaultOptions() Options {
	return Options{
		HorizonYears: int(p.HorizonYears.Value),
		DiscountRate: p.DiscountRate.Value,
		StartYear:    int(p.StartYear.Value),
		Carrying:     Shared,
	}
}

// rate returns the compensation the options ask for, or the parameters'.
func (p *Parameters) rate(o Options) Rate {
	if o.Compensation != nil {
		return *o.Compensation
	}
	return p.CompensationRate(nil, nil)
}

// CompensationRate returns the parameters' compensation with the amount
// per contact or the share of the agencies' saving replaced where given,
// as Options.Compensation takes it.
func (p *Parameters) CompensationRate(perContact, share *float64) Rate {
	c := p.FrontOfficeForAll.Compensation
	r := Rate{PerContact: c.PerContact.Value, ShareOfAgencySaving: c.ShareOfAgencySaving.Value}
	if perContact != nil {
		r.PerContact = *perContact
	}
	if share != nil {
		r.ShareOfAgencySaving = *share
	}
	return r
}

// events returns the life events the options count: LifeEvents, or all.
func (o Options) events() []string {
	if len(o.LifeEvents) == 0 {
		return LifeEventIDs()
	}
	return o.LifeEvents
}

func (o Options) validate() error {
	var c errs
	if msg := checkHorizon(float64(o.HorizonYears)); msg != "" {
		c.add("options.horizonYears", msg)
	}
	if msg := checkDiscountRate(o.DiscountRate); msg != "" {
		c.add("options.discountRate", msg)
	}
	if msg := checkStartYear(float64(o.StartYear)); msg != "" {
		c.add("options.startYear", msg)
	}
	switch o.Carrying {
	case Shared, Alone, "":
	default:
		c.add("options.carrying", fmt.Sprintf("unknown carrying %q, want shared or alone", o.Carrying))
	}
	for i, id := range o.LifeEvents {
		if !isLifeEvent(id) {
			c.addErr(fmt.Sprintf("options.lifeEvents[%d]", i), fmt.Sprintf("unknown life event %q", id), ErrUnknownLifeEvent)
		}
	}
	if r := o.Compensation; r != nil {
		for _, f := range []struct {
			path string
			v    float64
		}{{"options.compensation.perContact", r.PerContact}, {"options.compensation.shareOfAgencySaving", r.ShareOfAgencySaving}} {
			if !finite(f.v) || f.v < 0 {
				c.add(f.path, "must be a finite number, not negative")
			}
		}
	}
	return c.err()
}

// Result is the business case of one municipality over the horizon.
type Result struct {
	Municipality Municipality `json:"municipality"`
	Options      Options      `json:"options"`
	// Years are the calendar years of the horizon.
	Years      []int         `json:"years"`
	LifeEvents []EventResult `json:"lifeEvents"`
	// General is the flow of investments that serve all life events
	// (training, the front-office platform); they are not spread over the
	// life events.
	General Flow `json:"general"`
	// Total is the sum of the life events and General: whether better
	// couplings pay (the Couplings scenario).
	Total Flow `json:"total"`
	// FrontOffice is Total with the cost of the contacts shifted from
	// national agencies, uncompensated; Compensated adds the compensation.
	FrontOffice Flow `json:"frontOffice"`
	Compensated Flow `json:"compensated"`
	// Shift sums up the contacts shifted from national agencies.
	Shift Shift `json:"shift"`
	// Items lists what each coupling, investment and floor item costs this
	// municipality, by the level that carries it.
	Items []ItemCost `json:"items"`
}

// Flow returns the total flow of a scenario.
func (r *Result) Flow(s Scenario) Flow {
	switch s {
	case FrontOffice:
		return r.FrontOffice
	case Compensated:
		return r.Compensated
	}
	return r.Total
}

// EventResult is the business case of one life event.
type EventResult struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Volume is the number of events a year in the municipality.
	Volume float64 `json:"volume"`
	// LocalVolume is true when Volume is the municipality's own figure
	// rather than the national volume scaled to its population.
	LocalVolume    bool    `json:"localVolume"`
	ContactsToday  float64 `json:"contactsToday"`
	ContactsTarget float64 `json:"contactsTarget"`
	// ResolutionToday and ResolutionTarget are the first-contact-resolution
	// rates used.
	ResolutionToday  float64 `json:"resolutionToday"`
	ResolutionTarget float64 `json:"resolutionTarget"`
	// CostPerEventToday and CostPerEventTarget are the contact costs of one
	// event, rounded for display; the flows use the unrounded values.
	CostPerEventToday  Cents `json:"costPerEventTodayCents"`
	CostPerEventTarget Cents `json:"costPerEventTargetCents"`
	// SavingsAtTarget is the yearly saving once the ramp is complete.
	SavingsAtTarget Cents `json:"savingsAtTargetCents"`
	// Norms are the service norms of the event's citizen-facing steps;
	// NormContactsToday and NormContactsTarget are the yearly follow-up
	// contacts that contacts missing them cause, included in the costs.
	Norms              []Norm  `json:"norms"`
	NormContactsToday  float64 `json:"normContactsToday"`
	NormContactsTarget float64 `json:"normContactsTarget"`
	// Shift is the event's part of the contacts shifted from national
	// agencies.
	Shift EventShift `json:"shift"`
	Flow  Flow       `json:"flow"`
}

// Flow is a yearly cash flow with its summary.
type Flow struct {
	Years        []YearFlow `json:"years"`
	OneOff       Cents      `json:"oneOffCents"`
	Running      Cents      `json:"runningCents"`
	Savings      Cents      `json:"savingsCents"`
	ExtraCost    Cents      `json:"extraCostCents,omitempty"`
	Compensation Cents      `json:"compensationCents,omitempty"`
	// Balance is the cumulative balance at the end of the horizon.
	Balance Cents `json:"balanceCents"`
	// NPV is the net present value at the discount rate, each year's net
	// flow discounted by (1+rate)^t for t = 1 in the first year.
	NPV Cents `json:"npvCents"`
	// BreakEvenYear is the first calendar year from which the cumulative
	// balance stays at or above zero to the end of the horizon; 0 when the
	// balance is still negative at the end.
	BreakEvenYear int `json:"breakEvenYear,omitempty"`
	// YearsToBreakEven counts the years up to and including BreakEvenYear;
	// 0 when there is no break-even.
	YearsToBreakEven int `json:"yearsToBreakEven,omitempty"`
}

// YearFlow is one year of a cash flow. Costs are positive numbers; Net is
// Savings plus Compensation minus Investment, Running and ExtraCost. The
// flows of the Couplings scenario have no ExtraCost or Compensation.
type YearFlow struct {
	Year         int   `json:"year"`
	Investment   Cents `json:"investmentCents"`
	Running      Cents `json:"runningCents"`
	Savings      Cents `json:"savingsCents"`
	ExtraCost    Cents `json:"extraCostCents,omitempty"`
	Compensation Cents `json:"compensationCents,omitempty"`
	Net          Cents `json:"netCents"`
	Cumulative   Cents `json:"cumulativeCents"`
}

// ItemCost is what one coupling or investment costs the municipality.
type ItemCost struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	LifeEvent   string `json:"lifeEvent,omitempty"`
	Description string `json:"description"`
	Status      string `json:"status,omitempty"`
	OneOff      Split  `json:"oneOff"`
	Yearly      Split  `json:"yearly"`
}

// Split is an amount the municipality pays, by the level that carries it:
// its own local share, its part of the regional share, its part of the
// national share.
type Split struct {
	Local    Cents `json:"localCents"`
	Regional Cents `json:"regionalCents"`
	National Cents `json:"nationalCents"`
	Total    Cents `json:"totalCents"`
}

// Compute runs the model for one case. It does no I/O and does not block.
// A bad option is reported as ValidationErrors naming "options.…".
func Compute(c *Case, opts Options) (*Result, error) {
	if c == nil || c.Params == nil {
		return nil, errors.New("businesscase: compute needs a case with parameters")
	}
	if opts.Carrying == "" {
		opts.Carrying = Shared
	}
	if err := opts.validate(); err != nil {
		return nil, err
	}
	p := c.Params
	H := opts.HorizonYears
	r := &Result{Municipality: c.Municipality, Options: opts, Years: make([]int, H)}
	for t := range H {
		r.Years[t] = opts.StartYear + t
	}
	pop := float64(c.Municipality.Population)

	items := p.itemCosts(pop, opts.Carrying)
	events := opts.events()
	var shifts []shiftLines
	for _, id := range LifeEventIDs() {
		if !slices.Contains(events, id) {
			continue
		}
		e, sl := p.eventResult(id, pop, r.Years, items, opts)
		r.LifeEvents = append(r.LifeEvents, e)
		shifts = append(shifts, sl)
	}
	r.General = costFlow(r.Years, items, "")
	finish(&r.General, opts)
	r.Items = []ItemCost{}
	for _, it := range items {
		if it.LifeEvent == "" || slices.Contains(events, it.LifeEvent) {
			r.Items = append(r.Items, it)
		}
	}

	r.Total.Years = make([]YearFlow, H)
	parts := append(eventFlows(r.LifeEvents), r.General)
	for t := range H {
		y := &r.Total.Years[t]
		y.Year = r.Years[t]
		for _, f := range parts {
			y.Investment += f.Years[t].Investment
			y.Running += f.Years[t].Running
			y.Savings += f.Years[t].Savings
		}
	}
	finish(&r.Total, opts)
	p.frontOffice(r, shifts, opts)
	return r, nil
}

func eventFlows(es []EventResult) []Flow {
	fs := make([]Flow, len(es))
	for i, e := range es {
		fs[i] = e.Flow
	}
	return fs
}

func (p *Parameters) eventResult(id string, pop float64, years []int, items []ItemCost, opts Options) (EventResult, shiftLines) {
	le := p.LifeEvents[id]
	// Its own list: the parameters' norms are shared and read-only.
	e := EventResult{ID: id, Name: le.Name, Norms: append([]Norm{}, p.Norms(id)...)}
	if le.LocalVolume != nil {
		e.Volume, e.LocalVolume = le.LocalVolume.Value, true
	} else {
		e.Volume = p.scaled(le.NationalVolume.Value, pop)
	}
	fcr := p.FirstContactResolution
	if le.FirstContactResolution != nil {
		fcr = *le.FirstContactResolution
	}
	e.ResolutionToday, e.ResolutionTarget = fcr.Today.Value, fcr.Target.Value
	e.ContactsToday = e.Volume * le.Contacts.Total()
	e.ContactsTarget = e.Volume * le.TargetContacts.Total()
	e.NormContactsToday = e.Volume * p.normContacts(le, fcr, e.Norms, 0)
	e.NormContactsTarget = e.Volume * p.normContacts(le, fcr, e.Norms, 1)
	today := p.costPerEvent(le, fcr, e.Norms, 0)
	target := p.costPerEvent(le, fcr, e.Norms, 1)
	e.CostPerEventToday, e.CostPerEventTarget = toCents(today), toCents(target)
	e.SavingsAtTarget = toCents(e.Volume * (today - target))

	e.Flow = costFlow(years, items, id)
	for t := range e.Flow.Years {
		x := p.progress(t + 1)
		e.Flow.Years[t].Savings = toCents(e.Volume * (today - p.costPerEvent(le, fcr, e.Norms, x)))
	}
	finish(&e.Flow, opts)
	sl := p.shiftLinesOf(le, e.Volume, pop)
	e.Shift = sl.summary(p)
	return e, sl
}

// scaled is a national yearly number's share for a population.
func (p *Parameters) scaled(national, pop float64) float64 {
	return national * pop / p.NationalPopulation.Value
}

// progress is how far year t (1 = first year) has moved from today to
// target: 0 during the delay, then linear over the ramp years, then 1.
func (p *Parameters) progress(t int) float64 {
	x := float64(t) - p.Ramp.DelayYears.Value
	years := p.Ramp.Years.Value
	switch {
	case x <= 0:
		return 0
	case years <= 0 || x >= years:
		return 1
	}
	return x / years
}

// costPerEvent is the contact cost in euro of one event when the channel mix,
// first-contact resolution and service-norm compliance have moved a
// fraction x from today to target. Every contact costs the front office;
// the share not resolved at first contact also costs the back office. The
// follow-up contacts of missed service norms cost the same way.
func (p *Parameters) costPerEvent(le LifeEvent, fcr Resolution, norms []Norm, x float64) float64 {
	resolved := resolvedAt(fcr, x)
	contact := func(ch string) float64 {
		cost := p.Channels[ch]
		return p.ChannelCostIndex.Value * (cost.FrontOffice.Value + (1-resolved)*cost.BackOffice.Value)
	}
	total := 0.0
	for _, c := range lifeevents.Channels() {
		ch := string(c)
		contacts := le.contactsAt(ch, x)
		if contacts == 0 {
			continue
		}
		total += contacts * contact(ch)
	}
	for _, n := range norms {
		if m := p.followUps(le, n, resolved, x); m != 0 {
			total += m * contact(p.ServiceNorms[n.Key].FollowUpChannel)
		}
	}
	return total
}

// resolvedAt is the first-contact resolution a fraction x of the way from
// today to target.
func resolvedAt(fcr Resolution, x float64) float64 {
	return fcr.Today.Value + x*(fcr.Target.Value-fcr.Today.Value)
}

// contactsAt is the contacts per event over a channel a fraction x of the
// way from today to target.
func (le LifeEvent) contactsAt(channel string, x float64) float64 {
	a, b := le.Contacts.Get(channel), le.TargetContacts.Get(channel)
	return a + x*(b-a)
}

// followUps is the follow-up contacts per event that missing norm n causes
// a fraction x of the way from today to target, with first-contact
// resolution resolved: the contacts the norm is about (one per event for a
// norm without a channel; only the unresolved ones for a callback) times
// the share that misses it times the follow-ups per miss. Compliance moves
// from today's to the norm's target, or stays where it is when it already
// meets the norm.
func (p *Parameters) followUps(le LifeEvent, n Norm, resolved, x float64) float64 {
	eff := p.ServiceNorms[n.Key]
	base := 1.0
	if n.Channel != "" {
		base = le.contactsAt(n.Channel, x)
	}
	if n.Callback {
		base *= 1 - resolved
	}
	today := eff.ComplianceToday.Value
	// Weighted this way the ends are exact: no follow-ups remain once a
	// norm with a target of 100 % is met.
	compliance := (1-x)*today + x*max(today, n.Target)
	return base * (1 - compliance) * eff.FollowUpContacts.Value
}

// normContacts is the follow-up contacts per event of all norms at x.
func (p *Parameters) normContacts(le LifeEvent, fcr Resolution, norms []Norm, x float64) float64 {
	total := 0.0
	for _, n := range norms {
		total += p.followUps(le, n, resolvedAt(fcr, x), x)
	}
	return total
}

// itemCosts works out what each coupling and investment costs a
// municipality of this population.
func (p *Parameters) itemCosts(pop float64, carrying Carrying) []ItemCost {
	out := make([]ItemCost, 0, len(p.Couplings)+len(p.Investments)+len(p.LocalFloor))
	factor := p.NationalFacilityFactor.Value
	for _, c := range p.Couplings {
		out = append(out, ItemCost{
			ID: c.ID, Kind: KindCoupling, LifeEvent: c.LifeEvent, Description: c.Description, Status: c.Status,
			OneOff: p.split(c.OneOff.Value, 0, c.Shares, factor, pop, carrying),
			Yearly: p.split(c.Yearly.Value, 0, c.Shares, factor, pop, carrying),
		})
	}
	for _, inv := range p.Investments {
		out = append(out, ItemCost{
			ID: inv.ID, Kind: inv.Kind, LifeEvent: inv.LifeEvent, Description: inv.Description,
			OneOff: p.split(inv.OneOff.Value, value(inv.OneOffPerInhabitant), inv.Shares, 1, pop, carrying),
			Yearly: p.split(inv.Yearly.Value, value(inv.YearlyPerInhabitant), inv.Shares, 1, pop, carrying),
		})
	}
	for _, f := range p.LocalFloor {
		out = append(out, ItemCost{
			ID: f.ID, Kind: KindFloor, Description: f.Description,
			OneOff: p.split(f.OneOff.Value, 0, localOnly, 1, pop, Alone),
			Yearly: p.split(f.Yearly.Value, 0, localOnly, 1, pop, Alone),
		})
	}
	return out
}

// localOnly are the shares of a floor item: the municipality's own.
var localOnly = Shares{Local: 1}

func value(f *Figure) float64 {
	if f == nil {
		return 0
	}
	return f.Value
}

// split divides a fixed amount and a per-inhabitant amount over the levels.
// A per-inhabitant amount costs the municipality the same at every level
// (its inhabitants' part of a per-inhabitant charge), so shares only move it
// between the columns. The national share of the fixed amount is built once
// for the country at factor times its cost.
func (p *Parameters) split(fixed, perInhabitant float64, s Shares, factor, pop float64, carrying Carrying) Split {
	var sp Split
	own := perInhabitant * pop
	if carrying == Alone {
		sp.Local = toCents(fixed + own)
	} else {
		region := max(p.RegionPopulation.Value, pop)
		sp.Local = toCents(s.Local * (fixed + own))
		sp.Regional = toCents(s.Regional * (fixed*pop/region + own))
		sp.National = toCents(s.National * (factor*fixed*pop/p.NationalPopulation.Value + own))
	}
	sp.Total = sp.Local + sp.Regional + sp.National
	return sp
}

// costFlow books the items of one life event ("" for general items): every
// one-off cost in the first year, because the couplings must exist before
// contacts can shift, and running costs from the first year on.
func costFlow(years []int, items []ItemCost, lifeEvent string) Flow {
	f := Flow{Years: make([]YearFlow, len(years))}
	for t := range years {
		f.Years[t].Year = years[t]
		for _, it := range items {
			if it.LifeEvent != lifeEvent {
				continue
			}
			if t == 0 {
				f.Years[t].Investment += it.OneOff.Total
			}
			f.Years[t].Running += it.Yearly.Total
		}
	}
	return f
}

// finish fills in the net and cumulative flows and the summary.
func finish(f *Flow, opts Options) {
	var cum Cents
	npv := 0.0
	lastNegative := -1
	f.OneOff, f.Running, f.Savings, f.ExtraCost, f.Compensation = 0, 0, 0, 0, 0
	for t := range f.Years {
		y := &f.Years[t]
		y.Net = y.Savings + y.Compensation - y.Investment - y.Running - y.ExtraCost
		cum += y.Net
		y.Cumulative = cum
		if cum < 0 {
			lastNegative = t
		}
		f.OneOff += y.Investment
		f.Running += y.Running
		f.Savings += y.Savings
		f.ExtraCost += y.ExtraCost
		f.Compensation += y.Compensation
		npv += float64(y.Net) / math.Pow(1+opts.DiscountRate, float64(t+1))
	}
	f.Balance = cum
	f.NPV = Cents(math.Round(npv))
	f.BreakEvenYear, f.YearsToBreakEven = 0, 0
	if lastNegative < len(f.Years)-1 {
		f.YearsToBreakEven = lastNegative + 2
		f.BreakEvenYear = opts.StartYear + lastNegative + 1
	}
}
