package schema

import (
	"bytes"
	"fmt"
	"slices"
	"sort"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
)

// SnapshotFile is the committed SDL of the schema, beside the files it is
// printed from. Clients and the breaking-change check read it; gqlgen
// does not (it reads *.graphqls).
const SnapshotFile = "snapshot.graphql"

// SDL prints a schema as the snapshot holds it: types and directives in
// name order, with their descriptions, without the built-in ones.
func SDL(s *ast.Schema) string {
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(s)
	return b.String()
}

// ParseSDL parses a snapshot, with the same Apollo Federation directives
// as the schema files.
func ParseSDL(name, sdl string) (*ast.Schema, error) {
	s, err := gqlparser.LoadSchema(
		&ast.Source{Name: "federation.graphqls", Input: federation, BuiltIn: true},
		&ast.Source{Name: name, Input: sdl},
	)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	return s, nil
}

// A BreakingChange is a change of the schema after which a query that was
// valid against the old one fails or reads something else.
type BreakingChange struct {
	// Path names the element, e.g. `Case.handovers` or
	// `Query.cases(status:)`.
	Path string
	// Change says what happened to it.
	Change string
}

func (c BreakingChange) String() string { return c.Path + ": " + c.Change }

// Breaking lists the changes from old to new that break a client of old,
// except those of an element old already deprecates: a field, argument,
// input field or enum value is deprecated first, and only then removed or
// changed. A type may go when no field or argument of old that is not
// deprecated uses it. Additions break no one and are not listed, save a
// required argument or input field without a default.
func Breaking(old, new *ast.Schema) []BreakingChange {
	var out []BreakingChange
	add := func(path, format string, a ...any) {
		out = append(out, BreakingChange{Path: path, Change: fmt.Sprintf(format, a...)})
	}
	used := usedTypes(old)
	for _, name := range sortedNames(old.Types) {
		o := old.Types[name]
		if o.BuiltIn {
			continue
		}
		n := new.Types[name]
		switch {
		case n == nil:
			if used[name] {
				add(name, "type removed while a field or argument that is not deprecated uses it")
			}
			continue
		case n.Kind != o.Kind:
			add(name, "kind changed from %s to %s", o.Kind, n.Kind)
			continue
		}
		switch o.Kind {
		case ast.Object, ast.Interface:
			for _, i := range o.Interfaces {
				if !slices.Contains(n.Interfaces, i) {
					add(name, "no longer implements %s", i)
				}
			}
			for _, of := range o.Fields {
				if isIntrospection(of.Name) {
					continue
				}
				path := name + "." + of.Name
				nf := n.Fields.ForName(of.Name)
				if nf == nil {
					if !deprecated(of.Directives) {
						add(path, "field removed without being deprecated first")
					}
					continue
				}
				if !outputCompatible(of.Type, nf.Type) && !deprecated(of.Directives) {
					add(path, "type changed from %s to %s", of.Type, nf.Type)
				}
				out = append(out, argumentChanges(path, of.Arguments, nf.Arguments, deprecated(of.Directives))...)
			}
		case ast.InputObject:
			for _, of := range o.Fields {
				path := name + "." + of.Name
				nf := n.Fields.ForName(of.Name)
				switch {
				case nf == nil:
					if !deprecated(of.Directives) {
						add(path, "input field removed without being deprecated first")
					}
				case !inputCompatible(of.Type, nf.Type) && !deprecated(of.Directives):
					add(path, "type changed from %s to %s", of.Type, nf.Type)
				}
			}
			for _, nf := range n.Fields {
				if o.Fields.ForName(nf.Name) == nil && nf.Type.NonNull && nf.DefaultValue == nil {
					add(name+"."+nf.Name, "required input field added")
				}
			}
		case ast.Enum:
			for _, ov := range o.EnumValues {
				if n.EnumValues.ForName(ov.Name) == nil && !deprecated(ov.Directives) {
					add(name+"."+ov.Name, "enum value removed without being deprecated first")
				}
			}
		case ast.Union:
			for _, t := range o.Types {
				if !slices.Contains(n.Types, t) {
					add(name, "no longer includes %s", t)
				}
			}
		}
	}
	return out
}

// argumentChanges lists the breaking changes of a field's arguments.
func argumentChanges(field string, old, new ast.ArgumentDefinitionList, fieldDeprecated bool) []BreakingChange {
	var out []BreakingChange
	for _, oa := range old {
		path := field + "(" + oa.Name + ":)"
		na := new.ForName(oa.Name)
		switch {
		case fieldDeprecated || deprecated(oa.Directives):
		case na == nil:
			out = append(out, BreakingChange{path, "argument removed without being deprecated first"})
		case !inputCompatible(oa.Type, na.Type):
			out = append(out, BreakingChange{path, fmt.Sprintf("type changed from %s to %s", oa.Type, na.Type)})
		}
	}
	for _, na := range new {
		if old.ForName(na.Name) == nil && na.Type.NonNull && na.DefaultValue == nil {
			out = append(out, BreakingChange{field + "(" + na.Name + ":)", "required argument added"})
		}
	}
	return out
}

// outputCompatible reports whether a client reading a field of type old
// can read it as type new: the same type, at most made non-null.
func outputCompatible(old, new *ast.Type) bool {
	if old.NonNull && !new.NonNull {
		return false
	}
	if (old.Elem == nil) != (new.Elem == nil) {
		return false
	}
	if old.Elem != nil {
		return outputCompatible(old.Elem, new.Elem)
	}
	return old.NamedType == new.NamedType
}

// inputCompatible reports whether every value a client gave for type old
// is still valid for type new: the same type, at most made nullable.
func inputCompatible(old, new *ast.Type) bool {
	return outputCompatible(new, old)
}

// usedTypes names the types a field or argument uses that a client can
// still select without a deprecation warning.
func usedTypes(s *ast.Schema) map[string]bool {
	used := map[string]bool{}
	for _, d := range s.Types {
		for _, f := range d.Fields {
			if deprecated(f.Directives) {
				continue
			}
			used[f.Type.Name()] = true
			for _, a := range f.Arguments {
				if !deprecated(a.Directives) {
					used[a.Type.Name()] = true
				}
			}
		}
		for _, i := range d.Interfaces {
			used[i] = true
		}
		for _, t := range d.Types {
			used[t] = true
		}
	}
	return used
}

func deprecated(d ast.DirectiveList) bool { return d.ForName("deprecated") != nil }

func isIntrospection(name string) bool { return len(name) > 1 && name[:2] == "__" }

func sortedNames(m map[string]*ast.Definition) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
