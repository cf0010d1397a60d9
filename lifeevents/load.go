package lifeevents

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/poort-nl/poort/internal/yamltree"
)

// The embedded catalogue: data/partners.yaml, data/standards.yaml and one
// file per life event in data/events/.
//
//go:embed data
var embedded embed.FS

// embeddedPrefix is put before file names in problems with the embedded
// catalogue, so they point into the repository.
const embeddedPrefix = "lifeevents/data/"

// Problem is one thing wrong with a catalogue, at a line of a file. Line is
// zero for a problem with a file as a whole; String reads
// "file:line: message".
type Problem = yamltree.Problem

// ValidationError lists everything wrong with a catalogue, ordered by file
// and line.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems, one per line.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("invalid life-event catalogue (%d problems):\n%s", len(e.Problems), strings.Join(lines, "\n"))
}

// LoadEmbedded loads and validates the catalogue embedded in the binary.
// An error is a *ValidationError; it means the binary was built with a
// broken catalogue, and start-up should stop.
func LoadEmbedded(schema Schema) (*Catalogue, error) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		return nil, fmt.Errorf("embedded catalogue: %w", err)
	}
	return load(sub, embeddedPrefix, schema)
}

// Load loads and validates a catalogue from fsys, which holds
// partners.yaml, standards.yaml and events/<id>.yaml for each of the eight
// life events. Every need is traced through schema. All problems are
// reported at once, as a *ValidationError whose lines read
// "file:line: what is wrong".
func Load(fsys fs.FS, schema Schema) (*Catalogue, error) {
	return load(fsys, "", schema)
}

func load(fsys fs.FS, prefix string, schema Schema) (*Catalogue, error) {
	if schema == nil {
		return nil, errors.New("load catalogue: no schema")
	}
	d := &decoder{schema: schema, prefix: prefix, exprs: newCompiler(schema)}
	c := &Catalogue{
		events:     map[string]*Event{},
		partners:   map[string]*Partner{},
		standards:  map[string]*Standard{},
		registries: registryOrder(schema),
	}
	if n := d.file(fsys, "partners.yaml"); n != nil {
		d.partners(c, n)
	}
	if n := d.file(fsys, "standards.yaml"); n != nil {
		d.standards(c, n)
	}
	names, err := fs.Glob(fsys, "events/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("load catalogue: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if n := d.file(fsys, name); n != nil {
			d.event(c, name, n)
		}
	}
	for _, id := range EventIDs() {
		if e, ok := c.events[id]; ok {
			c.EventList = append(c.EventList, e)
		} else {
			d.p.Add(d.prefix+"events/"+id+".yaml", 0, "missing life event %q", id)
		}
	}
	if len(d.p) > 0 {
		d.p.Sort()
		return nil, &ValidationError{Problems: d.p}
	}
	return c, nil
}

// decoder turns node trees into catalogue entries, collecting problems.
type decoder struct {
	schema Schema
	exprs  *compiler
	prefix string
	p      yamltree.Problems
	// cur is the name of the file being decoded, as problems show it.
	cur string
}

func (d *decoder) add(line int, format string, args ...any) {
	d.p.Add(d.cur, line, format, args...)
}

func (d *decoder) file(fsys fs.FS, name string) *yamltree.Node {
	d.cur = d.prefix + name
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			d.add(0, "file missing")
		} else {
			d.add(0, "cannot read: %v", err)
		}
		return nil
	}
	t, probs := yamltree.Parse(d.cur, src)
	d.p = append(d.p, probs...)
	if t == nil && len(probs) == 0 {
		d.add(1, "empty file")
	}
	return t
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// object checks that n is a mapping with only the known keys.
func (d *decoder) object(n *yamltree.Node, what string, known ...string) bool {
	if n == nil || n.Kind != yamltree.Map {
		line := 0
		kind := yamltree.Null
		if n != nil {
			line, kind = n.Line, n.Kind
		}
		d.add(line, "%s must be a mapping, not %s", what, kind)
		return false
	}
	for _, k := range n.Keys {
		if !slices.Contains(known, k.Value) {
			d.add(k.Line, "unknown field %q in %s; known fields: %s", k.Value, what, strings.Join(known, ", "))
		}
	}
	return true
}

// str returns the scalar under key; a missing required value is a problem
// at the mapping's line.
func (d *decoder) str(m *yamltree.Node, key, what string, required bool) (string, int) {
	v := m.Get(key)
	if v == nil || v.Kind == yamltree.Null || (v.Kind == yamltree.Scalar && strings.TrimSpace(v.Value) == "") {
		if required {
			d.add(m.Line, "%s: missing required field %q", what, key)
		}
		return "", m.Line
	}
	if v.Kind != yamltree.Scalar {
		d.add(v.Line, "%s: %q must be a single value, not %s", what, key, v.Kind)
		return "", v.Line
	}
	return strings.TrimSpace(v.Value), v.Line
}

// item is a list entry with its line.
type item struct {
	value string
	line  int
}

// strs returns the scalars of the list under key.
func (d *decoder) strs(m *yamltree.Node, key, what string, required bool) []item {
	v := m.Get(key)
	if v == nil || v.Kind == yamltree.Null || (v.Kind == yamltree.Seq && len(v.Items) == 0) {
		if required {
			d.add(m.Line, "%s: missing required field %q", what, key)
		}
		return nil
	}
	if v.Kind != yamltree.Seq {
		d.add(v.Line, "%s: %q must be a list, not %s", what, key, v.Kind)
		return nil
	}
	var out []item
	for _, it := range v.Items {
		if it.Kind != yamltree.Scalar || strings.TrimSpace(it.Value) == "" {
			d.add(it.Line, "%s: the entries of %q must be non-empty single values", what, key)
			continue
		}
		out = append(out, item{strings.TrimSpace(it.Value), it.Line})
	}
	return out
}

func (d *decoder) id(m *yamltree.Node, what string) (string, int) {
	id, line := d.str(m, "id", what, true)
	if id != "" && !idPattern.MatchString(id) {
		d.add(line, "%s: invalid id %q: use lower-case words joined by hyphens", what, id)
	}
	return id, line
}

func (d *decoder) name(m *yamltree.Node, what string) Name {
	v := m.Get("name")
	if v == nil {
		d.add(m.Line, "%s: missing required field %q", what, "name")
		return Name{}
	}
	if !d.object(v, what+" name", "nl", "en") {
		return Name{}
	}
	nl, _ := d.str(v, "nl", what+" name", true)
	en, _ := d.str(v, "en", what+" name", true)
	return Name{NL: nl, EN: en}
}

// provenance reads sources (a list of URLs) or source: unsourced.
func (d *decoder) provenance(m *yamltree.Node, what string) Provenance {
	var p Provenance
	for _, it := range d.strs(m, "sources", what, false) {
		if !strings.HasPrefix(it.value, "https://") && !strings.HasPrefix(it.value, "http://") {
			d.add(it.line, "%s: source %q is not an http(s) URL", what, it.value)
			continue
		}
		p.Sources = append(p.Sources, it.value)
	}
	s, line := d.str(m, "source", what, false)
	switch {
	case s == "" && m.Get("sources") == nil:
		d.add(m.Line, "%s: missing sources (a list of URLs) or source: unsourced", what)
	case s == "":
	case s != "unsourced":
		d.add(line, "%s: source must be \"unsourced\" (put URLs under sources), not %q", what, s)
	case len(p.Sources) > 0:
		d.add(line, "%s: both sources and source: unsourced", what)
	default:
		p.Unsourced = true
	}
	return p
}

// channels returns the valid channels under key "channels" and their
// list entries.
func (d *decoder) channels(m *yamltree.Node, what string) ([]Channel, []item) {
	var out []Channel
	var items []item
	for _, it := range d.strs(m, "channels", what, true) {
		ch := Channel(it.value)
		switch {
		case !slices.Contains(Channels(), ch):
			d.add(it.line, "%s: unknown channel %q; use %s", what, it.value, joinChannels(Channels()))
		case slices.Contains(out, ch):
			d.add(it.line, "%s: channel %q listed twice", what, it.value)
		default:
			out = append(out, ch)
			items = append(items, it)
		}
	}
	return out, items
}

func joinChannels(chs []Channel) string {
	s := make([]string, len(chs))
	for i, c := range chs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// list returns the mapping entries of the list under key in a file's
// top-level mapping.
func (d *decoder) list(top *yamltree.Node, key string) []*yamltree.Node {
	if !d.object(top, "the file", key) {
		return nil
	}
	v := top.Get(key)
	if v == nil || v.Kind != yamltree.Seq {
		d.add(top.Line, "the file must hold a list under %q", key)
		return nil
	}
	return v.Items
}

func (d *decoder) partners(c *Catalogue, top *yamltree.Node) {
	first := map[string]int{}
	for _, n := range d.list(top, "partners") {
		if !d.object(n, "a partner", "id", "name", "kind", "channels", "description", "sources", "source") {
			continue
		}
		id, line := d.id(n, "partner")
		what := fmt.Sprintf("partner %q", id)
		p := &Partner{ID: id, Name: d.name(n, what)}
		kind, kline := d.str(n, "kind", what, true)
		p.Kind = PartnerKind(kind)
		if kind != "" && !slices.Contains([]PartnerKind{KindFrontOffice, KindBackOffice, KindBoth}, p.Kind) {
			d.add(kline, "%s: unknown kind %q; use front-office, back-office or both", what, kind)
		}
		p.Channels, _ = d.channels(n, what)
		p.Description, _ = d.str(n, "description", what, false)
		p.Provenance = d.provenance(n, what)
		switch {
		case id == "":
			continue
		case id == FrontOffice:
			d.add(line, "partner id %q is reserved for the municipal front office", id)
			continue
		case first[id] != 0:
			d.add(line, "duplicate partner id %q (first on line %d)", id, first[id])
			continue
		}
		first[id] = line
		c.partners[id] = p
		c.PartnerList = append(c.PartnerList, p)
	}
}

func (d *decoder) standards(c *Catalogue, top *yamltree.Node) {
	first := map[string]int{}
	for _, n := range d.list(top, "standards") {
		if !d.object(n, "a standard", "id", "name", "description", "sources", "source") {
			continue
		}
		id, line := d.id(n, "standard")
		what := fmt.Sprintf("standard %q", id)
		s := &Standard{ID: id}
		s.Name, _ = d.str(n, "name", what, true)
		s.Description, _ = d.str(n, "description", what, true)
		s.Provenance = d.provenance(n, what)
		switch {
		case id == "":
			continue
		case first[id] != 0:
			d.add(line, "duplicate standard id %q (first on line %d)", id, first[id])
			continue
		}
		first[id] = line
		c.standards[id] = s
		c.StandardList = append(c.StandardList, s)
	}
}

func (d *decoder) event(c *Catalogue, file string, n *yamltree.Node) {
	if !d.object(n, "the event", "id", "name", "subject", "trigger", "roles", "sources", "source", "steps") {
		return
	}
	id, line := d.id(n, "event")
	what := fmt.Sprintf("event %q", id)
	e := &Event{ID: id, Name: d.name(n, what), file: d.cur, line: line}
	subject, sline := d.str(n, "subject", what, true)
	e.Subject = SubjectKind(subject)
	if subject != "" && e.Subject.TypeName() == "" {
		d.add(sline, "%s: unknown subject kind %q; use PERSON, COMPANY or ADDRESS", what, subject)
	}
	e.Trigger = d.trigger(e, n, what)
	e.Roles = d.roles(e, n, what)
	e.Provenance = d.provenance(n, what)

	steps := n.Get("steps")
	switch {
	case steps == nil || steps.Kind == yamltree.Null || (steps.Kind == yamltree.Seq && len(steps.Items) == 0):
		d.add(n.Line, "%s: missing required field %q", what, "steps")
	case steps.Kind != yamltree.Seq:
		d.add(steps.Line, "%s: %q must be a list, not %s", what, "steps", steps.Kind)
	default:
		deps := map[*Step][]item{}
		first := map[string]int{}
		for _, sn := range steps.Items {
			s, dep := d.step(c, e, sn)
			if s == nil || s.ID == "" {
				continue // already reported
			}
			if first[s.ID] != 0 {
				d.add(s.line, "%s: duplicate step id %q (first on line %d)", what, s.ID, first[s.ID])
				continue
			}
			first[s.ID] = s.line
			e.Steps = append(e.Steps, s)
			deps[s] = dep
		}
		d.dependencies(e, deps)
	}

	if id == "" {
		return
	}
	if !slices.Contains(EventIDs(), id) {
		d.add(line, "unknown life event %q; the catalogue has exactly these: %s", id, strings.Join(EventIDs(), ", "))
		return
	}
	if want := "events/" + id + ".yaml"; file != want {
		d.add(line, "event %q must be in %s, not %s", id, want, path.Base(file))
	}
	if prev, dup := c.events[id]; dup {
		d.add(line, "duplicate event id %q (also in %s:%d)", id, prev.file, prev.line)
		return
	}
	c.events[id] = e
}

func (d *decoder) step(c *Catalogue, e *Event, n *yamltree.Node) (*Step, []item) {
	if !d.object(n, "a step", "id", "name", "actor", "channels", "partner", "needs", "condition", "done", "learns",
		"inputs", "dependsOn", "coupling", "serviceNorms", "note") {
		return nil, nil
	}
	id, line := d.id(n, "step")
	what := fmt.Sprintf("step %q", id)
	s := &Step{ID: id, line: line, registryOrder: c.registries}
	s.Name = d.name(n, what)

	actor, aline := d.str(n, "actor", what, true)
	s.Actor = actor
	var offered []Channel
	switch p, ok := c.partners[actor]; {
	case actor == "":
	case actor == FrontOffice:
		offered = Channels()
	case !ok:
		d.add(aline, "%s: unknown actor %q: neither %s nor a partner id", what, actor, FrontOffice)
	default:
		offered = p.Channels
	}
	var chItems []item
	s.Channels, chItems = d.channels(n, what)
	if offered != nil {
		for _, it := range chItems {
			if ch := Channel(it.value); !slices.Contains(offered, ch) {
				d.add(it.line, "%s: channel %q is not one its actor %q offers (%s)", what, ch, actor, joinChannels(offered))
			}
		}
	}

	partner, pline := d.str(n, "partner", what, true)
	s.Partner = partner
	if _, ok := c.partners[partner]; partner != "" && !ok {
		d.add(pline, "%s: unknown partner %q", what, partner)
	}

	typ := e.Subject.TypeName()
	for _, it := range d.strs(n, "needs", what, false) {
		if typ == "" {
			break // the subject kind is already reported
		}
		need, err := traceNeed(d.schema, typ, it.value)
		if err != nil {
			d.add(it.line, "%s: %v", what, err)
			continue
		}
		s.Needs = append(s.Needs, need)
	}
	for _, it := range d.strs(n, "inputs", what, false) {
		s.Inputs = append(s.Inputs, it.value)
	}
	deps := d.strs(n, "dependsOn", what, false)
	for _, it := range deps {
		s.DependsOn = append(s.DependsOn, it.value)
	}
	s.Note, _ = d.str(n, "note", what, false)
	if typ != "" {
		s.Condition = d.condition(n, "condition", typ, what)
		s.Done = d.condition(n, "done", typ, what)
	}
	s.Learns = d.learns(c, n, s, what)

	cn := n.Get("coupling")
	if cn == nil {
		d.add(n.Line, "%s: missing required field %q", what, "coupling")
	} else if d.object(cn, what+" coupling", "standard", "status", "description", "closes", "sources", "source") {
		s.Coupling = d.coupling(c, cn, what+" coupling")
	}
	s.ServiceNorms = d.serviceNorms(n, s, what)
	return s, deps
}

// serviceNorms reads a step's optional list of service norms. A norm's
// channel must be one the step takes, and a step holds one norm per kind
// (channel and measure).
func (d *decoder) serviceNorms(n *yamltree.Node, s *Step, what string) []ServiceNorm {
	v := n.Get("serviceNorms")
	if v == nil || v.Kind == yamltree.Null {
		return nil
	}
	if v.Kind != yamltree.Seq {
		d.add(v.Line, "%s: %q must be a list, not %s", what, "serviceNorms", v.Kind)
		return nil
	}
	var out []ServiceNorm
	first := map[string]int{}
	for _, m := range v.Items {
		nw := what + " service norm"
		if !d.object(m, nw, "channel", "measure", "within", "unit", "target", "sources", "source") {
			continue
		}
		var norm ServiceNorm
		ok := true
		if ch, line := d.str(m, "channel", nw, false); ch != "" {
			norm.Channel = Channel(ch)
			switch {
			case !slices.Contains(Channels(), norm.Channel):
				d.add(line, "%s: unknown channel %q; use %s", nw, ch, joinChannels(Channels()))
				ok = false
			case s.Channels != nil && !slices.Contains(s.Channels, norm.Channel):
				d.add(line, "%s: channel %q is not one the step takes (%s)", nw, ch, joinChannels(s.Channels))
				ok = false
			}
		}
		measure, mline := d.str(m, "measure", nw, true)
		norm.Measure = NormMeasure(measure)
		if measure != "" && !slices.Contains(NormMeasures(), norm.Measure) {
			d.add(mline, "%s: unknown measure %q; use %s", nw, measure, joinStrings(NormMeasures()))
			ok = false
		}
		unit, uline := d.str(m, "unit", nw, true)
		norm.Unit = NormUnit(unit)
		if unit != "" && !slices.Contains(NormUnits(), norm.Unit) {
			d.add(uline, "%s: unknown unit %q; use %s", nw, unit, joinStrings(NormUnits()))
			ok = false
		}
		norm.Within, ok = d.number(m, "within", nw, ok, func(f float64) bool { return f > 0 }, "a number greater than zero")
		norm.Target, ok = d.number(m, "target", nw, ok, func(f float64) bool { return f > 0 && f <= 1 }, "a share above 0 and at most 1, such as 0.8")
		norm.Provenance = d.provenance(m, nw)
		if !ok || measure == "" || unit == "" {
			continue
		}
		if l, dup := first[norm.Key()]; dup {
			d.add(m.Line, "%s: a second %s norm (first on line %d)", nw, norm.Key(), l)
			continue
		}
		first[norm.Key()] = m.Line
		out = append(out, norm)
	}
	return out
}

// number reads a required number under key that satisfies valid; ok is
// false when it is missing or bad, or was false already.
func (d *decoder) number(m *yamltree.Node, key, what string, ok bool, valid func(float64) bool, want string) (float64, bool) {
	raw, line := d.str(m, key, what, true)
	if raw == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || !valid(f) {
		d.add(line, "%s: %q must be %s, not %q", what, key, want, raw)
		return 0, false
	}
	return f, ok
}

func joinStrings[S ~string](list []S) string {
	s := make([]string, len(list))
	for i, v := range list {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

func (d *decoder) coupling(c *Catalogue, n *yamltree.Node, what string) Coupling {
	var k Coupling
	status, sline := d.str(n, "status", what, true)
	k.Status = Status(status)
	if status != "" && !slices.Contains(Statuses(), k.Status) {
		d.add(sline, "%s: unknown status %q; use automated, partial, manual or missing", what, status)
		status = "" // the checks that depend on the status would only add noise
	}
	std, line := d.str(n, "standard", what, false)
	k.Standard = std
	switch _, ok := c.standards[std]; {
	case std == "" && status != "" && k.Status != StatusMissing:
		d.add(n.Line, "%s: missing required field %q (only a missing coupling may lack a standard)", what, "standard")
	case std != "" && !ok:
		d.add(line, "%s: unknown standard %q", what, std)
	}
	k.Description, _ = d.str(n, "description", what, true)
	k.Closes, _ = d.str(n, "closes", what, false)
	if k.Closes == "" && status != "" && k.Status != StatusAutomated {
		d.add(n.Line, "%s: missing required field %q: say what would close a %s coupling", what, "closes", status)
	}
	k.Provenance = d.provenance(n, what)
	return k
}

// dependencies checks dependsOn: every id names a step of the event that
// comes earlier. References that close a cycle are reported as the cycle,
// with its path, once per cycle.
func (d *decoder) dependencies(e *Event, deps map[*Step][]item) {
	index := map[string]int{}
	for i, s := range e.Steps {
		index[s.ID] = i
	}
	edges := map[string][]string{}
	for _, s := range e.Steps {
		for _, it := range deps[s] {
			if _, ok := index[it.value]; ok {
				edges[s.ID] = append(edges[s.ID], it.value)
			}
		}
	}
	reported := map[string]bool{}
	for i, s := range e.Steps {
		for _, it := range deps[s] {
			j, ok := index[it.value]
			switch {
			case !ok:
				d.add(it.line, "step %q depends on unknown step %q", s.ID, it.value)
			case j < i:
			default:
				cycle := findPath(edges, it.value, s.ID)
				if cycle == nil {
					d.add(it.line, "step %q depends on step %q, which comes later; list steps in the order they are taken", s.ID, it.value)
					continue
				}
				cycle = append([]string{s.ID}, cycle...)
				key := cycleKey(cycle, index)
				if reported[key] {
					continue
				}
				reported[key] = true
				d.add(it.line, "steps depend on each other in a cycle: %s", strings.Join(cycle, " → "))
			}
		}
	}
}

// findPath returns a shortest path of dependencies from one step to
// another, both included, or nil.
func findPath(edges map[string][]string, from, to string) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == to {
			var path []string
			for at := to; at != ""; at = prev[at] {
				path = append([]string{at}, path...)
				if at == from {
					break
				}
			}
			return path
		}
		for _, next := range edges[cur] {
			if _, seen := prev[next]; !seen {
				prev[next] = cur
				queue = append(queue, next)
			}
		}
	}
	return nil
}

// cycleKey names a cycle independently of where it was entered: its steps
// rotated to start at the earliest listed one.
func cycleKey(cycle []string, index map[string]int) string {
	ring := cycle[:len(cycle)-1]
	start := 0
	for i, id := range ring {
		if index[id] < index[ring[start]] {
			start = i
		}
	}
	return strings.Join(append(slices.Clone(ring[start:]), ring[:start]...), ">")
}
