package brp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poort-nl/poort/mocks/population"
)

var refDate = time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)

func generate(t testing.TB, size int) *population.Population {
	t.Helper()
	pop, err := population.Generate(population.Config{Seed: 11, Size: size, ReferenceDate: refDate})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return pop
}

// result is a decoded answer.
type result struct {
	status      int
	contentType string
	body        map[string]any
}

func post(t testing.TB, h http.Handler, path, body string, header ...string) result {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	r := result{status: rec.Code, contentType: rec.Header().Get("Content-Type")}
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &r.body); err != nil {
			t.Fatalf("answer is not a JSON object: %v: %s", err, rec.Body.String())
		}
	}
	return r
}

func query(typ string, params map[string]any, fields ...string) string {
	m := map[string]any{"type": typ}
	for k, v := range params {
		m[k] = v
	}
	if fields != nil {
		m["fields"] = fields
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// get walks a decoded JSON value along a dotted path; numbers index arrays.
func get(v any, path string) any {
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[seg]
		case []any:
			var i int
			if _, err := fmt.Sscan(seg, &i); err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func personen(t testing.TB, r result) []any {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %v", r.status, r.body)
	}
	if r.contentType != "application/json; charset=utf-8" {
		t.Fatalf("content type %q", r.contentType)
	}
	ps, ok := r.body["personen"].([]any)
	if !ok {
		t.Fatalf("no personen array: %v", r.body)
	}
	return ps
}

func keys(v any) []string {
	m, _ := v.(map[string]any)
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return sortStrings(out)
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// family finds a living person with two parents, a partner and children.
func family(t *testing.T, pop *population.Population) *population.Person {
	t.Helper()
	for i := range pop.Persons {
		p := &pop.Persons[i]
		if p.Alive() && len(p.Parents) == 2 && p.Partner != nil && len(p.Children) > 0 && p.AddressID != "" {
			return p
		}
	}
	t.Fatal("no person with parents, partner and children")
	return nil
}

func TestRaadpleegMapsThePopulation(t *testing.T) {
	pop := generate(t, 600)
	h := New(pop)
	p := family(t, pop)
	r := post(t, h, PersonenPath, query("RaadpleegMetBurgerservicenummer",
		map[string]any{"burgerservicenummer": []string{p.BSN}},
		"aNummer", "burgerservicenummer", "naam", "geslacht", "geboorte", "leeftijd", "verblijfplaats",
		"gemeenteVanInschrijving", "adressering", "nationaliteiten", "ouders", "kinderen", "partners"))
	ps := personen(t, r)
	if len(ps) != 1 {
		t.Fatalf("%d personen, want 1", len(ps))
	}
	got := ps[0]
	eq(t, "type", r.body["type"], "RaadpleegMetBurgerservicenummer")
	eq(t, "burgerservicenummer", get(got, "burgerservicenummer"), p.BSN)
	eq(t, "aNummer", get(got, "aNummer"), p.ANumber)
	eq(t, "naam.voornamen", get(got, "naam.voornamen"), p.GivenNames)
	eq(t, "naam.geslachtsnaam", get(got, "naam.geslachtsnaam"), p.Surname)
	eq(t, "naam.volledigeNaam", get(got, "naam.volledigeNaam"), strings.Join(strings.Fields(p.GivenNames+" "+p.Prefix+" "+p.Surname), " "))
	eq(t, "naam.aanduidingNaamgebruik.code", get(got, "naam.aanduidingNaamgebruik.code"), "E")
	eq(t, "geslacht.code", get(got, "geslacht.code"), p.Gender)
	eq(t, "geboorte.datum.type", get(got, "geboorte.datum.type"), "Datum")
	eq(t, "geboorte.datum.datum", get(got, "geboorte.datum.datum"), p.BirthDate.ISO())
	eq(t, "geboorte.land.code", get(got, "geboorte.land.code"), p.BirthCountry)
	birth, _ := p.BirthDate.Time()
	eq(t, "leeftijd", get(got, "leeftijd"), age(birth, refDate))

	a, _ := pop.Address(p.AddressID)
	st, _ := pop.Street(a.StreetID)
	pl, _ := pop.Place(a.PlaceID)
	eq(t, "verblijfplaats.type", get(got, "verblijfplaats.type"), "Adres")
	eq(t, "officieleStraatnaam", get(got, "verblijfplaats.verblijfadres.officieleStraatnaam"), st.Name)
	eq(t, "korteStraatnaam", get(got, "verblijfplaats.verblijfadres.korteStraatnaam"), st.ShortName)
	eq(t, "huisnummer", get(got, "verblijfplaats.verblijfadres.huisnummer"), a.HouseNumber)
	eq(t, "postcode", get(got, "verblijfplaats.verblijfadres.postcode"), a.Postcode)
	eq(t, "woonplaats", get(got, "verblijfplaats.verblijfadres.woonplaats"), pl.Name)
	eq(t, "nummeraanduidingIdentificatie", get(got, "verblijfplaats.nummeraanduidingIdentificatie"), a.ID)
	eq(t, "adresseerbaarObjectIdentificatie", get(got, "verblijfplaats.adresseerbaarObjectIdentificatie"), a.ObjectID)
	eq(t, "functieAdres.code", get(got, "verblijfplaats.functieAdres.code"), "W")
	eq(t, "datumVan", get(got, "verblijfplaats.datumVan.datum"), p.AddressSince.ISO())
	eq(t, "gemeenteVanInschrijving.code", get(got, "gemeenteVanInschrijving.code"), p.MunicipalityCode)
	eq(t, "adresregel1", get(got, "adressering.adresregel1"), fmt.Sprintf("%s %d", st.ShortName, a.HouseNumber))
	eq(t, "adresregel2", get(got, "adressering.adresregel2"), a.Postcode[:4]+" "+a.Postcode[4:]+"  "+strings.ToUpper(pl.Name))
	eq(t, "nationaliteiten count", len(get(got, "nationaliteiten").([]any)), len(p.Nationalities))
	for i, n := range p.Nationalities {
		base := fmt.Sprintf("nationaliteiten.%d.", i)
		eq(t, base+"type", get(got, base+"type"), "Nationaliteit")
		eq(t, base+"nationaliteit.code", get(got, base+"nationaliteit.code"), n)
		eq(t, base+"nationaliteit.omschrijving", get(got, base+"nationaliteit.omschrijving"), nationaliteiten[n])
	}

	for i, bsn := range p.Parents {
		q, _ := pop.Person(bsn)
		base := fmt.Sprintf("ouders.%d.", i)
		eq(t, base+"burgerservicenummer", get(got, base+"burgerservicenummer"), bsn)
		eq(t, base+"ouderAanduiding", get(got, base+"ouderAanduiding"), fmt.Sprint(i+1))
		eq(t, base+"naam.geslachtsnaam", get(got, base+"naam.geslachtsnaam"), q.Surname)
		eq(t, base+"geslacht.code", get(got, base+"geslacht.code"), q.Gender)
		eq(t, base+"geboorte.datum.datum", get(got, base+"geboorte.datum.datum"), q.BirthDate.ISO())
		if get(got, base+"naam.volledigeNaam") != nil {
			t.Errorf("%snaam has volledigeNaam; NaamGerelateerde has none", base)
		}
	}
	eq(t, "kinderen count", len(get(got, "kinderen").([]any)), len(p.Children))
	eq(t, "kinderen.0.burgerservicenummer", get(got, "kinderen.0.burgerservicenummer"), p.Children[0])
	eq(t, "partners count", len(get(got, "partners").([]any)), 1)
	eq(t, "partners.0.burgerservicenummer", get(got, "partners.0.burgerservicenummer"), p.Partner.BSN)
	eq(t, "partners.0.soortVerbintenis.code", get(got, "partners.0.soortVerbintenis.code"), p.Partner.Kind)
	eq(t, "partners.0.aangaanHuwelijkPartnerschap.datum.datum", get(got, "partners.0.aangaanHuwelijkPartnerschap.datum.datum"), p.Partner.Since.ISO())
}

func TestFieldsAreHonouredExactly(t *testing.T) {
	pop := generate(t, 300)
	h := New(pop)
	p := family(t, pop)
	ask := func(fields ...string) map[string]any {
		t.Helper()
		ps := personen(t, post(t, h, PersonenPath, query("RaadpleegMetBurgerservicenummer",
			map[string]any{"burgerservicenummer": []string{p.BSN}}, fields...)))
		if len(ps) != 1 {
			t.Fatalf("%d personen, want 1", len(ps))
		}
		return ps[0].(map[string]any)
	}
	naamKeys := []string{"aanduidingNaamgebruik", "geslachtsnaam", "volledigeNaam", "voorletters", "voornamen"}
	if p.Prefix != "" {
		naamKeys = append(naamKeys, "voorvoegsel")
	}
	tests := []struct {
		name   string
		fields []string
		want   map[string][]string // path → its keys
	}{
		{"a root field", []string{"aNummer"}, map[string][]string{"": {"aNummer"}}},
		{"a whole group", []string{"naam"}, map[string][]string{"naam": naamKeys}},
		{"one field of a group", []string{"naam.voornamen"}, map[string][]string{"": {"naam"}, "naam": {"voornamen"}}},
		{"a Waardetabel sub-field gives the Waardetabel", []string{"geslacht.omschrijving"}, map[string][]string{
			"geslacht": {"code", "omschrijving"}}},
		{"a date sub-field gives the date", []string{"geboorte.datum.jaar"}, map[string][]string{
			"geboorte": {"datum"}, "geboorte.datum": {"datum", "langFormaat", "type"}}},
		{"a polymorphic group keeps its type", []string{"verblijfplaats.verblijfadres.postcode"}, map[string][]string{
			"verblijfplaats": {"type", "verblijfadres"}, "verblijfplaats.verblijfadres": {"postcode"}}},
		{"a field of a collection", []string{"partners.burgerservicenummer"}, map[string][]string{
			"partners.0": {"burgerservicenummer"}}},
		{"verblijfplaatsBinnenland answers as verblijfplaats", []string{"verblijfplaatsBinnenland.functieAdres"}, map[string][]string{
			"": {"verblijfplaats"}, "verblijfplaats": {"functieAdres", "type"}}},
		{"a field without a value is left out", []string{"naam.adellijkeTitelPredicaat"}, map[string][]string{"": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ask(tt.fields...)
			for path, want := range tt.want {
				var v any = got
				if path != "" {
					v = get(got, path)
				}
				eq(t, "keys of "+path, keys(v), sortStrings(want))
			}
		})
	}
}

func TestAutomaticallyDeliveredFields(t *testing.T) {
	pop := generate(t, 1200)
	var secret *population.Person
	for i := range pop.Persons {
		if pop.Persons[i].Secret && pop.Persons[i].Alive() {
			secret = &pop.Persons[i]
			break
		}
	}
	if secret == nil {
		t.Fatal("no person with secrecy in the population")
	}
	dead, _ := pop.Person(pop.Scenarios.Deceased)
	h := New(pop)

	ps := personen(t, post(t, h, PersonenPath, query("RaadpleegMetBurgerservicenummer",
		map[string]any{"burgerservicenummer": []string{secret.BSN, dead.BSN}}, "burgerservicenummer", "overlijden", "leeftijd")))
	if len(ps) != 2 {
		t.Fatalf("%d personen, want 2 (the deceased are returned)", len(ps))
	}
	eq(t, "geheimhoudingPersoonsgegevens", get(ps[0], "geheimhoudingPersoonsgegevens"), true)
	eq(t, "opschortingBijhouding of the living", get(ps[0], "opschortingBijhouding"), nil)
	eq(t, "opschortingBijhouding.reden.code", get(ps[1], "opschortingBijhouding.reden.code"), "O")
	eq(t, "opschortingBijhouding.reden.omschrijving", get(ps[1], "opschortingBijhouding.reden.omschrijving"), "overlijden")
	eq(t, "opschortingBijhouding.datum.datum", get(ps[1], "opschortingBijhouding.datum.datum"), dead.DeathDate.ISO())
	eq(t, "overlijden.datum.datum", get(ps[1], "overlijden.datum.datum"), dead.DeathDate.ISO())
	eq(t, "leeftijd of the deceased", get(ps[1], "leeftijd"), nil)
}

// A place of birth abroad is a table value the BRP gives by its
// description alone; one in the Netherlands has the municipality's code
// and name.
func TestPlaceOfBirth(t *testing.T) {
	pop := generate(t, 1000)
	h := New(pop)
	var here, abroad *population.Person
	for i := range pop.Persons {
		switch p := &pop.Persons[i]; {
		case here == nil && p.BirthCountry == landNederland:
			here = p
		case abroad == nil && p.BirthCountry != landNederland:
			abroad = p
		}
	}
	if here == nil || abroad == nil {
		t.Fatal("the population has no person born here and no person born abroad")
	}
	ps := personen(t, post(t, h, PersonenPath, query("RaadpleegMetBurgerservicenummer",
		map[string]any{"burgerservicenummer": []string{here.BSN, abroad.BSN}}, "geboorte.plaats", "geboorte.land")))
	if len(ps) != 2 {
		t.Fatalf("%d personen, want 2", len(ps))
	}
	eq(t, "plaats here", get(ps[0], "geboorte.plaats"), map[string]any{"code": here.BirthPlaceCode, "omschrijving": here.BirthPlace})
	eq(t, "land here", get(ps[0], "geboorte.land"), map[string]any{"code": landNederland, "omschrijving": "Nederland"})
	eq(t, "plaats abroad", get(ps[1], "geboorte.plaats"), map[string]any{"omschrijving": abroad.BirthPlace})
	eq(t, "land abroad", get(ps[1], "geboorte.land"), map[string]any{"code": abroad.BirthCountry, "omschrijving": landen[abroad.BirthCountry]})
}

// Every country and nationality the population gives a person comes with
// its description from the national tables.
func TestCodeTablesCoverThePopulation(t *testing.T) {
	for _, o := range population.Origins() {
		if landen[o.Country] == "" || nationaliteiten[o.Nationality] == "" {
			t.Errorf("country %s or nationality %s has no description", o.Country, o.Nationality)
		}
	}
}

func TestUnknownBSNIsAnEmptyAnswer(t *testing.T) {
	h := New(generate(t, 100))
	ps := personen(t, post(t, h, PersonenPath, query("RaadpleegMetBurgerservicenummer",
		map[string]any{"burgerservicenummer": []string{"123456782"}}, "burgerservicenummer")))
	if len(ps) != 0 {
		t.Fatalf("%d personen, want 0", len(ps))
	}
}

func TestGemeenteVanInschrijvingFilters(t *testing.T) {
	pop := generate(t, 300)
	p := family(t, pop)
	h := New(pop)
	other := "0000"
	if p.MunicipalityCode == other {
		other = "0001"
	}
	for code, want := range map[string]int{p.MunicipalityCode: 1, other: 0} {
		ps := personen(t, post(t, h, PersonenPath, query("RaadpleegMetBurgerservicenummer",
			map[string]any{"burgerservicenummer": []string{p.BSN}, "gemeenteVanInschrijving": code}, "burgerservicenummer")))
		eq(t, "personen in "+code, len(ps), want)
	}
}

func TestDates(t *testing.T) {
	tests := []struct {
		in   population.Date
		want string
	}{
		{"19561115", "map[datum:1956-11-15 langFormaat:15 november 1956 type:Datum]"},
		{"19780300", "map[jaar:1978 langFormaat:maart 1978 maand:3 type:JaarMaandDatum]"},
		{"19680000", "map[jaar:1968 langFormaat:1968 type:JaarDatum]"},
		{"00000000", "map[langFormaat:onbekend onbekend:true type:DatumOnbekend]"},
		{"", "<nil>"},
	}
	for _, tt := range tests {
		eq(t, "datum("+string(tt.in)+")", datum(tt.in), tt.want)
	}
}

func TestNames(t *testing.T) {
	eq(t, "voorletters", voorletters("Anna Özil"), "A.Ö.")
	eq(t, "voorletters", voorletters("Elise Q"), "E.Q")
	eq(t, "voorletters", voorletters("Dirk-Willem"), "D.")
}

func TestAdresseringFormsOfAddress(t *testing.T) {
	pop := generate(t, 300)
	h := New(pop)
	var man, woman *population.Person
	for i := range pop.Persons {
		p := &pop.Persons[i]
		if !p.Alive() || p.AddressID == "" || p.Prefix == "" {
			continue
		}
		if p.Gender == population.Male && man == nil {
			man = p
		}
		if p.Gender == population.Female && woman == nil {
			woman = p
		}
	}
	if man == nil || woman == nil {
		t.Fatal("no man and woman with a prefix")
	}
	ps := personen(t, post(t, h, PersonenPath, query("RaadpleegMetBurgerservicenummer",
		map[string]any{"burgerservicenummer": []string{man.BSN, woman.BSN}}, "adressering")))
	surname := func(p *population.Person) string {
		return strings.ToUpper(p.Prefix[:1]) + p.Prefix[1:] + " " + p.Surname
	}
	eq(t, "aanhef", get(ps[0], "adressering.aanhef"), "Geachte heer "+surname(man))
	eq(t, "gebruikInLopendeTekst", get(ps[0], "adressering.gebruikInLopendeTekst"), "de heer "+surname(man))
	eq(t, "aanhef", get(ps[1], "adressering.aanhef"), "Geachte mevrouw "+surname(woman))
	eq(t, "aanschrijfwijze.naam", get(ps[1], "adressering.aanschrijfwijze.naam"),
		voorletters(woman.GivenNames)+" "+woman.Prefix+" "+woman.Surname)
}

func TestSearches(t *testing.T) {
	pop := generate(t, 600)
	h := New(pop)
	p := family(t, pop)
	a, _ := pop.Address(p.AddressID)
	dead, _ := pop.Person(pop.Scenarios.Deceased)
	deadAddr, _ := pop.Address(dead.AddressID)

	bsns := func(r result) []string {
		var out []string
		for _, x := range personen(t, r) {
			out = append(out, fmt.Sprint(get(x, "burgerservicenummer")))
		}
		return out
	}
	has := func(list []string, bsn string) bool {
		for _, b := range list {
			if b == bsn {
				return true
			}
		}
		return false
	}

	t.Run("geslachtsnaam and geboortedatum, case- and wildcard-insensitive", func(t *testing.T) {
		r := post(t, h, PersonenPath, query("ZoekMetGeslachtsnaamEnGeboortedatum", map[string]any{
			"geslachtsnaam": strings.ToUpper(p.Surname[:3]) + "*", "geboortedatum": p.BirthDate.ISO(),
		}, "burgerservicenummer", "naam", "geboorte", "adressering"))
		got := bsns(r)
		if !has(got, p.BSN) {
			t.Fatalf("found %v, want %s among them", got, p.BSN)
		}
		first := personen(t, r)[0]
		if get(first, "naam.aanduidingNaamgebruik") != nil || get(first, "geboorte.land") != nil || get(first, "adressering.aanhef") != nil {
			t.Errorf("a search answers PersoonBeperkt, got %v", first)
		}
	})
	t.Run("a Persoon field is not a PersoonBeperkt field", func(t *testing.T) {
		r := post(t, h, PersonenPath, query("ZoekMetGeslachtsnaamEnGeboortedatum", map[string]any{
			"geslachtsnaam": p.Surname, "geboortedatum": p.BirthDate.ISO(),
		}, "burgerservicenummer", "aNummer"))
		eq(t, "status", r.status, 400)
		eq(t, "invalidParams", get(r.body, "invalidParams.0.name"), "fields[1]")
	})
	t.Run("deceased only when asked for", func(t *testing.T) {
		q := func(incl bool) []string {
			return bsns(post(t, h, PersonenPath, query("ZoekMetGeslachtsnaamEnGeboortedatum", map[string]any{
				"geslachtsnaam": dead.Surname, "geboortedatum": dead.BirthDate.ISO(), "inclusiefOverledenPersonen": incl,
			}, "burgerservicenummer")))
		}
		if has(q(false), dead.BSN) || !has(q(true), dead.BSN) {
			t.Errorf("deceased found without inclusiefOverledenPersonen or not with it")
		}
		r := post(t, h, PersonenPath, query("ZoekMetNummeraanduidingIdentificatie", map[string]any{
			"nummeraanduidingIdentificatie": deadAddr.ID, "inclusiefOverledenPersonen": true,
		}, "burgerservicenummer"))
		if !has(bsns(r), dead.BSN) {
			t.Errorf("deceased not found at their last address")
		}
	})
	t.Run("postcode and huisnummer", func(t *testing.T) {
		got := bsns(post(t, h, PersonenPath, query("ZoekMetPostcodeEnHuisnummer", map[string]any{
			"postcode": strings.ToLower(a.Postcode[:4] + " " + a.Postcode[4:]), "huisnummer": a.HouseNumber,
		}, "burgerservicenummer")))
		eq(t, "residents", len(got), len(pop.Residents(a.ID)))
		if !has(got, p.BSN) {
			t.Errorf("found %v, want %s among them", got, p.BSN)
		}
	})
	t.Run("straat, huisnummer and gemeente", func(t *testing.T) {
		st, _ := pop.Street(a.StreetID)
		got := bsns(post(t, h, PersonenPath, query("ZoekMetStraatHuisnummerEnGemeenteVanInschrijving", map[string]any{
			"straat": strings.ToLower(st.Name), "huisnummer": a.HouseNumber, "gemeenteVanInschrijving": a.MunicipalityCode,
		}, "burgerservicenummer")))
		if !has(got, p.BSN) {
			t.Errorf("found %v, want %s among them", got, p.BSN)
		}
	})
	t.Run("naam and gemeente", func(t *testing.T) {
		got := bsns(post(t, h, PersonenPath, query("ZoekMetNaamEnGemeenteVanInschrijving", map[string]any{
			"geslachtsnaam": p.Surname, "voornamen": p.GivenNames, "gemeenteVanInschrijving": p.MunicipalityCode,
		}, "burgerservicenummer")))
		if !has(got, p.BSN) {
			t.Errorf("found %v, want %s among them", got, p.BSN)
		}
	})
	t.Run("adresseerbaar object", func(t *testing.T) {
		got := bsns(post(t, h, PersonenPath, query("ZoekMetAdresseerbaarObjectIdentificatie", map[string]any{
			"adresseerbaarObjectIdentificatie": a.ObjectID,
		}, "burgerservicenummer", "gezag")))
		if !has(got, p.BSN) {
			t.Errorf("found %v, want %s among them", got, p.BSN)
		}
	})
}

func TestTooManyResults(t *testing.T) {
	pop := generate(t, 300)
	// Give eleven living persons the same surname and birth date.
	n := 0
	for i := range pop.Persons {
		if pop.Persons[i].Alive() && n < 11 {
			pop.Persons[i].Surname, pop.Persons[i].BirthDate = "Maassen", "19830526"
			n++
		}
	}
	pop.Index()
	h := New(pop)
	r := post(t, h, PersonenPath, query("ZoekMetGeslachtsnaamEnGeboortedatum", map[string]any{
		"geslachtsnaam": "maassen", "geboortedatum": "1983-05-26",
	}, "burgerservicenummer"))
	eq(t, "status", r.status, 400)
	eq(t, "code", r.body["code"], "tooManyResults")
	eq(t, "title", r.body["title"], "Teveel zoekresultaten.")
	eq(t, "detail", r.body["detail"], "Meer dan maximum van 10 zoekresultaten gevonden. Verfijn de zoekopdracht.")
}

// problemCase is a request that the API refuses.
type problemCase struct {
	name          string
	method, path  string
	body          string
	header        []string
	status        int
	code          string
	invalidParams string // "name:code" joined by spaces
	reason        string // the reason of the first invalid parameter, when given
}

func TestErrors(t *testing.T) {
	h := New(generate(t, 100))
	raadpleeg := func(extra string) string {
		return `{"type":"RaadpleegMetBurgerservicenummer","fields":["burgerservicenummer"]` + extra + `}`
	}
	tests := []problemCase{
		{name: "type missing", body: `{"fields":["naam"]}`, status: 400, code: "paramsValidation", invalidParams: "type:required"},
		{name: "type unknown", body: `{"type":"OnbekendZoekType"}`, status: 400, code: "paramsValidation", invalidParams: "type:value"},
		{name: "type in wrong case", body: `{"type":"raadpleegmetburgerservicenummer"}`, status: 400, code: "paramsValidation", invalidParams: "type:value"},
		{name: "burgerservicenummer missing", body: raadpleeg(""), status: 400, code: "paramsValidation", invalidParams: "burgerservicenummer:required"},
		{name: "burgerservicenummer empty", body: raadpleeg(`,"burgerservicenummer":[]`), status: 400, code: "paramsValidation", invalidParams: "burgerservicenummer:minItems"},
		{name: "burgerservicenummer a string", body: raadpleeg(`,"burgerservicenummer":"999994086,999994086"`), status: 400, code: "paramsValidation", invalidParams: "burgerservicenummer:array"},
		{name: "burgerservicenummer patterns", body: raadpleeg(`,"burgerservicenummer":["1234567890","123456789","<script>123456789</script>"]`),
			status: 400, code: "paramsValidation", invalidParams: "burgerservicenummer[0]:pattern burgerservicenummer[2]:pattern"},
		{name: "more than 20 BSNs", body: raadpleeg(`,"burgerservicenummer":[` + strings.Repeat(`"999999321",`, 20) + `"999999321"]`),
			status: 400, code: "paramsValidation", invalidParams: "burgerservicenummer:maxItems"},
		{name: "gemeenteVanInschrijving pattern", body: raadpleeg(`,"burgerservicenummer":["999999321"],"gemeenteVanInschrijving":"123"`),
			status: 400, code: "paramsValidation", invalidParams: "gemeenteVanInschrijving:pattern"},
		{name: "unknown parameter", body: raadpleeg(`,"burgerservicenummer":["999999321"],"voornamen":"Pietje"`),
			status: 400, code: "paramsValidation", invalidParams: "voornamen:unknownParam"},
		{name: "fields missing", body: `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":["999999321"]}`,
			status: 400, code: "paramsValidation", invalidParams: "fields:required"},
		{name: "fields missing in a search", body: `{"type":"ZoekMetGeslachtsnaamEnGeboortedatum","geslachtsnaam":"Kierkegaard","geboortedatum":"1956-11-15"}`,
			status: 400, code: "paramsValidation", invalidParams: "fields:required"},
		{name: "fields empty", body: `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":["999999321"],"fields":[]}`,
			status: 400, code: "paramsValidation", invalidParams: "fields:minItems"},
		{name: "fields a string", body: `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":["999999321"],"fields":"burgerservicenummer,geslacht"}`,
			status: 400, code: "paramsValidation", invalidParams: "fields:array"},
		{name: "field path pattern", body: `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":["999999321"],"fields":["a*nummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "fields[0]:pattern"},
		{name: "unknown fields", body: `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":["999999321"],"fields":["burgerservicenummer","anummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "fields[1]:fields", reason: "Parameter bevat een niet bestaande veldnaam."},
		{name: "more than 130 fields", body: `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":["999999321"],"fields":[` + strings.Repeat(`"naam",`, 130) + `"naam"]}`,
			status: 400, code: "paramsValidation", invalidParams: "fields:maxItems"},
		{name: "search parameters missing", body: `{"type":"ZoekMetGeslachtsnaamEnGeboortedatum","fields":["burgerservicenummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "geboortedatum:required geslachtsnaam:required"},
		{name: "name and municipality missing", body: `{"type":"ZoekMetNaamEnGemeenteVanInschrijving","fields":["burgerservicenummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "gemeenteVanInschrijving:required geslachtsnaam:required voornamen:required"},
		{name: "street, number and municipality missing", body: `{"type":"ZoekMetStraatHuisnummerEnGemeenteVanInschrijving","fields":["burgerservicenummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "gemeenteVanInschrijving:required huisnummer:required straat:required"},
		{name: "geboortedatum not a date", body: `{"type":"ZoekMetGeslachtsnaamEnGeboortedatum","geslachtsnaam":"Maassen","geboortedatum":"19830526","fields":["burgerservicenummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "geboortedatum:date"},
		{name: "geslachtsnaam wildcard too short", body: `{"type":"ZoekMetGeslachtsnaamEnGeboortedatum","geslachtsnaam":"ab*","geboortedatum":"1983-05-26","fields":["burgerservicenummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "geslachtsnaam:pattern"},
		{name: "geslacht pattern", body: `{"type":"ZoekMetGeslachtsnaamEnGeboortedatum","geslachtsnaam":"Maassen","geboortedatum":"1983-05-26","geslacht":"N","fields":["burgerservicenummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "geslacht:pattern"},
		{name: "inclusiefOverledenPersonen not a boolean", body: `{"type":"ZoekMetGeslachtsnaamEnGeboortedatum","geslachtsnaam":"Maassen","geboortedatum":"1983-05-26","inclusiefOverledenPersonen":"geen boolean","fields":["burgerservicenummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "inclusiefOverledenPersonen:boolean"},
		{name: "postcode and huisnummer missing", body: `{"type":"ZoekMetPostcodeEnHuisnummer","fields":["burgerservicenummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "postcode:required huisnummer:required"},
		{name: "postcode and huisnummer invalid", body: `{"type":"ZoekMetPostcodeEnHuisnummer","postcode":"0628HJ","huisnummer":"twee","fields":["burgerservicenummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "postcode:pattern huisnummer:integer"},
		{name: "huisnummer above the maximum", body: `{"type":"ZoekMetPostcodeEnHuisnummer","postcode":"2628HJ","huisnummer":100000,"fields":["burgerservicenummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "huisnummer:maximum", reason: "Waarde is hoger dan maximum 99999."},
		{name: "huisnummer below the minimum", body: `{"type":"ZoekMetStraatHuisnummerEnGemeenteVanInschrijving","straat":"leyweg","huisnummer":"0","gemeenteVanInschrijving":"0518","fields":["burgerservicenummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "huisnummer:minimum", reason: "Waarde is lager dan minimum 1."},
		{name: "huisletter and toevoeging", body: `{"type":"ZoekMetPostcodeEnHuisnummer","postcode":"2628HJ","huisnummer":2,"huisletter":"1","huisnummertoevoeging":"123.45","fields":["burgerservicenummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "huisletter:pattern huisnummertoevoeging:pattern"},
		{name: "object identification all zeros", body: `{"type":"ZoekMetAdresseerbaarObjectIdentificatie","adresseerbaarObjectIdentificatie":"0000000000000000","fields":["burgerservicenummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "adresseerbaarObjectIdentificatie:pattern"},
		{name: "malformed JSON", body: `{"type":`, status: 400, code: "paramsValidation"},
		{name: "JSON that is not an object", body: `["RaadpleegMetBurgerservicenummer"]`, status: 400, code: "paramsValidation"},
		{name: "content type", body: raadpleeg(`,"burgerservicenummer":["999999321"]`), header: []string{"Content-Type", "application/xml"},
			status: 415, code: "unsupportedMediaType"},
		{name: "content type charset", body: raadpleeg(`,"burgerservicenummer":["999999321"]`), header: []string{"Content-Type", "application/json; charset=cp1252"},
			status: 415, code: "unsupportedMediaType"},
		{name: "accept", body: raadpleeg(`,"burgerservicenummer":["999999321"]`), header: []string{"Accept", "application/xml"},
			status: 406, code: "notAcceptable"},
		{name: "method", method: http.MethodGet, status: 405, code: "methodNotAllowed"},
		{name: "trailing slash", path: PersonenPath + "/", body: raadpleeg(`,"burgerservicenummer":["999999321"]`), status: 404, code: "notFound"},
		{name: "unknown path", path: "/haalcentraal/api/brp/personen/999999321", status: 404, code: "notFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkProblem(t, h, PersonenPath, tt) })
	}
}

// The fields the API delivers by itself may not be asked for, in a
// consultation or a search (features/bevragen/fields-fout-cases.feature).
func TestAutomaticallyDeliveredFieldsAreRefused(t *testing.T) {
	h := New(generate(t, 100))
	for _, f := range []string{
		"geheimhoudingPersoonsgegevens", "opschortingBijhouding", "opschortingBijhouding.reden.omschrijving",
		"opschortingBijhouding.datum.type", "rni", "rni.deelnemer.code", "verificatie", "verificatie.datum.datum",
		"inOnderzoek", "inOnderzoek.datumIngangOnderzoekGemeente.langFormaat", "naam.inOnderzoek.voornamen",
		"geboorte.inOnderzoek.datumIngangOnderzoek", "partners.aangaanHuwelijkPartnerschap.inOnderzoek.datum",
		"adressering.indicatieVastgesteldVerblijftNietOpAdres", "adresseringBinnenland.indicatieVastgesteldVerblijftNietOpAdres",
		"verblijfplaats.indicatieVastgesteldVerblijftNietOpAdres",
	} {
		fields, _ := json.Marshal([]string{f})
		t.Run(f, func(t *testing.T) {
			checkProblem(t, h, PersonenPath, problemCase{
				body:   `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":["999999321"],"fields":` + string(fields) + `}`,
				status: 400, code: "paramsValidation", invalidParams: "fields[0]:fields", reason: "Parameter bevat een niet toegestane veldnaam.",
			})
			if strings.HasPrefix(f, "partners") || strings.HasPrefix(f, "verblijfplaats") {
				return // not paths of PersoonBeperkt
			}
			checkProblem(t, h, PersonenPath, problemCase{
				body:   `{"type":"ZoekMetGeslachtsnaamEnGeboortedatum","geslachtsnaam":"Kierkegaard","geboortedatum":"1956-11-15","fields":` + string(fields) + `}`,
				status: 400, code: "paramsValidation", invalidParams: "fields[0]:fields", reason: "Parameter bevat een niet toegestane veldnaam.",
			})
		})
	}
}

func checkProblem(t *testing.T, h http.Handler, defaultPath string, tt problemCase) {
	t.Helper()
	method, path := tt.method, tt.path
	if method == "" {
		method = http.MethodPost
	}
	if path == "" {
		path = defaultPath
	}
	req := httptest.NewRequest(method, path, strings.NewReader(tt.body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(tt.header); i += 2 {
		req.Header.Set(tt.header[i], tt.header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != tt.status {
		t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q, want application/problem+json", ct)
	}
	var p struct {
		Type, Title, Detail, Instance, Code string
		Status                              int
		InvalidParams                       []struct{ Name, Code, Reason string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body: %v", err)
	}
	eq(t, "code", p.Code, tt.code)
	eq(t, "status", p.Status, tt.status)
	eq(t, "instance", p.Instance, path)
	if !strings.HasPrefix(p.Type, "https://datatracker.ietf.org/doc/html/rfc7231#section-6.") || p.Title == "" {
		t.Errorf("type %q title %q", p.Type, p.Title)
	}
	var got []string
	var names []string
	for _, ip := range p.InvalidParams {
		got = append(got, ip.Name+":"+ip.Code)
		names = append(names, ip.Name)
		if ip.Reason == "" {
			t.Errorf("invalid param %s has no reason", ip.Name)
		}
	}
	eq(t, "invalidParams", strings.Join(got, " "), tt.invalidParams)
	if tt.reason != "" && len(p.InvalidParams) > 0 {
		eq(t, "reason", p.InvalidParams[0].Reason, tt.reason)
	}
	if tt.status == 400 {
		eq(t, "title", p.Title, "Een of meerdere parameters zijn niet correct.")
	}
	if tt.status == 400 && len(names) > 0 {
		eq(t, "detail", p.Detail, "De foutieve parameter(s) zijn: "+strings.Join(names, ", ")+".")
	}
}

func TestInvalidParamReasons(t *testing.T) {
	h := New(generate(t, 100))
	r := post(t, h, PersonenPath, `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":["12345678"],"fields":["burgerservicenummer"]}`)
	eq(t, "reason", get(r.body, "invalidParams.0.reason"), "Waarde voldoet niet aan patroon ^[0-9]{9}$.")
	eq(t, "title", r.body["title"], "Een of meerdere parameters zijn niet correct.")
	r = post(t, h, PersonenPath, `{"type":"RaadpleegMetBurgerservicenummer","fields":["burgerservicenummer"]}`)
	eq(t, "reason", get(r.body, "invalidParams.0.reason"), "Parameter is verplicht.")
	r = post(t, h, PersonenPath, `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":[],"fields":["burgerservicenummer"]}`)
	eq(t, "reason", get(r.body, "invalidParams.0.reason"), "Array bevat minder dan 1 items.")
	r = post(t, h, PersonenPath, `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":["999999321"],"fields":["anummer"]}`)
	eq(t, "reason", get(r.body, "invalidParams.0.reason"), "Parameter bevat een niet bestaande veldnaam.")
}

func TestMediaTypesAccepted(t *testing.T) {
	h := New(generate(t, 100))
	body := `{"type":"RaadpleegMetBurgerservicenummer","burgerservicenummer":["999999321"],"fields":["burgerservicenummer"]}`
	for _, ct := range []string{"", "application/json", "application/json;charset=utf-8", "application/json; charset=UTF-8"} {
		if r := post(t, h, PersonenPath, body, "Content-Type", ct); r.status != 200 {
			t.Errorf("Content-Type %q: status %d", ct, r.status)
		}
	}
	for _, acc := range []string{"", "*/*", "*/*;charset=utf-8", "application/json; charset=UTF-8", "application/xml, application/json"} {
		if r := post(t, h, PersonenPath, body, "Accept", acc); r.status != 200 {
			t.Errorf("Accept %q: status %d", acc, r.status)
		}
	}
}

func TestReisdocumenten(t *testing.T) {
	pop := generate(t, 1000)
	h := New(pop)
	traveller := pop.Scenarios.Traveller
	var held []*population.TravelDocument
	for _, d := range pop.TravelDocumentsOf(traveller) {
		if d.Held() {
			held = append(held, d)
		}
	}
	if len(held) == 0 {
		t.Fatal("the traveller holds no documents")
	}

	r := post(t, h, ReisdocumentenPath, query("ZoekMetBurgerservicenummer", map[string]any{"burgerservicenummer": traveller},
		"reisdocumentnummer", "soort.code", "datumEindeGeldigheid", "houder"))
	eq(t, "status", r.status, 200)
	eq(t, "type", r.body["type"], "ZoekMetBurgerservicenummer")
	list, _ := r.body["reisdocumenten"].([]any)
	eq(t, "count", len(list), len(held))
	d := held[0]
	eq(t, "reisdocumentnummer", get(list[0], "reisdocumentnummer"), d.Number)
	eq(t, "soort.code", get(list[0], "soort.code"), d.Kind)
	eq(t, "soort.omschrijving", get(list[0], "soort.omschrijving"), soortReisdocumenten[d.Kind])
	eq(t, "datumEindeGeldigheid", get(list[0], "datumEindeGeldigheid.datum"), d.ExpiryDate.ISO())
	eq(t, "houder.burgerservicenummer", get(list[0], "houder.burgerservicenummer"), traveller)
	eq(t, "keys", keys(list[0]), []string{"datumEindeGeldigheid", "houder", "reisdocumentnummer", "soort"})

	r = post(t, h, ReisdocumentenPath, query("RaadpleegMetReisdocumentnummer",
		map[string]any{"reisdocumentnummer": []string{d.Number}}, "houder.burgerservicenummer"))
	list, _ = r.body["reisdocumenten"].([]any)
	if len(list) != 1 || len(keys(list[0])) != 1 || get(list[0], "houder.burgerservicenummer") != traveller {
		t.Errorf("RaadpleegMetReisdocumentnummer = %v, want only the holder's burgerservicenummer", list)
	}

	r = post(t, h, ReisdocumentenPath, query("ZoekMetBurgerservicenummer", map[string]any{"burgerservicenummer": "123456782"}, "reisdocumentnummer"))
	list, _ = r.body["reisdocumenten"].([]any)
	if r.status != 200 || list == nil || len(list) != 0 {
		t.Errorf("unknown person: %d %v, want 200 and no documents", r.status, r.body)
	}
}

// A document handed in, lapsed or reported lost is found by its number,
// with the withdrawal, and no longer among the holder's documents.
func TestWithdrawnTravelDocument(t *testing.T) {
	pop := generate(t, 1000)
	h := New(pop)
	var gone *population.TravelDocument
	for i := range pop.TravelDocuments {
		if d := &pop.TravelDocuments[i]; !d.Held() {
			gone = d
			break
		}
	}
	if gone == nil {
		t.Fatal("no withdrawn document in the population")
	}
	r := post(t, h, ReisdocumentenPath, query("RaadpleegMetReisdocumentnummer",
		map[string]any{"reisdocumentnummer": []string{gone.Number}}, "reisdocumentnummer", "inhoudingOfVermissing"))
	list, _ := r.body["reisdocumenten"].([]any)
	if len(list) != 1 {
		t.Fatalf("RaadpleegMetReisdocumentnummer = %v", r.body)
	}
	eq(t, "inhoudingOfVermissing.aanduiding", get(list[0], "inhoudingOfVermissing.aanduiding"),
		map[string]any{"code": gone.Withdrawal, "omschrijving": inhoudingen[gone.Withdrawal]})
	eq(t, "inhoudingOfVermissing.datum.datum", get(list[0], "inhoudingOfVermissing.datum.datum"), gone.WithdrawnOn.ISO())

	r = post(t, h, ReisdocumentenPath, query("ZoekMetBurgerservicenummer", map[string]any{"burgerservicenummer": gone.BSN}, "reisdocumentnummer"))
	list, _ = r.body["reisdocumenten"].([]any)
	for _, d := range list {
		if get(d, "reisdocumentnummer") == gone.Number {
			t.Errorf("ZoekMetBurgerservicenummer gives the withdrawn document %s", gone.Number)
		}
	}
}

// The holder's secrecy and the suspension of a deceased holder come with
// every document, whatever fields are asked.
func TestReisdocumentHolderDeliveredAutomatically(t *testing.T) {
	pop := generate(t, 2000)
	var secret string
	for _, d := range pop.TravelDocuments {
		if p, _ := pop.Person(d.BSN); p.Secret && p.Alive() {
			secret = d.Number
			break
		}
	}
	if secret == "" {
		t.Fatal("no document of a person with secrecy")
	}
	// The population gives no documents to the deceased; the register
	// keeps those they had, so add one.
	const deceased = "DE4D00001"
	pop.TravelDocuments = append(pop.TravelDocuments, population.TravelDocument{
		Number: deceased, BSN: pop.Scenarios.Deceased, Kind: population.Passport, IssueDate: "20200101", ExpiryDate: "20300101",
	})
	pop.Index()
	h := New(pop)
	ask := func(number string) any {
		t.Helper()
		r := post(t, h, ReisdocumentenPath, query("RaadpleegMetReisdocumentnummer", map[string]any{"reisdocumentnummer": []string{number}}, "reisdocumentnummer"))
		list, _ := r.body["reisdocumenten"].([]any)
		if len(list) != 1 {
			t.Fatalf("document %s: %v", number, r.body)
		}
		return list[0]
	}
	eq(t, "houder with secrecy", get(ask(secret), "houder"), map[string]any{"geheimhoudingPersoonsgegevens": true})
	got := ask(deceased)
	eq(t, "houder.opschortingBijhouding.reden.code", get(got, "houder.opschortingBijhouding.reden.code"), "O")
	eq(t, "houder.burgerservicenummer", get(got, "houder.burgerservicenummer"), nil)
}

// The errors of the Reisdocumenten API (features/fields-fout-cases.feature
// of BRP-API/Haal-Centraal-Reisdocumenten-bevragen and its validators).
func TestReisdocumentenErrors(t *testing.T) {
	h := New(generate(t, 100))
	zoek := func(fields string) string {
		return `{"type":"ZoekMetBurgerservicenummer","burgerservicenummer":"999999321","fields":` + fields + `}`
	}
	tests := []problemCase{
		{name: "no type", body: `{}`, status: 400, code: "paramsValidation", invalidParams: "type:required"},
		{name: "unknown type", body: `{"type":"ZoekMetGeslachtsnaam"}`, status: 400, code: "paramsValidation", invalidParams: "type:value"},
		{name: "bsn pattern", body: `{"type":"ZoekMetBurgerservicenummer","burgerservicenummer":"12345","fields":["reisdocumentnummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "burgerservicenummer:pattern"},
		{name: "bsn missing", body: `{"type":"ZoekMetBurgerservicenummer","fields":["reisdocumentnummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "burgerservicenummer:required"},
		{name: "two numbers", body: `{"type":"RaadpleegMetReisdocumentnummer","reisdocumentnummer":["NE3663258","NE3663259"],"fields":["reisdocumentnummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "reisdocumentnummer:maxItems"},
		{name: "number in lower case", body: `{"type":"RaadpleegMetReisdocumentnummer","reisdocumentnummer":["ne3663258"],"fields":["reisdocumentnummer"]}`,
			status: 400, code: "paramsValidation", invalidParams: "reisdocumentnummer[0]:pattern", reason: "Waarde voldoet niet aan patroon ^[A-Z0-9]{9}$."},
		{name: "fields missing", body: `{"type":"RaadpleegMetReisdocumentnummer","reisdocumentnummer":["NE3663258"]}`,
			status: 400, code: "paramsValidation", invalidParams: "fields:required"},
		{name: "more than 25 fields", body: zoek(`[` + strings.Repeat(`"soort",`, 25) + `"soort"]`),
			status: 400, code: "paramsValidation", invalidParams: "fields:maxItems", reason: "Array bevat meer dan 25 items."},
		{name: "field path pattern", body: zoek(`["reisdocumentnummer","","houder.burgerservicenummer"]`),
			status: 400, code: "paramsValidation", invalidParams: "fields[1]:pattern"},
		{name: "names of an older version", body: zoek(`["soortReisdocument","indicatieGeldig","burgerservicenummer","datumUitgifte"]`),
			status: 400, code: "paramsValidation", invalidParams: "fields[0]:fields fields[1]:fields fields[2]:fields fields[3]:fields",
			reason: "Parameter bevat een niet bestaande veldnaam."},
		{name: "secrecy is delivered automatically", body: zoek(`["houder.geheimhoudingPersoonsgegevens"]`),
			status: 400, code: "paramsValidation", invalidParams: "fields[0]:fields", reason: "Parameter bevat een niet toegestane veldnaam."},
		{name: "suspension is delivered automatically", body: zoek(`["houder.opschortingBijhouding.reden.code"]`),
			status: 400, code: "paramsValidation", invalidParams: "fields[0]:fields", reason: "Parameter bevat een niet toegestane veldnaam."},
		{name: "inquiries are delivered automatically", body: zoek(`["inhoudingOfVermissing.inOnderzoek.datumIngangOnderzoek.type","inOnderzoek.soort"]`),
			status: 400, code: "paramsValidation", invalidParams: "fields[0]:fields fields[1]:fields", reason: "Parameter bevat een niet toegestane veldnaam."},
		{name: "method", method: http.MethodPut, status: 405, code: "methodNotAllowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkProblem(t, h, ReisdocumentenPath, tt) })
	}
	// Every published path is accepted.
	for _, f := range reisdocumentFieldList {
		if slices.ContainsFunc(reisdocumentAutomatic, func(p string) bool { return strings.HasPrefix(f, p) }) {
			continue
		}
		fields, _ := json.Marshal([]string{f})
		if r := post(t, h, ReisdocumentenPath, zoek(string(fields))); r.status != 200 {
			t.Errorf("fields [%s]: status %d: %v", f, r.status, r.body)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	pop := generate(t, 300)
	h := New(pop)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				p := pop.Persons[(g*50+i)%len(pop.Persons)]
				r := post(t, h, PersonenPath, query("RaadpleegMetBurgerservicenummer",
					map[string]any{"burgerservicenummer": []string{p.BSN}}, "naam", "verblijfplaats", "partners"))
				if r.status != 200 {
					t.Errorf("status %d", r.status)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func BenchmarkRaadpleeg20(b *testing.B) {
	pop := generate(b, 20000)
	h := New(pop)
	bsns := make([]string, 20)
	for i := range bsns {
		bsns[i] = pop.Persons[i*500].BSN
	}
	body := query("RaadpleegMetBurgerservicenummer", map[string]any{"burgerservicenummer": bsns},
		"naam", "geboorte", "verblijfplaats", "adressering", "partners", "kinderen", "ouders")
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, PersonenPath, strings.NewReader(body))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}
