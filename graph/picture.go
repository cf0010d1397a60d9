package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/lifeevents"
)

// This file resolves life-event pictures: the data every step of an event
// needs, fetched live for one subject, and each step's status.
//
// The needs are paths of graph fields, so they are resolved by the graph
// itself: one nested operation per picture request selects every need of
// the events asked, and so goes through the same lineage, data
// minimisation, batching and partial results as any client query.

// subjectRoot is how a nested operation finds its subject.
var subjectRoot = map[lifeevents.SubjectKind]struct{ field, arg, typ string }{
	lifeevents.SubjectPerson:  {"person", "bsn", "Person"},
	lifeevents.SubjectCompany: {"company", "kvkNumber", "Company"},
	lifeevents.SubjectAddress: {"address", "id", "Address"},
}

// selection is a tree of field names.
type selection struct {
	order    []string
	children map[string]*selection
}

func (s *selection) child(name string) *selection {
	if s.children == nil {
		s.children = map[string]*selection{}
	}
	c, ok := s.children[name]
	if !ok {
		c = &selection{}
		s.children[name] = c
		s.order = append(s.order, name)
	}
	return c
}

func (s *selection) write(b *strings.Builder) {
	b.WriteString("{")
	for i, n := range s.order {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(n)
		if c := s.children[n]; len(c.order) > 0 {
			b.WriteString(" ")
			c.write(b)
		}
	}
	b.WriteString("}")
}

// addPath adds a need's path to the selection. A path ending in an object
// selects the object's fields that come from the same registry resource,
// so a need asks no more than the data it names.
func (r *Resolver) addPath(s *ast.Schema, sel *selection, typ, path string) error {
	cur := sel
	parent, field := "", ""
	for _, seg := range strings.Split(path, ".") {
		def := s.Types[typ]
		if def == nil {
			return fmt.Errorf("need %q: %s has no fields", path, typ)
		}
		fd := def.Fields.ForName(seg)
		if fd == nil {
			return fmt.Errorf("need %q: %s has no field %s", path, typ, seg)
		}
		cur = cur.child(seg)
		parent, field, typ = typ, seg, fd.Type.Name()
	}
	target := s.Types[typ]
	if target == nil || target.Kind != ast.Object {
		return nil
	}
	var src srcField
	if target.Directives.ForName("key") != nil {
		// A relation: the related record's own fields.
		src = r.keySource(target)
	} else if f, ok := r.lineage.Lookup(parent, field); ok {
		src = srcField{f.Registry, f.Endpoint}
	}
	r.expand(s, cur, target, src, 3)
	return nil
}

// srcField is a registry resource.
type srcField struct{ registry, endpoint string }

func (r *Resolver) keySource(def *ast.Definition) srcField {
	for _, d := range def.Directives.ForNames("key") {
		if a := d.Arguments.ForName("fields"); a != nil {
			if f, ok := r.lineage.Lookup(def.Name, strings.Fields(a.Value.Raw)[0]); ok {
				return srcField{f.Registry, f.Endpoint}
			}
		}
	}
	return srcField{}
}

// expand selects the fields of def that come from the resource src, or
// that declare no source (structures such as a partial date), down to depth.
func (r *Resolver) expand(s *ast.Schema, sel *selection, def *ast.Definition, src srcField, depth int) {
	for _, fd := range def.Fields {
		if strings.HasPrefix(fd.Name, "__") || len(fd.Arguments) > 0 {
			continue
		}
		if f, ok := r.lineage.Lookup(def.Name, fd.Name); ok && (srcField{f.Registry, f.Endpoint}) != src {
			continue
		}
		t := s.Types[fd.Type.Name()]
		switch {
		case t == nil:
		case t.Kind == ast.Scalar || t.Kind == ast.Enum:
			sel.child(fd.Name)
		case t.Kind == ast.Object && t.Directives.ForName("key") == nil && depth > 0:
			c := &selection{}
			r.expand(s, c, t, src, depth-1)
			if len(c.order) > 0 {
				sel.child(fd.Name).order, sel.children[fd.Name].children = c.order, c.children
			}
		}
	}
}

// nestedResult is a nested operation's answer.
type nestedResult struct {
	facts  any
	errors []nestedError
}

type nestedError struct {
	path     string // field names from the subject, list indexes left out
	registry string
	code     string
}

// runNeeds resolves the needs of the events for a subject in one nested
// operation.
func (r *Resolver) runNeeds(ctx context.Context, kind lifeevents.SubjectKind, id string, paths []string) (*nestedResult, error) {
	root := subjectRoot[kind]
	s := r.schema()
	sel := &selection{}
	for _, p := range paths {
		if err := r.addPath(s, sel, root.typ, p); err != nil {
			return nil, err
		}
	}
	sel.child(root.arg)
	var q strings.Builder
	fmt.Fprintf(&q, "query LifeEventNeeds($id: String!) { %s: %s(%s: $id) ", subjectAlias, root.field, root.arg)
	sel.write(&q)
	q.WriteString(" }")

	resp := r.execute(ctx, q.String(), map[string]any{"id": id})
	var data map[string]any
	if len(resp.Data) > 0 {
		if err := json.Unmarshal(resp.Data, &data); err != nil {
			return nil, fmt.Errorf("life-event needs: %w", err)
		}
	}
	out := &nestedResult{facts: data[subjectAlias]}
	for _, e := range resp.Errors {
		ne := nestedError{}
		if e.Extensions != nil {
			ne.registry, _ = e.Extensions["registry"].(string)
			ne.code, _ = e.Extensions["code"].(string)
		}
		ne.path = pathFromSubject(e.Path)
		out.errors = append(out.errors, ne)
	}
	return out, nil
}

// subjectAlias names the nested operation's root field; no schema field
// has this name.
const subjectAlias = "lifeEventSubject"

// pathFromSubject keeps the field names after the nested operation's root;
// the nested operation runs below the field that asked for the picture, so
// its paths start with that field's path.
func pathFromSubject(p ast.Path) string {
	start := -1
	for i, el := range p {
		if n, ok := el.(ast.PathName); ok && string(n) == subjectAlias {
			start = i
		}
	}
	var names []string
	for _, el := range p[start+1:] {
		if n, ok := el.(ast.PathName); ok {
			names = append(names, string(n))
		}
	}
	return strings.Join(names, ".")
}

// execute runs an operation on the graph from within a resolver.
func (r *Resolver) execute(ctx context.Context, query string, vars map[string]any) *graphql.Response {
	rc, errs := r.exec.CreateOperationContext(ctx, &graphql.RawParams{Query: query, Variables: vars, OperationName: "LifeEventNeeds"})
	if errs != nil {
		return &graphql.Response{Errors: errs}
	}
	handler, ctx := r.exec.DispatchOperation(ctx, rc)
	return handler(ctx)
}

// valueAt walks a path through decoded JSON, flattening lists.
func valueAt(v any, segs []string) any {
	if len(segs) == 0 {
		return v
	}
	switch t := v.(type) {
	case map[string]any:
		return valueAt(t[segs[0]], segs[1:])
	case []any:
		out := []any{}
		for _, e := range t {
			switch x := valueAt(e, segs).(type) {
			case nil:
			case []any:
				out = append(out, x...)
			default:
				out = append(out, x)
			}
		}
		return out
	}
	return nil
}

// factAt returns the value at a dotted path of the decoded facts.
func factAt(facts any, path string) any { return valueAt(facts, strings.Split(path, ".")) }

// errorOn returns the nested operation's error on a path: one on the path
// itself, on a field above it, or on a field below it.
func (res *nestedResult) errorOn(path string) (nestedError, bool) {
	for _, e := range res.errors {
		if e.path == path || strings.HasPrefix(path, e.path+".") || strings.HasPrefix(e.path, path+".") || e.path == "" {
			return e, true
		}
	}
	return nestedError{}, false
}

// needResult judges one need against the nested operation's answer: an
// error on the need's path means it did not resolve; a refusal means it is
// withheld from the principal.
func needResult(n lifeevents.Need, res *nestedResult) (lifeevents.NeedResult, any) {
	out := lifeevents.NeedResult{Path: n.Path, Resolved: true, Registries: n.Registries}
	if e, failed := res.errorOn(n.Path); failed {
		out.Resolved = false
		out.Registries = nil
		out.FailedRegistry, out.Code = e.registry, e.code
		out.Withheld = e.code == CodeForbidden
	}
	return out, factAt(res.facts, n.Path)
}

// applies evaluates the event's rule on the facts. A rule that finds the
// event happening says so; one that does not, while data it reads was
// refused or failed, cannot tell, and says why: never a confident no on
// data the hub did not see.
func (r *Resolver) applies(event string, res *nestedResult) (*bool, string) {
	yes, why := appliesTo(event, res.facts, r.now())
	if yes {
		return &yes, why
	}
	for _, p := range appliesPaths[event] {
		e, failed := res.errorOn(p)
		switch {
		case !failed:
		case e.code == CodeForbidden:
			return nil, fmt.Sprintf("unknown: %s is outside the token's purposes", p)
		case e.registry != "":
			return nil, fmt.Sprintf("unknown: %s did not resolve, %s failed (%s)", p, e.registry, e.code)
		default:
			return nil, fmt.Sprintf("unknown: %s did not resolve (%s)", p, e.code)
		}
	}
	return &yes, why
}

// pictures resolves the pictures of events for one subject.
func (r *Resolver) pictures(ctx context.Context, kind lifeevents.SubjectKind, id string, events []*lifeevents.Event) ([]*model.LifeEventPicture, error) {
	var paths []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	for _, e := range events {
		for _, s := range e.Steps {
			for _, n := range s.Needs {
				add(n.Path)
			}
		}
		for _, p := range appliesPaths[e.ID] {
			add(p)
		}
	}
	sort.Strings(paths)
	res, err := r.runNeeds(ctx, kind, id, paths)
	if err != nil {
		return nil, err
	}
	var health []lifeevents.RegistryHealth
	if r.health != nil {
		health = r.health()
	}
	out := make([]*model.LifeEventPicture, 0, len(events))
	for _, e := range events {
		out = append(out, r.picture(e, res, health))
	}
	return out, nil
}

func (r *Resolver) picture(e *lifeevents.Event, res *nestedResult, health []lifeevents.RegistryHealth) *model.LifeEventPicture {
	results := map[string][]lifeevents.NeedResult{}
	values := map[[2]string]any{}
	for _, s := range e.Steps {
		for _, n := range s.Needs {
			nr, v := needResult(n, res)
			results[s.ID] = append(results[s.ID], nr)
			values[[2]string{s.ID, n.Path}] = v
		}
	}
	applies, why := r.applies(e.ID, res)
	p := &model.LifeEventPicture{
		Event: r.catalogue.byID[e.ID], Applies: applies, AppliesBecause: why, Status: model.StepStatusReady, Facts: res.facts,
	}
	for i, a := range lifeevents.AssessEvent(e, results, health, r.thresholds) {
		s := e.Steps[i]
		sp := &model.StepPicture{
			Step: r.catalogue.steps[[2]string{e.ID, s.ID}], Status: model.StepStatus(a.Status),
			Inputs: nonNil(a.Inputs), Blockers: []*model.StepBlocker{}, Needs: []*model.NeedPicture{},
		}
		for _, b := range a.Blockers {
			sb := &model.StepBlocker{Kind: model.BlockerKind(enumOf(string(b.Kind))), Standard: str(b.Standard), Need: str(b.Need), Reason: b.Reason, Closes: str(b.Closes)}
			if b.Registry != "" {
				reg := model.Registry(b.Registry)
				sb.Registry = &reg
			}
			sp.Blockers = append(sp.Blockers, sb)
		}
		for j, n := range s.Needs {
			nr := results[s.ID][j]
			np := &model.NeedPicture{
				Path: n.Path, Resolved: nr.Resolved, Registries: registries(n.Registries), Code: str(nr.Code),
				Value: values[[2]string{s.ID, n.Path}],
			}
			if nr.FailedRegistry != "" {
				reg := model.Registry(nr.FailedRegistry)
				np.FailedRegistry = &reg
			}
			sp.Needs = append(sp.Needs, np)
		}
		p.Status = worse(p.Status, sp.Status)
		p.Steps = append(p.Steps, sp)
	}
	return p
}

// stepRank orders step statuses from best to worst.
var stepRank = map[model.StepStatus]int{model.StepStatusReady: 0, model.StepStatusNeedsInput: 1, model.StepStatusUnknown: 2, model.StepStatusBlocked: 3}

func worse(a, b model.StepStatus) model.StepStatus {
	if stepRank[b] > stepRank[a] {
		return b
	}
	return a
}
