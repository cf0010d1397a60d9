package businesscase

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/poort-nl/poort/internal/municipalities"
)

// Municipality is one Dutch municipality (gemeente).
type Municipality struct {
	// Code is the CBS code, such as GM0344.
	Code       string `json:"code"`
	Name       string `json:"name"`
	Population int    `json:"population"`
}

// PopulationSource names where the embedded populations come from.
const PopulationSource = "https://opendata.cbs.nl/ODataApi/OData/03759NED"

func loadMunicipalities() ([]Municipality, error) {
	t, err := municipalities.Load()
	if err != nil {
		return nil, err
	}
	all := t.All()
	ms := make([]Municipality, 0, len(all))
	for _, m := range all {
		ms = append(ms, Municipality{Code: m.Code, Name: m.Name, Population: m.Population})
	}
	return ms, nil
}

// Municipalities returns all municipalities in the order of the embedded
// list.
func (p *Parameters) Municipalities() []Municipality {
	return append([]Municipality(nil), p.municipalities...)
}

// Municipality finds a municipality by GM code ("GM0344", "gm0344", "0344")
// or by name, ignoring case, accents, spaces and punctuation, and knowing
// common names such as "Den Haag" and "Den Bosch". A name shared by two
// municipalities ("Bergen") is refused with ErrAmbiguousMunicipality; give
// the province suffix ("Bergen (NH.)", "Bergen NH") or the code.
func (p *Parameters) Municipality(nameOrCode string) (Municipality, error) {
	m, err := p.lookup(nameOrCode)
	if err != nil {
		return Municipality{}, prefixErrors("municipality", err)
	}
	return m, nil
}

func (p *Parameters) lookup(nameOrCode string) (Municipality, error) {
	q := strings.TrimSpace(nameOrCode)
	if code, ok := gmCode(q); ok {
		for _, m := range p.municipalities {
			if m.Code == code {
				return m, nil
			}
		}
		return Municipality{}, &ParamError{Msg: fmt.Sprintf("unknown municipality code %q", q), Err: ErrUnknownMunicipality}
	}
	key := foldName(q)
	if key == "" {
		return Municipality{}, &ParamError{Msg: fmt.Sprintf("unknown municipality %q", q), Err: ErrUnknownMunicipality}
	}
	if alias, ok := nameAlias(key); ok {
		key = alias
	}
	var exact, loose []Municipality
	for _, m := range p.municipalities {
		full := foldName(m.Name)
		switch {
		case full == key:
			exact = append(exact, m)
		case key == baseName(m.Name):
			loose = append(loose, m)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) == 0 && len(loose) == 1:
		return loose[0], nil
	case len(loose) > 1:
		names := make([]string, len(loose))
		for i, m := range loose {
			names[i] = fmt.Sprintf("%s (%s)", m.Name, m.Code)
		}
		return Municipality{}, &ParamError{Msg: fmt.Sprintf("%q matches %s", q, strings.Join(names, " and ")), Err: ErrAmbiguousMunicipality}
	}
	return Municipality{}, &ParamError{Msg: fmt.Sprintf("unknown municipality %q", q), Err: ErrUnknownMunicipality}
}

// gmCode recognises "GM0344", "gm344" and "0344" and returns "GM0344".
func gmCode(s string) (string, bool) {
	d := s
	if len(d) > 2 && strings.EqualFold(d[:2], "GM") {
		d = d[2:]
	}
	if d == "" || len(d) > 4 {
		return "", false
	}
	for _, r := range d {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return "GM" + strings.Repeat("0", 4-len(d)) + d, true
}

// foldName reduces a name to lower-case ASCII letters and digits, so that
// "Súdwest-Fryslân", "sudwest fryslan" and "'s-Gravenhage" and
// "s Gravenhage" compare equal.
func foldName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r == 'ĳ' {
			b.WriteString("ij")
			continue
		}
		r = foldAccent(r)
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldAccent maps the accented letters that occur in Dutch and Frisian
// names to their base letter; the standard library has no Unicode
// normalisation.
func foldAccent(r rune) rune {
	if r < 0x80 || !unicode.IsLetter(r) {
		return r
	}
	switch {
	case strings.ContainsRune("àáâãäåā", r):
		return 'a'
	case strings.ContainsRune("èéêëē", r):
		return 'e'
	case strings.ContainsRune("ìíîïī", r):
		return 'i'
	case strings.ContainsRune("òóôõöøō", r):
		return 'o'
	case strings.ContainsRune("ùúûüū", r):
		return 'u'
	case strings.ContainsRune("ýÿ", r):
		return 'y'
	case r == 'ç':
		return 'c'
	case r == 'ñ':
		return 'n'
	}
	return r
}

// Slug makes a file-name part of a municipality name: "'s-Gravenhage" →
// "s-gravenhage", "Súdwest-Fryslân" → "sudwest-fryslan".
func Slug(name string) string {
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

// baseName folds a name without its province suffix: "Bergen (NH.)" →
// "bergen", so the bare name still finds a municipality when only one has
// it. Names without a suffix have no base name.
func baseName(name string) string {
	i := strings.Index(name, " (")
	if i < 0 {
		return ""
	}
	return foldName(name[:i])
}

// nameAlias maps everyday names to the folded official name.
func nameAlias(folded string) (string, bool) {
	switch folded {
	case "denhaag", "thehague", "hague":
		return "sgravenhage", true
	case "denbosch", "hertogenbosch", "bosch":
		return "shertogenbosch", true
	case "nuenen":
		return "nuenengerwenennederwetten", true
	}
	return "", false
}

// SizeClass is a band of municipality sizes used by the scale check.
type SizeClass struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	// Min is the smallest population in the class; Max the first population
	// above it, or 0 for no upper bound.
	Min int `json:"min"`
	Max int `json:"max,omitempty"`
}

// SizeClasses returns the five size classes: < 10k, 10–20k, 20–50k,
// 50–100k and ≥ 100k inhabitants.
func SizeClasses() []SizeClass {
	return []SizeClass{
		{ID: "lt10k", Label: "< 10k", Min: 0, Max: 10_000},
		{ID: "10k-20k", Label: "10–20k", Min: 10_000, Max: 20_000},
		{ID: "20k-50k", Label: "20–50k", Min: 20_000, Max: 50_000},
		{ID: "50k-100k", Label: "50–100k", Min: 50_000, Max: 100_000},
		{ID: "ge100k", Label: "≥ 100k", Min: 100_000},
	}
}

// ClassOf returns the size class of a population.
func ClassOf(population int) SizeClass {
	cs := SizeClasses()
	for _, c := range cs {
		if population >= c.Min && (c.Max == 0 || population < c.Max) {
			return c
		}
	}
	return cs[0]
}
