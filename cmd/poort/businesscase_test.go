package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poort-nl/poort/businesscase"
)

func runBusinessCase(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"businesscase"}, args...), noEnv, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func wellFormedSVG(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var root struct{ XMLName xml.Name }
	if err := xml.Unmarshal(b, &root); err != nil || root.XMLName.Local != "svg" {
		t.Fatalf("%s is not an SVG document: %v", path, err)
	}
}

func TestBusinessCaseMunicipality(t *testing.T) {
	out, _, err := runBusinessCase(t, "--municipality", "Utrecht")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Business case: Utrecht (GM0344), 376,757 inhabitants",
		"Horizon 2026–2035 (10 years), discount rate 2.25 %",
		"general (training, platform, floor)", "norm follow-ups now",
		"Front office for all of government: contacts shifted from national agencies",
		"from UWV", "do better couplings pay?", "front office for all, without compensation",
		"front office for all, with compensation", "Compensation: 100 % of the agencies' saving.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, id := range businesscase.LifeEventIDs() {
		if !strings.Contains(out, "\n  "+id+" ") {
			t.Errorf("no left-aligned row for %s", id)
		}
	}
}

func TestBusinessCaseFlags(t *testing.T) {
	out, _, err := runBusinessCase(t, "--municipality", "vlieland", "--horizon", "5", "--discount-rate", "4%", "--start-year", "2027",
		"--alone", "--life-events", "travel,moving", "--compensation-per-contact", "€2.50", "--compensation-share", "50%")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Vlieland (GM0096)", "2027–2031 (5 years), discount rate 4 %", "carried alone", "travel", "moving",
		"Compensation: €2.50 per contact and 50 % of the agencies' saving."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\n  birth ") {
		t.Errorf("birth shown although not asked for:\n%s", out)
	}
}

func TestBusinessCaseJSON(t *testing.T) {
	out, _, err := runBusinessCase(t, "--municipality", "GM0363", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var r businesscase.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not a Result: %v", err)
	}
	if r.Municipality.Name != "Amsterdam" || len(r.LifeEvents) != 8 || len(r.Compensated.Years) != 10 || r.Shift.Contacts == 0 {
		t.Errorf("result %s with %d life events, %d years, %v shifted contacts", r.Municipality.Name, len(r.LifeEvents), len(r.Compensated.Years), r.Shift.Contacts)
	}
	out, _, err = runBusinessCase(t, "--scale", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var s businesscase.ScaleResult
	if err := json.Unmarshal([]byte(out), &s); err != nil || len(s.Municipalities) != 342 || len(s.Answers) != 3 {
		t.Fatalf("scale output: %v, %d municipalities, %d answers", err, len(s.Municipalities), len(s.Answers))
	}
}

// The scale check answers both questions: do couplings pay, and does being
// the front office for all of government pay, without and with
// compensation.
func TestBusinessCaseScaleAnswersAndCharts(t *testing.T) {
	dir := t.TempDir()
	out, errOut, err := runBusinessCase(t, "--scale", "--svg", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Scale check: 342 municipalities, 18,044,027 inhabitants",
		"Do better couplings pay for the municipality?", "Does being the front office for all of government pay, without compensation?",
		"Does it pay with compensation?", "of 342 municipalities break even by 2035", "Paid per contact instead, every municipality breaks even at",
		"< 10k", "≥ 100k", "€/contact to break even: median", "Nationally, ", "contacts a year shift to the municipalities",
		"Smallest municipality that breaks even with shared investments", "national volume"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, name := range []string{"break-even-by-size.svg", "break-even-by-population.svg"} {
		wellFormedSVG(t, filepath.Join(dir, name))
		if !strings.Contains(errOut, name) {
			t.Errorf("stderr does not mention %s: %s", name, errOut)
		}
	}
	if _, _, err := runBusinessCase(t, "--municipality", "'s-Gravenhage", "--svg", dir); err != nil {
		t.Fatal(err)
	}
	wellFormedSVG(t, filepath.Join(dir, "cash-flow-s-gravenhage.svg"))
}

func TestBusinessCaseSensitivity(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runBusinessCase(t, "--municipality", "Zwolle", "--sensitivity", "--scenario", "compensated", "--svg", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Sensitivity: Zwolle (GM0193)", "scenario compensated", "lifeEvents.*.contacts", "couplings[*].oneOff", "swing €"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	wellFormedSVG(t, filepath.Join(dir, "tornado-zwolle-compensated.svg"))

	out, _, err = runBusinessCase(t, "--scale", "--sensitivity", "--svg", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"under low, middle and high assumptions", "couplings", "front-office", "compensated", "smallest breaking even"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	wellFormedSVG(t, filepath.Join(dir, "break-even-by-assumption.svg"))
}

func TestBusinessCaseParameters(t *testing.T) {
	out, _, err := runBusinessCase(t, "--parameters", "--format", "markdown")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| parameter | value | range | source | note |",
		"| `lifeEvents.birth.nationalVolume` | 164013 |  | <https://www.staatvenz.nl/kerncijfers/geboorten> |",
		"| `lifeEvents.renovation.nationalVolume` | 200000 | 150000–250000 | unsourced estimate |",
		"| `lifeEvents.birth.contacts` | desk 1, phone 0.6, web 0.3, post 0.05, email 0.1 | ×0.75–×1.25 | unsourced estimate |",
		"| `horizonYears` | 10 |  | choice |", "`localFloor[floor-dpia].oneOff`", "`agencies.uwv.nationalContacts`",
		"`serviceNorms.email-answer.complianceToday`", "`frontOfficeForAll.compensation.shareOfAgencySaving`"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	out, _, err = runBusinessCase(t, "--parameters")
	if err != nil || !strings.Contains(out, "channels.phone.frontOffice") || !strings.Contains(out, "RANGE") {
		t.Errorf("table: %v\n%s", err, out)
	}
}

func TestBusinessCaseOverrides(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, []byte(`{"municipalities":{"Vlieland":{"population":400000}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runBusinessCase(t, "--municipality", "Vlieland", "--overrides", good)
	if err != nil || !strings.Contains(out, "400,000 inhabitants") {
		t.Errorf("overrides not applied: %v\n%s", err, out)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"lifeEvents":{"birth":{"nationalVolume":-1}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = runBusinessCase(t, "--scale", "--overrides", bad)
	var pe *businesscase.ParamError
	if err == nil || !strings.Contains(err.Error(), "lifeEvents.birth.nationalVolume: must not be negative") || !errors.As(err, &pe) {
		t.Errorf("error = %v", err)
	}
}

func TestBusinessCaseErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no mode", nil, "give exactly one of --municipality NAME, --scale or --parameters"},
		{"two modes", []string{"--scale", "--municipality", "Utrecht"}, "give exactly one of"},
		{"unknown municipality", []string{"--municipality", "Atlantis"}, `municipality: unknown municipality "Atlantis"`},
		{"ambiguous municipality", []string{"--municipality", "Bergen"}, `municipality: "Bergen" matches Bergen (NH.) (GM0373) and Bergen (L.) (GM0893)`},
		{"unknown life event", []string{"--municipality", "Utrecht", "--life-events", "birth,wedding"}, `options.lifeEvents[1]: unknown life event "wedding"`},
		{"bad horizon", []string{"--scale", "--horizon", "99"}, "options.horizonYears: must be between 1 and 50 years"},
		{"zero horizon", []string{"--municipality", "Utrecht", "--horizon", "0"}, "options.horizonYears: must be between 1 and 50 years"},
		{"bad discount rate", []string{"--scale", "--discount-rate", "lots"}, `--discount-rate: "lots" is not a number`},
		{"discount rate too low", []string{"--municipality", "Utrecht", "--discount-rate", "-100%"}, "options.discountRate: must be greater than -1"},
		{"bad compensation", []string{"--scale", "--compensation-per-contact", "some"}, `--compensation-per-contact: "some" is not an amount in euro`},
		{"negative compensation share", []string{"--municipality", "Utrecht", "--compensation-share", "-10%"}, "options.compensation.shareOfAgencySaving: must be a finite number, not negative"},
		{"unknown scenario", []string{"--municipality", "Utrecht", "--sensitivity", "--scenario", "all"}, `scenario: unknown scenario "all"`},
		{"scenario without sensitivity", []string{"--municipality", "Utrecht", "--scenario", "compensated"}, "--scenario goes with --sensitivity --municipality"},
		{"sensitivity of the parameters", []string{"--parameters", "--sensitivity"}, "--sensitivity goes with --municipality or --scale"},
		{"bad format", []string{"--scale", "--format", "xml"}, `--format: unknown format "xml"`},
		{"markdown for a case", []string{"--scale", "--format", "markdown"}, "--format markdown is only for --parameters"},
		{"alone with scale", []string{"--scale", "--alone"}, "--alone goes with --municipality"},
		{"missing overrides file", []string{"--scale", "--overrides", "/nonexistent/overrides.json"}, "--overrides:"},
		{"stray argument", []string{"--scale", "extra"}, `unexpected argument "extra"`},
		{"unknown flag", []string{"--colour"}, "flag provided but not defined: -colour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runBusinessCase(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("businesscase %q error = %v, want %q", tt.args, err, tt.want)
			}
		})
	}
}

// --help is an answer, not an error: the usage on stdout and no error, so
// the command exits 0.
func TestBusinessCaseHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		out, errOut, err := runBusinessCase(t, arg)
		if err != nil || !strings.Contains(out, "usage: poort businesscase") || !strings.Contains(out, "-compensation-share") || errOut != "" {
			t.Errorf("%s: %v\nstdout: %s\nstderr: %s", arg, err, out, errOut)
		}
	}
	_, errOut, err := runBusinessCase(t, "--colour")
	if err == nil || !strings.Contains(errOut, "usage: poort businesscase") {
		t.Errorf("a bad flag: %v, usage on stderr: %q", err, errOut)
	}
}

func TestBusinessCaseHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, []string{"businesscase", "--scale"}, noEnv, &bytes.Buffer{}, &bytes.Buffer{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}
