package graph

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/lifeevents"
)

// lifeEventFor resolves one event's picture for a holder: the first role
// it plays, the anchor's own first, or the event as it does not apply. An
// event in which no subject of the holder's kind plays a role is refused.
func (r *Resolver) lifeEventFor(ctx context.Context, kind lifeevents.SubjectKind, id string, k model.LifeEventKind) (*model.LifeEventPicture, error) {
	e, ok := r.catalogue.cat.Event(eventID(k))
	if !ok {
		return nil, notInCatalogue(k)
	}
	if !holdsRoles(e, kind) {
		return nil, badInput("kind", fmt.Errorf("no %s plays a role in %s; its anchor is a %s", strings.ToLower(string(kind)), k, strings.ToLower(string(e.Subject))))
	}
	ps, err := r.pictures(ctx, kind, id, []*lifeevents.Event{e})
	if err != nil {
		return nil, err
	}
	return ps[0][0], nil
}

// lifeEventsFor resolves the pictures of every event in which a subject
// of the holder's kind can play a role, in one nested operation for the
// holder and one per anchor it takes part through.
func (r *Resolver) lifeEventsFor(ctx context.Context, kind lifeevents.SubjectKind, id string, applicableOnly *bool) ([]*model.LifeEventPicture, error) {
	var events []*lifeevents.Event
	for _, e := range r.catalogue.cat.Events() {
		if holdsRoles(e, kind) {
			events = append(events, e)
		}
	}
	ps, err := r.pictures(ctx, kind, id, events)
	if err != nil {
		return nil, err
	}
	out := []*model.LifeEventPicture{}
	for _, byEvent := range ps {
		for _, p := range byEvent {
			// An event the hub cannot tell about may be happening: it stays.
			if applicableOnly == nil || !*applicableOnly || p.Applies == nil || *p.Applies {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// holdsRoles reports whether a subject of the kind can play a role in the
// event.
func holdsRoles(e *lifeevents.Event, kind lifeevents.SubjectKind) bool {
	for _, r := range e.Roles {
		if r.Holder == kind {
			return true
		}
	}
	return false
}

// lifeEvents filters the catalogue.
func (r *Resolver) lifeEvents(subject *model.SubjectKind, partner *string, status *model.CouplingStatus) []*model.LifeEvent {
	out := []*model.LifeEvent{}
	for _, e := range r.catalogue.events {
		if subject != nil && e.SubjectKind != *subject {
			continue
		}
		match := partner == nil && status == nil
		for _, s := range e.Steps {
			if (partner == nil || (s.Partner != nil && s.Partner.ID == *partner) || (s.Actor != nil && s.Actor.ID == *partner)) &&
				(status == nil || s.Coupling.Status == *status) {
				match = true
			}
		}
		if match {
			out = append(out, e)
		}
	}
	return out
}

func (r *Resolver) chainPartners(kind *model.PartnerKind, channel *model.Channel) []*model.ChainPartner {
	out := []*model.ChainPartner{}
	for _, p := range r.catalogue.partners {
		if kind != nil && p.Kind != *kind {
			continue
		}
		if channel != nil {
			has := false
			for _, c := range p.Channels {
				has = has || c == *channel
			}
			if !has {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// gapReport builds the coupling-gap report from the catalogue and the
// registries' health now.
func (r *Resolver) gapReport(event *model.LifeEventKind) (*lifeevents.Report, error) {
	opts := lifeevents.ReportOptions{Thresholds: r.thresholds}
	if r.health != nil {
		opts.Health = r.health()
	}
	if event != nil {
		opts.Events = []string{eventID(*event)}
	}
	return lifeevents.NewReport(r.catalogue.cat, opts)
}

func (r *Resolver) couplingGaps(event *model.LifeEventKind, severity *model.GapSeverity, kind *model.GapKind) (*model.CouplingGapReport, error) {
	rep, err := r.gapReport(event)
	if err != nil {
		return nil, err
	}
	out := &model.CouplingGapReport{Gaps: []*model.CouplingGap{}, RegistryHealth: []*model.RegistryHealth{}}
	for _, g := range rep.Gaps {
		gk := model.GapKind(strings.ToUpper(string(g.Kind)))
		if (severity != nil && string(*severity) != string(g.Severity)) || (kind != nil && *kind != gk) {
			continue
		}
		if gk == model.GapKindStatic {
			out.StaticGaps++
		} else {
			out.LiveGaps++
		}
		out.Gaps = append(out.Gaps, &model.CouplingGap{
			ID: g.ID, Kind: gk, Severity: model.GapSeverity(g.Severity), LifeEvent: model.LifeEventKind(lifeevents.EnumName(g.Event)),
			Step: r.catalogue.steps[[2]string{g.Event, g.Step}], Partner: r.catalogue.partner[g.Partner],
			Standard: r.catalogue.standard[g.Standard], Status: model.CouplingStatus(enumOf(string(g.Status))),
			Reason: g.Reason, Closes: g.Closes, Registries: registries(g.Registries),
		})
	}
	for _, h := range rep.Health {
		cond, _ := rep.Thresholds.Judge(h)
		rh := &model.RegistryHealth{
			Registry: model.Registry(h.Registry), ErrorRate: h.ErrorRate, P95Ms: float64(h.P95.Microseconds()) / 1000,
			Calls: h.Calls, Condition: model.RegistryCondition(enumOf(string(cond))),
		}
		if h.Breaker != "" {
			b := model.BreakerState(enumOf(h.Breaker))
			rh.Breaker = &b
		}
		out.RegistryHealth = append(out.RegistryHealth, rh)
	}
	return out, nil
}

func (r *Resolver) couplingGapDiagram(format model.DiagramFormat, event *model.LifeEventKind) (string, error) {
	f, err := lifeevents.ParseFormat(string(format))
	if err != nil {
		return "", badInput("format", err)
	}
	rep, err := r.gapReport(event)
	if err != nil {
		return "", err
	}
	cat := r.catalogue.cat
	if event != nil {
		if cat, err = cat.Subset(eventID(*event)); err != nil {
			return "", err
		}
	}
	var b bytes.Buffer
	if err := lifeevents.Export(&b, f, cat, rep); err != nil {
		return "", err
	}
	return b.String(), nil
}

func notInCatalogue(k model.LifeEventKind) error {
	return badInput("kind", fmt.Errorf("%s is not in the catalogue", k))
}
