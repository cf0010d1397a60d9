package lifeevents

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/poort-nl/poort/internal/yamltree"
)

// This file decodes the parts of the catalogue that are rules over
// registry facts: an event's trigger and roles, a step's condition and
// done rule, and how a step's partner learns of the event.

// trigger reads an event's trigger: its description and the dated facts
// that start it.
func (d *decoder) trigger(e *Event, n *yamltree.Node, what string) Trigger {
	var t Trigger
	tn := n.Get("trigger")
	if tn == nil {
		d.add(n.Line, "%s: missing required field %q", what, "trigger")
		return t
	}
	tw := what + " trigger"
	if !d.object(tn, tw, "description", "on") {
		return t
	}
	t.Description, _ = d.str(tn, "description", tw, true)
	on := tn.Get("on")
	if on == nil || on.Kind != yamltree.Seq || len(on.Items) == 0 {
		d.add(tn.Line, "%s: %q must list the dated facts that start the event", tw, "on")
		return t
	}
	typ := e.Subject.TypeName()
	for _, fn := range on.Items {
		fw := tw + " fact"
		if !d.object(fn, fw, "fact", "back", "ahead", "says", "when", "unless") {
			continue
		}
		f := TriggerFact{line: fn.Line}
		var fline int
		f.Fact, fline = d.str(fn, "fact", fw, true)
		f.Says, _ = d.str(fn, "says", fw, true)
		f.Back = d.days(fn, "back", fw, true)
		f.Ahead = d.days(fn, "ahead", fw, false)
		if typ == "" || f.Fact == "" {
			continue
		}
		need, err := traceFact(d.schema, typ, f.Fact)
		switch {
		case err != nil:
			d.add(fline, "%s: %v", fw, err)
			continue
		case need.Hops[len(need.Hops)-1].FieldType != "Date":
			d.add(fline, "%s: %q is a %s, not a Date: a trigger is a fact with a date", fw, f.Fact, need.Hops[len(need.Hops)-1].FieldType)
			continue
		}
		f.need = need
		if x := d.expr(fn, "when", typ, fw); x != nil {
			f.When = x
		}
		if x := d.expr(fn, "unless", typ, fw); x != nil {
			f.Unless = x
		}
		t.On = append(t.On, f)
	}
	return t
}

// days reads a number of days, zero or more.
func (d *decoder) days(m *yamltree.Node, key, what string, required bool) int {
	raw, line := d.str(m, key, what, required)
	if raw == "" {
		return 0
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		d.add(line, "%s: %q must be a number of days, zero or more, not %q", what, key, raw)
		return 0
	}
	return n
}

// expr compiles the expression under key, if there is one, over the facts
// of typeName.
func (d *decoder) expr(m *yamltree.Node, key, typeName, what string) *Expr {
	src, line := d.str(m, key, what, false)
	if src == "" {
		return nil
	}
	x, err := d.exprs.compile(typeName, src)
	if err != nil {
		d.add(line, "%s: %v", what, err)
		return nil
	}
	return x
}

// roles reads an event's roles: exactly one anchor role, held by a
// subject of the event's kind, and others reached through a path to the
// anchor or reported when a case is opened.
func (d *decoder) roles(e *Event, n *yamltree.Node, what string) []*Role {
	rn := n.Get("roles")
	if rn == nil || rn.Kind != yamltree.Seq || len(rn.Items) == 0 {
		d.add(n.Line, "%s: %q must list the event's roles, the anchor's own first", what, "roles")
		return nil
	}
	var out []*Role
	first := map[string]int{}
	anchors := 0
	for _, m := range rn.Items {
		if !d.object(m, "a role", "id", "name", "holder", "anchor", "via", "reported", "when", "description") {
			continue
		}
		id, line := d.id(m, "role")
		rw := fmt.Sprintf("%s role %q", what, id)
		r := &Role{ID: id, Name: d.name(m, rw), Holder: e.Subject}
		r.Description, _ = d.str(m, "description", rw, true)
		if h, hline := d.str(m, "holder", rw, false); h != "" {
			r.Holder = SubjectKind(h)
			if r.Holder.TypeName() == "" {
				d.add(hline, "%s: unknown holder kind %q; use PERSON, COMPANY or ADDRESS", rw, h)
				continue
			}
		}
		r.Anchor = d.flag(m, "anchor", rw)
		r.Reported = d.flag(m, "reported", rw)
		via, vline := d.str(m, "via", rw, false)
		kinds := 0
		for _, b := range []bool{r.Anchor, r.Reported, via != ""} {
			if b {
				kinds++
			}
		}
		if kinds != 1 {
			d.add(m.Line, "%s: a role is exactly one of anchor: true, via: <path to the anchor> or reported: true", rw)
			continue
		}
		typ := e.Subject.TypeName()
		switch {
		case r.Anchor:
			anchors++
			if r.Holder != e.Subject {
				d.add(m.Line, "%s: the anchor's role is held by a %s, the event's subject", rw, e.Subject)
			}
		case r.Reported:
			typ = r.Holder.TypeName()
		default:
			need, err := traceFact(d.schema, r.Holder.TypeName(), via)
			switch {
			case err != nil:
				d.add(vline, "%s: via: %v", rw, err)
			case need.Hops[len(need.Hops)-1].FieldType != e.Subject.TypeName():
				d.add(vline, "%s: via %q leads to a %s, not to the event's anchor, a %s", rw, via,
					need.Hops[len(need.Hops)-1].FieldType, e.Subject.TypeName())
			default:
				r.Via = &need
			}
		}
		if typ != "" {
			r.When = d.expr(m, "when", typ, rw)
		}
		if id == "" {
			continue
		}
		if l, dup := first[id]; dup {
			d.add(line, "%s: duplicate role id %q (first on line %d)", what, id, l)
			continue
		}
		first[id] = line
		out = append(out, r)
	}
	if anchors != 1 {
		d.add(rn.Line, "%s: exactly one role must be the anchor's own (anchor: true), not %d", what, anchors)
	}
	return out
}

// flag reads an optional true or false.
func (d *decoder) flag(m *yamltree.Node, key, what string) bool {
	v, line := d.str(m, key, what, false)
	switch v {
	case "", "false":
		return false
	case "true":
		return true
	}
	d.add(line, "%s: %q must be true or false, not %q", what, key, v)
	return false
}

// condition reads a step's condition (when and otherwise: why it does not
// apply) or done rule (when and says: what shows it done).
func (d *decoder) condition(n *yamltree.Node, key, typeName, what string) *Rule {
	cn := n.Get(key)
	if cn == nil {
		return nil
	}
	text := "otherwise"
	if key == "done" {
		text = "says"
	}
	cw := what + " " + key
	if !d.object(cn, cw, "when", text) {
		return nil
	}
	says, _ := d.str(cn, text, cw, true)
	if src, _ := d.str(cn, "when", cw, true); src == "" {
		return nil
	}
	x := d.expr(cn, "when", typeName, cw)
	if x == nil {
		return nil
	}
	return &Rule{When: x, Says: says}
}

// learns reads how a step's partner learns of the event: a provision names
// its standard, a hub notification may name its legal basis, and only the
// front office's own steps are learnt by the front office.
func (d *decoder) learns(c *Catalogue, n *yamltree.Node, s *Step, what string) Learns {
	var l Learns
	ln := n.Get("learns")
	if ln == nil {
		d.add(n.Line, "%s: missing required field %q: say how the partner learns of the event (%s)", what, "learns", joinStrings(Deliveries()))
		return l
	}
	lw := what + " learns"
	if !d.object(ln, lw, "by", "standard", "legalBasis") {
		return l
	}
	by, bline := d.str(ln, "by", lw, true)
	l.By = Delivery(by)
	if by != "" && !slices.Contains(Deliveries(), l.By) {
		d.add(bline, "%s: unknown delivery %q; use %s", lw, by, joinStrings(Deliveries()))
		return l
	}
	std, sline := d.str(ln, "standard", lw, false)
	switch _, ok := c.standards[std]; {
	case l.By == DeliveryProvision && std == "":
		d.add(ln.Line, "%s: a provision names its standard, e.g. brp-spontaneous-provision", lw)
	case l.By != DeliveryProvision && std != "":
		d.add(sline, "%s: only a provision names a standard", lw)
	case std != "" && !ok:
		d.add(sline, "%s: unknown standard %q", lw, std)
	default:
		l.Standard = std
	}
	if l.By == DeliveryFrontOffice && s.Actor != "" && s.Actor != FrontOffice {
		d.add(bline, "%s: only a step the front office takes is learnt by the front office; %s takes this one", lw, s.Actor)
	}
	if bn := ln.Get("legalBasis"); bn != nil {
		bw := lw + " legal basis"
		if l.By != DeliveryHub {
			d.add(bn.Line, "%s: only a notification from the hub needs a legal basis", lw)
		} else if d.object(bn, bw, "text", "sources", "source") {
			b := &LegalBasis{}
			b.Text, _ = d.str(bn, "text", bw, true)
			b.Provenance = d.provenance(bn, bw)
			l.LegalBasis = b
		}
	}
	return l
}
