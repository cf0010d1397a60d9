package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
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

// businessCaseOptions fills the options from the arguments over the
// parameters' defaults.
func businessCaseOptions(p *businesscase.Parameters, horizon *int, rate *float64, start *int, carrying *model.Carrying, events []model.LifeEventKind) businesscase.Options {
	o := p.DefaultOptions()
	if horizon != nil {
		o.HorizonYears = *horizon
	}
	if rate != nil {
		o.DiscountRate = *rate
	}
	if start != nil {
		o.StartYear = *start
	}
	if carrying != nil && *carrying == model.CarryingAlone {
		o.Carrying = businesscase.Alone
	}
	for _, e := range events {
		o.LifeEvents = append(o.LifeEvents, eventID(e))
	}
	return o
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
		NetPresentValue: euros(f.NPV), Years: []*model.YearCashFlow{},
	}
	if f.BreakEvenYear != 0 {
		y, n := f.BreakEvenYear, f.YearsToBreakEven
		m.BreakEvenYear, m.YearsToBreakEven = &y, &n
	}
	for _, y := range f.Years {
		m.Years = append(m.Years, &model.YearCashFlow{
			Year: y.Year, Investment: euros(y.Investment), Running: euros(y.Running), Savings: euros(y.Savings),
			Net: euros(y.Net), Cumulative: euros(y.Cumulative),
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
		Municipality: &model.Municipality{Code: c.Municipality.Code, Name: c.Municipality.Name, Population: c.Municipality.Population},
		StartYear:    res.Options.StartYear, HorizonYears: res.Options.HorizonYears, DiscountRate: res.Options.DiscountRate,
		Carrying: carrying, General: cashFlow(res.General), Total: cashFlow(res.Total),
		LifeEvents: []*model.BusinessCaseEvent{}, Items: []*model.CostItem{},
		ChartURL: fmt.Sprintf("/charts/business-case/%s/cash-flow.svg?horizon=%d&discountRate=%g&startYear=%d&carrying=%s",
			url.PathEscape(c.Municipality.Code), res.Options.HorizonYears, res.Options.DiscountRate, res.Options.StartYear, o.Carrying),
	}
	for _, e := range res.LifeEvents {
		m.LifeEvents = append(m.LifeEvents, &model.BusinessCaseEvent{
			LifeEvent: model.LifeEventKind(lifeevents.EnumName(e.ID)), Name: e.Name, Volume: e.Volume,
			ContactsToday: e.ContactsToday, ContactsTarget: e.ContactsTarget, ResolutionToday: e.ResolutionToday,
			ResolutionTarget: e.ResolutionTarget, CostPerEventToday: euros(e.CostPerEventToday),
			CostPerEventTarget: euros(e.CostPerEventTarget), SavingsAtTarget: euros(e.SavingsAtTarget), CashFlow: cashFlow(e.Flow),
		})
	}
	for _, it := range res.Items {
		ci := &model.CostItem{
			ID: it.ID, Kind: it.Kind, Description: it.Description, Status: str(it.Status),
			OneOff: costSplit(it.OneOff), Yearly: costSplit(it.Yearly),
		}
		if it.LifeEvent != "" {
			k := model.LifeEventKind(lifeevents.EnumName(it.LifeEvent))
			ci.LifeEvent = &k
		}
		m.Items = append(m.Items, ci)
	}
	return m, nil
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
		Municipality: &model.Municipality{Code: o.Municipality.Code, Name: o.Municipality.Name, Population: o.Municipality.Population},
		SizeClass:    o.Class, Alone: outcome(o.Alone), Shared: outcome(o.Shared),
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
		Alone: breakEvens(c.Alone), Shared: breakEvens(c.Shared),
	}
}

func (r *Resolver) scaleCheck(p *businesscase.Parameters, o businesscase.Options) (*model.ScaleCheck, error) {
	sr, err := businesscase.ScaleCheck(p, o)
	if err != nil {
		return nil, businessCaseError("options", err)
	}
	m := &model.ScaleCheck{
		Total: classOutcome(sr.Total), SmallestAlone: municipalOutcome(sr.SmallestAlone),
		SmallestShared: municipalOutcome(sr.SmallestShared),
		ChartURL: fmt.Sprintf("/charts/scale-check/break-even-by-size.svg?horizon=%d&discountRate=%g&startYear=%d",
			sr.Options.HorizonYears, sr.Options.DiscountRate, sr.Options.StartYear),
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
