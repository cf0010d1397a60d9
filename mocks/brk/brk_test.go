package brk_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/mocks/brk"
	"github.com/poort-nl/poort/mocks/population"
)

func generate(t *testing.T) *population.Population {
	t.Helper()
	p, err := population.Generate(population.Config{Seed: 5, Size: 500, ReferenceDate: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

// call sends a request to the mock and decodes its JSON answer.
func call(t *testing.T, h http.Handler, method, target, body string, header ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, brk.BasePath+target, rd)
	r.Header.Set("Accept", "application/hal+json")
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	a := answer{status: w.Code, header: w.Header()}
	if err := json.Unmarshal(w.Body.Bytes(), &a.body); err != nil {
		t.Fatalf("%s %s: body %q is not JSON: %v", method, target, w.Body, err)
	}
	if a.header.Get("api-version") != brk.APIVersion {
		t.Errorf("%s %s: api-version %q", method, target, a.header.Get("api-version"))
	}
	want := "application/hal+json"
	if a.status >= 400 {
		want = "application/problem+json"
	}
	if ct := a.header.Get("Content-Type"); ct != want {
		t.Errorf("%s %s: status %d with content type %q, want %q", method, target, a.status, ct, want)
	}
	return a
}

// embedded returns the objects of a collection's _embedded list.
func embedded(t *testing.T, a answer, list string) []map[string]any {
	t.Helper()
	e, _ := a.body["_embedded"].(map[string]any)
	items, ok := e[list].([]any)
	if !ok {
		t.Fatalf("answer %v has no _embedded.%s", a.body, list)
	}
	out := make([]map[string]any, 0, len(items))
	for _, i := range items {
		out = append(out, i.(map[string]any))
	}
	return out
}

func TestZakenByAddress(t *testing.T) {
	pop := generate(t)
	h := brk.New(pop)
	ix := population.NewBRKIndex(pop)
	home := pop.Scenarios.Renovation
	parcel := ix.ParcelsAt(home)[0]

	a := call(t, h, http.MethodGet, "/kadastraalonroerendezaken?nummeraanduidingIdentificatie="+home, "")
	zaken := embedded(t, a, "kadastraalOnroerendeZaken")
	if a.status != http.StatusOK || len(zaken) != 1 {
		t.Fatalf("status %d, %d zaken, want one", a.status, len(zaken))
	}
	z := zaken[0]
	if z["identificatie"] != parcel.ID || z["type"] != "perceel" || z["kadastraleAanduiding"] != parcel.Designation() {
		t.Errorf("zaak = %v, want %s %s", z, parcel.ID, parcel.Designation())
	}
	adressen, _ := z["adressen"].([]any)
	if len(adressen) != 1 || adressen[0].(map[string]any)["nummeraanduidingIdentificatie"] != home {
		t.Errorf("adressen = %v", adressen)
	}
	if ids, _ := z["zakelijkGerechtigdeIdentificaties"].([]any); len(ids) != len(parcel.Rights) {
		t.Errorf("zakelijkGerechtigdeIdentificaties = %v, want %d", ids, len(parcel.Rights))
	}
	if _, ok := z["_embedded"]; ok {
		t.Error("zakelijk gerechtigden embedded without expand")
	}

	a = call(t, h, http.MethodGet, "/kadastraalonroerendezaken?expand=zakelijkGerechtigden&nummeraanduidingIdentificatie="+home, "")
	z = embedded(t, a, "kadastraalOnroerendeZaken")[0]
	zgs := z["_embedded"].(map[string]any)["zakelijkGerechtigden"].([]any)
	if len(zgs) != len(parcel.Rights) {
		t.Fatalf("expanded: %d zakelijk gerechtigden, want %d", len(zgs), len(parcel.Rights))
	}

	// The same parcel by postcode and house number, and by designation.
	addr, _ := pop.Address(home)
	a = call(t, h, http.MethodGet, "/kadastraalonroerendezaken?postcode="+addr.Postcode+"&huisnummer="+strconv.Itoa(addr.HouseNumber), "")
	if zs := embedded(t, a, "kadastraalOnroerendeZaken"); len(zs) != 1 || zs[0]["identificatie"] != parcel.ID {
		t.Errorf("by postcode: %v", zs)
	}
	a = call(t, h, http.MethodGet, "/kadastraalonroerendezaken?kadastraleAanduidingMetGemeentecode="+url.QueryEscape(parcel.DesignationWithCode()), "")
	if zs := embedded(t, a, "kadastraalOnroerendeZaken"); len(zs) != 1 || zs[0]["identificatie"] != parcel.ID {
		t.Errorf("by designation with code: %v", zs)
	}
	a = call(t, h, http.MethodGet, "/kadastraalonroerendezaken/"+parcel.ID, "")
	if a.status != http.StatusOK || a.body["identificatie"] != parcel.ID {
		t.Errorf("single zaak: %d %v", a.status, a.body)
	}
}

func TestZakelijkGerechtigden(t *testing.T) {
	pop := generate(t)
	h := brk.New(pop)
	ix := population.NewBRKIndex(pop)

	t.Run("a couple owns their home half each", func(t *testing.T) {
		dead, _ := pop.Person(pop.Scenarios.Deceased)
		parcel := ix.ParcelsOf(dead.BSN)[0]
		a := call(t, h, http.MethodGet, "/kadastraalonroerendezaken/"+parcel.ID+"/zakelijkgerechtigden", "")
		zgs := embedded(t, a, "zakelijkGerechtigden")
		var holders []string
		for _, zg := range zgs {
			p := zg["persoon"].(map[string]any)
			holders = append(holders, p["identificatie"].(string))
			share, _ := zg["tenaamstelling"].(map[string]any)["aandeel"].(map[string]any)
			if zg["type"] != "eigenaar" || p["type"] != "ingeschreven_natuurlijk_persoon" || share["teller"] != 1.0 || share["noemer"] != 2.0 {
				t.Errorf("zakelijk gerechtigde %v", zg)
			}
		}
		if !slices.Contains(holders, dead.BSN) || !slices.Contains(holders, dead.Partner.BSN) {
			t.Errorf("holders %v, want the deceased and their partner", holders)
		}
		one := zgs[0]["identificatie"].(string)
		a = call(t, h, http.MethodGet, "/kadastraalonroerendezaken/"+parcel.ID+"/zakelijkgerechtigden/"+one, "")
		if a.status != http.StatusOK || a.body["identificatie"] != one {
			t.Errorf("single zakelijk gerechtigde: %d %v", a.status, a.body)
		}
	})
	t.Run("a legal entity by its RSIN, its share whole", func(t *testing.T) {
		var parcel *population.Parcel
		for i := range pop.Parcels {
			if p := &pop.Parcels[i]; len(p.Rights) == 1 && p.Rights[0].HolderRSIN != "" {
				parcel = p
				break
			}
		}
		if parcel == nil {
			t.Fatal("no parcel of a legal entity")
		}
		zg := embedded(t, call(t, h, http.MethodGet, "/kadastraalonroerendezaken/"+parcel.ID+"/zakelijkgerechtigden", ""), "zakelijkGerechtigden")[0]
		c, _ := ix.CompanyByRSIN(parcel.Rights[0].HolderRSIN)
		p := zg["persoon"].(map[string]any)
		if p["identificatie"] != c.RSIN || p["type"] != "ingeschreven_niet_natuurlijk_persoon" || p["omschrijving"] != c.Name {
			t.Errorf("persoon %v, want %s %s", p, c.RSIN, c.Name)
		}
		if _, ok := zg["tenaamstelling"].(map[string]any)["aandeel"]; ok {
			t.Errorf("a whole share has an aandeel: %v", zg["tenaamstelling"])
		}
		zs := embedded(t, call(t, h, http.MethodGet, "/kadastraalonroerendezaken?persoon__identificatie="+c.RSIN, ""), "kadastraalOnroerendeZaken")
		if len(zs) == 0 || zs[0]["zakelijkGerechtigdeIdentificaties"] != nil {
			t.Errorf("search by persoon__identificatie: %v, want the parcels without zakelijk gerechtigden", zs)
		}
	})
	t.Run("a land parcel split into apartment rights", func(t *testing.T) {
		var ground *population.Parcel
		for i := range pop.Parcels {
			if p := &pop.Parcels[i]; len(p.ApartmentRights) > 0 {
				ground = p
				break
			}
		}
		if ground == nil {
			t.Fatal("no block split into apartment rights")
		}
		a := call(t, h, http.MethodGet, "/kadastraalonroerendezaken/"+ground.ID+"/zakelijkgerechtigden", "")
		if a.body["gesplitstZakelijkRecht"] != "eigenaar" || len(embedded(t, a, "zakelijkGerechtigden")) != 0 {
			t.Errorf("split land parcel: %v", a.body)
		}
		a = call(t, h, http.MethodGet, "/kadastraalonroerendezaken?inclusiefKadastraalOnroerendeZakenUitSplitsing=true&kadastraleAanduiding="+url.QueryEscape(ground.Designation()), "")
		zs := embedded(t, a, "kadastraalOnroerendeZaken")
		if len(zs) != 1+len(ground.ApartmentRights) || zs[1]["type"] != "appartementsrecht" {
			t.Fatalf("with the apartment rights: %v", zs)
		}
		if g := zs[1]["bijbehorendeGrondpercelen"].([]any)[0].(map[string]any)["identificatie"]; g != ground.ID {
			t.Errorf("apartment right's land parcel %v, want %s", g, ground.ID)
		}
	})
}

func TestZakenByBSN(t *testing.T) {
	pop := generate(t)
	h := brk.New(pop)
	dead, _ := pop.Person(pop.Scenarios.Deceased)
	a := call(t, h, http.MethodPost, "/kadastraalonroerendezaken", `{"burgerservicenummer": "`+dead.BSN+`"}`)
	zs := embedded(t, a, "kadastraalOnroerendeZaken")
	if len(zs) == 0 {
		t.Fatal("the deceased holds nothing")
	}
	for _, z := range zs {
		if _, ok := z["zakelijkGerechtigdeIdentificaties"]; ok {
			t.Errorf("the search by BSN names zakelijk gerechtigden: %v", z)
		}
	}
	if a := call(t, h, http.MethodPost, "/kadastraalonroerendezaken", `{"burgerservicenummer": "999999990"}`); len(embedded(t, a, "kadastraalOnroerendeZaken")) != 0 {
		t.Error("a BSN holding nothing finds something")
	}
}

func TestPubliekrechtelijkeBeperkingen(t *testing.T) {
	pop := generate(t)
	h := brk.New(pop)
	parcel := population.NewBRKIndex(pop).ParcelsAt(pop.Scenarios.Renovation)[0]
	bs := embedded(t, call(t, h, http.MethodGet, "/publiekrechtelijkebeperkingen?kadastraalOnroerendeZaakIdentificatie="+parcel.ID, ""), "publiekrechtelijkeBeperkingen")
	if len(bs) != 1 {
		t.Fatalf("%d restrictions, want the rijksmonument", len(bs))
	}
	g := bs[0]["grondslag"].(map[string]any)
	if g["code"] != population.NationalMonument || !strings.HasPrefix(g["waarde"].(string), "Erfgoedwet") || bs[0]["datumInWerking"] == nil {
		t.Errorf("restriction %v", bs[0])
	}
}

func TestErrors(t *testing.T) {
	pop := generate(t)
	h := brk.New(pop)
	for _, c := range []struct {
		name, method, target, body string
		header                     []string
		status                     int
		code, param                string
	}{
		{"no search", "GET", "/kadastraalonroerendezaken", "", nil, 400, "paramsRequired", ""},
		{"two categories", "GET", "/kadastraalonroerendezaken?postcode=1234AB&nummeraanduidingIdentificatie=0363200000000001", "", nil, 400, "unsupportedCombination", ""},
		{"nummeraanduiding outside its pattern", "GET", "/kadastraalonroerendezaken?nummeraanduidingIdentificatie=036320000000001", "", nil, 400, "paramsValidation", "nummeraanduidingIdentificatie"},
		{"house number out of range", "GET", "/kadastraalonroerendezaken?postcode=1234AB&huisnummer=0", "", nil, 400, "paramsValidation", "huisnummer"},
		{"unknown expand", "GET", "/kadastraalonroerendezaken?nummeraanduidingIdentificatie=0363200000000001&expand=hypotheken", "", nil, 400, "paramsValidation", "expand"},
		{"unknown type of right", "GET", "/kadastraalonroerendezaken/1/zakelijkgerechtigden?type=huurder", "", nil, 400, "paramsValidation", "type"},
		{"BSN of eight digits", "POST", "/kadastraalonroerendezaken", `{"burgerservicenummer": "99999999"}`, nil, 400, "paramsValidation", "burgerservicenummer"},
		{"restrictions of nothing", "GET", "/publiekrechtelijkebeperkingen", "", nil, 400, "paramsRequired", ""},
		{"unknown zaak", "GET", "/kadastraalonroerendezaken/99999999970000", "", nil, 404, "notFound", ""},
		{"resource left out", "GET", "/kadasternatuurlijkpersonen/1", "", nil, 404, "notFound", ""},
		{"trailing slash", "GET", "/kadastraalonroerendezaken/", "", nil, 404, "notFound", ""},
		{"method", "DELETE", "/kadastraalonroerendezaken/1", "", nil, 405, "methodNotAllowed", ""},
		{"not HAL", "GET", "/kadastraalonroerendezaken/1", "", []string{"Accept", "text/html"}, 406, "notAcceptable", ""},
		{"another CRS", "GET", "/kadastraalonroerendezaken/1", "", []string{"Accept-Crs", "epsg:4326"}, 406, "crsNotAcceptable", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := call(t, h, c.method, c.target, c.body, c.header...)
			if a.status != c.status || a.body["code"] != c.code || a.body["status"] != float64(c.status) || a.body["title"] == "" {
				t.Fatalf("status %d, body %v; want %d %s", a.status, a.body, c.status, c.code)
			}
			if c.param != "" {
				ps, _ := a.body["invalidParams"].([]any)
				if len(ps) != 1 || ps[0].(map[string]any)["name"] != c.param {
					t.Errorf("invalidParams %v, want %s", ps, c.param)
				}
			}
		})
	}
}

// TestAPIKey: the mock as its registration gives it to the hub and to
// `poort mocks --keys`, with the BRK's key configured, refuses a call
// without that key or with another with 401 authentication, as the API
// does; without a key configured it takes every call.
func TestAPIKey(t *testing.T) {
	pop := generate(t)
	target := "/kadastraalonroerendezaken?nummeraanduidingIdentificatie=" + pop.Scenarios.Renovation
	reg := brk.Registration()
	if reg.RequireKey == nil {
		t.Fatal("the registration names no key check: a configured BRK key would be refused at start")
	}
	keyed := reg.RequireKey("secret", reg.New(pop))
	for _, c := range []struct {
		name   string
		header []string
		status int
	}{
		{"no key", nil, 401},
		{"another key", []string{brk.APIKeyHeader, "guess"}, 401},
		{"the key", []string{brk.APIKeyHeader, "secret"}, 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := call(t, keyed, http.MethodGet, target, "", c.header...)
			if a.status != c.status || (c.status == 401 && a.body["code"] != "authentication") {
				t.Errorf("status %d, body %v; want %d", a.status, a.body, c.status)
			}
		})
	}
	if a := call(t, reg.New(pop), http.MethodGet, target, ""); a.status != 200 {
		t.Errorf("without a key configured, a call without one: %d", a.status)
	}
}
