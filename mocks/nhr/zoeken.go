package nhr

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/poort-nl/poort/mocks/population"
)

// maxResults is what Zoeken shows of any search ("Er wordt max. 1000
// resultaten getoond").
const maxResults = 1000

// Result types of Zoeken.
const (
	typeHoofdvestiging = "hoofdvestiging"
	typeNevenvestiging = "nevenvestiging"
	typeRechtspersoon  = "rechtspersoon"
)

// The shapes below follow the Zoeken v2.0.0 OpenAPI file, which declares
// HAL links (_links) where the live documentation shows links arrays.

type halLink struct {
	Href string `json:"href"`
}

type binnenlandsAdres struct {
	Type       string `json:"type"`
	Straatnaam string `json:"straatnaam,omitempty"`
	Huisnummer int    `json:"huisnummer,omitempty"`
	Huisletter string `json:"huisletter,omitempty"`
	Postcode   string `json:"postcode,omitempty"`
	Plaats     string `json:"plaats,omitempty"`
}

type zoekAdres struct {
	BinnenlandsAdres *binnenlandsAdres `json:"binnenlandsAdres,omitempty"`
}

type resultaatItem struct {
	KvkNummer        string             `json:"kvkNummer"`
	Rsin             string             `json:"rsin,omitempty"`
	Vestigingsnummer string             `json:"vestigingsnummer,omitempty"`
	Naam             string             `json:"naam"`
	Adres            *zoekAdres         `json:"adres,omitempty"`
	Type             string             `json:"type"`
	Actief           string             `json:"actief"`
	Links            map[string]halLink `json:"_links"`
}

type resultaat struct {
	Pagina              int                `json:"pagina"`
	ResultatenPerPagina int                `json:"resultatenPerPagina"`
	Totaal              int                `json:"totaal"`
	Vorige              string             `json:"vorige,omitempty"`
	Volgende            string             `json:"volgende,omitempty"`
	Resultaten          []resultaatItem    `json:"resultaten"`
	Links               map[string]halLink `json:"_links"`
}

// zoekVraag is a validated Zoeken query.
type zoekVraag struct {
	kvk, rsin, vestiging      string
	words                     []string // of naam
	naam, straat, plaats      string
	postcode                  string
	huisnummer, postbusnummer int
	huisletter                string
	types                     map[string]bool // empty: all
	inactief                  bool
	pagina, perPagina         int
}

// item is one search hit: a branch, or the legal entity (branch nil).
type item struct {
	c *population.Company
	b *population.Branch
}

func (s *server) zoeken(w http.ResponseWriter, r *http.Request) {
	q, fouten := parseZoeken(r.URL.Query())
	if len(fouten) > 0 {
		writeFout(w, r, http.StatusBadRequest, fouten...)
		return
	}
	hits := s.search(q)
	if len(hits) == 0 {
		writeFout(w, r, http.StatusNotFound, fout{ipdNothingFound, msgNothingFound})
		return
	}
	base := baseURL(r)
	res := resultaat{
		Pagina:              q.pagina,
		ResultatenPerPagina: q.perPagina,
		Totaal:              len(hits),
		Resultaten:          []resultaatItem{},
		Links:               map[string]halLink{"self": {pageURL(base, r.URL.Query(), q.pagina)}},
	}
	from := (q.pagina - 1) * q.perPagina
	for i := from; i < len(hits) && i < from+q.perPagina; i++ {
		res.Resultaten = append(res.Resultaten, s.resultaatItemOf(base, hits[i]))
	}
	if q.pagina > 1 {
		res.Vorige = pageURL(base, r.URL.Query(), q.pagina-1)
	}
	if from+q.perPagina < len(hits) {
		res.Volgende = pageURL(base, r.URL.Query(), q.pagina+1)
	}
	writeBody(w, r, versionZoeken, res, mediaJSON, mediaHALJSON)
}

func pageURL(base string, query url.Values, page int) string {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("pagina", strconv.Itoa(page))
	return base + "/v2/zoeken?" + q.Encode()
}

// parseZoeken checks the query as the Zoeken OpenAPI file types it and
// returns every fault at once. Parameters it does not know are ignored, as
// the API ignores them.
func parseZoeken(v url.Values) (zoekVraag, []fout) {
	q := zoekVraag{pagina: 1, perPagina: 10}
	var fouten []fout
	var bad []string
	one := func(name string) (string, bool) {
		vs, ok := v[name]
		if !ok {
			return "", false
		}
		if len(vs) != 1 {
			bad = append(bad, name)
			return "", false
		}
		return vs[0], true
	}
	if s, ok := one("kvkNummer"); ok {
		if !digits(s, 8) {
			fouten = append(fouten, fout{ipdKvKNumber, "Het KvK-nummer " + s + " is niet valide."})
		}
		q.kvk = s
	}
	if s, ok := one("rsin"); ok {
		if !digits(s, 9) {
			fouten = append(fouten, fout{ipdRSIN, "Het RSI-nummer " + s + " is niet valide."})
		}
		q.rsin = s
	}
	if s, ok := one("vestigingsnummer"); ok {
		if !digits(s, 12) {
			fouten = append(fouten, fout{ipdBranchNumber, "Het vestigingsnummer " + s + " is niet valide."})
		}
		q.vestiging = s
	}
	if s, ok := one("naam"); ok {
		q.naam = strings.TrimSpace(s)
		q.words = population.NameWords(s)
	}
	if s, ok := one("straatnaam"); ok {
		q.straat = strings.TrimSpace(s)
	}
	if s, ok := one("plaats"); ok {
		q.plaats = strings.TrimSpace(s)
	}
	if s, ok := one("postcode"); ok {
		if len(s) != 6 || !digits(s[:4], 4) || !letters(s[4:]) {
			bad = append(bad, "postcode")
		}
		q.postcode = strings.ToUpper(s)
	}
	number := func(name string, max int) int {
		s, ok := one(name)
		if !ok {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || len(s) > 5 || n < 1 || n > max {
			bad = append(bad, name)
			return 0
		}
		return n
	}
	q.huisnummer = number("huisnummer", 99999)
	q.postbusnummer = number("postbusnummer", 99999)
	if s, ok := one("huisletter"); ok {
		if len(s) != 1 || !letters(s) {
			bad = append(bad, "huisletter")
		}
		q.huisletter = strings.ToUpper(s)
	}
	for _, t := range v["type"] {
		// The OpenAPI file makes type an exploded array; a comma-separated
		// list is accepted too.
		for _, t := range strings.Split(t, ",") {
			switch t = strings.TrimSpace(t); t {
			case typeHoofdvestiging, typeNevenvestiging, typeRechtspersoon:
				if q.types == nil {
					q.types = map[string]bool{}
				}
				q.types[t] = true
			default:
				fouten = append(fouten, fout{ipdType, msgType})
			}
		}
	}
	if s, ok := one("inclusiefInactieveRegistraties"); ok {
		switch s {
		case "true":
			q.inactief = true
		case "false":
		default:
			bad = append(bad, "inclusiefInactieveRegistraties")
		}
	}
	if _, ok := v["pagina"]; ok {
		q.pagina = number("pagina", 1000)
	}
	if _, ok := v["resultatenPerPagina"]; ok {
		q.perPagina = number("resultatenPerPagina", 100)
	}
	// Combinations the OpenAPI file's descriptions demand.
	switch {
	case q.postcode != "" && q.huisnummer == 0 && q.postbusnummer == 0:
		bad = append(bad, "postcode")
	case q.huisnummer != 0 && q.postcode == "":
		bad = append(bad, "huisnummer")
	case q.postbusnummer != 0 && q.postcode == "":
		bad = append(bad, "postbusnummer")
	}
	if q.huisletter != "" && q.huisnummer == 0 {
		bad = append(bad, "huisletter")
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		fouten = append(fouten, fout{ipdParameters, msgParameters + strings.Join(slices.Compact(bad), ", ")})
	}
	if len(fouten) == 0 && q.kvk == "" && q.rsin == "" && q.vestiging == "" && q.naam == "" &&
		q.straat == "" && q.plaats == "" && q.postcode == "" {
		fouten = append(fouten, fout{ipdInput, msgInput})
	}
	return q, fouten
}

func letters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

// search finds the hits of a query, at most maxResults: per registration in
// KvK-number order the main branch, the other branches, then the legal
// entity. It starts from the most selective index the query allows and
// never scans the population.
func (s *server) search(q zoekVraag) []item {
	var hits []item
	for _, c := range s.candidates(q) {
		if s.idx.Inactive(c) && !q.inactief {
			continue
		}
		for i := range c.Branches {
			b := &c.Branches[i]
			if s.matches(q, item{c, b}) {
				hits = append(hits, item{c, b})
			}
		}
		if c.RSIN != "" && s.matches(q, item{c, nil}) {
			hits = append(hits, item{c, nil})
		}
		if len(hits) >= maxResults {
			return hits[:maxResults]
		}
	}
	return hits
}

func (s *server) candidates(q zoekVraag) []*population.Company {
	switch {
	case q.kvk != "":
		if c, ok := s.pop.Company(q.kvk); ok {
			return []*population.Company{c}
		}
		return nil
	case q.vestiging != "":
		if _, c, ok := s.pop.Branch(q.vestiging); ok {
			return []*population.Company{c}
		}
		return nil
	case q.rsin != "":
		if c, ok := s.idx.CompanyByRSIN(q.rsin); ok {
			return []*population.Company{c}
		}
		return nil
	case q.postcode != "" && q.huisnummer != 0:
		var out []*population.Company
		for _, a := range s.pop.AddressesByPostcode(q.postcode, q.huisnummer) {
			out = append(out, s.pop.CompaniesAt(a.ID)...)
		}
		slices.SortFunc(out, byKvK)
		return slices.Compact(out)
	case q.postcode != "":
		return nil // a postbus: the population has none
	}
	if q.naam != "" && len(q.words) == 0 {
		return nil // a name of only punctuation has no word to match
	}
	return s.idx.CompaniesMatching(q.words, q.plaats, q.straat)
}

func byKvK(a, b *population.Company) int { return strings.Compare(a.KvKNumber, b.KvKNumber) }

// matches checks every criterion of the query against one hit. A legal
// entity has its main branch's address; a shielded address matches no
// address criterion, so a search cannot reveal it.
func (s *server) matches(q zoekVraag, it item) bool {
	typ := typeRechtspersoon
	if it.b != nil {
		typ = typeNevenvestiging
		if it.b.Main {
			typ = typeHoofdvestiging
		}
	}
	switch {
	case len(q.types) > 0 && !q.types[typ]:
		return false
	case q.kvk != "" && it.c.KvKNumber != q.kvk:
		return false
	case q.rsin != "" && it.c.RSIN != q.rsin:
		return false
	case q.vestiging != "" && (it.b == nil || it.b.Number != q.vestiging):
		return false
	case len(q.words) > 0 && !hasWords(names(it), q.words):
		return false
	}
	if q.straat == "" && q.plaats == "" && q.postcode == "" {
		return true
	}
	b := it.b
	if b == nil {
		if b = mainBranch(it.c); b == nil {
			return false
		}
	}
	a, ok := s.pop.Address(b.AddressID)
	if !ok || s.shielded(it.c, b) || q.postbusnummer != 0 {
		return false
	}
	if q.postcode != "" && (a.Postcode != q.postcode || a.HouseNumber != q.huisnummer ||
		(q.huisletter != "" && !strings.EqualFold(a.HouseLetter, q.huisletter))) {
		return false
	}
	if q.straat != "" {
		st, ok := s.pop.Street(a.StreetID)
		if !ok || !strings.EqualFold(st.Name, q.straat) {
			return false
		}
	}
	if q.plaats != "" {
		pl, ok := s.pop.Place(a.PlaceID)
		if !ok || !strings.EqualFold(pl.Name, q.plaats) {
			return false
		}
	}
	return true
}

// names are the names a hit is found by: a branch's trade names, or the
// legal entity's name and trade names.
func names(it item) []string {
	if it.b != nil {
		return it.b.TradeNames
	}
	return append([]string{it.c.Name}, it.c.TradeNames...)
}

// hasWords reports whether one of the names holds every word.
func hasWords(names []string, words []string) bool {
	for _, n := range names {
		all := true
		for _, w := range words {
			if !containsWord(n, w) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// containsWord reports whether the name has the word as one of its runs of
// letters and digits, as population.NameWords splits it, without
// allocating: it runs for every candidate of a search.
func containsWord(name, word string) bool {
	start := -1
	for i, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && strings.EqualFold(name[start:i], word) {
			return true
		}
		start = -1
	}
	return start >= 0 && strings.EqualFold(name[start:], word)
}

func (s *server) resultaatItemOf(base string, it item) resultaatItem {
	out := resultaatItem{
		KvkNummer: it.c.KvKNumber,
		Rsin:      it.c.RSIN,
		Actief:    jaNee(!s.idx.Inactive(it.c)),
		Links:     map[string]halLink{"basisprofiel": {base + "/v1/basisprofielen/" + it.c.KvKNumber}},
	}
	b := it.b
	if b == nil {
		out.Type, out.Naam = typeRechtspersoon, it.c.Name
		b = mainBranch(it.c)
	} else {
		out.Type, out.Naam = typeNevenvestiging, firstTradeName(it.c, b)
		if b.Main {
			out.Type = typeHoofdvestiging
		}
		out.Vestigingsnummer = b.Number
		out.Links["vestigingsprofiel"] = halLink{base + "/v1/vestigingsprofielen/" + b.Number}
	}
	if b != nil {
		if a := s.adresOf(b, s.shielded(it.c, b), false); a != nil {
			out.Adres = &zoekAdres{BinnenlandsAdres: &binnenlandsAdres{
				Type: a.Type, Straatnaam: a.Straatnaam, Huisnummer: a.Huisnummer,
				Huisletter: a.Huisletter, Postcode: a.Postcode, Plaats: a.Plaats,
			}}
		}
	}
	return out
}
