package balie

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// couplingMapAnswer is CouplingMap's answer.
type couplingMapAnswer struct {
	LifeEvents []struct {
		Kind, NameNl, SubjectKind string
		Steps                     []struct {
			ID            string
			Order         int
			Name          string
			CitizenFacing bool
			Partner       *partnerRef
			Coupling      struct {
				Status   string
				Standard *struct{ ID, Name string }
			}
			Needs []struct{ Registries []string }
		}
	}
	CouplingStandards []struct{ ID, Name string }
	CouplingGaps      *struct {
		StaticGaps, LiveGaps int
		Gaps                 []struct {
			ID, Kind, Severity, LifeEvent, Status, Reason, Closes string
			Registries                                            []string
			Step                                                  struct {
				ID    string
				Order int
				Name  string
			}
			Partner  *partnerRef
			Standard *struct{ ID, Name string }
		}
		RegistryHealth []struct {
			Registry, Condition string
			ErrorRate, P95Ms    float64
			Breaker             *string
			Calls               int
		}
	}
}

type businessCaseAnswer struct {
	BusinessCase *struct {
		Municipality struct {
			Name, Code string
			Population int
		}
		StartYear, HorizonYears int
		Total                   struct {
			OneOff, Running, Savings, Balance, NetPresentValue float64
			BreakEvenYear, YearsToBreakEven                    *int
			Years                                              []struct {
				Year            int
				Net, Cumulative float64
			}
		}
		LifeEvents []struct {
			LifeEvent, Name string
			CashFlow        struct {
				Balance       float64
				BreakEvenYear *int
			}
		}
	}
}

type mapFilter struct{ Event, Standard, Severity, Municipality string }

type mapPage struct {
	Filter     mapFilter
	Events     []struct{ Kind, Name string }
	Standards  []struct{ ID, Name string }
	Severities []string
	Legend     []string
	Problems   []string
	Diagram    template.HTML
	StaticGaps int
	LiveGaps   int
	Gaps       []gapRow
	Business   *businessView
}

type gapRow struct {
	Anchor, Event, Step, Partner, Standard, Kind, Severity, Status, Reason, Closes string
}

type businessView struct {
	Name                                   string
	Population                             string
	StartYear, EndYear                     int
	OneOff, Running, Savings, Balance, NPV float64
	BreakEven                              *int
	Chart                                  template.HTML
	Events                                 []struct {
		Name      string
		Balance   float64
		BreakEven *int
	}
}

var severities = []string{"HIGH", "MEDIUM", "LOW"}

// couplingMap shows the catalogue as a diagram coloured by coupling
// status and the registries' health now, the gaps with their reasons and
// what closes them, and a municipality's business case beside it.
func (c *Console) couplingMap(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	f := mapFilter{Event: q.Get("gebeurtenis"), Standard: q.Get("standaard"), Severity: q.Get("ernst"), Municipality: strings.TrimSpace(q.Get("gemeente"))}
	if f.Municipality == "" {
		f.Municipality = "Utrecht"
	}
	vars := map[string]any{}
	if f.Event != "" {
		vars["lifeEvent"] = f.Event
	}
	if f.Severity != "" {
		vars["severity"] = f.Severity
	}
	var (
		cm       couplingMapAnswer
		bc       businessCaseAnswer
		res, bcr *result
		err, bce error
		wg       sync.WaitGroup
	)
	wg.Go(func() { res, err = c.execute(r.Context(), s, "CouplingMap", vars, &cm) })
	wg.Go(func() {
		bcr, bce = c.execute(r.Context(), s, "BusinessCase", map[string]any{"municipality": f.Municipality}, &bc)
	})
	wg.Wait()
	if err != nil || res.refused() {
		c.renderRefusal(w, r, s, res, err)
		return
	}
	mp := mapPage{Filter: f, Severities: severities, Legend: []string{"AUTOMATED", "PARTIAL", "MANUAL", "MISSING"}}
	for _, e := range res.Errors {
		mp.Problems = append(mp.Problems, e.Message+" ("+e.code()+")")
	}
	for _, e := range cm.LifeEvents {
		mp.Events = append(mp.Events, struct{ Kind, Name string }{e.Kind, e.NameNl})
	}
	mp.Standards = cm.CouplingStandards
	names := map[string]string{}
	for _, e := range cm.LifeEvents {
		names[e.Kind] = e.NameNl
	}
	gapOf := map[string]string{} // event/step → anchor of its first gap
	if g := cm.CouplingGaps; g != nil {
		mp.StaticGaps, mp.LiveGaps = g.StaticGaps, g.LiveGaps
		for _, gap := range g.Gaps {
			if f.Standard != "" && (gap.Standard == nil || gap.Standard.ID != f.Standard) {
				continue
			}
			row := gapRow{Anchor: "gat-" + anchorSafe(gap.ID), Event: names[gap.LifeEvent], Step: gap.Step.Name, Kind: gap.Kind,
				Severity: gap.Severity, Status: gap.Status, Reason: gap.Reason, Closes: gap.Closes}
			if gap.Partner != nil {
				row.Partner = gap.Partner.NameNl
			}
			if gap.Standard != nil {
				row.Standard = gap.Standard.Name
			}
			mp.Gaps = append(mp.Gaps, row)
			if k := gap.LifeEvent + "/" + gap.Step.ID; gapOf[k] == "" {
				gapOf[k] = row.Anchor
			}
		}
	}
	mp.Diagram = c.diagram(cm, f, gapOf)
	switch {
	case bce != nil:
		c.log.Error("console: business case", "err", bce)
		mp.Problems = append(mp.Problems, "De businesscase kon niet worden berekend.")
	case bc.BusinessCase == nil && len(bcr.Errors) > 0:
		mp.Problems = append(mp.Problems, "Businesscase: "+bcr.Errors[0].Message+" ("+bcr.Errors[0].code()+")")
	case bc.BusinessCase != nil:
		mp.Business = businessOf(bc, names)
	}
	c.render(w, r, s, http.StatusOK, "map", page{Title: "Koppelingen", Nav: "koppelingen", Data: mp})
}

func anchorSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, s)
}

func businessOf(bc businessCaseAnswer, names map[string]string) *businessView {
	b := bc.BusinessCase
	v := &businessView{Name: b.Municipality.Name, Population: formatThousands(b.Municipality.Population), StartYear: b.StartYear,
		EndYear: b.StartYear + b.HorizonYears - 1, OneOff: b.Total.OneOff, Running: b.Total.Running, Savings: b.Total.Savings,
		Balance: b.Total.Balance, NPV: b.Total.NetPresentValue, BreakEven: b.Total.BreakEvenYear}
	for _, e := range b.LifeEvents {
		v.Events = append(v.Events, struct {
			Name      string
			Balance   float64
			BreakEven *int
		}{cmp.Or(names[e.LifeEvent], e.Name), e.CashFlow.Balance, e.CashFlow.BreakEvenYear})
	}
	var years []int
	var cum []float64
	for _, y := range b.Total.Years {
		years, cum = append(years, y.Year), append(cum, y.Cumulative)
	}
	v.Chart = cumulativeChart(b.Municipality.Name, years, cum)
	return v
}

func formatThousands(n int) string {
	return strings.TrimPrefix(formatEuro(float64(n)), "€ ")
}

// Colours of the coupling statuses, as in the stylesheet.
var statusColour = map[string]struct{ fill, bar string }{
	"AUTOMATED": {"#e6f2e6", "#2c6e2f"},
	"PARTIAL":   {"#fbf0d9", "#8a5a00"},
	"MANUAL":    {"#fce5d4", "#a34700"},
	"MISSING":   {"#f9dedc", "#b3261e"},
}

const (
	boxW, boxH   = 190, 104
	boxGap       = 16
	perRow       = 4
	eventTitleH  = 34
	healthBarH   = 44
	diagramWidth = perRow*(boxW+boxGap) + 12
)

// diagram draws the catalogue on the server as SVG: per event its steps
// in rows, each step coloured by its coupling's status, with a dashed red
// border when a registry the step needs is not healthy now, and a link to
// its gap. Text carries the status too, so colour is never the only sign.
func (c *Console) diagram(cm couplingMapAnswer, f mapFilter, gapOf map[string]string) template.HTML {
	unhealthy := map[string]string{}
	var health []string
	if g := cm.CouplingGaps; g != nil {
		for _, h := range g.RegistryHealth {
			health = append(health, h.Registry+": "+dutchOr(h.Condition))
			if h.Condition != "HEALTHY" {
				unhealthy[h.Registry] = h.Condition
			}
		}
	}
	type box struct {
		x, y                           int
		title, partner, status, anchor string
		dim                            bool
		sick                           []string
	}
	var boxes []box
	var titles []struct {
		y    int
		text string
	}
	y := healthBarH
	for _, e := range cm.LifeEvents {
		if f.Event != "" && e.Kind != f.Event {
			continue
		}
		titles = append(titles, struct {
			y    int
			text string
		}{y + 22, e.NameNl})
		y += eventTitleH
		for i, st := range e.Steps {
			b := box{x: 6 + (i%perRow)*(boxW+boxGap), y: y + (i/perRow)*(boxH+boxGap), title: fmt.Sprintf("%d. %s", st.Order, st.Name),
				status: st.Coupling.Status, anchor: gapOf[e.Kind+"/"+st.ID]}
			if st.Partner != nil {
				b.partner = st.Partner.NameNl
			}
			if st.Coupling.Standard != nil {
				b.partner += " · " + st.Coupling.Standard.Name
			}
			std := ""
			if st.Coupling.Standard != nil {
				std = st.Coupling.Standard.ID
			}
			b.dim = (f.Standard != "" && std != f.Standard) || (f.Severity != "" && b.anchor == "")
			for _, n := range st.Needs {
				for _, reg := range n.Registries {
					if cond, ok := unhealthy[reg]; ok && !slices.Contains(b.sick, reg+" "+dutchOr(cond)) {
						b.sick = append(b.sick, reg+" "+dutchOr(cond))
					}
				}
			}
			boxes = append(boxes, b)
		}
		rows := (len(e.Steps) + perRow - 1) / perRow
		y += rows*(boxH+boxGap) + 8
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<div class="balie-table-wrap" tabindex="0" role="region" aria-label="Koppelingskaart"><svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="group" aria-labelledby="kaart-titel" font-family="Noto Sans, sans-serif" font-size="12">`,
		diagramWidth, y, diagramWidth, y)
	sb.WriteString(`<title id="kaart-titel">Koppelingskaart: stappen per levensgebeurtenis, gekleurd naar de status van hun koppeling</title>`)
	fmt.Fprintf(&sb, `<text x="6" y="18" font-weight="700">Registraties nu:</text><text x="120" y="18">%s</text>`, template.HTMLEscapeString(strings.Join(health, " · ")))
	for _, t := range titles {
		fmt.Fprintf(&sb, `<text x="6" y="%d" font-size="16" font-weight="700">%s</text>`, t.y, template.HTMLEscapeString(t.text))
	}
	for _, b := range boxes {
		col := statusColour[b.status]
		opacity := "1"
		if b.dim {
			opacity = "0.3"
		}
		// A link's name is its text: the step, its partner and its status.
		if b.anchor != "" {
			fmt.Fprintf(&sb, `<a href="#%s">`, b.anchor)
		} else {
			sb.WriteString(`<g>`)
		}
		stroke, dash, width := "#6b7280", "", "1"
		if len(b.sick) > 0 {
			stroke, dash, width = "#b3261e", ` stroke-dasharray="6 3"`, "3"
		}
		fmt.Fprintf(&sb, `<g opacity="%s"><rect x="%d" y="%d" width="%d" height="%d" rx="4" fill="%s" stroke="%s" stroke-width="%s"%s/>`,
			opacity, b.x, b.y, boxW, boxH, col.fill, stroke, width, dash)
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="6" height="%d" fill="%s"/>`, b.x, b.y, boxH, col.bar)
		ty := b.y + 16
		for _, line := range wrap(b.title, 29, 3) {
			fmt.Fprintf(&sb, `<text x="%d" y="%d" fill="#1b1b1b">%s</text>`, b.x+12, ty, template.HTMLEscapeString(line))
			ty += 14
		}
		fmt.Fprintf(&sb, `<text x="%d" y="%d" fill="#3d434a" font-size="11">%s</text>`, b.x+12, b.y+boxH-36, template.HTMLEscapeString(truncate(b.partner, 32)))
		fmt.Fprintf(&sb, `<text x="%d" y="%d" fill="%s" font-size="11" font-weight="700">koppeling %s</text>`, b.x+12, b.y+boxH-22, col.bar, template.HTMLEscapeString(dutchOr(b.status)))
		if len(b.sick) > 0 {
			fmt.Fprintf(&sb, `<text x="%d" y="%d" fill="#b3261e" font-size="11" font-weight="700">%s</text>`, b.x+12, b.y+boxH-8, template.HTMLEscapeString(truncate(strings.Join(b.sick, ", "), 30)))
		}
		sb.WriteString(`</g>`)
		if b.anchor != "" {
			sb.WriteString(`</a>`)
		} else {
			sb.WriteString(`</g>`)
		}
	}
	sb.WriteString(`</svg></div>`)
	return template.HTML(sb.String()) // every text above is escaped
}

// dutchOr names an enum value or code in Dutch, or leaves it as it is.
func dutchOr(s string) string {
	if d, ok := dutch[s]; ok {
		return d
	}
	if d, ok := dutch[strings.ToUpper(s)]; ok {
		return d
	}
	return s
}

// wrap breaks s into at most n lines of about width characters.
func wrap(s string, width, n int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	if len(lines) > n {
		lines = lines[:n]
		lines[n-1] = truncate(lines[n-1]+"…", width)
	}
	return lines
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// cumulativeChart draws the cumulative balance per year as bars: below
// the line while the investment is not yet earned back.
func cumulativeChart(name string, years []int, cum []float64) template.HTML {
	if len(years) == 0 {
		return ""
	}
	const w, h, pad = 300, 160, 24
	lo, hi := 0.0, 0.0
	for _, v := range cum {
		lo, hi = min(lo, v), max(hi, v)
	}
	span := hi - lo
	if span == 0 {
		span = 1
	}
	zero := pad + int(float64(h-2*pad)*hi/span)
	bw := (w - 2*pad) / len(years)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="bc-grafiek" font-family="Noto Sans, sans-serif" font-size="10">`, w, h, w, h)
	fmt.Fprintf(&sb, `<title id="bc-grafiek">Cumulatief saldo van %s per jaar, van %d tot %d</title>`, template.HTMLEscapeString(name), years[0], years[len(years)-1])
	for i, v := range cum {
		bh := int(float64(h-2*pad) * abs(v) / span)
		x, y, fill := pad+i*bw, zero, "#2c6e2f"
		if v < 0 {
			fill = "#b3261e"
		} else {
			y = zero - bh
		}
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, x+1, y, max(bw-2, 1), max(bh, 1), fill)
	}
	fmt.Fprintf(&sb, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#1b1b1b"/>`, pad, zero, w-pad, zero)
	fmt.Fprintf(&sb, `<text x="%d" y="%d">%d</text><text x="%d" y="%d" text-anchor="end">%d</text>`, pad, h-6, years[0], w-pad, h-6, years[len(years)-1])
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
