package businesscase

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// tornadoRows is the number of bars a tornado chart shows: the groups with
// the largest swings.
const tornadoRows = 14

// TornadoSVG writes a tornado chart: for the groups of uncertain figures
// with the largest swing, the net present value (left) and the break-even
// year (right) with the group at the low and at the high end of its range,
// around the outcome with every figure at its value.
func TornadoSVG(w io.Writer, t *Tornado) error {
	var bars []TornadoBar
	for _, b := range t.Bars {
		if (b.Swing != 0 || b.Low.BreakEvenYear != b.High.BreakEvenYear) && len(bars) < tornadoRows {
			bars = append(bars, b)
		}
	}
	const width, labelW, gap, right = 1000, 320.0, 40.0, 24.0
	const top, rowH, bottom = 96.0, 26.0, 86.0
	height := int(top + rowH*float64(max(len(bars), 1)) + bottom)
	o := t.Options
	first, last := o.StartYear, o.StartYear+o.HorizonYears-1
	m := t.Municipality
	title := fmt.Sprintf("What the uncertain figures do to %s's business case (%s)", m.Name, scenarioText(t.Scenario))
	var parts []string
	for _, b := range bars {
		parts = append(parts, fmt.Sprintf("%s: NPV %s to %s, break-even %s to %s", b.Group,
			compactEuros(b.Low.NPV), compactEuros(b.High.NPV), yearText(b.Low.BreakEvenYear), yearText(b.High.BreakEvenYear)))
	}
	desc := fmt.Sprintf("Net present value and break-even year of %s (%s inhabitants), %d–%d, with each group of uncertain figures at the low and at the high end of its range and the others at their values; with every figure at its value NPV %s, break-even %s. %s.",
		m.Name, groupThousands(int64(m.Population)), first, last, compactEuros(t.Base.NPV), yearText(t.Base.BreakEvenYear), strings.Join(parts, "; "))
	s := newSVG("tornado", width, height, title, desc)
	s.text(16, 24, "start", ` font-size="16" font-weight="600"`, title)
	s.text(16, 42, "start", ` fill="`+colourMuted+`"`, fmt.Sprintf("%s inhabitants · %d–%d · discount rate %s · with every figure at its value: NPV %s, break-even %s",
		groupThousands(int64(m.Population)), first, last, FormatPercent(o.DiscountRate), compactEuros(t.Base.NPV), yearText(t.Base.BreakEvenYear)))

	npvX0 := labelW
	npvW := (width - labelW - gap - right) * 0.6
	yearX0 := npvX0 + npvW + gap
	yearW := width - right - yearX0
	plotBottom := top + rowH*float64(len(bars))

	lo, hi := t.Base.NPV.Euros(), t.Base.NPV.Euros()
	for _, b := range bars {
		lo = min(lo, b.Low.NPV.Euros(), b.High.NPV.Euros())
		hi = max(hi, b.Low.NPV.Euros(), b.High.NPV.Euros())
	}
	ticks := niceTicks(lo, hi, 4)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	xNPV := func(v float64) float64 { return npvX0 + (v-lo)/(hi-lo)*npvW }
	// The break-even axis has a column per year and one for "none".
	cols := float64(o.HorizonYears + 1)
	xYear := func(y int) float64 {
		if y == 0 {
			return yearX0 + yearW*(cols-0.5)/cols
		}
		return yearX0 + yearW*(float64(y-first)+0.5)/cols
	}

	s.text(npvX0, top-30, "start", ` font-weight="600"`, "net present value")
	s.text(yearX0, top-30, "start", ` font-weight="600"`, "break-even year")
	s.raw(`<g id="axis-npv">` + "\n")
	for _, v := range ticks {
		x := xNPV(v)
		s.line(x, top-8, x, plotBottom, colourGrid, "")
		s.text(x, plotBottom+16, "middle", ` font-size="11"`, compactEuros(Cents(math.Round(v*100))))
	}
	s.line(xNPV(0), top-8, xNPV(0), plotBottom, colourMuted, ` stroke-width="1.5"`)
	s.raw("</g>\n")
	s.raw(`<g id="axis-year">` + "\n")
	every := 1 + (o.HorizonYears-1)/6
	for y := first; y <= last; y++ {
		if (y-first)%every == 0 {
			s.line(xYear(y), top-8, xYear(y), plotBottom, colourGrid, "")
			s.text(xYear(y), plotBottom+16, "middle", ` font-size="11"`, fmt.Sprint(y))
		}
	}
	s.text(xYear(0), plotBottom+16, "middle", ` font-size="11"`, "none")
	s.raw("</g>\n")

	s.raw(`<g id="bars" class="series" data-series="outcome at the low and high end of each group">` + "\n")
	for i, b := range bars {
		y := top + rowH*float64(i)
		s.raw(`<g class="bar" data-group="%s" data-low-cents="%d" data-high-cents="%d" data-low-year="%d" data-high-year="%d">`+"\n",
			esc(b.Group), int64(b.Low.NPV), int64(b.High.NPV), b.Low.BreakEvenYear, b.High.BreakEvenYear)
		s.text(labelW-10, y+rowH/2+4, "end", ` font-family="ui-monospace, monospace" font-size="11"`, b.Group)
		base := xNPV(t.Base.NPV.Euros())
		for _, end := range []struct {
			o      Outcome
			colour string
			name   string
		}{{b.Low, colourAlone, "low"}, {b.High, colourShared, "high"}} {
			x := xNPV(end.o.NPV.Euros())
			s.raw(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s at the %s end: NPV %s</title></rect>`+"\n",
				math.Min(x, base), y+4, math.Max(math.Abs(x-base), 1), rowH/2-4, end.colour, esc(b.Group), end.name, esc(end.o.NPV.String()))
			yx, bx := xYear(end.o.BreakEvenYear), xYear(t.Base.BreakEvenYear)
			s.raw(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s at the %s end: break-even %s</title></rect>`+"\n",
				math.Min(yx, bx), y+rowH/2, math.Max(math.Abs(yx-bx), 2), rowH/2-4, end.colour, esc(b.Group), end.name, yearText(end.o.BreakEvenYear))
		}
		s.raw("</g>\n")
	}
	s.raw("</g>\n")
	s.raw(`<g id="base">` + "\n")
	s.line(xNPV(t.Base.NPV.Euros()), top-8, xNPV(t.Base.NPV.Euros()), plotBottom, colourLine, ` stroke-width="2"`)
	s.line(xYear(t.Base.BreakEvenYear), top-8, xYear(t.Base.BreakEvenYear), plotBottom, colourLine, ` stroke-width="2"`)
	s.raw("</g>\n")
	if len(bars) == 0 {
		s.text(npvX0, top+rowH/2+4, "start", ` fill="`+colourMuted+`"`, "no uncertain figure changes the outcome")
	}

	ly := float64(height) - 24
	s.raw(`<g id="legend">` + "\n")
	s.raw(`<rect x="16" y="%.1f" width="12" height="12" fill="%s"/>`+"\n", ly-10, colourAlone)
	s.text(34, ly, "start", "", "group at the low end of its ranges")
	s.raw(`<rect x="270" y="%.1f" width="12" height="12" fill="%s"/>`+"\n", ly-10, colourShared)
	s.text(288, ly, "start", "", "at the high end")
	s.line(420, ly-10, 420, ly+2, colourLine, ` stroke-width="2"`)
	s.text(428, ly, "start", "", "every figure at its value")
	s.raw("</g>\n")
	return s.write(w)
}

// BreakEvenByAssumptionSVG writes, per scenario, the share of
// municipalities that break even within the horizon under low, middle and
// high assumptions.
func BreakEvenByAssumptionSVG(w io.Writer, u *Uncertainty) error {
	const width, height = 900, 440
	const left, right, top, bottom = 64.0, 24.0, 84.0, 96.0
	o := u.Options
	last := o.StartYear + o.HorizonYears - 1
	title := fmt.Sprintf("Municipalities that break even by %d under low, middle and high assumptions", last)
	var parts []string
	for _, su := range u.Scenarios {
		var counts []string
		for _, c := range su.Counts {
			counts = append(counts, fmt.Sprintf("%d %s", c.BreakEven, c.Assumption))
		}
		parts = append(parts, scenarioText(su.Scenario)+": "+strings.Join(counts, ", "))
	}
	desc := fmt.Sprintf("Share of the %d municipalities that break even by %d, costs shared, with every uncertain figure at the end of its range that is worse for the municipality (low), at its value (middle) or at the better end (high). %s.",
		u.Municipalities, last, strings.Join(parts, "; "))
	s := newSVG("break-even-assumption", width, height, title, desc)
	s.text(left, 24, "start", ` font-size="16" font-weight="600"`, title)
	s.text(left, 42, "start", ` fill="`+colourMuted+`"`, fmt.Sprintf("%d municipalities, costs shared, horizon %d–%d; low and high: every uncertain figure at its worse or better end",
		u.Municipalities, o.StartYear, last))
	plotW, plotH := width-left-right, height-top-bottom
	yOf := func(frac float64) float64 { return top + (1-frac)*plotH }
	s.raw(`<g id="axis-y">` + "\n")
	for _, t := range []float64{0, 0.25, 0.5, 0.75, 1} {
		s.line(left, yOf(t), width-right, yOf(t), colourGrid, "")
		s.text(left-8, yOf(t)+4, "end", "", fmt.Sprintf("%.0f %%", t*100))
	}
	s.raw("</g>\n")
	colours := map[Assumption]string{Low: colourLoss, Middle: colourMiddle, High: colourGain}
	band := plotW / float64(len(u.Scenarios))
	bw := band * 0.22
	for i, su := range u.Scenarios {
		s.raw(`<g class="series" data-scenario="%s">`+"\n", su.Scenario)
		for k, c := range su.Counts {
			x := left + band*float64(i) + band/2 - 1.5*bw + float64(k)*bw
			y := yOf(c.Share)
			s.raw(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" data-assumption="%s" data-count="%d" data-of="%d"><title>%s, %s assumptions: %d of %d break even</title></rect>`+"\n",
				x+1, y, bw-2, math.Max(yOf(0)-y, 0.5), colours[c.Assumption], c.Assumption, c.BreakEven, u.Municipalities,
				esc(scenarioText(su.Scenario)), c.Assumption, c.BreakEven, u.Municipalities)
			s.text(x+bw/2, y-6, "middle", ` font-size="11"`, fmt.Sprintf("%d (%.0f %%)", c.BreakEven, c.Share*100))
		}
		s.text(left+band*(float64(i)+0.5), height-bottom+20, "middle", ` font-weight="600"`, scenarioText(su.Scenario))
		s.raw("</g>\n")
	}
	ly := float64(height) - 30
	s.raw(`<g id="legend">` + "\n")
	x := left
	for _, a := range Assumptions() {
		s.raw(`<rect x="%.1f" y="%.1f" width="12" height="12" fill="%s"/>`+"\n", x, ly-10, colours[a])
		s.text(x+18, ly, "start", "", string(a)+" assumptions")
		x += 180
	}
	s.raw("</g>\n")
	return s.write(w)
}

// scenarioText names a scenario for people.
func scenarioText(s Scenario) string {
	switch s {
	case FrontOffice:
		return "front office for all, uncompensated"
	case Compensated:
		return "front office for all, compensated"
	}
	return "better couplings"
}

func yearText(y int) string {
	if y == 0 {
		return "none"
	}
	return fmt.Sprint(y)
}
