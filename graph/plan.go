package graph

import (
	"sort"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/policy"
)

// endpointKey names a registry API resource.
type endpointKey struct{ registry, endpoint string }

// plan is what one operation needs from the registries, derived from its
// selection set before any registry is asked.
type plan struct {
	// fields per registry resource, in the registry's own paths.
	fields map[endpointKey][]string
}

// Fields returns the sorted source paths selected for the resource.
func (p *plan) Fields(k endpointKey) []string { return p.fields[k] }

// askedOf is the plan as one registry's look-ups read it: they build their
// field lists from it (data minimisation).
type askedOf struct {
	plan     *plan
	registry string
}

// Fields returns the sorted source paths selected for the registry's
// resource.
func (a askedOf) Fields(endpoint string) []string {
	return a.plan.Fields(endpointKey{a.registry, endpoint})
}

// planOperation walks the operation's selections, fragments included, and
// collects for each registry resource the source paths of the selected
// fields. access, when not nil, decides whether a field may be asked for
// at all (purpose binding); fields it refuses are left out.
func planOperation(op *graphql.OperationContext, ix *lineage.Index, access *access) *plan {
	w := &planWalker{
		ix: ix, vars: op.Variables, access: access,
		sets: map[endpointKey]map[string]bool{}, seen: map[*ast.SelectionSet]bool{},
	}
	if op.Operation != nil {
		w.walk(op.Operation.SelectionSet)
	}
	p := &plan{fields: map[endpointKey][]string{}}
	for k, set := range w.sets {
		paths := make([]string, 0, len(set))
		for s := range set {
			paths = append(paths, s)
		}
		sort.Strings(paths)
		p.fields[k] = paths
	}
	return p
}

type planWalker struct {
	ix     *lineage.Index
	vars   map[string]any
	access *access
	sets   map[endpointKey]map[string]bool
	seen   map[*ast.SelectionSet]bool
}

func (w *planWalker) add(k endpointKey, path string) {
	if w.sets[k] == nil {
		w.sets[k] = map[string]bool{}
	}
	w.sets[k][path] = true
}

func (w *planWalker) walk(ss ast.SelectionSet) {
	for _, sel := range ss {
		switch s := sel.(type) {
		case *ast.Field:
			if skipped(s.Directives, w.vars) {
				continue
			}
			w.field(s)
		case *ast.InlineFragment:
			if !skipped(s.Directives, w.vars) {
				w.walk(s.SelectionSet)
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && !skipped(s.Directives, w.vars) {
				w.walk(s.Definition.SelectionSet)
			}
		}
	}
}

func (w *planWalker) field(f *ast.Field) {
	if f.ObjectDefinition == nil || f.Definition == nil {
		return
	}
	typ := f.ObjectDefinition.Name
	d := w.decide(typ, f.Name)
	if !d.Allowed {
		return
	}
	src, ok := w.ix.Lookup(typ, f.Name)
	if !ok {
		w.walk(f.SelectionSet)
		return
	}
	k := endpointKey{src.Registry, src.Endpoint}
	// A relation from a record of another registry (the residents of a BAG
	// address) is a search by that record's key: its path names what the
	// search matches, not a field to ask of anyone.
	if parent, ok := w.ix.KeyOf(typ); ok && src.Entity && parent.Registry != src.Registry {
		w.walk(f.SelectionSet)
		return
	}
	// A structure of the same resource whose selected parts declare their
	// own paths asks for those parts only; anything else asks for its own
	// path. An entity is a record of its own: its key is asked here, its
	// fields wherever that record is fetched.
	if !src.Entity && w.declaresWithin(f.SelectionSet, k) {
		// A structure allowed only in parts, selected without any part the
		// principal may see, would come back empty: refuse it instead.
		if d.Partly && !w.allowsWithin(f.SelectionSet, k) {
			w.access.refuseAt(f, d)
			return
		}
		w.walk(f.SelectionSet)
		return
	}
	if d.Partly {
		// Asking for the whole structure would ask for parts the
		// principal may not see.
		w.access.refuseAt(f, d)
		return
	}
	paths := src.Paths()
	if src.Whole() {
		// The resource's answer as a whole, selected without any part of
		// its own (travelDocuments { __typename }), is no path to ask for:
		// it asks for the first part its records declare, the least the
		// registry answers a record with.
		paths = nil
		if least, ok := w.ix.Least(src); ok {
			paths = []string{least}
		}
	}
	for _, path := range paths {
		w.add(k, path)
	}
	w.walk(f.SelectionSet)
}

// decide decides a field; without access everything is allowed.
func (w *planWalker) decide(typ, field string) policy.Decision {
	if w.access == nil {
		return policy.Decision{Allowed: true}
	}
	return w.access.decide(typ, field)
}

// allowsWithin reports whether a selected field in ss declares a path in
// the same resource and is allowed.
func (w *planWalker) allowsWithin(ss ast.SelectionSet, k endpointKey) bool {
	found := false
	w.eachWithin(ss, k, func(s *ast.Field) { found = found || w.decide(s.ObjectDefinition.Name, s.Name).Allowed })
	return found
}

// declaresWithin reports whether a selected field in ss declares a path in
// the same resource.
func (w *planWalker) declaresWithin(ss ast.SelectionSet, k endpointKey) bool {
	found := false
	w.eachWithin(ss, k, func(*ast.Field) { found = true })
	return found
}

// eachWithin calls fn for every selected field in ss, through fragments,
// that declares a path in the resource k.
func (w *planWalker) eachWithin(ss ast.SelectionSet, k endpointKey, fn func(*ast.Field)) {
	for _, sel := range ss {
		switch s := sel.(type) {
		case *ast.Field:
			if s.ObjectDefinition == nil {
				continue
			}
			if src, ok := w.ix.Lookup(s.ObjectDefinition.Name, s.Name); ok && (endpointKey{src.Registry, src.Endpoint}) == k {
				fn(s)
			}
		case *ast.InlineFragment:
			w.eachWithin(s.SelectionSet, k, fn)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				w.eachWithin(s.Definition.SelectionSet, k, fn)
			}
		}
	}
}

// skipped evaluates @skip and @include.
func skipped(ds ast.DirectiveList, vars map[string]any) bool {
	if d := ds.ForName("skip"); d != nil {
		if v, _ := d.ArgumentMap(vars)["if"].(bool); v {
			return true
		}
	}
	if d := ds.ForName("include"); d != nil {
		if v, ok := d.ArgumentMap(vars)["if"].(bool); ok && !v {
			return true
		}
	}
	return false
}
