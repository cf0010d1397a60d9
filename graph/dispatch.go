package graph

import (
	"context"
	"reflect"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/internal/batchload"
)

// This file tells the operation's loaders when no resolver could still
// add keys to their batches, so they call the registries at once instead
// of after a fixed window. The executor runs a field's resolver, then
// marshals its result, which starts the resolvers of the fields selected
// below it. Between the two no resolver runs, yet keys may still come: so
// a field that returns objects counts its children as busy before it
// ends, and each child takes over one of those counts when it starts.
// When a count is wrong the loaders' window (POORT_BATCH_WAIT) still
// bounds the wait; fallbacks counts those dispatches.

// fieldWork is the operation's count of resolvers that could add keys.
type fieldWork struct {
	group        *batchload.Group
	implementors map[string][]string

	mu sync.Mutex
	// children are the counts a field handed to its children, not yet
	// taken over; by the field's context.
	children map[*graphql.FieldContext]int
	// fields caches how many fields a selection collects for an object
	// type, by the selection's first element and the type.
	fields map[fieldsKey]int
}

type fieldsKey struct {
	sel *ast.Selection
	typ string
}

func newFieldWork(g *batchload.Group, implementors map[string][]string) *fieldWork {
	return &fieldWork{group: g, implementors: implementors, children: map[*graphql.FieldContext]int{}, fields: map[fieldsKey]int{}}
}

// start counts a field's resolver as busy, taking over a count its parent
// handed down when there is one.
func (w *fieldWork) start(fc *graphql.FieldContext) {
	parent := fc.Parent
	for parent != nil && parent.Index != nil {
		parent = parent.Parent
	}
	w.mu.Lock()
	if n := w.children[parent]; parent != nil && n > 0 {
		if n == 1 {
			delete(w.children, parent)
		} else {
			w.children[parent] = n - 1
		}
		w.mu.Unlock()
		return
	}
	w.mu.Unlock()
	w.group.Enter(1)
}

// end counts the fields the result will start as busy, then the field
// itself as done.
func (w *fieldWork) end(ctx context.Context, fc *graphql.FieldContext, res any, err error) {
	if err == nil {
		if n := w.childFields(ctx, fc, res); n > 0 {
			w.mu.Lock()
			w.children[fc] += n
			w.mu.Unlock()
			w.group.Enter(n)
		}
	}
	w.group.Leave()
}

// childFields counts the fields the executor resolves below the result:
// for each object in it, the fields its selection collects for the
// object's type; __typename the executor answers itself.
func (w *fieldWork) childFields(ctx context.Context, fc *graphql.FieldContext, res any) int {
	if len(fc.Field.Selections) == 0 || res == nil {
		return 0
	}
	oc := graphql.GetOperationContext(ctx)
	return w.countIn(oc, fc.Field.Selections, fc.Field.Definition.Type.Name(), reflect.ValueOf(res))
}

func (w *fieldWork) countIn(oc *graphql.OperationContext, sel ast.SelectionSet, typ string, v reflect.Value) int {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 0
		}
		return w.countIn(oc, sel, typ, v.Elem())
	case reflect.Slice, reflect.Array:
		n := 0
		for i := range v.Len() {
			n += w.countIn(oc, sel, typ, v.Index(i))
		}
		return n
	case reflect.Struct:
		if _, ok := w.implementors[typ]; !ok {
			// An interface or union: the object's own type, which the
			// models name as the schema does.
			typ = v.Type().Name()
		}
		if _, ok := w.implementors[typ]; !ok {
			return 0
		}
		return w.collected(oc, sel, typ)
	}
	return 0
}

// collected counts the fields the selection collects for an object of
// the type, cached for the operation.
func (w *fieldWork) collected(oc *graphql.OperationContext, sel ast.SelectionSet, typ string) int {
	k := fieldsKey{&sel[0], typ}
	w.mu.Lock()
	n, ok := w.fields[k]
	w.mu.Unlock()
	if ok {
		return n
	}
	for _, f := range graphql.CollectFields(oc, sel, w.implementors[typ]) {
		if f.Name != "__typename" {
			n++
		}
	}
	w.mu.Lock()
	w.fields[k] = n
	w.mu.Unlock()
	return n
}

// implementorsOf returns, per object type of the schema, the type names
// a fragment on which applies to it: the type, its interfaces and the
// unions that hold it, as the executor collects fields by.
func implementorsOf(s *ast.Schema) map[string][]string {
	out := map[string][]string{}
	for name, def := range s.Types {
		if def.Kind != ast.Object {
			continue
		}
		names := append([]string{name}, def.Interfaces...)
		for _, u := range s.Types {
			if u.Kind == ast.Union && slices.Contains(u.Types, name) {
				names = append(names, u.Name)
			}
		}
		out[name] = names
	}
	return out
}
