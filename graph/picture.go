package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/lifeevents"
)

// This file fetches the facts of life-event pictures: the paths of graph
// fields that triggers, roles, conditions and needs read, resolved by the
// graph itself in a nested operation per subject, so they go through the
// same lineage, purpose binding, data minimisation, batching and partial
// results as any client query.

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

// runNeeds resolves paths of a subject's facts in one nested operation,
// which goes through the same purpose binding, data minimisation,
// batching and partial results as any client query. A path that did not
// resolve comes back as an error on it; a refusal is marked withheld.
func (r *Resolver) runNeeds(ctx context.Context, kind lifeevents.SubjectKind, id string, paths []string) (lifeevents.Facts, error) {
	root := subjectRoot[kind]
	s := r.schema()
	sel := &selection{}
	for _, p := range slices.Compact(slices.Sorted(slices.Values(paths))) {
		if err := r.addPath(s, sel, root.typ, p); err != nil {
			return lifeevents.Facts{}, err
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
			return lifeevents.Facts{}, fmt.Errorf("life-event needs: %w", err)
		}
	}
	out := lifeevents.Facts{Value: data[subjectAlias]}
	for _, e := range resp.Errors {
		fe := lifeevents.FactError{Path: pathFromSubject(e.Path)}
		if e.Extensions != nil {
			fe.Registry, _ = e.Extensions["registry"].(string)
			fe.Code, _ = e.Extensions["code"].(string)
		}
		fe.Withheld = fe.Code == CodeForbidden
		out.Errors = append(out.Errors, fe)
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
