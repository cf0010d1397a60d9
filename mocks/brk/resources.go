package brk

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/poort-nl/poort/mocks/population"
)

// The API's patterns, as the OpenAPI document writes them.
const (
	patternAanduiding     = `^([a-zA-Z0-9'][a-zA-Z0-9' ,-]*[a-zA-Z0-9]) ([A-IK-Z]{1,2}) ([1-9][0-9]{0,4})( A[1-9][0-9]{0,3})?$`
	patternMetGemeentcode = `^([A-Z]{3}[0-9]{2}) ([A-IK-Z]{1,2}) ([1-9][0-9]{0,4})( A[1-9][0-9]{0,3})?$`
	patternPostcode       = `^[1-9][0-9][0-9][0-9][A-Z][A-Z]$`
	patternHuisletter     = `^[a-zA-Z]$`
	patternToevoeging     = `^([a-z,A-Z,0-9]){1,4}$`
	patternNummeraand     = `^[0-9]{16}$`
	patternBSN            = `^[0-9]{9}$`
)

var patterns = map[string]*regexp.Regexp{}

func init() {
	for _, p := range []string{patternAanduiding, patternMetGemeentcode, patternPostcode, patternHuisletter, patternToevoeging, patternNummeraand, patternBSN} {
		patterns[p] = regexp.MustCompile(p)
	}
}

// categories are the search categories of GET /kadastraalonroerendezaken:
// exactly one may be given. Its first parameter is required.
var categories = [][]string{
	{"kadastraleAanduiding", "inclusiefKadastraalOnroerendeZakenUitSplitsing"},
	{"persoon__identificatie"},
	{"postcode", "huisnummer", "huisletter", "huisnummertoevoeging"},
	{"nummeraanduidingIdentificatie"},
	{"kadastraleAanduidingMetGemeentecode", "inclusiefKadastraalOnroerendeZakenUitSplitsing"},
}

// validator collects what is wrong with a request's parameters.
type validator struct {
	q    url.Values
	errs []invalidParam
}

func (v *validator) pattern(name, pattern string) (string, bool) {
	s, ok := v.q[name]
	if !ok {
		return "", false
	}
	if !patterns[pattern].MatchString(s[0]) {
		v.errs = append(v.errs, invalidPattern(name, pattern))
		return "", false
	}
	return s[0], true
}

func (v *validator) integer(name string, min, max int) (int, bool) {
	s, ok := v.q[name]
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s[0])
	switch {
	case err != nil:
		v.errs = append(v.errs, invalidInteger(name))
	case n < min || n > max:
		v.errs = append(v.errs, invalidRange(name, min, max))
	default:
		return n, true
	}
	return 0, false
}

func (v *validator) boolean(name string) bool {
	s, ok := v.q[name]
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(s[0])
	if err != nil || (s[0] != "true" && s[0] != "false") {
		v.errs = append(v.errs, invalidBoolean(name))
	}
	return b
}

// expand reads expand: zakelijkGerechtigden and privaatrechtelijkeBeperkingen
// may be embedded, where allowed.
func (v *validator) expand(allowed bool) bool {
	s, ok := v.q["expand"]
	if !ok {
		return false
	}
	rights := false
	for _, part := range strings.Split(s[0], ",") {
		switch strings.TrimSpace(part) {
		case "zakelijkGerechtigden":
			rights = allowed
			if !allowed {
				v.errs = append(v.errs, invalid("expand", "expand", "Deel van de parameterwaarde is niet correct: zakelijkGerechtigden."))
			}
		case "privaatrechtelijkeBeperkingen":
		default:
			v.errs = append(v.errs, invalid("expand", "expand", "Deel van de parameterwaarde is niet correct: "+part+"."))
		}
	}
	return rights
}

func (v *validator) problem() *problem {
	if len(v.errs) == 0 {
		return nil
	}
	return paramsValidation(v.errs)
}

// zaken serves GET /kadastraalonroerendezaken (GetKadastraalOnroerendeZaken)
// and POST (ZoekKadastraalOnroerendeZakenMetBsn).
func (h *handler) zaken(w http.ResponseWriter, r *http.Request, b *builder) {
	if r.Method == http.MethodPost {
		h.zakenMetBSN(w, r, b)
		return
	}
	q := r.URL.Query()
	var given []string
	for _, c := range categories {
		for _, name := range c {
			if q.Has(name) && !slices.Contains(given, c[0]) && name != "inclusiefKadastraalOnroerendeZakenUitSplitsing" {
				given = append(given, c[0])
			}
		}
	}
	switch {
	case len(given) == 0:
		writeProblem(w, r, b.base, paramsRequired())
		return
	case len(given) > 1:
		writeProblem(w, r, b.base, unsupportedCombination(given))
		return
	}
	v := &validator{q: q}
	var found []*population.Parcel
	byPerson := given[0] == "persoon__identificatie"
	switch given[0] {
	case "kadastraleAanduiding", "kadastraleAanduidingMetGemeentecode":
		split := v.boolean("inclusiefKadastraalOnroerendeZakenUitSplitsing")
		var p *population.Parcel
		if s, ok := v.pattern("kadastraleAanduiding", patternAanduiding); ok {
			p = h.byDesignation[strings.ToLower(s)]
		}
		if s, ok := v.pattern("kadastraleAanduidingMetGemeentecode", patternMetGemeentcode); ok {
			p = h.byCode[s]
		}
		if p != nil {
			found = append(found, p)
			for _, id := range p.ApartmentRights {
				if ar, ok := h.brk.Parcel(id); ok && split {
					found = append(found, ar)
				}
			}
		}
	case "persoon__identificatie":
		found = h.brk.ParcelsOf(q.Get("persoon__identificatie"))
		// Only a person the BRP does not know, or a legal entity, is
		// searched so; a BSN finds nothing here.
		if _, ok := h.brk.CompanyByRSIN(q.Get("persoon__identificatie")); !ok {
			found = nil
		}
	case "nummeraanduidingIdentificatie":
		if id, ok := v.pattern("nummeraanduidingIdentificatie", patternNummeraand); ok {
			found = h.brk.ParcelsAt(id)
		}
	case "postcode":
		pc, okPC := v.pattern("postcode", patternPostcode)
		n, hasNumber := v.integer("huisnummer", 1, 99999)
		letter, hasLetter := v.pattern("huisletter", patternHuisletter)
		addition, hasAddition := v.pattern("huisnummertoevoeging", patternToevoeging)
		if !q.Has("postcode") {
			writeProblem(w, r, b.base, paramsRequired())
			return
		}
		for _, a := range h.byPostcode[pc] {
			if okPC && (!hasNumber || a.HouseNumber == n) && (!hasLetter || strings.EqualFold(a.HouseLetter, letter)) &&
				(!hasAddition || strings.EqualFold(a.Addition, addition)) {
				found = append(found, h.brk.ParcelsAt(a.ID)...)
			}
		}
	}
	embed := v.expand(!byPerson)
	if p := v.problem(); p != nil {
		writeProblem(w, r, b.base, p)
		return
	}
	b.writeZaken(w, r, dedupe(found), embed, !byPerson)
}

// zakenMetBSN serves the POST: the parcels a person registered in the BRP
// holds rights on.
func (h *handler) zakenMetBSN(w http.ResponseWriter, r *http.Request, b *builder) {
	// The document declares no 415 for this operation: a body in another
	// media type is a parameter error, as a body that is no BsnBody is.
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeProblem(w, r, b.base, paramsValidation([]invalidParam{invalid("body", "contentType", "De body moet application/json zijn.")}))
		return
	}
	var body struct {
		BSN    *string `json:"burgerservicenummer"`
		Fields *string `json:"fields"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		writeProblem(w, r, b.base, paramsValidation([]invalidParam{invalid("body", "json", "De body is geen geldig BsnBody-object.")}))
		return
	}
	if body.BSN == nil {
		writeProblem(w, r, b.base, paramsRequired())
		return
	}
	if !patterns[patternBSN].MatchString(*body.BSN) {
		writeProblem(w, r, b.base, paramsValidation([]invalidParam{invalidPattern("burgerservicenummer", patternBSN)}))
		return
	}
	b.writeZaken(w, r, h.brk.ParcelsOf(*body.BSN), false, false)
}

// zaak serves GET /kadastraalonroerendezaken/{id} (GetKadastraalOnroerendeZaak).
func (h *handler) zaak(w http.ResponseWriter, r *http.Request, b *builder, id string) {
	v := &validator{q: r.URL.Query()}
	embed := v.expand(true)
	if p := v.problem(); p != nil {
		writeProblem(w, r, b.base, p)
		return
	}
	p, ok := h.brk.Parcel(id)
	if !ok {
		writeProblem(w, r, b.base, notFound())
		return
	}
	writeHAL(w, b.zaak(p, embed, true))
}

// gerechtigden serves GET .../{id}/zakelijkgerechtigden
// (GetZakelijkGerechtigden), optionally of one type of right.
func (h *handler) gerechtigden(w http.ResponseWriter, r *http.Request, b *builder, id string) {
	q := r.URL.Query()
	if t, ok := q["type"]; ok && !slices.Contains(rightTypes, t[0]) {
		writeProblem(w, r, b.base, paramsValidation([]invalidParam{invalidEnum("type")}))
		return
	}
	p, ok := h.brk.Parcel(id)
	if !ok {
		writeProblem(w, r, b.base, notFound())
		return
	}
	out := collection{Links: links{"self": link{requestURL(r, b.base)}}, Embedded: map[string]any{}}
	list := []zakelijkGerechtigde{}
	for _, rt := range p.Rights {
		if !q.Has("type") || q.Get("type") == rt.Kind {
			list = append(list, b.gerechtigde(p, rt))
		}
	}
	out.Embedded["zakelijkGerechtigden"] = list
	if len(p.ApartmentRights) > 0 {
		out.Split = population.Ownership
	}
	writeHAL(w, out)
}

// gerechtigde serves GET .../{id}/zakelijkgerechtigden/{zgId}
// (GetZakelijkGerechtigde).
func (h *handler) gerechtigde(w http.ResponseWriter, r *http.Request, b *builder, id, zg string) {
	if p, ok := h.brk.Parcel(id); ok {
		for _, rt := range p.Rights {
			if rt.ID == zg {
				writeHAL(w, b.gerechtigde(p, rt))
				return
			}
		}
	}
	writeProblem(w, r, b.base, notFound())
}

// beperkingen serves GET /publiekrechtelijkebeperkingen
// (GetPubliekrechtelijkeBeperkingen): the restrictions on one parcel.
func (h *handler) beperkingen(w http.ResponseWriter, r *http.Request, b *builder) {
	id := r.URL.Query().Get("kadastraalOnroerendeZaakIdentificatie")
	if id == "" {
		writeProblem(w, r, b.base, paramsRequired())
		return
	}
	list := []publiekrechtelijkeBeperking{}
	if p, ok := h.brk.Parcel(id); ok {
		for _, res := range p.Restrictions {
			list = append(list, beperking(res))
		}
	}
	writeHAL(w, collection{Links: links{"self": link{requestURL(r, b.base)}}, Embedded: map[string]any{"publiekrechtelijkeBeperkingen": list}})
}

func dedupe(ps []*population.Parcel) []*population.Parcel {
	seen := map[string]bool{}
	out := ps[:0:0]
	for _, p := range ps {
		if !seen[p.ID] {
			seen[p.ID] = true
			out = append(out, p)
		}
	}
	return out
}
