package limits

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

func init() {
	// A refused query is the client's protocol error, answered like a
	// validation failure (HTTP 422 for application/json), not as data.
	for _, c := range []string{CodeQueryTooLarge, CodeQueryTooDeep, CodeQueryTooComplex, CodeTooManyAliases, CodeTooManyRootFields} {
		errcode.RegisterErrorType(c, errcode.KindProtocol)
	}
}

// Extension returns the gqlgen extension that enforces the query limits;
// install it with handler.Server.Use. Tokens, depth, aliases and root
// fields are checked before gqlgen validates the query, so an alias or
// depth bomb never reaches the validator; the cost, which needs the
// schema's list types, right after.
func (c Config) Extension() graphql.HandlerExtension { return queryLimits{c} }

type queryLimits struct{ cfg Config }

var (
	_ graphql.OperationParameterMutator = queryLimits{}
	_ graphql.OperationContextMutator   = queryLimits{}
)

func (queryLimits) ExtensionName() string { return "PoortQueryLimits" }

func (queryLimits) Validate(graphql.ExecutableSchema) error { return nil }

func refusal(code, format string, actual, limit int, args ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, append([]any{actual, limit}, args...)...),
		Extensions: map[string]any{"code": code, "limit": limit, "actual": actual},
	}
}

// MutateOperationParameters checks the limits that need no schema on the
// raw query. A query that does not parse is left to gqlgen, which reports
// the syntax error.
func (e queryLimits) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, e.cfg.MaxTokens)
	if err != nil {
		if e.cfg.MaxTokens > 0 && strings.Contains(err.Error(), "exceeded token limit") {
			return refusal(CodeQueryTooLarge, "the query has more than %[2]d tokens, the limit", e.cfg.MaxTokens+1, e.cfg.MaxTokens)
		}
		return nil
	}
	op := operation(doc, p.OperationName)
	if op == nil {
		return nil
	}
	s := shapeOf(doc, op)
	switch {
	case e.cfg.MaxDepth > 0 && s.depth > e.cfg.MaxDepth:
		return refusal(CodeQueryTooDeep, "the query nests %d fields deep; the limit is %d", s.depth, e.cfg.MaxDepth)
	case e.cfg.MaxAliases > 0 && s.aliases > e.cfg.MaxAliases:
		return refusal(CodeTooManyAliases, "the query has %d aliased fields; the limit is %d", s.aliases, e.cfg.MaxAliases)
	case e.cfg.MaxRootFields > 0 && s.rootFields > e.cfg.MaxRootFields:
		return refusal(CodeTooManyRootFields, "the operation has %d root fields; the limit is %d (persons(bsns: ...) fetches several persons at once)", s.rootFields, e.cfg.MaxRootFields)
	case e.cfg.MaxCost > 0 && s.fields > e.cfg.MaxCost:
		// Every field costs at least 1, so this bounds the cost before the
		// validator has to work through a fragment bomb.
		return refusal(CodeQueryTooComplex, "the query selects %d fields once its fragments are expanded; the cost limit is %d", s.fields, e.cfg.MaxCost)
	}
	return nil
}

// MutateOperationContext checks the cost of the validated operation.
func (e queryLimits) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if e.cfg.MaxCost <= 0 || oc.Operation == nil {
		return nil
	}
	listSize := e.cfg.ListSize
	if listSize < 1 {
		listSize = 10
	}
	cw := &costWalker{vars: oc.Variables, listSize: listSize, memo: map[costKey]int{}}
	if cost := cw.set(oc.Operation.SelectionSet, false); cost > e.cfg.MaxCost {
		return refusal(CodeQueryTooComplex, "the query costs %d; the limit is %d (every field costs 1, a list multiplies its contents by its first argument or by %d)", cost, e.cfg.MaxCost, listSize)
	}
	return nil
}

// operation picks the operation gqlgen will run: the named one, or the
// only one.
func operation(doc *ast.QueryDocument, name string) *ast.OperationDefinition {
	if name != "" {
		return doc.Operations.ForName(name)
	}
	if len(doc.Operations) == 1 {
		return doc.Operations[0]
	}
	return nil
}

// capAt keeps counts of hostile queries from overflowing: anything past
// it is refused anyway.
const capAt = 1 << 40

func sat(n int) int {
	if n > capAt {
		return capAt
	}
	return n
}

// shape is what the schema-free limits measure.
type shape struct {
	depth, aliases, rootFields, fields int
}

// shapeWalker measures an unvalidated document. Fragments are expanded
// where they are spread, each measured once (so a fragment spread a
// thousand times costs nothing extra to measure), and a fragment cycle,
// which validation refuses anyway, counts as empty.
type shapeWalker struct {
	doc      *ast.QueryDocument
	frags    map[string]fragShape
	visiting map[string]bool
}

type fragShape struct{ depth, aliases, fields int }

func shapeOf(doc *ast.QueryDocument, op *ast.OperationDefinition) shape {
	w := &shapeWalker{doc: doc, frags: map[string]fragShape{}, visiting: map[string]bool{}}
	f := w.set(op.SelectionSet)
	roots := map[string]bool{}
	w.rootKeys(op.SelectionSet, roots, map[string]bool{})
	return shape{depth: f.depth, aliases: f.aliases, rootFields: len(roots), fields: f.fields}
}

// set measures a selection set: its depth, aliased fields and fields.
func (w *shapeWalker) set(ss ast.SelectionSet) fragShape {
	var out fragShape
	for _, sel := range ss {
		var m fragShape
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != "" && s.Alias != s.Name {
				m.aliases = 1
			}
			m.depth, m.fields = 1, 1
			if strings.HasPrefix(s.Name, "__") {
				// Introspection is bounded by the validator's own
				// introspection depth rule.
				break
			}
			c := w.set(s.SelectionSet)
			m.depth, m.aliases, m.fields = 1+c.depth, sat(m.aliases+c.aliases), sat(1+c.fields)
		case *ast.InlineFragment:
			m = w.set(s.SelectionSet)
		case *ast.FragmentSpread:
			m = w.fragment(s.Name)
		}
		out.depth = max(out.depth, m.depth)
		out.aliases = sat(out.aliases + m.aliases)
		out.fields = sat(out.fields + m.fields)
	}
	return out
}

func (w *shapeWalker) fragment(name string) fragShape {
	if f, ok := w.frags[name]; ok {
		return f
	}
	def := w.doc.Fragments.ForName(name)
	if def == nil || w.visiting[name] {
		return fragShape{}
	}
	w.visiting[name] = true
	f := w.set(def.SelectionSet)
	delete(w.visiting, name)
	w.frags[name] = f
	return f
}

// rootKeys collects the response keys of the root selection: fields with
// the same key merge into one.
func (w *shapeWalker) rootKeys(ss ast.SelectionSet, keys, seen map[string]bool) {
	for _, sel := range ss {
		switch s := sel.(type) {
		case *ast.Field:
			k := s.Alias
			if k == "" {
				k = s.Name
			}
			if k != "__typename" {
				keys[k] = true
			}
		case *ast.InlineFragment:
			w.rootKeys(s.SelectionSet, keys, seen)
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			if def := w.doc.Fragments.ForName(s.Name); def != nil {
				w.rootKeys(def.SelectionSet, keys, seen)
			}
		}
	}
}

// costWalker computes the cost of a validated operation, each fragment
// once per context.
type costWalker struct {
	vars     map[string]any
	listSize int
	memo     map[costKey]int
}

type costKey struct {
	frag  string
	sized bool
}

// set returns the cost of a selection set; sized says its field already
// multiplied by a first or last argument, so its edges or nodes list does
// not multiply again.
func (w *costWalker) set(ss ast.SelectionSet, sized bool) int {
	total := 0
	for _, sel := range ss {
		switch s := sel.(type) {
		case *ast.Field:
			total = sat(total + w.field(s, sized))
		case *ast.InlineFragment:
			total = sat(total + w.set(s.SelectionSet, sized))
		case *ast.FragmentSpread:
			k := costKey{s.Name, sized}
			c, ok := w.memo[k]
			if !ok && s.Definition != nil {
				w.memo[k] = 0 // validated documents have no cycles; be safe anyway
				c = w.set(s.Definition.SelectionSet, sized)
				w.memo[k] = c
			}
			total = sat(total + c)
		}
	}
	return total
}

func (w *costWalker) field(f *ast.Field, parentSized bool) int {
	if strings.HasPrefix(f.Name, "__") {
		return 1
	}
	mult, sized := 1, false
	if n, ok := w.sizeArg(f); ok {
		mult, sized = n, true
	} else if f.Definition != nil && f.Definition.Type.Elem != nil {
		switch {
		case parentSized && (f.Name == "edges" || f.Name == "nodes"):
		default:
			if n, ok := w.listArgLen(f); ok {
				mult = n
			} else {
				mult = w.listSize
			}
		}
	}
	return sat(1 + satMul(max(mult, 1), w.set(f.SelectionSet, sized)))
}

// satMul multiplies two counts of at most capAt without overflowing.
func satMul(a, b int) int {
	if a != 0 && b > capAt/a {
		return capAt
	}
	return sat(a * b)
}

// sizeArg reads a first or last argument.
func (w *costWalker) sizeArg(f *ast.Field) (int, bool) {
	for _, name := range []string{"first", "last"} {
		a := f.Arguments.ForName(name)
		if a == nil {
			continue
		}
		v, err := a.Value.Value(w.vars)
		if err != nil {
			continue
		}
		switch n := v.(type) {
		case int64:
			return clampInt(n), true
		case int:
			return clampInt(int64(n)), true
		case float64:
			return clampInt(int64(n)), true
		}
	}
	return 0, false
}

// listArgLen returns the length of the longest list argument, such as the
// BSNs of persons(bsns: [...]).
func (w *costWalker) listArgLen(f *ast.Field) (int, bool) {
	n, found := 0, false
	for _, a := range f.Arguments {
		v, err := a.Value.Value(w.vars)
		if err != nil {
			continue
		}
		if l, ok := v.([]any); ok {
			n, found = max(n, len(l)), true
		}
	}
	return n, found
}

func clampInt(n int64) int {
	switch {
	case n < 1:
		return 1
	case n > capAt:
		return capAt
	}
	return int(n)
}
