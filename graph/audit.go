package graph

import (
	"context"
	"errors"
	"strconv"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/internal/ident"
	"github.com/poort-nl/poort/store"
)

// auditLog answers the auditor: the records about one data subject.
func (r *Resolver) auditRecords(ctx context.Context, typ *model.DataSubjectType, id string, page store.Page) (*model.AuditRecordConnection, error) {
	if err := r.mayReadAuditLog(ctx); err != nil {
		return nil, err
	}
	subject := store.DataSubject{Type: store.DataSubjectBSN, ID: id}
	if typ != nil && *typ == model.DataSubjectTypeKVK {
		if _, err := ident.ParseKvKNumber(id); err != nil {
			return nil, badInput("subjectId", err)
		}
		subject.Type = store.DataSubjectKvK
	} else if _, err := ident.ParseBSN(id); err != nil {
		return nil, badInput("subjectId", err)
	}
	conn, err := r.auditLog.ListAudit(ctx, subject, page)
	if errors.Is(err, store.ErrInvalidArgument) {
		return nil, badInput("after", err)
	}
	if err != nil {
		return nil, err
	}
	out := &model.AuditRecordConnection{Edges: []*model.AuditRecordEdge{}, TotalCount: conn.TotalCount, PageInfo: pageInfo(conn.PageInfo)}
	for _, e := range conn.Edges {
		out.Edges = append(out.Edges, &model.AuditRecordEdge{Cursor: e.Cursor, Node: auditRecordModel(&e.Node)})
	}
	return out, nil
}

// auditRecord answers node(id:) for an audit record: for the auditor only,
// as the audit log is.
func (r *Resolver) auditRecord(ctx context.Context, seq int64) (*model.AuditRecord, error) {
	if err := r.mayReadAuditLog(ctx); err != nil {
		return nil, err
	}
	e, err := r.auditLog.AuditEntry(ctx, seq)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &gqlerror.Error{Message: "no audit record has this id", Extensions: map[string]any{"code": CodeNotFound}}
	}
	if err != nil {
		return nil, err
	}
	return auditRecordModel(e), nil
}

func (r *Resolver) mayReadAuditLog(ctx context.Context) error {
	p, _ := auth.From(ctx)
	if r.policy == nil || r.auditLog == nil || !r.policy.MayReadAuditLog(p) {
		return &gqlerror.Error{Message: "the audit log is for the auditor role only", Extensions: map[string]any{"code": CodeForbidden}}
	}
	return nil
}

func auditRecordModel(n *store.AuditEntry) *model.AuditRecord {
	return &model.AuditRecord{
		ID: globalID(nodeAuditRecord, strconv.FormatInt(n.Seq, 10)), Sequence: int(n.Seq), TraceID: n.TraceID, SpanID: n.SpanID,
		ParentSpanID: str(n.ParentSpanID), Name: n.Name, Status: auditStatus(n.Status), StartTime: rfc3339(n.StartTime),
		EndTime: rfc3339(n.EndTime), ProcessingActivity: n.ProcessingActivityID, Registry: n.Registry, Fields: nonNil(n.Fields),
		Purpose: n.Purpose, Hash: n.Hash,
		Principal: &model.AuditPrincipal{Subject: n.Principal.Subject, Organisation: n.Principal.OrganisationOIN, Role: n.Principal.Role},
	}
}

func pageInfo(p store.PageInfo) *model.PageInfo {
	return &model.PageInfo{HasNextPage: p.HasNextPage, HasPreviousPage: p.HasPreviousPage, StartCursor: str(p.StartCursor), EndCursor: str(p.EndCursor)}
}

// page checks Relay paging arguments.
func page(first *int, after *string, last *int, before *string) (store.Page, error) {
	var p store.Page
	for name, n := range map[string]*int{"first": first, "last": last} {
		if n != nil && (*n < 0 || *n > 100) {
			return p, badInput(name, errors.New("a page holds 0 to 100 items"))
		}
	}
	p.First, p.Last = first, last
	if after != nil {
		p.After = *after
	}
	if before != nil {
		p.Before = *before
	}
	return p, nil
}

// auditStatus names a record's status as the Logboek Dataverwerkingen does.
func auditStatus(s store.AuditStatus) model.AuditStatus {
	switch s {
	case store.AuditStatusOK:
		return model.AuditStatusOk
	case store.AuditStatusError:
		return model.AuditStatusError
	}
	return model.AuditStatusUnset
}
