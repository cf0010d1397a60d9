package graph

import (
	"context"
	"strings"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/store"
)

// This file builds life-event pictures: for one holder (a person, company
// or address), every event in which it plays a role, with the anchor the
// event happens to and where each step stands. The holder's own facts tell
// its roles (lifeevents.Event.RolesOf); an anchor reached through a path
// (the child of a parent) is then asked for its own facts, so every step
// is judged on the anchor's registry data, recorded in the audit log under
// the anchor. Open cases make steps IN_PROGRESS and name reported roles.

// anchorKey names an anchor.
type anchorKey struct {
	kind lifeevents.SubjectKind
	id   string
}

// pictureRun is one holder's pictures being built.
type pictureRun struct {
	r      *Resolver
	ctx    context.Context
	holder anchorKey
	facts  map[anchorKey]lifeevents.Facts
	cases  map[anchorKey][]openCase
	health []lifeevents.RegistryHealth
}

// openCase is an open case the principal may see, with its open steps.
type openCase struct {
	c     store.Case
	steps map[string]bool
}

// pictures returns, for each event, the pictures of every role the holder
// plays in it, or one picture of the event as it does not apply (or
// cannot be told).
func (r *Resolver) pictures(ctx context.Context, kind lifeevents.SubjectKind, id string, events []*lifeevents.Event) ([][]*model.LifeEventPicture, error) {
	run := &pictureRun{r: r, ctx: ctx, holder: anchorKey{kind, id}, facts: map[anchorKey]lifeevents.Facts{}, cases: map[anchorKey][]openCase{}}
	if r.health != nil {
		run.health = r.health()
	}
	var paths []string
	for _, e := range events {
		paths = append(paths, e.RolePaths(kind)...)
		if e.Subject == kind {
			paths = append(paths, e.AnchorPaths()...)
		}
	}
	f, err := r.runNeeds(ctx, kind, id, paths)
	if err != nil {
		return nil, err
	}
	run.facts[run.holder] = f

	outcomes := make([]lifeevents.RoleOutcome, len(events))
	needed := map[anchorKey][]string{}
	for i, e := range events {
		if outcomes[i], err = e.RolesOf(kind, id, f, r.now()); err != nil {
			return nil, err
		}
		for _, h := range outcomes[i].Hits {
			if !h.Role.Anchor {
				k := anchorKey{e.Subject, h.Anchor}
				needed[k] = append(needed[k], e.AnchorPaths()...)
			}
		}
	}
	for k, paths := range needed {
		if run.facts[k], err = r.runNeeds(ctx, k.kind, k.id, paths); err != nil {
			return nil, err
		}
	}

	out := make([][]*model.LifeEventPicture, len(events))
	for i, e := range events {
		for _, h := range outcomes[i].Hits {
			anchor := run.holder
			if !h.Role.Anchor {
				anchor = anchorKey{e.Subject, h.Anchor}
			}
			p, err := run.picture(e, h.Role, anchor, h.Trigger)
			if err != nil {
				return nil, err
			}
			out[i] = append(out[i], p)
		}
		open, err := run.openCases(run.holder)
		if err != nil {
			return nil, err
		}
		for _, oc := range open {
			if role, ok := e.Role(oc.c.Role); ok && oc.c.LifeEventID == e.ID && role.Reported {
				out[i] = append(out[i], run.reported(e, role, oc))
			}
		}
		if len(out[i]) == 0 {
			out[i] = []*model.LifeEventPicture{r.absent(e, outcomes[i])}
		}
	}
	return out, nil
}

// picture assesses the event for an anchor it happens to.
func (run *pictureRun) picture(e *lifeevents.Event, role *lifeevents.Role, anchor anchorKey, tr lifeevents.Triggered) (*model.LifeEventPicture, error) {
	r := run.r
	facts := run.facts[anchor]
	cases, err := run.openCases(anchor)
	if err != nil {
		return nil, err
	}
	open := map[string]bool{}
	for _, oc := range cases {
		if oc.c.LifeEventID == e.ID && oc.c.Role == "" {
			for s := range oc.steps {
				open[s] = true
			}
		}
	}
	a, err := lifeevents.AssessEvent(e, lifeevents.AssessInput{
		Facts: facts, Health: run.health, Thresholds: r.thresholds, OpenTasks: open, Now: r.now(),
	})
	if err != nil {
		return nil, err
	}
	yes := true
	p := r.pictureOf(e, a, &facts)
	p.Role, p.Applies, p.AppliesBecause = r.catalogue.roles[[2]string{e.ID, role.ID}], &yes, tr.Because
	p.About = &model.LifeEventAnchor{Kind: model.SubjectKind(anchor.kind), ID: anchor.id}
	p.Since = model.DatePtr(tr.Date)
	return p, nil
}

// reported is the picture of an event a case reports before the
// registries show its anchor, for the holder the case names.
func (run *pictureRun) reported(e *lifeevents.Event, role *lifeevents.Role, oc openCase) *model.LifeEventPicture {
	a, _ := lifeevents.AssessEvent(e, lifeevents.AssessInput{OpenTasks: oc.steps, Reported: true, Now: run.r.now()})
	yes := true
	p := run.r.pictureOf(e, a, nil)
	p.Role, p.Applies = run.r.catalogue.roles[[2]string{e.ID, role.ID}], &yes
	p.AppliesBecause = "reported in a case opened on " + oc.c.CreatedAt.Format("2006-01-02") + "; the registries do not show it yet"
	p.Since = model.DatePtr(oc.c.CreatedAt.Format("2006-01-02"))
	return p
}

// absent is the picture of an event in which the holder plays no role,
// or in which the hub cannot tell whether it does.
func (r *Resolver) absent(e *lifeevents.Event, o lifeevents.RoleOutcome) *model.LifeEventPicture {
	if len(o.Unknown) > 0 {
		because := "unknown: " + strings.Join(o.Unknown, "; ")
		return r.pictureOf(e, lifeevents.NotApplicable(e, lifeevents.StepUnknown, because), nil)
	}
	no := false
	because := strings.Join(o.Misses, "; ")
	if because == "" {
		because = "no role in this event"
	}
	p := r.pictureOf(e, lifeevents.NotApplicable(e, lifeevents.StepNotApplicable, because), nil)
	p.Applies = &no
	return p
}

// pictureOf maps an assessment, with the tasks starting the event would
// open now.
func (r *Resolver) pictureOf(e *lifeevents.Event, a lifeevents.EventAssessment, facts *lifeevents.Facts) *model.LifeEventPicture {
	p := &model.LifeEventPicture{
		Event: r.catalogue.byID[e.ID], AppliesBecause: a.Because, Status: model.StepStatus(a.Status), StatusBecause: a.Because,
		Notifies: []*model.ChainPartner{},
	}
	if facts != nil {
		p.Facts = facts.Value
	}
	planned := map[string]lifeevents.PlannedTask{}
	for _, t := range lifeevents.PlanTasks(e, a.Steps) {
		planned[t.Step.ID] = t
		if cp := r.catalogue.partner[t.Partner]; t.Kind == lifeevents.TaskNotify && cp != nil && !containsPartner(p.Notifies, cp) {
			p.Notifies = append(p.Notifies, cp)
		}
	}
	for i, s := range e.Steps {
		sa := a.Steps[i]
		sp := &model.StepPicture{
			Step: r.catalogue.steps[[2]string{e.ID, s.ID}], Applicable: sa.Applicable, Status: model.StepStatus(sa.Status),
			Because: sa.Because, Coupling: model.CouplingState(sa.Coupling), Inputs: nonNil(sa.Inputs),
			Blockers: []*model.StepBlocker{}, Needs: []*model.NeedPicture{},
		}
		for _, b := range sa.Blockers {
			sb := &model.StepBlocker{Kind: model.BlockerKind(enumOf(string(b.Kind))), Standard: str(b.Standard), Need: str(b.Need), Reason: b.Reason, Closes: str(b.Closes)}
			if b.Registry != "" {
				reg := model.Registry(b.Registry)
				sb.Registry = &reg
			}
			sp.Blockers = append(sp.Blockers, sb)
		}
		for j, nr := range sa.Needs {
			np := &model.NeedPicture{Path: nr.Path, Resolved: nr.Resolved, Registries: registries(s.Needs[j].Registries), Code: str(nr.Code)}
			if facts != nil {
				np.Value = facts.At(nr.Path)
			}
			if nr.FailedRegistry != "" {
				reg := model.Registry(nr.FailedRegistry)
				np.FailedRegistry = &reg
			}
			sp.Needs = append(sp.Needs, np)
		}
		if t, ok := planned[s.ID]; ok {
			sp.Task = &model.PlannedTask{Partner: r.catalogue.partner[t.Partner], Kind: model.TaskKind(strings.ToUpper(string(t.Kind))),
				Notifies: t.Kind == lifeevents.TaskNotify, Reason: str(t.Reason)}
		}
		p.Steps = append(p.Steps, sp)
	}
	return p
}

func containsPartner(ps []*model.ChainPartner, p *model.ChainPartner) bool {
	for _, q := range ps {
		if q.ID == p.ID {
			return true
		}
	}
	return false
}

// openCases returns the open cases about a subject that the principal may
// work on, with the steps whose tasks are not finished, recording each
// read in the audit log. A principal without case rights sees none; a
// store that fails is an error, so a step with an open task is never shown
// as if none were open.
func (run *pictureRun) openCases(k anchorKey) ([]openCase, error) {
	if cs, ok := run.cases[k]; ok {
		return cs, nil
	}
	run.cases[k] = nil
	r := run.r
	if r.cases == nil {
		return nil, nil
	}
	w, err := r.caseWorker(run.ctx)
	if err != nil {
		return nil, nil
	}
	subject := store.Subject{Kind: store.SubjectKind(k.kind), ID: k.id}
	first := 50
	conn, err := r.cases.Cases(run.ctx, cases.CaseQuery{Subject: &subject, Status: store.CaseOpen, Scope: w.scope()}, store.Page{First: &first})
	if err != nil {
		return nil, caseError(err)
	}
	rec, recording := audit.RecorderFrom(run.ctx)
	var out []openCase
	for _, edge := range conn.Edges {
		c := edge.Node
		purpose, err := w.caseWork(c.LifeEventID, c.Subject)
		if err != nil || !recording {
			continue
		}
		tasks, err := r.cases.Tasks(run.ctx, c.ID)
		if err != nil {
			return nil, caseError(err)
		}
		oc := openCase{c: c, steps: map[string]bool{}}
		for _, t := range tasks {
			if t.Status == store.TaskOpen || t.Status == store.TaskSent || t.Status == store.TaskAcknowledged {
				oc.steps[t.StepID] = true
			}
		}
		d := audit.Disclosure{Registry: caseRegistry, Endpoint: casesResource, Purpose: purpose, Fields: []string{"tasks.status"}}
		switch c.Subject.Kind {
		case store.SubjectPerson:
			d.SubjectType, d.SubjectID = audit.SubjectBSN, c.Subject.ID
		case store.SubjectCompany:
			d.SubjectType, d.SubjectID = audit.SubjectKvK, c.Subject.ID
		}
		rec.Disclose(d)
		out = append(out, oc)
	}
	run.cases[k] = out
	return out, nil
}
