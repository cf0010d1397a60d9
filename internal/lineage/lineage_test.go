package lineage

import (
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const base = `
directive @source(registry: Registry!, endpoint: String, field: String!, derivedFrom: [String!]) on FIELD_DEFINITION
directive @key(fields: String!) on OBJECT
enum Registry { BRP BAG }
`

func load(t *testing.T, sdl string) (*Index, error) {
	t.Helper()
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "test.graphqls", Input: base + sdl})
	if err != nil {
		t.Fatalf("schema: %v", err)
	}
	return FromSchema(s)
}

func TestFromSchema(t *testing.T) {
	ix, err := load(t, `
type Query { person: Person }
type Person @key(fields: "bsn") {
  bsn: String! @source(registry: BRP, field: "burgerservicenummer")
  "The address."
  address: Address @source(registry: BRP, field: "verblijfplaats.nummeraanduidingIdentificatie")
  note: String
}
type Address @key(fields: "id") {
  id: String! @source(registry: BAG, field: "nummeraanduidingIdentificatie")
  surface: Int @source(registry: BAG, endpoint: "adresseerbareobjecten", field: "oppervlakte")
  inUse: Boolean @source(registry: BAG, endpoint: "adresseerbareobjecten", field: "status", derivedFrom: ["gebruiksdoelen"])
}`)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ix.All()); n != 5 {
		t.Fatalf("%d declarations, want 5", n)
	}
	inUse, _ := ix.Lookup("Address", "inUse")
	if got := inUse.Paths(); !slices.Equal(got, []string{"status", "gebruiksdoelen"}) {
		t.Fatalf("inUse paths = %v", got)
	}
	if err := ix.CheckPaths("BAG", "adresseerbareobjecten", []string{"oppervlakte", "status"}); err == nil ||
		!strings.Contains(err.Error(), `Address.inUse: BAG does not accept the path "gebruiksdoelen"`) {
		t.Fatalf("CheckPaths misses a derived path: %v", err)
	}
	bsn, ok := ix.Lookup("Person", "bsn")
	if !ok || !bsn.Key || bsn.Registry != "BRP" || bsn.Path != "burgerservicenummer" {
		t.Fatalf("bsn = %+v", bsn)
	}
	addr, _ := ix.Lookup("Person", "address")
	if !addr.Entity || addr.Description != "The address." {
		t.Fatalf("address = %+v", addr)
	}
	s, _ := ix.Lookup("Address", "surface")
	if s.Endpoint != "adresseerbareobjecten" {
		t.Fatalf("surface = %+v", s)
	}
	if k, ok := ix.KeyOf("Person"); !ok || k.Field != "bsn" {
		t.Fatalf("KeyOf(Person) = %+v, %v", k, ok)
	}
	if _, ok := ix.KeyOf("Query"); ok {
		t.Fatal("Query has a key")
	}
	if _, ok := ix.Lookup("Person", "note"); ok {
		t.Fatal("undeclared field has lineage")
	}
	if err := ix.CheckPaths("BRP", "", []string{"burgerservicenummer"}); err == nil ||
		!strings.Contains(err.Error(), `Person.address: BRP does not accept the path "verblijfplaats.nummeraanduidingIdentificatie"`) {
		t.Fatalf("CheckPaths = %v", err)
	}
	if err := ix.CheckPaths("BAG", "", []string{"nummeraanduidingIdentificatie"}); err != nil {
		t.Fatalf("CheckPaths(BAG) = %v", err)
	}
}

// TestWholeAnswers: a field that is a resource's whole answer is no path
// to check; the least of its records is what is asked when none is
// selected, and records that declare nothing of the resource are refused.
func TestWholeAnswers(t *testing.T) {
	ix, err := load(t, `
type Query { person: Person }
type Person {
  documents: [Document!] @source(registry: BRP, endpoint: "reisdocumenten", field: "reisdocumenten")
  notes: [Note!] @source(registry: BRP, endpoint: "notities", field: "notities")
}
type Document {
  number: String! @source(registry: BRP, endpoint: "reisdocumenten", field: "reisdocumentnummer")
  kind: String @source(registry: BRP, endpoint: "reisdocumenten", field: "soort")
}
type Note { text: String }`)
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := ix.Lookup("Person", "documents")
	if !docs.Whole() || docs.Of != "Document" {
		t.Fatalf("documents = %+v", docs)
	}
	if least, ok := ix.Least(docs); !ok || least != "reisdocumentnummer" {
		t.Fatalf("Least(documents) = %q, %v", least, ok)
	}
	if number, _ := ix.Lookup("Document", "number"); number.Whole() {
		t.Fatal("a path within the resource is taken for its whole answer")
	}
	if err := ix.CheckPaths("BRP", "reisdocumenten", []string{"reisdocumentnummer", "soort"}); err != nil {
		t.Fatalf("CheckPaths = %v", err)
	}
	if err := ix.CheckPaths("BRP", "notities", nil); err == nil || !strings.Contains(err.Error(), "Note declares none of its fields") {
		t.Fatalf("CheckPaths(notities) = %v", err)
	}
}

func TestFromSchemaRejectsBadDeclarations(t *testing.T) {
	_, err := load(t, `
type Query { x: X }
type X {
  a: String @source(registry: BRP, field: "")
}`)
	if err == nil || !strings.Contains(err.Error(), "X.a (test.graphqls:") || !strings.Contains(err.Error(), "without field path") {
		t.Fatalf("err = %v", err)
	}
}
