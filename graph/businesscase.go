package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/poort-nl/poort/businesscase"
	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/lifeevents"
)

// businessCaseParams applies the request's overrides and gap couplings to
// the default parameters.
func (r *Resolver) businessCaseParams(overrides any, fromGapReport bool) (*businesscase.Parameters, error) {
	if r.businessCase == nil {
		return nil, errors.New("business-case parameters are not loaded")
	}
	p := r.businessCase
	if overrides != nil {
		doc, err := json.Marshal(overrides)
		if err != nil {
			return nil, badInput("overrides", err)
		}
		if p, err = p.Apply(doc); err != nil {
			return nil, businessCaseError("overrides", err)
		}
	}
	if fromGapReport {
		rep, err := r.gapReport(nil)
		if err != nil {
			return nil, err
		}
		var gaps []businesscase.Gap
		for _, g := range rep.Gaps {
			if g.Kind == lifeevents.GapStatic {
				gaps = append(gaps, businesscase.Gap{ID: g.ID, LifeEvent: g.Event, Description: g.StepName, Status: string(g.Status), Standard: g.Standard})
			}
		}
		cs, err := p.CouplingsFromGaps(gaps)
		if err != nil {
			return nil, err
		}
		if p, err = p.WithCouplings(cs); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// caseArgs are the arguments the business-case queries share.
type caseArgs struct {
	horizon, start    *int
	rate              *float64
	carrying          *model.Carrying
	events            []model.LifeEventKind
	perContact, share *float64
}

// businessCaseOptions fills the options from the arguments over the
// parameters' defaults.
func businessCaseOptions(p *businesscase.Parameters, a caseArgs) businesscase.Options {
	o := p.DefaultOptions()
	if a.horizon != nil {
		o.HorizonYears = *a.horizon
	}
	if a.rate != nil {
		o.DiscountRate = *a.rate
	}
	if a.start != nil {
		o.StartYear = *a.start
	}
	if a.carrying != nil && *a.carrying == model.CarryingAlone {
		o.Carrying = businesscase.Alone
	}
	for _, e := range a.events {
		o.LifeEvents = append(o.LifeEvents, eventID(e))
	}
	if a.perContact != nil || a.share != nil {
		r := p.CompensationRate(a.perContact, a.share)
		o.Compensation = &r
	}
	return o
}

// chartQuery is the query string of a chart for the options.
func chartQuery(o businesscase.Options) string {
	q := url.Values{}
	q.Set("horizon", strconv.Itoa(o.HorizonYears))
	q.Set("discountRate", strconv.FormatFloat(o.DiscountRate, 'g', -1, 64))
	q.Set("startYear", strconv.Itoa(o.StartYear))
	if c := o.Compensation; c != nil {
		q.Set("compensationPerContact", strconv.FormatFloat(c.PerContact, 'g', -1, 64))
		q.Set("compensationShare", strconv.FormatFloat(c.ShareOfAgencySaving, 'g', -1, 64))
	}
	return q.Encode()
}

func scenarioOf(s model.Scenario) businesscase.Scenario {
	return businesscase.Scenario(strings.ReplaceAll(strings.ToLower(string(s)), "_", "-"))
}

func scenarioEnum(s businesscase.Scenario) model.Scenario {
	return model.Scenario(strings.ReplaceAll(strings.ToUpper(string(s)), "-", "_"))
}

func optionalEuros(c *businesscase.Cents) *float64 {
	if c == nil {
		return nil
	}
	v := c.Euros()
	return &v
}

func municipalityOf(m businesscase.Municipality) *model.Municipality {
	return &model.Municipality{Code: m.Code, Name: m.Name, Population: m.Population}
}

// businessCaseError names the parameter a business-case error is about.
func businessCaseError(argument string, err error) error {
	var pe *businesscase.ParamError
	switch {
	case errors.Is(err, businesscase.ErrUnknownMunicipality), errors.Is(err, businesscase.ErrAmbiguousMunicipality):
		return badInput("municipality", err)
	case errors.As(err, &pe):
		e := badInput(argument, err)
		e.Extensions["parameter"] = pe.Path
		return e
	}
	var ve businesscase.ValidationErrors
	if errors.As(err, &ve) {
		return badInput(argument, err)
	}
	return err
}

func euros(c businesscase.Cents) float64 { return c.Euros() }

func cashFlow(f businesscase.Flow) *model.CashFlow {
	m := &model.CashFlow{
		OneOff: euros(f.OneOff), Running: euros(f.Running), Savings: euros(f.Savings), Balance: euros(f.Balance),
		ExtraCost: euros(f.ExtraCost), Compensation: euros(f.Compensation), NetPresentValue: euros(f.NPV), Years: []*model.YearCashFlow{},
	}
	if f.BreakEvenYear != 0 {
		y, n := f.BreakEvenYear, f.YearsToBreakEven
		m.BreakEvenYear, m.YearsToBreakEven = &y, &n
	}
	for _, y := range f.Years {
		m.Years = append(m.Years, &model.YearCashFlow{
			Year: y.Year, Investment: euros(y.Investment), Running: euros(y.Running), Savings: euros(y.Savings),
			ExtraCost: euros(y.ExtraCost), Compensation: euros(y.Compensation), Net: euros(y.Net), Cumulative: euros(y.Cumulative),
		})
	}
	return m
}

func costSplit(s businesscase.Split) *model.CostSplit {
	return &model.CostSplit{Local: euros(s.Local), Regional: euros(s.Regional), National: euros(s.National), Total: euros(s.Total)}
}

func (r *Resolver) businessCaseOf(municipality string, p *businesscase.Parameters, o businesscase.Options) (*model.BusinessCase, error) {
	c, err := p.ForMunicipality(municipality)
	if err != nil {
		return nil, businessCaseError("municipality", err)
	}
	res, err := businesscase.Compute(c, o)
	if err != nil {
		return nil, businessCaseError("options", err)
	}
	carrying := model.CarryingShared
	if o.Carrying == businesscase.Alone {
		carrying = model.CarryingAlone
	}
	m := &model.BusinessCase{
		Municipality: municipalityOf(c.Municipality),
		StartYear:    res.Options.StartYear, HorizonYears: res.Options.HorizonYears, DiscountRate: res.Options.DiscountRate,
		Carrying: carrying, General: cashFlow(res.General), Total: cashFlow(res.Total),
		FrontOffice: cashFlow(res.FrontOffice), Compensated: cashFlow(res.Compensated), Shift: contactShift(res.Shift),
		LifeEvents: []*model.BusinessCaseEvent{}, Items: []*model.CostItem{},
		ChartURL: fmt.Sprintf("/charts/business-case/%s/cash-flow.svg?%s&carrying=%s",
			url.PathEscape(c.Municipality.Code), chartQuery(res.Options), o.Carrying),
	}
	for _, e := range res.LifeEvents {
		be := &model.BusinessCaseEvent{
			LifeEvent: model.LifeEventKind(lifeevents.EnumName(e.ID)), Name: e.Name, Volume: e.Volume,
			ContactsToday: e.ContactsToday, ContactsTarget: e.ContactsTarget, ResolutionToday: e.ResolutionToday,
			ResolutionTarget: e.ResolutionTarget, CostPerEventToday: euros(e.CostPerEventToday),
			CostPerEventTarget: euros(e.CostPerEventTarget), SavingsAtTarget: euros(e.SavingsAtTarget), CashFlow: cashFlow(e.Flow),
			NormContactsToday: e.NormContactsToday, NormContactsTarget: e.NormContactsTarget, ServiceNorms: []*model.BusinessCaseNorm{},
			ShiftedContacts: e.Shift.Contacts, ShiftExtraCost: euros(e.Shift.ExtraCost), ShiftAgencySaving: euros(e.Shift.AgencySaving),
		}
		for _, n := range e.Norms {
			eff := c.Params.ServiceNorms[n.Key]
			be.ServiceNorms = append(be.ServiceNorms, &model.BusinessCaseNorm{
				Key: n.Key, Text: n.Text, Target: n.Target, Steps: n.Steps,
				ComplianceToday: eff.ComplianceToday.Value, FollowUpContacts: eff.FollowUpContacts.Value,
			})
		}
		m.LifeEvents = append(m.LifeEvents, be)
	}
	for _, it := range res.Items {
		ci := &model.CostItem{
			ID: it.ID, Kind: model.CostKind(enumOf(it.Kind)), Description: it.Description,
			OneOff: costSplit(it.OneOff), Yearly: costSplit(it.Yearly),
		}
		if it.Status != "" {
			s := model.CouplingStatus(enumOf(it.Status))
			ci.Status = &s
		}
		if it.LifeEvent != "" {
			k := model.LifeEventKind(lifeevents.EnumName(it.LifeEvent))
			ci.LifeEvent = &k
		}
		m.Items = append(m.Items, ci)
	}
	return m, nil
}

func contactShift(s businesscase.Shift) *model.ContactShift {
	m := &model.ContactShift{
		CompensationPerContact: s.Rate.PerContact, CompensationShare: s.Rate.ShareOfAgencySaving,
		Contacts: s.Contacts, ExtraCost: euros(s.ExtraCost), AgencySaving: euros(s.AgencySaving), Compensation: euros(s.Compensation),
		Agencies: []*model.AgencyShift{}, BreakEvenCompensationPerContact: optionalEuros(s.BreakEvenPerContact),
	}
	for _, a := range s.Agencies {
		m.Agencies = append(m.Agencies, &model.AgencyShift{ID: a.ID, Name: a.Name, Contacts: a.Contacts, Saving: euros(a.Saving), NationalContacts: a.NationalContacts})
	}
	return m
}

func outcome(o businesscase.Outcome) *model.Outcome {
	m := &model.Outcome{NetPresentValue: euros(o.NPV), Balance: euros(o.Balance)}
	if o.BreakEvenYear != 0 {
		y := o.BreakEvenYear
		m.BreakEvenYear = &y
	}
	return m
}

func municipalOutcome(o *businesscase.MunicipalOutcome) *model.MunicipalOutcome {
	if o == nil {
		return nil
	}
	return &model.MunicipalOutcome{
		Municipality: municipalityOf(o.Municipality), SizeClass: o.Class, Alone: outcome(o.Alone), Shared: outcome(o.Shared),
		FrontOffice: outcome(o.FrontOffice), Compensated: outcome(o.Compensated), ShiftedContacts: o.Shift.Contacts,
		BreakEvenCompensationPerContact: optionalEuros(o.Shift.BreakEvenPerContact),
	}
}

func breakEvens(b businesscase.BreakEvens) *model.BreakEvens {
	m := &model.BreakEvens{Count: b.Count, ByYear: []*model.YearCount{}, NetPresentValue: euros(b.NPV)}
	for _, y := range b.ByYear {
		m.ByYear = append(m.ByYear, &model.YearCount{Year: y.Year, Count: y.Count})
	}
	for _, v := range []struct {
		in  int
		out **int
	}{{b.Earliest, &m.Earliest}, {b.Median, &m.Median}, {b.Latest, &m.Latest}} {
		if v.in != 0 {
			x := v.in
			*v.out = &x
		}
	}
	return m
}

func classOutcome(c businesscase.ClassOutcome) *model.SizeClassOutcome {
	return &model.SizeClassOutcome{
		ID: c.Class.ID, Label: c.Class.Label, Municipalities: c.Municipalities, Population: c.Population,
		Alone: breakEvens(c.Alone), Shared: breakEvens(c.Shared), FrontOffice: breakEvens(c.FrontOffice), Compensated: breakEvens(c.Compensated),
		CompensationPerContact: &model.PerContactNeed{Median: euros(c.PerContact.Median), Highest: euros(c.PerContact.Max), Impossible: c.PerContact.Impossible},
	}
}

func (r *Resolver) scaleCheck(p *businesscase.Parameters, o businesscase.Options) (*model.ScaleCheck, error) {
	sr, err := businesscase.ScaleCheck(p, o)
	if err != nil {
		return nil, businessCaseError("options", err)
	}
	n := sr.National
	m := &model.ScaleCheck{
		Total: classOutcome(sr.Total), SmallestAlone: municipalOutcome(sr.SmallestAlone),
		SmallestShared: municipalOutcome(sr.SmallestShared),
		ChartURL:       "/charts/scale-check/break-even-by-size.svg?" + chartQuery(sr.Options),
		National: &model.NationalFrontOffice{
			CompensationPerContact: n.Rate.PerContact, CompensationShare: n.Rate.ShareOfAgencySaving,
			ShiftedContacts: n.ShiftedContacts, ExtraCost: euros(n.ExtraCost), AgencySaving: euros(n.AgencySaving),
			Compensation: euros(n.Compensation), ExtraCostPerContact: euros(n.ExtraCostPerContact),
			AgencySavingPerContact: euros(n.AgencySavingPerContact),
			PerContactEvery:        optionalEuros(n.PerContactEvery), PerContactTogether: optionalEuros(n.PerContactTogether),
		},
	}
	for _, s := range businesscase.Scenarios() {
		m.National.Balances = append(m.National.Balances, &model.ScenarioBalance{Scenario: scenarioEnum(s), Balance: euros(n.Balance[s])})
	}
	for _, a := range sr.Answers {
		m.Answers = append(m.Answers, &model.ScaleAnswer{Scenario: scenarioEnum(a.Scenario), Question: a.Question,
			BreakEven: a.BreakEven, Municipalities: a.Municipalities, Answer: a.Text})
	}
	for _, c := range sr.Classes {
		m.Classes = append(m.Classes, classOutcome(c))
	}
	for i := range sr.Municipalities {
		m.Outcomes = append(m.Outcomes, municipalOutcome(&sr.Municipalities[i]))
	}
	return m, nil
}

func filterOutcomes(all []*model.MunicipalOutcome, class *string) []*model.MunicipalOutcome {
	if class == nil {
		return all
	}
	out := []*model.MunicipalOutcome{}
	for _, o := range all {
		if strings.EqualFold(o.SizeClass, *class) {
			out = append(out, o)
		}
	}
	return out
}

func (r *Resolver) tornado(municipality string, p *businesscase.Parameters, o businesscase.Options, s businesscase.Scenario) (*model.Tornado, error) {
	c, err := p.ForMunicipality(municipality)
	if err != nil {
		return nil, businessCaseError("municipality", err)
	}
	t, err := businesscase.TornadoOf(c, o, s)
	if err != nil {
		return nil, businessCaseError("options", err)
	}
	m := &model.Tornado{
		Municipality: municipalityOf(t.Municipality), Scenario: scenarioEnum(t.Scenario), Base: outcome(t.Base), Bars: []*model.TornadoBar{},
		ChartURL: fmt.Sprintf("/charts/business-case/%s/tornado.svg?%s&scenario=%s", url.PathEscape(c.Municipality.Code), chartQuery(t.Options), t.Scenario),
	}
	for _, b := range t.Bars {
		m.Bars = append(m.Bars, &model.TornadoBar{Group: b.Group, Figures: b.Figures, Low: outcome(b.Low), High: outcome(b.High), Swing: euros(b.Swing)})
	}
	return m, nil
}

func (r *Resolver) uncertainty(p *businesscase.Parameters, o businesscase.Options) (*model.Uncertainty, error) {
	u, err := businesscase.UncertaintyOf(p, o)
	if err != nil {
		return nil, businessCaseError("options", err)
	}
	m := &model.Uncertainty{
		Municipalities: u.Municipalities, Reference: municipalityOf(u.Reference),
		ChartURL: "/charts/scale-check/break-even-by-assumption.svg?" + chartQuery(u.Options),
	}
	for _, su := range u.Scenarios {
		ms := &model.ScenarioUncertainty{Scenario: scenarioEnum(su.Scenario)}
		for _, c := range su.Counts {
			mc := &model.AssumptionCount{Assumption: model.Assumption(strings.ToUpper(string(c.Assumption))), BreakEven: c.BreakEven, Share: c.Share}
			if c.Smallest != nil {
				mc.Smallest = municipalityOf(*c.Smallest)
			}
			ms.Counts = append(ms.Counts, mc)
		}
		m.Scenarios = append(m.Scenarios, ms)
	}
	return m, nil
}
