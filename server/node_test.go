package server_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/globalid"
)

// TestNodeReadsAsTheTypesOwnQuery fetches an object of every type that
// implements Node by its global id, and checks that node(id:) answers what
// the type's own query answers, refuses whom that query refuses, and
// records the same disclosures in the audit log.
func TestNodeReadsAsTheTypesOwnQuery(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	kcc := employee(t, h, "kcc-medewerker", "kcc-algemeen", "overlijden")
	general := employee(t, h, "kcc-medewerker", "kcc-algemeen")
	auditor := h.TokenFor(t, auth.Principal{Role: "auditor"})
	deceased := p.Scenarios.Deceased

	_, c, _ := startLifeEvent(t, h, kcc, "DEATH", "PERSON", deceased, "DESK", "death-1")
	if c.ID == "" || len(c.Tasks) == 0 {
		t.Fatalf("case = %+v", c)
	}
	var made struct {
		HandOver struct{ Handover struct{ ID string } }
	}
	h.QueryAs(t, kcc, handOverMutation, map[string]any{"in": map[string]any{
		"caseId": c.ID, "toPartner": "svb", "reason": "surviving partner's pension", "notes": "asked twice", "idempotencyKey": "h-1",
	}}).Decode(t, &made)
	var log struct {
		AuditLog struct {
			Edges []struct{ Node struct{ ID, Hash string } }
		}
	}
	h.QueryAs(t, auditor, `query($id: String!) { auditLog(subjectId: $id, first: 1) { edges { node { id hash } } } }`,
		map[string]any{"id": deceased}).Decode(t, &log)
	if len(log.AuditLog.Edges) == 0 {
		t.Fatal("the audit log holds nothing about the subject")
	}
	record := log.AuditLog.Edges[0].Node

	cases := []struct {
		typ, id string
		// own is the type's own query, with the same selection; node's
		// selection is the same in a fragment on the type.
		own, selection string
		// may and mayNot are who may read the object, and who may not.
		may, mayNot string
		// auditedAs is the audit record's name and fields of one read.
		auditedAs string
	}{
		{"Case", c.ID, `case(id: $id)`, `id subjectId status tasks { status }`, kcc, general,
			"poort.zaken.raadplegen id,status,subjectId,tasks"},
		{"Task", c.Tasks[0].ID, ``, `id status kind`, kcc, general,
			"poort.zaken.raadplegen tasks.id,tasks.kind,tasks.status"},
		{"Handover", made.HandOver.Handover.ID, `handover(id: $id)`, `id reason notes`, kcc, general,
			"poort.overdrachten.raadplegen id,notes,reason"},
		{"AuditRecord", record.ID, ``, `id hash`, auditor, kcc, ""},
	}
	covered := map[string]bool{}
	for _, tt := range cases {
		covered[tt.typ] = true
		t.Run(tt.typ, func(t *testing.T) {
			// A fragment on Node as well: the audit record counts what it
			// selects, as a client sees it.
			node := `query($id: ID!) { node(id: $id) { __typename ... on Node { id } ... on ` + tt.typ + ` { ` + tt.selection + ` } } }`
			before := auditRecords(t, h, deceased)
			r := h.QueryAs(t, tt.may, node, map[string]any{"id": tt.id})
			var got struct{ Node map[string]any }
			r.Decode(t, &got)
			if got.Node["__typename"] != tt.typ || got.Node["id"] != tt.id {
				t.Fatalf("node = %v, want the %s with id %s", got.Node, tt.typ, tt.id)
			}
			if tt.typ == "AuditRecord" && got.Node["hash"] != record.Hash {
				t.Errorf("audit record by node = %v, want hash %s", got.Node, record.Hash)
			}
			// recordedSince checks that one read was recorded since the
			// audit log held before records, as tt.auditedAs.
			recordedSince := func(who string, before []auditRecord) []auditRecord {
				after := auditRecords(t, h, deceased)
				if tt.auditedAs == "" {
					return after
				}
				var added []string
				for _, rec := range after[len(before):] {
					added = append(added, rec.Name+" "+strings.Join(rec.Fields, ","))
					if rec.Purpose != "overlijden" {
						t.Errorf("%s: read recorded for purpose %q, want overlijden", who, rec.Purpose)
					}
				}
				if len(added) != 1 || added[0] != tt.auditedAs {
					t.Errorf("%s: the read was recorded as %q, want %q", who, added, tt.auditedAs)
				}
				return after
			}
			before = recordedSince("node", before)
			if tt.own != "" {
				var own struct{ Own map[string]any }
				h.QueryAs(t, tt.may, `query($id: ID!) { own: `+tt.own+` { __typename id `+tt.selection+` } }`, map[string]any{"id": tt.id}).Decode(t, &own)
				for k, v := range own.Own {
					if k != "tasks" && got.Node[k] != v {
						t.Errorf("node's %s = %v, %s's own query answers %v", k, got.Node[k], tt.typ, v)
					}
				}
				recordedSince(tt.own, before)
			}
			refused := h.QueryAs(t, tt.mayNot, node, map[string]any{"id": tt.id})
			if code(refused) != "FORBIDDEN" || !strings.Contains(string(refused.Data), `"node":null`) {
				t.Errorf("for whom its own query refuses: %s %+v", refused.Data, refused.Errors)
			}
		})
	}
	for _, d := range graph.NewExecutableSchema(graph.Config{}).Schema().PossibleTypes["Node"] {
		if !covered[d.Name] {
			t.Errorf("%s implements Node, but this test does not read one by node(id:)", d.Name)
		}
	}

	t.Run("ids that name nothing", func(t *testing.T) {
		for _, tt := range []struct{ name, id, code string }{
			{"not a global id", "not an id", "BAD_USER_INPUT"},
			{"a bare store id", uuid.Nil.String(), "BAD_USER_INPUT"},
			{"a type without global ids", globalid.New("Person", deceased), "BAD_USER_INPUT"},
			{"no such case", globalid.New(globalid.Case, uuid.NewString()), "NOT_FOUND"},
			{"no such audit record", globalid.New(globalid.AuditRecord, "999999"), "NOT_FOUND"},
		} {
			tok := kcc
			if strings.Contains(tt.name, "audit") {
				tok = auditor
			}
			r := h.QueryAs(t, tok, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": tt.id})
			if code(r) != tt.code {
				t.Errorf("%s: %+v, want %s", tt.name, r.Errors, tt.code)
			}
		}
		// The id of a task is not the id of a case.
		r := h.QueryAs(t, kcc, `query($id: ID!) { case(id: $id) { id } }`, map[string]any{"id": c.Tasks[0].ID})
		if code(r) != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "the id of a Task") {
			t.Errorf("case(id: a task's id): %+v", r.Errors)
		}
	})
}

// TestHandoversPageAsAConnection walks the handovers of a case a page at
// a time, at the root and below the case.
func TestHandoversPageAsAConnection(t *testing.T) {
	h := newTestHub(t)
	kcc := employee(t, h, "kcc-medewerker", "kcc-algemeen", "overlijden")
	_, c, _ := startLifeEvent(t, h, kcc, "DEATH", "PERSON", h.Mocks.Population.Scenarios.Deceased, "DESK", "death-1")
	var want []string
	for i, partner := range []string{"svb", "svb", "belastingdienst", "svb", "svb"} {
		var made struct {
			HandOver struct{ Handover struct{ ID string } }
		}
		h.QueryAs(t, kcc, handOverMutation, map[string]any{"in": map[string]any{
			"caseId": c.ID, "toPartner": partner, "reason": "question", "idempotencyKey": "h-" + string(rune('a'+i)),
		}}).Decode(t, &made)
		want = append(want, made.HandOver.Handover.ID)
	}
	for _, q := range []string{
		`query($case: ID!, $after: String) { list: handovers(caseId: $case, first: 2, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } } } }`,
		`query($case: ID!, $after: String) { case(id: $case) { list: handovers(first: 2, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } } } } }`,
	} {
		var got []string
		vars := map[string]any{"case": c.ID}
		for page := 0; ; page++ {
			var conn struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage, HasPreviousPage bool
					EndCursor                    string
				}
				Edges []struct{ Node struct{ ID string } }
			}
			r := h.QueryAs(t, kcc, q, vars)
			var data struct {
				List *json.RawMessage
				Case *struct{ List json.RawMessage }
			}
			r.Decode(t, &data)
			raw := data.List
			if data.Case != nil {
				raw = &data.Case.List
			}
			if err := json.Unmarshal(*raw, &conn); err != nil {
				t.Fatal(err)
			}
			if conn.TotalCount != len(want) || conn.PageInfo.HasPreviousPage != (page > 0) {
				t.Fatalf("page %d: %+v", page, conn)
			}
			for _, e := range conn.Edges {
				got = append(got, e.Node.ID)
			}
			if !conn.PageInfo.HasNextPage {
				break
			}
			vars["after"] = conn.PageInfo.EndCursor
		}
		if !slices.Equal(got, want) {
			t.Errorf("%.40s...: pages gave %v, want %v", q, got, want)
		}
	}
	// Another principal's count says nothing of what it may not see.
	var theirs struct{ Handovers struct{ TotalCount int } }
	h.QueryAs(t, employee(t, h, "kcc-medewerker", "kcc-algemeen"), `{ handovers(toPartner: "svb") { totalCount } }`, nil).Decode(t, &theirs)
	if theirs.Handovers.TotalCount != 0 {
		t.Errorf("general work counts %d handovers of a death case", theirs.Handovers.TotalCount)
	}
}

// TestCompanySearchPages walks a company search a page at a time, with
// pages that do not line up with the registry's, and finds the hits of
// one large page in the same order.
func TestCompanySearchPages(t *testing.T) {
	h := newTestHub(t)
	type page struct {
		SearchCompanies struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage, HasPreviousPage bool
				EndCursor                    string
			}
			Edges []struct {
				Node struct{ KvKNumber, Type string }
			}
		}
	}
	q := `query($name: String!, $first: Int, $after: String) { searchCompanies(name: $name, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { kvkNumber type } } } }`
	// The most common word of the company names whose search still fits
	// one page of 100: a search with many hits.
	words := map[string]int{}
	for _, c := range h.Mocks.Population.Companies {
		for _, w := range strings.Fields(c.Name) {
			if len(w) >= 4 {
				words[w]++
			}
		}
	}
	byCount := slices.SortedFunc(maps.Keys(words), func(a, b string) int {
		if d := words[b] - words[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	var word string
	var all page
	for _, w := range byCount {
		if words[w] < 8 {
			break
		}
		var pg page
		h.Query(t, q, map[string]any{"name": w, "first": 100}).Decode(t, &pg)
		if pg.SearchCompanies.TotalCount <= 100 {
			word, all = w, pg
			break
		}
	}
	if word == "" {
		t.Fatal("no word names 8 companies or more with a search that fits one page")
	}
	var want []string
	for _, e := range all.SearchCompanies.Edges {
		want = append(want, e.Node.KvKNumber)
		if e.Node.Type == "" {
			t.Errorf("hit %s without a type", e.Node.KvKNumber)
		}
	}
	if len(want) < 8 || all.SearchCompanies.TotalCount != len(want) || all.SearchCompanies.PageInfo.HasNextPage {
		t.Fatalf("one large page: %d hits of %d, hasNextPage %v", len(want), all.SearchCompanies.TotalCount, all.SearchCompanies.PageInfo.HasNextPage)
	}
	// Pages of 2, then 3, then 2...: each page after the first starts in
	// the middle of one of the registry's pages.
	var got []string
	vars := map[string]any{"name": word}
	for i := 0; ; i++ {
		vars["first"] = 2 + i%2
		var pg page
		h.Query(t, q, vars).Decode(t, &pg)
		if pg.SearchCompanies.PageInfo.HasPreviousPage != (i > 0) {
			t.Fatalf("page %d: hasPreviousPage %v", i, pg.SearchCompanies.PageInfo.HasPreviousPage)
		}
		for _, e := range pg.SearchCompanies.Edges {
			got = append(got, e.Node.KvKNumber)
		}
		if !pg.SearchCompanies.PageInfo.HasNextPage {
			break
		}
		vars["after"] = pg.SearchCompanies.PageInfo.EndCursor
	}
	if !slices.Equal(got, want) {
		t.Errorf("small pages gave %v, one page %v", got, want)
	}
	r := h.Query(t, q, map[string]any{"name": word, "after": "not a cursor"})
	if code(r) != "BAD_USER_INPUT" {
		t.Errorf("a bad cursor: %+v", r.Errors)
	}
}
