package bag

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Patterns from the OAS, quoted in the reasons of invalid parameters.
const (
	patternPostcode         = "^[1-9]{1}[0-9]{3}[a-zA-Z]{2}$"
	patternHuisletter       = "^[a-zA-Z]{1}$"
	patternToevoeging       = "^[0-9a-zA-Z]{1,4}$"
	patternNummeraanduiding = "^[0-9]{4}20[0-9]{10}$"
	patternObject           = "^[0-9]{4}(01|02|03)[0-9]{10}$"
	patternVerblijfsobject  = "^[0-9]{4}01[0-9]{10}$"
	patternPand             = "^[0-9]{4}10[0-9]{10}$"
	patternNaam             = `^[\u0020-\u007E;\u00A0-\u00FF;\u0100-\u0113;\u0116-\u012B;\u012E-\u014D;\u0150-\u017E;\u02C7;\u02D8-\u02DB;\u02DD;\u2015;\u2018-\u2019;\u201C-\u201D;\u20AC;\u2122;\u2126;\u215B-\u215E;\u2190-\u2193;\u266A;]*`
)

// nameExpr is patternNaam (the MES-1 character set) in Go syntax, matched
// against the whole value.
var nameExpr = regexp.MustCompile(`^[\x{0020}-\x{007E}\x{00A0}-\x{00FF}\x{0100}-\x{0113}\x{0116}-\x{012B}\x{012E}-\x{014D}\x{0150}-\x{017E}\x{02C7}\x{02D8}-\x{02DB}\x{02DD}\x{2015}\x{2018}-\x{2019}\x{201C}-\x{201D}\x{20AC}\x{2122}\x{2126}\x{215B}-\x{215E}\x{2190}-\x{2193}\x{266A}]*$`)

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func asciiLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isPostcode(s string) bool {
	return len(s) == 6 && s[0] >= '1' && s[0] <= '9' && digits(s[1:4]) && asciiLetter(s[4]) && asciiLetter(s[5])
}

func isHuisletter(s string) bool { return len(s) == 1 && asciiLetter(s[0]) }

func isToevoeging(s string) bool {
	if len(s) < 1 || len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !asciiLetter(s[i]) && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// bagID returns a check of a 16-digit identification whose fifth and sixth
// digits are one of the object types.
func bagID(types ...string) func(string) bool {
	return func(s string) bool {
		if len(s) != 16 || !digits(s) {
			return false
		}
		for _, t := range types {
			if s[4:6] == t {
				return true
			}
		}
		return false
	}
}

// validator collects the invalid parameters of one request. A value of the
// wrong type (integer, boolean, date) is reported alone, as the first such
// error; other violations are all reported together
// (foutafhandeling.feature).
type validator struct {
	q       url.Values
	typeErr *invalidParam
	errs    []invalidParam
}

func (v *validator) has(name string) bool { _, ok := v.q[name]; return ok }

func (v *validator) str(name string) string { return v.q.Get(name) }

func (v *validator) wrongType(p invalidParam) {
	if v.typeErr == nil {
		v.typeErr = &p
	}
}

func (v *validator) add(p invalidParam) { v.errs = append(v.errs, p) }

// integer reads an integer parameter within [min, max]; ok is false when the
// parameter is absent or invalid.
func (v *validator) integer(name string, min, max int) (n int, ok bool) {
	if !v.has(name) {
		return 0, false
	}
	n, err := strconv.Atoi(v.str(name))
	if err != nil {
		v.wrongType(invalidInteger(name))
		return 0, false
	}
	if n < min {
		v.add(invalidMinimum(name, min))
		return n, false
	}
	if n > max {
		v.add(invalidMaximum(name, max))
		return n, false
	}
	return n, true
}

func (v *validator) boolean(name string) (value, ok bool) {
	if !v.has(name) {
		return false, false
	}
	switch strings.ToLower(v.str(name)) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	v.wrongType(invalidBoolean(name))
	return false, false
}

// pattern reads a string parameter that must satisfy match, reporting the
// OAS pattern when it does not.
func (v *validator) pattern(name, pattern string, match func(string) bool) (string, bool) {
	if !v.has(name) {
		return "", false
	}
	s := v.str(name)
	if !match(s) {
		v.add(invalidPattern(name, pattern))
		return s, false
	}
	return s, true
}

// text reads a string parameter of 1 to max characters.
func (v *validator) text(name string, max int) (string, bool) {
	if !v.has(name) {
		return "", false
	}
	s := v.str(name)
	switch n := len([]rune(s)); {
	case n < 1:
		v.add(invalidMinLength(name, 1))
		return s, false
	case n > max:
		v.add(invalidMaxLength(name, max))
		return s, false
	}
	return s, true
}

// naam reads a name parameter: 1 to 80 characters of the MES-1 set.
func (v *validator) naam(name string) (string, bool) {
	s, ok := v.text(name, 80)
	if !ok {
		return s, false
	}
	if !nameExpr.MatchString(s) {
		v.add(invalidPattern(name, patternNaam))
		return s, false
	}
	return s, true
}

// date reads a date parameter "2006-01-02".
func (v *validator) date(name string) (time.Time, bool) {
	if !v.has(name) {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", v.str(name))
	if err != nil {
		v.wrongType(invalidDate(name))
		return time.Time{}, false
	}
	return t, true
}

// timestamp reads a date-time parameter in which seconds and milliseconds
// may be left out; an offset, when given, is ignored because the
// registration times are local times.
func (v *validator) timestamp(name string) (time.Time, bool) {
	if !v.has(name) {
		return time.Time{}, false
	}
	s := v.str(name)
	for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04Z07:00", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1e6*1e6, time.UTC), true
		}
	}
	v.wrongType(invalidTimestamp(name))
	return time.Time{}, false
}

// problem returns the validation problem, or nil when every parameter is
// valid.
func (v *validator) problem() *problem {
	if v.typeErr != nil {
		return paramsValidation([]invalidParam{*v.typeErr})
	}
	if len(v.errs) > 0 {
		return paramsValidation(v.errs)
	}
	return nil
}

// expansion records which related resources expand asked to embed.
type expansion struct {
	// adres
	openbareRuimte, nummeraanduiding, woonplaats, adresseerbaarObject, panden bool
	// verblijfsobject
	heeftAlsHoofdAdres, heeftAlsNevenAdres, maaktDeelUitVan bool
}

func (e expansion) any() bool {
	return e.openbareRuimte || e.nummeraanduiding || e.woonplaats || e.adresseerbaarObject || e.panden
}

// adresExpands lists the names expand accepts on adressen.
func adresExpands() []string {
	return []string{"openbareRuimte", "nummeraanduiding", "woonplaats", "adresseerbaarObject", "panden"}
}

// verblijfsobjectExpands lists the names expand accepts on adresseerbare
// objecten and verblijfsobjecten.
func verblijfsobjectExpands() []string {
	return []string{"heeftAlsHoofdAdres", "heeftAlsNevenAdres", "maaktDeelUitVan"}
}

func (e *expansion) set(name string) {
	switch name {
	case "openbareRuimte":
		e.openbareRuimte = true
	case "nummeraanduiding":
		e.nummeraanduiding = true
	case "woonplaats":
		e.woonplaats = true
	case "adresseerbaarObject":
		e.adresseerbaarObject = true
	case "panden":
		e.panden = true
	case "heeftAlsHoofdAdres":
		e.heeftAlsHoofdAdres = true
	case "heeftAlsNevenAdres":
		e.heeftAlsNevenAdres = true
	case "maaktDeelUitVan":
		e.maaktDeelUitVan = true
	}
}

// expand reads the expand parameter (expand.feature): "true" for every
// related resource, or a comma-separated list of resource names, matched
// without regard to case. A dotted name ("panden.oorspronkelijkBouwjaar")
// embeds the whole resource. An unknown name or an empty value is an
// invalid parameter; every unknown name is reported.
func (v *validator) expand(names []string) expansion {
	var e expansion
	if !v.has("expand") {
		return e
	}
	raw := v.str("expand")
	if strings.TrimSpace(raw) == "" {
		v.add(invalidExpand(raw))
		return e
	}
	for _, part := range strings.Split(raw, ",") {
		p := strings.TrimSpace(part)
		name, _, _ := strings.Cut(p, ".")
		if strings.EqualFold(name, "true") && len(names) > 0 {
			for _, n := range names {
				e.set(n)
			}
			continue
		}
		if strings.EqualFold(name, "true") {
			continue // a resource without relations: nothing to embed
		}
		found := false
		for _, n := range names {
			if strings.EqualFold(name, n) {
				e.set(n)
				found = true
			}
		}
		if !found {
			v.add(invalidExpand(p))
		}
	}
	return e
}
