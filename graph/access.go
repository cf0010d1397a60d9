package graph

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/internal/lineage"
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
	// refusedAt are selections refused where they stand: a structure
	// allowed only in parts, selected without any part the principal may
	// see.
	refusedAt map[*ast.Field]policy.Decision
	citizen   *citizenScope
}

// refuses reports whether the principal may not see typ.field, as the
// planner found; what it refuses is never fetched.
func (a *access) refuses(typ, field string) bool {
	_, ok := a.forbidden[[2]string{typ, field}]
	return ok
}

// decide decides a field for the planner and notes a refusal.
func (a *access) decide(typ, field string) policy.Decision {
	if a.grant == nil {
		return policy.Decision{Allowed: true}
	}
	d := a.grant.Decide(typ, field)
	if !d.Allowed {
		a.forbidden[[2]string{typ, field}] = d
	}
	return d
}

// refuseAt refuses one selection of a field.
func (a *access) refuseAt(f *ast.Field, d policy.Decision) {
	d.Allowed, d.Partly = false, false
	a.refusedAt[f] = d
}

// planAccess compiles the principal's grant into what the planner consults
// to leave forbidden fields out of every registry request.
func (r *Resolver) planAccess(ctx context.Context) *access {
	p, _ := auth.From(ctx)
	a := &access{principal: p, forbidden: map[[2]string]policy.Decision{}, refusedAt: map[*ast.Field]policy.Decision{}}
	if outer, ok := ctx.Value(requestKey{}).(*request); ok {
		// A nested operation (a life-event picture) runs for the same
		// principal in the same request: the citizen's scope, learnt from
		// the BRP, is learnt once.
		a.citizen = outer.access.citizen
	} else if p.IsCitizen() {
		a.citizen = &citizenScope{self: p.CitizenBSN}
	}
	if r.policy != nil {
		a.grant = r.policy.For(p)
	}
	return a
}

// AroundFields refuses forbidden fields before they resolve, records what
// each resolved field disclosed, and tells the operation's loaders which
// resolvers run (fieldWork); install it with handler.Server.AroundFields.
func (r *Resolver) AroundFields(ctx context.Context, next graphql.Resolver) (res any, err error) {
	rq, ok := ctx.Value(requestKey{}).(*request)
	if !ok {
		return next(ctx)
	}
	fc := graphql.GetFieldContext(ctx)
	rq.work.start(fc)
	// Deferred, so that a panicking resolver ends too.
	defer func() { rq.work.end(ctx, fc, res, err) }()
	return r.guardField(ctx, rq, fc, next)
}

// guardField refuses a field the principal may not see and records what
// the field discloses.
func (r *Resolver) guardField(ctx context.Context, rq *request, fc *graphql.FieldContext, next graphql.Resolver) (any, error) {
	if len(rq.access.forbidden) > 0 {
		if d, ok := rq.access.forbidden[[2]string{fc.Object, fc.Field.Name}]; ok {
			return nil, forbiddenField(fc.Object, fc.Field.Name, d, rq.access.grant)
		}
	}
	if d, ok := rq.access.refusedAt[fc.Field.Field]; ok {
		return nil, forbiddenField(fc.Object, fc.Field.Name, d, rq.access.grant)
	}
	if err := r.citizenMaySee(ctx, rq.access, fc); err != nil {
		return nil, err
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

// citizenMaySee refuses a citizen registry data of an object about another
// person: a company's functionary, say, whose role the company lists.
// Persons themselves are checked as they are loaded.
func (r *Resolver) citizenMaySee(ctx context.Context, a *access, fc *graphql.FieldContext) error {
	if a.citizen == nil {
		return nil
	}
	if _, ok := r.lineage.Lookup(fc.Object, fc.Field.Name); !ok {
		return nil
	}
	about, ok := objectOf(fc)
	if !ok {
		return nil
	}
	kind, bsn, _ := about.DataSubject()
	if kind != model.DataSubjectTypeBsn {
		return nil
	}
	if ok, err := r.mayDisclosePerson(ctx, bsn); err != nil || !ok {
		return refusal(err)
	}
	return nil
}

// isEntities reports whether the field is federation's _entities, which
// looks records up by the keys a gateway sends.
func isEntities(fc *graphql.FieldContext) bool {
	return fc.Object == "Query" && fc.Field.Name == "_entities"
}

// mayLookUp refuses to look up an entity of the type, before any registry
// is asked, when the principal may not see its key: the rule of the root
// fields that look records up, which declare their key's source, applied
// to each representation _entities resolves.
func (r *Resolver) mayLookUp(ctx context.Context, typ string) error {
	a := r.req(ctx).access
	key, ok := r.lineage.KeyOf(typ)
	if a.grant == nil || !ok {
		return nil
	}
	if d := a.grant.Decide(key.Type, key.Field); !d.Allowed {
		return forbiddenField(key.Type, key.Field, d, a.grant)
	}
	return nil
}

// disclose tells the request's audit recorder what a resolved field put in
// the response, and about whom. The subject is taken from the object the
// field belongs to, which knows it from the moment it was built: a child's
// name is about the child, whatever path led to it. A field of an object
// about no one (the query root, an address) that leads to persons or
// companies discloses its source about each of them: the persons a root
// field looks up, the residents of an address. Every entity _entities
// returns discloses its key.
func (r *Resolver) disclose(ctx context.Context, fc *graphql.FieldContext, res any) error {
	if isNil(res) {
		return nil
	}
	var ds []audit.Disclosure
	add := func(s model.SubjectHolder, f lineage.Field) {
		if kind, id, ok := s.DataSubject(); ok {
			ds = append(ds, audit.Disclosure{
				SubjectType: auditSubjectType(kind), SubjectID: id,
				Registry: f.Registry, Endpoint: f.Endpoint, Fields: f.Paths(),
			})
		}
	}
	if isEntities(fc) {
		for _, e := range holdersIn(res) {
			if key, ok := r.lineage.KeyOf(typeName(e)); ok {
				add(e, key)
			}
		}
	} else if f, ok := r.lineage.Lookup(fc.Object, fc.Field.Name); ok {
		if about, ok := objectOf(fc); ok {
			add(about, f)
		} else {
			for _, s := range holdersIn(res) {
				add(s, f)
			}
		}
	}
	if len(ds) == 0 {
		return nil
	}
	rec, ok := audit.RecorderFrom(ctx)
	if !ok {
		// Without a recorder the disclosure could not be accounted for.
		return &gqlerror.Error{Message: "the audit log cannot record this disclosure; the data is withheld",
			Extensions: map[string]any{"code": audit.CodeAuditUnavailable}}
	}
	for _, d := range ds {
		rec.Disclose(d)
	}
	return nil
}

// objectOf returns the object the field belongs to when it is about a
// data subject: the value its parent field resolved to, or the element of
// a list that parent holds. A root field belongs to no object.
func objectOf(fc *graphql.FieldContext) (model.SubjectHolder, bool) {
	if fc.Parent == nil || fc.Object == "Query" || fc.Object == "Mutation" {
		return nil, false
	}
	h, ok := holder(fc.Parent.Result)
	if !ok {
		return nil, false
	}
	_, _, about := h.DataSubject()
	return h, about
}

// holder finds the subject holder in a value: the object itself, or behind
// the pointers and interfaces gqlgen wraps list elements and entities in.
func holder(v any) (model.SubjectHolder, bool) {
	for !isNil(v) {
		if h, ok := v.(model.SubjectHolder); ok {
			return h, true
		}
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Pointer && rv.Kind() != reflect.Interface {
			return nil, false
		}
		v = rv.Elem().Interface()
	}
	return nil, false
}

// holdersIn returns the subject holders a resolved value holds: the value
// itself, or the elements of a list.
func holdersIn(v any) []model.SubjectHolder {
	if h, ok := holder(v); ok {
		return []model.SubjectHolder{h}
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return nil
	}
	var out []model.SubjectHolder
	for i := range rv.Len() {
		if h, ok := holder(rv.Index(i).Interface()); ok {
			out = append(out, h)
		}
	}
	return out
}

// typeName names the GraphQL type of an entity.
func typeName(v model.SubjectHolder) string {
	switch v.(type) {
	case *model.Person:
		return "Person"
	case *model.Company:
		return "Company"
	}
	return ""
}

func auditSubjectType(k model.DataSubjectType) store.DataSubjectType {
	if k == model.DataSubjectTypeKVK {
		return audit.SubjectKvK
	}
	return audit.SubjectBSN
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
		ps, err := r.personsByBSN(ctx, []string{c.self}, []string{"kinderen.burgerservicenummer", "kinderen.geboorte.datum"})
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
