package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/globalid"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/server/hubtest"
	"github.com/poort-nl/poort/store"
)

// This file holds the property the audit log promises: for every response,
// every field of personal data it discloses is covered by an audit record
// naming the data subject whose object holds it, and nothing is recorded
// that the response did not disclose. The queries are generated from the
// schema: every root field, every field with lineage reached through every
// relation, random deeper walks through lists, inline and named fragments,
// and federation's _entities.

// auditTap passes records on to the audit log and keeps a copy of what was
// committed, so a test sees exactly what one request recorded.
type auditTap struct {
	next    audit.Appender
	mu      sync.Mutex
	records []store.AuditRecord
}

func (a *auditTap) AppendAudit(ctx context.Context, rs []store.AuditRecord) error {
	if err := a.next.AppendAudit(ctx, rs); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.records = append(a.records, rs...)
	return nil
}

// take returns the records committed since the last take.
func (a *auditTap) take() []store.AuditRecord {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := a.records
	a.records = nil
	return out
}

// newTappedHub is a test hub whose audit records the test can read.
func newTappedHub(t testing.TB) (*hubtest.Hub, *auditTap) {
	t.Helper()
	tap := &auditTap{}
	log, _ := logging.New(os.Stderr, "text", "error")
	h := newHubWith(t, log, server.Options{WrapAuditLog: func(next audit.Appender) audit.Appender {
		tap.next = next
		return tap
	}}, func(c *server.Config) {
		// The tests send hundreds of queries as one principal.
		c.Limits.Rate = 0
	})
	return h, tap
}

// disclosure is one source path about one data subject, as an audit record
// names it.
type disclosure struct {
	subjectType store.DataSubjectType
	subjectID   string
	operation   string // audit.OperationName(registry, endpoint)
	path        string
}

func (d disclosure) String() string {
	return fmt.Sprintf("%s %s: %s %s", d.subjectType, d.subjectID, d.operation, d.path)
}

func recorded(rs []store.AuditRecord) map[disclosure]bool {
	out := map[disclosure]bool{}
	for _, r := range rs {
		for _, f := range r.Fields {
			out[disclosure{r.DataSubject.Type, r.DataSubject.ID, r.Name, f}] = true
		}
	}
	return out
}

// selNode is a field of a generated query and what it selects. A node
// whose field starts with "... on " is a type condition (of a union or an
// interface).
type selNode struct {
	field    string
	args     string
	typ      string // the named type of the field, or the condition's type
	children []*selNode
}

func (n *selNode) isCondition() bool { return strings.HasPrefix(n.field, "... on ") }

func (n *selNode) child(field, args, typ string) *selNode {
	for _, c := range n.children {
		if c.field == field {
			return c
		}
	}
	c := &selNode{field: field, args: args, typ: typ}
	n.children = append(n.children, c)
	return c
}

// queryGen generates queries from the schema.
type queryGen struct {
	s   *ast.Schema
	ix  *lineage.Index
	rnd *rand.Rand
	// roots are the argument lists of every root field, one variant each
	// per query; "" for a field without required arguments.
	roots map[string][]string
	frags int
}

// step is one field of a path, or a type condition.
type step struct{ field, typ string }

// skipInWalks are fields the walks leave out: life-event pictures run a
// nested operation whose disclosures other tests check.
var skipInWalks = map[string]bool{"lifeEvent": true, "lifeEvents": true}

// fields returns the fields of an object type a walk may select.
func (g *queryGen) fields(typ string) []*ast.FieldDefinition {
	def := g.s.Types[typ]
	if def == nil || def.Kind != ast.Object {
		return nil
	}
	var out []*ast.FieldDefinition
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") || (typ != "Query" && skipInWalks[f.Name]) {
			continue
		}
		required := false
		for _, a := range f.Arguments {
			required = required || (a.Type.NonNull && a.DefaultValue == nil)
		}
		if required && typ != "Query" {
			continue
		}
		out = append(out, f)
	}
	return out
}

func (g *queryGen) isComposite(typ string) bool {
	d := g.s.Types[typ]
	return d != nil && (d.Kind == ast.Object || isAbstract(d))
}

// isAbstract reports whether a type is a union or an interface: a field
// of it selects through type conditions.
func isAbstract(d *ast.Definition) bool {
	return d != nil && (d.Kind == ast.Union || d.Kind == ast.Interface)
}

// members returns the object types of an abstract type.
func (g *queryGen) members(typ string) []string {
	var out []string
	for _, d := range g.s.PossibleTypes[typ] {
		out = append(out, d.Name)
	}
	slices.Sort(out)
	return out
}

// leaf completes a path ending in an object with fields down to a scalar,
// preferring fields with lineage.
func (g *queryGen) leaf(typ string, depth int) []step {
	if !g.isComposite(typ) {
		return nil
	}
	if isAbstract(g.s.Types[typ]) {
		ms := g.members(typ)
		m := ms[g.rnd.IntN(len(ms))]
		return append([]step{{"... on " + m, m}}, g.leaf(m, depth)...)
	}
	var withSource, all []*ast.FieldDefinition
	for _, f := range g.fields(typ) {
		if g.isComposite(f.Type.Name()) && depth <= 0 {
			continue
		}
		all = append(all, f)
		if _, ok := g.ix.Lookup(typ, f.Name); ok {
			withSource = append(withSource, f)
		}
	}
	pick := withSource
	if len(pick) == 0 || g.rnd.IntN(4) == 0 {
		pick = all
	}
	if len(pick) == 0 {
		return []step{{"__typename", "String"}}
	}
	f := pick[g.rnd.IntN(len(pick))]
	return append([]step{{f.Name, f.Type.Name()}}, g.leaf(f.Type.Name(), depth-1)...)
}

// coverage returns, for an object type reached by the prefix, a path to
// every field of the type and, through every relation of the type, to
// every field of the related type, each completed down to a scalar.
func (g *queryGen) coverage(prefix []step, typ string) [][]step {
	var out [][]step
	for _, f := range g.fields(typ) {
		ft := f.Type.Name()
		p := append(slices.Clone(prefix), step{f.Name, ft})
		if !g.isComposite(ft) {
			out = append(out, p)
			continue
		}
		if isAbstract(g.s.Types[ft]) {
			for _, m := range g.members(ft) {
				out = append(out, g.coverage(append(slices.Clone(p), step{"... on " + m, m}), m)...)
			}
			continue
		}
		for _, sub := range g.fields(ft) {
			st := sub.Type.Name()
			q := append(slices.Clone(p), step{sub.Name, st})
			out = append(out, append(q, g.leaf(st, 2)...))
		}
	}
	return out
}

// walk returns a random path of up to depth fields from typ.
func (g *queryGen) walk(prefix []step, typ string, depth int) []step {
	p := slices.Clone(prefix)
	for range depth {
		if isAbstract(g.s.Types[typ]) {
			ms := g.members(typ)
			m := ms[g.rnd.IntN(len(ms))]
			p = append(p, step{"... on " + m, m})
			typ = m
			continue
		}
		var rel []*ast.FieldDefinition
		for _, f := range g.fields(typ) {
			if g.isComposite(f.Type.Name()) {
				rel = append(rel, f)
			}
		}
		if len(rel) == 0 {
			break
		}
		f := rel[g.rnd.IntN(len(rel))]
		p = append(p, step{f.Name, f.Type.Name()})
		typ = f.Type.Name()
	}
	return append(p, g.leaf(typ, 2)...)
}

// reachesLineage reports whether any field with lineage can be reached
// from the type.
func (g *queryGen) reachesLineage(typ string) bool {
	seen := map[string]bool{}
	var visit func(string) bool
	visit = func(t string) bool {
		if seen[t] {
			return false
		}
		seen[t] = true
		if d := g.s.Types[t]; d != nil {
			for _, m := range d.Types {
				if visit(m) {
					return true
				}
			}
		}
		for _, f := range g.fields(t) {
			if _, ok := g.ix.Lookup(t, f.Name); ok || visit(f.Type.Name()) {
				return true
			}
		}
		return false
	}
	return visit(typ)
}

// add merges a path into the query's tree and returns how to take it out
// again.
func (g *queryGen) add(root *selNode, args string, path []step) (undo func()) {
	n := root
	undo = func() {}
	for i, s := range path {
		a := ""
		if i == 0 {
			a = args
		}
		before := len(n.children)
		parent := n
		n = n.child(s.field, a, s.typ)
		if len(parent.children) > before {
			prev := undo
			undo = func() {
				parent.children = parent.children[:before]
				prev()
			}
		}
	}
	return undo
}

// cost estimates a tree's cost as the hub's limit counts it: one per
// field, a list multiplying what it holds by ten.
func (g *queryGen) cost(typ string, n *selNode) int {
	sum := 0
	for _, c := range n.children {
		m := 1
		if d := g.s.Types[typ]; d != nil && !c.isCondition() {
			if fd := d.Fields.ForName(c.field); fd != nil && fd.Type.Elem != nil {
				m = 10
			}
		}
		sum += 1 + m*g.cost(c.typ, c)
	}
	return sum
}

// withKeys adds what identifies every object's data subject: a person's
// BSN, a company's or branch's KvK number, the person of a company role,
// the holder of a right on real estate, and the type of every union
// member.
func (g *queryGen) withKeys(n *selNode) {
	for _, c := range slices.Clone(n.children) {
		g.withKeys(c)
	}
	switch n.typ {
	case "Person":
		n.child("bsn", "", "String")
	case "Company", "Branch", "CompanySearchHit":
		n.child("kvkNumber", "", "String")
	case "CompanyRole":
		g.withKeys(n.child("person", "", "Person"))
	case "RealEstateRight":
		n.child("bsn", "", "String")
		n.child("rsin", "", "String")
	}
	if isAbstract(g.s.Types[n.typ]) {
		n.child("__typename", "", "String")
		for _, m := range g.members(n.typ) {
			c := n.child("... on "+m, "", m)
			if g.withKeys(c); len(c.children) == 0 {
				// A member about no one needs no key; an empty selection
				// would not parse.
				n.children = slices.DeleteFunc(n.children, func(x *selNode) bool { return x == c })
			}
		}
	}
}

// render writes the selection of n, wrapping some of it in inline or
// named fragments.
func (g *queryGen) render(b *strings.Builder, frags *strings.Builder, n *selNode) {
	if len(n.children) == 0 {
		return
	}
	b.WriteString(" {")
	kids := n.children
	if g.s.Types[n.typ].Kind == ast.Object && len(kids) > 1 && g.rnd.IntN(3) == 0 {
		cut := 1 + g.rnd.IntN(len(kids)-1)
		inner := &selNode{typ: n.typ, children: kids[cut:]}
		kids = kids[:cut]
		if g.rnd.IntN(2) == 0 {
			fmt.Fprintf(b, " ... on %s", n.typ)
			g.render(b, frags, inner)
		} else {
			g.frags++
			name := fmt.Sprintf("F%d", g.frags)
			fmt.Fprintf(b, " ...%s", name)
			var fb strings.Builder
			g.render(&fb, frags, inner)
			fmt.Fprintf(frags, "\nfragment %s on %s%s", name, n.typ, fb.String())
		}
	}
	for _, c := range kids {
		b.WriteString(" ")
		b.WriteString(c.field)
		b.WriteString(c.args)
		g.render(b, frags, c)
	}
	b.WriteString(" }")
}

// query renders a tree under Query as an operation.
func (g *queryGen) query(root *selNode) string {
	g.withKeys(root)
	var b, frags strings.Builder
	b.WriteString("query Generated")
	g.render(&b, &frags, root)
	b.WriteString(frags.String())
	return b.String()
}

// generatedQuery is a query and the tree it was rendered from.
type generatedQuery struct {
	text string
	tree *selNode
}

// maxCost keeps generated queries under the hub's default cost limit
// (20000), leaving room for the keys added to every object.
const maxCost = 8000

// queries generates, per root field, queries covering every field and
// relation reachable from it plus random deeper walks, perQuery paths each.
func (g *queryGen) queries(t *testing.T, perQuery, walks int) []generatedQuery {
	var out []generatedQuery
	for _, f := range g.fields("Query") {
		variants, ok := g.roots[f.Name]
		if !ok {
			t.Fatalf("root field %s has no arguments in the generator; add them", f.Name)
		}
		rt := f.Type.Name()
		root := []step{{f.Name, rt}}
		var paths [][]step
		if g.isComposite(rt) {
			paths = g.coverage(root, rt)
			for range walks {
				paths = append(paths, g.walk(root, rt, 1+g.rnd.IntN(4)))
			}
		} else {
			paths = [][]step{root}
		}
		g.rnd.Shuffle(len(paths), func(i, j int) { paths[i], paths[j] = paths[j], paths[i] })
		if !g.reachesLineage(rt) {
			// Nothing personal below it (the business case, the
			// catalogue): one query shows it records nothing.
			paths = paths[:min(perQuery, len(paths))]
		}
		var tree *selNode
		n, variant := 0, 0
		flush := func() {
			if tree != nil {
				out = append(out, generatedQuery{text: g.query(tree), tree: tree})
			}
			tree, n = nil, 0
		}
		for _, p := range paths {
			if tree == nil {
				tree = &selNode{typ: "Query"}
				variant++
			}
			undo := g.add(tree, variants[variant%len(variants)], p)
			if g.cost("Query", tree) > maxCost {
				undo()
				if n == 0 {
					tree = nil // this path alone costs too much
					continue
				}
				flush()
				tree = &selNode{typ: "Query"}
				variant++
				if g.add(tree, variants[variant%len(variants)], p); g.cost("Query", tree) > maxCost {
					tree = nil
					continue
				}
			}
			if n++; n == perQuery {
				flush()
			}
		}
		flush()
	}
	return out
}

// rootArguments gives every root field arguments that find data in the
// population: its scenario subjects, their companies, addresses and
// vehicles.
func rootArguments(t *testing.T, p *population.Population) map[string][]string {
	t.Helper()
	sc := p.Scenarios
	var persons []string
	for _, bsn := range []string{sc.Household, sc.RecentBirth, sc.JobLoss, sc.SoleProprietor, sc.CareDependent, sc.Traveller, sc.Mover, sc.Deceased, sc.VehicleOwner} {
		if _, ok := p.Person(bsn); !ok {
			t.Fatalf("scenario person %q is not in the population", bsn)
		}
		persons = append(persons, bsn)
	}
	household, _ := p.Person(sc.Household)
	home, ok := p.Address(household.AddressID)
	if !ok {
		t.Fatal("the household scenario has no address")
	}
	owned := p.CompaniesOf(sc.SoleProprietor)
	company, ok := p.Company(sc.NewCompany)
	if len(owned) == 0 || !ok || len(company.Branches) == 0 {
		t.Fatal("the population lacks the sole proprietor's company or the new company's branches")
	}
	branchAddress, _ := p.Address(company.Branches[0].AddressID)
	companyArgs := []string{fmt.Sprintf("(kvkNumber: %q)", owned[0].KvKNumber), fmt.Sprintf("(kvkNumber: %q)", sc.NewCompany)}
	for _, has := range []func(c population.Company) bool{
		func(c population.Company) bool { return c.RSIN != "" },
		func(c population.Company) bool { return c.EndDate != "" },
	} {
		if i := slices.IndexFunc(p.Companies, has); i >= 0 {
			companyArgs = append(companyArgs, fmt.Sprintf("(kvkNumber: %q)", p.Companies[i].KvKNumber))
		}
	}
	addressArgs := []string{"(id: " + fmt.Sprintf("%q", sc.Renovation) + ")", "(id: " + fmt.Sprintf("%q", home.ID) + ")"}
	for _, has := range []func(a population.Address) bool{
		func(a population.Address) bool { return a.HouseLetter != "" },
		func(a population.Address) bool { return a.Addition != "" },
	} {
		if i := slices.IndexFunc(p.Addresses, has); i >= 0 {
			addressArgs = append(addressArgs, fmt.Sprintf("(id: %q)", p.Addresses[i].ID))
		}
	}
	vehicles := p.VehiclesOfPerson(sc.VehicleOwner)
	if len(vehicles) == 0 {
		t.Fatal("the vehicle owner scenario holds no vehicle")
	}
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	var personArgs []string
	for _, b := range persons {
		personArgs = append(personArgs, "(bsn: "+q(b)+")")
	}
	entities := fmt.Sprintf(`(representations: [{__typename: "Person", bsn: %s}, {__typename: "Company", kvkNumber: %s}, {__typename: "Address", id: %s}, {__typename: "Person", bsn: %s}])`,
		q(sc.Household), q(owned[0].KvKNumber), q(sc.Renovation), q(sc.JobLoss))
	var searches []string
	for _, b := range []string{sc.Household, sc.Deceased} {
		x, _ := p.Person(b)
		searches = append(searches, fmt.Sprintf("(surname: %s, birthDate: %s, includeDeceased: true)", q(x.Surname), q(x.BirthDate.ISO())))
	}
	return map[string][]string{
		"person":              personArgs,
		"persons":             {fmt.Sprintf("(bsns: [%s, %s, %s, %s])", q(sc.Household), q(sc.JobLoss), q("999999990"), q(sc.Deceased))},
		"searchPersons":       searches,
		"company":             companyArgs,
		"branch":              {"(branchNumber: " + q(company.Branches[0].Number) + ")"},
		"searchCompanies":     {"(name: " + q(company.Name) + ")", fmt.Sprintf("(postcode: %s, houseNumber: %d)", q(branchAddress.Postcode), branchAddress.HouseNumber)},
		"address":             addressArgs,
		"addresses":           {fmt.Sprintf("(postcode: %s, houseNumber: %d)", q(home.Postcode), home.HouseNumber)},
		"vehicle":             {"(licencePlate: " + q(vehicles[0].Plate) + ")"},
		"_entities":           {entities},
		"_service":            {""},
		"lineage":             {""},
		"auditLog":            {"(subjectId: " + q(sc.Household) + ", first: 5)"},
		"lifeEvents":          {""},
		"lifeEventDefinition": {"(kind: BIRTH)"},
		"chainPartners":       {""},
		"couplingStandards":   {""},
		"couplingGaps":        {""},
		"couplingGapDiagram":  {"(format: MERMAID)"},
		"businessCase":        {`(municipality: "Utrecht", horizonYears: 3)`},
		"scaleCheck":          {"(horizonYears: 3)"},
		"tornado":             {`(municipality: "Utrecht", horizonYears: 3)`},
		"uncertainty":         {"(horizonYears: 3)"},
		"case":                {"(id: " + q(globalid.New(globalid.Case, uuid.Nil.String())) + ")"},
		"cases":               {"(first: 5)"},
		"handover":            {"(id: " + q(globalid.New(globalid.Handover, uuid.Nil.String())) + ")"},
		"node":                {"(id: " + q(globalid.New(globalid.Case, uuid.Nil.String())) + ")"},
		"handovers":           {"(status: HANDED_OVER)"},
		"parkedMessages":      {""},
	}
}

// disclosureOracle computes, from a response and the tree of its query,
// what the response disclosed about whom. It restates the rule of the
// audit log at the level of the JSON the client receives:
//
//   - a person is about their BSN; a company, a branch and a company
//     search hit about its KvK number; a company role about its person;
//   - a right on real estate is about its holder when a person, about no
//     one when a legal entity;
//   - an address, a residential object and a building are about no one;
//   - anything else is about whom the object holding it is about (a
//     vehicle found by its plate, under the query, about no one);
//   - a field with lineage discloses its source paths about the subject of
//     its object, or, on an object about no one, about every subject in
//     its value (the persons living at an address, the persons a root
//     field looks up);
//   - every entity _entities returns discloses its key.
type disclosureOracle struct {
	s   *ast.Schema
	ix  *lineage.Index
	pop *population.Population
	// want is what the response disclosed.
	want map[disclosure]bool
	// seen counts, per Type.field with lineage, the disclosures checked.
	seen map[string]int
}

// subject is whom an object of a response is about. The zero value is no
// one; unknown means the response does not name the subject (its key is
// null), which is fine as long as nothing about it is disclosed.
type subject struct {
	typ     store.DataSubjectType
	id      string
	unknown bool
}

// mainResource is the main API resource of a registry, as its registration
// names it for the audit log.
func mainResource(registry string) string {
	for _, r := range server.Registries() {
		if string(r.Connector.Registry) == registry {
			return r.Connector.Resource
		}
	}
	return ""
}

func (o *disclosureOracle) add(s subject, f lineage.Field, where string) error {
	switch {
	case s.unknown:
		return fmt.Errorf("%s discloses data whose subject the response does not name", where)
	case s.id != "":
		for _, p := range f.Paths() {
			o.want[disclosure{s.typ, s.id, audit.OperationName(f.Registry, f.Endpoint, mainResource(f.Registry)), p}] = true
		}
	}
	return nil
}

func elements(v any) []map[string]any {
	switch t := v.(type) {
	case map[string]any:
		return []map[string]any{t}
	case []any:
		var out []map[string]any
		for _, e := range t {
			out = append(out, elements(e)...)
		}
		return out
	}
	return nil
}

// subjectOf says whom the i-th object of a field of the type is about,
// given whom the object holding the field is about.
func (o *disclosureOracle) subjectOf(typ string, obj map[string]any, holder subject, i int) subject {
	str := func(v any) string { s, _ := v.(string); return s }
	key := func(t store.DataSubjectType, id string) subject {
		return subject{typ: t, id: id, unknown: id == ""}
	}
	switch typ {
	case "Person":
		return key(store.DataSubjectBSN, str(obj["bsn"]))
	case "Company", "Branch", "CompanySearchHit":
		return key(store.DataSubjectKvK, str(obj["kvkNumber"]))
	case "CompanyRole":
		// About its person: the one named, the person whose roles these
		// are, or the company's functionary at that place.
		p, _ := obj["person"].(map[string]any)
		if bsn := str(p["bsn"]); bsn != "" {
			return key(store.DataSubjectBSN, bsn)
		}
		if holder.typ == store.DataSubjectBSN {
			return holder
		}
		if c, ok := o.pop.Company(holder.id); ok && holder.typ == store.DataSubjectKvK && i < len(c.Functionaries) {
			return key(store.DataSubjectBSN, c.Functionaries[i].BSN)
		}
		return subject{unknown: true}
	case "RealEstateRight":
		// About its holder when a person; a legal entity's right is about
		// no one.
		if bsn := str(obj["bsn"]); bsn != "" {
			return key(store.DataSubjectBSN, bsn)
		}
		if str(obj["rsin"]) != "" {
			return subject{}
		}
		return subject{unknown: true}
	case "Address", "ResidentialObject", "Building":
		return subject{}
	}
	return holder
}

func (o *disclosureOracle) object(typ string, obj map[string]any, sels []*selNode, about subject) error {
	for _, n := range sels {
		if n.isCondition() {
			if obj["__typename"] == n.typ {
				if err := o.object(n.typ, obj, n.children, about); err != nil {
					return err
				}
			}
			continue
		}
		v, ok := obj[n.field]
		if !ok {
			return fmt.Errorf("%s.%s missing from the response", typ, n.field)
		}
		if v == nil {
			continue
		}
		where := typ + "." + n.field
		union := isAbstract(o.s.Types[n.typ])
		var objs []map[string]any
		var subjects []subject
		if d := o.s.Types[n.typ]; d.Kind == ast.Object || union {
			objs = elements(v)
			for i, e := range objs {
				et := n.typ
				if union {
					et, _ = e["__typename"].(string)
				}
				subjects = append(subjects, o.subjectOf(et, e, about, i))
			}
		}
		if typ == "Query" && n.field == "_entities" {
			for i, e := range objs {
				et, _ := e["__typename"].(string)
				if k, ok := o.ix.KeyOf(et); ok {
					if err := o.add(subjects[i], k, where); err != nil {
						return err
					}
				}
			}
		}
		if src, ok := o.ix.Lookup(typ, n.field); ok {
			o.seen[where]++
			if about != (subject{}) {
				if err := o.add(about, src, where); err != nil {
					return err
				}
			} else {
				for _, s := range subjects {
					if err := o.add(s, src, where); err != nil {
						return err
					}
				}
			}
		}
		for i, e := range objs {
			et := n.typ
			if union {
				et = "" // the type conditions below name it
			}
			if err := o.object(et, e, n.children, subjects[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkDisclosures runs one generated query as a principal and compares
// what the response disclosed with what the audit log recorded.
func checkDisclosures(t *testing.T, h *hubtest.Hub, tap *auditTap, o *disclosureOracle, token string, q generatedQuery, allowed func(hubtest.Error) bool) bool {
	t.Helper()
	tap.take()
	r := h.QueryAs(t, token, q.text, nil)
	got := recorded(tap.take())
	for _, e := range r.Errors {
		if !allowed(e) {
			t.Errorf("query %s\nerror %v: %s at %v", q.text, e.Extensions["code"], e.Message, e.Path)
			return false
		}
	}
	var data map[string]any
	if err := json.Unmarshal(r.Data, &data); err != nil {
		t.Errorf("query %s\ndata %s: %v", q.text, r.Data, err)
		return false
	}
	o.want = map[disclosure]bool{}
	if data != nil {
		if err := o.object("Query", data, q.tree.children, subject{}); err != nil {
			t.Errorf("query %s\n%v\ndata %s", q.text, err, r.Data)
			return false
		}
	}
	var missing, extra []string
	for d := range o.want {
		if !got[d] {
			missing = append(missing, d.String())
		}
	}
	for d := range got {
		if !o.want[d] {
			extra = append(extra, d.String())
		}
	}
	if len(missing)+len(extra) == 0 {
		return true
	}
	sort.Strings(missing)
	sort.Strings(extra)
	t.Errorf("query %s\ndisclosed but not recorded:\n  %s\nrecorded but not disclosed:\n  %s\ndata %s",
		q.text, strings.Join(missing, "\n  "), strings.Join(extra, "\n  "), r.Data)
	return false
}

// markSelected notes every Type.field the tree selects.
func markSelected(typ string, n *selNode, into map[string]bool) {
	for _, c := range n.children {
		if c.isCondition() {
			markSelected(c.typ, c, into)
			continue
		}
		into[typ+"."+c.field] = true
		markSelected(c.typ, c, into)
	}
}

// developerMayMeet are the errors a generated query may meet with the
// development role: a key the population does not know, and the audit log,
// which is the auditor's only.
func developerMayMeet(e hubtest.Error) bool {
	code := e.Extensions["code"]
	return code == "NOT_FOUND" || code == "FORBIDDEN" && len(e.Path) > 0 && e.Path[0] == "auditLog"
}

func TestEveryDisclosureIsRecordedUnderItsSubject(t *testing.T) {
	h, tap := newTappedHub(t)
	p := h.Mocks.Population
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	gen := &queryGen{s: s, ix: h.Lineage, rnd: rand.New(rand.NewPCG(10, 1)), roots: rootArguments(t, p)}
	queries := gen.queries(t, 12, 60)
	o := &disclosureOracle{s: s, ix: h.Lineage, pop: p, seen: map[string]int{}}

	// The development role sees everything: every generated query must
	// answer without errors, so the whole schema is exercised.
	failures := 0
	for _, q := range queries {
		if !checkDisclosures(t, h, tap, o, h.Token, q, developerMayMeet) {
			if failures++; failures >= 5 {
				t.Fatalf("stopping after %d failing queries of %d", failures, len(queries))
			}
		}
	}
	// Every field with lineage was selected, and the responses disclosed
	// enough to make the comparison mean something.
	selected := map[string]bool{}
	for _, q := range queries {
		markSelected("Query", q.tree, selected)
	}
	var never, valueless []string
	total := 0
	for _, f := range h.Lineage.All() {
		k := f.Type + "." + f.Field
		total += o.seen[k]
		switch {
		case !selected[k]:
			never = append(never, k)
		case o.seen[k] == 0:
			valueless = append(valueless, k)
		}
	}
	if len(never) > 0 {
		t.Errorf("no generated query selects %s", strings.Join(never, ", "))
	}
	if total < 2000 {
		t.Errorf("the responses disclosed only %d fields with lineage", total)
	}
	t.Logf("%d queries, %d disclosed fields with lineage; never with a value in this population: %s",
		len(queries), total, strings.Join(valueless, ", "))

	// Principals that may see less: refused fields are null, and what they
	// do see is recorded the same way.
	household, _ := p.Person(p.Scenarios.Household)
	principals := map[string]auth.Principal{
		"kcc general":       {Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}},
		"kcc birth":         {Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen", "burgerzaken-geboorte"}},
		"work and income":   {Role: "consulent-werk-en-inkomen", Purposes: []string{"werk-en-inkomen"}},
		"permits":           {Role: "vergunningverlener", Purposes: []string{"ondernemen", "bouwen-en-verbouwen"}},
		"citizen":           {Subject: "digid-1", Role: "burger", CitizenBSN: household.BSN},
		"auditor":           {Role: "auditor"},
		"district team":     {Role: "wijkteam-medewerker", Purposes: []string{"zorg-en-ondersteuning"}},
		"civil affairs all": {Role: "burgerzaken-medewerker", Purposes: []string{"reisdocumenten", "verhuizen", "overlijden"}},
	}
	names := make([]string, 0, len(principals))
	for n := range principals {
		names = append(names, n)
	}
	sort.Strings(names)
	rnd := rand.New(rand.NewPCG(11, 2))
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			tok := h.TokenFor(t, principals[name])
			for _, i := range rnd.Perm(len(queries))[:40] {
				if !checkDisclosures(t, h, tap, o, tok, queries[i], func(e hubtest.Error) bool {
					return developerMayMeet(e) || e.Extensions["code"] == "FORBIDDEN"
				}) {
					return
				}
			}
		})
	}
}
