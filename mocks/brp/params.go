package brp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The parameter patterns of the specifications, with the text the error
// reason quotes.
var (
	reBSN            = pattern(`^[0-9]{9}$`)
	reGemeente       = pattern(`^[0-9]{4}$`)
	reField          = pattern(`^[a-zA-Z0-9\._]{1,200}$`)
	reGeslachtsnaam  = pattern(`^[a-zA-Z0-9À-ž \.\-\']{1,200}$|^[a-zA-Z0-9À-ž \.\-\']{3,199}\*{1}$`)
	reVoornamen      = pattern(`^[a-zA-Z0-9À-ž \.\-\']{1,199}\*{0,1}$`)
	reVoornamenVerpl = pattern(`^[a-zA-Z0-9À-ž \.\-\']{1,200}$|^[a-zA-Z0-9À-ž \.\-\']{3,199}\*{1}$`)
	reVoorvoegsel    = pattern(`^[a-zA-Z \']{1,10}$`)
	reGeslacht       = pattern(`^([Mm]|[Vv]|[Oo])$`)
	rePostcode       = pattern(`^[1-9]{1}[0-9]{3}[ ]?[A-Za-z]{2}$`)
	reHuisletter     = pattern(`^[a-zA-Z]{1}$`)
	reToevoeging     = pattern(`^[a-zA-Z0-9 \-]{1,4}$`)
	reStraat         = pattern(`^[a-zA-Z0-9À-ž \-\'\.]{1,80}$|^[a-zA-Z0-9À-ž \-\'\.]{7,79}\*{1}$|^\*{1}[a-zA-Z0-9À-ž \-\'\.]{7,79}$`)
	reBAG            = &patternText{re: regexp.MustCompile(`^[0-9]{16}$`), text: `^(?!0{16})[0-9]{16}$`, exclude: "0000000000000000"}
	reReisdocumentnr = pattern(`^[A-Z0-9]{9}$`)
)

// patternText is a compiled pattern and the text the API quotes for it.
type patternText struct {
	re   *regexp.Regexp
	text string
	// exclude is a value the pattern rejects by a lookahead, which Go's
	// regexp does not have.
	exclude string
}

func pattern(expr string) *patternText {
	return &patternText{re: regexp.MustCompile(expr), text: expr}
}

func (p *patternText) match(s string) bool {
	return p.re.MatchString(s) && (p.exclude == "" || s != p.exclude)
}

// params reads and checks the parameters of one query body, collecting
// every error, as the API reports all errors at once.
type params struct {
	body    map[string]json.RawMessage
	allowed map[string]bool
	errs    []invalidParam
}

func newParams(body map[string]json.RawMessage, allowed ...string) *params {
	p := &params{body: body, allowed: map[string]bool{"type": true, "fields": true}}
	for _, a := range allowed {
		p.allowed[a] = true
	}
	return p
}

func (p *params) fail(name, code, reason string) {
	p.errs = append(p.errs, invalidParam{Name: name, Code: code, Reason: reason})
}

// raw returns the parameter, treating JSON null as absent.
func (p *params) raw(name string) (json.RawMessage, bool) {
	v, ok := p.body[name]
	if !ok || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
		return nil, false
	}
	return v, true
}

// str reads a string parameter; an empty string counts as absent.
func (p *params) str(name string, required bool, pat *patternText) string {
	v, ok := p.raw(name)
	var s string
	if ok {
		if err := json.Unmarshal(v, &s); err != nil {
			p.fail(name, "pattern", fmt.Sprintf(reasonPatternFmt, pat.text))
			return ""
		}
	}
	if s == "" {
		if required {
			p.fail(name, "required", reasonRequired)
		}
		return ""
	}
	if !pat.match(s) {
		p.fail(name, "pattern", fmt.Sprintf(reasonPatternFmt, pat.text))
		return ""
	}
	return s
}

// strArray reads a required array of strings with min and max items.
func (p *params) strArray(name string, pat *patternText, maxItems int) []string {
	v, ok := p.raw(name)
	if !ok {
		p.fail(name, "required", reasonRequired)
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil {
		p.fail(name, "array", reasonArray)
		return nil
	}
	if len(items) < 1 {
		p.fail(name, "minItems", fmt.Sprintf(reasonMinItemsFmt, 1))
		return nil
	}
	if len(items) > maxItems {
		p.fail(name, "maxItems", fmt.Sprintf(reasonMaxItemsFmt, maxItems))
		return nil
	}
	out := make([]string, 0, len(items))
	bad := false
	for i, it := range items {
		var s string
		if json.Unmarshal(it, &s) != nil || !pat.match(s) {
			p.fail(fmt.Sprintf("%s[%d]", name, i), "pattern", fmt.Sprintf(reasonPatternFmt, pat.text))
			bad = true
			continue
		}
		out = append(out, s)
	}
	if bad {
		return nil
	}
	return out
}

// huisnummer reads a house number: an integer from 1 to 99999, sent as a
// JSON number or a string of digits.
func (p *params) huisnummer(required bool) int {
	const name = "huisnummer"
	v, ok := p.raw(name)
	if !ok || string(bytes.TrimSpace(v)) == `""` {
		if required {
			p.fail(name, "required", reasonRequired)
		}
		return 0
	}
	var n int
	if err := json.Unmarshal(v, &n); err != nil {
		var s string
		if json.Unmarshal(v, &s) != nil {
			p.fail(name, "integer", reasonInteger)
			return 0
		}
		if n, err = strconv.Atoi(strings.TrimSpace(s)); err != nil {
			p.fail(name, "integer", reasonInteger)
			return 0
		}
	}
	switch {
	case n < 1:
		p.fail(name, "minimum", fmt.Sprintf(reasonMinimumFmt, 1))
		return 0
	case n > 99999:
		p.fail(name, "maximum", fmt.Sprintf(reasonMaximumFmt, 99999))
		return 0
	}
	return n
}

// boolean reads an optional boolean, true or false or their strings.
func (p *params) boolean(name string) bool {
	v, ok := p.raw(name)
	if !ok {
		return false
	}
	var b bool
	if err := json.Unmarshal(v, &b); err == nil {
		return b
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		switch strings.ToLower(s) {
		case "true":
			return true
		case "false":
			return false
		}
	}
	p.fail(name, "boolean", reasonBoolean)
	return false
}

// date reads a full ISO date "2006-01-02" and returns it as a GBA date
// "20060102".
func (p *params) date(name string, required bool) string {
	v, ok := p.raw(name)
	var s string
	if ok {
		if json.Unmarshal(v, &s) != nil {
			p.fail(name, "date", reasonDate)
			return ""
		}
	}
	if s == "" {
		if required {
			p.fail(name, "required", reasonRequired)
		}
		return ""
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		p.fail(name, "date", reasonDate)
		return ""
	}
	return t.Format("20060102")
}

// fieldRules are the paths the fields parameter of a response type
// accepts.
type fieldRules struct {
	// known are the paths of the response type.
	known map[string]bool
	// automatic reports a path of a field the API delivers by itself when
	// it applies, which may not be asked for.
	automatic func(path string) bool
	// max is the most paths one request may hold.
	max int
}

// fields reads the fields parameter and checks each path: its pattern, a
// field delivered automatically ("niet toegestane veldnaam"), then a path
// the response type does not have ("niet bestaande veldnaam").
func (p *params) fields(r fieldRules) []string {
	const name = "fields"
	before := len(p.errs)
	paths := p.strArray(name, reField, r.max)
	if len(p.errs) > before {
		return nil
	}
	bad := false
	for i, f := range paths {
		switch {
		case r.automatic(f):
			p.fail(fmt.Sprintf("fields[%d]", i), "fields", reasonFieldNotAllowed)
		case !r.known[f]:
			p.fail(fmt.Sprintf("fields[%d]", i), "fields", reasonField)
		default:
			continue
		}
		bad = true
	}
	if bad {
		return nil
	}
	return paths
}

// unknown reports the parameters the search type does not define.
func (p *params) unknown() {
	for name := range p.body {
		if !p.allowed[name] {
			p.fail(name, "unknownParam", reasonUnknown)
		}
	}
}

// problem returns the BadRequestFoutbericht for the errors, or nil.
func (p *params) problem(instance string) *problem {
	if len(p.errs) == 0 {
		return nil
	}
	// Unknown parameters come from a map; sort them after the others so
	// the answer is stable.
	sortUnknownLast(p.errs)
	names := make([]string, len(p.errs))
	for i, e := range p.errs {
		names[i] = e.Name
	}
	return &problem{
		Type: badRequestType, Title: titleValidation, Status: http.StatusBadRequest,
		Detail:   "De foutieve parameter(s) zijn: " + strings.Join(names, ", ") + ".",
		Code:     "paramsValidation",
		Instance: instance, InvalidParams: p.errs,
	}
}

func sortUnknownLast(errs []invalidParam) {
	slices.SortStableFunc(errs, func(a, b invalidParam) int {
		ua, ub := a.Code == "unknownParam", b.Code == "unknownParam"
		switch {
		case ua != ub && ua:
			return 1
		case ua != ub:
			return -1
		case ua:
			return strings.Compare(a.Name, b.Name)
		}
		return 0
	})
}

// searchType reads the type parameter; ok is false when it is missing or
// not one of types (compared case-sensitively, as the API does).
func searchType(body map[string]json.RawMessage, instance string, types ...string) (string, *problem) {
	p := newParams(body)
	v, ok := p.raw("type")
	if !ok {
		p.fail("type", "required", reasonRequired)
		return "", p.problem(instance)
	}
	var t string
	_ = json.Unmarshal(v, &t)
	for _, known := range types {
		if t == known {
			return t, nil
		}
	}
	p.fail("type", "value", reasonSearchType)
	return "", p.problem(instance)
}
