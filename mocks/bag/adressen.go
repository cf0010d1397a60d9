package bag

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/poort-nl/poort/mocks/population"
)

// adresSearch is one validated bevraagAdressen query.
type adresSearch struct {
	postcode, letter, addition, objectID, pandID, place, street string
	number                                                      int
	exact                                                       bool
	hasLetter, hasAddition                                      bool
}

// adressen serves GET /adressen (bevraagAdressen): addresses by postcode and
// house number, by place, street and house number, by adresseerbaar object,
// or by pand, in pages.
func (h *handler) adressen(w http.ResponseWriter, r *http.Request, b *builder, _ string) {
	q := r.URL.Query()
	params := [...]string{
		"zoekresultaatIdentificatie", "postcode", "huisnummer", "huisnummertoevoeging", "huisletter",
		"exacteMatch", "adresseerbaarObjectIdentificatie", "woonplaatsNaam", "openbareRuimteNaam",
		"pandIdentificatie", "inclusiefEindStatus", "expand", "page", "pageSize",
	}
	// A search parameter without a value counts as no parameter
	// (foutafhandeling: zoekparameter zonder waarde); expand has its own
	// error for that.
	for _, name := range params {
		if vs, ok := q[name]; ok && name != "expand" && strings.TrimSpace(vs[0]) == "" {
			writeProblem(w, r, b.base, paramsRequired())
			return
		}
	}
	v := &validator{q: q}
	var s adresSearch
	s.postcode, _ = v.pattern("postcode", patternPostcode, isPostcode)
	s.postcode = strings.ToUpper(s.postcode)
	s.number, _ = v.integer("huisnummer", 1, 99999)
	s.letter, s.hasLetter = v.pattern("huisletter", patternHuisletter, isHuisletter)
	s.addition, s.hasAddition = v.pattern("huisnummertoevoeging", patternToevoeging, isToevoeging)
	s.exact, _ = v.boolean("exacteMatch")
	s.objectID, _ = v.pattern("adresseerbaarObjectIdentificatie", patternObject, bagID("01", "02", "03"))
	s.pandID, _ = v.pattern("pandIdentificatie", patternPand, bagID("10"))
	s.place, _ = v.naam("woonplaatsNaam")
	s.street, _ = v.naam("openbareRuimteNaam")
	v.text("zoekresultaatIdentificatie", 255)
	v.boolean("inclusiefEindStatus")
	exp := v.expand(adresExpands())
	page, ok := v.integer("page", 1, math.MaxInt32)
	if !ok {
		page = 1
	}
	size, ok := v.integer("pageSize", 10, 100)
	if !ok {
		size = 20
	}
	if p := v.problem(); p != nil {
		writeProblem(w, r, b.base, p)
		return
	}
	if p := combination(q); p != nil {
		writeProblem(w, r, b.base, p)
		return
	}
	if exp.adresseerbaarObject || exp.panden {
		if p := checkCRS(r); p != nil {
			writeProblem(w, r, b.base, p)
			return
		}
	}
	found := h.search(q, s)
	last := max(1, (len(found)+size-1)/size)
	if page > last {
		writeProblem(w, r, b.base, paramsValidation([]invalidParam{invalidPage()}))
		return
	}
	out := adresCollection{Links: pageLinks(r, b.base, page, last)}
	if len(found) > 0 {
		items := found[(page-1)*size : min(page*size, len(found))]
		out.Embedded = &adressenEmbedded{Adressen: make([]adres, len(items))}
		for i, a := range items {
			out.Embedded.Adressen[i] = b.adres(a, exp)
		}
	}
	w.Header().Set("X-Pagination-Page", strconv.Itoa(page))
	w.Header().Set("X-Pagination-Limit", strconv.Itoa(size))
	writeHAL(w, out, exp.adresseerbaarObject || exp.panden)
}

// combination checks that the query is one of the supported searches
// (foutafhandeling.feature: paramsRequired, unsupportedCombination,
// paramsCombination).
func combination(q url.Values) *problem {
	has := func(name string) bool { _, ok := q[name]; return ok }
	pc, nr := has("postcode"), has("huisnummer")
	place, street := has("woonplaatsNaam"), has("openbareRuimteNaam")
	object, pand, result := has("adresseerbaarObjectIdentificatie"), has("pandIdentificatie"), has("zoekresultaatIdentificatie")
	modifier := has("huisletter") || has("huisnummertoevoeging") || has("exacteMatch")
	byNumber := pc || nr || place || street
	switch {
	case !byNumber && !object && !pand && !result:
		return paramsRequired()
	case result && (byNumber || object || pand || modifier):
		return unsupportedCombination("Zoeken met zoekresultaatIdentificatie gaat niet samen met andere zoekparameters.")
	case pand && (byNumber || object || modifier):
		return unsupportedCombination("Zoeken met pandIdentificatie gaat niet samen met andere zoekparameters.")
	case object && (byNumber || modifier):
		return unsupportedCombination("Zoeken met adresseerbaarObjectIdentificatie gaat niet samen met andere zoekparameters.")
	case pc && (place || street):
		return unsupportedCombination("Zoek met postcode en huisnummer, of met woonplaatsNaam, openbareRuimteNaam en huisnummer.")
	case pc && !nr, nr && !pc && !place && !street:
		return paramsCombination("Zoek met postcode en huisnummer, of met woonplaatsNaam, openbareRuimteNaam en huisnummer.")
	case (place || street) && !(place && street && nr):
		return paramsCombination("Zoek met woonplaatsNaam, openbareRuimteNaam en huisnummer.")
	}
	return nil
}

// search finds the addresses of a valid query, in the index's order.
func (h *handler) search(q url.Values, s adresSearch) []*population.Address {
	switch {
	case q.Has("pandIdentificatie"):
		return h.idx.AddressesInBuilding(s.pandID)
	case q.Has("adresseerbaarObjectIdentificatie"):
		if a, ok := h.pop.AddressByObject(s.objectID); ok {
			return []*population.Address{a}
		}
		return nil
	case q.Has("postcode"):
		return matchNumber(h.pop.AddressesByPostcode(s.postcode, s.number), s)
	case q.Has("woonplaatsNaam"):
		return matchNumber(h.idx.AddressesByStreet(s.place, s.street, s.number), s)
	}
	// zoekresultaatIdentificatie comes from /adressen/zoek, which the mock
	// does not serve, so no result can match it.
	return nil
}

// matchNumber filters the addresses at a house number by letter and
// addition as exacte_match.feature specifies. Without exacteMatch a given
// letter or addition must match and a missing one matches anything; with
// exacteMatch=true a missing letter or addition must be missing too.
// Letters and additions match without regard to case.
func matchNumber(all []*population.Address, s adresSearch) []*population.Address {
	var out []*population.Address
	for _, a := range all {
		letterOK := strings.EqualFold(a.HouseLetter, s.letter) || !s.exact && !s.hasLetter
		additionOK := strings.EqualFold(a.Addition, s.addition) || !s.exact && !s.hasAddition
		if letterOK && additionOK {
			out = append(out, a)
		}
	}
	return out
}

// pageLinks builds the collection's links (paginering.feature): self is the
// request as the client made it; first and previous appear after the first
// page, next and last before the last; they repeat the query without its
// page parameter (pageSize only when the client gave it) and add page.
func pageLinks(r *http.Request, base string, page, last int) paginationLinks {
	links := paginationLinks{Self: halLink{Href: requestURL(r, base)}}
	var kept []string
	for _, part := range strings.Split(r.URL.RawQuery, "&") {
		k, _, _ := strings.Cut(part, "=")
		if key, err := url.QueryUnescape(k); part == "" || err == nil && key == "page" {
			continue
		}
		kept = append(kept, part)
	}
	prefix := base + strings.TrimPrefix(r.URL.EscapedPath(), BasePath) + "?"
	if len(kept) > 0 {
		prefix += strings.Join(kept, "&") + "&"
	}
	at := func(n int) *halLink { return &halLink{Href: prefix + "page=" + strconv.Itoa(n)} }
	if page > 1 {
		links.First, links.Previous = at(1), at(page-1)
	}
	if page < last {
		links.Next, links.Last = at(page+1), at(last)
	}
	return links
}

// adres serves GET /adressen/{nummeraanduidingIdentificatie}
// (bevraagAdressenMetNumId).
func (h *handler) adres(w http.ResponseWriter, r *http.Request, b *builder, id string) {
	v := &validator{q: r.URL.Query()}
	if !bagID("20")(id) {
		v.add(invalidPattern("nummeraanduidingidentificatie", patternNummeraanduiding))
	}
	exp := v.expand(adresExpands())
	if p := v.problem(); p != nil {
		writeProblem(w, r, b.base, p)
		return
	}
	if exp.adresseerbaarObject || exp.panden {
		if p := checkCRS(r); p != nil {
			writeProblem(w, r, b.base, p)
			return
		}
	}
	a, ok := h.pop.Address(id)
	if !ok {
		writeProblem(w, r, b.base, notFound())
		return
	}
	out := b.adres(a, exp)
	out.Links.Self = halLink{Href: requestURL(r, b.base)}
	writeHAL(w, out, exp.adresseerbaarObject || exp.panden)
}
