package lifeevents

import (
	"github.com/poort-nl/poort/connectors"
	"strings"
	"testing"

	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/schema"
)

// realSchema returns the project's schema as a Schema.
func realSchema(t testing.TB) Schema {
	t.Helper()
	s, err := schema.Parse()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := lineage.FromSchema(s)
	if err != nil {
		t.Fatalf("lineage: %v", err)
	}
	return SchemaFromAST(s, ix)
}

// schemaRegistries returns the registries of the schema's Registry enum,
// in order.
func schemaRegistries(t testing.TB) []connectors.Registry {
	t.Helper()
	var out []connectors.Registry
	for _, r := range realSchema(t).(orderedSchema).Registries() {
		out = append(out, connectors.Registry(r))
	}
	if len(out) == 0 {
		t.Fatal("the schema lists no registries")
	}
	return out
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
	if !ok || reg != "UWV" || ep != "inkomstenverhoudingen" || path != "AdministratieveEenheid.RechtspersoonAdministratieveEenh.FiNr" {
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
