package schema

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the schema snapshot when the schema changed without breaking a client")

// TestSnapshot holds the schema to its committed snapshot: a change that
// breaks a client of the snapshot fails unless the snapshot deprecated the
// element first, and any other change fails until the snapshot is
// rewritten (go test ./schema -update) in the same commit.
func TestSnapshot(t *testing.T) {
	current, err := Parse()
	if err != nil {
		t.Fatal(err)
	}
	sdl := SDL(current)
	committed, err := os.ReadFile(SnapshotFile)
	if errors.Is(err, fs.ErrNotExist) && *update {
		committed = []byte(sdl)
		err = os.WriteFile(SnapshotFile, committed, 0o644)
	}
	if err != nil {
		t.Fatalf("%v: write it with go test ./schema -update", err)
	}
	old, err := ParseSDL(SnapshotFile, string(committed))
	if err != nil {
		t.Fatal(err)
	}
	if breaking := Breaking(old, current); len(breaking) > 0 {
		for _, c := range breaking {
			t.Errorf("breaking change: %s", c)
		}
		t.Fatalf("%d changes break clients of %s: deprecate the elements (@deprecated(reason: ...)) and update the snapshot first, then remove or change them in a later commit", len(breaking), SnapshotFile)
	}
	if sdl == string(committed) {
		return
	}
	if *update {
		if err := os.WriteFile(SnapshotFile, []byte(sdl), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the schema differs from %s without breaking a client: rewrite it with go test ./schema -update and commit it", SnapshotFile)
}

// TestBreaking checks that each kind of breaking change is found, and that
// a deprecation first lets it pass.
func TestBreaking(t *testing.T) {
	const base = `
"Q" type Query {
  "a" case(id: ID!, status: Status): Case
  "b" cases(first: Int): [Case!]!
  "old" legacy: String @deprecated(reason: "use cases")
}
"C" type Case implements Node { "i" id: ID! "s" status: Status "n" note: String }
"N" interface Node { "i" id: ID! }
"S" enum Status { "o" OPEN "c" CLOSED "g" GONE @deprecated(reason: "never used") }
"I" input Filter { "s" status: Status "t" text: String }
"U" union Item = Case | Other
"O" type Other { "x" x: Int }
extend type Query { "f" find(filter: Filter): [Item!] }
`
	cases := []struct {
		name, from, to string
		want           []string
	}{
		{"the same", "", "", nil},
		{"a field added", `"n" note: String }`, `"n" note: String "m" more: Int }`, nil},
		{"a field removed", ` "n" note: String }`, ` }`, []string{"Case.note"}},
		{"a deprecated field removed", ` "old" legacy: String @deprecated(reason: "use cases")`, ``, nil},
		{"a nullable field made non-null", `"s" status: Status "n"`, `"s" status: Status! "n"`, nil},
		{"a non-null field made nullable", `cases(first: Int): [Case!]!`, `cases(first: Int): [Case!]`, []string{"Query.cases"}},
		{"a list made a single value", `cases(first: Int): [Case!]!`, `cases(first: Int): Case!`, []string{"Query.cases"}},
		{"a string made an enum", `"t" text: String }`, `"t" text: Status }`, []string{"Filter.text"}},
		{"an enum value removed", ` "c" CLOSED`, ``, []string{"Status.CLOSED"}},
		{"a deprecated enum value removed", ` "g" GONE @deprecated(reason: "never used")`, ``, nil},
		{"an argument removed", `(id: ID!, status: Status)`, `(id: ID!)`, []string{"Query.case(status:)"}},
		{"an argument made required", `status: Status)`, `status: Status!)`, []string{"Query.case(status:)"}},
		{"an argument made optional", `case(id: ID!`, `case(id: ID`, nil},
		{"a required argument added", `cases(first: Int)`, `cases(first: Int, after: String!)`, []string{"Query.cases(after:)"}},
		{"an optional argument added", `cases(first: Int)`, `cases(first: Int, after: String)`, nil},
		{"an interface dropped", `type Case implements Node {`, `type Case {`, []string{"Case"}},
		{"a union member dropped", `union Item = Case | Other`, `union Item = Case`, []string{"Item"}},
		{"a required input field added", `"t" text: String }`, `"t" text: String "k" kind: Status! }`, []string{"Filter.kind"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			old, err := ParseSDL("old", base)
			if err != nil {
				t.Fatal(err)
			}
			changed := replaceOnce(t, base, tt.from, tt.to)
			new, err := ParseSDL("new", changed)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range Breaking(old, new) {
				got = append(got, c.Path)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("breaking = %v, want %v", Breaking(old, new), tt.want)
			}
		})
	}
}

func replaceOnce(t *testing.T, s, from, to string) string {
	t.Helper()
	if from == "" {
		return s
	}
	if strings.Count(s, from) != 1 {
		t.Fatalf("%q is not once in the base schema", from)
	}
	return strings.Replace(s, from, to, 1)
}
