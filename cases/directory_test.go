package cases_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/poort-nl/poort/cases"
)

func TestParseDirectory(t *testing.T) {
	tests := []struct {
		name, in string
		svb, uwv string // the endpoints expected; "" means none
		err      string // part of the error, when one is expected
	}{
		{
			name: "YAML with a default",
			in: `
default: http://127.0.0.1:9300/partners/{partner}/notifications
partners:
  svb: https://intake.svb.example/poort
`,
			svb: "https://intake.svb.example/poort", uwv: "http://127.0.0.1:9300/partners/uwv/notifications",
		},
		{
			name: "JSON without a default",
			in:   `{"partners": {"uwv": "https://uwv.example/in"}}`,
			uwv:  "https://uwv.example/in",
		},
		{name: "an unknown field", in: `{"partner": {}}`, err: "unknown field"},
		{name: "a relative URL", in: `{"partners": {"svb": "/in"}}`, err: `partner "svb"`},
		{name: "another scheme", in: `default: ftp://x/{partner}`, err: "default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := cases.ParseDirectory([]byte(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, want an error saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for partner, want := range map[string]string{"svb": tt.svb, "uwv": tt.uwv} {
				got, err := d.Endpoint(partner)
				if want == "" {
					if !errors.Is(err, cases.ErrNoEndpoint) {
						t.Errorf("%s: got %q, %v, want ErrNoEndpoint", partner, got, err)
					}
					continue
				}
				if err != nil || got != want {
					t.Errorf("%s: got %q, %v, want %q", partner, got, err, want)
				}
			}
		})
	}
}

func TestDirectoryFromConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "partners.yaml")
	if err := os.WriteFile(path, []byte("partners:\n  svb: https://svb.example/in\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, value := range []string{path, ` {"partners":{"svb":"https://svb.example/in"}}`} {
		d, err := cases.DirectoryFromConfig(value)
		if err != nil {
			t.Fatalf("%q: %v", value, err)
		}
		if u, _ := d.Endpoint("svb"); u != "https://svb.example/in" {
			t.Errorf("%q: svb at %q", value, u)
		}
	}
	if _, err := cases.DirectoryFromConfig(filepath.Join(t.TempDir(), "absent.yaml")); err == nil {
		t.Error("a missing file was accepted")
	}
}

func TestDirectoryMissing(t *testing.T) {
	cat := catalogue(t)
	d := &cases.PartnerDirectory{Partners: map[string]string{"svb": "https://svb.example/in"}}
	missing := d.Missing(cat)
	if len(missing) != len(cat.Partners())-1 || slices.Contains(missing, "svb") || !slices.Contains(missing, "uwv") {
		t.Errorf("missing = %v", missing)
	}
	if m := cases.MockDirectory("http://127.0.0.1:1/").Missing(cat); len(m) != 0 {
		t.Errorf("the mock directory misses %v", m)
	}
	if u, _ := cases.MockDirectory("http://127.0.0.1:1/").Endpoint("svb"); u != "http://127.0.0.1:1/partners/svb/notifications" {
		t.Errorf("mock endpoint %q", u)
	}
}
