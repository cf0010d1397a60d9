package businesscase

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

const usage = `usage: poort businesscase (--municipality NAME | --scale | --parameters) [flags]

Computes the business case of the life-event front office.

  --municipality NAME   one municipality, by name ("Utrecht", "Den Haag") or GM code ("GM0344")
  --scale               every municipality, aggregated by size class, alone and shared
  --parameters          list every parameter with its source

Flags:
`

// RunCLI runs "poort businesscase" with the arguments after the command
// name. Tables or JSON go to stdout, usage and notes to stderr. It returns an
// error for bad flags or parameters; asking for help with -h returns nil.
func RunCLI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("businesscase", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	var (
		municipality = fs.String("municipality", "", "`name` or GM code of the municipality")
		scale        = fs.Bool("scale", false, "run the scale check over all municipalities")
		parameters   = fs.Bool("parameters", false, "list the parameters and their sources")
		horizon      = fs.Int("horizon", 0, "horizon in `years` (default from the parameters)")
		discount     = fs.String("discount-rate", "", "discount `rate` as a fraction (0.0225) or percentage (2.25%) (default from the parameters)")
		startYear    = fs.Int("start-year", 0, "first `year` of the horizon (default from the parameters)")
		alone        = fs.Bool("alone", false, "with --municipality: carry every cost alone instead of sharing")
		lifeEvents   = fs.String("life-events", "", "comma-separated life-event `ids` to include (default all)")
		overrides    = fs.String("overrides", "", "JSON overrides `file` merged over the defaults")
		svgDir       = fs.String("svg", "", "write the charts as SVG into `dir`")
		format       = fs.String("format", "table", "output `format`: table or json (markdown too with --parameters)")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	modes := 0
	for _, set := range []bool{*municipality != "", *scale, *parameters} {
		if set {
			modes++
		}
	}
	if modes != 1 {
		fs.Usage()
		return errors.New("give exactly one of --municipality NAME, --scale or --parameters")
	}
	switch *format {
	case "table", "json":
	case "markdown":
		if !*parameters {
			return errors.New("--format markdown is only for --parameters")
		}
	default:
		return fmt.Errorf("--format: unknown format %q, want table or json", *format)
	}
	if *alone && *municipality == "" {
		return errors.New("--alone goes with --municipality; --scale shows both")
	}

	p, err := LoadDefaults()
	if err != nil {
		return err
	}
	if *overrides != "" {
		doc, err := os.ReadFile(*overrides)
		if err != nil {
			return fmt.Errorf("--overrides: %w", err)
		}
		if p, err = p.Apply(doc); err != nil {
			return fmt.Errorf("--overrides %s: %w", *overrides, err)
		}
	}
	if *parameters {
		return printParameters(stdout, p, *format)
	}

	// Visit rather than zero checks, so "--horizon 0" is refused instead of
	// quietly meaning the default.
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	opts := p.DefaultOptions()
	if set["horizon"] {
		opts.HorizonYears = *horizon
	}
	if set["start-year"] {
		opts.StartYear = *startYear
	}
	if *discount != "" {
		if opts.DiscountRate, err = parseRate(*discount); err != nil {
			return fmt.Errorf("--discount-rate: %w", err)
		}
	}
	if *lifeEvents != "" {
		for _, id := range strings.Split(*lifeEvents, ",") {
			opts.LifeEvents = append(opts.LifeEvents, strings.TrimSpace(id))
		}
	}
	if *alone {
		opts.Carrying = Alone
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	if *scale {
		sr, err := ScaleCheck(p, opts)
		if err != nil {
			return err
		}
		if *svgDir != "" {
			if err := writeSVG(stderr, *svgDir, "break-even-by-size.svg", func(w io.Writer) error { return BreakEvenBySizeSVG(w, sr) }); err != nil {
				return err
			}
			if err := writeSVG(stderr, *svgDir, "break-even-by-population.svg", func(w io.Writer) error { return BreakEvenByPopulationSVG(w, sr) }); err != nil {
				return err
			}
		}
		if *format == "json" {
			return writeJSON(stdout, sr)
		}
		return printScale(stdout, sr, p)
	}

	c, err := p.ForMunicipality(*municipality)
	if err != nil {
		return err
	}
	r, err := Compute(c, opts)
	if err != nil {
		return err
	}
	if *svgDir != "" {
		name := "cash-flow-" + slug(c.Municipality.Name) + ".svg"
		if *alone {
			name = "cash-flow-" + slug(c.Municipality.Name) + "-alone.svg"
		}
		if err := writeSVG(stderr, *svgDir, name, func(w io.Writer) error { return CashFlowSVG(w, r) }); err != nil {
			return err
		}
	}
	if *format == "json" {
		return writeJSON(stdout, r)
	}
	return printResult(stdout, r)
}

// parseRate reads "0.0225", "2.25%" or "2.25 %".
func parseRate(s string) (float64, error) {
	t := strings.TrimSpace(s)
	pct := strings.HasSuffix(t, "%")
	t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if pct {
		v /= 100
	}
	return v, nil
}

// slug makes a file-name part of a municipality name: "'s-Gravenhage" →
// "s-gravenhage", "Súdwest-Fryslân" → "sudwest-fryslan".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		r = foldAccent(r)
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func writeSVG(stderr io.Writer, dir, name string, render func(io.Writer) error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--svg: %w", err)
	}
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--svg: %w", err)
	}
	if err := render(f); err != nil {
		f.Close()
		return fmt.Errorf("--svg: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--svg: %w", err)
	}
	fmt.Fprintf(stderr, "wrote %s\n", path)
	return nil
}

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

func carryingText(c Carrying) string {
	if c == Alone {
		return "carried alone by the municipality"
	}
	return "shared: national and regional shares spread per inhabitant"
}

func printResult(w io.Writer, r *Result) error {
	m := r.Municipality
	o := r.Options
	code := ""
	if m.Code != "" {
		code = " (" + m.Code + ")"
	}
	last := r.Years[len(r.Years)-1]
	fmt.Fprintf(w, "Business case: %s%s, %s inhabitants\n", m.Name, code, groupThousands(int64(m.Population)))
	fmt.Fprintf(w, "Horizon %d–%d (%d years), discount rate %s, fixed costs %s\n\n",
		r.Years[0], last, o.HorizonYears, formatPercent(o.DiscountRate), carryingText(o.Carrying))

	var t table
	t.row("life event", "events/yr", "contacts/yr now", "at target", "€/event now", "at target",
		"one-off €", "running €/yr", "savings €/yr at target", "NPV €", "break-even")
	var vol, now, target float64
	var atTarget Cents
	for _, e := range r.LifeEvents {
		t.row(e.ID, formatNumber(e.Volume), formatNumber(e.ContactsToday), formatNumber(e.ContactsTarget),
			e.CostPerEventToday.decimal(), e.CostPerEventTarget.decimal(),
			wholeEuros(e.Flow.OneOff), wholeEuros(e.Flow.Years[0].Running), wholeEuros(e.SavingsAtTarget),
			wholeEuros(e.Flow.NPV), breakEvenText(e.Flow.BreakEvenYear))
		vol += e.Volume
		now += e.ContactsToday
		target += e.ContactsTarget
		atTarget += e.SavingsAtTarget
	}
	t.row("general (training, platform)", "", "", "", "", "",
		wholeEuros(r.General.OneOff), wholeEuros(r.General.Years[0].Running), "", wholeEuros(r.General.NPV), "")
	t.row("total", formatNumber(vol), formatNumber(now), formatNumber(target), "", "",
		wholeEuros(r.Total.OneOff), wholeEuros(r.Total.Years[0].Running), wholeEuros(atTarget),
		wholeEuros(r.Total.NPV), breakEvenText(r.Total.BreakEvenYear))
	if err := t.write(w); err != nil {
		return err
	}

	fmt.Fprintln(w)
	t = table{}
	t.row("year", "investment €", "running €", "savings €", "net €", "cumulative €")
	for _, y := range r.Total.Years {
		t.row(strconv.Itoa(y.Year), wholeEuros(y.Investment), wholeEuros(y.Running),
			wholeEuros(y.Savings), wholeEuros(y.Net), wholeEuros(y.Cumulative))
	}
	if err := t.write(w); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if r.Total.BreakEvenYear != 0 {
		fmt.Fprintf(w, "Break-even in %d (year %d). ", r.Total.BreakEvenYear, r.Total.YearsToBreakEven)
	} else {
		fmt.Fprintf(w, "No break-even by %d. ", last)
	}
	_, err := fmt.Fprintf(w, "Net present value %s; cumulative balance %s at the end of %d.\n", r.Total.NPV, r.Total.Balance, last)
	return err
}

func breakEvenText(year int) string {
	if year == 0 {
		return "none"
	}
	return strconv.Itoa(year)
}

// decimal formats cents as euros with two decimals and thousands
// separators, without the euro sign.
func (c Cents) decimal() string { return strings.Replace(c.String(), "€", "", 1) }

func yearsText(b BreakEvens) string {
	if b.Count == 0 {
		return "–"
	}
	return fmt.Sprintf("%d / %d / %d", b.Earliest, b.Median, b.Latest)
}

func printScale(w io.Writer, sr *ScaleResult, p *Parameters) error {
	o := sr.Options
	last := o.StartYear + o.HorizonYears - 1
	fmt.Fprintf(w, "Scale check: %d municipalities, %s inhabitants\n", sr.Total.Municipalities, groupThousands(int64(sr.Total.Population)))
	fmt.Fprintf(w, "Horizon %d–%d (%d years), discount rate %s; break-even counted within the horizon\n\n",
		o.StartYear, last, o.HorizonYears, formatPercent(o.DiscountRate))
	var t table
	t.row("size class", "municipalities", "population", "alone: break even", "first / median / last", "NPV €",
		"shared: break even", "first / median / last", "NPV €")
	for _, c := range append(append([]ClassOutcome(nil), sr.Classes...), sr.Total) {
		t.row(c.Class.Label, strconv.Itoa(c.Municipalities), groupThousands(int64(c.Population)),
			fmt.Sprintf("%d of %d", c.Alone.Count, c.Municipalities), yearsText(c.Alone), wholeEuros(c.Alone.NPV),
			fmt.Sprintf("%d of %d", c.Shared.Count, c.Municipalities), yearsText(c.Shared), wholeEuros(c.Shared.NPV))
	}
	if err := t.write(w); err != nil {
		return err
	}
	fmt.Fprintln(w)
	smallest := func(label string, m *MunicipalOutcome, year func(MunicipalOutcome) int) {
		if m == nil {
			fmt.Fprintf(w, "No municipality breaks even %s by %d.\n", label, last)
			return
		}
		fmt.Fprintf(w, "Smallest municipality that breaks even %s: %s (%s, %s inhabitants), in %d.\n", label,
			m.Municipality.Name, m.Municipality.Code, groupThousands(int64(m.Municipality.Population)), year(*m))
	}
	smallest("alone", sr.SmallestAlone, func(m MunicipalOutcome) int { return m.Alone.BreakEvenYear })
	smallest("with shared investments", sr.SmallestShared, func(m MunicipalOutcome) int { return m.Shared.BreakEvenYear })

	fmt.Fprintln(w, "\nYearly events by size class:")
	events := o.events()
	t = table{}
	t.row(append([]string{"size class"}, events...)...)
	row := func(label string, vols map[string]float64) {
		cells := []string{label}
		for _, id := range events {
			cells = append(cells, formatNumber(vols[id]))
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

func printParameters(w io.Writer, p *Parameters, format string) error {
	rows := p.Figures()
	switch format {
	case "json":
		return writeJSON(w, rows)
	case "markdown":
		fmt.Fprintln(w, "| parameter | value | source | note |")
		fmt.Fprintln(w, "|---|---|---|---|")
		for _, r := range rows {
			src := r.Source
			if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
				src = "<" + src + ">"
			}
			fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", r.Path, mdCell(r.Value), src, mdCell(r.Note))
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PARAMETER\tVALUE\tSOURCE")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Path, r.Value, r.Source)
	}
	return tw.Flush()
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
