package lifeevents

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Format is an export format.
type Format string

// The export formats.
const (
	// FormatJSON is the catalogue and the gap report as one JSON document.
	FormatJSON Format = "json"
	// FormatMermaid is a Mermaid flowchart: events, their steps, the chain
	// partners, couplings coloured by status.
	FormatMermaid Format = "mermaid"
	// FormatDOT is the same picture in Graphviz DOT.
	FormatDOT Format = "dot"
)

// ParseFormat returns the format with the name.
func ParseFormat(name string) (Format, error) {
	switch f := Format(strings.ToLower(name)); f {
	case FormatJSON, FormatMermaid, FormatDOT:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q; use json, mermaid or dot", name)
}

// Document is what the JSON export holds: the catalogue (or the part of it
// the report covers) and the gap report.
type Document struct {
	Catalogue *Catalogue `json:"catalogue"`
	GapReport *Report    `json:"gapReport"`
}

// Export writes the catalogue's events covered by the report, their steps,
// partners and couplings, and the report's gaps, in the format. The report
// decides which events are drawn and which steps have live gaps.
func Export(w io.Writer, f Format, c *Catalogue, r *Report) error {
	sub, err := c.Subset(r.Events...)
	if err != nil {
		return err
	}
	switch f {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(Document{Catalogue: sub, GapReport: r})
	case FormatMermaid:
		return writeMermaid(w, sub, r)
	case FormatDOT:
		return writeDOT(w, sub, r)
	}
	return fmt.Errorf("unknown format %q; use json, mermaid or dot", f)
}

// Subset returns a catalogue with only the events with the ids (all for
// none) and the partners and standards their steps refer to.
func (c *Catalogue) Subset(ids ...string) (*Catalogue, error) {
	events, err := c.selectEvents(ids)
	if err != nil {
		return nil, err
	}
	if len(events) == len(c.EventList) {
		return c, nil
	}
	partners, standards := map[string]bool{}, map[string]bool{}
	for _, e := range events {
		for _, s := range e.Steps {
			partners[s.Partner] = true
			partners[s.Actor] = true
			standards[s.Coupling.Standard] = true
		}
	}
	sub := &Catalogue{
		EventList: events,
		events:    map[string]*Event{}, partners: map[string]*Partner{}, standards: map[string]*Standard{},
	}
	for _, e := range events {
		sub.events[e.ID] = e
	}
	for _, p := range c.PartnerList {
		if partners[p.ID] {
			sub.PartnerList = append(sub.PartnerList, p)
			sub.partners[p.ID] = p
		}
	}
	for _, s := range c.StandardList {
		if standards[s.ID] {
			sub.StandardList = append(sub.StandardList, s)
			sub.standards[s.ID] = s
		}
	}
	return sub, nil
}

// statusColour is how a coupling status or a live gap is drawn.
type statusColour struct {
	class       string
	stroke, bg  string
	description string
}

// statusColours returns the colours of the statuses, shared by both
// diagrams: green to red as a coupling gets worse, purple for a live gap.
func statusColours() []statusColour {
	return []statusColour{
		{string(StatusAutomated), "#1e8e3e", "#e6f4ea", "automated"},
		{string(StatusPartial), "#f9ab00", "#fef7e0", "partial"},
		{string(StatusManual), "#e8710a", "#feefe3", "manual"},
		{string(StatusMissing), "#d93025", "#fce8e6", "missing"},
		{"live", "#9334e6", "#f3e8fd", "live gap now"},
	}
}

func colourOf(class string) (stroke, bg string) {
	for _, c := range statusColours() {
		if c.class == class {
			return c.stroke, c.bg
		}
	}
	return "#5f6368", "#ffffff"
}

// stepClass is the class a step is drawn in: "live" when it has a live gap
// in the report, else its coupling's status.
func stepClass(r *Report, e *Event, s *Step) string {
	for _, g := range r.Gaps {
		if g.Kind == GapLive && g.Event == e.ID && g.Step == s.ID {
			return "live"
		}
	}
	return string(s.Coupling.Status)
}

// edgeLabel names the coupling on a step's edge to its partner, and says
// so when the step has a live gap, whose colour hides the status.
func edgeLabel(c *Catalogue, r *Report, e *Event, s *Step) string {
	label := couplingLabel(c, s)
	if stepClass(r, e, s) == "live" {
		label += " · live gap"
	}
	return label
}

func couplingLabel(c *Catalogue, s *Step) string {
	std := "no standard"
	if st, ok := c.Standard(s.Coupling.Standard); ok {
		std = st.Name
		if i := strings.Index(std, " ("); i > 0 {
			std = std[:i]
		}
	}
	return std + " · " + string(s.Coupling.Status)
}

// diagramID makes an id safe for Mermaid and DOT alike.
func diagramID(parts ...string) string {
	return strings.NewReplacer("-", "_", "/", "__").Replace(strings.Join(parts, "__"))
}

func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;").Replace(s)
}

func writeMermaid(w io.Writer, c *Catalogue, r *Report) error {
	var b strings.Builder
	b.WriteString("%% Life events, their steps and chain partners; couplings coloured by status.\n")
	b.WriteString("flowchart LR\n")
	for _, sc := range statusColours() {
		extra := ""
		if sc.class == "live" {
			extra = ",stroke-dasharray:5 3"
		}
		fmt.Fprintf(&b, "  classDef %s fill:%s,stroke:%s,stroke-width:2px%s\n", sc.class, sc.bg, sc.stroke, extra)
	}
	b.WriteString("  classDef event fill:#e8f0fe,stroke:#1a73e8,stroke-width:2px\n")
	b.WriteString("  classDef partner fill:#f1f3f4,stroke:#5f6368\n")

	edge := 0
	var styles []string
	used := map[string]bool{}
	for _, e := range c.Events() {
		ev := diagramID("ev", e.ID)
		fmt.Fprintf(&b, "  subgraph %s_box[\"%s\"]\n", ev, mermaidText(e.Name.EN+" · "+e.Name.NL))
		fmt.Fprintf(&b, "    %s([\"%s<br/>%s\"]):::event\n", ev, mermaidText(e.Name.EN), e.Subject)
		for i, s := range e.Steps {
			fmt.Fprintf(&b, "    %s[\"%d. %s\"]:::%s\n", diagramID(e.ID, s.ID), i+1, mermaidText(s.Name.EN), stepClass(r, e, s))
		}
		for _, s := range e.Steps {
			from := []string{ev}
			if len(s.DependsOn) > 0 {
				from = nil
				for _, d := range s.DependsOn {
					from = append(from, diagramID(e.ID, d))
				}
			}
			for _, f := range from {
				fmt.Fprintf(&b, "    %s --> %s\n", f, diagramID(e.ID, s.ID))
				edge++
			}
		}
		b.WriteString("  end\n")
		for _, s := range e.Steps {
			fmt.Fprintf(&b, "  %s -- \"%s\" --> %s\n", diagramID(e.ID, s.ID), mermaidText(edgeLabel(c, r, e, s)), diagramID("p", s.Partner))
			stroke, _ := colourOf(stepClass(r, e, s))
			styles = append(styles, fmt.Sprintf("  linkStyle %d stroke:%s,stroke-width:2px,color:%s", edge, stroke, stroke))
			edge++
			used[s.Partner] = true
		}
	}
	for _, p := range c.Partners() {
		if used[p.ID] {
			fmt.Fprintf(&b, "  %s[\"%s\"]:::partner\n", diagramID("p", p.ID), mermaidText(p.Name.NL))
		}
	}
	for _, s := range styles {
		b.WriteString(s + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func dotText(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func writeDOT(w io.Writer, c *Catalogue, r *Report) error {
	var b strings.Builder
	b.WriteString("// Life events, their steps and chain partners; couplings coloured by status.\n")
	b.WriteString("digraph lifeevents {\n")
	b.WriteString("  rankdir=LR;\n  newrank=true;\n  fontname=\"Helvetica\";\n")
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	used := map[string]bool{}
	for _, e := range c.Events() {
		ev := diagramID("ev", e.ID)
		fmt.Fprintf(&b, "  subgraph cluster_%s {\n", diagramID(e.ID))
		fmt.Fprintf(&b, "    label=\"%s · %s\"; style=rounded; color=\"#1a73e8\";\n", dotText(e.Name.EN), dotText(e.Name.NL))
		fmt.Fprintf(&b, "    %s [label=\"%s\\n%s\", shape=oval, fillcolor=\"#e8f0fe\", color=\"#1a73e8\"];\n", ev, dotText(e.Name.EN), e.Subject)
		for i, s := range e.Steps {
			class := stepClass(r, e, s)
			stroke, bg := colourOf(class)
			style := "rounded,filled"
			if class == "live" {
				style = "rounded,filled,dashed"
			}
			fmt.Fprintf(&b, "    %s [label=\"%d. %s\", class=%q, fillcolor=%q, color=%q, style=%q];\n",
				diagramID(e.ID, s.ID), i+1, dotText(s.Name.EN), class, bg, stroke, style)
		}
		for _, s := range e.Steps {
			if len(s.DependsOn) == 0 {
				fmt.Fprintf(&b, "    %s -> %s;\n", ev, diagramID(e.ID, s.ID))
			}
			for _, d := range s.DependsOn {
				fmt.Fprintf(&b, "    %s -> %s;\n", diagramID(e.ID, d), diagramID(e.ID, s.ID))
			}
		}
		b.WriteString("  }\n")
		for _, s := range e.Steps {
			stroke, _ := colourOf(stepClass(r, e, s))
			fmt.Fprintf(&b, "  %s -> %s [label=\"%s\", color=%q, fontcolor=%q, penwidth=2];\n",
				diagramID(e.ID, s.ID), diagramID("p", s.Partner), dotText(edgeLabel(c, r, e, s)), stroke, stroke)
			used[s.Partner] = true
		}
	}
	for _, p := range c.Partners() {
		if used[p.ID] {
			fmt.Fprintf(&b, "  %s [label=\"%s\", shape=box, style=filled, fillcolor=\"#f1f3f4\", color=\"#5f6368\"];\n", diagramID("p", p.ID), dotText(p.Name.NL))
		}
	}
	b.WriteString("  subgraph cluster_legend {\n    label=\"coupling status\"; style=rounded; color=\"#5f6368\";\n")
	var prev string
	for _, sc := range statusColours() {
		id := diagramID("legend", sc.class)
		fmt.Fprintf(&b, "    %s [label=%q, fillcolor=%q, color=%q];\n", id, sc.description, sc.bg, sc.stroke)
		if prev != "" {
			fmt.Fprintf(&b, "    %s -> %s [style=invis];\n", prev, id)
		}
		prev = id
	}
	b.WriteString("  }\n}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
