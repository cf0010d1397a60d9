package graph

import (
	"strings"

	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/lifeevents"
)

// catalogueView is the life-event catalogue in graph types, built once: the
// catalogue does not change while the hub runs.
type catalogueView struct {
	cat       *lifeevents.Catalogue
	events    []*model.LifeEvent
	byID      map[string]*model.LifeEvent
	partners  []*model.ChainPartner
	partner   map[string]*model.ChainPartner
	standards []*model.CouplingStandard
	standard  map[string]*model.CouplingStandard
	steps     map[[2]string]*model.LifeEventStep
	roles     map[[2]string]*model.EventRole
}

// frontOffice stands for the municipal front office, the actor of
// citizen-facing steps, which the partner list does not hold.
var frontOffice = model.ChainPartner{
	ID: lifeevents.FrontOffice, Name: "Municipal front office", NameNl: "Gemeentelijk klantcontactcentrum",
	Kind: model.PartnerKindFrontOffice,
	Channels: []model.Channel{model.ChannelDesk, model.ChannelPhone, model.ChannelWeb, model.ChannelPost,
		model.ChannelEmail, model.ChannelChat, model.ChannelApp},
	Sources: []string{},
}

func enumOf(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "-", "_")) }

func newCatalogueView(c *lifeevents.Catalogue) *catalogueView {
	v := &catalogueView{
		cat: c, byID: map[string]*model.LifeEvent{}, partner: map[string]*model.ChainPartner{},
		standard: map[string]*model.CouplingStandard{}, steps: map[[2]string]*model.LifeEventStep{},
		roles: map[[2]string]*model.EventRole{},
	}
	fo := frontOffice
	v.partner[fo.ID] = &fo
	for _, p := range c.Partners() {
		m := &model.ChainPartner{
			ID: p.ID, Name: p.Name.EN, NameNl: p.Name.NL, Kind: model.PartnerKind(enumOf(string(p.Kind))),
			Description: str(p.Description), Sources: nonNil(p.Sources),
		}
		for _, ch := range p.Channels {
			m.Channels = append(m.Channels, model.Channel(enumOf(string(ch))))
		}
		v.partners = append(v.partners, m)
		v.partner[p.ID] = m
	}
	for _, s := range c.Standards() {
		m := &model.CouplingStandard{ID: s.ID, Name: s.Name, Description: s.Description, Sources: nonNil(s.Sources)}
		v.standards = append(v.standards, m)
		v.standard[s.ID] = m
	}
	for _, e := range c.Events() {
		m := &model.LifeEvent{
			Kind: model.LifeEventKind(lifeevents.EnumName(e.ID)), Name: e.Name.EN, NameNl: e.Name.NL,
			SubjectKind: model.SubjectKind(e.Subject), Trigger: e.Trigger.Description, Sources: nonNil(e.Sources),
			Triggers: []*model.TriggerFact{}, Roles: []*model.EventRole{},
		}
		for _, t := range e.Trigger.On {
			m.Triggers = append(m.Triggers, &model.TriggerFact{Fact: t.Fact, DaysBack: t.Back, DaysAhead: t.Ahead, Says: t.Says,
				When: exprSource(t.When), Unless: exprSource(t.Unless)})
		}
		for _, r := range e.Roles {
			role := &model.EventRole{ID: r.ID, Name: r.Name.EN, NameNl: r.Name.NL, Holder: model.SubjectKind(r.Holder),
				Anchor: r.Anchor, Reported: r.Reported, When: exprSource(r.When), Description: r.Description}
			if r.Via != nil {
				role.Via = &r.Via.Path
			}
			m.Roles = append(m.Roles, role)
			v.roles[[2]string{e.ID, r.ID}] = role
		}
		seen := map[string]bool{}
		for i, s := range e.Steps {
			st := v.step(s, i+1)
			m.Steps = append(m.Steps, st)
			v.steps[[2]string{e.ID, s.ID}] = st
			if p := v.partner[s.Partner]; p != nil && !seen[p.ID] {
				seen[p.ID] = true
				m.Partners = append(m.Partners, p)
			}
		}
		v.events = append(v.events, m)
		v.byID[e.ID] = m
	}
	return v
}

func (v *catalogueView) step(s *lifeevents.Step, order int) *model.LifeEventStep {
	m := &model.LifeEventStep{
		ID: s.ID, Order: order, Name: s.Name.EN, NameNl: s.Name.NL, Actor: v.partner[s.Actor], CitizenFacing: s.CitizenFacing(),
		Condition: stepRule(s.Condition), Done: stepRule(s.Done),
		Learns:  &model.StepLearns{By: model.Delivery(enumOf(string(s.Learns.By))), Standard: v.standard[s.Learns.Standard]},
		Partner: v.partner[s.Partner], Inputs: nonNil(s.Inputs), DependsOn: nonNil(s.DependsOn),
		Coupling: &model.Coupling{
			Standard: v.standard[s.Coupling.Standard], Status: model.CouplingStatus(enumOf(string(s.Coupling.Status))),
			Description: s.Coupling.Description, Closes: str(s.Coupling.Closes),
		},
		Needs: []*model.DataNeed{},
	}
	if b := s.Learns.LegalBasis; b != nil {
		m.Learns.LegalBasis = &model.LegalBasis{Text: b.Text, Sources: nonNil(b.Sources)}
	}
	for _, ch := range s.Channels {
		m.Channels = append(m.Channels, model.Channel(enumOf(string(ch))))
	}
	for _, n := range s.Needs {
		m.Needs = append(m.Needs, &model.DataNeed{Path: n.Path, Registries: registries(n.Registries)})
	}
	m.ServiceNorms = []*model.ServiceNorm{}
	for _, n := range s.ServiceNorms {
		sn := &model.ServiceNorm{
			Measure: model.ServiceNormMeasure(enumOf(string(n.Measure))), Within: n.Within,
			Unit: model.ServiceNormUnit(enumOf(string(n.Unit))), Target: n.Target, Text: n.String(), Sources: nonNil(n.Sources),
		}
		if n.Channel != "" {
			ch := model.Channel(enumOf(string(n.Channel)))
			sn.Channel = &ch
		}
		m.ServiceNorms = append(m.ServiceNorms, sn)
	}
	return m
}

func stepRule(r *lifeevents.Rule) *model.StepRule {
	if r == nil {
		return nil
	}
	return &model.StepRule{Expression: r.When.Source, Says: r.Says, Facts: nonNil(r.When.Paths)}
}

func exprSource(x *lifeevents.Expr) *string {
	if x == nil {
		return nil
	}
	return &x.Source
}

func registries(rs []string) []model.Registry {
	out := make([]model.Registry, 0, len(rs))
	for _, r := range rs {
		out = append(out, model.Registry(r))
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// eventID turns the GraphQL enum into the catalogue's event id.
func eventID(k model.LifeEventKind) string {
	id, _ := lifeevents.EventIDFromEnum(string(k))
	return id
}
