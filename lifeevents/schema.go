package lifeevents

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/internal/lineage"
)

// Schema is what the catalogue needs of the GraphQL schema: the fields of
// a type and where a field's value comes from. The package keeps to this
// so it does not depend on the graph package.
type Schema interface {
	// Field returns the named type of a field, with list and non-null
	// wrappers removed (e.g. "Person" for [Person!]), and false when the
	// type has no such field or is not a type with fields.
	Field(typeName, fieldName string) (fieldType string, ok bool)
	// Lineage returns the @source of a field: its registry, the registry's
	// API resource (empty for the main one) and the value's path in that
	// API; false when the field has none.
	Lineage(typeName, fieldName string) (registry, endpoint, path string, ok bool)
	// Fields returns the fields of an object or interface type, and false
	// for any other type.
	Fields(typeName string) ([]SchemaField, bool)
}

// TypeKind is what kind of type a field's named type is.
type TypeKind string

// The type kinds conditions distinguish.
const (
	KindScalar TypeKind = "SCALAR"
	KindEnum   TypeKind = "ENUM"
	KindObject TypeKind = "OBJECT"
	KindOther  TypeKind = "OTHER"
)

// SchemaField is one field of a type.
type SchemaField struct {
	Name string
	// Type is the named type, wrappers removed; Kind is its kind.
	Type string
	Kind TypeKind
	// List reports a list of Type.
	List bool
	// HasArgs reports a field that takes arguments; conditions cannot
	// read it.
	HasArgs bool
}

// SchemaFromAST adapts a parsed schema and its lineage index, such as the
// executable schema's Schema() and lineage.FromSchema of it, to Schema.
func SchemaFromAST(s *ast.Schema, ix *lineage.Index) Schema {
	return astSchema{s: s, ix: ix}
}

type astSchema struct {
	s  *ast.Schema
	ix *lineage.Index
}

func (a astSchema) Field(typeName, fieldName string) (string, bool) {
	def := a.s.Types[typeName]
	if def == nil || (def.Kind != ast.Object && def.Kind != ast.Interface) {
		return "", false
	}
	f := def.Fields.ForName(fieldName)
	if f == nil {
		return "", false
	}
	return f.Type.Name(), true
}

func (a astSchema) Fields(typeName string) ([]SchemaField, bool) {
	def := a.s.Types[typeName]
	if def == nil || (def.Kind != ast.Object && def.Kind != ast.Interface) {
		return nil, false
	}
	var out []SchemaField
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		sf := SchemaField{Name: f.Name, Type: f.Type.Name(), List: f.Type.Elem != nil, HasArgs: len(f.Arguments) > 0, Kind: KindOther}
		if t := a.s.Types[sf.Type]; t != nil {
			switch t.Kind {
			case ast.Scalar:
				sf.Kind = KindScalar
			case ast.Enum:
				sf.Kind = KindEnum
			case ast.Object, ast.Interface:
				sf.Kind = KindObject
			}
		}
		out = append(out, sf)
	}
	return out, true
}

func (a astSchema) Lineage(typeName, fieldName string) (string, string, string, bool) {
	if a.ix == nil {
		return "", "", "", false
	}
	f, ok := a.ix.Lookup(typeName, fieldName)
	if !ok {
		return "", "", "", false
	}
	return f.Registry, f.Endpoint, f.Path, true
}

// traceNeed follows a field path from the subject type through the schema.
// Every field on the path must exist, and the last must have lineage so the
// need traces to a registry; every field with lineage adds its registry.
func traceNeed(s Schema, subject, path string) (Need, error) {
	n := Need{Path: path}
	typ := subject
	segs := strings.Split(path, ".")
	for i, f := range segs {
		if f == "" {
			return Need{}, fmt.Errorf("need %q: empty field name", path)
		}
		ft, ok := s.Field(typ, f)
		if !ok {
			return Need{}, fmt.Errorf("need %q: type %s has no field %q", path, typ, f)
		}
		h := Hop{Type: typ, Field: f, FieldType: ft}
		if reg, ep, sp, ok := s.Lineage(typ, f); ok {
			h.Registry, h.Endpoint, h.SourcePath = reg, ep, sp
			if !slices.Contains(n.Registries, reg) {
				n.Registries = append(n.Registries, reg)
			}
		} else if i == len(segs)-1 {
			return Need{}, fmt.Errorf("need %q: field %s.%s has no registry lineage (@source), so the need does not trace to a registry", path, typ, f)
		}
		n.Hops = append(n.Hops, h)
		typ = ft
	}
	// A need ending in a record of its own (an entity such as an Address)
	// needs the registry that holds that record too.
	if ks, ok := s.(keyedSchema); ok {
		if key, ok := ks.Key(typ); ok {
			if reg, _, _, ok := s.Lineage(typ, key); ok && !slices.Contains(n.Registries, reg) {
				n.Registries = append(n.Registries, reg)
			}
		}
	}
	return n, nil
}

// orderedSchema is a Schema that lists the registries in the order the
// catalogue's reports list them.
type orderedSchema interface {
	// Registries returns the registries in their order.
	Registries() []string
}

// Registries returns the values of the schema's Registry enum, in order.
func (a astSchema) Registries() []string {
	def := a.s.Types["Registry"]
	if def == nil {
		return nil
	}
	out := make([]string, 0, len(def.EnumValues))
	for _, v := range def.EnumValues {
		out = append(out, v.Name)
	}
	return out
}

// registryOrder returns the schema's order of the registries, or none.
func registryOrder(s Schema) []string {
	if o, ok := s.(orderedSchema); ok {
		return o.Registries()
	}
	return nil
}

// keyedSchema is a Schema that knows the federation keys of entity types.
type keyedSchema interface {
	// Key returns the first key field of an entity type.
	Key(typeName string) (field string, ok bool)
}

// Key returns the first field of the type's @key, if it has one.
func (a astSchema) Key(typeName string) (string, bool) {
	def := a.s.Types[typeName]
	if def == nil {
		return "", false
	}
	d := def.Directives.ForName("key")
	if d == nil {
		return "", false
	}
	arg := d.Arguments.ForName("fields")
	if arg == nil {
		return "", false
	}
	f := strings.Fields(arg.Value.Raw)
	if len(f) == 0 {
		return "", false
	}
	return f[0], true
}
