package schema

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	s, err := Parse()
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"Person", "Company", "Address", "LifeEvent", "BusinessCase"} {
		if s.Types[typ] == nil {
			t.Errorf("type %s missing", typ)
		}
	}
	if s.Types["Person"].Directives.ForName("key") == nil {
		t.Error("Person has no @key")
	}
}

// TestEverythingIsDescribed holds the schema to its rule: every type
// (Query and Mutation too), field, argument, input field, enum value and
// directive says what it is, for the playground's documentation pane and
// the clients generated from it.
func TestEverythingIsDescribed(t *testing.T) {
	s, err := Parse()
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, name := range sortedNames(s.Types) {
		d := s.Types[name]
		if d.BuiltIn || strings.HasPrefix(name, "_") {
			continue
		}
		if strings.TrimSpace(d.Description) == "" {
			missing = append(missing, name)
		}
		for _, f := range d.Fields {
			if strings.HasPrefix(f.Name, "_") {
				continue
			}
			if strings.TrimSpace(f.Description) == "" {
				missing = append(missing, name+"."+f.Name)
			}
			for _, a := range f.Arguments {
				if strings.TrimSpace(a.Description) == "" {
					missing = append(missing, name+"."+f.Name+"("+a.Name+":)")
				}
			}
		}
		for _, v := range d.EnumValues {
			if strings.TrimSpace(v.Description) == "" {
				missing = append(missing, name+"."+v.Name)
			}
		}
	}
	for name, d := range s.Directives {
		if d.Position != nil && d.Position.Src != nil && d.Position.Src.BuiltIn {
			continue
		}
		if strings.TrimSpace(d.Description) == "" {
			missing = append(missing, "@"+name)
		}
		for _, a := range d.Arguments {
			if strings.TrimSpace(a.Description) == "" {
				missing = append(missing, "@"+name+"("+a.Name+":)")
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d elements without a description: %v", len(missing), missing)
	}
	for _, root := range []string{"Query", "Mutation"} {
		if s.Types[root] == nil || s.Types[root].Description == "" {
			t.Errorf("%s is not described", root)
		}
	}
}
