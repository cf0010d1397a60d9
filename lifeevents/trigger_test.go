package lifeevents

import (
	"strings"
	"testing"
)

func TestHappensAndRoles(t *testing.T) {
	c, err := LoadEmbedded(realSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	moving, _ := c.Event("moving")
	birth, _ := c.Event("birth")
	person := func(bsn, born, since string) map[string]any {
		return map[string]any{"bsn": bsn, "birth": map[string]any{"date": map[string]any{"date": born}},
			"residence": map[string]any{"since": map[string]any{"date": since}}}
	}

	for _, tc := range []struct {
		name    string
		facts   Facts
		applies string
		because string
	}{
		{"moved last month", Facts{Value: person("1", "1990-01-01", "2026-02-01")}, "true", "moved in on 2026-02-01"},
		{"a newborn registered at birth", Facts{Value: person("2", "2026-02-10", "2026-02-10")}, "false", "residence.since.date == birth.date.date"},
		{"settled for years", Facts{Value: person("3", "1990-01-01", "2010-05-01")}, "false", "no date from"},
		{"the residence withheld", Facts{Value: person("4", "1990-01-01", ""), Errors: []FactError{{Path: "residence", Code: "FORBIDDEN", Withheld: true}}},
			"<nil>", "outside the token's purposes"},
	} {
		tr, err := moving.Happens(tc.facts, today)
		if err != nil {
			t.Fatal(err)
		}
		applies := "<nil>"
		if tr.Applies != nil {
			applies = map[bool]string{true: "true", false: "false"}[*tr.Applies]
		}
		if applies != tc.applies || !strings.Contains(tr.Because, tc.because) {
			t.Errorf("%s: applies %s (%s), want %s (%s)", tc.name, applies, tr.Because, tc.applies, tc.because)
		}
	}

	// A parent takes part in the birth of each child born this year, not
	// in the others; the child is the anchor of its own.
	parent := Facts{Value: map[string]any{"bsn": "10", "birth": map[string]any{"date": map[string]any{"date": "1990-01-01"}},
		"children": []any{
			map[string]any{"bsn": "11", "birth": map[string]any{"date": map[string]any{"date": "2026-02-01"}}},
			map[string]any{"bsn": "12", "birth": map[string]any{"date": map[string]any{"date": "2019-02-01"}}},
		}}}
	out, err := birth.RolesOf(SubjectPerson, "10", parent, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Hits) != 1 || out.Hits[0].Role.ID != "parent" || out.Hits[0].Anchor != "11" || len(out.Unknown) != 0 {
		t.Errorf("parent's roles = %+v", out)
	}
	// Children withheld: the parent role cannot be told.
	parent.Errors = []FactError{{Path: "children", Code: "FORBIDDEN", Withheld: true}}
	if out, _ := birth.RolesOf(SubjectPerson, "10", parent, today); len(out.Hits) != 0 || len(out.Unknown) == 0 {
		t.Errorf("with the children withheld: %+v", out)
	}
	// The paths that tell the roles: the holder's own trigger, and the
	// children's keys and birth dates.
	paths := strings.Join(birth.RolePaths(SubjectPerson), " ")
	for _, want := range []string{"birth.date.date", "children.bsn", "children.birth.date.date"} {
		if !strings.Contains(paths, want) {
			t.Errorf("role paths %s lack %s", paths, want)
		}
	}
}
