package nhr

import (
	"net/http"
	"strings"
	"testing"

	"github.com/poort-nl/poort/mocks/population"
)

func TestFunctionarissen(t *testing.T) {
	srv, p := setup(t)
	vof := companyWhere(t, p, func(c *population.Company) bool {
		return c.LegalForm == population.GeneralPartnership && len(c.Functionaries) == 2
	})

	var l functionarisList
	get(t, srv.URL+"/api/v1/basisprofielen/"+vof.KvKNumber+"/functionarissen").ok(t, "application/json", &l)
	if l.KvkNummer != vof.KvKNumber || len(l.Functionarissen) != 2 {
		t.Fatalf("%+v", l)
	}
	for i, f := range l.Functionarissen {
		want := vof.Functionaries[i]
		if f.Burgerservicenummer != want.BSN || f.Functie != "Vennoot" || f.DatumAanvang != string(want.Since) || !yyyymmdd.MatchString(f.DatumAanvang) {
			t.Errorf("functionaris %d: %+v", i, f)
		}
	}
	get(t, srv.URL+"/api/v1/basisprofielen/00000001/functionarissen").fails(t, http.StatusNotFound, "IPD0005")
	get(t, srv.URL+"/api/v1/basisprofielen/0000001/functionarissen").fails(t, http.StatusBadRequest, "IPD0004")
}

func TestZoekFunctionarissen(t *testing.T) {
	srv, p := setup(t)
	u := srv.URL + "/api/v1/functionarissen/zoeken"
	jsonHeader := http.Header{"Content-Type": {"application/json; charset=utf-8"}}

	// A person with roles in more than one registration, if there is one.
	var bsn string
	most := 0
	for _, person := range p.Persons {
		if n := len(p.CompaniesOf(person.BSN)); n > most {
			bsn, most = person.BSN, n
		}
	}
	if most == 0 {
		t.Fatal("no functionary in the population")
	}

	t.Run("the roles of a person", func(t *testing.T) {
		var l inschrijvingList
		do(t, http.MethodPost, u, jsonHeader, `{"burgerservicenummer":"`+bsn+`"}`).ok(t, "application/json", &l)
		if len(l.Inschrijvingen) < most {
			t.Fatalf("%d inschrijvingen, want at least %d", len(l.Inschrijvingen), most)
		}
		for i, in := range l.Inschrijvingen {
			c, ok := p.Company(in.KvkNummer)
			if !ok || in.Naam != c.Name || in.Functie == "" || !yyyymmdd.MatchString(in.DatumAanvang) {
				t.Errorf("inschrijving %+v", in)
			}
			if i > 0 && l.Inschrijvingen[i-1].KvkNummer > in.KvkNummer {
				t.Error("not in KvK-number order")
			}
			if in.Links[0].Href != srv.URL+"/api/v1/basisprofielen/"+in.KvkNummer {
				t.Errorf("links %+v", in.Links)
			}
		}
	})

	t.Run("a person without roles", func(t *testing.T) {
		var none string
		for _, person := range p.Persons {
			if len(p.CompaniesOf(person.BSN)) == 0 {
				none = person.BSN
				break
			}
		}
		do(t, http.MethodPost, u, jsonHeader, `{"burgerservicenummer":"`+none+`"}`).fails(t, http.StatusNotFound, "IPD5200")
	})

	tests := []struct {
		name   string
		header http.Header
		body   string
		status int
		code   string
		names  string
	}{
		{"BSN of eight digits", jsonHeader, `{"burgerservicenummer":"99999999"}`, 400, "IPD1999", "burgerservicenummer"},
		{"BSN as a number", jsonHeader, `{"burgerservicenummer":999993653}`, 400, "IPD1999", "burgerservicenummer"},
		{"no BSN", jsonHeader, `{}`, 400, "IPD1999", "burgerservicenummer"},
		{"unknown field", jsonHeader, `{"burgerservicenummer":"999993653","naam":"x"}`, 400, "IPD1999", "naam"},
		{"not JSON", jsonHeader, `burgerservicenummer=999993653`, 400, "IPD1998", ""},
		{"null", jsonHeader, `null`, 400, "IPD1998", ""},
		{"an array", jsonHeader, `["999993653"]`, 400, "IPD1998", ""},
		{"two values", jsonHeader, `{"burgerservicenummer":"999993653"}{}`, 400, "IPD1998", ""},
		{"form encoded", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, `burgerservicenummer=999993653`, 415, "IPD1998", ""},
		{"too large", jsonHeader, `{"burgerservicenummer":"999993653","x":"` + strings.Repeat("a", 5000) + `"}`, 400, "IPD1998", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, http.MethodPost, u, tt.header, tt.body)
			f := a.fails(t, tt.status, tt.code)
			if tt.names != "" && !strings.HasSuffix(f.Fout[0].Omschrijving, ": "+tt.names) {
				t.Errorf("omschrijving %q does not name %s", f.Fout[0].Omschrijving, tt.names)
			}
			if strings.Contains(string(a.body), "99999999") || strings.Contains(string(a.body), "999993653") {
				t.Error("the error repeats the BSN")
			}
		})
	}
}
