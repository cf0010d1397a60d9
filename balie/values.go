package balie

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/poort-nl/poort/policy"
)

// value is one value on a page: what it is, where it comes from, or why
// it is not there.
type value struct {
	Label string
	Value string
	Link  string
	// Source is the value's lineage; ID ties it to its tooltip.
	Source string
	ID     string
	// Forbidden is the purpose that does not allow the value; Allow names
	// a purpose of the employee's role that would, and Role is the role
	// when none of its purposes would.
	Forbidden string
	Allow     string
	Role      string
	// Unavailable says which registry failed, with the error code.
	Unavailable string
}

// table is a list of values on a page.
type table struct {
	Caption string
	Columns []string
	Rows    [][]value
	Empty   string
	// Whole stands in for the rows when the whole list is forbidden or
	// unavailable.
	Whole *value
}

// section groups a subject's values, as a card shows them.
type section struct {
	ID, Title string
	Facts     []value
	Tables    []table
	// Unavailable lists the registries that failed for this section.
	Unavailable    []outage
	AllUnavailable bool
}

type outage struct{ Registry, Code, What string }

// lineageEntry is one line of the graph's lineage.
type lineageEntry struct {
	Type       string  `json:"type"`
	Field      string  `json:"field"`
	Registry   string  `json:"registry"`
	Endpoint   *string `json:"endpoint"`
	SourcePath string  `json:"sourcePath"`
}

func (l lineageEntry) String() string {
	s := l.Registry
	if l.Endpoint != nil && *l.Endpoint != "" {
		s += " (" + *l.Endpoint + ")"
	}
	return s + ", " + l.SourcePath
}

// roleAdvice is what a role's purposes show, to name a purpose that would
// show a field the current one hides: a purpose the employee's role can
// never hold is no advice, so the console names only the role's own.
type roleAdvice struct {
	// purposes are the role's purposes.
	purposes []string
	// fields maps each field with lineage ("Type.field") to the role's
	// purposes that show it.
	fields map[string][]string
}

// adviceByRole gives each role of the policy its advice.
func adviceByRole(pol *policy.Policy) map[string]roleAdvice {
	byName := map[string]policy.Purpose{}
	for _, p := range pol.Purposes() {
		byName[p.Name] = p
	}
	m := map[string]roleAdvice{}
	for _, r := range pol.Roles() {
		a := roleAdvice{purposes: r.Purposes, fields: map[string][]string{}}
		for _, name := range r.Purposes {
			for _, f := range byName[name].Fields {
				k := f.Type + "." + f.Field
				a.fields[k] = append(a.fields[k], name)
			}
		}
		m[r.Name] = a
	}
	return m
}

// values builds the values of one operation's response: their lineage,
// and what the response's errors say about them.
type values struct {
	res     *result
	lineage map[string]lineageEntry
	purpose string
	role    string
	// granted are the purposes the employee may switch to; they come
	// first when naming a purpose that would show a field.
	granted []string
	// advice is what the employee's role's purposes show.
	advice roleAdvice
	n      int
}

func newValues(res *result, lineage []lineageEntry, s *session, advice map[string]roleAdvice) *values {
	v := &values{res: res, lineage: map[string]lineageEntry{}, purpose: s.Purpose, role: s.Role, granted: s.Purposes, advice: advice[s.Role]}
	for _, l := range lineage {
		v.lineage[l.Type+"."+l.Field] = l
	}
	return v
}

// problem says why the value at path (list indexes left out, e.g.
// "person.name.fullName") is missing, looking at the path and its parents
// below the root field. typeField ("PersonName.fullName") names the field
// for the purposes that would show it.
func (v *values) problem(path, typeField string) (p problem) {
	parts := strings.Split(path, ".")
	for i := len(parts); i >= 2; i-- {
		e, ok := v.res.exactly(strings.Join(parts[:i], "."))
		if !ok {
			continue
		}
		switch code := e.code(); {
		case code == "FORBIDDEN":
			p.forbidden, p.allow = v.purpose, v.otherPurpose(e, typeField)
			if p.allow == "" {
				p.role = v.role
			}
		case strings.HasPrefix(code, "UPSTREAM_"):
			p.unavailable = e.registry() + " " + code
		case code != "":
			p.unavailable = code
		default:
			p.unavailable = "fout"
		}
		return p
	}
	return p
}

// problem is why a value is missing: forbidden under a purpose (with one
// of the role's purposes that would show it, or else the role), or
// unavailable.
type problem struct{ forbidden, allow, role, unavailable string }

// otherPurpose names a purpose of the employee's role that would show the
// field: one the employee may switch to, else the one the hub names (for a
// structure, which has no lineage), else the first the role holds; ""
// when no purpose of the role shows it.
func (v *values) otherPurpose(e gqlError, typeField string) string {
	if f := e.ext("field"); f != "" {
		typeField = f
	}
	allowing := slices.DeleteFunc(slices.Clone(v.advice.fields[typeField]), func(p string) bool { return p == v.purpose })
	for _, p := range allowing {
		if slices.Contains(v.granted, p) {
			return p
		}
	}
	if p := e.ext("missingPurpose"); p != "" && p != v.purpose && slices.Contains(v.advice.purposes, p) {
		return p
	}
	if len(allowing) > 0 {
		return allowing[0]
	}
	return ""
}

// val is a value of field typeField (e.g. "PersonName.fullName") at path.
func (v *values) val(label, path, typeField, s string) value {
	p := v.problem(path, typeField)
	out := value{Label: label, Value: s, Forbidden: p.forbidden, Allow: p.allow, Role: p.role, Unavailable: p.unavailable}
	if out.Forbidden != "" || out.Unavailable != "" {
		out.Value = ""
		return out
	}
	if l, ok := v.lineage[typeField]; ok && s != "" {
		v.n++
		out.Source, out.ID = l.String(), "bron-"+strconv.Itoa(v.n)
	}
	return out
}

// link is val with a link.
func (v *values) link(label, path, typeField, s, href string) value {
	out := v.val(label, path, typeField, s)
	if out.Value != "" {
		out.Link = href
	}
	return out
}

// list is a table of the list at path: its rows, or, when the whole list
// is forbidden or its registry failed, that instead.
func (v *values) list(caption, path, typeField string, columns []string, rows [][]value, empty string) table {
	t := table{Caption: caption, Columns: columns, Rows: rows, Empty: empty}
	whole := v.val(caption, path, typeField, "")
	if whole.Forbidden != "" || whole.Unavailable != "" {
		t.Whole, t.Rows = &whole, nil
	}
	return t
}

// outages lists the registries that failed below the given paths, for a
// section's notice.
func (v *values) outages(what map[string]string) []outage {
	var out []outage
	seen := map[string]bool{}
	for _, e := range v.res.Errors {
		if !strings.HasPrefix(e.code(), "UPSTREAM_") {
			continue
		}
		p := e.pathString()
		for prefix, w := range what {
			if (p == prefix || strings.HasPrefix(p, prefix+".")) && !seen[e.registry()+w] {
				seen[e.registry()+w] = true
				out = append(out, outage{Registry: e.registry(), Code: e.code(), What: w})
			}
		}
	}
	slices.SortFunc(out, func(a, b outage) int { return strings.Compare(a.Registry+a.What, b.Registry+b.What) })
	return out
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func num[T int | float64](p *T) string {
	if p == nil {
		return ""
	}
	return strings.Replace(fmt.Sprint(*p), ".", ",", 1)
}

func boolNL(p *bool) string {
	if p == nil {
		return ""
	}
	if *p {
		return "ja"
	}
	return "nee"
}

// isoDateNL writes an ISO date (2024-03-31) the Dutch way (31-03-2024).
func isoDateNL(p *string) string {
	s := str(p)
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		return s[8:10] + "-" + s[5:7] + "-" + s[0:4]
	}
	return s
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
