package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/internal/lineage"
)

// Reach returns the fields with lineage the grant can reach in the schema:
// those on some path from a root field, or from an entity a federation
// gateway looks up by its key, along which the grant allows every field.
// A field the grant allows but cannot reach is as good as refused; Reach
// is what a principal can see, whatever query it sends.
func (g *Grant) Reach(s *ast.Schema) []lineage.Field {
	reached := map[fieldKey]bool{}
	seen := map[string]bool{}
	var visit func(typ string)
	visit = func(typ string) {
		def := s.Types[typ]
		if def == nil || seen[typ] {
			return
		}
		seen[typ] = true
		for _, t := range def.Types { // a union's members
			visit(t)
		}
		for _, fd := range def.Fields {
			if strings.HasPrefix(fd.Name, "__") || !g.Decide(typ, fd.Name).Allowed {
				continue
			}
			if _, ok := g.pol.ix.Lookup(typ, fd.Name); ok {
				reached[fieldKey{typ, fd.Name}] = true
			}
			visit(fd.Type.Name())
		}
	}
	if s.Query != nil {
		visit(s.Query.Name)
	}
	for name := range s.Types {
		if key, ok := g.pol.ix.KeyOf(name); ok && g.Decide(key.Type, key.Field).Allowed {
			visit(name)
		}
	}
	var out []lineage.Field
	for _, f := range g.pol.ix.All() {
		if reached[fieldKey{f.Type, f.Field}] {
			out = append(out, f)
		}
	}
	return out
}

// ReachOfPurpose is what one purpose alone reaches, as a principal of a
// role holding it would.
func (pol *Policy) ReachOfPurpose(s *ast.Schema, purpose string) []lineage.Field {
	g := &Grant{pol: pol, mask: newBitset(len(pol.purposes)), roleMask: newBitset(len(pol.purposes))}
	if i, ok := pol.byName[purpose]; ok {
		g.mask.set(i)
		g.roleMask.set(i)
	}
	return g.Reach(s)
}

// ReachOfRole is what a principal of the role reaches with every purpose
// of the role in force.
func (pol *Policy) ReachOfRole(s *ast.Schema, role string) []lineage.Field {
	r, ok := pol.roles[role]
	if !ok {
		return nil
	}
	p := auth.Principal{Subject: "reach", Role: role, Purposes: r.Purposes}
	if r.Citizen {
		// Any BSN: whose data a citizen sees is the citizen rule's
		// concern, not the policy's.
		p.CitizenBSN = "999999990"
	}
	return pol.For(p).Reach(s)
}

// AccessTable renders what each purpose and each role of the policy can
// reach through the schema, as the Markdown tables of docs/security.md.
func (pol *Policy) AccessTable(s *ast.Schema) string {
	var b strings.Builder
	b.WriteString("| purpose | life event | roles | reaches |\n|---|---|---|---|\n")
	for _, p := range pol.purposes {
		var roles []string
		for _, r := range pol.Roles() {
			if slices.Contains(r.Purposes, p.Name) {
				roles = append(roles, r.Name)
			}
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", p.Name, orDash(p.LifeEvent), orDash(strings.Join(roles, ", ")),
			pol.describeReach(pol.ReachOfPurpose(s, p.Name)))
	}
	b.WriteString("\n| role | purposes | registries | also |\n|---|---|---|---|\n")
	for _, r := range pol.Roles() {
		reach := pol.ReachOfRole(s, r.Name)
		// What the purposes reach only together, which the purposes'
		// rows do not show; normally nothing.
		alone := map[fieldKey]bool{}
		for _, p := range r.Purposes {
			for _, f := range pol.ReachOfPurpose(s, p) {
				alone[fieldKey{f.Type, f.Field}] = true
			}
		}
		var together []lineage.Field
		for _, f := range reach {
			if !alone[fieldKey{f.Type, f.Field}] {
				together = append(together, f)
			}
		}
		var also []string
		if r.Citizen {
			also = append(also, "citizens only, own data and minor children's")
		}
		if r.Implicit {
			also = append(also, "holds its purposes without the token naming them")
		}
		if r.AuditLog {
			also = append(also, "reads the audit log")
		}
		if len(together) > 0 {
			also = append(also, "together its purposes also reach "+pol.describeReach(together))
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.Name, orDash(strings.Join(r.Purposes, ", ")),
			orDash(strings.Join(registriesOf(reach), ", ")), orDash(strings.Join(also, "; ")))
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func registriesOf(fs []lineage.Field) []string {
	var out []string
	for _, f := range fs {
		if !slices.Contains(out, f.Registry) {
			out = append(out, f.Registry)
		}
	}
	sort.Strings(out)
	return out
}

// describeReach writes reached fields per registry resource, compactly:
// "all" for a whole resource, `path.*` for a path and everything under it.
// A structure reached through one of its parts is not named.
func (pol *Policy) describeReach(fs []lineage.Field) string {
	type resource struct{ registry, endpoint string }
	declared := map[resource]map[string]bool{}
	for _, f := range pol.ix.All() {
		k := resource{f.Registry, f.Endpoint}
		if declared[k] == nil {
			declared[k] = map[string]bool{}
		}
		declared[k][f.Path] = true
	}
	reached := map[resource]map[string]bool{}
	for _, f := range fs {
		k := resource{f.Registry, f.Endpoint}
		if reached[k] == nil {
			reached[k] = map[string]bool{}
		}
		reached[k][f.Path] = true
	}
	keys := make([]resource, 0, len(reached))
	for k := range reached {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].registry != keys[j].registry {
			return keys[i].registry < keys[j].registry
		}
		return keys[i].endpoint < keys[j].endpoint
	})
	whole := func(k resource) bool { return len(reached[k]) == len(declared[k]) }
	// A registry all of whose resources are reached whole is named once.
	wholeRegistry := map[string]bool{}
	for k := range declared {
		if _, seen := wholeRegistry[k.registry]; !seen {
			wholeRegistry[k.registry] = true
		}
		wholeRegistry[k.registry] = wholeRegistry[k.registry] && whole(k)
	}
	var parts []string
	for _, k := range keys {
		name := k.registry
		if k.endpoint != "" {
			name += " " + k.endpoint
		}
		switch {
		case wholeRegistry[k.registry]:
			if all := k.registry + ": all"; !slices.Contains(parts, all) {
				parts = append(parts, all)
			}
			continue
		case whole(k):
			parts = append(parts, name+": all")
			continue
		}
		parts = append(parts, name+": "+strings.Join(compactPaths(declared[k], reached[k]), ", "))
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, "; ")
}

// compactPaths names the reached paths, writing `p.*` where every declared
// path under p is reached.
func compactPaths(declared, reached map[string]bool) []string {
	under := func(prefix string, set map[string]bool) []string {
		var out []string
		for p := range set {
			if p == prefix || strings.HasPrefix(p, prefix+".") {
				out = append(out, p)
			}
		}
		return out
	}
	var out []string
	var walk func(prefix string)
	walk = func(prefix string) {
		// The next segments below prefix.
		next := map[string]bool{}
		for p := range declared {
			rest := p
			if prefix != "" {
				if !strings.HasPrefix(p, prefix+".") {
					continue
				}
				rest = p[len(prefix)+1:]
			}
			seg, _, _ := strings.Cut(rest, ".")
			if prefix == "" {
				next[seg] = true
			} else {
				next[prefix+"."+seg] = true
			}
		}
		names := make([]string, 0, len(next))
		for n := range next {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			d, r := under(n, declared), under(n, reached)
			switch {
			case len(r) == 0:
			case len(r) == len(d) && len(d) == 1:
				out = append(out, "`"+d[0]+"`")
			case len(r) == len(d):
				out = append(out, "`"+n+".*`")
			default:
				walk(n)
			}
		}
	}
	walk("")
	return out
}
