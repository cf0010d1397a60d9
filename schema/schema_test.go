package schema

import "testing"

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
