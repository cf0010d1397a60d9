// Package lineage reads the @source declarations of the GraphQL schema:
// for every registry-backed field, the registry that owns it, the API
// resource and the path of the value in that API.
//
// One declaration drives four things: the lineage architects query, which
// fields the hub asks a registry for (data minimisation), which purposes may
// see a field, and what the audit log records as disclosed.
package lineage

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// DirectiveName is the schema directive that declares a field's source.
const DirectiveName = "source"

// Source is where a field's value comes from.
type Source struct {
	// Registry is BRP, NHR, BAG, RDW or UWV.
	Registry string
	// Endpoint names the registry's API resource when it has several; empty
	// means the registry's main resource (BRP personen, BAG adressen, KvK
	// basisprofielen, RDW open data, ...).
	Endpoint string
	// Path is the value's path in the API, e.g. "naam.geslachtsnaam".
	Path string
}

// Field is one declared field.
type Field struct {
	Type  string
	Field string
	Source
	// DerivedFrom are further paths of the same resource that the hub
	// computes the value from together with Path, where no one path holds
	// it (a travel document's validity from its end date and withdrawal).
	DerivedFrom []string
	Description string
	// Key reports that the field is part of the type's federation @key, so
	// its value is known before the registry is asked.
	Key bool
	// Entity reports that the field's type is a federation entity (it has
	// a @key), fetched as a record of its own.
	Entity bool
	// Of is the named type of the field's value ("TravelDocument" for
	// [TravelDocument!]).
	Of string
}

type key struct{ typ, field string }

// Index holds the declarations of a schema.
type Index struct {
	fields map[key]Field
	all    []Field
	keys   map[string]Field // type → its declared @key field
}

// FromSchema reads every @source in the schema. It fails on a declaration
// without registry or path, or with a registry the schema's Registry enum
// does not list.
func FromSchema(s *ast.Schema) (*Index, error) {
	registries := map[string]bool{}
	if e := s.Types["Registry"]; e != nil {
		for _, v := range e.EnumValues {
			registries[v.Name] = true
		}
	}
	ix := &Index{fields: map[key]Field{}, keys: map[string]Field{}}
	var errs []error
	names := make([]string, 0, len(s.Types))
	for n := range s.Types {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, tn := range names {
		def := s.Types[tn]
		if def.Kind != ast.Object || strings.HasPrefix(tn, "__") {
			continue
		}
		keys := keyFields(def)
		for _, fd := range def.Fields {
			d := fd.Directives.ForName(DirectiveName)
			if d == nil {
				continue
			}
			f := Field{Type: tn, Field: fd.Name, Description: fd.Description, Key: keys[fd.Name], Of: fd.Type.Name()}
			if target := s.Types[fd.Type.Name()]; target != nil && target.Directives.ForName("key") != nil {
				f.Entity = true
			}
			for _, a := range d.Arguments {
				switch a.Name {
				case "registry":
					f.Registry = a.Value.Raw
				case "endpoint":
					f.Endpoint = a.Value.Raw
				case "field":
					f.Path = a.Value.Raw
				case "derivedFrom":
					for _, c := range a.Value.Children {
						f.DerivedFrom = append(f.DerivedFrom, c.Value.Raw)
					}
				}
			}
			where := fmt.Sprintf("%s.%s (%s)", tn, fd.Name, positionOf(fd))
			switch {
			case f.Registry == "":
				errs = append(errs, fmt.Errorf("%s: @source without registry", where))
			case len(registries) > 0 && !registries[f.Registry]:
				errs = append(errs, fmt.Errorf("%s: unknown registry %q", where, f.Registry))
			case f.Path == "" || slices.Contains(f.DerivedFrom, ""):
				errs = append(errs, fmt.Errorf("%s: @source without field path", where))
			}
			ix.fields[key{tn, fd.Name}] = f
			ix.all = append(ix.all, f)
			if _, seen := ix.keys[tn]; f.Key && !seen {
				ix.keys[tn] = f
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("schema lineage: %w", err)
	}
	return ix, nil
}

func positionOf(fd *ast.FieldDefinition) string {
	if fd.Position == nil || fd.Position.Src == nil {
		return "unknown position"
	}
	return fmt.Sprintf("%s:%d", fd.Position.Src.Name, fd.Position.Line)
}

// keyFields returns the field names of a type's @key(fields: "...").
func keyFields(def *ast.Definition) map[string]bool {
	out := map[string]bool{}
	for _, d := range def.Directives.ForNames("key") {
		if a := d.Arguments.ForName("fields"); a != nil {
			for _, f := range strings.Fields(a.Value.Raw) {
				out[f] = true
			}
		}
	}
	return out
}

// Paths returns every path the field's value comes from: Path, then
// DerivedFrom.
func (f Field) Paths() []string { return append([]string{f.Path}, f.DerivedFrom...) }

// Whole reports whether the field is a resource's answer as a whole (a
// person's travel documents, the list the Reisdocumenten resource
// answers): its path names the resource, not a path within it that the
// registry could be asked for.
func (f Field) Whole() bool { return f.Endpoint != "" && f.Path == f.Endpoint }

// Least returns, for a field that is a resource's whole answer, the path
// of the first field of its records, in schema order, that the resource
// delivers: the least the registry can be asked for to answer them. It is
// false when the records declare nothing of the resource.
func (ix *Index) Least(whole Field) (string, bool) {
	for _, f := range ix.all {
		if f.Type == whole.Of && f.Registry == whole.Registry && f.Endpoint == whole.Endpoint && !f.Whole() {
			return f.Path, true
		}
	}
	return "", false
}

// Lookup returns the declaration of a field.
func (ix *Index) Lookup(typ, field string) (Field, bool) {
	f, ok := ix.fields[key{typ, field}]
	return f, ok
}

// KeyOf returns the declaration of an entity type's key field (the first,
// for a compound key): the identifier its records are looked up by.
func (ix *Index) KeyOf(typ string) (Field, bool) {
	f, ok := ix.keys[typ]
	return f, ok
}

// All returns every declaration ordered by type and schema order.
func (ix *Index) All() []Field { return ix.all }

// CheckPaths verifies that every declared path of the registry's endpoint,
// derived ones included, is one the registry's API accepts, so a typo in
// the schema fails at start-up rather than as a registry error in
// production. A declared path is accepted when it is in allowed; a field
// that is the resource's whole answer is no path, and its records must
// declare a field of the resource.
func (ix *Index) CheckPaths(registry, endpoint string, allowed []string) error {
	ok := make(map[string]bool, len(allowed))
	for _, p := range allowed {
		ok[p] = true
	}
	var errs []error
	for _, f := range ix.all {
		if f.Registry != registry || f.Endpoint != endpoint {
			continue
		}
		// A resource's answer as a whole is never asked as a path; selected
		// without any of its parts, the least of them is (Least), so it
		// needs one.
		if f.Whole() {
			if _, ok := ix.Least(f); !ok {
				errs = append(errs, fmt.Errorf("%s.%s: %s's whole %s answer, but %s declares none of its fields, so nothing could be asked when none is selected", f.Type, f.Field, registry, endpoint, f.Of))
			}
			continue
		}
		for _, p := range f.Paths() {
			if !ok[p] {
				errs = append(errs, fmt.Errorf("%s.%s: %s does not accept the path %q", f.Type, f.Field, registry, p))
			}
		}
	}
	return errors.Join(errs...)
}
