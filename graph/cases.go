package graph

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/store"
)

// This file maps cases and handovers between the case service and the
// graph, and decides who may work on them.

// caseWorker returns the principal in the case service's terms, refusing
// principals without a purpose in force (an auditor, an unknown role) and
// citizens acting for someone else.
func (r *Resolver) caseWorker(ctx context.Context, subject *store.Subject) (cases.Principal, error) {
	if r.cases == nil {
		return cases.Principal{}, errors.New("the case service is not configured")
	}
	p, _ := auth.From(ctx)
	if g := r.req(ctx).access.grant; g != nil && (g.Err() != nil || len(g.Purposes()) == 0) {
		return cases.Principal{}, &gqlerror.Error{Message: "cases are for principals acting for a purpose; this token has none",
			Extensions: map[string]any{"code": CodeForbidden}}
	}
	if p.IsCitizen() && (subject == nil || subject.Kind != store.SubjectPerson || subject.ID != p.CitizenBSN) {
		return cases.Principal{}, citizenRefusal()
	}
	return cases.Principal{ID: p.Subject, Organisation: p.Organisation}, nil
}

// caseError turns a case-service error into the error clients see.
func caseError(err error) error {
	code := cases.Code(err)
	if code == "" {
		return err
	}
	ext := map[string]any{"code": code}
	var ae *cases.ArgumentError
	if errors.As(err, &ae) {
		ext["argument"] = ae.Param
	}
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		ext["expectedVersion"], ext["actualVersion"] = ce.Expected, ce.Actual
	}
	return &gqlerror.Error{Message: err.Error(), Extensions: ext}
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
	return &model.Case{
		ID: c.ID.String(), LifeEvent: r.catalogue.byID[c.LifeEventID], SubjectKind: model.SubjectKind(c.Subject.Kind),
		SubjectID: c.Subject.ID, Channel: c.Channel, Status: model.CaseStatus(strings.ToUpper(string(c.Status))),
		CreatedBy: c.CreatedBy, CreatedAt: rfc3339(c.CreatedAt), UpdatedAt: rfc3339(c.UpdatedAt), Version: int(c.Version),
	}
}

func (r *Resolver) taskModel(lifeEvent string, t *store.Task) *model.Task {
	return &model.Task{
		ID: t.ID.String(), Step: r.catalogue.steps[[2]string{lifeEvent, t.StepID}], Partner: r.catalogue.partner[t.PartnerID],
		Kind: model.TaskKind(strings.ToUpper(string(t.Kind))), Reason: str(t.Reason),
		Status: model.TaskStatus(strings.ToUpper(string(t.Status))), Note: str(t.Note), Version: int(t.Version),
		UpdatedAt: rfc3339(t.UpdatedAt),
	}
}

func (r *Resolver) handoverModel(h *store.Handover) *model.Handover {
	m := &model.Handover{
		ID: h.ID.String(), SubjectKind: model.SubjectKind(h.Subject.Kind), SubjectID: h.Subject.ID,
		FromOrganisation: h.FromOrganisation, FromFrontOffice: str(h.FromFrontOffice), ToPartner: r.catalogue.partner[h.ToPartnerID],
		Reason: h.Reason, LifeEvent: str(h.Context.LifeEventID), Step: str(h.Context.StepID), Notes: str(h.Context.Notes),
		Channel: str(h.Context.Channel), Status: model.HandoverStatus(strings.ToUpper(string(h.Status))),
		AcknowledgedBy: str(h.AcknowledgedBy), Version: int(h.Version), CreatedAt: rfc3339(h.CreatedAt),
	}
	if h.CaseID != nil {
		m.CaseID = str(h.CaseID.String())
	}
	if h.AcknowledgedAt != nil {
		m.AcknowledgedAt = str(rfc3339(*h.AcknowledgedAt))
	}
	return m
}

func (r *Resolver) messageModel(m *store.OutboxMessage) *model.PartnerMessage {
	out := &model.PartnerMessage{
		ID: m.ID.String(), Partner: r.catalogue.partner[m.PartnerID], Status: model.MessageStatus(strings.ToUpper(string(m.Status))),
		Attempts: m.Attempts, LastError: str(m.LastError), NextAttemptAt: rfc3339(m.NextAttemptAt),
	}
	if m.CaseID != nil {
		out.CaseID = str(m.CaseID.String())
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

func (r *Resolver) startLifeEvent(ctx context.Context, in model.StartLifeEventInput) (*model.StartLifeEventPayload, error) {
	s := store.Subject{Kind: store.SubjectKind(in.SubjectKind), ID: in.SubjectID}
	who, err := r.caseWorker(ctx, &s)
	if err != nil {
		return nil, err
	}
	res, err := r.cases.StartLifeEvent(ctx, cases.StartRequest{
		Event: eventID(in.Kind), Subject: s, Channel: channel(in.Channel), IdempotencyKey: in.IdempotencyKey, Principal: who,
	})
	if err != nil {
		return nil, caseError(err)
	}
	return &model.StartLifeEventPayload{Case: r.caseModel(&res.Case), Replayed: res.Replayed}, nil
}

func (r *Resolver) handOver(ctx context.Context, in model.HandOverInput) (*model.HandOverPayload, error) {
	subj, err := subject(in.SubjectKind, in.SubjectID)
	if err != nil {
		return nil, err
	}
	req := cases.HandOverRequest{Subject: subj, ToPartner: in.ToPartner, Reason: in.Reason, IdempotencyKey: in.IdempotencyKey}
	if in.CaseID != nil {
		if req.CaseID, err = parseID("caseId", *in.CaseID); err != nil {
			return nil, err
		}
	}
	if in.LifeEvent != nil {
		req.Context.LifeEvent = eventID(*in.LifeEvent)
	}
	if in.Step != nil {
		req.Context.Step = *in.Step
	}
	if in.Notes != nil {
		req.Context.Notes = *in.Notes
	}
	if in.Channel != nil {
		req.Context.Channel = channel(*in.Channel)
	}
	check := subj
	if check == nil && in.CaseID != nil {
		c, err := r.cases.Case(ctx, req.CaseID)
		if err != nil {
			return nil, caseError(err)
		}
		check = &c.Subject
	}
	if req.Principal, err = r.caseWorker(ctx, check); err != nil {
		return nil, err
	}
	h, replayed, err := r.cases.HandOver(ctx, req)
	if err != nil {
		return nil, caseError(err)
	}
	return &model.HandOverPayload{Handover: r.handoverModel(h), Replayed: replayed}, nil
}

func (r *Resolver) updateTask(ctx context.Context, in model.UpdateTaskInput) (*model.UpdateTaskPayload, error) {
	id, err := parseID("id", in.ID)
	if err != nil {
		return nil, err
	}
	t, err := r.cases.Task(ctx, id)
	if err != nil {
		return nil, caseError(err)
	}
	c, err := r.cases.Case(ctx, t.CaseID)
	if err != nil {
		return nil, caseError(err)
	}
	who, err := r.caseWorker(ctx, &c.Subject)
	if err != nil {
		return nil, err
	}
	var note, key string
	if in.Note != nil {
		note = *in.Note
	}
	if in.IdempotencyKey != nil {
		key = *in.IdempotencyKey
	}
	nt, replayed, err := r.cases.UpdateTask(ctx, id, int64(in.ExpectedVersion), store.TaskStatus(strings.ToLower(string(in.Status))), note, key, who)
	if err != nil {
		return nil, caseError(err)
	}
	return &model.UpdateTaskPayload{Task: r.taskModel(c.LifeEventID, nt), Replayed: replayed}, nil
}

// caseVisible loads a case and checks the principal may see it.
func (r *Resolver) caseVisible(ctx context.Context, idArg, id string) (*store.Case, error) {
	uid, err := parseID(idArg, id)
	if err != nil {
		return nil, err
	}
	c, err := r.cases.Case(ctx, uid)
	if err != nil {
		return nil, caseError(err)
	}
	if _, err := r.caseWorker(ctx, &c.Subject); err != nil {
		return nil, err
	}
	return c, nil
}

func (r *Resolver) casesPage(ctx context.Context, kind *model.SubjectKind, id *string, status *model.CaseStatus, event *model.LifeEventKind, p store.Page) (*model.CaseConnection, error) {
	subj, err := subject(kind, id)
	if err != nil {
		return nil, err
	}
	if _, err := r.caseWorker(ctx, subj); err != nil {
		return nil, err
	}
	q := cases.CaseQuery{Subject: subj}
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
		out.Edges = append(out.Edges, &model.CaseEdge{Cursor: conn.Edges[i].Cursor, Node: r.caseModel(&conn.Edges[i].Node)})
	}
	return out, nil
}

func limit(first *int) (int, error) {
	n := 50
	if first != nil {
		n = *first
	}
	if n < 1 || n > 100 {
		return 0, badInput("first", errors.New("first is 1 to 100"))
	}
	return n, nil
}
