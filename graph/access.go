package graph

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/policy"
	"github.com/poort-nl/poort/store"
)

// This file applies who may see what: purpose binding per field, the
// citizen's view of their own data, and the audit record of every
// disclosure of personal data.

// access is what the operation's principal may see.
type access struct {
	principal auth.Principal
	grant     *policy.Grant
	// forbidden are the fields of this operation the principal may not see,
	// found while planning, so resolving them costs one map lookup.
	forbidden map[[2]string]policy.Decision
	citizen   *citizenScope
}

// planAccess compiles the principal's grant and returns the filter the
// planner uses to leave forbidden fields out of every registry request.
func (r *Resolver) planAccess(ctx context.Context) (*access, func(typ, field string) bool) {
	p, _ := auth.From(ctx)
	a := &access{principal: p, forbidden: map[[2]string]policy.Decision{}}
	if outer, ok := ctx.Value(requestKey{}).(*request); ok {
		// A nested operation (a life-event picture) runs for the same
		// principal in the same request: the citizen's scope, learnt from
		// the BRP, is learnt once.
		a.citizen = outer.access.citizen
	} else if p.IsCitizen() {
		a.citizen = &citizenScope{self: p.CitizenBSN}
	}
	if r.policy == nil {
		return a, nil
	}
	a.grant = r.policy.For(p)
	return a, func(typ, field string) bool {
		d := a.grant.Decide(typ, field)
		if !d.Allowed {
			a.forbidden[[2]string{typ, field}] = d
		}
		return d.Allowed
	}
}

// AroundFields refuses forbidden fields before they resolve and records
// what each resolved field disclosed; install it with
// handler.Server.AroundFields.
func (r *Resolver) AroundFields(ctx context.Context, next graphql.Resolver) (any, error) {
	rq, ok := ctx.Value(requestKey{}).(*request)
	if !ok {
		return next(ctx)
	}
	fc := graphql.GetFieldContext(ctx)
	if len(rq.access.forbidden) > 0 {
		if d, ok := rq.access.forbidden[[2]string{fc.Object, fc.Field.Name}]; ok {
			return nil, forbiddenField(fc.Object, fc.Field.Name, d, rq.access.grant)
		}
	}
	res, err := next(ctx)
	if err != nil || r.policy == nil {
		return res, err
	}
	if err := r.disclose(ctx, fc, res); err != nil {
		return nil, err
	}
	return res, nil
}

func forbiddenField(typ, field string, d policy.Decision, g *policy.Grant) *gqlerror.Error {
	msg := d.Message(typ, field)
	if g != nil && g.Err() != nil {
		msg += ": " + g.Err().Error()
	}
	ext := map[string]any{"code": CodeForbidden, "field": typ + "." + field}
	if d.MissingPurpose != "" {
		ext["missingPurpose"] = d.MissingPurpose
	}
	return &gqlerror.Error{Message: msg, Extensions: ext}
}

// disclose tells the request's audit recorder that a registry-backed field
// of a person or company reached the response.
func (r *Resolver) disclose(ctx context.Context, fc *graphql.FieldContext, res any) error {
	src, ok := r.lineage.Lookup(fc.Object, fc.Field.Name)
	if !ok || isNil(res) {
		return nil
	}
	typ, id := subjectOf(fc)
	if id == "" {
		return nil // not about a person or a company
	}
	rec, ok := audit.RecorderFrom(ctx)
	if !ok {
		// Without a recorder the disclosure could not be accounted for.
		return &gqlerror.Error{Message: "the audit log cannot record this disclosure; the data is withheld",
			Extensions: map[string]any{"code": audit.CodeAuditUnavailable}}
	}
	rec.Disclose(audit.Disclosure{SubjectType: typ, SubjectID: id, Registry: src.Registry, Endpoint: src.Endpoint, Fields: src.Paths()})
	return nil
}

// subjectOf finds the person or company a field is about, walking up from
// the field to the nearest one.
func subjectOf(fc *graphql.FieldContext) (store.DataSubjectType, string) {
	for c := fc.Parent; c != nil; c = c.Parent {
		switch v := c.Result.(type) {
		case *model.Person:
			return audit.SubjectBSN, v.BSN
		case *model.Company:
			return audit.SubjectKvK, v.KvKNumber
		}
	}
	return "", ""
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// citizenScope is what a citizen may see: their own record and those of
// their minor children, learnt from the BRP once per request.
type citizenScope struct {
	self     string
	once     sync.Once
	children map[string]bool
	err      error
}

func (r *Resolver) mayDisclosePerson(ctx context.Context, bsn string) (bool, error) {
	rq := r.req(ctx)
	c := rq.access.citizen
	if c == nil || bsn == c.self {
		return true, nil
	}
	c.once.Do(func() {
		c.children = map[string]bool{}
		ps, err := r.reg.BRP.PersonsByBSN(ctx, []string{c.self}, []string{"kinderen.burgerservicenummer", "kinderen.geboorte.datum"})
		if err != nil {
			c.err = err
			return
		}
		today := r.now()
		for _, k := range ps[c.self].Children {
			if k.BSN != "" && minor(k.Birth, today) {
				c.children[k.BSN] = true
			}
		}
	})
	if c.err != nil {
		return false, c.err
	}
	rel := policy.RelationNone
	if c.children[bsn] {
		rel = policy.RelationMinorChild
	}
	return policy.CitizenMay(rq.access.principal, bsn, rel), nil
}

// minor reports whether someone born on b is under 18 today; an unknown
// birth date does not make a minor.
func minor(b *brp.Birth, today time.Time) bool {
	if b == nil || b.Date == nil || b.Date.Date == "" {
		return false
	}
	born, err := time.Parse(time.DateOnly, b.Date.Date)
	return err == nil && today.Before(born.AddDate(18, 0, 0))
}

var errCitizen = errors.New("a citizen sees only their own data and that of their minor children")

func citizenRefusal() *gqlerror.Error {
	return &gqlerror.Error{Message: errCitizen.Error(), Extensions: map[string]any{"code": CodeForbidden}}
}
