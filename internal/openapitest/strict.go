package openapitest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// strictifier rewrites a document's schemas so that a validator checks
// what they say, not less:
//
//   - An abstract schema with a discriminator and a mapping but no oneOf
//     (the Haal Centraal style: PersonenQueryResponse, AbstractDatum)
//     becomes a oneOf of its mapped schemas with the same discriminator.
//     kin-openapi follows a discriminator only through oneOf or anyOf;
//     without one it checks the abstract schema's few properties and
//     nothing of the concrete type's.
//   - A schema made of allOf parts becomes one object with all their
//     properties and required names, so that it can forbid the rest.
//   - Every object that lists its properties and says nothing of others
//     allows no others (additionalProperties: false). The published
//     documents allow unknown properties; a test that did too would pass a
//     misspelt or invented field.
//
// It copies: the loaded schemas are left as they were, so a schema used
// both as a type and as a part of another (an abstract base) keeps both
// roles.
type strictifier struct {
	doc  *openapi3.T
	done map[*openapi3.Schema]*openapi3.Schema
	// err is the first mapping that names no schema.
	err error
}

func newStrictifier(doc *openapi3.T) *strictifier {
	return &strictifier{doc: doc, done: map[*openapi3.Schema]*openapi3.Schema{}}
}

// mapped returns the schema a discriminator's mapping names. The loader
// leaves a mapping within the document unresolved: it is a plain string.
func (s *strictifier) mapped(m openapi3.MappingRef) *openapi3.Schema {
	if m.Value != nil {
		return m.Value
	}
	name := strings.TrimPrefix(m.Ref, "#/components/schemas/")
	if ref := s.doc.Components.Schemas[name]; ref != nil {
		return ref.Value
	}
	return nil
}

// ref returns the strict form of a schema reference, keeping its $ref so
// that a discriminator's mapping still finds it.
func (s *strictifier) ref(r *openapi3.SchemaRef) *openapi3.SchemaRef {
	if r == nil || r.Value == nil {
		return r
	}
	return &openapi3.SchemaRef{Ref: r.Ref, Value: s.schema(r.Value)}
}

func (s *strictifier) refs(rs openapi3.SchemaRefs) openapi3.SchemaRefs {
	if rs == nil {
		return nil
	}
	out := make(openapi3.SchemaRefs, len(rs))
	for i, r := range rs {
		out[i] = s.ref(r)
	}
	return out
}

// schema returns the strict form of a schema, made once per schema so
// that recursive schemas end.
func (s *strictifier) schema(in *openapi3.Schema) *openapi3.Schema {
	if out, ok := s.done[in]; ok {
		return out
	}
	out := &openapi3.Schema{}
	s.done[in] = out
	if d := in.Discriminator; d != nil && len(d.Mapping) > 0 && len(in.OneOf) == 0 && len(in.AnyOf) == 0 {
		// The abstract type: exactly one of its concrete types, picked by
		// the discriminator.
		out.Description = in.Description
		out.Discriminator = d
		for _, name := range slices.Sorted(maps.Keys(d.Mapping)) {
			m := d.Mapping[name]
			v := s.mapped(m)
			if v == nil {
				s.err = cmp.Or(s.err, fmt.Errorf("discriminator mapping %s: no schema %s", name, m.Ref))
				continue
			}
			ref := m.Ref
			if !strings.Contains(ref, "/") {
				ref = "#/components/schemas/" + ref
			}
			out.OneOf = append(out.OneOf, &openapi3.SchemaRef{Ref: ref, Value: s.concrete(v)})
		}
		return out
	}
	*out = *in
	out.Extensions = nil
	out.Discriminator = nil
	if isObject(in) && len(in.AllOf) > 0 {
		out.AllOf = nil
		out.Properties = openapi3.Schemas{}
		out.Required = nil
		s.merge(in, out)
	} else {
		out.AllOf = s.refs(in.AllOf)
		out.Properties = s.properties(in.Properties)
	}
	out.Items = s.ref(in.Items)
	out.OneOf = s.refs(in.OneOf)
	out.AnyOf = s.refs(in.AnyOf)
	if ap := in.AdditionalProperties.Schema; ap != nil {
		out.AdditionalProperties.Schema = s.ref(ap)
	}
	closeObject(out)
	return out
}

// concrete returns the strict form of a type mapped by an abstract base's
// discriminator: its parts merged, the base's discriminator dropped, so
// the base is not entered again.
func (s *strictifier) concrete(in *openapi3.Schema) *openapi3.Schema {
	if out, ok := s.done[in]; ok {
		return out
	}
	out := &openapi3.Schema{Description: in.Description, Properties: openapi3.Schemas{}}
	s.done[in] = out
	s.merge(in, out)
	closeObject(out)
	return out
}

// merge adds a schema's properties and required names, and those of its
// allOf parts, to out. A part that is not an object (a string with a
// pattern under a description) stays a part.
func (s *strictifier) merge(in, out *openapi3.Schema) {
	for _, part := range in.AllOf {
		p := part.Value
		if p == nil {
			continue
		}
		if isObject(p) {
			s.merge(p, out)
			continue
		}
		out.AllOf = append(out.AllOf, s.ref(part))
	}
	if out.Type == nil && isObject(in) {
		out.Type = &openapi3.Types{openapi3.TypeObject}
	}
	if out.Description == "" {
		out.Description = in.Description
	}
	for name, p := range in.Properties {
		out.Properties[name] = s.ref(p)
	}
	for _, r := range in.Required {
		if !slices.Contains(out.Required, r) {
			out.Required = append(out.Required, r)
		}
	}
	if in.AdditionalProperties.Has != nil || in.AdditionalProperties.Schema != nil {
		out.AdditionalProperties = in.AdditionalProperties
	}
}

func (s *strictifier) properties(in openapi3.Schemas) openapi3.Schemas {
	if in == nil {
		return nil
	}
	out := make(openapi3.Schemas, len(in))
	for name, p := range in {
		out[name] = s.ref(p)
	}
	return out
}

// closeObject forbids properties an object does not list, unless it says
// something of them itself. An object listing none is free-form and stays
// so.
func closeObject(out *openapi3.Schema) {
	if len(out.Properties) == 0 || out.AdditionalProperties.Has != nil || out.AdditionalProperties.Schema != nil {
		return
	}
	no := false
	out.AdditionalProperties.Has = &no
}

// isObject reports whether a schema describes an object: it lists
// properties, says so, or has a part that does. A string under a
// description (allOf of one string) is not one.
func isObject(s *openapi3.Schema) bool {
	if len(s.Properties) > 0 || (s.Type != nil && s.Type.Is(openapi3.TypeObject)) {
		return true
	}
	for _, part := range s.AllOf {
		if part.Value != nil && isObject(part.Value) {
			return true
		}
	}
	return false
}
