package businesscase

import (
	"errors"
	"testing"
)

func TestMunicipalitiesEmbedded(t *testing.T) {
	ms := mustDefaults(t).Municipalities()
	if len(ms) != 342 {
		t.Fatalf("%d municipalities, want 342", len(ms))
	}
	sum := 0
	codes := map[string]bool{}
	for _, m := range ms {
		sum += m.Population
		if codes[m.Code] {
			t.Errorf("duplicate code %s", m.Code)
		}
		codes[m.Code] = true
	}
	if sum != 18_044_027 {
		t.Fatalf("population sum %d, want 18,044,027", sum)
	}
}

func TestMunicipalityLookup(t *testing.T) {
	tests := []struct {
		in, code string
		err      error
	}{
		{"Utrecht", "GM0344", nil},
		{"  utrecht ", "GM0344", nil},
		{"GM0344", "GM0344", nil},
		{"gm0344", "GM0344", nil},
		{"344", "GM0344", nil},
		{"Den Haag", "GM0518", nil},
		{"'s-Gravenhage", "GM0518", nil},
		{"’s-Gravenhage", "GM0518", nil},
		{"s Gravenhage", "GM0518", nil},
		{"The Hague", "GM0518", nil},
		{"Den Bosch", "GM0796", nil},
		{"'s-Hertogenbosch", "GM0796", nil},
		{"Súdwest-Fryslân", "GM1900", nil},
		{"sudwest fryslan", "GM1900", nil},
		{"Bergen (NH.)", "GM0373", nil},
		{"Bergen NH", "GM0373", nil},
		{"bergen l", "GM0893", nil},
		{"Hengelo", "GM0164", nil},
		{"Nuenen", "GM0820", nil},
		{"Schiermonnikoog", "GM0088", nil},
		{"Bergen", "", ErrAmbiguousMunicipality},
		{"Atlantis", "", ErrUnknownMunicipality},
		{"GM9999", "", ErrUnknownMunicipality},
		{"", "", ErrUnknownMunicipality},
	}
	p := mustDefaults(t)
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m, err := p.Municipality(tt.in)
			if tt.err != nil {
				var pe *ParamError
				if !errors.Is(err, tt.err) || !errors.As(err, &pe) || pe.Path != "municipality" {
					t.Fatalf("Municipality(%q) error = %v, want %v on parameter municipality", tt.in, err, tt.err)
				}
				return
			}
			if err != nil || m.Code != tt.code {
				t.Fatalf("Municipality(%q) = %v, %v; want %s", tt.in, m, err, tt.code)
			}
		})
	}
}

func TestSizeClasses(t *testing.T) {
	tests := []struct {
		pop int
		id  string
	}{{971, "lt10k"}, {9_999, "lt10k"}, {10_000, "10k-20k"}, {19_999, "10k-20k"}, {20_000, "20k-50k"},
		{49_999, "20k-50k"}, {50_000, "50k-100k"}, {99_999, "50k-100k"}, {100_000, "ge100k"}, {934_526, "ge100k"}}
	for _, tt := range tests {
		if got := ClassOf(tt.pop).ID; got != tt.id {
			t.Errorf("ClassOf(%d) = %s, want %s", tt.pop, got, tt.id)
		}
	}
}
