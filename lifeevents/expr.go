package lifeevents

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// This file compiles the catalogue's conditions. A condition is an
// expression of the expr language (github.com/expr-lang/expr) over the
// facts of one subject, written as graph field paths: `age >= 67`,
// `any(parents, .gender.code == "V")`. It is type-checked at load against
// a Go type built from the GraphQL schema, so a misspelt field or a string
// compared with a number fails the catalogue, at its line, as a bad need
// does; and the paths it reads are extracted from it, so the hub fetches
// them and knows which missing fact makes the answer unknown.

// Expr is a compiled condition.
type Expr struct {
	// Source is the expression as written.
	Source string `json:"source"`
	// Paths are the graph field paths it reads, leaves only.
	Paths []string `json:"paths"`
	// Registries are the registries those paths trace to.
	Registries []string `json:"registries"`

	prog *vm.Program
	env  reflect.Type
}

// MarshalJSON writes the source.
func (x *Expr) MarshalJSON() ([]byte, error) { return json.Marshal(x.Source) }

// UnmarshalJSON reads the source; the result describes the condition and
// cannot be evaluated.
func (x *Expr) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &x.Source) }

// maxDepth bounds the nesting of objects a condition may reach below its
// subject (parents.partners.partner.death.date is five).
const maxDepth = 6

// todayVar is the variable holding today's date, "2006-01-02".
const todayVar = "today"

// compiler builds, per GraphQL type, the Go type conditions are checked
// and run against.
type compiler struct {
	s     Schema
	types map[string]reflect.Type // "Type/depth"
	names map[string]string       // a Go type's text → its GraphQL type's name
}

func newCompiler(s Schema) *compiler {
	return &compiler{s: s, types: map[string]reflect.Type{}, names: map[string]string{}}
}

// graphQLTypes writes the GraphQL type names into an error of the expr
// checker, which names the Go types it checked against.
func (c *compiler) graphQLTypes(msg string) string {
	texts := make([]string, 0, len(c.names))
	for t := range c.names {
		texts = append(texts, t)
	}
	// Longest first: a type's text contains the texts of its fields' types.
	slices.SortFunc(texts, func(a, b string) int { return len(b) - len(a) })
	for _, t := range texts {
		msg = strings.ReplaceAll(msg, t, c.names[t])
	}
	return msg
}

// envType returns the Go struct standing for a GraphQL object type at a
// depth below the root: a field per field without arguments, scalars as
// Go scalars, objects as structs while the depth allows, lists as slices.
// The root also holds today.
func (c *compiler) envType(typeName string, depth int) reflect.Type {
	key := fmt.Sprintf("%s/%d", typeName, depth)
	if t, ok := c.types[key]; ok {
		return t
	}
	fields, _ := c.s.Fields(typeName)
	var sf []reflect.StructField
	for _, f := range fields {
		if f.HasArgs {
			continue
		}
		ft := c.goType(f, depth)
		if ft == nil {
			continue
		}
		if f.List {
			ft = reflect.SliceOf(ft)
		}
		sf = append(sf, reflect.StructField{
			Name: fmt.Sprintf("F%d", len(sf)), Type: ft,
			Tag: reflect.StructTag(fmt.Sprintf(`json:%q expr:%q`, f.Name, f.Name)),
		})
	}
	if depth == 0 {
		sf = append(sf, reflect.StructField{Name: "Today", Type: reflect.TypeFor[string](), Tag: `json:"-" expr:"today"`})
	}
	// Two types with the same fields (Birth and Death) would be one Go
	// type; a field naming the type keeps them apart, for messages.
	sf = append(sf, reflect.StructField{Name: "X" + typeName, Type: reflect.TypeFor[struct{}](), Tag: `json:"-" expr:"-"`})
	t := reflect.StructOf(sf)
	c.types[key] = t
	c.names[t.String()] = typeName
	return t
}

func (c *compiler) goType(f SchemaField, depth int) reflect.Type {
	switch f.Kind {
	case KindObject:
		if depth+1 >= maxDepth {
			return nil
		}
		return c.envType(f.Type, depth+1)
	case KindEnum:
		return reflect.TypeFor[string]()
	case KindScalar:
		switch f.Type {
		case "Int":
			return reflect.TypeFor[int]()
		case "Float":
			return reflect.TypeFor[float64]()
		case "Boolean":
			return reflect.TypeFor[bool]()
		case "String", "ID", "Date":
			return reflect.TypeFor[string]()
		}
	}
	return nil
}

// functions are what conditions may call besides expr's builtins.
var functions = []expr.Option{
	expr.Function("daysBetween", func(p ...any) (any, error) {
		return daysBetween(p[0].(string), p[1].(string)), nil
	}, new(func(string, string) int)),
}

// daysBetween counts the days from a to b, ISO dates; 0 when either is
// not a date.
func daysBetween(a, b string) int {
	ta, errA := time.Parse(time.DateOnly, a)
	tb, errB := time.Parse(time.DateOnly, b)
	if errA != nil || errB != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}

// compile type-checks a condition over the facts of typeName and traces
// the paths it reads through the schema.
func (c *compiler) compile(typeName, src string) (*Expr, error) {
	t := c.envType(typeName, 0)
	opts := append([]expr.Option{expr.Env(reflect.New(t).Elem().Interface()), expr.AsBool(), expr.Optimize(false)}, functions...)
	prog, err := expr.Compile(src, opts...)
	if err != nil {
		msg := c.graphQLTypes(firstLine(err.Error()))
		if strings.Contains(msg, "array elements can only be selected using an integer") {
			msg += "; a list's fields are read with a builtin such as any(list, .field == x)"
		}
		return nil, fmt.Errorf("condition %q: %s", src, msg)
	}
	x := &Expr{Source: src, prog: prog, env: t}
	var bad []string
	collectPaths(prog.Node(), "", func(p string) {
		if !slices.Contains(x.Paths, p) {
			x.Paths = append(x.Paths, p)
		}
	}, func(what string) { bad = append(bad, what) })
	if len(bad) > 0 {
		return nil, fmt.Errorf("condition %q: %s is not allowed in a condition; use paths, literals, operators and builtins such as any, all, len", src, bad[0])
	}
	x.Paths = leaves(x.Paths)
	for _, p := range x.Paths {
		n, err := traceFact(c.s, typeName, p)
		if err != nil {
			return nil, fmt.Errorf("condition %q: %w", src, err)
		}
		for _, r := range n.Registries {
			if !slices.Contains(x.Registries, r) {
				x.Registries = append(x.Registries, r)
			}
		}
	}
	sortRegistries(registryOrder(c.s), x.Registries)
	return x, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// leaves drops every path another path extends.
func leaves(paths []string) []string {
	var out []string
	for _, p := range paths {
		extended := false
		for _, q := range paths {
			extended = extended || strings.HasPrefix(q, p+".")
		}
		if !extended {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// collectPaths walks a checked expression and reports each path of
// fields it reads. ptr is the path the predicate pointer (`#`, `.field`)
// stands for inside a builtin's predicate. Nodes a condition has no use
// for (variables, maps, method calls) are reported as bad.
func collectPaths(n ast.Node, ptr string, add func(string), bad func(string)) {
	walk := func(m ast.Node) { collectPaths(m, ptr, add, bad) }
	switch n := n.(type) {
	case nil, *ast.NilNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.StringNode, *ast.ConstantNode:
	case *ast.IdentifierNode:
		if n.Value != todayVar {
			add(n.Value)
		}
	case *ast.PointerNode:
		if n.Name == "" && ptr != "" {
			add(ptr)
		}
	case *ast.MemberNode:
		if n.Method {
			bad("a method call")
			return
		}
		if p, ok := memberPath(n, ptr); ok {
			if p != "" {
				add(p)
			}
			return
		}
		walk(n.Node)
		walk(n.Property)
	case *ast.ChainNode:
		walk(n.Node)
	case *ast.BuiltinNode:
		if len(n.Arguments) == 2 {
			if pred, ok := n.Arguments[1].(*ast.PredicateNode); ok {
				walk(n.Arguments[0])
				base, _ := memberPath(n.Arguments[0], ptr)
				collectPaths(pred.Node, base, add, bad)
				return
			}
		}
		for _, a := range n.Arguments {
			walk(a)
		}
	case *ast.UnaryNode:
		walk(n.Node)
	case *ast.BinaryNode:
		walk(n.Left)
		walk(n.Right)
	case *ast.ConditionalNode:
		walk(n.Cond)
		walk(n.Exp1)
		walk(n.Exp2)
	case *ast.CallNode:
		for _, a := range n.Arguments {
			walk(a)
		}
	case *ast.ArrayNode:
		for _, a := range n.Nodes {
			walk(a)
		}
	case *ast.SliceNode:
		walk(n.Node)
		walk(n.From)
		walk(n.To)
	default:
		bad(fmt.Sprintf("%T", n))
	}
}

// memberPath returns the field path a node names, such as
// parents.partners for `parents[0].partners` or `.partners` in a
// predicate over parents.
func memberPath(n ast.Node, ptr string) (string, bool) {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		if n.Value == todayVar {
			return "", false
		}
		return n.Value, true
	case *ast.PointerNode:
		return ptr, n.Name == "" && ptr != ""
	case *ast.ChainNode:
		return memberPath(n.Node, ptr)
	case *ast.MemberNode:
		base, ok := memberPath(n.Node, ptr)
		if !ok {
			return "", false
		}
		switch p := n.Property.(type) {
		case *ast.StringNode:
			if base == "" {
				return p.Value, true
			}
			return base + "." + p.Value, true
		case *ast.IntegerNode:
			return base, true // a list index reads the list's elements
		}
	}
	return "", false
}

// traceFact follows a path read by a condition or a trigger through the
// schema. Unlike a need it may end in a field without lineage (the date of
// a partial date), but some field on it must trace to a registry.
func traceFact(s Schema, subject, path string) (Need, error) {
	n := Need{Path: path}
	typ := subject
	for _, f := range strings.Split(path, ".") {
		ft, ok := s.Field(typ, f)
		if !ok {
			return Need{}, fmt.Errorf("fact %q: type %s has no field %q", path, typ, f)
		}
		h := Hop{Type: typ, Field: f, FieldType: ft}
		if reg, ep, sp, ok := s.Lineage(typ, f); ok {
			h.Registry, h.Endpoint, h.SourcePath = reg, ep, sp
			if !slices.Contains(n.Registries, reg) {
				n.Registries = append(n.Registries, reg)
			}
		}
		n.Hops = append(n.Hops, h)
		typ = ft
	}
	if len(n.Registries) == 0 {
		return Need{}, fmt.Errorf("fact %q traces to no registry (no field on it has @source)", path)
	}
	return n, nil
}

// Facts are what the registries answered about one subject: its fields as
// decoded JSON, shaped like the graph from the subject, and the errors on
// the paths that did not resolve.
type Facts struct {
	Value  any
	Errors []FactError
}

// FactError is a path that did not resolve.
type FactError struct {
	// Path is the field names from the subject, list indexes left out; ""
	// for an error on the subject itself.
	Path     string
	Registry string
	Code     string
	// Withheld: the path is outside the principal's purposes.
	Withheld bool
}

// ErrorOn returns the error on a path: one on the path itself, on a field
// above it, or on a field below it.
func (f Facts) ErrorOn(path string) (FactError, bool) {
	for _, e := range f.Errors {
		if e.Path == "" || e.Path == path || strings.HasPrefix(path, e.Path+".") || strings.HasPrefix(e.Path, path+".") {
			return e, true
		}
	}
	return FactError{}, false
}

// Sub returns the facts of a subject reached through a path, such as one
// of the children: value is its part of the answer, and the errors below
// the path become its own.
func (f Facts) Sub(path string, value any) Facts {
	out := Facts{Value: value}
	for _, e := range f.Errors {
		switch {
		case e.Path == "" || e.Path == path || strings.HasPrefix(path, e.Path+"."):
			e.Path = ""
		case strings.HasPrefix(e.Path, path+"."):
			e.Path = strings.TrimPrefix(e.Path, path+".")
		default:
			continue
		}
		out.Errors = append(out.Errors, e)
	}
	return out
}

// At returns the value at a dotted path, flattening lists.
func (f Facts) At(path string) any { return valueAt(f.Value, strings.Split(path, ".")) }

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

// Unknown says why a condition cannot be decided: a fact it reads was
// withheld or did not resolve.
type Unknown struct {
	Path   string
	Reason string
}

// unknownOf says why a fact is missing.
func unknownOf(path string, e FactError) *Unknown {
	switch {
	case e.Withheld:
		return &Unknown{Path: path, Reason: fmt.Sprintf("%s is outside the token's purposes", path)}
	case e.Registry != "":
		return &Unknown{Path: path, Reason: fmt.Sprintf("%s did not resolve, %s failed (%s)", path, e.Registry, e.Code)}
	}
	return &Unknown{Path: path, Reason: fmt.Sprintf("%s did not resolve (%s)", path, e.Code)}
}

// Eval decides the condition on the facts of its subject. It is unknown
// when a path it reads is withheld or did not resolve.
func (x *Expr) Eval(f Facts, today time.Time) (bool, *Unknown, error) {
	for _, p := range x.Paths {
		if e, failed := f.ErrorOn(p); failed {
			return false, unknownOf(p, e), nil
		}
	}
	env, err := decodeEnv(f.Value, x.env, today)
	if err != nil {
		return false, nil, fmt.Errorf("condition %q: %w", x.Source, err)
	}
	out, err := expr.Run(x.prog, env)
	if err != nil {
		return false, nil, fmt.Errorf("condition %q: %w", x.Source, err)
	}
	b, _ := out.(bool)
	return b, nil, nil
}

// decodeEnv turns decoded JSON facts into the environment the program was
// checked against; absent and null fields are zero values.
func decodeEnv(v any, t reflect.Type, today time.Time) (any, error) {
	ptr := reflect.New(t)
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, ptr.Interface()); err != nil {
			return nil, fmt.Errorf("facts do not fit the schema: %w", err)
		}
	}
	ptr.Elem().FieldByName("Today").SetString(today.UTC().Format(time.DateOnly))
	return ptr.Elem().Interface(), nil
}
