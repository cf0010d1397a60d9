package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/policy"
	"github.com/poort-nl/poort/store"
)

// This file maps cases and handovers between the case service and the
// graph, and decides who may work on them: a case needs the purpose of
// its life event (or a role the policy grants case work for it); a
// handover belongs to the team that made it and the partner it is
// addressed to. Every case or handover that reaches a response is an
// audited disclosure about its subject.

// CodeEventDoesNotApply refuses a case for a life event the registries do
// not show happening to its subject.
const CodeEventDoesNotApply = "EVENT_DOES_NOT_APPLY"

// The audit log names case data as the hub's own resources.
const (
	caseRegistry      = "POORT"
	casesResource     = "zaken"
	handoversResource = "overdrachten"
)

// caseWorker is the operation's principal as far as cases go.
type caseWorker struct {
	principal auth.Principal
	grant     *policy.Grant
}

// caseWorker returns the principal's case rights, refusing a principal
// the policy gives no rights at all (an unknown role, a purpose its role
// may not hold).
func (r *Resolver) caseWorker(ctx context.Context) (*caseWorker, error) {
	if r.cases == nil || r.policy == nil {
		return nil, errors.New("the case service is not configured")
	}
	p, _ := auth.From(ctx)
	g := r.req(ctx).access.grant
	if g == nil {
		g = r.policy.For(p)
	}
	if err := g.Err(); err != nil {
		return nil, forbidden("cases are for principals the policy gives rights: " + err.Error())
	}
	return &caseWorker{principal: p, grant: g}, nil
}

// who is the principal in the case service's terms.
func (w *caseWorker) who() cases.Principal {
	return cases.Principal{ID: w.principal.Subject, Organisation: w.principal.Organisation}
}

// caseWork checks that the worker may work on a case of the event about
// the subject, and names the purpose the work is done for.
func (w *caseWorker) caseWork(event string, subject store.Subject) (string, error) {
	purpose, ok := w.grant.CaseWork(event)
	if !ok {
		return "", forbidden(fmt.Sprintf("cases of life event %s need the purpose that serves it, or a role the policy grants case work for it", lifeevents.EnumName(event)))
	}
	if w.principal.IsCitizen() && (subject.Kind != store.SubjectPerson || subject.ID != w.principal.CitizenBSN) {
		return "", citizenRefusal()
	}
	return purpose, nil
}

// anyPurpose is the purpose a read about no life event is recorded under.
func (w *caseWorker) anyPurpose() (string, error) {
	ps := w.grant.Purposes()
	if len(ps) == 0 {
		return "", forbidden("a handover about no life event is read for a purpose; this token names none")
	}
	return ps[0], nil
}

// handoverAccess checks that the worker is on a side of the handover (the
// sending organisation and team, or the receiving partner's team; only
// the latter acknowledges), and names the purpose of reading it.
func (w *caseWorker) handoverAccess(h *store.Handover, acknowledge bool) (string, error) {
	team := w.grant.Team()
	receiver := team != "" && team == h.ToPartnerID
	sender := w.principal.Organisation == h.FromOrganisation && team == h.FromFrontOffice
	switch {
	case acknowledge && !receiver:
		return "", forbidden(fmt.Sprintf("only the team of %s, to whom the handover is addressed, acknowledges it", h.ToPartnerID))
	case !sender && !receiver:
		return "", forbidden("a handover is for the team that made it and the partner it is addressed to")
	case h.Context.LifeEventID != "":
		return w.caseWork(h.Context.LifeEventID, h.Subject)
	case w.principal.IsCitizen() && (h.Subject.Kind != store.SubjectPerson || h.Subject.ID != w.principal.CitizenBSN):
		return "", citizenRefusal()
	}
	return w.anyPurpose()
}

// scope is what the worker may see in lists of cases, handovers and
// parked notifications.
func (w *caseWorker) scope() *store.Scope {
	sc := &store.Scope{
		LifeEvents: w.grant.CaseEvents(), Organisation: w.principal.Organisation, Team: w.grant.Team(),
		WithoutLifeEvent: len(w.grant.Purposes()) > 0,
	}
	if w.principal.IsCitizen() {
		sc.Subject = &store.Subject{Kind: store.SubjectPerson, ID: w.principal.CitizenBSN}
	}
	return sc
}

func forbidden(msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": CodeForbidden}}
}

// discloseCaseData tells the request's audit recorder that data of a case
// or handover about subject reached the response, for purpose: the names
// of the fields of typeName selected below the current field, prefixed.
func (r *Resolver) discloseCaseData(ctx context.Context, subject store.Subject, purpose, resource, typeName, prefix string) error {
	rec, ok := audit.RecorderFrom(ctx)
	if !ok {
		return &gqlerror.Error{Message: "the audit log cannot record this disclosure; the data is withheld",
			Extensions: map[string]any{"code": audit.CodeAuditUnavailable}}
	}
	d := audit.Disclosure{Registry: caseRegistry, Endpoint: resource, Purpose: purpose}
	switch subject.Kind {
	case store.SubjectPerson:
		d.SubjectType, d.SubjectID = audit.SubjectBSN, subject.ID
	case store.SubjectCompany:
		d.SubjectType, d.SubjectID = audit.SubjectKvK, subject.ID
	}
	for _, f := range r.selectedFields(ctx, typeName) {
		d.Fields = append(d.Fields, prefix+f)
	}
	if len(d.Fields) == 0 {
		d.Fields = []string{prefix + "id"}
	}
	rec.Disclose(d)
	return nil
}

// selectedFields returns the names of the fields selected on objects of
// typeName anywhere below the current field, through connections, payloads
// and fragments on the interfaces typeName implements (node(id:) returns
// a Node), in selection order.
func (r *Resolver) selectedFields(ctx context.Context, typeName string) []string {
	oc, fc := graphql.GetOperationContext(ctx), graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Definition == nil {
		return nil
	}
	s := r.schema()
	var out []string
	seen := map[string]bool{}
	var walk func(ss ast.SelectionSet, typ string, depth int)
	walk = func(ss ast.SelectionSet, typ string, depth int) {
		satisfies := []string{typ}
		if def := s.Types[typ]; def != nil {
			satisfies = append(satisfies, def.Interfaces...)
		}
		for _, f := range graphql.CollectFields(oc, ss, satisfies) {
			switch {
			case strings.HasPrefix(f.Name, "__"):
				// __typename and introspection say nothing of the subject.
			case typ == typeName:
				if !seen[f.Name] {
					seen[f.Name] = true
					out = append(out, f.Name)
				}
			case depth < 3 && f.Definition != nil:
				walk(f.Selections, f.Definition.Type.Name(), depth+1)
			}
		}
	}
	start := fc.Field.Definition.Type.Name()
	if def := s.Types[start]; def != nil && (def.Kind == ast.Interface || def.Kind == ast.Union) {
		start = typeName // the object the abstract field returns
	}
	walk(fc.Field.Selections, start, 0)
	return out
}

// storedObjectID is the global id of a record the store names by its
// kind and key, as clients know it.
func storedObjectID(entity, key string) string {
	switch entity {
	case "case":
		return globalID(nodeCase, key)
	case "task":
		return globalID(nodeTask, key)
	case "handover":
		return globalID(nodeHandover, key)
	}
	return key
}

// caseError turns a case-service error into the error clients see: in the
// graph's words, with its ids, never the store's operations and keys.
func caseError(err error) error {
	code := cases.Code(err)
	if code == "" || code == cases.CodeStoreUnavailable {
		// The presenter answers these, logging the cause.
		return err
	}
	ext := map[string]any{"code": code}
	var ae *cases.ArgumentError
	if errors.As(err, &ae) {
		ext["argument"] = ae.Param
	}
	msg := store.Reason(err)
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		ext["expectedVersion"], ext["actualVersion"] = ce.Expected, ce.Actual
		msg = strings.ReplaceAll(msg, ce.ID, storedObjectID(ce.Entity, ce.ID))
	}
	var te *store.TransitionError
	if errors.As(err, &te) {
		msg = strings.ReplaceAll(msg, te.ID, storedObjectID(te.Entity, te.ID))
	}
	return &gqlerror.Error{Message: msg, Extensions: ext}
}

func parseID(argument, s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, badInput(argument, errors.New("an id is a UUID"))
	}
	return id, nil
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func (r *Resolver) caseModel(c *store.Case) *model.Case {
	role := c.Role
	if ev, ok := r.catalogue.cat.Event(c.LifeEventID); ok && role == "" {
		role = ev.AnchorRole().ID
	}
	return &model.Case{
		ID: globalID(nodeCase, c.ID.String()), Key: c.ID, LifeEvent: r.catalogue.byID[c.LifeEventID],
		SubjectKind: model.SubjectKind(c.Subject.Kind), SubjectID: c.Subject.ID, Channel: model.Channel(enumOf(c.Channel)),
		Status: model.CaseStatus(enumOf(string(c.Status))), CreatedBy: c.CreatedBy, CreatedAt: rfc3339(c.CreatedAt),
		UpdatedAt: rfc3339(c.UpdatedAt), Version: int(c.Version), Role: role,
	}
}

func (r *Resolver) taskModel(lifeEvent string, t *store.Task) *model.Task {
	return &model.Task{
		ID: globalID(nodeTask, t.ID.String()), Key: t.ID, Step: r.catalogue.steps[[2]string{lifeEvent, t.StepID}],
		Partner: r.catalogue.partner[t.PartnerID], Kind: model.TaskKind(enumOf(string(t.Kind))), Reason: str(t.Reason),
		Status: model.TaskStatus(enumOf(string(t.Status))), Note: str(t.Note), Version: int(t.Version),
		UpdatedAt: rfc3339(t.UpdatedAt),
	}
}

func (r *Resolver) handoverModel(h *store.Handover) *model.Handover {
	m := &model.Handover{
		ID: globalID(nodeHandover, h.ID.String()), Key: h.ID, SubjectKind: model.SubjectKind(h.Subject.Kind), SubjectID: h.Subject.ID,
		FromOrganisation: h.FromOrganisation, FromFrontOffice: str(h.FromFrontOffice), ToPartner: r.catalogue.partner[h.ToPartnerID],
		Reason: h.Reason, Step: str(h.Context.StepID), Notes: str(h.Context.Notes),
		Status: model.HandoverStatus(enumOf(string(h.Status))), AcknowledgedBy: str(h.AcknowledgedBy), Version: int(h.Version),
		CreatedAt: rfc3339(h.CreatedAt),
	}
	if h.CaseID != nil {
		m.CaseID = str(globalID(nodeCase, h.CaseID.String()))
	}
	if h.Context.LifeEventID != "" {
		k := model.LifeEventKind(lifeevents.EnumName(h.Context.LifeEventID))
		m.LifeEvent = &k
	}
	if h.Context.Channel != "" {
		c := model.Channel(enumOf(h.Context.Channel))
		m.Channel = &c
	}
	if h.AcknowledgedAt != nil {
		m.AcknowledgedAt = str(rfc3339(*h.AcknowledgedAt))
	}
	return m
}

func (r *Resolver) messageModel(m *store.OutboxMessage) *model.PartnerMessage {
	out := &model.PartnerMessage{
		ID: m.ID.String(), Partner: r.catalogue.partner[m.PartnerID], Status: model.MessageStatus(enumOf(string(m.Status))),
		Attempts: m.Attempts, LastError: str(m.LastError), NextAttemptAt: rfc3339(m.NextAttemptAt),
	}
	if m.CaseID != nil {
		out.CaseID = str(globalID(nodeCase, m.CaseID.String()))
	}
	return out
}

// subject checks a subject given by kind and id.
func subject(kind *model.SubjectKind, id *string) (*store.Subject, error) {
	if kind == nil && id == nil {
		return nil, nil
	}
	if kind == nil || id == nil {
		return nil, badInput("subjectId", errors.New("give both the subject's kind and id"))
	}
	return &store.Subject{Kind: store.SubjectKind(*kind), ID: *id}, nil
}

func channel(c model.Channel) string { return strings.ToLower(string(c)) }

func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (r *Resolver) startLifeEvent(ctx context.Context, in model.StartLifeEventInput) (*model.StartLifeEventPayload, error) {
	w, err := r.caseWorker(ctx)
	if err != nil {
		return nil, err
	}
	ev, ok := r.catalogue.cat.Event(eventID(in.Kind))
	if !ok {
		return nil, notInCatalogue(in.Kind)
	}
	s := store.Subject{Kind: store.SubjectKind(in.SubjectKind), ID: in.SubjectID}
	purpose, err := w.caseWork(ev.ID, s)
	if err != nil {
		return nil, err
	}
	req := cases.StartRequest{
		Event: ev.ID, Subject: s, Channel: channel(in.Channel), IdempotencyKey: in.IdempotencyKey, Principal: w.who(),
		Override: orEmpty(in.OverrideReason), Role: orEmpty(in.Role),
	}
	if err := r.cases.CheckStart(req); err != nil {
		return nil, caseError(err)
	}
	if req.Override == "" {
		if req.Steps, err = r.checkStart(ctx, ev, req.Role, s.ID); err != nil {
			return nil, err
		}
	}
	res, err := r.cases.StartLifeEvent(ctx, req)
	if err != nil {
		return nil, caseError(err)
	}
	if err := r.discloseCaseData(ctx, res.Case.Subject, purpose, casesResource, "Case", ""); err != nil {
		return nil, err
	}
	return &model.StartLifeEventPayload{Case: r.caseModel(&res.Case), Replayed: res.Replayed}, nil
}

// checkStart asks the registries, under the principal's own purposes,
// whether the subject of a new case exists and the event applies to it
// now, and returns its steps as they stand, which decide the tasks and
// notifications. For the anchor's role the event's trigger must hold; for
// a reported role (a declarant) the role's condition on the subject. When
// the registries cannot tell (data the principal may not see, a registry
// down), the error says so; an override reason starts the case anyway.
func (r *Resolver) checkStart(ctx context.Context, ev *lifeevents.Event, roleID, id string) ([]lifeevents.StepAssessment, error) {
	name := lifeevents.EnumName(ev.ID)
	role := ev.AnchorRole()
	if roleID != "" {
		role, _ = ev.Role(roleID) // the case service checked it exists
	}
	var paths []string
	if role.Anchor {
		paths = ev.AnchorPaths()
	} else if role.When != nil {
		paths = role.When.Paths
	}
	f, err := r.runNeeds(ctx, role.Holder, id, paths)
	if err != nil {
		return nil, err
	}
	if e, ok := f.ErrorOn(""); ok && e.Code == CodeNotFound {
		return nil, &gqlerror.Error{
			Message:    fmt.Sprintf("the registries know no %s with this identifier; give overrideReason to start the case anyway", strings.ToLower(string(role.Holder))),
			Extensions: map[string]any{"code": CodeNotFound, "argument": "subjectId"},
		}
	}
	// The facts that decide, and the first of them that did not resolve.
	decisive := paths
	if role.Anchor {
		decisive = ev.TriggerPaths()
	}
	for _, p := range decisive {
		if e, failed := f.ErrorOn(p); failed {
			return nil, cannotTell(name, p, e)
		}
	}
	if f.Value == nil {
		return nil, cannotTell(name, "", lifeevents.FactError{Code: CodeInternal})
	}
	now := r.now()
	if !role.Anchor {
		if role.When != nil {
			ok, _, err := role.When.Eval(f, now)
			if err != nil {
				return nil, err
			}
			if !ok {
				because := fmt.Sprintf("the %s of %s must meet %s", role.ID, name, role.When.Source)
				return nil, doesNotApply(name, because)
			}
		}
		return nil, nil
	}
	tr, err := ev.Happens(f, now)
	if err != nil {
		return nil, err
	}
	if tr.Applies == nil || !*tr.Applies {
		return nil, doesNotApply(name, tr.Because)
	}
	a, err := lifeevents.AssessEvent(ev, lifeevents.AssessInput{Facts: f, Now: now, Thresholds: r.thresholds, Health: r.healthNow()})
	if err != nil {
		return nil, err
	}
	return a.Steps, nil
}

func (r *Resolver) healthNow() []lifeevents.RegistryHealth {
	if r.health == nil {
		return nil
	}
	return r.health()
}

func cannotTell(event, path string, e lifeevents.FactError) error {
	what := "data it needs"
	if path != "" {
		what = path
	}
	code := e.Code
	if code == "" {
		code = CodeInternal
	}
	ext := map[string]any{"code": code}
	if e.Registry != "" {
		ext["registry"] = e.Registry
	}
	return &gqlerror.Error{
		Message:    fmt.Sprintf("cannot tell whether %s applies: %s (%s); try again, or give overrideReason to start the case anyway", event, what, code),
		Extensions: ext,
	}
}

func doesNotApply(event, because string) error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf("the registries do not show %s happening to this subject: %s; give overrideReason to start the case anyway", event, because),
		Extensions: map[string]any{"code": CodeEventDoesNotApply, "because": because},
	}
}

func (r *Resolver) handOver(ctx context.Context, in model.HandOverInput) (*model.HandOverPayload, error) {
	w, err := r.caseWorker(ctx)
	if err != nil {
		return nil, err
	}
	subj, err := subject(in.SubjectKind, in.SubjectID)
	if err != nil {
		return nil, err
	}
	req := cases.HandOverRequest{
		Subject: subj, ToPartner: in.ToPartner, Reason: in.Reason, IdempotencyKey: in.IdempotencyKey,
		Principal: w.who(), FromFrontOffice: w.grant.Team(),
	}
	if in.CaseID != nil {
		if req.CaseID, err = storeID("caseId", nodeCase, *in.CaseID); err != nil {
			return nil, err
		}
	}
	if in.LifeEvent != nil {
		req.Context.LifeEvent = eventID(*in.LifeEvent)
	}
	req.Context.Step, req.Context.Notes = orEmpty(in.Step), orEmpty(in.Notes)
	if in.Channel != nil {
		req.Context.Channel = channel(*in.Channel)
	}
	// The hand-over is about the case's subject and, unless it names one,
	// its life event: the principal must be able to work on that.
	event, about := req.Context.LifeEvent, subj
	if in.CaseID != nil {
		c, err := r.cases.Case(ctx, req.CaseID)
		if err != nil {
			return nil, caseError(err)
		}
		if _, err := w.caseWork(c.LifeEventID, c.Subject); err != nil {
			return nil, err
		}
		about = &c.Subject
		if event == "" {
			event = c.LifeEventID
		}
	}
	var purpose string
	switch {
	case event != "" && about != nil:
		purpose, err = w.caseWork(event, *about)
	case about != nil && w.principal.IsCitizen() && (about.Kind != store.SubjectPerson || about.ID != w.principal.CitizenBSN):
		err = citizenRefusal()
	default:
		purpose, err = w.anyPurpose()
	}
	if err != nil {
		return nil, err
	}
	h, replayed, err := r.cases.HandOver(ctx, req)
	if err != nil {
		return nil, caseError(err)
	}
	if err := r.discloseCaseData(ctx, h.Subject, purpose, handoversResource, "Handover", ""); err != nil {
		return nil, err
	}
	return &model.HandOverPayload{Handover: r.handoverModel(h), Replayed: replayed}, nil
}

// visibleCase loads a case the worker may work on, and the purpose.
func (r *Resolver) visibleCase(ctx context.Context, w *caseWorker, id uuid.UUID) (*store.Case, string, error) {
	c, err := r.cases.Case(ctx, id)
	if err != nil {
		return nil, "", caseError(err)
	}
	purpose, err := w.caseWork(c.LifeEventID, c.Subject)
	if err != nil {
		return nil, "", err
	}
	return c, purpose, nil
}

func (r *Resolver) updateTask(ctx context.Context, in model.UpdateTaskInput) (*model.UpdateTaskPayload, error) {
	w, err := r.caseWorker(ctx)
	if err != nil {
		return nil, err
	}
	id, err := storeID("id", nodeTask, in.ID)
	if err != nil {
		return nil, err
	}
	t, err := r.cases.Task(ctx, id)
	if err != nil {
		return nil, caseError(err)
	}
	c, purpose, err := r.visibleCase(ctx, w, t.CaseID)
	if err != nil {
		return nil, err
	}
	if in.Status == model.TaskStatusWithdrawn {
		return nil, badInput("status", errors.New("tasks are withdrawn by cancelling their case (cancelCase)"))
	}
	nt, replayed, err := r.cases.UpdateTask(ctx, id, int64(in.ExpectedVersion), store.TaskStatus(strings.ToLower(string(in.Status))),
		orEmpty(in.Note), orEmpty(in.IdempotencyKey), w.who())
	if err != nil {
		return nil, caseError(err)
	}
	if err := r.discloseCaseData(ctx, c.Subject, purpose, casesResource, "Task", "tasks."); err != nil {
		return nil, err
	}
	return &model.UpdateTaskPayload{Task: r.taskModel(c.LifeEventID, nt), Replayed: replayed}, nil
}

func (r *Resolver) cancelCase(ctx context.Context, id string, expectedVersion int, reason string) (*model.CancelCasePayload, error) {
	w, err := r.caseWorker(ctx)
	if err != nil {
		return nil, err
	}
	uid, err := storeID("id", nodeCase, id)
	if err != nil {
		return nil, err
	}
	c, purpose, err := r.visibleCase(ctx, w, uid)
	if err != nil {
		return nil, err
	}
	res, err := r.cases.CancelCase(ctx, uid, int64(expectedVersion), reason, w.who())
	if err != nil {
		return nil, caseError(err)
	}
	if err := r.discloseCaseData(ctx, c.Subject, purpose, casesResource, "Case", ""); err != nil {
		return nil, err
	}
	out := &model.CancelCasePayload{Case: r.caseModel(&res.Case), TasksWithdrawn: len(res.Withdrawn), Replayed: res.Replayed,
		PartnersTold: []*model.ChainPartner{}}
	for _, p := range res.Told {
		if cp := r.catalogue.partner[p]; cp != nil {
			out.PartnersTold = append(out.PartnersTold, cp)
		}
	}
	return out, nil
}

// caseByID answers the case query.
func (r *Resolver) caseByID(ctx context.Context, id string) (*model.Case, error) {
	w, err := r.caseWorker(ctx)
	if err != nil {
		return nil, err
	}
	uid, err := storeID("id", nodeCase, id)
	if err != nil {
		return nil, err
	}
	c, purpose, err := r.visibleCase(ctx, w, uid)
	if err != nil {
		return nil, err
	}
	if err := r.discloseCaseData(ctx, c.Subject, purpose, casesResource, "Case", ""); err != nil {
		return nil, err
	}
	return r.caseModel(c), nil
}

func (r *Resolver) casesPage(ctx context.Context, kind *model.SubjectKind, id *string, status *model.CaseStatus, event *model.LifeEventKind, p store.Page) (*model.CaseConnection, error) {
	w, err := r.caseWorker(ctx)
	if err != nil {
		return nil, err
	}
	subj, err := subject(kind, id)
	if err != nil {
		return nil, err
	}
	q := cases.CaseQuery{Subject: subj, Scope: w.scope()}
	if status != nil {
		q.Status = store.CaseStatus(strings.ToLower(string(*status)))
	}
	if event != nil {
		q.LifeEvent = eventID(*event)
	}
	conn, err := r.cases.Cases(ctx, q, p)
	if err != nil {
		return nil, caseError(err)
	}
	out := &model.CaseConnection{Edges: []*model.CaseEdge{}, PageInfo: pageInfo(conn.PageInfo), TotalCount: conn.TotalCount}
	for i := range conn.Edges {
		c := &conn.Edges[i].Node
		purpose, err := w.caseWork(c.LifeEventID, c.Subject)
		if err != nil {
			return nil, err // the scope keeps such a case out; never disclose it
		}
		if err := r.discloseCaseData(ctx, c.Subject, purpose, casesResource, "Case", ""); err != nil {
			return nil, err
		}
		out.Edges = append(out.Edges, &model.CaseEdge{Cursor: conn.Edges[i].Cursor, Node: r.caseModel(c)})
	}
	return out, nil
}

// handovers pages the handovers of q the worker may see, recording each
// as a disclosure.
func (r *Resolver) handovers(ctx context.Context, w *caseWorker, q cases.HandoverQuery, p store.Page) (*model.HandoverConnection, error) {
	q.Scope = w.scope()
	conn, err := r.cases.Handovers(ctx, q, p)
	if err != nil {
		return nil, caseError(err)
	}
	out := &model.HandoverConnection{Edges: []*model.HandoverEdge{}, PageInfo: pageInfo(conn.PageInfo), TotalCount: conn.TotalCount}
	for _, e := range conn.Edges {
		purpose, err := w.handoverAccess(&e.Node, false)
		if err != nil {
			return nil, err // the scope keeps such a handover out; never disclose it
		}
		if err := r.discloseCaseData(ctx, e.Node.Subject, purpose, handoversResource, "Handover", ""); err != nil {
			return nil, err
		}
		out.Edges = append(out.Edges, &model.HandoverEdge{Cursor: e.Cursor, Node: r.handoverModel(&e.Node)})
	}
	return out, nil
}

// handoverRead answers the handover query: a handover the worker may see,
// recorded as read.
func (r *Resolver) handoverRead(ctx context.Context, id string) (*model.Handover, error) {
	_, h, purpose, err := r.handoverByID(ctx, id, false)
	if err != nil {
		return nil, err
	}
	if err := r.discloseCaseData(ctx, h.Subject, purpose, handoversResource, "Handover", ""); err != nil {
		return nil, err
	}
	return r.handoverModel(h), nil
}

// taskByID answers node(id:) for a task: it is read as its case is, for
// the case's purpose, and recorded as a read of the case's tasks.
func (r *Resolver) taskByID(ctx context.Context, id string) (*model.Task, error) {
	w, err := r.caseWorker(ctx)
	if err != nil {
		return nil, err
	}
	uid, err := storeID("id", nodeTask, id)
	if err != nil {
		return nil, err
	}
	t, err := r.cases.Task(ctx, uid)
	if err != nil {
		return nil, caseError(err)
	}
	c, purpose, err := r.visibleCase(ctx, w, t.CaseID)
	if err != nil {
		return nil, err
	}
	if err := r.discloseCaseData(ctx, c.Subject, purpose, casesResource, "Task", "tasks."); err != nil {
		return nil, err
	}
	return r.taskModel(c.LifeEventID, t), nil
}

// handoverByID loads a handover the worker may see, or acknowledge, and
// records the read.
func (r *Resolver) handoverByID(ctx context.Context, id string, acknowledge bool) (*caseWorker, *store.Handover, string, error) {
	w, err := r.caseWorker(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	uid, err := storeID("id", nodeHandover, id)
	if err != nil {
		return nil, nil, "", err
	}
	h, err := r.cases.Handover(ctx, uid)
	if err != nil {
		return nil, nil, "", caseError(err)
	}
	purpose, err := w.handoverAccess(h, acknowledge)
	if err != nil {
		return nil, nil, "", err
	}
	return w, h, purpose, nil
}

// messageVisible checks that the worker may see the case or handover a
// notification belongs to.
func (r *Resolver) messageVisible(ctx context.Context, w *caseWorker, m *store.OutboxMessage) error {
	if m.CaseID != nil {
		if _, _, err := r.visibleCase(ctx, w, *m.CaseID); err != nil {
			return err
		}
	}
	if m.HandoverID != nil {
		h, err := r.cases.Handover(ctx, *m.HandoverID)
		if err != nil {
			return caseError(err)
		}
		if _, err := w.handoverAccess(h, false); err != nil {
			return err
		}
	}
	return nil
}

func timelineConnection(conn *store.TimelineConnection) *model.TimelineEventConnection {
	out := &model.TimelineEventConnection{Edges: []*model.TimelineEventEdge{}, PageInfo: pageInfo(conn.PageInfo), TotalCount: conn.TotalCount}
	for _, e := range conn.Edges {
		var data any
		if len(e.Node.Data) > 0 {
			_ = json.Unmarshal(e.Node.Data, &data) // the store keeps it as a JSON object
		}
		out.Edges = append(out.Edges, &model.TimelineEventEdge{Cursor: e.Cursor, Node: &model.TimelineEvent{
			At: rfc3339(e.Node.At), Kind: model.TimelineEventKind(enumOf(string(e.Node.Kind))), Actor: e.Node.Actor,
			Summary: e.Node.Summary, Data: data,
		}})
	}
	return out
}

func (r *Resolver) messageConnection(conn *store.MessageConnection) *model.PartnerMessageConnection {
	out := &model.PartnerMessageConnection{Edges: []*model.PartnerMessageEdge{}, PageInfo: pageInfo(conn.PageInfo), TotalCount: conn.TotalCount}
	for i := range conn.Edges {
		out.Edges = append(out.Edges, &model.PartnerMessageEdge{Cursor: conn.Edges[i].Cursor, Node: r.messageModel(&conn.Edges[i].Node)})
	}
	return out
}
