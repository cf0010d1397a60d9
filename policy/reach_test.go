package policy

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/poort-nl/poort/internal/lineage"
)

func reaches(fs []lineage.Field, typ, field string) bool {
	return slices.ContainsFunc(fs, func(f lineage.Field) bool { return f.Type == typ && f.Field == field })
}

// The tables in docs/security.md are what the default policy reaches.
func TestSecurityDocShowsTheDefaultPolicy(t *testing.T) {
	doc, err := os.ReadFile("../docs/security.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := SpliceAccessTable(string(doc), defaultPolicy(t).AccessTable(mustSchema()))
	if err != nil {
		t.Fatal(err)
	}
	if want != string(doc) {
		t.Fatal("docs/security.md does not show what the default policy reaches; run go generate ./policy")
	}
}

func TestReach(t *testing.T) {
	pol := defaultPolicy(t)
	s := mustSchema()
	kcc := pol.ReachOfPurpose(s, "kcc-algemeen")
	for _, tt := range []struct {
		typ, field string
		want       bool
	}{
		{"Birth", "date", true}, // through Person.birth, the structure of the date
		{"Birth", "place", false},
		{"PersonName", "fullName", true},
		{"Person", "children", false},
		{"Address", "residents", false},
		{"Residence", "street", true},
		{"Residence", "objectId", false},
		{"Query", "persons", true},
	} {
		if got := reaches(kcc, tt.typ, tt.field); got != tt.want {
			t.Errorf("kcc-algemeen reaches %s.%s: %v, want %v", tt.typ, tt.field, got, tt.want)
		}
	}
	// A purpose with BAG and BRK data reaches no person's data, not even
	// through an address's residents or a parcel's owners: the persons
	// need a BRP purpose, and what else an owner holds the search of a
	// person's rights, which the purpose leaves out.
	for _, f := range pol.ReachOfPurpose(s, "bouwen-en-verbouwen") {
		if f.Registry != "BAG" && f.Registry != "BRK" || f.Type == "Person" {
			t.Errorf("bouwen-en-verbouwen reaches %s.%s from %s", f.Type, f.Field, f.Registry)
		}
	}
	if got := pol.For(employee("auditor")).Reach(s); len(got) != 0 {
		t.Errorf("the auditor reaches %d fields", len(got))
	}
}

// The roles the documentation names as seeing UWV data are the only ones
// that reach it, through any path.
func TestOnlyWorkAndIncomeAndCitizensReachUWV(t *testing.T) {
	pol := defaultPolicy(t)
	s := mustSchema()
	for _, r := range pol.Roles() {
		uwv := slices.ContainsFunc(pol.ReachOfRole(s, r.Name), func(f lineage.Field) bool { return f.Registry == "UWV" })
		if want := r.Name == "consulent-werk-en-inkomen" || r.Name == "burger"; uwv != want {
			t.Errorf("role %s reaches UWV data: %v, want %v", r.Name, uwv, want)
		}
	}
}

// No purpose shows through an address, or a person's household, the
// family that it hides through children and partners.
func TestWhoLivesWithWhomOnlyWithFamily(t *testing.T) {
	pol := defaultPolicy(t)
	s := mustSchema()
	for _, p := range pol.Purposes() {
		reach := pol.ReachOfPurpose(s, p.Name)
		household := reaches(reach, "Address", "residents") || reaches(reach, "Person", "household")
		family := reaches(reach, "Person", "children") && reaches(reach, "Person", "partners")
		if household && !family {
			t.Errorf("purpose %s sees who lives with whom but not children and partners", p.Name)
		}
	}
}

// A refusal that names a purpose names one that reaches the field: the
// message never points past a rule of the policy.
func TestRefusalsNameOnlyPurposesThatReach(t *testing.T) {
	pol := defaultPolicy(t)
	s := mustSchema()
	reach := map[string][]lineage.Field{}
	for _, p := range pol.Purposes() {
		reach[p.Name] = pol.ReachOfPurpose(s, p.Name)
	}
	checked := 0
	for _, r := range pol.Roles() {
		for _, held := range append([][]string{nil}, splitEach(r.Purposes)...) {
			g := pol.For(employee(r.Name, held...))
			if r.Citizen {
				continue // a citizen's token names no purposes
			}
			for _, f := range testLineage(t).All() {
				d := g.Decide(f.Type, f.Field)
				if d.Allowed || d.MissingPurpose == "" {
					continue
				}
				checked++
				if !slices.Contains(r.Purposes, d.MissingPurpose) || !reaches(reach[d.MissingPurpose], f.Type, f.Field) {
					t.Errorf("role %s with %v: %s.%s names purpose %s, which does not reach it",
						r.Name, held, f.Type, f.Field, d.MissingPurpose)
				}
				if msg := d.Message(f.Type, f.Field); !strings.Contains(msg, d.MissingPurpose) {
					t.Errorf("message %q", msg)
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d refusals checked", checked)
	}
}

// splitEach returns each purpose on its own.
func splitEach(ps []string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = []string{p}
	}
	return out
}
