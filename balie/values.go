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
	// a purpose that would.
	Forbidden string
	Allow     string
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

// allowingPurposes maps each field with lineage to the purposes of
// employees' roles that may see it, from the policy, to say which purpose
// would show a field the current one hides. A purpose only citizens, or
// only the development role that holds them all, may hold is no advice
// to an employee.
func allowingPurposes(pol *policy.Policy) map[string][]string {
	employees := map[string]bool{}
	for _, r := range pol.Roles() {
		if !r.Citizen && !r.Implicit {
			for _, p := range r.Purposes {
				employees[p] = true
			}
		}
	}
	m := map[string][]string{}
	for _, p := range pol.Purposes() {
		if !employees[p.Name] {
			continue
		}
		for _, f := range p.Fields {
			k := f.Type + "." + f.Field
			m[k] = append(m[k], p.Name)
		}
	}
	return m
}

// values builds the values of one operation's response: their lineage,
// and what the response's errors say about them.
type values struct {
	res     *result
	lineage map[string]lineageEntry
	purpose string
	// granted are the purposes the employee may switch to; they come
	// first when naming a purpose that would show a field.
	granted []string
	allow   map[string][]string
	n       int
}

func newValues(res *result, lineage []lineageEntry, s *session, allow map[string][]string) *values {
	v := &values{res: res, lineage: map[string]lineageEntry{}, purpose: s.Purpose, granted: s.Purposes, allow: allow}
	for _, l := range lineage {
		v.lineage[l.Type+"."+l.Field] = l
	}
	return v
}

// problem says why the value at path (list indexes left out, e.g.
// "person.name.fullName") is missing, looking at the path and its parents
// below the root field. typeField ("PersonName.fullName") names the field
// for the purposes that would show it.
func (v *values) problem(path, typeField string) (forbidden, allow, unavailable string) {
	parts := strings.Split(path, ".")
	for i := len(parts); i >= 2; i-- {
		e, ok := v.res.exactly(strings.Join(parts[:i], "."))
		if !ok {
			continue
		}
		switch code := e.code(); {
		case code == "FORBIDDEN":
			return v.purpose, v.otherPurpose(e, typeField), ""
		case strings.HasPrefix(code, "UPSTREAM_"):
			return "", "", e.registry() + " " + code
		case code != "":
			return "", "", code
		}
		return "", "", "fout"
	}
	return "", "", ""
}

// otherPurpose names a purpose that would show the field: one the
// employee may switch to, else the one the hub names, else the first an
// employee's role may hold.
func (v *values) otherPurpose(e gqlError, typeField string) string {
	if f := e.ext("field"); f != "" {
		typeField = f
	}
	allowing := v.allow[typeField]
	for _, p := range allowing {
		if p != v.purpose && slices.Contains(v.granted, p) {
			return p
		}
	}
	if p := e.ext("missingPurpose"); p != "" {
		return p
	}
	for _, p := range allowing {
		if p != v.purpose {
			return p
		}
	}
	return ""
}

// val is a value of field typeField (e.g. "PersonName.fullName") at path.
func (v *values) val(label, path, typeField, s string) value {
	out := value{Label: label, Value: s}
	out.Forbidden, out.Allow, out.Unavailable = v.problem(path, typeField)
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
