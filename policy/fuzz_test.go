package policy

import (
	"errors"
	"testing"

	"github.com/poort-nl/poort/auth"
)

// FuzzParse checks that no policy file makes the loader panic, that a
// refusal is always a *ValidationError with lines inside the file, and
// that a policy it accepts is consistent: every role's purposes exist,
// every purpose is held by a role, and decisions never allow a field to
// a principal without a valid grant.
func FuzzParse(f *testing.F) {
	ix := testLineage(f)
	f.Add([]byte("purposes:\n  p:\n    description: d\n    sources: [BAG]\nroles:\n  r:\n    description: d\n    purposes: [p]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		pol, err := Parse("fuzz.yaml", src, ix)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("refusal is not a *ValidationError with problems: %v", err)
			}
			lines := 1
			for _, c := range src {
				if c == '\n' {
					lines++
				}
			}
			for _, p := range ve.Problems {
				if p.Line < 0 || p.Line > lines+1 {
					t.Fatalf("problem at line %d of a %d-line file: %s", p.Line, lines, p)
				}
			}
			return
		}
		held := map[string]bool{}
		for _, r := range pol.Roles() {
			for _, name := range r.Purposes {
				if _, ok := pol.Purpose(name); !ok {
					t.Fatalf("role %s holds unknown purpose %s", r.Name, name)
				}
				held[name] = true
			}
		}
		for _, p := range pol.Purposes() {
			if !held[p.Name] {
				t.Fatalf("purpose %s is held by no role", p.Name)
			}
		}
		stranger := pol.For(auth.Principal{Subject: "x", Role: "no-such-role-in-any-policy-Z"})
		for _, fd := range ix.All() {
			if stranger.Decide(fd.Type, fd.Field).Allowed {
				t.Fatalf("an unknown role may see %s.%s", fd.Type, fd.Field)
			}
		}
	})
}
