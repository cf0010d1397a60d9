package server_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/poort-nl/poort/internal/ident"
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/population"
)

// TestSubgraphLinksFederation2 reads the SDL a gateway composes and checks
// that it links the Federation 2 spec, so composition does not take Poort
// for a Federation 1 subgraph. The composition itself, with a second
// subgraph and a gateway, runs in federation/ (npm test).
func TestSubgraphLinksFederation2(t *testing.T) {
	h := newTestHub(t)
	var got struct {
		Service struct{ SDL string } `json:"_service"`
	}
	h.Query(t, `{ _service { sdl } }`, nil).Decode(t, &got)
	doc, err := parser.ParseSchema(&ast.Source{Name: "sdl", Input: got.Service.SDL})
	if err != nil {
		t.Fatalf("the SDL does not parse: %v", err)
	}
	var link *ast.Directive
	for _, ext := range doc.SchemaExtension {
		if d := ext.Directives.ForName("link"); d != nil {
			link = d
		}
	}
	if link == nil {
		t.Fatal("the SDL has no extend schema @link")
	}
	url := link.Arguments.ForName("url")
	if url == nil || !regexp.MustCompile(`^https://specs\.apollo\.dev/federation/v2\.\d+$`).MatchString(url.Value.Raw) {
		t.Fatalf("@link url = %v, want a Federation 2 spec", url)
	}
	var imports []string
	if imp := link.Arguments.ForName("import"); imp != nil {
		for _, c := range imp.Value.Children {
			imports = append(imports, c.Value.Raw)
		}
	}
	for _, want := range []string{"@key", "@shareable", "@inaccessible", "@override", "@requiresScopes", "@policy"} {
		if !slices.Contains(imports, want) {
			t.Errorf("@link imports %v, without %s", imports, want)
		}
	}
}

// TestEntitiesErrorsCarryTheirIndex resolves representations as a gateway
// sends them, of several types and some bad, and checks that every error
// names the index of its representation, also the errors a failing
// registry reports on an entity's fields.
func TestEntitiesErrorsCarryTheirIndex(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	person, _ := p.Person(p.Scenarios.Household)
	company, ok := p.Company(p.Scenarios.NewCompany)
	if person == nil || !ok {
		t.Fatal("the household or new company scenario is missing")
	}
	stranger := unknownBSN(t, p)
	const query = `query($r: [_Any!]!) { _entities(representations: $r) {
		... on Person { bsn name { surname } }
		... on Company { kvkNumber companyName: name } } }`
	reps := []map[string]any{
		{"__typename": "Company", "kvkNumber": company.KvKNumber},
		{"__typename": "Person", "bsn": person.BSN},
		{"__typename": "Person", "bsn": "12345"},
		{"__typename": "Person", "bsn": stranger},
	}

	t.Run("bad and unknown keys", func(t *testing.T) {
		h.Mocks.ResetCalls()
		r := h.Query(t, query, map[string]any{"r": reps})
		// The persons are asked together, as the loaders batch any list.
		if n, _ := h.Mocks.Calls("BRP"); n != 1 {
			t.Errorf("%d BRP calls for two persons, want 1", n)
		}
		var got struct {
			Entities []json.RawMessage `json:"_entities"`
		}
		if err := json.Unmarshal(r.Data, &got); err != nil || len(got.Entities) != len(reps) {
			t.Fatalf("data = %s (%v)", r.Data, err)
		}
		want := []string{
			`{"kvkNumber":"` + company.KvKNumber + `","companyName":"` + company.Name + `"}`,
			`{"bsn":"` + person.BSN + `","name":{"surname":"` + person.Surname + `"}}`,
			`null`, `null`,
		}
		for i, w := range want {
			if string(got.Entities[i]) != w {
				t.Errorf("_entities[%d] = %s, want %s", i, got.Entities[i], w)
			}
		}
		wantErrors := map[string]string{"_entities.2": "BAD_USER_INPUT", "_entities.3": "NOT_FOUND"}
		if len(r.Errors) != len(wantErrors) {
			t.Fatalf("errors = %+v, want %v", r.Errors, wantErrors)
		}
		for _, e := range r.Errors {
			if code := wantErrors[indexedPath(e.Path)]; code == "" || e.Extensions["code"] != code {
				t.Errorf("error %+v, want one of %v", e, wantErrors)
			}
		}
	})

	t.Run("representations a gateway cannot send", func(t *testing.T) {
		r := h.Query(t, query, map[string]any{"r": []map[string]any{
			reps[1],
			{"bsn": person.BSN},
			{"__typename": "PersonName", "bsn": person.BSN},
			{"__typename": "Person", "bsn": 999830600},
			{"__typename": "Company"},
		}})
		if string(r.Data) != "null" {
			t.Errorf("data = %s, want null: the argument is invalid", r.Data)
		}
		var paths []string
		for _, e := range r.Errors {
			if e.Extensions["code"] != "BAD_USER_INPUT" || e.Extensions["argument"] != "representations" {
				t.Errorf("error %+v, want BAD_USER_INPUT on representations", e)
			}
			paths = append(paths, indexedPath(e.Path))
		}
		if want := []string{"_entities.1", "_entities.2", "_entities.3", "_entities.4", "_entities"}; !slices.Equal(paths, want) {
			t.Fatalf("errors on %v, want %v", paths, want)
		}
	})

	t.Run("a registry down", func(t *testing.T) {
		defer h.Mocks.ClearFaults()
		if err := h.Mocks.Faults("BRP").Set(fault.Config{Status: 503}); err != nil {
			t.Fatal(err)
		}
		r := h.Query(t, query, map[string]any{"r": []map[string]any{reps[0], reps[1], reps[1]}})
		var paths []string
		for _, e := range r.Errors {
			if e.Extensions["code"] != "UPSTREAM_UNAVAILABLE" || e.Extensions["registry"] != "BRP" {
				t.Errorf("error %+v, want UPSTREAM_UNAVAILABLE from the BRP", e)
			}
			paths = append(paths, indexedPath(e.Path))
		}
		slices.Sort(paths)
		if want := []string{"_entities.1.name", "_entities.2.name"}; !slices.Equal(paths, want) {
			t.Fatalf("errors on %v, want %v", paths, want)
		}
	})
}

// indexedPath joins a response path with dots, indexes included.
func indexedPath(p []any) string {
	s := ""
	for i, e := range p {
		if i > 0 {
			s += "."
		}
		switch v := e.(type) {
		case string:
			s += v
		case float64:
			s += strconv.Itoa(int(v))
		}
	}
	return s
}

// unknownBSN returns a BSN that passes the elfproef but belongs to no one
// in the population, so the BRP does not know it.
func unknownBSN(t *testing.T, p *population.Population) string {
	t.Helper()
	for n := 999999999; n > 999000000; n-- {
		bsn := strconv.Itoa(n)
		if _, err := ident.ParseBSN(bsn); err != nil {
			continue
		}
		if _, known := p.Person(bsn); !known {
			return bsn
		}
	}
	t.Fatal("every valid 999 BSN is taken")
	return ""
}
