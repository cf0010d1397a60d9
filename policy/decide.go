package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/lifeevents"
)

// Decision is whether a principal may see a field.
type Decision struct {
	Allowed bool
	// Purpose is the principal's purpose under which the field is allowed;
	// empty for a field without lineage.
	Purpose string
	// Partly reports a structure (geboorte) allowed only because a purpose
	// in force allows some of its parts (geboorte.datum): those parts are
	// decided one by one, and the structure is worth asking for only with
	// one of them.
	Partly bool
	// MissingPurpose, for a refused field or a structure allowed only in
	// parts, is a purpose the principal's role may hold that would allow it
	// whole; empty when the role holds no such purpose or the principal
	// has no valid role.
	MissingPurpose string
	// Source is the field's lineage; zero for a field without lineage.
	Source lineage.Source
}

// Message explains a refusal to a client, naming the field and what it
// lacks. It holds no personal data.
func (d Decision) Message(typeName, fieldName string) string {
	where := d.Source.Registry
	if d.Source.Endpoint != "" {
		where += " " + d.Source.Endpoint
	}
	switch {
	case d.Allowed:
		return ""
	case d.MissingPurpose != "":
		return fmt.Sprintf("%s.%s (%s) needs the purpose %s, which the token does not grant", typeName, fieldName, where, d.MissingPurpose)
	}
	return fmt.Sprintf("%s.%s (%s) is not available to this principal's role", typeName, fieldName, where)
}

// Grant is what one principal may see, compiled once per request; its
// Decide is the per-field hot path.
type Grant struct {
	pol      *Policy
	role     *compiledRole // nil for an unknown role
	mask     bitset        // purposes in force
	roleMask bitset        // purposes the role may hold
	err      error
}

// For compiles the principal's grant. Its purposes in force are those of
// the token that the role may hold, or all the role's purposes for an
// implicit role. The error, also kept in the grant (see Err), says why the
// principal may see no registry data at all: an unknown role, a token
// purpose the role may not hold, or a BSN on a role that is not for
// citizens (or none on one that is). Such a grant refuses every field with
// lineage.
func (pol *Policy) For(p auth.Principal) *Grant {
	g := &Grant{pol: pol, mask: newBitset(len(pol.purposes)), roleMask: newBitset(len(pol.purposes))}
	r, ok := pol.roles[p.Role]
	switch {
	case !ok:
		g.err = fmt.Errorf("role %q is not in the policy", p.Role)
		return g
	case r.Citizen != p.IsCitizen() && r.Citizen:
		g.err = fmt.Errorf("role %q is for citizens, but the token carries no BSN", p.Role)
		return g
	case r.Citizen != p.IsCitizen():
		g.err = fmt.Errorf("the token carries a BSN, but role %q is not for citizens", p.Role)
		return g
	}
	g.role = r
	copy(g.roleMask, r.mask)
	if r.Implicit {
		copy(g.mask, r.mask)
		return g
	}
	var refused []string
	for _, name := range p.Purposes {
		i, known := pol.byName[name]
		if !known || !r.mask.has(i) {
			refused = append(refused, name)
			continue
		}
		g.mask.set(i)
	}
	if len(refused) > 0 {
		g.err = fmt.Errorf("role %q may not act for the purposes %s", p.Role, strings.Join(refused, ", "))
		g.mask = newBitset(len(pol.purposes))
	}
	return g
}

// Err says why the grant allows no registry data, or is nil.
func (g *Grant) Err() error { return g.err }

// Purposes returns the purposes in force, in policy order.
func (g *Grant) Purposes() []string {
	var out []string
	for i, p := range g.pol.purposes {
		if g.mask.has(i) {
			out = append(out, p.Name)
		}
	}
	return out
}

// CaseWork reports whether the grant may open, read and change cases of a
// life event, and names the purpose the work is done for, which the audit
// log records: a purpose in force that serves the event, or, for a role
// the policy grants case work for the event, the policy's purpose of the
// event. A grant that allows no registry data allows no case work either.
func (g *Grant) CaseWork(event string) (purpose string, ok bool) {
	if g.err != nil || g.role == nil || event == "" {
		return "", false
	}
	for i, p := range g.pol.purposes {
		if g.mask.has(i) && p.LifeEvent == event {
			return p.Name, true
		}
	}
	if slices.Contains(g.role.CaseWork, event) {
		return g.pol.LifeEventPurpose(event)
	}
	return "", false
}

// CaseEvents returns the life events whose cases the grant may work on, in
// the catalogue's order.
func (g *Grant) CaseEvents() []string {
	out := []string{}
	for _, e := range lifeevents.EventIDs() {
		if _, ok := g.CaseWork(e); ok {
			out = append(out, e)
		}
	}
	return out
}

// Team returns the chain partner or front office the principal's role
// works for, or "" when the role names none.
func (g *Grant) Team() string {
	if g.role == nil {
		return ""
	}
	return g.role.Team
}

// Decide reports whether the grant allows the field typeName.fieldName.
func (g *Grant) Decide(typeName, fieldName string) Decision {
	f, ok := g.pol.fields[fieldKey{typeName, fieldName}]
	if !ok {
		return Decision{Allowed: true}
	}
	d := Decision{Source: f.src}
	if i := f.allowed.first(g.mask); i >= 0 {
		d.Allowed, d.Purpose = true, g.pol.purposes[i].Name
		if f.whole.first(g.mask) >= 0 {
			return d
		}
		d.Partly = true
	}
	if g.err != nil {
		return d
	}
	missing := f.allowed
	if d.Partly {
		missing = f.whole
	}
	if i := missing.first(g.roleMask); i >= 0 {
		d.MissingPurpose = g.pol.purposes[i].Name
	}
	return d
}

// PurposeFor returns the purpose in force under which data at the source
// may be disclosed: what the audit log records. ok is false when no
// purpose in force allows the source.
func (g *Grant) PurposeFor(registry, endpoint, path string) (string, bool) {
	b, ok := g.pol.sources[sourceKey{registry, endpoint, path}]
	if !ok {
		return "", false
	}
	if i := b.first(g.mask); i >= 0 {
		return g.pol.purposes[i].Name, true
	}
	return "", false
}

// Decide reports whether the principal may see the field. It compiles the
// principal's grant on every call; code that decides many fields for one
// principal should call For once and Decide on the grant.
func (pol *Policy) Decide(p auth.Principal, typeName, fieldName string) Decision {
	return pol.For(p).Decide(typeName, fieldName)
}

// PurposeFor returns the principal's purpose under which data at the
// source may be disclosed; see Grant.PurposeFor.
func (pol *Policy) PurposeFor(p auth.Principal, registry, endpoint, path string) (string, bool) {
	return pol.For(p).PurposeFor(registry, endpoint, path)
}

// Relation is how a data subject relates to a citizen principal, as the
// GraphQL layer learns it from the BRP.
type Relation int

// Relations a citizen may have to a data subject.
const (
	// RelationNone: the subject is someone else, or the relation is
	// unknown.
	RelationNone Relation = iota
	// RelationMinorChild: the subject is a child of the citizen under 18.
	RelationMinorChild
)

// CitizenMay reports whether the principal may see data about the person
// with subjectBSN. A citizen sees only their own data and that of their
// minor children; the rule does not restrict employees, whom purposes
// bind instead.
func CitizenMay(p auth.Principal, subjectBSN string, rel Relation) bool {
	if !p.IsCitizen() {
		return true
	}
	return (subjectBSN != "" && subjectBSN == p.CitizenBSN) || rel == RelationMinorChild
}
