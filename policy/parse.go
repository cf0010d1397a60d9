package policy

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/internal/yamltree"
	"github.com/poort-nl/poort/lifeevents"
)

// maxPolicyBytes bounds the file read; a real policy is a few kilobytes.
const maxPolicyBytes = 1 << 20

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,63}$`)

// Parse validates and compiles a policy file's contents; name is the file
// name problems are reported with. The error is a *ValidationError listing
// every problem as "file:line: what is wrong".
func Parse(name string, src []byte, ix *lineage.Index) (*Policy, error) {
	if ix == nil {
		return nil, fmt.Errorf("policy %s: no lineage to validate against", name)
	}
	if len(src) > maxPolicyBytes {
		return nil, &ValidationError{Problems: []Problem{{File: name, Line: 1, Message: fmt.Sprintf("larger than %d bytes", maxPolicyBytes)}}}
	}
	root, p := yamltree.Parse(name, src)
	if root == nil && len(p) == 0 {
		p.Add(name, 1, "empty policy")
	}
	pol := &Policy{file: name, byName: map[string]int{}, roles: map[string]*compiledRole{}}
	if root != nil {
		d := decoder{file: name, p: &p, ix: ix, known: knownSources(ix)}
		d.policy(pol, root)
	}
	if len(p) > 0 {
		p.Sort()
		return nil, &ValidationError{Problems: p}
	}
	pol.compile(ix)
	return pol, nil
}

type decoder struct {
	file  string
	p     *yamltree.Problems
	ix    *lineage.Index
	known map[string]map[string]bool // registry → endpoints
}

func knownSources(ix *lineage.Index) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, f := range ix.All() {
		if out[f.Registry] == nil {
			out[f.Registry] = map[string]bool{}
		}
		out[f.Registry][f.Endpoint] = true
	}
	return out
}

func (d *decoder) fail(n *yamltree.Node, format string, args ...any) {
	d.p.Add(d.file, n.Line, format, args...)
}

func (d *decoder) want(n *yamltree.Node, kind yamltree.Kind, what string) bool {
	if n.Kind != kind {
		d.fail(n, "%s must be %s, not %s", what, kind, n.Kind)
		return false
	}
	return true
}

func (d *decoder) onlyKeys(n *yamltree.Node, what string, allowed ...string) {
	for _, k := range n.Keys {
		if !slices.Contains(allowed, k.Value) {
			d.fail(k, "%s: unknown key %q (want %s)", what, k.Value, strings.Join(allowed, ", "))
		}
	}
}

func (d *decoder) policy(pol *Policy, root *yamltree.Node) {
	if !d.want(root, yamltree.Map, "the policy") {
		return
	}
	d.onlyKeys(root, "the policy", "register", "purposes", "roles")
	register := "urn:poort:verwerkingsactiviteit:"
	if r := root.Get("register"); r != nil {
		if d.want(r, yamltree.Scalar, "register") && d.uri(r, "register") {
			register = r.Value
		}
	}
	purposes := root.Get("purposes")
	roles := root.Get("roles")
	if purposes == nil || roles == nil {
		d.fail(root, "the policy needs both purposes and roles")
		return
	}
	if d.want(purposes, yamltree.Map, "purposes") {
		for i, k := range purposes.Keys {
			d.purpose(pol, k, purposes.Vals[i], register)
		}
	}
	held := map[string]bool{}
	if d.want(roles, yamltree.Map, "roles") {
		for i, k := range roles.Keys {
			d.role(pol, k, roles.Vals[i], held)
		}
	}
	if len(pol.roles) == 0 && roles.Kind == yamltree.Map {
		d.fail(roles, "define at least one role")
	}
	for _, pur := range pol.purposes {
		if !held[pur.Name] {
			d.p.Add(d.file, d.purposeLine(purposes, pur.Name), "purpose %q is held by no role", pur.Name)
		}
	}
}

func (d *decoder) purposeLine(purposes *yamltree.Node, name string) int {
	for _, k := range purposes.Keys {
		if k.Value == name {
			return k.Line
		}
	}
	return purposes.Line
}

func (d *decoder) uri(n *yamltree.Node, what string) bool {
	u, err := url.Parse(n.Value)
	if err != nil || u.Scheme == "" || strings.ContainsAny(n.Value, " \t\n") {
		d.fail(n, "%s %q must be an absolute URI", what, n.Value)
		return false
	}
	return true
}

func (d *decoder) purpose(pol *Policy, k, v *yamltree.Node, register string) {
	if !nameRE.MatchString(k.Value) {
		d.fail(k, "purpose name %q: use lower-case letters, digits and dashes", k.Value)
		return
	}
	what := "purpose " + k.Value
	if !d.want(v, yamltree.Map, what) {
		return
	}
	d.onlyKeys(v, what, "description", "lifeEvent", "processingActivity", "sources")
	pur := &Purpose{Name: k.Value, ProcessingActivity: register + k.Value}
	if desc := v.Get("description"); desc == nil || desc.Kind != yamltree.Scalar || strings.TrimSpace(desc.Value) == "" {
		d.fail(v, "%s: a description is required", what)
	} else {
		pur.Description = strings.TrimSpace(desc.Value)
	}
	if le := v.Get("lifeEvent"); le != nil {
		if d.want(le, yamltree.Scalar, what+": lifeEvent") {
			if !slices.Contains(lifeevents.EventIDs(), le.Value) {
				d.fail(le, "%s: unknown life event %q (want one of %s)", what, le.Value, strings.Join(lifeevents.EventIDs(), ", "))
			}
			pur.LifeEvent = le.Value
		}
	}
	if pa := v.Get("processingActivity"); pa != nil {
		if d.want(pa, yamltree.Scalar, what+": processingActivity") && d.uri(pa, what+": processingActivity") {
			pur.ProcessingActivity = pa.Value
		}
	}
	src := v.Get("sources")
	if src == nil || src.Kind != yamltree.Seq || len(src.Items) == 0 {
		d.fail(v, "%s: sources must list at least one source", what)
	} else {
		for _, it := range src.Items {
			if d.want(it, yamltree.Scalar, what+": a source") && d.source(it, what) {
				pur.Sources = append(pur.Sources, it.Value)
			}
		}
	}
	pol.byName[pur.Name] = len(pol.purposes)
	pol.purposes = append(pol.purposes, pur)
}

// pattern is a parsed source pattern: REGISTRY[/ENDPOINT][:PATH].
type pattern struct {
	registry    string
	endpoint    string
	anyEndpoint bool
	path        string // "*", "prefix.*" or an exact path
}

func parsePattern(s string) pattern {
	var pt pattern
	head, path, hasPath := strings.Cut(s, ":")
	reg, ep, hasEP := strings.Cut(head, "/")
	pt.registry, pt.endpoint, pt.path = reg, ep, path
	if !hasPath {
		pt.path = "*"
	}
	pt.anyEndpoint = !hasEP && !hasPath
	return pt
}

// matches reports whether the pattern covers any path the field comes
// from.
func (pt pattern) matches(f lineage.Field) bool {
	return slices.ContainsFunc(f.Paths(), func(path string) bool { return pt.matchesPath(f, path) })
}

// matchesPath reports whether the pattern covers one path of the field.
func (pt pattern) matchesPath(f lineage.Field, path string) bool {
	if f.Registry != pt.registry || !pt.anyEndpoint && f.Endpoint != pt.endpoint {
		return false
	}
	switch {
	case pt.path == "*":
		return true
	case strings.HasSuffix(pt.path, ".*"):
		q := strings.TrimSuffix(pt.path, ".*")
		return path == q || strings.HasPrefix(path, q+".")
	}
	return path == pt.path
}

// covers reports whether the patterns of a purpose cover every path a
// field comes from, derived paths included.
func covers(pts []pattern, f lineage.Field) bool {
	for _, path := range f.Paths() {
		if !slices.ContainsFunc(pts, func(pt pattern) bool { return pt.matchesPath(f, path) }) {
			return false
		}
	}
	return true
}

// source checks a pattern against the lineage: its registry and resource
// must exist, and it must match at least one field.
func (d *decoder) source(n *yamltree.Node, what string) bool {
	pt := parsePattern(n.Value)
	eps, ok := d.known[pt.registry]
	if !ok {
		d.fail(n, "%s: source %q: no field of the schema comes from registry %q", what, n.Value, pt.registry)
		return false
	}
	if !pt.anyEndpoint && !eps[pt.endpoint] {
		d.fail(n, "%s: source %q: registry %s has no resource %q in the schema", what, n.Value, pt.registry, pt.endpoint)
		return false
	}
	if pt.path == "" || pt.path != "*" && strings.Contains(strings.TrimSuffix(pt.path, ".*"), "*") {
		d.fail(n, "%s: source %q: write a path, a path ending in .*, or *", what, n.Value)
		return false
	}
	for _, f := range d.ix.All() {
		if pt.matches(f) {
			return true
		}
	}
	d.fail(n, "%s: source %q matches no field of the schema's lineage", what, n.Value)
	return false
}

func (d *decoder) role(pol *Policy, k, v *yamltree.Node, held map[string]bool) {
	if !nameRE.MatchString(k.Value) {
		d.fail(k, "role name %q: use lower-case letters, digits and dashes", k.Value)
		return
	}
	what := "role " + k.Value
	if !d.want(v, yamltree.Map, what) {
		return
	}
	d.onlyKeys(v, what, "description", "purposes", "implicit", "citizen", "auditLog", "caseWork", "team")
	r := Role{Name: k.Value}
	if desc := v.Get("description"); desc == nil || desc.Kind != yamltree.Scalar || strings.TrimSpace(desc.Value) == "" {
		d.fail(v, "%s: a description is required", what)
	} else {
		r.Description = strings.TrimSpace(desc.Value)
	}
	r.Implicit = d.flag(v, what, "implicit")
	r.Citizen = d.flag(v, what, "citizen")
	r.AuditLog = d.flag(v, what, "auditLog")
	if ps := v.Get("purposes"); ps != nil && ps.Kind != yamltree.Null {
		if d.want(ps, yamltree.Seq, what+": purposes") {
			for _, it := range ps.Items {
				if !d.want(it, yamltree.Scalar, what+": a purpose") {
					continue
				}
				_, known := pol.byName[it.Value]
				switch {
				case slices.Contains(r.Purposes, it.Value):
					d.fail(it, "%s: purpose %q listed twice", what, it.Value)
				case !known:
					d.fail(it, "%s: unknown purpose %q; define it under purposes", what, it.Value)
				default:
					r.Purposes = append(r.Purposes, it.Value)
					held[it.Value] = true
				}
			}
		}
	}
	r.CaseWork = d.caseWork(pol, v, what)
	if t := v.Get("team"); t != nil {
		if d.want(t, yamltree.Scalar, what+": team") {
			if !nameRE.MatchString(t.Value) {
				d.fail(t, "%s: team %q: a chain partner's id (lower-case letters, digits and dashes)", what, t.Value)
			}
			r.Team = t.Value
		}
	}
	if len(r.Purposes) == 0 && !r.AuditLog {
		d.fail(v, "%s grants nothing: give it purposes or auditLog: true", what)
	}
	if r.Citizen && r.AuditLog {
		d.fail(v, "%s: a citizen role cannot read the audit log", what)
	}
	pol.roles[r.Name] = &compiledRole{Role: r}
}

// caseWork reads the life events a role may do case work for. Each must
// be a life event of the catalogue that a purpose of the policy serves:
// the audit log records reads of a case under that purpose.
func (d *decoder) caseWork(pol *Policy, v *yamltree.Node, what string) []string {
	n := v.Get("caseWork")
	if n == nil || n.Kind == yamltree.Null || !d.want(n, yamltree.Seq, what+": caseWork") {
		return nil
	}
	var out []string
	for _, it := range n.Items {
		if !d.want(it, yamltree.Scalar, what+": a life event") {
			continue
		}
		_, served := pol.LifeEventPurpose(it.Value)
		switch {
		case !slices.Contains(lifeevents.EventIDs(), it.Value):
			d.fail(it, "%s: caseWork: unknown life event %q (want one of %s)", what, it.Value, strings.Join(lifeevents.EventIDs(), ", "))
		case slices.Contains(out, it.Value):
			d.fail(it, "%s: caseWork: life event %q listed twice", what, it.Value)
		case !served:
			d.fail(it, "%s: caseWork: no purpose serves life event %q, so reads of its cases could not be recorded; give a purpose lifeEvent: %s", what, it.Value, it.Value)
		default:
			out = append(out, it.Value)
		}
	}
	return out
}

func (d *decoder) flag(v *yamltree.Node, what, key string) bool {
	n := v.Get(key)
	if n == nil {
		return false
	}
	if n.Kind != yamltree.Scalar || (n.Value != "true" && n.Value != "false") {
		d.fail(n, "%s: %s must be true or false", what, key)
		return false
	}
	return n.Value == "true"
}

// compile precomputes, for every field with lineage, the set of purposes
// that may see it, and for every role the set of purposes it holds.
func (pol *Policy) compile(ix *lineage.Index) {
	n := len(pol.purposes)
	pol.ix = ix
	pol.fields = map[fieldKey]compiledField{}
	pol.sources = map[sourceKey]bitset{}
	patterns := make([][]pattern, n)
	for i, pur := range pol.purposes {
		for _, s := range pur.Sources {
			patterns[i] = append(patterns[i], parsePattern(s))
		}
	}
	direct := map[fieldKey]bitset{}
	for _, f := range ix.All() {
		allowed := newBitset(n)
		for i, pts := range patterns {
			if covers(pts, f) {
				allowed.set(i)
			}
		}
		direct[fieldKey{f.Type, f.Field}] = allowed
	}
	for _, f := range ix.All() {
		// A structure (geboorte) whose parts declare their own paths
		// (geboorte.datum) is allowed to every purpose that may see one of
		// its parts: the parts are decided one by one, and refusing the
		// structure would refuse the parts a purpose grants.
		whole := direct[fieldKey{f.Type, f.Field}]
		allowed := slices.Clone(whole)
		for _, part := range ix.All() {
			if part.Registry == f.Registry && part.Endpoint == f.Endpoint && strings.HasPrefix(part.Path, f.Path+".") {
				allowed.or(direct[fieldKey{part.Type, part.Field}])
			}
		}
		for i := range pol.purposes {
			if allowed.has(i) {
				pol.purposes[i].Fields = append(pol.purposes[i].Fields, f)
			}
		}
		pol.fields[fieldKey{f.Type, f.Field}] = compiledField{src: f.Source, allowed: allowed, whole: whole}
		sk := sourceKey{f.Registry, f.Endpoint, f.Path}
		if prev, ok := pol.sources[sk]; ok {
			prev.or(allowed)
		} else {
			pol.sources[sk] = slices.Clone(allowed)
		}
	}
	for _, r := range pol.roles {
		r.mask = newBitset(n)
		for _, name := range r.Purposes {
			r.mask.set(pol.byName[name])
		}
	}
}
