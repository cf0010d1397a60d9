package lifeevents

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/lineage"
)

// federationDecls declares the Apollo Federation directives the schema
// files may use; gqlgen adds them when it builds the executable schema,
// so the files themselves do not declare them.
var federationDecls = map[string]string{
	"key":             `directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE`,
	"shareable":       `directive @shareable repeatable on OBJECT | FIELD_DEFINITION`,
	"external":        `directive @external on FIELD_DEFINITION | OBJECT`,
	"requires":        `directive @requires(fields: String!) on FIELD_DEFINITION`,
	"provides":        `directive @provides(fields: String!) on FIELD_DEFINITION`,
	"extends":         `directive @extends on OBJECT | INTERFACE`,
	"inaccessible":    `directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION`,
	"tag":             `directive @tag(name: String!) repeatable on FIELD_DEFINITION | INTERFACE | OBJECT | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION`,
	"override":        `directive @override(from: String!) on FIELD_DEFINITION`,
	"interfaceObject": `directive @interfaceObject on OBJECT`,
}

var directiveUse = regexp.MustCompile(`@([A-Za-z_][A-Za-z0-9_]*)`)

// loadRealSchema parses ../schema/*.graphqls as gqlgen would, declaring the
// federation directives the files use without declaring, and a Query type
// when the files only extend it.
func loadRealSchema(t testing.TB) (*ast.Schema, *lineage.Index) {
	t.Helper()
	files, err := filepath.Glob("../schema/*.graphqls")
	if err != nil || len(files) == 0 {
		t.Fatalf("schema files: %v (%d found)", err, len(files))
	}
	sort.Strings(files)
	var sources []*ast.Source
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
		sources = append(sources, &ast.Source{Name: f, Input: string(b)})
	}
	text := all.String()
	var prelude []string
	used := map[string]bool{}
	for _, m := range directiveUse.FindAllStringSubmatch(text, -1) {
		used[m[1]] = true
	}
	for name, decl := range federationDecls {
		if used[name] && !strings.Contains(text, "directive @"+name) {
			prelude = append(prelude, decl)
		}
	}
	if !regexp.MustCompile(`(?m)^type Query\b`).MatchString(text) {
		prelude = append(prelude, `type Query`)
	}
	sort.Strings(prelude)
	if len(prelude) > 0 {
		sources = append([]*ast.Source{{Name: "federation.graphqls", Input: strings.Join(prelude, "\n") + "\n", BuiltIn: true}}, sources...)
	}
	s, gqlErr := gqlparser.LoadSchema(sources...)
	if gqlErr != nil {
		t.Fatalf("load schema: %v", gqlErr)
	}
	ix, err := lineage.FromSchema(s)
	if err != nil {
		t.Fatalf("lineage: %v", err)
	}
	return s, ix
}

// realSchema returns the project's schema as a Schema.
func realSchema(t testing.TB) Schema {
	t.Helper()
	s, ix := loadRealSchema(t)
	return SchemaFromAST(s, ix)
}

func TestSchemaFromAST(t *testing.T) {
	s := realSchema(t)
	if typ, ok := s.Field("Person", "parents"); !ok || typ != "Person" {
		t.Fatalf("Person.parents = %q, %v", typ, ok)
	}
	if _, ok := s.Field("Person", "nope"); ok {
		t.Fatal("Person.nope exists")
	}
	if _, ok := s.Field("String", "x"); ok {
		t.Fatal("a scalar has fields")
	}
	reg, ep, path, ok := s.Lineage("Employment", "employer")
	if !ok || reg != "UWV" || ep != "inkomstenverhoudingen" || path != "AdministratieveEenheid.KvKNr" {
		t.Fatalf("Employment.employer lineage = %q %q %q %v", reg, ep, path, ok)
	}
	if _, _, _, ok := s.Lineage("LicenceCategory", "code"); ok {
		t.Fatal("LicenceCategory.code has lineage")
	}
}

func TestTraceNeed(t *testing.T) {
	s := realSchema(t)
	n, err := traceNeed(s, "Person", "employments.employer.name")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(n.Registries, ","); got != "UWV,NHR" {
		t.Errorf("registries = %s, want UWV,NHR", got)
	}
	if len(n.Hops) != 3 || n.Hops[1].Type != "Employment" || n.Hops[2].SourcePath != "naam" {
		t.Errorf("hops = %+v", n.Hops)
	}
	for path, want := range map[string]string{
		"parents.nmae":                    `need "parents.nmae": type Person has no field "nmae"`,
		"name.givenNames.first":           `need "name.givenNames.first": type String has no field "first"`,
		"drivingLicences.categories.code": `need "drivingLicences.categories.code": field LicenceCategory.code has no registry lineage (@source), so the need does not trace to a registry`,
		"parents..name":                   `need "parents..name": empty field name`,
	} {
		if _, err := traceNeed(s, "Person", path); err == nil || err.Error() != want {
			t.Errorf("traceNeed(%q) = %v, want %s", path, err, want)
		}
	}
}
