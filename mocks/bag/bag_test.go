package bag

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poort-nl/poort/mocks/population"
)

var refDate = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

func generate(t testing.TB, size int) *population.Population {
	t.Helper()
	p, err := population.Generate(population.Config{Seed: 42, Size: size, ReferenceDate: refDate})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func serve(t testing.TB, pop *population.Population) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(New(pop))
	t.Cleanup(srv.Close)
	return srv
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func get(t testing.TB, srv *httptest.Server, path string, header ...string) response {
	t.Helper()
	return do(t, srv, http.MethodGet, path, header...)
}

func do(t testing.TB, srv *httptest.Server, method, path string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+BasePath+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/hal+json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := response{status: resp.StatusCode, header: resp.Header, raw: string(data)}
	if err := json.Unmarshal(data, &out.body); err != nil {
		t.Fatalf("GET %s: body is not JSON: %v\n%s", path, err, data)
	}
	if resp.Header.Get("api-version") != APIVersion {
		t.Errorf("%s %s: api-version = %q", method, path, resp.Header.Get("api-version"))
	}
	return out
}

// at follows a path of object keys and array indexes through decoded JSON.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func str(v any, path ...any) string {
	s, _ := at(v, path...).(string)
	return s
}

func num(v any, path ...any) float64 {
	n, _ := at(v, path...).(float64)
	return n
}

func wantStatus(t *testing.T, r response, status int, mediaType string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d\n%s", r.status, status, r.raw)
	}
	if ct := r.header.Get("Content-Type"); ct != mediaType {
		t.Fatalf("Content-Type = %q, want %q", ct, mediaType)
	}
}

// addressWhere returns the first address of the population that is what
// the test needs; a population without one fails the test.
func addressWhere(t *testing.T, pop *population.Population, what string, ok func(*population.Address) bool) *population.Address {
	t.Helper()
	for i := range pop.Addresses {
		if ok(&pop.Addresses[i]) {
			return &pop.Addresses[i]
		}
	}
	t.Fatalf("no address in the population is %s", what)
	return nil
}

// dwelling is an address without letter or addition in one pand.
func dwelling(t *testing.T, pop *population.Population) *population.Address {
	t.Helper()
	return addressWhere(t, pop, "a dwelling in one building", func(a *population.Address) bool {
		return len(a.BuildingIDs) == 1 && a.HouseLetter == "" && a.Addition == ""
	})
}

func TestAddressByID(t *testing.T) {
	pop := generate(t, 300)
	srv := serve(t, pop)
	a := dwelling(t, pop)
	st, _ := pop.Street(a.StreetID)
	pl, _ := pop.Place(a.PlaceID)

	r := get(t, srv, "/adressen/"+a.ID)
	wantStatus(t, r, 200, "application/hal+json")
	base := srv.URL + BasePath
	want := map[string]any{
		"openbareRuimteNaam":               st.Name,
		"korteNaam":                        st.ShortName,
		"huisnummer":                       float64(a.HouseNumber),
		"postcode":                         a.Postcode,
		"woonplaatsNaam":                   pl.Name,
		"nummeraanduidingIdentificatie":    a.ID,
		"openbareRuimteIdentificatie":      st.ID,
		"woonplaatsIdentificatie":          pl.ID,
		"adresseerbaarObjectIdentificatie": a.ObjectID,
		"adresregel5":                      fmt.Sprintf("%s %d", st.ShortName, a.HouseNumber),
		"adresregel6":                      a.Postcode[:4] + " " + a.Postcode[4:] + "  " + strings.ToUpper(pl.Name),
	}
	for k, v := range want {
		if got := r.body[k]; got != v {
			t.Errorf("%s = %v, want %v", k, got, v)
		}
	}
	if got := at(r.body, "pandIdentificaties", 0); got != a.BuildingIDs[0] {
		t.Errorf("pandIdentificaties = %v", r.body["pandIdentificaties"])
	}
	for _, absent := range []string{"huisletter", "huisnummertoevoeging", "indicatieNevenadres", "_embedded"} {
		if _, ok := r.body[absent]; ok {
			t.Errorf("%s present, want absent", absent)
		}
	}
	links := map[string]string{
		"self":                base + "/adressen/" + a.ID,
		"openbareRuimte":      base + "/openbareruimten/" + st.ID,
		"nummeraanduiding":    base + "/nummeraanduidingen/" + a.ID,
		"woonplaats":          base + "/woonplaatsen/" + pl.ID,
		"adresseerbaarObject": base + "/verblijfsobjecten/" + a.ObjectID,
	}
	for k, v := range links {
		if got := str(r.body, "_links", k, "href"); got != v {
			t.Errorf("_links.%s = %q, want %q", k, got, v)
		}
	}
	if got := str(r.body, "_links", "panden", 0, "href"); got != base+"/panden/"+a.BuildingIDs[0] {
		t.Errorf("_links.panden = %q", got)
	}
	if r.header.Get("Content-Crs") != "" {
		t.Error("Content-Crs on an answer without geometry")
	}
}

func TestAddressExpand(t *testing.T) {
	pop := generate(t, 300)
	srv := serve(t, pop)
	a := dwelling(t, pop)
	b, _ := pop.Building(a.BuildingIDs[0])
	base := srv.URL + BasePath

	t.Run("adresseerbaarObject and panden", func(t *testing.T) {
		r := get(t, srv, "/adressen/"+a.ID+"?expand=adresseerbaarObject,panden", "Accept-Crs", "epsg:28992")
		wantStatus(t, r, 200, "application/hal+json")
		if got := str(r.body, "_links", "self", "href"); got != base+"/adressen/"+a.ID+"?expand=adresseerbaarObject,panden" {
			t.Errorf("self = %q, want the request URL", got)
		}
		vbo := at(r.body, "_embedded", "adresseerbaarObject", "verblijfsobject", "verblijfsobject")
		if str(vbo, "identificatie") != a.ObjectID || str(vbo, "type") != "Verblijfsobject" ||
			num(vbo, "oppervlakte") != float64(a.Surface) || str(vbo, "heeftAlsHoofdAdres") != a.ID ||
			str(vbo, "maaktDeelUitVan", 0) != b.ID || str(vbo, "gebruiksdoelen", 0) != a.Uses[0] ||
			num(vbo, "geometrie", "punt", "coordinates", 0) != a.X || str(vbo, "status") != a.Status {
			t.Errorf("embedded verblijfsobject = %v", vbo)
		}
		if got := str(r.body, "_embedded", "adresseerbaarObject", "verblijfsobject", "_links", "self", "href"); got != base+"/verblijfsobjecten/"+a.ObjectID {
			t.Errorf("embedded verblijfsobject self = %q", got)
		}
		p := at(r.body, "_embedded", "panden", 0, "pand")
		if str(p, "identificatie") != b.ID || str(p, "oorspronkelijkBouwjaar") != fmt.Sprint(b.YearBuilt) || str(p, "status") != b.Status {
			t.Errorf("embedded pand = %v", p)
		}
		for _, absent := range []string{"openbareRuimte", "nummeraanduiding", "woonplaats"} {
			if at(r.body, "_embedded", absent) != nil {
				t.Errorf("_embedded.%s present without being asked", absent)
			}
		}
		if r.header.Get("Content-Crs") != "epsg:28992" {
			t.Errorf("Content-Crs = %q", r.header.Get("Content-Crs"))
		}
	})
	t.Run("true embeds everything, names ignore case", func(t *testing.T) {
		for _, q := range []string{"true", "nummeraanduiding,openbareruimte,WOONPLAATS,adresseerbaarobject,panden"} {
			r := get(t, srv, "/adressen/"+a.ID+"?expand="+q)
			wantStatus(t, r, 200, "application/hal+json")
			if str(r.body, "_embedded", "nummeraanduiding", "nummeraanduiding", "identificatie") != a.ID ||
				str(r.body, "_embedded", "openbareRuimte", "openbareRuimte", "identificatie") != a.StreetID ||
				str(r.body, "_embedded", "woonplaats", "woonplaats", "identificatie") != a.PlaceID ||
				at(r.body, "_embedded", "adresseerbaarObject") == nil || at(r.body, "_embedded", "panden", 0) == nil {
				t.Errorf("expand=%s: _embedded = %v", q, r.body["_embedded"])
			}
			if str(r.body, "_embedded", "woonplaats", "_links", "self", "href") != base+"/woonplaatsen/"+a.PlaceID {
				t.Errorf("embedded woonplaats lacks its self link")
			}
		}
	})
}

func TestAddressSearch(t *testing.T) {
	pop := generate(t, 300)
	srv := serve(t, pop)
	a := addressWhere(t, pop, "the one dwelling at its postcode and house number", func(x *population.Address) bool {
		return len(x.BuildingIDs) == 1 && len(pop.AddressesByPostcode(x.Postcode, x.HouseNumber)) == 1
	})
	base := srv.URL + BasePath

	t.Run("postcode and house number", func(t *testing.T) {
		q := fmt.Sprintf("/adressen?postcode=%s&huisnummer=%d", strings.ToLower(a.Postcode), a.HouseNumber)
		r := get(t, srv, q)
		wantStatus(t, r, 200, "application/hal+json")
		if got := at(r.body, "_embedded", "adressen").([]any); len(got) != 1 || str(got[0], "nummeraanduidingIdentificatie") != a.ID {
			t.Fatalf("adressen = %v", got)
		}
		if str(r.body, "_links", "self", "href") != base+q {
			t.Errorf("self = %q", str(r.body, "_links", "self", "href"))
		}
		if str(r.body, "_embedded", "adressen", 0, "_links", "self", "href") != base+"/adressen/"+a.ID {
			t.Errorf("an address in a collection links to itself without the query")
		}
		for _, l := range []string{"first", "previous", "next", "last"} {
			if at(r.body, "_links", l) != nil {
				t.Errorf("_links.%s on a single page", l)
			}
		}
		if r.header.Get("X-Pagination-Page") != "1" || r.header.Get("X-Pagination-Limit") != "20" {
			t.Errorf("X-Pagination = %q, %q", r.header.Get("X-Pagination-Page"), r.header.Get("X-Pagination-Limit"))
		}
	})
	t.Run("place, street and house number", func(t *testing.T) {
		st, _ := pop.Street(a.StreetID)
		pl, _ := pop.Place(a.PlaceID)
		r := get(t, srv, fmt.Sprintf("/adressen?woonplaatsNaam=%s&openbareRuimteNaam=%s&huisnummer=%d",
			urlEscape(strings.ToUpper(pl.Name)), urlEscape(st.Name), a.HouseNumber))
		wantStatus(t, r, 200, "application/hal+json")
		if str(r.body, "_embedded", "adressen", 0, "nummeraanduidingIdentificatie") != a.ID {
			t.Errorf("adressen = %v", r.body["_embedded"])
		}
	})
	t.Run("adresseerbaar object with expand", func(t *testing.T) {
		r := get(t, srv, "/adressen?adresseerbaarObjectIdentificatie="+a.ObjectID+"&expand=adresseerbaarObject")
		wantStatus(t, r, 200, "application/hal+json")
		if str(r.body, "_embedded", "adressen", 0, "_embedded", "adresseerbaarObject", "verblijfsobject", "verblijfsobject", "identificatie") != a.ObjectID {
			t.Errorf("adressen = %v", r.body["_embedded"])
		}
	})
	t.Run("pand", func(t *testing.T) {
		id := a.BuildingIDs[0]
		want := 0
		for _, x := range pop.Addresses {
			if x.BuildingIDs[0] == id {
				want++
			}
		}
		r := get(t, srv, "/adressen?pandIdentificatie="+id+"&pageSize=100")
		wantStatus(t, r, 200, "application/hal+json")
		if got := len(at(r.body, "_embedded", "adressen").([]any)); got != want {
			t.Errorf("%d adressen, want %d", got, want)
		}
	})
	t.Run("nothing found", func(t *testing.T) {
		r := get(t, srv, "/adressen?postcode=9999ZZ&huisnummer=1")
		wantStatus(t, r, 200, "application/hal+json")
		if _, ok := r.body["_embedded"]; ok {
			t.Errorf("an empty result has a collection: %s", r.raw)
		}
		if str(r.body, "_links", "self", "href") == "" {
			t.Error("no self link")
		}
	})
}

func urlEscape(s string) string { return strings.NewReplacer(" ", "%20", "'", "%27").Replace(s) }

// crafted builds a population of the addresses at one building, so the
// tests can hold the BAG features' own examples.
type craftedAddress struct {
	postcode string
	number   int
	letter   string
	addition string
	id       string
}

func crafted(addresses []craftedAddress) *population.Population {
	p := &population.Population{
		ReferenceDate: population.DateOf(refDate),
		Places:        []population.Place{{ID: "1142", Name: "Nootdorp", MunicipalityCode: "1926"}},
		Streets:       []population.Street{{ID: "1926300000479027", Name: "Dorpsstraat", ShortName: "Dorpsstraat", PlaceID: "1142"}},
		Buildings:     []population.Building{{ID: "1926100000485708", YearBuilt: 1914, Status: "Pand in gebruik", X: 85000, Y: 449000}},
	}
	for _, c := range addresses {
		p.Addresses = append(p.Addresses, population.Address{
			ID: c.id, ObjectID: c.id[:4] + "01" + c.id[6:], BuildingIDs: []string{"1926100000485708"},
			StreetID: "1926300000479027", HouseNumber: c.number, HouseLetter: c.letter, Addition: c.addition,
			Postcode: c.postcode, PlaceID: "1142", MunicipalityCode: "1926", Surface: 80,
			Uses: []string{"woonfunctie"}, Status: "Verblijfsobject in gebruik", X: 85001, Y: 449001,
		})
	}
	p.Index()
	return p
}

func TestExacteMatch(t *testing.T) {
	// The background of exacte_match.feature.
	pop := crafted([]craftedAddress{
		{"2391PH", 1, "", "", "1672200000008468"},
		{"2391PH", 1, "A", "", "1672200000009028"},
		{"2391PH", 1, "A", "1", "0484200002040487"},
		{"2391PH", 1, "A", "7", "0484200002040493"},
		{"2391PH", 1, "B", "", "1672200000009029"},
		{"2594AN", 265, "A", "", "0518200000452568"},
		{"2594AN", 265, "A", "2", "0518200000620759"},
		{"2594AN", 265, "B", "2", "0518200001647715"},
		{"2594AN", 265, "C", "2", "0518200001664066"},
		{"7411CC", 36, "", "", "0150200000052413"},
		{"7411CC", 36, "", "", "0150200000039067"},
		{"1015DT", 237, "A", "V", "0363200000459979"},
		{"1015DT", 237, "C", "A", "0363200000459980"},
		{"3581KL", 49, "", "A", "0344200000172058"},
	})
	srv := serve(t, pop)
	tests := []struct {
		query string
		want  []string
	}{
		{"postcode=2391PH&huisnummer=1", []string{"1672200000008468", "1672200000009028", "0484200002040487", "0484200002040493", "1672200000009029"}},
		{"postcode=2391PH&huisnummer=1&exacteMatch=true", []string{"1672200000008468"}},
		{"postcode=1015DT&huisnummer=237&huisletter=A", []string{"0363200000459979"}},
		{"postcode=1015DT&huisnummer=237&huisletter=A&exacteMatch=true", nil},
		{"postcode=2594AN&huisnummer=265&huisletter=a", []string{"0518200000452568", "0518200000620759"}},
		{"postcode=2594AN&huisnummer=265&huisletter=A&exacteMatch=true", []string{"0518200000452568"}},
		{"postcode=3581KL&huisnummer=49&huisletter=A", nil},
		{"postcode=2594AN&huisnummer=265&huisnummertoevoeging=2", []string{"0518200000620759", "0518200001647715", "0518200001664066"}},
		{"postcode=2594AN&huisnummer=265&huisnummertoevoeging=2&exacteMatch=true", nil},
		{"postcode=3581KL&huisnummer=49&huisnummertoevoeging=A&exacteMatch=true", []string{"0344200000172058"}},
		{"postcode=1015DT&huisnummer=237&huisnummertoevoeging=a", []string{"0363200000459980"}},
		{"postcode=2391PH&huisnummer=1&huisletter=A&huisnummertoevoeging=7&exacteMatch=true", []string{"0484200002040493"}},
		{"postcode=7411CC&huisnummer=36&exacteMatch=true", []string{"0150200000039067", "0150200000052413"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := get(t, srv, "/adressen?"+tt.query)
			wantStatus(t, r, 200, "application/hal+json")
			var got []string
			list, _ := at(r.body, "_embedded", "adressen").([]any)
			for _, a := range list {
				got = append(got, str(a, "nummeraanduidingIdentificatie"))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPaging(t *testing.T) {
	// 72 addresses in one pand, as in paginering.feature.
	var as []craftedAddress
	for i := 1; i <= 72; i++ {
		as = append(as, craftedAddress{"2631CR", i, "", "", fmt.Sprintf("19262000005%05d", i)})
	}
	srv := serve(t, crafted(as))
	base := srv.URL + BasePath + "/adressen?pandIdentificatie=1926100000485708"
	ids := func(r response) []string {
		var out []string
		for _, a := range at(r.body, "_embedded", "adressen").([]any) {
			out = append(out, fmt.Sprint(num(a, "huisnummer")))
		}
		return out
	}
	tests := []struct {
		query                         string
		first, last                   string
		self, fst, prev, next, lastLn string
	}{
		{"", "1", "20", base, "", "", base + "&page=2", base + "&page=4"},
		{"&page=1", "1", "20", base + "&page=1", "", "", base + "&page=2", base + "&page=4"},
		{"&page=3", "41", "60", base + "&page=3", base + "&page=1", base + "&page=2", base + "&page=4", base + "&page=4"},
		{"&page=4", "61", "72", base + "&page=4", base + "&page=1", base + "&page=3", "", ""},
		{"&page=3&pageSize=15", "31", "45", base + "&page=3&pageSize=15",
			base + "&pageSize=15&page=1", base + "&pageSize=15&page=2", base + "&pageSize=15&page=4", base + "&pageSize=15&page=5"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := get(t, srv, "/adressen?pandIdentificatie=1926100000485708"+tt.query)
			wantStatus(t, r, 200, "application/hal+json")
			got := ids(r)
			if got[0] != tt.first || got[len(got)-1] != tt.last {
				t.Errorf("results %s..%s, want %s..%s", got[0], got[len(got)-1], tt.first, tt.last)
			}
			for name, want := range map[string]string{"self": tt.self, "first": tt.fst, "previous": tt.prev, "next": tt.next, "last": tt.lastLn} {
				if got := str(r.body, "_links", name, "href"); got != want {
					t.Errorf("_links.%s = %q, want %q", name, got, want)
				}
			}
		})
	}
	t.Run("past the last page", func(t *testing.T) {
		r := get(t, srv, "/adressen?pandIdentificatie=1926100000485708&page=15")
		wantStatus(t, r, 400, "application/problem+json")
		if str(r.body, "invalid-params", 0, "name") != "page" || str(r.body, "invalid-params", 0, "code") != "page" ||
			str(r.body, "invalid-params", 0, "reason") != "De opgegeven pagina bestaat niet." {
			t.Errorf("body = %s", r.raw)
		}
	})
}

func TestObjects(t *testing.T) {
	pop := generate(t, 300)
	srv := serve(t, pop)
	a := dwelling(t, pop)
	b, _ := pop.Building(a.BuildingIDs[0])
	base := srv.URL + BasePath

	t.Run("adresseerbaar object", func(t *testing.T) {
		r := get(t, srv, "/adresseerbareobjecten/"+a.ObjectID, "Accept-Crs", "epsg:28992")
		wantStatus(t, r, 200, "application/hal+json")
		v := at(r.body, "verblijfsobject", "verblijfsobject")
		if str(v, "identificatie") != a.ObjectID || str(v, "domein") != "NL.IMBAG.Verblijfsobject" ||
			str(v, "geometrie", "punt", "type") != "Point" || num(v, "geometrie", "punt", "coordinates", 1) != a.Y ||
			str(v, "geconstateerd") != "N" || str(v, "documentdatum") == "" || str(v, "documentnummer") == "" ||
			num(v, "voorkomen", "versie") != 1 || str(v, "voorkomen", "beginGeldigheid") == "" ||
			str(v, "voorkomen", "tijdstipRegistratie") == "" || str(v, "voorkomen", "tijdstipRegistratieLV") == "" {
			t.Errorf("verblijfsobject = %v", v)
		}
		if str(r.body, "verblijfsobject", "_links", "heeftAlsHoofdAdres", "href") != base+"/nummeraanduidingen/"+a.ID ||
			str(r.body, "verblijfsobject", "_links", "maaktDeelUitVan", 0, "href") != base+"/panden/"+b.ID {
			t.Errorf("_links = %v", at(r.body, "verblijfsobject", "_links"))
		}
		if at(r.body, "verblijfsobject", "_embedded") != nil {
			t.Error("_embedded without expand")
		}
		if r.header.Get("Content-Crs") != "epsg:28992" {
			t.Errorf("Content-Crs = %q", r.header.Get("Content-Crs"))
		}
	})
	t.Run("verblijfsobject with expand", func(t *testing.T) {
		r := get(t, srv, "/verblijfsobjecten/"+a.ObjectID+"?expand=heeftAlsHoofdAdres,maaktDeelUitVan")
		wantStatus(t, r, 200, "application/hal+json")
		if str(r.body, "verblijfsobject", "identificatie") != a.ObjectID ||
			str(r.body, "_links", "self", "href") != base+"/verblijfsobjecten/"+a.ObjectID+"?expand=heeftAlsHoofdAdres,maaktDeelUitVan" ||
			str(r.body, "_embedded", "heeftAlsHoofdAdres", "nummeraanduiding", "identificatie") != a.ID ||
			str(r.body, "_embedded", "maaktDeelUitVan", 0, "pand", "identificatie") != b.ID {
			t.Errorf("body = %s", r.raw)
		}
	})
	t.Run("pand", func(t *testing.T) {
		r := get(t, srv, "/panden/"+b.ID)
		wantStatus(t, r, 200, "application/hal+json")
		p := r.body["pand"]
		ring, _ := at(p, "geometrie", "coordinates", 0).([]any)
		if str(p, "identificatie") != b.ID || str(p, "oorspronkelijkBouwjaar") != fmt.Sprint(b.YearBuilt) ||
			str(p, "status") != b.Status || str(p, "geometrie", "type") != "Polygon" || len(ring) != 5 ||
			fmt.Sprint(ring[0]) != fmt.Sprint(ring[4]) || str(p, "domein") != "NL.IMBAG.Pand" {
			t.Errorf("pand = %v", p)
		}
		if str(r.body, "_links", "self", "href") != base+"/panden/"+b.ID {
			t.Errorf("_links = %v", r.body["_links"])
		}
	})
	t.Run("time travel", func(t *testing.T) {
		if r := get(t, srv, "/panden/"+b.ID+"?geldigOp=2000-01-01"); r.status != 404 {
			t.Errorf("geldigOp before the first voorkomen: status %d", r.status)
		}
		if r := get(t, srv, "/verblijfsobjecten/"+a.ObjectID+"?geldigOp=2026-11-27&beschikbaarOp=2026-11-27T12:00"); r.status != 200 {
			t.Errorf("geldigOp today: status %d", r.status)
		}
	})
}

func TestErrors(t *testing.T) {
	pop := generate(t, 300)
	srv := serve(t, pop)
	a := dwelling(t, pop)
	type param struct{ name, code, reason string }
	tests := []struct {
		name   string
		method string
		path   string
		header []string
		status int
		code   string
		title  string
		params []param
	}{
		{"no parameters", "GET", "/adressen", nil, 400, "paramsRequired", titleParamsRequired, nil},
		{"letter and addition alone", "GET", "/adressen?huisletter=a&huisnummertoevoeging=II", nil, 400, "paramsRequired", titleParamsRequired, nil},
		{"only paging and expand", "GET", "/adressen?page=1&pageSize=20&expand=adresseerbaarObject", nil, 400, "paramsRequired", titleParamsRequired, nil},
		{"parameter without a value", "GET", "/adressen?postcode=&huisnummer=1", nil, 400, "paramsRequired", titleParamsRequired, nil},
		{"postcode alone", "GET", "/adressen?postcode=2391PH", nil, 400, "paramsCombination", titleParamsCombination, nil},
		{"house number alone", "GET", "/adressen?huisnummer=3&huisletter=a&huisnummertoevoeging=2", nil, 400, "paramsCombination", titleParamsCombination, nil},
		{"street without place", "GET", "/adressen?openbareRuimteNaam=Dam&huisnummer=1", nil, 400, "paramsCombination", titleParamsCombination, nil},
		{"pand and object", "GET", "/adressen?pandIdentificatie=0226100000008856&adresseerbaarObjectIdentificatie=0226010000038820", nil, 400, "unsupportedCombination", titleUnsupported, nil},
		{"pand and postcode", "GET", "/adressen?pandIdentificatie=0226100000008856&postcode=4904AM", nil, 400, "unsupportedCombination", titleUnsupported, nil},
		{"pand and house number", "GET", "/adressen?pandIdentificatie=0226100000008856&huisnummer=633", nil, 400, "unsupportedCombination", titleUnsupported, nil},
		{"not an integer", "GET", "/adressen?postcode=1234aa&huisnummer=a", nil, 400, "paramsValidation", titleParamsValidation,
			[]param{{"huisnummer", "integer", "Waarde is geen geldige integer."}}},
		{"a wrong type is reported alone", "GET", "/adressen?postcode=1234AA&huisnummer=a&huisletter=3", nil, 400, "paramsValidation", titleParamsValidation,
			[]param{{"huisnummer", "integer", "Waarde is geen geldige integer."}}},
		{"all range and pattern errors", "GET", "/adressen?postcode=1234AA&huisnummer=999999&huisletter=AA", nil, 400, "paramsValidation", titleParamsValidation,
			[]param{{"huisnummer", "maximum", "Waarde is hoger dan maximum 99999."}, {"huisletter", "pattern", "Waarde voldoet niet aan patroon ^[a-zA-Z]{1}$."}}},
		{"pand pattern", "GET", "/adressen?pandIdentificatie=0345100002016017X", nil, 400, "paramsValidation", titleParamsValidation,
			[]param{{"pandIdentificatie", "pattern", "Waarde voldoet niet aan patroon ^[0-9]{4}10[0-9]{10}$."}}},
		{"page not an integer", "GET", "/adressen?pandIdentificatie=0345100002016017&page=a", nil, 400, "paramsValidation", titleParamsValidation,
			[]param{{"page", "integer", "Waarde is geen geldige integer."}}},
		{"page size too small", "GET", "/adressen?pandIdentificatie=0345100002016017&pageSize=5", nil, 400, "paramsValidation", titleParamsValidation,
			[]param{{"pageSize", "minimum", "Waarde is lager dan minimum 10."}}},
		{"postcode pattern", "GET", "/adressen?postcode=123aa&huisnummer=1", nil, 400, "paramsValidation", titleParamsValidation,
			[]param{{"postcode", "pattern", "Waarde voldoet niet aan patroon ^[1-9]{1}[0-9]{3}[a-zA-Z]{2}$."}}},
		{"unknown expands", "GET", "/adressen/" + a.ID + "?expand=bestaatniet,bestaatookniet", nil, 400, "paramsValidation", titleParamsValidation,
			[]param{{"expand", "expand", "Deel van de parameterwaarde is niet correct: bestaatniet."}, {"expand", "expand", "Deel van de parameterwaarde is niet correct: bestaatookniet."}}},
		{"empty expand", "GET", "/adressen/" + a.ID + "?expand=", nil, 400, "paramsValidation", titleParamsValidation,
			[]param{{"expand", "expand", "Deel van de parameterwaarde is niet correct: ."}}},
		{"nummeraanduiding pattern", "GET", "/adressen/0599010000208579", nil, 400, "paramsValidation", titleParamsValidation,
			[]param{{"nummeraanduidingidentificatie", "pattern", "Waarde voldoet niet aan patroon ^[0-9]{4}20[0-9]{10}$."}}},
		{"object pattern", "GET", "/adresseerbareobjecten/0599040000", nil, 400, "paramsValidation", titleParamsValidation,
			[]param{{"adresseerbaarobjectidentificatie", "pattern", "Waarde voldoet niet aan patroon ^[0-9]{4}(01|02|03)[0-9]{10}$."}}},
		{"not a date", "GET", "/panden/9999100000117766?geldigOp=23-04-2019", nil, 400, "paramsValidation", titleParamsValidation,
			[]param{{"geldigOp", "date", "Waarde is geen geldige datum."}}},
		{"pand expand", "GET", "/panden/9999100000117766?expand=maaktDeelUitVan", nil, 400, "paramsValidation", titleParamsValidation,
			[]param{{"expand", "expand", "Deel van de parameterwaarde is niet correct: maaktDeelUitVan."}}},
		{"unknown address", "GET", "/adressen/0599200000219678", nil, 404, "notFound", titleNotFound, nil},
		{"unknown object", "GET", "/adresseerbareobjecten/1599010000048400", nil, 404, "notFound", titleNotFound, nil},
		{"unknown pand", "GET", "/panden/9999100000117766", nil, 404, "notFound", titleNotFound, nil},
		{"ligplaats", "GET", "/adresseerbareobjecten/0569020000012435", nil, 404, "notFound", titleNotFound, nil},
		{"trailing slash on a collection", "GET", "/adressen/?postcode=2391PH&huisnummer=1", nil, 404, "notFound", titleNotFound, nil},
		{"trailing slash on a resource", "GET", "/adressen/" + a.ID + "/", nil, 404, "notFound", titleNotFound, nil},
		{"endpoint left out", "GET", "/woonplaatsen/3594", nil, 404, "notFound", titleNotFound, nil},
		{"free text search left out", "GET", "/adressen/zoek?zoek=Dam", nil, 404, "notFound", titleNotFound, nil},
		{"POST", "POST", "/panden/9999100000117766", nil, 405, "methodNotAllowed", titleMethodNotAllowed, nil},
		{"DELETE", "DELETE", "/adressen/" + a.ID, nil, 405, "methodNotAllowed", titleMethodNotAllowed, nil},
		{"Accept application/json", "GET", "/adressen/" + a.ID, []string{"Accept", "application/json"}, 406, "notAcceptable", titleNotAcceptable, nil},
		{"Accept application/xml", "GET", "/adressen/" + a.ID, []string{"Accept", "application/xml"}, 406, "notAcceptable", titleNotAcceptable, nil},
		{"HAL refused by q=0", "GET", "/adressen/" + a.ID, []string{"Accept", "application/hal+json;q=0, text/html"}, 406, "notAcceptable", titleNotAcceptable, nil},
		{"another CRS", "GET", "/adresseerbareobjecten/" + a.ObjectID, []string{"Accept-Crs", "epsg:4326"}, 406, "crsNotAcceptable",
			"Gevraagde coördinatenstelsel epsg:4326 wordt niet ondersteund.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, tt.method, tt.path, tt.header...)
			wantStatus(t, r, tt.status, "application/problem+json")
			if num(r.body, "status") != float64(tt.status) || str(r.body, "code") != tt.code || str(r.body, "title") != tt.title {
				t.Errorf("status, code, title = %v, %v, %v; want %d, %s, %s", r.body["status"], r.body["code"], r.body["title"], tt.status, tt.code, tt.title)
			}
			if str(r.body, "instance") != srv.URL+BasePath+tt.path {
				t.Errorf("instance = %q", str(r.body, "instance"))
			}
			if str(r.body, "type") == "" || str(r.body, "detail") == "" {
				t.Errorf("type or detail missing: %s", r.raw)
			}
			var got []param
			list, _ := r.body["invalid-params"].([]any)
			for _, p := range list {
				got = append(got, param{str(p, "name"), str(p, "code"), str(p, "reason")})
				if !strings.HasPrefix(str(p, "type"), "https://") {
					t.Errorf("invalid param without a type: %v", p)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.params) {
				t.Errorf("invalid-params = %v, want %v", got, tt.params)
			}
			if tt.status == 405 && r.header.Get("Allow") != "GET" {
				t.Errorf("Allow = %q", r.header.Get("Allow"))
			}
			if tt.code == "methodNotAllowed" && str(r.body, "detail") != "Method not allowed" {
				t.Errorf("detail = %q", str(r.body, "detail"))
			}
		})
	}
	t.Run("accepted media ranges", func(t *testing.T) {
		for _, accept := range []string{"application/hal+json", "*/*", "application/*", "application/hal+json, application/problem+json", ""} {
			if r := get(t, srv, "/adressen/"+a.ID, "Accept", accept); r.status != 200 {
				t.Errorf("Accept %q: status %d", accept, r.status)
			}
		}
	})
	t.Run("outside the base path", func(t *testing.T) {
		resp, err := srv.Client().Get(srv.URL + "/adressen/" + a.ID)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
}

func TestConcurrentRequests(t *testing.T) {
	pop := generate(t, 300)
	srv := serve(t, pop)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func(a *population.Address) {
			defer wg.Done()
			resp, err := srv.Client().Get(srv.URL + BasePath + "/adressen/" + a.ID + "?expand=true")
			if err != nil {
				errs <- err
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				errs <- fmt.Errorf("status %d", resp.StatusCode)
			}
		}(&pop.Addresses[i%len(pop.Addresses)])
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// BenchmarkAddressSearch measures the mock over a population of the load
// tests' size, without the network.
func BenchmarkAddressSearch(b *testing.B) {
	pop := generate(b, 100_000)
	h := New(pop)
	paths := make([]string, 0, 1024)
	for i := 0; i < 1024; i++ {
		a := &pop.Addresses[(i*7919)%len(pop.Addresses)]
		paths = append(paths, fmt.Sprintf("%s/adressen?postcode=%s&huisnummer=%d", BasePath, a.Postcode, a.HouseNumber))
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, paths[i%len(paths)], nil))
			if w.Code != 200 {
				b.Fatalf("status %d", w.Code)
			}
			i++
		}
	})
}
