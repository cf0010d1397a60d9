package nhr

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/poort-nl/poort/mocks/population"
)

func zoek(t *testing.T, srv string, q url.Values) resultaat {
	t.Helper()
	var r resultaat
	get(t, srv+"/api/v2/zoeken?"+q.Encode()).ok(t, "application/json", &r)
	return r
}

func TestZoeken(t *testing.T) {
	srv, p := setup(t)
	c := companyWhere(t, p, multiBranchBV)

	t.Run("by KvK number: branches, then the legal entity", func(t *testing.T) {
		r := zoek(t, srv.URL, url.Values{"kvkNummer": {c.KvKNumber}})
		if r.Pagina != 1 || r.ResultatenPerPagina != 10 || r.Totaal != len(c.Branches)+1 || len(r.Resultaten) != r.Totaal {
			t.Fatalf("pagina %d, per pagina %d, totaal %d, %d resultaten", r.Pagina, r.ResultatenPerPagina, r.Totaal, len(r.Resultaten))
		}
		first, last := r.Resultaten[0], r.Resultaten[len(r.Resultaten)-1]
		if first.Type != "hoofdvestiging" || first.Vestigingsnummer != c.Branches[0].Number || first.Naam != c.Branches[0].TradeNames[0] || first.Actief != "Ja" {
			t.Errorf("first %+v", first)
		}
		if r.Resultaten[1].Type != "nevenvestiging" || r.Resultaten[1].Vestigingsnummer != c.Branches[1].Number {
			t.Errorf("second %+v", r.Resultaten[1])
		}
		if last.Type != "rechtspersoon" || last.Vestigingsnummer != "" || last.Naam != c.Name || last.Rsin != c.RSIN {
			t.Errorf("last %+v", last)
		}
		addr, _ := p.Address(c.Branches[0].AddressID)
		if a := first.Adres.BinnenlandsAdres; a.Type != "bezoekadres" || a.Postcode != addr.Postcode || a.Huisnummer != addr.HouseNumber || a.Plaats == "" || a.Straatnaam == "" {
			t.Errorf("adres %+v", a)
		}
		if first.Links["basisprofiel"].Href != srv.URL+"/api/v1/basisprofielen/"+c.KvKNumber ||
			first.Links["vestigingsprofiel"].Href != srv.URL+"/api/v1/vestigingsprofielen/"+c.Branches[0].Number {
			t.Errorf("_links %+v", first.Links)
		}
		if _, ok := last.Links["vestigingsprofiel"]; ok {
			t.Error("a rechtspersoon result links a vestigingsprofiel")
		}
		if !strings.HasPrefix(r.Links["self"].Href, srv.URL+"/api/v2/zoeken?") || r.Vorige != "" || r.Volgende != "" {
			t.Errorf("_links %+v vorige %q volgende %q", r.Links, r.Vorige, r.Volgende)
		}
	})

	t.Run("by vestigingsnummer", func(t *testing.T) {
		r := zoek(t, srv.URL, url.Values{"vestigingsnummer": {c.Branches[1].Number}})
		if r.Totaal != 1 || r.Resultaten[0].Vestigingsnummer != c.Branches[1].Number {
			t.Errorf("%+v", r)
		}
	})

	t.Run("by RSIN", func(t *testing.T) {
		r := zoek(t, srv.URL, url.Values{"rsin": {c.RSIN}, "type": {"rechtspersoon"}})
		if r.Totaal != 1 || r.Resultaten[0].KvkNummer != c.KvKNumber || r.Resultaten[0].Type != "rechtspersoon" {
			t.Errorf("%+v", r)
		}
	})

	t.Run("by postcode and house number", func(t *testing.T) {
		addr, _ := p.Address(c.Branches[1].AddressID)
		r := zoek(t, srv.URL, url.Values{"postcode": {strings.ToLower(addr.Postcode)}, "huisnummer": {strconv.Itoa(addr.HouseNumber)}})
		found := false
		for _, it := range r.Resultaten {
			found = found || it.Vestigingsnummer == c.Branches[1].Number
			if a := it.Adres.BinnenlandsAdres; a.Postcode != addr.Postcode || a.Huisnummer != addr.HouseNumber {
				t.Errorf("result at %s %d", a.Postcode, a.Huisnummer)
			}
		}
		if !found {
			t.Errorf("branch %s not found at its address", c.Branches[1].Number)
		}
	})

	t.Run("by whole words of the name", func(t *testing.T) {
		words := population.NameWords(c.Name)
		r := zoek(t, srv.URL, url.Values{"naam": {strings.ToUpper(strings.Join(words[:2], " "))}, "resultatenPerPagina": {"100"}})
		found := false
		for _, it := range r.Resultaten {
			found = found || it.KvkNummer == c.KvKNumber
			have := strings.ToLower(it.Naam)
			if !strings.Contains(have, words[0]) {
				t.Errorf("%q does not hold %q", it.Naam, words[0])
			}
		}
		if !found {
			t.Errorf("%s not found by name", c.KvKNumber)
		}
		part := words[1][:len(words[1])-1]
		if a := get(t, srv.URL+"/api/v2/zoeken?naam="+url.QueryEscape(part)+"+"+url.QueryEscape(words[0])); a.status == 200 {
			var r resultaat
			a.ok(t, "application/json", &r)
			for _, it := range r.Resultaten {
				if it.KvkNummer == c.KvKNumber {
					t.Errorf("part of a word %q matched %q", part, it.Naam)
				}
			}
		}
	})

	t.Run("by place and street", func(t *testing.T) {
		addr, _ := p.Address(c.Branches[1].AddressID)
		st, _ := p.Street(addr.StreetID)
		pl, _ := p.Place(addr.PlaceID)
		r := zoek(t, srv.URL, url.Values{"plaats": {strings.ToUpper(pl.Name)}, "straatnaam": {st.Name}, "type": {"nevenvestiging"}})
		found := false
		for _, it := range r.Resultaten {
			found = found || it.Vestigingsnummer == c.Branches[1].Number
			if it.Type != "nevenvestiging" || it.Adres.BinnenlandsAdres.Plaats != pl.Name || it.Adres.BinnenlandsAdres.Straatnaam != st.Name {
				t.Errorf("result %+v", it)
			}
		}
		if !found {
			t.Error("branch not found by place and street")
		}
	})

	t.Run("type filter as a list", func(t *testing.T) {
		r := zoek(t, srv.URL, url.Values{"kvkNummer": {c.KvKNumber}, "type": {"hoofdvestiging,rechtspersoon"}})
		if r.Totaal != 2 || r.Resultaten[0].Type != "hoofdvestiging" || r.Resultaten[1].Type != "rechtspersoon" {
			t.Errorf("%+v", r.Resultaten)
		}
		r = zoek(t, srv.URL, url.Values{"kvkNummer": {c.KvKNumber}, "type": {"nevenvestiging", "rechtspersoon"}})
		if r.Totaal != len(c.Branches) {
			t.Errorf("totaal %d", r.Totaal)
		}
	})

	t.Run("pages", func(t *testing.T) {
		q := url.Values{"naam": {population.NameWords(c.Name)[0]}, "resultatenPerPagina": {"1"}}
		r1 := zoek(t, srv.URL, q)
		if r1.Totaal < 3 {
			t.Skipf("only %d results", r1.Totaal)
		}
		if r1.Vorige != "" || r1.Volgende == "" || len(r1.Resultaten) != 1 {
			t.Fatalf("page 1: vorige %q volgende %q", r1.Vorige, r1.Volgende)
		}
		var r2 resultaat
		get(t, r1.Volgende).ok(t, "application/json", &r2)
		if r2.Pagina != 2 || r2.Vorige == "" || r2.Totaal != r1.Totaal || len(r2.Resultaten) != 1 {
			t.Errorf("page 2: %+v", r2)
		}
		if r2.Resultaten[0].Vestigingsnummer == r1.Resultaten[0].Vestigingsnummer && r2.Resultaten[0].Type == r1.Resultaten[0].Type {
			t.Error("page 2 repeats page 1")
		}
		q.Set("pagina", strconv.Itoa(r1.Totaal+1))
		if r := zoek(t, srv.URL, q); len(r.Resultaten) != 0 || r.Volgende != "" {
			t.Errorf("past the end: %+v", r)
		}
	})

	t.Run("unknown parameters are ignored", func(t *testing.T) {
		zoek(t, srv.URL, url.Values{"kvkNummer": {c.KvKNumber}, "geoData": {"true"}, "foo": {"bar"}})
	})

	t.Run("nothing found", func(t *testing.T) {
		get(t, srv.URL+"/api/v2/zoeken?kvkNummer=00000000").fails(t, http.StatusNotFound, "IPD5200")
		get(t, srv.URL+"/api/v2/zoeken?naam=xyzzyplugh").fails(t, http.StatusNotFound, "IPD5200")
		get(t, srv.URL+"/api/v2/zoeken?postcode=1234AB&postbusnummer=12").fails(t, http.StatusNotFound, "IPD5200")
	})
}

func TestZoekenInactive(t *testing.T) {
	var c *population.Company
	srv, _ := setup(t, func(p *population.Population) {
		c = newCompany(t, p)
		c.EndDate = population.DateOf(refDate.AddDate(0, -1, 0))
	})
	get(t, srv.URL+"/api/v2/zoeken?kvkNummer="+c.KvKNumber).fails(t, http.StatusNotFound, "IPD5200")
	r := zoek(t, srv.URL, url.Values{"kvkNummer": {c.KvKNumber}, "inclusiefInactieveRegistraties": {"true"}})
	if r.Totaal == 0 || r.Resultaten[0].Actief != "Nee" {
		t.Errorf("%+v", r)
	}
	var bp basisprofiel
	get(t, srv.URL+"/api/v1/basisprofielen/"+c.KvKNumber).ok(t, "application/json", &bp)
	if bp.MaterieleRegistratie.DatumEinde != string(c.EndDate) {
		t.Errorf("datumEinde %q", bp.MaterieleRegistratie.DatumEinde)
	}
}

func TestZoekenValidation(t *testing.T) {
	srv, _ := setup(t)
	tests := []struct {
		name  string
		query string
		codes []string
		names string // parameters the IPD1999 text names
	}{
		{"no criterion", "pagina=1", []string{"IPD1998"}, ""},
		{"only a type", "type=hoofdvestiging", []string{"IPD1998"}, ""},
		{"KvK number of 7 digits", "kvkNummer=1234567", []string{"IPD0004"}, ""},
		{"RSIN with letters", "rsin=12345678a", []string{"IPD0010"}, ""},
		{"vestigingsnummer too long", "vestigingsnummer=1234567890123", []string{"IPD0006"}, ""},
		{"unknown type", "naam=a&type=filiaal", []string{"IPD5203"}, ""},
		{"postcode without house number", "postcode=1234AB", []string{"IPD1999"}, "postcode"},
		{"house number without postcode", "huisnummer=12&naam=a", []string{"IPD1999"}, "huisnummer"},
		{"house letter without house number", "huisletter=A&naam=a", []string{"IPD1999"}, "huisletter"},
		{"postcode with a space", "postcode=1234+AB&huisnummer=1", []string{"IPD1999"}, "postcode"},
		{"house number not a number", "postcode=1234AB&huisnummer=twaalf", []string{"IPD1999"}, "huisnummer, postcode"},
		{"house number of six digits", "postcode=1234AB&huisnummer=123456", []string{"IPD1999"}, "huisnummer, postcode"},
		{"two letters", "postcode=1234AB&huisnummer=1&huisletter=AB", []string{"IPD1999"}, "huisletter"},
		{"page 0", "naam=a&pagina=0", []string{"IPD1999"}, "pagina"},
		{"page 1001", "naam=a&pagina=1001", []string{"IPD1999"}, "pagina"},
		{"101 per page", "naam=a&resultatenPerPagina=101", []string{"IPD1999"}, "resultatenPerPagina"},
		{"0 per page", "naam=a&resultatenPerPagina=0", []string{"IPD1999"}, "resultatenPerPagina"},
		{"inclusiefInactieveRegistraties not a boolean", "naam=a&inclusiefInactieveRegistraties=ja", []string{"IPD1999"}, "inclusiefInactieveRegistraties"},
		{"a parameter twice", "naam=a&naam=b", []string{"IPD1999"}, "naam"},
		{"every fault at once", "kvkNummer=1&type=x&pagina=0", []string{"IPD0004", "IPD5203", "IPD1999"}, "pagina"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := get(t, srv.URL+"/api/v2/zoeken?"+tt.query).fails(t, http.StatusBadRequest, tt.codes...)
			if tt.names != "" {
				last := f.Fout[len(f.Fout)-1].Omschrijving
				if !strings.HasSuffix(last, ": "+tt.names) {
					t.Errorf("omschrijving %q does not name %s", last, tt.names)
				}
			}
		})
	}
}

// BenchmarkZoeken measures searches over a load-test population of 100,000
// persons: each must come from the indexes, not a scan.
func BenchmarkZoeken(b *testing.B) {
	p := generate(b, 100_000)
	h := New(p)
	c := p.Companies[len(p.Companies)/2]
	addr, _ := p.Address(c.Branches[0].AddressID)
	pl, _ := p.Place(addr.PlaceID)
	queries := []string{
		"kvkNummer=" + c.KvKNumber,
		"postcode=" + addr.Postcode + "&huisnummer=" + strconv.Itoa(addr.HouseNumber),
		"naam=" + url.QueryEscape(c.Name),
		"naam=" + url.QueryEscape(population.NameWords(c.Name)[0]) + "&plaats=" + url.QueryEscape(pl.Name),
	}
	for _, q := range queries {
		b.Run(strings.SplitN(q, "=", 2)[0], func(b *testing.B) {
			req := httptestRequest("/api/v2/zoeken?" + q)
			for b.Loop() {
				w := &discard{header: http.Header{}}
				h.ServeHTTP(w, req)
				if w.status != http.StatusOK {
					b.Fatalf("%s: status %d", q, w.status)
				}
			}
		})
	}
}

func BenchmarkBasisprofiel(b *testing.B) {
	p := generate(b, 100_000)
	h := New(p)
	c := p.Companies[len(p.Companies)/2]
	req := httptestRequest("/api/v1/basisprofielen/" + c.KvKNumber + "?geoData=true")
	for b.Loop() {
		w := &discard{header: http.Header{}}
		h.ServeHTTP(w, req)
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}

func httptestRequest(target string) *http.Request {
	r, _ := http.NewRequest(http.MethodGet, "http://nhr.test"+target, nil)
	r.RequestURI = target
	return r
}

// discard is a ResponseWriter that keeps only the status, so benchmarks
// measure the handler and not a recorder's buffers.
type discard struct {
	header http.Header
	status int
}

func (d *discard) Header() http.Header { return d.header }
func (d *discard) Write(b []byte) (int, error) {
	if d.status == 0 {
		d.status = http.StatusOK
	}
	return len(b), nil
}
func (d *discard) WriteHeader(s int) { d.status = s }

func TestContainsWord(t *testing.T) {
	for _, tt := range []struct {
		name, word string
		want       bool
	}{
		{"Bakkerij De Vries B.V.", "vries", true},
		{"Bakkerij De Vries B.V.", "bakkerij", true},
		{"Bakkerij De Vries B.V.", "v", true},
		{"Bakkerij De Vries B.V.", "bv", false},
		{"Bakkerij De Vries B.V.", "bakker", false},
		{"Eetcafé 't Hoekje", "eetcafé", true},
		{"Eetcafé 't Hoekje", "t", true},
		{"Eetcafé 't Hoekje", "eetcaf", false},
		{"", "a", false},
	} {
		if got := containsWord(tt.name, tt.word); got != tt.want {
			t.Errorf("containsWord(%q, %q) = %v", tt.name, tt.word, got)
		}
		words := population.NameWords(tt.name)
		if in := slices.Contains(words, tt.word); in != tt.want {
			t.Errorf("NameWords(%q) = %q disagrees on %q", tt.name, words, tt.word)
		}
	}
}
