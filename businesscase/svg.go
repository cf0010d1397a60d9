package businesscase

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
)

// Chart colours: blue and orange stay apart for the common forms of colour
// blindness, unlike green and red.
const (
	colourGain      = "#2166ac"
	colourLoss      = "#d6604d"
	colourLine      = "#222222"
	colourAlone     = "#f4a582"
	colourShared    = "#2166ac"
	colourFront     = "#762a83"
	colourComp      = "#5aae61"
	colourMiddle    = "#999999"
	colourGrid      = "#dddddd"
	colourMuted     = "#666666"
	colourBreakEven = "#1a9850"
)

// svg builds one chart. Every element is written through it so text is
// always escaped.
type svg struct {
	b      bytes.Buffer
	prefix string
}

func newSVG(prefix string, width, height int, title, desc string) *svg {
	s := &svg{prefix: prefix}
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-title %s-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="12">`+"\n",
		width, height, width, height, prefix, prefix)
	fmt.Fprintf(&s.b, `<title id="%s-title">%s</title>`+"\n", prefix, esc(title))
	fmt.Fprintf(&s.b, `<desc id="%s-desc">%s</desc>`+"\n", prefix, esc(desc))
	fmt.Fprintf(&s.b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", width, height)
	return s
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (s *svg) raw(format string, a ...any) { fmt.Fprintf(&s.b, format, a...) }

func (s *svg) text(x, y float64, anchor, attrs, content string) {
	s.raw(`<text x="%.1f" y="%.1f" text-anchor="%s"%s>%s</text>`+"\n", x, y, anchor, attrs, esc(content))
}

func (s *svg) line(x1, y1, x2, y2 float64, stroke, attrs string) {
	s.raw(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"%s/>`+"\n", x1, y1, x2, y2, stroke, attrs)
}

func (s *svg) write(w io.Writer) error {
	s.raw("</svg>\n")
	_, err := w.Write(s.b.Bytes())
	return err
}

// niceTicks returns round tick values covering [lo, hi]: steps of 1, 2 or 5
// times a power of ten, about n of them.
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	start, end := math.Floor(lo/step), math.Ceil(hi/step)
	ticks := make([]float64, 0, int(end-start)+1)
	for i := start; i <= end; i++ {
		ticks = append(ticks, i*step)
	}
	return ticks
}

// CashFlowSVG writes the cash-flow chart of a result: the yearly net flow
// as bars, the cumulative balance as a line, and the break-even year
// marked.
func CashFlowSVG(w io.Writer, r *Result) error {
	const width, height = 760, 430
	const left, right, top, bottom = 84.0, 24.0, 76.0, 84.0
	f := r.Total
	n := len(f.Years)
	if n == 0 {
		return fmt.Errorf("businesscase: no years to chart")
	}
	name := r.Municipality.Name
	first, last := f.Years[0].Year, f.Years[n-1].Year
	title := fmt.Sprintf("Cash flow of the business case for %s, %d–%d", name, first, last)
	be := fmt.Sprintf("no break-even by %d", last)
	if f.BreakEvenYear != 0 {
		be = fmt.Sprintf("break-even in %d", f.BreakEvenYear)
	}
	desc := fmt.Sprintf("Yearly net cash flow (bars) and cumulative balance (line) for %s, %s inhabitants, with fixed costs carried %s. "+
		"One-off investment %s, savings over the horizon %s, %s, cumulative balance %s in %d, net present value %s at %s.",
		name, groupThousands(int64(r.Municipality.Population)), r.Options.Carrying,
		compactEuros(f.OneOff), compactEuros(f.Savings), be, compactEuros(f.Balance), last, compactEuros(f.NPV), FormatPercent(r.Options.DiscountRate))
	s := newSVG("cash-flow", width, height, title, desc)
	s.text(left, 24, "start", ` font-size="16" font-weight="600"`, title)
	s.text(left, 42, "start", ` fill="`+colourMuted+`"`, fmt.Sprintf("%s inhabitants · fixed costs carried %s · NPV %s at %s",
		groupThousands(int64(r.Municipality.Population)), r.Options.Carrying, compactEuros(f.NPV), FormatPercent(r.Options.DiscountRate)))

	lo, hi := 0.0, 0.0
	for _, y := range f.Years {
		lo = min(lo, y.Net.Euros(), y.Cumulative.Euros())
		hi = max(hi, y.Net.Euros(), y.Cumulative.Euros())
	}
	ticks := niceTicks(lo, hi, 6)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	plotW, plotH := width-left-right, height-top-bottom
	yOf := func(v float64) float64 { return top + (hi-v)/(hi-lo)*plotH }
	band := plotW / float64(n)
	xOf := func(i int) float64 { return left + band*(float64(i)+0.5) }

	s.raw(`<g id="axis-y">` + "\n")
	for _, t := range ticks {
		y := yOf(t)
		s.line(left, y, width-right, y, colourGrid, "")
		s.text(left-8, y+4, "end", "", compactEuros(Cents(math.Round(t*100))))
	}
	s.raw("</g>\n")
	s.line(left, yOf(0), width-right, yOf(0), colourMuted, ` stroke-width="1.5"`)

	s.raw(`<g id="axis-x">` + "\n")
	every := 1 + (n-1)/20
	for i, y := range f.Years {
		if i%every == 0 {
			s.text(xOf(i), height-bottom+18, "middle", "", fmt.Sprint(y.Year))
		}
	}
	s.raw("</g>\n")

	s.raw(`<g id="yearly" class="series" data-series="yearly net cash flow">` + "\n")
	bw := band * 0.6
	for i, y := range f.Years {
		v := y.Net.Euros()
		y0, y1 := yOf(max(v, 0)), yOf(min(v, 0))
		colour := colourGain
		if v < 0 {
			colour = colourLoss
		}
		s.raw(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" data-year="%d" data-cents="%d"><title>%d: net %s (savings %s, investment %s, running %s)</title></rect>`+"\n",
			xOf(i)-bw/2, y0, bw, math.Max(y1-y0, 0.5), colour, y.Year, int64(y.Net), y.Year,
			esc(y.Net.String()), esc(y.Savings.String()), esc(y.Investment.String()), esc(y.Running.String()))
	}
	s.raw("</g>\n")

	s.raw(`<g id="cumulative" class="series" data-series="cumulative balance">` + "\n")
	pts := make([]string, n)
	for i, y := range f.Years {
		pts[i] = fmt.Sprintf("%.1f,%.1f", xOf(i), yOf(y.Cumulative.Euros()))
	}
	s.raw(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5"/>`+"\n", strings.Join(pts, " "), colourLine)
	for i, y := range f.Years {
		s.raw(`<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s" data-year="%d" data-cents="%d"><title>%d: cumulative %s</title></circle>`+"\n",
			xOf(i), yOf(y.Cumulative.Euros()), colourLine, y.Year, int64(y.Cumulative), y.Year, esc(y.Cumulative.String()))
	}
	s.raw("</g>\n")

	if f.BreakEvenYear != 0 {
		i := f.YearsToBreakEven - 1
		x := xOf(i)
		s.raw(`<g id="break-even" data-year="%d">`+"\n", f.BreakEvenYear)
		s.line(x, top-4, x, top+plotH, colourBreakEven, ` stroke-width="2" stroke-dasharray="6 4"`)
		anchor, dx := "start", 6.0
		if i > n/2 {
			anchor, dx = "end", -6
		}
		s.text(x+dx, top-8, anchor, ` fill="`+colourBreakEven+`" font-weight="600"`, be)
		s.raw("</g>\n")
	} else {
		s.raw(`<g id="break-even" data-year="none">` + "\n")
		s.text(width-right, top-8, "end", ` fill="`+colourLoss+`" font-weight="600"`, be)
		s.raw("</g>\n")
	}

	ly := float64(height) - 28
	s.raw(`<g id="legend">` + "\n")
	s.raw(`<rect x="%.1f" y="%.1f" width="12" height="12" fill="%s"/>`+"\n", left, ly-10, colourGain)
	s.raw(`<rect x="%.1f" y="%.1f" width="12" height="12" fill="%s"/>`+"\n", left+14, ly-10, colourLoss)
	s.text(left+32, ly, "start", "", "yearly net cash flow (gain, loss)")
	s.line(left+250, ly-4, left+280, ly-4, colourLine, ` stroke-width="2.5"`)
	s.text(left+286, ly, "start", "", "cumulative balance")
	s.line(left+430, ly-10, left+430, ly+2, colourBreakEven, ` stroke-width="2" stroke-dasharray="6 4"`)
	s.text(left+438, ly, "start", "", "break-even")
	s.raw("</g>\n")
	return s.write(w)
}

// BreakEvenBySizeSVG writes the scale-check chart: per size class, the share
// of municipalities that break even within the horizon on couplings alone
// (carrying the fixed costs alone and shared) and as front office for all
// of government (without and with compensation), with counts and median
// break-even years.
func BreakEvenBySizeSVG(w io.Writer, sr *ScaleResult) error {
	const width, height = 900, 480
	const left, right, top, bottom = 64.0, 24.0, 90.0, 110.0
	o := sr.Options
	last := o.StartYear + o.HorizonYears - 1
	title := fmt.Sprintf("Municipalities that break even by %d, by size class", last)
	var parts []string
	for _, c := range sr.Classes {
		parts = append(parts, fmt.Sprintf("%s inhabitants: %d of %d alone, %d shared, %d as front office, %d compensated",
			c.Class.Label, c.Alone.Count, c.Municipalities, c.Shared.Count, c.FrontOffice.Count, c.Compensated.Count))
	}
	desc := fmt.Sprintf("Share of the %d municipalities in each size class whose cumulative balance is positive by %d: on better couplings, carrying the fixed costs alone or sharing them regionally and nationally; and as front office for all of government, without and with compensation (%s), costs shared. %s.",
		sr.Total.Municipalities, last, sr.National.Rate.String(), strings.Join(parts, "; "))
	s := newSVG("break-even-size", width, height, title, desc)
	s.text(left, 24, "start", ` font-size="16" font-weight="600"`, title)
	s.text(left, 42, "start", ` fill="`+colourMuted+`"`, fmt.Sprintf("%d municipalities, horizon %d–%d, discount rate %s; label: count and median break-even year",
		sr.Total.Municipalities, o.StartYear, last, FormatPercent(o.DiscountRate)))

	plotW, plotH := width-left-right, height-top-bottom
	yOf := func(frac float64) float64 { return top + (1-frac)*plotH }
	s.raw(`<g id="axis-y">` + "\n")
	for _, t := range []float64{0, 0.25, 0.5, 0.75, 1} {
		s.line(left, yOf(t), width-right, yOf(t), colourGrid, "")
		s.text(left-8, yOf(t)+4, "end", "", fmt.Sprintf("%.0f %%", t*100))
	}
	s.raw("</g>\n")

	band := plotW / float64(len(sr.Classes))
	bw := band * 0.2
	series := []struct {
		id, label, colour string
		get               func(ClassOutcome) BreakEvens
	}{
		{"alone", "couplings, costs alone", colourAlone, func(c ClassOutcome) BreakEvens { return c.Alone }},
		{"shared", "couplings, costs shared", colourShared, func(c ClassOutcome) BreakEvens { return c.Shared }},
		{"front-office", "front office for all", colourFront, func(c ClassOutcome) BreakEvens { return c.FrontOffice }},
		{"compensated", "front office, compensated", colourComp, func(c ClassOutcome) BreakEvens { return c.Compensated }},
	}
	for k, se := range series {
		s.raw(`<g id="%s" class="series" data-series="%s">`+"\n", se.id, se.label)
		for i, c := range sr.Classes {
			be := se.get(c)
			frac := 0.0
			if c.Municipalities > 0 {
				frac = float64(be.Count) / float64(c.Municipalities)
			}
			x := left + band*float64(i) + band/2 - float64(len(series))*bw/2 + float64(k)*bw
			y := yOf(frac)
			median := "none"
			if be.Count > 0 {
				median = fmt.Sprint(be.Median)
			}
			s.raw(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" data-class="%s" data-count="%d" data-of="%d"><title>%s, %s: %d of %d break even, median year %s</title></rect>`+"\n",
				x+1, y, bw-2, math.Max(yOf(0)-y, 0.5), se.colour, c.Class.ID, be.Count, c.Municipalities,
				esc(c.Class.Label), esc(se.label), be.Count, c.Municipalities, median)
			s.text(x+bw/2, y-18, "middle", ` font-size="10"`, fmt.Sprintf("%d/%d", be.Count, c.Municipalities))
			s.text(x+bw/2, y-5, "middle", ` font-size="10" fill="`+colourMuted+`"`, median)
		}
		s.raw("</g>\n")
	}
	s.raw(`<g id="axis-x">` + "\n")
	for i, c := range sr.Classes {
		x := left + band*(float64(i)+0.5)
		s.text(x, height-bottom+20, "middle", ` font-weight="600"`, c.Class.Label)
		s.text(x, height-bottom+36, "middle", ` fill="`+colourMuted+`" font-size="11"`, fmt.Sprintf("%d municipalities", c.Municipalities))
	}
	s.raw("</g>\n")
	ly := float64(height) - 30
	s.raw(`<g id="legend">` + "\n")
	x := left
	for _, se := range series {
		s.raw(`<rect x="%.1f" y="%.1f" width="12" height="12" fill="%s"/>`+"\n", x, ly-10, se.colour)
		s.text(x+18, ly, "start", "", se.label)
		x += 200
	}
	s.raw("</g>\n")
	return s.write(w)
}

// BreakEvenByPopulationSVG writes every municipality's break-even year
// against its population on a logarithmic axis, alone and shared, with the
// size-class boundaries drawn; municipalities that do not break even within
// the horizon sit in the top row.
func BreakEvenByPopulationSVG(w io.Writer, sr *ScaleResult) error {
	const width, height = 760, 460
	const left, right, top, bottom = 84.0, 44.0, 64.0, 96.0
	o := sr.Options
	first, last := o.StartYear, o.StartYear+o.HorizonYears-1
	title := fmt.Sprintf("Break-even year of better couplings by municipality size, %d–%d", first, last)
	desc := fmt.Sprintf("Break-even year of each of the %d municipalities against its population (logarithmic scale), %d–%d, carrying the fixed costs alone (orange) or shared (blue). ", sr.Total.Municipalities, first, last)
	if m := sr.SmallestAlone; m != nil {
		desc += fmt.Sprintf("The smallest that breaks even alone is %s (%s inhabitants, %d). ", m.Municipality.Name, groupThousands(int64(m.Municipality.Population)), m.Alone.BreakEvenYear)
	} else {
		desc += "None breaks even alone. "
	}
	if m := sr.SmallestShared; m != nil {
		desc += fmt.Sprintf("The smallest that breaks even with shared costs is %s (%s inhabitants, %d).", m.Municipality.Name, groupThousands(int64(m.Municipality.Population)), m.Shared.BreakEvenYear)
	} else {
		desc += "None breaks even with shared costs."
	}
	s := newSVG("break-even-population", width, height, title, desc)
	s.text(left, 24, "start", ` font-size="16" font-weight="600"`, title)
	s.text(left, 42, "start", ` fill="`+colourMuted+`"`, "each dot a municipality; top row: no break-even within the horizon")

	minPop, maxPop := math.Inf(1), 1_000_000.0
	for _, m := range sr.Municipalities {
		minPop = math.Min(minPop, float64(m.Municipality.Population))
		maxPop = math.Max(maxPop, float64(m.Municipality.Population))
	}
	minPop = math.Min(minPop, 1_000)
	// A little room either side keeps the extreme dots off the frame.
	lx0, lx1 := math.Log10(minPop)-0.08, math.Log10(maxPop)+0.04
	plotW, plotH := width-left-right, height-top-bottom
	xOf := func(pop float64) float64 { return left + (math.Log10(pop)-lx0)/(lx1-lx0)*plotW }
	rows := o.HorizonYears + 1 // one row per year and one for "none"
	rowH := plotH / float64(rows)
	yOf := func(year int) float64 {
		if year == 0 {
			return top + rowH/2
		}
		return top + plotH - rowH*(float64(year-first)+0.5)
	}

	s.raw(`<g id="axis-y">` + "\n")
	every := 1 + (o.HorizonYears-1)/15
	for y := first; y <= last; y++ {
		if (y-first)%every == 0 {
			s.line(left, yOf(y), width-right, yOf(y), colourGrid, "")
			s.text(left-8, yOf(y)+4, "end", "", fmt.Sprint(y))
		}
	}
	s.line(left, top+rowH, width-right, top+rowH, colourMuted, ` stroke-dasharray="2 3"`)
	s.text(left-8, yOf(0)+4, "end", "", "none")
	s.raw("</g>\n")

	s.raw(`<g id="axis-x">` + "\n")
	for e := math.Ceil(lx0); e <= lx1; e++ {
		x := xOf(math.Pow(10, e))
		s.line(x, top, x, top+plotH, colourGrid, "")
		s.text(x, height-bottom+18, "middle", "", groupThousands(int64(math.Pow(10, e))))
	}
	for _, c := range SizeClasses()[1:] {
		x := xOf(float64(c.Min))
		s.line(x, top, x, top+plotH, colourMuted, ` stroke-dasharray="4 4"`)
	}
	for _, c := range SizeClasses() {
		lo, hi := math.Max(float64(c.Min), math.Pow(10, lx0)), float64(c.Max)
		if c.Max == 0 {
			hi = math.Pow(10, lx1)
		}
		s.text((xOf(lo)+xOf(hi))/2, height-bottom+36, "middle", ` fill="`+colourMuted+`" font-size="11"`, c.Label)
	}
	s.text(left+plotW/2, height-bottom+54, "middle", "", "inhabitants (logarithmic scale)")
	s.raw("</g>\n")

	for k, se := range []struct {
		id, label, colour string
		get               func(MunicipalOutcome) int
	}{
		{"alone", "alone", colourAlone, func(m MunicipalOutcome) int { return m.Alone.BreakEvenYear }},
		{"shared", "shared", colourShared, func(m MunicipalOutcome) int { return m.Shared.BreakEvenYear }},
	} {
		s.raw(`<g id="%s" class="series" data-series="break-even year, costs carried %s">`+"\n", se.id, se.label)
		off := (float64(k) - 0.5) * rowH * 0.4
		for _, m := range sr.Municipalities {
			year := se.get(m)
			label := "no break-even"
			if year != 0 {
				label = fmt.Sprintf("break-even %d", year)
			}
			s.raw(`<circle cx="%.1f" cy="%.1f" r="3" fill="%s" fill-opacity="0.75" data-code="%s" data-year="%d"><title>%s (%s inhabitants), %s: %s</title></circle>`+"\n",
				xOf(float64(m.Municipality.Population)), yOf(year)+off, se.colour, m.Municipality.Code, year,
				esc(m.Municipality.Name), groupThousands(int64(m.Municipality.Population)), se.label, label)
		}
		s.raw("</g>\n")
	}
	ly := float64(height) - 18
	s.raw(`<g id="legend">` + "\n")
	s.raw(`<circle cx="%.1f" cy="%.1f" r="5" fill="%s"/>`+"\n", left+6, ly-4, colourAlone)
	s.text(left+16, ly, "start", "", "carrying all costs alone")
	s.raw(`<circle cx="%.1f" cy="%.1f" r="5" fill="%s"/>`+"\n", left+226, ly-4, colourShared)
	s.text(left+236, ly, "start", "", "sharing costs regionally and nationally")
	s.raw("</g>\n")
	return s.write(w)
}
