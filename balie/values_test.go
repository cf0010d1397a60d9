package balie

import (
	"slices"
	"testing"

	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/policy"
)

func defaultPolicy(t *testing.T) (*policy.Policy, *lineage.Index) {
	t.Helper()
	ix, err := lineage.FromSchema(graph.NewExecutableSchema(graph.Config{}).Schema())
	if err != nil {
		t.Fatal(err)
	}
	pol, err := policy.LoadDefault(ix)
	if err != nil {
		t.Fatal(err)
	}
	return pol, ix
}

// forbidden is the hub's refusal of the field at path, as graph/access.go
// words it: the field, and the first purpose of the policy that shows it.
func forbidden(path []any, field, missing string) *result {
	ext := map[string]any{"code": "FORBIDDEN", "field": field}
	if missing != "" {
		ext["missingPurpose"] = missing
	}
	return &result{Errors: []gqlError{{Message: "forbidden", Path: path, Extensions: ext}}}
}

// TestForbiddenValueNamesOnlyThePurposesOfTheRole: the hint under a
// forbidden value names a purpose the signed-in role can hold, preferring
// one of the sign-in, and otherwise says the role does not see the field.
func TestForbiddenValueNamesOnlyThePurposesOfTheRole(t *testing.T) {
	pol, _ := defaultPolicy(t)
	advice := adviceByRole(pol)
	for _, tt := range []struct {
		name              string
		s                 session
		path              []any
		field, missing    string
		wantAllow, wantRo string
	}{
		{
			name:  "UWV data for the front office, whose role holds no purpose that shows it",
			s:     session{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen", "overlijden"}, Purpose: "kcc-algemeen"},
			path:  []any{"person", "employments"},
			field: "Person.employments", missing: "werk-en-inkomen",
			wantRo: "kcc-medewerker",
		},
		{
			name:  "UWV data for the consultant, whose role holds the purpose though this sign-in did not ask for it",
			s:     session{Role: "consulent-werk-en-inkomen", Purposes: []string{"kcc-algemeen"}, Purpose: "kcc-algemeen"},
			path:  []any{"person", "employments"},
			field: "Person.employments", missing: "werk-en-inkomen",
			wantAllow: "werk-en-inkomen",
		},
		{
			name:  "what a person holds, for the front office: a purpose of the sign-in first",
			s:     session{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen", "overlijden"}, Purpose: "kcc-algemeen"},
			path:  []any{"person", "realEstate"},
			field: "Person.realEstate", missing: "werk-en-inkomen",
			wantAllow: "overlijden",
		},
		{
			name:  "the hub's purpose for a structure when the role holds it",
			s:     session{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}, Purpose: "kcc-algemeen"},
			path:  []any{"person", "household"},
			field: "Person.noSuchLineage", missing: "verhuizen",
			wantAllow: "verhuizen",
		},
		{
			name:  "a role the policy does not know",
			s:     session{Role: "onbekend", Purposes: []string{"kcc-algemeen"}, Purpose: "kcc-algemeen"},
			path:  []any{"person", "employments"},
			field: "Person.employments", missing: "werk-en-inkomen",
			wantRo: "onbekend",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := newValues(forbidden(tt.path, tt.field, tt.missing), nil, &tt.s, advice)
			got := v.val("x", "person."+tt.path[1].(string), tt.field, "")
			if got.Forbidden != tt.s.Purpose || got.Allow != tt.wantAllow || got.Role != tt.wantRo {
				t.Errorf("forbidden %q, allow %q, role %q; want %q, %q, %q", got.Forbidden, got.Allow, got.Role, tt.s.Purpose, tt.wantAllow, tt.wantRo)
			}
		})
	}
}

// TestForbiddenValueAdviceHoldsForEveryRole: for every role, every purpose
// it acts under and every field with lineage that purpose hides, the hint
// names a purpose of the role that shows the field exactly when the role
// has one, and names the role otherwise.
func TestForbiddenValueAdviceHoldsForEveryRole(t *testing.T) {
	pol, ix := defaultPolicy(t)
	advice := adviceByRole(pol)
	shows := func(purpose string, f lineage.Field) bool {
		p, _ := pol.Purpose(purpose)
		return slices.ContainsFunc(p.Fields, func(g lineage.Field) bool { return g.Type == f.Type && g.Field == f.Field })
	}
	// The hub names the first purpose of the policy that shows a field.
	firstShowing := func(f lineage.Field) string {
		for _, p := range pol.Purposes() {
			if shows(p.Name, f) {
				return p.Name
			}
		}
		return ""
	}
	checked := 0
	for _, r := range pol.Roles() {
		for _, current := range r.Purposes {
			s := session{Role: r.Name, Purposes: []string{current}, Purpose: current}
			for _, f := range ix.All() {
				if shows(current, f) {
					continue
				}
				tf := f.Type + "." + f.Field
				v := newValues(forbidden([]any{"x", "y"}, tf, firstShowing(f)), nil, &s, advice)
				got := v.val("x", "x.y", tf, "")
				roleShows := slices.ContainsFunc(r.Purposes, func(p string) bool { return shows(p, f) })
				switch {
				case got.Allow != "" && (!slices.Contains(r.Purposes, got.Allow) || !shows(got.Allow, f)):
					t.Errorf("role %s under %s: %s advises %q, which the role cannot hold or which does not show it", r.Name, current, tf, got.Allow)
				case roleShows && got.Allow == "":
					t.Errorf("role %s under %s: %s names no purpose, though the role holds one that shows it", r.Name, current, tf)
				case !roleShows && got.Role != r.Name:
					t.Errorf("role %s under %s: %s names role %q, want the role", r.Name, current, tf, got.Role)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no forbidden field checked")
	}
}
