package businesscase

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := RunCLI(context.Background(), args, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func TestCLIMunicipalityTable(t *testing.T) {
	out, _, err := runCLI(t, "--municipality", "Utrecht")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Business case: Utrecht (GM0344), 376,757 inhabitants",
		"Horizon 2026–2035 (10 years), discount rate 2.25 %",
		"becoming-dependent-on-care", "general (training, platform)", "cumulative €",
		"Break-even in ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Every life event has a row and labels are left-aligned.
	for _, id := range LifeEventIDs() {
		if !strings.Contains(out, "\n  "+id+" ") && !strings.Contains(out, "\n"+id+" ") {
			t.Errorf("no left-aligned row for %s", id)
		}
	}
}

func TestCLIFlags(t *testing.T) {
	out, _, err := runCLI(t, "--municipality", "vlieland", "--horizon", "5", "--discount-rate", "4%", "--start-year", "2027", "--alone", "--life-events", "travel,moving")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Vlieland (GM0096)", "2027–2031 (5 years), discount rate 4 %", "carried alone", "travel", "moving"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\n  birth ") {
		t.Errorf("birth shown although not asked for:\n%s", out)
	}
}

func TestCLIJSON(t *testing.T) {
	out, _, err := runCLI(t, "--municipality", "GM0363", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var r Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not a Result: %v", err)
	}
	if r.Municipality.Name != "Amsterdam" || len(r.LifeEvents) != 8 || len(r.Total.Years) != 10 {
		t.Errorf("result %s with %d life events and %d years", r.Municipality.Name, len(r.LifeEvents), len(r.Total.Years))
	}
	out, _, err = runCLI(t, "--scale", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var s ScaleResult
	if err := json.Unmarshal([]byte(out), &s); err != nil || len(s.Municipalities) != 342 {
		t.Fatalf("scale output: %v, %d municipalities", err, len(s.Municipalities))
	}
}

func TestCLIScaleTableAndCharts(t *testing.T) {
	dir := t.TempDir()
	out, errOut, err := runCLI(t, "--scale", "--svg", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Scale check: 342 municipalities, 18,044,027 inhabitants", "< 10k", "≥ 100k",
		"Smallest municipality that breaks even alone", "Smallest municipality that breaks even with shared investments", "national volume"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, name := range []string{"break-even-by-size.svg", "break-even-by-population.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		parseSVG(t, b)
		if !strings.Contains(errOut, name) {
			t.Errorf("stderr does not mention %s: %s", name, errOut)
		}
	}

	_, _, err = runCLI(t, "--municipality", "'s-Gravenhage", "--svg", dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "cash-flow-s-gravenhage.svg"))
	if err != nil {
		t.Fatal(err)
	}
	parseSVG(t, b)
}

func TestCLIParameters(t *testing.T) {
	out, _, err := runCLI(t, "--parameters", "--format", "markdown")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| parameter | value | source | note |", "| `lifeEvents.birth.nationalVolume` | 164013 | <https://www.staatvenz.nl/kerncijfers/geboorten> |",
		"| `lifeEvents.renovation.nationalVolume` | 200000 | unsourced estimate |"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	out, _, err = runCLI(t, "--parameters")
	if err != nil || !strings.Contains(out, "channels.phone.frontOffice") {
		t.Errorf("table: %v\n%s", err, out)
	}
}

func TestCLIOverrides(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, []byte(`{"municipalities":{"Vlieland":{"population":400000}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "--municipality", "Vlieland", "--overrides", good)
	if err != nil || !strings.Contains(out, "400,000 inhabitants") {
		t.Errorf("overrides not applied: %v\n%s", err, out)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"lifeEvents":{"birth":{"nationalVolume":-1}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCLI(t, "--scale", "--overrides", bad)
	var pe *ParamError
	if err == nil || !strings.Contains(err.Error(), "lifeEvents.birth.nationalVolume: must not be negative") || !errors.As(err, &pe) {
		t.Errorf("error = %v", err)
	}
}

func TestCLIErrors(t *testing.T) {
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
		{"bad format", []string{"--scale", "--format", "xml"}, `--format: unknown format "xml"`},
		{"markdown for a case", []string{"--scale", "--format", "markdown"}, "--format markdown is only for --parameters"},
		{"alone with scale", []string{"--scale", "--alone"}, "--alone goes with --municipality"},
		{"missing overrides file", []string{"--scale", "--overrides", "/nonexistent/overrides.json"}, "--overrides:"},
		{"stray argument", []string{"--scale", "extra"}, `unexpected argument "extra"`},
		{"unknown flag", []string{"--colour"}, "flag provided but not defined: -colour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCLI(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("RunCLI(%q) error = %v, want %q", tt.args, err, tt.want)
			}
		})
	}
}

func TestCLIHelp(t *testing.T) {
	_, errOut, err := runCLI(t, "-h")
	if err != nil || !strings.Contains(errOut, "usage: poort businesscase") || !strings.Contains(errOut, "-discount-rate") {
		t.Errorf("help: %v\n%s", err, errOut)
	}
}

func TestCLIHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := RunCLI(ctx, []string{"--scale"}, &bytes.Buffer{}, &bytes.Buffer{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}
