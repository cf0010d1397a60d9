package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/poort-nl/poort/businesscase"
)

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// table prints rows whose first column is a label, left-aligned, and whose
// other columns are numbers, right-aligned. text/tabwriter aligns all
// columns one way, so the labels are padded to one width beforehand.
type table struct{ rows [][]string }

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) error {
	width := 0
	for _, r := range t.rows {
		width = max(width, utf8.RuneCountInString(r[0]))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, r := range t.rows {
		label := r[0] + strings.Repeat(" ", width-utf8.RuneCountInString(r[0]))
		fmt.Fprint(tw, label+"\t"+strings.Join(r[1:], "\t")+"\t\n")
	}
	return tw.Flush()
}

func count(v float64) string { return businesscase.FormatCount(v) }

func euros(c businesscase.Cents) string { return c.WholeEuros() }

// decimal formats cents as euros with two decimals, without the euro sign.
func decimal(c businesscase.Cents) string { return strings.Replace(c.String(), "€", "", 1) }

func year(y int) string {
	if y == 0 {
		return "none"
	}
	return strconv.Itoa(y)
}

func perContact(c *businesscase.Cents) string {
	if c == nil {
		return "none"
	}
	return c.String()
}

func carryingText(c businesscase.Carrying) string {
	if c == businesscase.Alone {
		return "carried alone by the municipality"
	}
	return "shared: national and regional shares spread per inhabitant"
}

func printResult(w io.Writer, r *businesscase.Result) error {
	m, o := r.Municipality, r.Options
	code := ""
	if m.Code != "" {
		code = " (" + m.Code + ")"
	}
	last := r.Years[len(r.Years)-1]
	fmt.Fprintf(w, "Business case: %s%s, %s inhabitants\n", m.Name, code, count(float64(m.Population)))
	fmt.Fprintf(w, "Horizon %d–%d (%d years), discount rate %s, fixed costs %s\n\n",
		r.Years[0], last, o.HorizonYears, businesscase.FormatPercent(o.DiscountRate), carryingText(o.Carrying))

	var t table
	t.row("life event", "events/yr", "contacts/yr now", "at target", "norm follow-ups now", "at target", "€/event now", "at target",
		"one-off €", "running €/yr", "savings €/yr at target", "NPV €", "break-even")
	var vol, now, target, normNow, normTarget float64
	var atTarget businesscase.Cents
	for _, e := range r.LifeEvents {
		t.row(e.ID, count(e.Volume), count(e.ContactsToday), count(e.ContactsTarget), count(e.NormContactsToday), count(e.NormContactsTarget),
			decimal(e.CostPerEventToday), decimal(e.CostPerEventTarget),
			euros(e.Flow.OneOff), euros(e.Flow.Years[0].Running), euros(e.SavingsAtTarget),
			euros(e.Flow.NPV), year(e.Flow.BreakEvenYear))
		vol += e.Volume
		now += e.ContactsToday
		target += e.ContactsTarget
		normNow += e.NormContactsToday
		normTarget += e.NormContactsTarget
		atTarget += e.SavingsAtTarget
	}
	t.row("general (training, platform, floor)", "", "", "", "", "", "", "",
		euros(r.General.OneOff), euros(r.General.Years[0].Running), "", euros(r.General.NPV), "")
	t.row("total", count(vol), count(now), count(target), count(normNow), count(normTarget), "", "",
		euros(r.Total.OneOff), euros(r.Total.Years[0].Running), euros(atTarget),
		euros(r.Total.NPV), year(r.Total.BreakEvenYear))
	if err := t.write(w); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nFront office for all of government: contacts shifted from national agencies, a year at target")
	t = table{}
	t.row("life event", "contacts/yr", "extra cost €/yr", "agencies save €/yr")
	for _, e := range r.LifeEvents {
		if e.Shift.Contacts > 0 {
			t.row(e.ID, count(e.Shift.Contacts), euros(e.Shift.ExtraCost), euros(e.Shift.AgencySaving))
		}
	}
	s := r.Shift
	t.row("total", count(s.Contacts), euros(s.ExtraCost), euros(s.AgencySaving))
	for _, a := range s.Agencies {
		t.row("  from "+a.Name, count(a.Contacts), "", euros(a.Saving))
	}
	if err := t.write(w); err != nil {
		return err
	}

	fmt.Fprintln(w)
	t = table{}
	t.row("year", "investment €", "running €", "savings €", "net €", "cumulative €", "extra cost €", "compensation €", "front office €", "compensated €")
	for i, y := range r.Total.Years {
		fo, co := r.FrontOffice.Years[i], r.Compensated.Years[i]
		t.row(strconv.Itoa(y.Year), euros(y.Investment), euros(y.Running), euros(y.Savings), euros(y.Net), euros(y.Cumulative),
			euros(fo.ExtraCost), euros(co.Compensation), euros(fo.Cumulative), euros(co.Cumulative))
	}
	if err := t.write(w); err != nil {
		return err
	}

	fmt.Fprintln(w)
	t = table{}
	t.row("question", "break-even", "NPV €", "balance "+strconv.Itoa(last)+" €")
	for _, q := range []struct {
		label string
		f     businesscase.Flow
	}{
		{"do better couplings pay?", r.Total},
		{"front office for all, without compensation", r.FrontOffice},
		{"front office for all, with compensation", r.Compensated},
	} {
		t.row(q.label, year(q.f.BreakEvenYear), euros(q.f.NPV), euros(q.f.Balance))
	}
	if err := t.write(w); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nCompensation: %s. To break even as front office, %s needs %s per shifted contact (paid alone).\n",
		s.Rate, m.Name, perContact(s.BreakEvenPerContact))
	return err
}

func yearsText(b businesscase.BreakEvens) string {
	if b.Count == 0 {
		return "–"
	}
	return fmt.Sprintf("%d / %d / %d", b.Earliest, b.Median, b.Latest)
}

func printScale(w io.Writer, sr *businesscase.ScaleResult, p *businesscase.Parameters) error {
	o := sr.Options
	last := o.StartYear + o.HorizonYears - 1
	fmt.Fprintf(w, "Scale check: %d municipalities, %s inhabitants\n", sr.Total.Municipalities, count(float64(sr.Total.Population)))
	fmt.Fprintf(w, "Horizon %d–%d (%d years), discount rate %s; break-even counted within the horizon\n\n",
		o.StartYear, last, o.HorizonYears, businesscase.FormatPercent(o.DiscountRate))
	for _, a := range sr.Answers {
		fmt.Fprintf(w, "%s\n  %s\n", a.Question, a.Text)
	}

	fmt.Fprintln(w, "\nDo better couplings pay?")
	var t table
	t.row("size class", "municipalities", "population", "alone: break even", "first / median / last", "NPV €",
		"shared: break even", "first / median / last", "NPV €")
	classes := append(append([]businesscase.ClassOutcome(nil), sr.Classes...), sr.Total)
	for _, c := range classes {
		t.row(c.Class.Label, strconv.Itoa(c.Municipalities), count(float64(c.Population)),
			fmt.Sprintf("%d of %d", c.Alone.Count, c.Municipalities), yearsText(c.Alone), euros(c.Alone.NPV),
			fmt.Sprintf("%d of %d", c.Shared.Count, c.Municipalities), yearsText(c.Shared), euros(c.Shared.NPV))
	}
	if err := t.write(w); err != nil {
		return err
	}
	fmt.Fprintln(w)
	smallest := func(label string, m *businesscase.MunicipalOutcome, year func(businesscase.MunicipalOutcome) int) {
		if m == nil {
			fmt.Fprintf(w, "No municipality breaks even %s by %d.\n", label, last)
			return
		}
		fmt.Fprintf(w, "Smallest municipality that breaks even %s: %s (%s, %s inhabitants), in %d.\n", label,
			m.Municipality.Name, m.Municipality.Code, count(float64(m.Municipality.Population)), year(*m))
	}
	smallest("alone", sr.SmallestAlone, func(m businesscase.MunicipalOutcome) int { return m.Alone.BreakEvenYear })
	smallest("with shared investments", sr.SmallestShared, func(m businesscase.MunicipalOutcome) int { return m.Shared.BreakEvenYear })

	fmt.Fprintf(w, "\nDoes being the front office for all of government pay? (costs shared; compensation: %s)\n", sr.National.Rate)
	t = table{}
	t.row("size class", "without: break even", "first / median / last", "NPV €", "with: break even", "first / median / last", "NPV €",
		"€/contact to break even: median", "highest")
	for _, c := range classes {
		t.row(c.Class.Label,
			fmt.Sprintf("%d of %d", c.FrontOffice.Count, c.Municipalities), yearsText(c.FrontOffice), euros(c.FrontOffice.NPV),
			fmt.Sprintf("%d of %d", c.Compensated.Count, c.Municipalities), yearsText(c.Compensated), euros(c.Compensated.NPV),
			decimal(c.PerContact.Median), decimal(c.PerContact.Max))
	}
	if err := t.write(w); err != nil {
		return err
	}
	n := sr.National
	fmt.Fprintf(w, "\nNationally, %s contacts a year shift to the municipalities. Over %d–%d they cost the municipalities %s (%s a contact),\n",
		count(n.ShiftedContacts), o.StartYear, last, n.ExtraCost, n.ExtraCostPerContact)
	fmt.Fprintf(w, "save the agencies %s (%s a contact) and bring %s of compensation. Compensation per contact to break even:\n",
		n.AgencySaving, n.AgencySavingPerContact, n.Compensation)
	fmt.Fprintf(w, "every municipality %s, the municipalities together %s.\n", perContact(n.PerContactEvery), perContact(n.PerContactTogether))

	fmt.Fprintln(w, "\nYearly events by size class:")
	events := o.LifeEvents
	if len(events) == 0 {
		events = businesscase.LifeEventIDs()
	}
	t = table{}
	t.row(append([]string{"size class"}, events...)...)
	row := func(label string, vols map[string]float64) {
		cells := []string{label}
		for _, id := range events {
			cells = append(cells, count(vols[id]))
		}
		t.row(cells...)
	}
	for _, c := range sr.Classes {
		row(c.Class.Label, c.Volumes)
	}
	row("all", sr.Total.Volumes)
	national := map[string]float64{}
	for _, id := range events {
		national[id] = p.LifeEvents[id].NationalVolume.Value
	}
	row("national volume", national)
	return t.write(w)
}

func printTornado(w io.Writer, t *businesscase.Tornado) error {
	m, o := t.Municipality, t.Options
	fmt.Fprintf(w, "Sensitivity: %s (%s), %s inhabitants, scenario %s\n", m.Name, m.Code, count(float64(m.Population)), t.Scenario)
	fmt.Fprintf(w, "Horizon %d–%d, discount rate %s. Every figure at its value: NPV %s, break-even %s.\n",
		o.StartYear, o.StartYear+o.HorizonYears-1, businesscase.FormatPercent(o.DiscountRate), t.Base.NPV, year(t.Base.BreakEvenYear))
	fmt.Fprintln(w, "Each group of uncertain figures at the low and the high end of its range, the others at their values:")
	fmt.Fprintln(w)
	var tb table
	tb.row("group", "figures", "NPV € low", "NPV € high", "swing €", "break-even low", "high")
	for _, b := range t.Bars {
		tb.row(b.Group, strconv.Itoa(b.Figures), euros(b.Low.NPV), euros(b.High.NPV), euros(b.Swing),
			year(b.Low.BreakEvenYear), year(b.High.BreakEvenYear))
	}
	return tb.write(w)
}

func printUncertainty(w io.Writer, u *businesscase.Uncertainty) error {
	o := u.Options
	last := o.StartYear + o.HorizonYears - 1
	fmt.Fprintf(w, "Municipalities that break even by %d, costs shared, under low, middle and high assumptions (%d municipalities)\n", last, u.Municipalities)
	fmt.Fprintf(w, "Low and high put every group of uncertain figures at the end of its range that is worse or better for a municipality of %s inhabitants.\n\n",
		count(float64(u.Reference.Population)))
	var t table
	t.row("scenario", "low", "middle", "high", "smallest breaking even: low", "middle", "high")
	for _, s := range u.Scenarios {
		cells := []string{string(s.Scenario)}
		for _, c := range s.Counts {
			cells = append(cells, fmt.Sprintf("%d (%.0f %%)", c.BreakEven, c.Share*100))
		}
		for _, c := range s.Counts {
			name := "none"
			if c.Smallest != nil {
				name = fmt.Sprintf("%s (%s)", c.Smallest.Name, count(float64(c.Smallest.Population)))
			}
			cells = append(cells, name)
		}
		t.row(cells...)
	}
	return t.write(w)
}

func printParameters(w io.Writer, p *businesscase.Parameters, format string) error {
	rows := p.Figures()
	switch format {
	case "json":
		return writeJSON(w, rows)
	case "markdown":
		fmt.Fprintln(w, "| parameter | value | range | source | note |")
		fmt.Fprintln(w, "|---|---|---|---|---|")
		for _, r := range rows {
			src := r.Source
			if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
				src = "<" + src + ">"
			}
			fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s |\n", r.Path, mdCell(r.Value), r.Range, src, mdCell(r.Note))
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PARAMETER\tVALUE\tRANGE\tSOURCE")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Path, r.Value, r.Range, r.Source)
	}
	return tw.Flush()
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
