package limits

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

func init() {
	// A refused query is the client's protocol error, answered like a
	// validation failure (HTTP 422 for application/json), not as data.
	for _, c := range []string{CodeQueryTooLarge, CodeQueryTooDeep, CodeQueryTooComplex, CodeTooManyAliases, CodeTooManyRootFields, CodeValidationTimeout} {
		errcode.RegisterErrorType(c, errcode.KindProtocol)
	}
}

// Extension returns the gqlgen extension that enforces the query limits;
// install it with handler.Server.Use, giving it the query cache the server
// was given (handler.Server.SetQueryCache).
//
// The work before validation is bounded first: tokens and selections are
// counted while the query is lexed, before it is parsed into a tree; depth,
// aliases, root fields, fields, repeated fields and fragment spreads, with
// fragments expanded, are measured on the tree. Then the extension validates the
// query itself, within the request's deadline, and puts it in the cache,
// where the executor finds it and validates it no more; a query the cache
// holds has passed all of this before. The cost, which depends on the
// variables, is checked on every request after that.
func (c Config) Extension(cache graphql.Cache[*ast.QueryDocument]) graphql.HandlerExtension {
	return &queryLimits{cfg: c, cache: cache}
}

type queryLimits struct {
	cfg    Config
	cache  graphql.Cache[*ast.QueryDocument]
	schema *ast.Schema
}

var (
	_ graphql.OperationParameterMutator = (*queryLimits)(nil)
	_ graphql.OperationContextMutator   = (*queryLimits)(nil)
)

func (*queryLimits) ExtensionName() string { return "PoortQueryLimits" }

func (e *queryLimits) Validate(es graphql.ExecutableSchema) error {
	e.schema = es.Schema()
	return nil
}

func refusal(code, format string, actual, limit int, args ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, append([]any{actual, limit}, args...)...),
		Extensions: map[string]any{"code": code, "limit": limit, "actual": actual},
	}
}

// MutateOperationParameters checks the limits that need no schema, then
// validates the query within the request's deadline. A query that does not
// lex, parse or validate is left to gqlgen, which reports every error.
func (e *queryLimits) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if e.cache != nil {
		if _, ok := e.cache.Get(ctx, p.Query); ok {
			return nil
		}
	}
	if err := e.lexed(p.Query); err != nil {
		return err
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, e.cfg.MaxTokens)
	if err != nil {
		return nil
	}
	// Every operation of the document is measured: the cache keeps the
	// document, whichever operation a later request names.
	for _, op := range doc.Operations {
		if err := e.measured(doc, op); err != nil {
			return err
		}
	}
	return e.validated(ctx, p.Query, doc)
}

// lexed counts the tokens and the field selections of a query while
// lexing it, before any tree is built, and refuses it at the first token
// past a limit.
func (e *queryLimits) lexed(query string) *gqlerror.Error {
	lx := lexer.New(&ast.Source{Input: query})
	var sc selectionCounter
	tokens := 0
	for {
		tok, err := lx.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return nil
		}
		if tok.Kind == lexer.Comment {
			continue
		}
		if tokens++; e.cfg.MaxTokens > 0 && tokens > e.cfg.MaxTokens {
			return refusal(CodeQueryTooLarge, "the query has more than %[2]d tokens, the limit", tokens, e.cfg.MaxTokens)
		}
		if sc.add(tok); e.cfg.MaxFields > 0 && sc.fields > e.cfg.MaxFields {
			return refusal(CodeQueryTooComplex, "the query selects more than %[2]d fields, the limit", sc.fields, e.cfg.MaxFields)
		}
	}
}

// selectionCounter counts the field selections in a token stream: a name
// that starts a selection in a selection set, not an argument, a value, a
// type condition, a fragment or directive name, or the field an alias
// names.
type selectionCounter struct {
	fields       int
	braces       int // selection-set depth; values in arguments are inside parentheses
	parens       int
	prev, before lexer.Type
	prevValue    string
}

func (c *selectionCounter) add(tok lexer.Token) {
	switch tok.Kind {
	case lexer.ParenL:
		c.parens++
	case lexer.ParenR:
		c.parens--
	case lexer.BraceL:
		if c.parens == 0 {
			c.braces++
		}
	case lexer.BraceR:
		if c.parens == 0 {
			c.braces--
		}
	case lexer.Name:
		afterSpread := c.prev == lexer.Spread || c.prev == lexer.Name && c.prevValue == "on" && c.before == lexer.Spread
		if c.braces > 0 && c.parens == 0 && !afterSpread && c.prev != lexer.At && c.prev != lexer.Colon {
			c.fields++
		}
	}
	c.before, c.prev, c.prevValue = c.prev, tok.Kind, tok.Value
}

// measured checks the limits of one operation on the parsed query.
func (e *queryLimits) measured(doc *ast.QueryDocument, op *ast.OperationDefinition) *gqlerror.Error {
	s := shapeOf(doc, op)
	switch {
	case e.cfg.MaxDepth > 0 && s.depth > e.cfg.MaxDepth:
		return refusal(CodeQueryTooDeep, "the query nests %d fields deep; the limit is %d", s.depth, e.cfg.MaxDepth)
	case e.cfg.MaxAliases > 0 && s.aliases > e.cfg.MaxAliases:
		return refusal(CodeTooManyAliases, "the query has %d aliased fields; the limit is %d", s.aliases, e.cfg.MaxAliases)
	case e.cfg.MaxRootFields > 0 && s.rootFields > e.cfg.MaxRootFields:
		return refusal(CodeTooManyRootFields, "the operation has %d root fields; the limit is %d (persons(bsns: ...) fetches several persons at once)", s.rootFields, e.cfg.MaxRootFields)
	case e.cfg.MaxFields > 0 && s.fields > e.cfg.MaxFields:
		// The validator's work grows with the fields it compares; a
		// fragment bomb is refused here, before it has any.
		return refusal(CodeQueryTooComplex, "the query selects %d fields once its fragments are expanded; the limit is %d", s.fields, e.cfg.MaxFields)
	case e.cfg.MaxCost > 0 && s.fields > e.cfg.MaxCost:
		// Every field costs at least 1.
		return refusal(CodeQueryTooComplex, "the query selects %d fields once its fragments are expanded; the cost limit is %d", s.fields, e.cfg.MaxCost)
	}
	if (e.cfg.MaxRepeats > 0 || e.cfg.MaxSpreads > 0) && (e.cfg.MaxFields > 0 || e.cfg.MaxCost > 0) {
		// The field limits above bound this walk.
		key, repeats, spreads := merged(doc, op)
		switch {
		case e.cfg.MaxRepeats > 0 && repeats > e.cfg.MaxRepeats:
			return refusal(CodeQueryTooComplex, "the query selects %[3]q %[1]d times in one selection, fragments merged; the limit is %[2]d", repeats, e.cfg.MaxRepeats, key)
		case e.cfg.MaxSpreads > 0 && spreads > e.cfg.MaxSpreads:
			return refusal(CodeQueryTooComplex, "the query spreads %d named fragments into one selection; the limit is %d", spreads, e.cfg.MaxSpreads)
		}
	}
	return nil
}

// validated validates the query within the request's deadline and puts a
// valid one in the cache. The validator cannot be stopped, so a request
// whose time runs out is answered at once and the validation finishes in
// the background; the limits above keep it short.
func (e *queryLimits) validated(ctx context.Context, query string, doc *ast.QueryDocument) *gqlerror.Error {
	if e.schema == nil || e.cache == nil {
		return nil // the executor validates
	}
	timeout := &gqlerror.Error{
		Message:    "the request's time ran out while its query was validated; simplify the query or try again",
		Extensions: map[string]any{"code": CodeValidationTimeout},
	}
	if ctx.Err() != nil {
		return timeout
	}
	done := make(chan gqlerror.List, 1)
	go func() { done <- validator.ValidateWithRules(e.schema, doc, rules.NewDefaultRules()) }()
	select {
	case errs := <-done:
		if len(errs) == 0 {
			e.cache.Add(ctx, query, doc)
		}
		return nil
	case <-ctx.Done():
		return timeout
	}
}

// MutateOperationContext checks the cost of the validated operation.
func (e *queryLimits) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
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

// merged measures the selections of an operation as the executor merges
// them, fragments expanded and same-keyed fields' selections merged, and
// returns the response key selected most often in one of them, how often,
// and the most named fragment spreads one of them holds. The validator
// compares every pair of fields sharing a key and every pair of fragments
// spread into one selection, so these bound its work. It runs after the
// expanded field count is within its limit, which bounds this walk too.
func merged(doc *ast.QueryDocument, op *ast.OperationDefinition) (key string, repeats, spreads int) {
	var walk func(sets []ast.SelectionSet, depth int)
	walk = func(sets []ast.SelectionSet, depth int) {
		groups := map[string][]*ast.Field{}
		var order []string
		n := 0
		var collect func(ss ast.SelectionSet, visiting map[string]bool)
		collect = func(ss ast.SelectionSet, visiting map[string]bool) {
			for _, sel := range ss {
				switch s := sel.(type) {
				case *ast.Field:
					k := s.Alias
					if k == "" {
						k = s.Name
					}
					if _, ok := groups[k]; !ok {
						order = append(order, k)
					}
					groups[k] = append(groups[k], s)
				case *ast.InlineFragment:
					collect(s.SelectionSet, visiting)
				case *ast.FragmentSpread:
					n++
					def := doc.Fragments.ForName(s.Name)
					if def == nil || visiting[s.Name] {
						continue // validation refuses it
					}
					visiting[s.Name] = true
					collect(def.SelectionSet, visiting)
					delete(visiting, s.Name)
				}
			}
		}
		for _, ss := range sets {
			collect(ss, map[string]bool{})
		}
		spreads = max(spreads, n)
		for _, k := range order {
			fs := groups[k]
			if len(fs) > repeats {
				key, repeats = k, len(fs)
			}
			if depth >= maxMergeDepth {
				continue
			}
			var subs []ast.SelectionSet
			for _, f := range fs {
				if len(f.SelectionSet) > 0 {
					subs = append(subs, f.SelectionSet)
				}
			}
			if len(subs) > 0 {
				walk(subs, depth+1)
			}
		}
	}
	walk([]ast.SelectionSet{op.SelectionSet}, 0)
	return key, repeats, spreads
}

// maxMergeDepth stops merged in a query deeper than any the depth
// limit admits.
const maxMergeDepth = 64
