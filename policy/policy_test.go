package policy

import (
	"errors"
	"github.com/vektah/gqlparser/v2/ast"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/schema"
)

var schemaOnce = sync.OnceValues(func() (*lineage.Index, error) {
	return lineage.FromSchema(mustSchema())
})

func testLineage(t testing.TB) *lineage.Index {
	t.Helper()
	ix, err := schemaOnce()
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func defaultPolicy(t testing.TB) *Policy {
	t.Helper()
	pol, err := LoadDefault(testLineage(t))
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

func employee(role string, purposes ...string) auth.Principal {
	return auth.Principal{Subject: "emp-1", Organisation: "00000001234567890000", Role: role, Purposes: purposes}
}

func TestDecide(t *testing.T) {
	pol := defaultPolicy(t)
	citizen := auth.Principal{Subject: "digid-1", Role: "burger", CitizenBSN: "999990019"}
	tests := []struct {
		name        string
		p           auth.Principal
		typ, field  string
		allowed     bool
		purpose     string
		missing     string
		registry    string
		grantFailed bool
	}{
		{"kcc sees a name", employee("kcc-medewerker", "kcc-algemeen"), "PersonName", "surname", true, "kcc-algemeen", "", "BRP", false},
		{"kcc general may not see parents", employee("kcc-medewerker", "kcc-algemeen"), "Person", "parents", false, "", "burgerzaken-geboorte", "BRP", false},
		{"birth purpose sees parents", employee("kcc-medewerker", "kcc-algemeen", "burgerzaken-geboorte"), "Person", "parents", true, "burgerzaken-geboorte", "", "BRP", false},
		{"kcc may never see UWV", employee("kcc-medewerker", "kcc-algemeen"), "Person", "employments", false, "", "", "UWV", false},
		{"work and income sees UWV", employee("consulent-werk-en-inkomen", "werk-en-inkomen"), "Person", "employments", true, "werk-en-inkomen", "", "UWV", false},
		{"work and income sees benefits", employee("consulent-werk-en-inkomen", "werk-en-inkomen"), "Benefit", "law", true, "werk-en-inkomen", "", "UWV", false},
		{"travel sees travel documents", employee("burgerzaken-medewerker", "reisdocumenten"), "TravelDocument", "number", true, "reisdocumenten", "", "BRP", false},
		{"renovation sees buildings only", employee("vergunningverlener", "bouwen-en-verbouwen"), "Building", "yearBuilt", true, "bouwen-en-verbouwen", "", "BAG", false},
		{"renovation may not see residents", employee("vergunningverlener", "bouwen-en-verbouwen"), "Address", "residents", false, "", "", "BRP", false},
		{"kcc general sees a date of birth", employee("kcc-medewerker", "kcc-algemeen"), "Birth", "date", true, "kcc-algemeen", "", "BRP", false},
		{"kcc general sees birth, the structure of that date", employee("kcc-medewerker", "kcc-algemeen"), "Person", "birth", true, "kcc-algemeen", "burgerzaken-geboorte", "BRP", false},
		{"kcc general may not see the place of birth", employee("kcc-medewerker", "kcc-algemeen"), "Birth", "place", false, "", "burgerzaken-geboorte", "BRP", false},
		{"kcc general may not see residents", employee("kcc-medewerker", "kcc-algemeen"), "Address", "residents", false, "", "burgerzaken-geboorte", "BRP", false},
		{"kcc may not see benefits, even under death", employee("kcc-medewerker", "kcc-algemeen", "overlijden"), "Person", "benefits", false, "", "", "UWV", false},
		{"an auditor may not look persons up", auth.Principal{Subject: "a", Role: "auditor"}, "Query", "persons", false, "", "", "BRP", false},
		{"field without lineage", employee("vergunningverlener", "bouwen-en-verbouwen"), "Query", "lineage", true, "", "", "", false},
		{"auditor sees no registry data", auth.Principal{Subject: "a", Role: "auditor"}, "PersonName", "surname", false, "", "", "BRP", false},
		{"auditor sees fields without lineage", auth.Principal{Subject: "a", Role: "auditor"}, "Query", "lineage", true, "", "", "", false},
		{"citizen sees UWV data", citizen, "Person", "employments", true, "inzage-eigen-gegevens", "", "UWV", false},
		{"citizen role without BSN", auth.Principal{Subject: "x", Role: "burger"}, "PersonName", "surname", false, "", "", "BRP", true},
		{"employee role with BSN", auth.Principal{Subject: "x", Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}, CitizenBSN: "999990019"}, "PersonName", "surname", false, "", "", "BRP", true},
		{"unknown role", employee("hacker", "kcc-algemeen"), "PersonName", "surname", false, "", "", "BRP", true},
		{"purpose the role may not hold", employee("kcc-medewerker", "kcc-algemeen", "werk-en-inkomen"), "PersonName", "surname", false, "", "", "BRP", true},
		{"no purposes", employee("kcc-medewerker"), "PersonName", "surname", false, "", "kcc-algemeen", "BRP", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := pol.For(tt.p)
			if (g.Err() != nil) != tt.grantFailed {
				t.Errorf("grant error = %v, want failure %v", g.Err(), tt.grantFailed)
			}
			d := g.Decide(tt.typ, tt.field)
			if d.Allowed != tt.allowed || d.Purpose != tt.purpose || d.MissingPurpose != tt.missing || d.Source.Registry != tt.registry {
				t.Errorf("decision = %+v, want allowed %v purpose %q missing %q registry %q", d, tt.allowed, tt.purpose, tt.missing, tt.registry)
			}
			if pd := pol.Decide(tt.p, tt.typ, tt.field); pd != d {
				t.Errorf("Policy.Decide = %+v, Grant.Decide = %+v", pd, d)
			}
			if !d.Allowed {
				msg := d.Message(tt.typ, tt.field)
				if !strings.Contains(msg, tt.typ+"."+tt.field) || (tt.missing != "" && !strings.Contains(msg, tt.missing)) {
					t.Errorf("message %q does not name the field and the missing purpose", msg)
				}
			}
		})
	}
}

func TestEveryLineageFieldIsDecided(t *testing.T) {
	pol := defaultPolicy(t)
	g := pol.For(employee("vergunningverlener", "bouwen-en-verbouwen"))
	for _, f := range testLineage(t).All() {
		d := g.Decide(f.Type, f.Field)
		if d.Source != f.Source {
			t.Errorf("%s.%s: decision source %+v, want %+v", f.Type, f.Field, d.Source, f.Source)
		}
		// The purpose sees the BAG, and the BRK but for the search of what
		// a person holds.
		want := f.Registry == "BAG" || f.Registry == "BRK" && (f.Type != "Person" || f.Field != "realEstate")
		if d.Allowed != want {
			t.Errorf("%s.%s from %s: allowed = %v for the renovation purpose", f.Type, f.Field, f.Registry, d.Allowed)
		}
	}
}

func TestPurposeFor(t *testing.T) {
	pol := defaultPolicy(t)
	p := employee("kcc-medewerker", "kcc-algemeen", "burgerzaken-geboorte")
	tests := []struct {
		registry, endpoint, path string
		want                     string
		ok                       bool
	}{
		{"BRP", "", "naam.geslachtsnaam", "kcc-algemeen", true},
		{"BRP", "", "ouders.burgerservicenummer", "burgerzaken-geboorte", true},
		{"UWV", "inkomstenverhoudingen", "DatBIkv", "", false},
		{"BRP", "", "no.such.path", "", false},
	}
	for _, tt := range tests {
		got, ok := pol.PurposeFor(p, tt.registry, tt.endpoint, tt.path)
		if got != tt.want || ok != tt.ok {
			t.Errorf("PurposeFor(%s %s %s) = %q, %v; want %q, %v", tt.registry, tt.endpoint, tt.path, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCitizenMay(t *testing.T) {
	citizen := auth.Principal{Subject: "digid-1", Role: "burger", CitizenBSN: "999990019"}
	tests := []struct {
		name    string
		p       auth.Principal
		subject string
		rel     Relation
		want    bool
	}{
		{"own data", citizen, "999990019", RelationNone, true},
		{"minor child", citizen, "999990020", RelationMinorChild, true},
		{"a stranger", citizen, "999990032", RelationNone, false},
		{"an unknown subject", citizen, "", RelationNone, false},
		{"an employee is not bound by the citizen rule", employee("kcc-medewerker", "kcc-algemeen"), "999990032", RelationNone, true},
	}
	for _, tt := range tests {
		if got := CitizenMay(tt.p, tt.subject, tt.rel); got != tt.want {
			t.Errorf("%s: CitizenMay = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestAuditLogAccess(t *testing.T) {
	pol := defaultPolicy(t)
	if !pol.MayReadAuditLog(auth.Principal{Subject: "a", Role: "auditor"}) {
		t.Error("the auditor may not read the audit log")
	}
	for _, p := range []auth.Principal{
		employee("kcc-medewerker", "kcc-algemeen"),
		{Subject: "c", Role: "burger", CitizenBSN: "999990019"},
		{Subject: "c", Role: "auditor", CitizenBSN: "999990019"},
	} {
		if pol.MayReadAuditLog(p) {
			t.Errorf("%+v may read the audit log", p)
		}
	}
}

// TestLifeEventPurposesCoverTheirNeeds checks that the purpose of each life
// event allows every registry field that the event's front-office steps
// need, so the front office can do its job under that purpose.
func TestLifeEventPurposesCoverTheirNeeds(t *testing.T) {
	pol := defaultPolicy(t)
	ix := testLineage(t)
	cat, err := lifeevents.LoadEmbedded(lifeevents.SchemaFromAST(mustSchema(), ix))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	byEvent := map[string]Purpose{}
	for _, p := range pol.Purposes() {
		if p.LifeEvent != "" {
			byEvent[p.LifeEvent] = p
		}
	}
	for _, ev := range cat.EventList {
		pur, ok := byEvent[ev.ID]
		if !ok {
			t.Errorf("life event %s has no purpose", ev.ID)
			continue
		}
		role := ""
		for _, r := range pol.Roles() {
			if slices.Contains(r.Purposes, pur.Name) {
				role = r.Name
				break
			}
		}
		g := pol.For(employee(role, pur.Name))
		for _, st := range ev.Steps {
			if !st.CitizenFacing() {
				continue
			}
			for _, n := range st.Needs {
				for _, h := range n.Hops {
					checked++
					if d := g.Decide(h.Type, h.Field); !d.Allowed {
						t.Errorf("%s step %s needs %s: %s.%s (%s %s) is outside purpose %s",
							ev.ID, st.ID, n.Path, h.Type, h.Field, h.Registry, h.SourcePath, pur.Name)
					}
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d fields checked; the catalogue's front-office needs were not found", checked)
	}
}

func TestPurposesEnumerateTheirFields(t *testing.T) {
	pol := defaultPolicy(t)
	for _, p := range pol.Purposes() {
		if len(p.Fields) == 0 {
			t.Errorf("purpose %s allows no field", p.Name)
		}
		if !strings.HasPrefix(p.ProcessingActivity, "https://register.gemeente.example/verwerkingsactiviteiten/") {
			t.Errorf("purpose %s: processing activity %q", p.Name, p.ProcessingActivity)
		}
	}
	renovation, _ := pol.Purpose("bouwen-en-verbouwen")
	for _, f := range renovation.Fields {
		if f.Registry != "BAG" && f.Registry != "BRK" {
			t.Errorf("renovation allows %s.%s from %s", f.Type, f.Field, f.Registry)
		}
	}
}

func TestParseReportsProblemsWithLines(t *testing.T) {
	ix := testLineage(t)
	tests := []struct {
		name, src string
		want      []string
	}{
		{"not YAML", "purposes: [", []string{"bad.yaml:1: invalid YAML"}},
		{"empty", "", []string{"bad.yaml:1: empty policy"}},
		{"unknown registry, resource and path", `
purposes:
  p:
    description: d
    sources:
      - KADASTER
      - BAG/kadastraleobjecten
      - BRP:naam.roepnaam
      - BRP:na*m
roles:
  r:
    description: d
    purposes: [p]
`, []string{
			`bad.yaml:6: purpose p: source "KADASTER": no field of the schema comes from registry "KADASTER"`,
			`bad.yaml:7: purpose p: source "BAG/kadastraleobjecten": registry BAG has no resource "kadastraleobjecten"`,
			`bad.yaml:8: purpose p: source "BRP:naam.roepnaam" matches no field`,
			`bad.yaml:9: purpose p: source "BRP:na*m": write a path`,
		}},
		{"roles and purposes referenced inconsistently", `
purposes:
  used:
    description: d
    sources: [BAG]
  unused:
    description: d
    sources: [BAG]
roles:
  r:
    description: d
    purposes: [used, missing, used]
  empty:
    description: d
`, []string{
			`bad.yaml:6: purpose "unused" is held by no role`,
			`bad.yaml:12: role r: unknown purpose "missing"; define it under purposes`,
			`bad.yaml:12: role r: purpose "used" listed twice`,
			`bad.yaml:14: role empty grants nothing`,
		}},
		{"wrong shapes and keys", `
register: not a uri
purposes:
  Bad_Name:
    description: d
    sources: [BAG]
  p:
    description: d
    lifeEvent: wedding
    sources: BAG
    colour: blue
roles:
  r:
    description: d
    purposes: [p]
    auditLog: yes
    citizen: true
`, []string{
			`bad.yaml:2: register "not a uri" must be an absolute URI`,
			`bad.yaml:4: purpose name "Bad_Name"`,
			`bad.yaml:9: purpose p: unknown life event "wedding"`,
			`bad.yaml:11: purpose p: unknown key "colour"`,
			`purpose p: sources must list at least one source`,
			`bad.yaml:16: role r: auditLog must be true or false`,
		}},
		{"case work for events no purpose serves, or none at all", `
purposes:
  p:
    description: d
    lifeEvent: birth
    sources: [BAG]
roles:
  r:
    description: d
    purposes: [p]
    team: Front Office
    caseWork: [birth, death, wedding, birth]
`, []string{
			`bad.yaml:11: role r: team "Front Office"`,
			`bad.yaml:12: role r: caseWork: no purpose serves life event "death"`,
			`bad.yaml:12: role r: caseWork: unknown life event "wedding"`,
			`bad.yaml:12: role r: caseWork: life event "birth" listed twice`,
		}},
		{"anchors", `
purposes:
  p: &x
    description: d
    sources: [BAG]
roles:
  r: {description: d, purposes: [p]}
`, []string{"anchors and aliases are not supported"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tt.src), ix)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("missing problem %q in:\n%v", w, err)
				}
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	ix := testLineage(t)
	if _, err := Load("testdata/minimal.yaml", ix); err != nil {
		t.Fatal(err)
	}
	if _, err := Load("testdata/no-such-file.yaml", ix); err == nil {
		t.Error("a missing file loaded")
	}
	pol, err := Load("", ix)
	if err != nil || pol.File() != DefaultFile {
		t.Errorf("Load(\"\") = %v, %v; want the embedded default", pol, err)
	}
}

func BenchmarkGrantDecide(b *testing.B) {
	pol := defaultPolicy(b)
	g := pol.For(employee("kcc-medewerker", "kcc-algemeen", "burgerzaken-geboorte"))
	for b.Loop() {
		g.Decide("PersonName", "surname")
		g.Decide("Person", "parents")
		g.Decide("Query", "person")
	}
}

func BenchmarkPolicyDecide(b *testing.B) {
	pol := defaultPolicy(b)
	p := employee("kcc-medewerker", "kcc-algemeen", "burgerzaken-geboorte")
	for b.Loop() {
		pol.Decide(p, "PersonName", "surname")
	}
}

func TestLoadDevelopment(t *testing.T) {
	ix := testLineage(t)
	pol, err := LoadDevelopment(ix)
	if err != nil {
		t.Fatal(err)
	}
	dev := auth.Principal{Subject: "dev", Role: DevelopmentRole}
	for _, f := range ix.All() {
		if d := pol.Decide(dev, f.Type, f.Field); !d.Allowed {
			t.Errorf("%s.%s refused to the development role", f.Type, f.Field)
		}
	}
	def, _ := LoadDefault(ix)
	if d := def.Decide(dev, "Person", "name"); d.Allowed {
		t.Error("the default policy knows the development role")
	}
}

func mustSchema() *ast.Schema {
	s, err := schema.Parse()
	if err != nil {
		panic(err)
	}
	return s
}

// A field derived from several registry paths is allowed only by a purpose
// that covers every one of them.
func TestDerivedFieldNeedsEveryPath(t *testing.T) {
	ix := testLineage(t)
	src := func(paths ...string) []byte {
		return []byte(`purposes:
  reizen:
    description: Travel documents.
    sources: [` + strings.Join(paths, ", ") + `]
roles:
  baliemedewerker:
    description: Front office.
    purposes: [reizen]
`)
	}
	who := employee("baliemedewerker", "reizen")
	for _, tc := range []struct {
		paths []string
		valid bool
	}{
		{[]string{"BRP/reisdocumenten:datumEindeGeldigheid"}, false},
		{[]string{"BRP/reisdocumenten:datumEindeGeldigheid", "BRP/reisdocumenten:inhoudingOfVermissing"}, true},
		{[]string{"BRP/reisdocumenten"}, true},
	} {
		pol, err := Parse("derived.yaml", src(tc.paths...), ix)
		if err != nil {
			t.Fatalf("%v: %v", tc.paths, err)
		}
		if !pol.Decide(who, "TravelDocument", "expires").Allowed {
			t.Errorf("%v: expires is refused", tc.paths)
		}
		if got := pol.Decide(who, "TravelDocument", "valid").Allowed; got != tc.valid {
			t.Errorf("%v: valid allowed = %v, want %v", tc.paths, got, tc.valid)
		}
	}
}

// Case work for a life event comes with a purpose in force that serves the
// event, or with the role's caseWork, and is done, and recorded, under the
// event's purpose; a grant that fails allows none.
func TestCaseWork(t *testing.T) {
	pol := defaultPolicy(t)
	tests := []struct {
		name    string
		p       auth.Principal
		event   string
		purpose string // "" when refused
	}{
		{"the event's purpose in force", employee("kcc-medewerker", "overlijden"), "death", "overlijden"},
		{"a purpose of another event", employee("kcc-medewerker", "verhuizen"), "death", ""},
		{"the role may hold it, the token does not name it", employee("kcc-medewerker", "kcc-algemeen"), "death", ""},
		{"caseWork without the purpose", employee("kcc-medewerker", "kcc-algemeen"), "becoming-unemployed", "werk-en-inkomen"},
		{"the consultant by purpose", employee("consulent-werk-en-inkomen", "werk-en-inkomen"), "becoming-unemployed", "werk-en-inkomen"},
		{"a purpose the role may not hold spoils the grant", employee("kcc-medewerker", "werk-en-inkomen"), "becoming-unemployed", ""},
		{"the auditor", employee("auditor"), "birth", ""},
		{"an unknown role", employee("stranger", "overlijden"), "death", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := pol.For(tt.p).CaseWork(tt.event)
			if got != tt.purpose || ok != (tt.purpose != "") {
				t.Fatalf("CaseWork(%s) = %q, %v; want %q", tt.event, got, ok, tt.purpose)
			}
		})
	}
	g := pol.For(employee("kcc-medewerker", "kcc-algemeen", "overlijden"))
	if got := g.CaseEvents(); !slices.Equal(got, []string{"becoming-unemployed", "becoming-dependent-on-care", "death"}) {
		t.Fatalf("CaseEvents = %v", got)
	}
	if g.Team() != "front-office" {
		t.Fatalf("Team = %q", g.Team())
	}
}

// A structure is allowed with any of its parts, and says when it is allowed
// only in parts, so the hub asks for those parts and not the whole.
func TestStructuresAllowedInParts(t *testing.T) {
	pol := defaultPolicy(t)
	for _, tt := range []struct {
		purpose       string
		allowed, part bool
	}{
		{"kcc-algemeen", true, true},          // geboorte.datum only
		{"burgerzaken-geboorte", true, false}, // geboorte.*
		{"bouwen-en-verbouwen", false, false}, // no BRP data
	} {
		d := pol.For(employee("kcc-medewerker", tt.purpose)).Decide("Person", "birth")
		if d.Allowed != tt.allowed || d.Partly != tt.part {
			t.Errorf("%s: Person.birth %+v, want allowed %v, in parts %v", tt.purpose, d, tt.allowed, tt.part)
		}
	}
}
