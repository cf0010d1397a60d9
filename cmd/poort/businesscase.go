package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/poort-nl/poort/businesscase"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/schema"
)

const businessCaseUsage = `usage: poort businesscase (--municipality NAME | --scale | --parameters) [flags]

The business case of the life-event front office. It answers two questions:
do better couplings pay for a municipality, and does being the front office
for all of government pay, without and with compensation for the contacts
that shift to it from national agencies.

  --municipality NAME   one municipality, by name ("Utrecht", "Den Haag") or GM code ("GM0344")
  --scale               every municipality, by size class, with the answers to both questions
  --parameters          every parameter with its range and source
  --sensitivity         with --municipality: a tornado of the uncertain figures;
                        with --scale: how many break even under low, middle and high assumptions

Flags:
`

// businessCaseFlags are the parsed flags of "poort businesscase".
type businessCaseFlags struct {
	municipality, discount, lifeEvents, overrides, svgDir, format, scenario string
	perContact, share                                                       string
	scale, parameters, sensitivity, alone                                   bool
	horizon, startYear                                                      int
	set                                                                     map[string]bool
}

func parseBusinessCaseFlags(args []string, stdout, stderr io.Writer) (*businessCaseFlags, error) {
	fs := flag.NewFlagSet("businesscase", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	f := &businessCaseFlags{set: map[string]bool{}}
	fs.StringVar(&f.municipality, "municipality", "", "`name` or GM code of the municipality")
	fs.BoolVar(&f.scale, "scale", false, "run the scale check over all municipalities")
	fs.BoolVar(&f.parameters, "parameters", false, "list the parameters with their ranges and sources")
	fs.BoolVar(&f.sensitivity, "sensitivity", false, "the tornado (with --municipality) or the low, middle and high assumptions (with --scale)")
	fs.IntVar(&f.horizon, "horizon", 0, "horizon in `years` (default from the parameters)")
	fs.StringVar(&f.discount, "discount-rate", "", "discount `rate` as a fraction (0.0225) or percentage (2.25%) (default from the parameters)")
	fs.IntVar(&f.startYear, "start-year", 0, "first `year` of the horizon (default from the parameters)")
	fs.BoolVar(&f.alone, "alone", false, "with --municipality: carry every cost alone instead of sharing")
	fs.StringVar(&f.lifeEvents, "life-events", "", "comma-separated life-event `ids` to include (default all)")
	fs.StringVar(&f.perContact, "compensation-per-contact", "", "compensation in `euro` per shifted contact (default from the parameters)")
	fs.StringVar(&f.share, "compensation-share", "", "compensation as a `share` of the agencies' saving, 0.5 or 50% (default from the parameters)")
	fs.StringVar(&f.scenario, "scenario", string(businesscase.FrontOffice), "with --sensitivity --municipality: the `scenario` of the tornado: couplings, front-office or compensated")
	fs.StringVar(&f.overrides, "overrides", "", "JSON overrides `file` merged over the defaults")
	fs.StringVar(&f.svgDir, "svg", "", "write the charts as SVG into `dir`")
	fs.StringVar(&f.format, "format", "table", "output `format`: table or json (markdown too with --parameters)")
	printUsage := func(w io.Writer) {
		fmt.Fprint(w, businessCaseUsage)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(stderr)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return nil, nil
		}
		printUsage(stderr)
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q; run `poort businesscase --help`", fs.Arg(0))
	}
	// Visit rather than zero checks, so "--horizon 0" is refused instead of
	// quietly meaning the default.
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	modes := 0
	for _, on := range []bool{f.municipality != "", f.scale, f.parameters} {
		if on {
			modes++
		}
	}
	switch {
	case modes != 1:
		printUsage(stderr)
		return nil, errors.New("give exactly one of --municipality NAME, --scale or --parameters")
	case f.alone && f.municipality == "":
		return nil, errors.New("--alone goes with --municipality; --scale shows both")
	case f.sensitivity && f.parameters:
		return nil, errors.New("--sensitivity goes with --municipality or --scale")
	case f.set["scenario"] && !(f.sensitivity && f.municipality != ""):
		return nil, errors.New("--scenario goes with --sensitivity --municipality")
	}
	switch f.format {
	case "table", "json":
	case "markdown":
		if !f.parameters {
			return nil, errors.New("--format markdown is only for --parameters")
		}
	default:
		return nil, fmt.Errorf("--format: unknown format %q, want table or json", f.format)
	}
	return f, nil
}

func businessCase(ctx context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	f, err := parseBusinessCaseFlags(args, stdout, stderr)
	if f == nil || err != nil {
		return err
	}
	cat, err := businessCaseCatalogue()
	if err != nil {
		return err
	}
	p, err := businesscase.LoadDefaults(cat)
	if err != nil {
		return err
	}
	if f.overrides != "" {
		doc, err := os.ReadFile(f.overrides)
		if err != nil {
			return fmt.Errorf("--overrides: %w", err)
		}
		if p, err = p.Apply(doc); err != nil {
			return fmt.Errorf("--overrides %s: %w", f.overrides, err)
		}
	}
	if f.parameters {
		return printParameters(stdout, p, f.format)
	}
	opts, err := f.options(p)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if f.scale {
		return runScale(stdout, stderr, p, opts, f)
	}
	return runMunicipality(stdout, stderr, p, opts, f)
}

// businessCaseCatalogue loads the embedded life-event catalogue, whose
// service norms the business case uses.
func businessCaseCatalogue() (*lifeevents.Catalogue, error) {
	s, err := schema.Parse()
	if err != nil {
		return nil, err
	}
	ix, err := lineage.FromSchema(s)
	if err != nil {
		return nil, err
	}
	return lifeevents.LoadEmbedded(lifeevents.SchemaFromAST(s, ix))
}

// options fills the options from the flags over the parameters' defaults.
func (f *businessCaseFlags) options(p *businesscase.Parameters) (businesscase.Options, error) {
	opts := p.DefaultOptions()
	var err error
	if f.set["horizon"] {
		opts.HorizonYears = f.horizon
	}
	if f.set["start-year"] {
		opts.StartYear = f.startYear
	}
	if f.discount != "" {
		if opts.DiscountRate, err = parseRate(f.discount); err != nil {
			return opts, fmt.Errorf("--discount-rate: %w", err)
		}
	}
	if f.lifeEvents != "" {
		for id := range strings.SplitSeq(f.lifeEvents, ",") {
			opts.LifeEvents = append(opts.LifeEvents, strings.TrimSpace(id))
		}
	}
	if f.alone {
		opts.Carrying = businesscase.Alone
	}
	if f.perContact != "" || f.share != "" {
		var perContact, share *float64
		if f.perContact != "" {
			v, err := strconv.ParseFloat(strings.TrimPrefix(strings.TrimSpace(f.perContact), "€"), 64)
			if err != nil {
				return opts, fmt.Errorf("--compensation-per-contact: %q is not an amount in euro", f.perContact)
			}
			perContact = &v
		}
		if f.share != "" {
			v, err := parseRate(f.share)
			if err != nil {
				return opts, fmt.Errorf("--compensation-share: %w", err)
			}
			share = &v
		}
		r := p.CompensationRate(perContact, share)
		opts.Compensation = &r
	}
	return opts, nil
}

func runScale(stdout, stderr io.Writer, p *businesscase.Parameters, opts businesscase.Options, f *businessCaseFlags) error {
	if f.sensitivity {
		u, err := businesscase.UncertaintyOf(p, opts)
		if err != nil {
			return err
		}
		if f.svgDir != "" {
			if err := writeSVG(stderr, f.svgDir, "break-even-by-assumption.svg", func(w io.Writer) error { return businesscase.BreakEvenByAssumptionSVG(w, u) }); err != nil {
				return err
			}
		}
		if f.format == "json" {
			return writeJSON(stdout, u)
		}
		return printUncertainty(stdout, u)
	}
	sr, err := businesscase.ScaleCheck(p, opts)
	if err != nil {
		return err
	}
	if f.svgDir != "" {
		if err := writeSVG(stderr, f.svgDir, "break-even-by-size.svg", func(w io.Writer) error { return businesscase.BreakEvenBySizeSVG(w, sr) }); err != nil {
			return err
		}
		if err := writeSVG(stderr, f.svgDir, "break-even-by-population.svg", func(w io.Writer) error { return businesscase.BreakEvenByPopulationSVG(w, sr) }); err != nil {
			return err
		}
	}
	if f.format == "json" {
		return writeJSON(stdout, sr)
	}
	return printScale(stdout, sr, p)
}

func runMunicipality(stdout, stderr io.Writer, p *businesscase.Parameters, opts businesscase.Options, f *businessCaseFlags) error {
	c, err := p.ForMunicipality(f.municipality)
	if err != nil {
		return err
	}
	name := businesscase.Slug(c.Municipality.Name)
	if f.sensitivity {
		t, err := businesscase.TornadoOf(c, opts, businesscase.Scenario(f.scenario))
		if err != nil {
			return err
		}
		if f.svgDir != "" {
			file := "tornado-" + name + "-" + f.scenario + ".svg"
			if err := writeSVG(stderr, f.svgDir, file, func(w io.Writer) error { return businesscase.TornadoSVG(w, t) }); err != nil {
				return err
			}
		}
		if f.format == "json" {
			return writeJSON(stdout, t)
		}
		return printTornado(stdout, t)
	}
	r, err := businesscase.Compute(c, opts)
	if err != nil {
		return err
	}
	if f.svgDir != "" {
		file := "cash-flow-" + name + ".svg"
		if f.alone {
			file = "cash-flow-" + name + "-alone.svg"
		}
		if err := writeSVG(stderr, f.svgDir, file, func(w io.Writer) error { return businesscase.CashFlowSVG(w, r) }); err != nil {
			return err
		}
	}
	if f.format == "json" {
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
