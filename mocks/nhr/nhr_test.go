package nhr

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poort-nl/poort/mocks/population"
)

var refDate = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func generate(t testing.TB, size int) *population.Population {
	t.Helper()
	p, err := population.Generate(population.Config{Seed: 42, Size: size, ReferenceDate: refDate})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// setup starts the mock over a fresh population; tests may change the
// population before the mock is built through prepare.
func setup(t *testing.T, prepare ...func(*population.Population)) (*httptest.Server, *population.Population) {
	t.Helper()
	p := generate(t, 1000)
	for _, f := range prepare {
		f(p)
	}
	srv := httptest.NewServer(New(p))
	t.Cleanup(srv.Close)
	return srv, p
}

type answer struct {
	status int
	header http.Header
	body   []byte
	path   string
}

func do(t *testing.T, method, u string, header http.Header, body string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, b, req.URL.Path}
}

func get(t *testing.T, u string) answer { t.Helper(); return do(t, http.MethodGet, u, nil, "") }

// ok asserts a 200 in one of the KvK media types and decodes the body.
func (a answer) ok(t *testing.T, mediaType string, v any) {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", a.status, a.body)
	}
	if ct := a.header.Get("Content-Type"); ct != mediaType {
		t.Errorf("Content-Type %q, want %q", ct, mediaType)
	}
	if a.header.Get("api-version") == "" {
		t.Error("no api-version header")
	}
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("decode: %v: %s", err, a.body)
	}
}

// fails asserts a KvK error answer with the status and the fout codes.
func (a answer) fails(t *testing.T, status int, codes ...string) foutBericht {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d: %s", a.status, status, a.body)
	}
	// Basisprofiel and Vestigingsprofiel declare their errors in HAL+JSON
	// only; Zoeken and the functionarissen contract in JSON.
	want := "application/json"
	kvkProfile := strings.HasPrefix(a.path, "/api/v1/basisprofielen/") || strings.HasPrefix(a.path, "/api/v1/vestigingsprofielen/")
	if kvkProfile && !strings.HasSuffix(a.path, "/functionarissen") {
		want = "application/hal+json"
	}
	if ct := a.header.Get("Content-Type"); ct != want {
		t.Errorf("error Content-Type %q, want %s", ct, want)
	}
	var f foutBericht
	if err := json.Unmarshal(a.body, &f); err != nil {
		t.Fatalf("error body is not KvK's fout shape: %v: %s", err, a.body)
	}
	var got []string
	for _, x := range f.Fout {
		got = append(got, x.Code)
		if x.Omschrijving == "" {
			t.Errorf("fout %s without omschrijving", x.Code)
		}
	}
	if strings.Join(got, ",") != strings.Join(codes, ",") {
		t.Errorf("fout codes %v, want %v", got, codes)
	}
	return f
}

// companyWhere returns the first company the predicate accepts.
func companyWhere(t *testing.T, p *population.Population, ok func(*population.Company) bool) *population.Company {
	t.Helper()
	for i := range p.Companies {
		if ok(&p.Companies[i]) {
			return &p.Companies[i]
		}
	}
	t.Fatal("no company in the population fits the test")
	return nil
}

// newCompany is the company of the population's new-company scenario.
func newCompany(t *testing.T, p *population.Population) *population.Company {
	t.Helper()
	c, ok := p.Company(p.Scenarios.NewCompany)
	if !ok {
		t.Fatalf("no company %q of the new-company scenario", p.Scenarios.NewCompany)
	}
	return c
}

func multiBranchBV(c *population.Company) bool {
	return c.LegalForm == population.PrivateCompany && len(c.Branches) > 1 && c.Website != ""
}

var yyyymmdd = regexp.MustCompile(`^[0-9]{8}$`)

func TestBasisprofiel(t *testing.T) {
	srv, p := setup(t)
	c := companyWhere(t, p, multiBranchBV)
	main := c.Branches[0]
	addr, _ := p.Address(main.AddressID)

	t.Run("legal entity with geoData", func(t *testing.T) {
		var bp basisprofiel
		get(t, srv.URL+"/api/v1/basisprofielen/"+c.KvKNumber+"?geoData=true").ok(t, "application/json", &bp)
		if bp.KvkNummer != c.KvKNumber || bp.Naam != c.Name || bp.StatutaireNaam != c.Name {
			t.Errorf("kvkNummer %q naam %q statutaireNaam %q", bp.KvkNummer, bp.Naam, bp.StatutaireNaam)
		}
		if bp.FormeleRegistratiedatum != string(c.RegistrationDate) || !yyyymmdd.MatchString(bp.FormeleRegistratiedatum) {
			t.Errorf("formeleRegistratiedatum %q", bp.FormeleRegistratiedatum)
		}
		if bp.MaterieleRegistratie == nil || bp.MaterieleRegistratie.DatumAanvang != string(c.StartDate) || bp.MaterieleRegistratie.DatumEinde != "" {
			t.Errorf("materieleRegistratie %+v", bp.MaterieleRegistratie)
		}
		if bp.TotaalWerkzamePersonen != c.Employees() {
			t.Errorf("totaalWerkzamePersonen %d, want %d", bp.TotaalWerkzamePersonen, c.Employees())
		}
		if len(bp.Handelsnamen) != len(c.TradeNames) || bp.Handelsnamen[0].Naam != c.TradeNames[0] || bp.Handelsnamen[0].Volgorde != 0 {
			t.Errorf("handelsnamen %+v", bp.Handelsnamen)
		}
		if len(bp.SbiActiviteiten) == 0 || bp.SbiActiviteiten[0].IndHoofdactiviteit != "Ja" || bp.SbiActiviteiten[0].SbiCode != c.Activities[0].Code {
			t.Errorf("sbiActiviteiten %+v", bp.SbiActiviteiten)
		}
		if bp.IndNonMailing != "Ja" && bp.IndNonMailing != "Nee" {
			t.Errorf("indNonMailing %q", bp.IndNonMailing)
		}
		self := srv.URL + "/api/v1/basisprofielen/" + c.KvKNumber
		if len(bp.Links) == 0 || bp.Links[0] != (link{"self", self}) {
			t.Errorf("links %+v", bp.Links)
		}

		hv := bp.Embedded.Hoofdvestiging
		if hv == nil || hv.Vestigingsnummer != main.Number || hv.IndHoofdvestiging != "Ja" || hv.EersteHandelsnaam != main.TradeNames[0] {
			t.Fatalf("hoofdvestiging %+v", hv)
		}
		if hv.Rsin != "" || hv.Handelsnamen != nil {
			t.Error("the embedded hoofdvestiging carries rsin or handelsnamen, which the OpenAPI file leaves out")
		}
		if hv.VoltijdWerkzamePersonen != main.FullTime || hv.DeeltijdWerkzamePersonen != main.PartTime {
			t.Errorf("werkzame personen %d/%d", hv.VoltijdWerkzamePersonen, hv.DeeltijdWerkzamePersonen)
		}
		if len(hv.Websites) != 1 || hv.Websites[0] != c.Website {
			t.Errorf("websites %v", hv.Websites)
		}
		if len(hv.Adressen) != 1 {
			t.Fatalf("adressen %+v", hv.Adressen)
		}
		a := hv.Adressen[0]
		if a.Type != "bezoekadres" || a.IndAfgeschermd != "Nee" || a.Postcode != addr.Postcode || a.Huisnummer != addr.HouseNumber || a.Land != "Nederland" {
			t.Errorf("adres %+v", a)
		}
		if !strings.Contains(a.VolledigAdres, a.Straatnaam) || !strings.HasSuffix(a.VolledigAdres, addr.Postcode+" "+a.Plaats) {
			t.Errorf("volledigAdres %q", a.VolledigAdres)
		}
		g := a.GeoData
		if g == nil || g.AddresseerbaarObjectID != addr.ObjectID || g.NummerAanduidingID != addr.ID || g.RijksdriehoekX != addr.X {
			t.Fatalf("geoData %+v", g)
		}
		if g.GpsLatitude < 50.7 || g.GpsLatitude > 53.6 || g.GpsLongitude < 3.3 || g.GpsLongitude > 7.3 {
			t.Errorf("gps %f, %f lies outside the Netherlands", g.GpsLatitude, g.GpsLongitude)
		}

		e := bp.Embedded.Eigenaar
		if e == nil || e.Rsin != c.RSIN || e.Rechtsvorm != "Besloten Vennootschap" || e.UitgebreideRechtsvorm == "" || len(e.Adressen) != 1 {
			t.Errorf("eigenaar %+v", e)
		}
	})

	t.Run("the real field names", func(t *testing.T) {
		body := string(get(t, srv.URL+"/api/v1/basisprofielen/"+c.KvKNumber+"?geoData=true").body)
		for _, f := range []string{`"_embedded":`, `"addresseerbaarObjectId":`, `"nummerAanduidingId":`, `"indHoofdactiviteit":"Ja"`, `"rijksdriehoekZ":`} {
			if !strings.Contains(body, f) {
				t.Errorf("body lacks %s", f)
			}
		}
		if strings.Contains(body, `\u0026`) {
			t.Error("links escape their ampersands")
		}
	})

	t.Run("without geoData", func(t *testing.T) {
		a := get(t, srv.URL+"/api/v1/basisprofielen/"+c.KvKNumber)
		if strings.Contains(string(a.body), "geoData") {
			t.Error("geoData without ?geoData=true")
		}
	})

	t.Run("sole proprietorship", func(t *testing.T) {
		emz := companyWhere(t, p, func(c *population.Company) bool { return c.LegalForm == population.SoleProprietorship })
		var bp basisprofiel
		get(t, srv.URL+"/api/v1/basisprofielen/"+emz.KvKNumber).ok(t, "application/json", &bp)
		if bp.StatutaireNaam != "" {
			t.Errorf("an eenmanszaak has no statutes, got statutaireNaam %q", bp.StatutaireNaam)
		}
		e := bp.Embedded.Eigenaar
		if e.Rechtsvorm != "Eenmanszaak" || e.Rsin != "" || len(e.Adressen) != 0 {
			t.Errorf("eigenaar %+v", e)
		}
	})

	t.Run("hal+json on request", func(t *testing.T) {
		a := do(t, http.MethodGet, srv.URL+"/api/v1/basisprofielen/"+c.KvKNumber, http.Header{"Accept": {"application/hal+json"}}, "")
		var bp basisprofiel
		a.ok(t, "application/hal+json", &bp)
	})
}

func TestEigenaarHoofdvestigingVestigingen(t *testing.T) {
	srv, p := setup(t)
	c := companyWhere(t, p, multiBranchBV)
	base := srv.URL + "/api/v1/basisprofielen/" + c.KvKNumber

	var e eigenaar
	get(t, base+"/eigenaar").ok(t, "application/json", &e)
	if e.Rsin != c.RSIN || e.Links[0] != (link{"self", base + "/eigenaar"}) {
		t.Errorf("eigenaar %+v", e)
	}

	var hv vestiging
	get(t, base+"/hoofdvestiging?geoData=true").ok(t, "application/json", &hv)
	if hv.Vestigingsnummer != c.Branches[0].Number || hv.Rsin != c.RSIN || len(hv.Handelsnamen) == 0 || hv.Adressen[0].GeoData == nil {
		t.Errorf("hoofdvestiging %+v", hv)
	}

	var l vestigingList
	get(t, base+"/vestigingen").ok(t, "application/json", &l)
	if l.KvkNummer != c.KvKNumber || l.TotaalAantalVestigingen != len(c.Branches) ||
		l.AantalCommercieleVestigingen+l.AantalNietCommercieleVestigingen != len(c.Branches) || len(l.Vestigingen) != len(c.Branches) {
		t.Fatalf("vestigingen %+v", l)
	}
	for i, v := range l.Vestigingen {
		b := c.Branches[i]
		if v.Vestigingsnummer != b.Number || v.KvkNummer != c.KvKNumber || v.IndHoofdvestiging != jaNee(b.Main) ||
			v.IndAdresAfgeschermd != "Nee" || v.VolledigAdres == "" || v.Links[0].Rel != "vestigingsprofiel" {
			t.Errorf("vestiging %d: %+v", i, v)
		}
	}
}

func TestVestigingsprofiel(t *testing.T) {
	srv, p := setup(t)
	c := companyWhere(t, p, multiBranchBV)
	b := c.Branches[1]
	addr, _ := p.Address(b.AddressID)

	var v vestiging
	get(t, srv.URL+"/api/v1/vestigingsprofielen/"+b.Number+"?geoData=true").ok(t, "application/hal+json", &v)
	if v.Vestigingsnummer != b.Number || v.KvkNummer != c.KvKNumber || v.Rsin != c.RSIN || v.IndHoofdvestiging != "Nee" {
		t.Errorf("vestiging %+v", v)
	}
	if v.FormeleRegistratiedatum != string(b.RegistrationDate) || v.TotaalWerkzamePersonen != b.FullTime+b.PartTime {
		t.Errorf("formeleRegistratiedatum %q, totaalWerkzamePersonen %d", v.FormeleRegistratiedatum, v.TotaalWerkzamePersonen)
	}
	if len(v.Handelsnamen) != len(b.TradeNames) || len(v.SbiActiviteiten) != len(b.Activities) {
		t.Errorf("handelsnamen %+v, sbiActiviteiten %+v", v.Handelsnamen, v.SbiActiviteiten)
	}
	if len(v.Adressen) != 1 || v.Adressen[0].GeoData == nil || v.Adressen[0].GeoData.NummerAanduidingID != addr.ID {
		t.Errorf("adressen %+v", v.Adressen)
	}
	if v.Websites != nil {
		t.Errorf("a branch other than the main one carries the website: %v", v.Websites)
	}

	t.Run("plain JSON when asked", func(t *testing.T) {
		a := do(t, http.MethodGet, srv.URL+"/api/v1/vestigingsprofielen/"+b.Number, http.Header{"Accept": {"application/json"}}, "")
		a.ok(t, "application/json", &v)
	})
}

func TestErrors(t *testing.T) {
	srv, p := setup(t)
	c := newCompany(t, p)
	tests := []struct {
		name   string
		method string
		path   string
		accept string
		status int
		codes  []string
	}{
		{"malformed KvK number", "GET", "/api/v1/basisprofielen/1234567", "", 400, []string{"IPD0004"}},
		{"letters in KvK number", "GET", "/api/v1/basisprofielen/1234567a/vestigingen", "", 400, []string{"IPD0004"}},
		{"unknown KvK number", "GET", "/api/v1/basisprofielen/00000001", "", 404, []string{"IPD0005"}},
		{"unknown KvK number, eigenaar", "GET", "/api/v1/basisprofielen/00000001/eigenaar", "", 404, []string{"IPD0005"}},
		{"malformed vestigingsnummer", "GET", "/api/v1/vestigingsprofielen/12345", "", 400, []string{"IPD0006"}},
		{"unknown vestigingsnummer", "GET", "/api/v1/vestigingsprofielen/000000000001", "", 404, []string{"IPD0007"}},
		{"geoData not a boolean", "GET", "/api/v1/basisprofielen/" + c.KvKNumber + "?geoData=yes", "", 400, []string{"IPD1999"}},
		{"every fault at once", "GET", "/api/v1/basisprofielen/1234567/hoofdvestiging?geoData=1", "", 400, []string{"IPD0004", "IPD1999"}},
		{"every fault at once, vestiging", "GET", "/api/v1/vestigingsprofielen/1?geoData=", "", 400, []string{"IPD0006", "IPD1999"}},
		{"geoData twice", "GET", "/api/v1/vestigingsprofielen/" + c.Branches[0].Number + "?geoData=true&geoData=false", "", 400, []string{"IPD1999"}},
		{"trailing slash", "GET", "/api/v1/basisprofielen/" + c.KvKNumber + "/", "", 404, []string{"IPD0001"}},
		{"trailing slash on zoeken", "GET", "/api/v2/zoeken/?naam=x", "", 404, []string{"IPD0001"}},
		{"collection without key", "GET", "/api/v1/basisprofielen/", "", 404, []string{"IPD0001"}},
		{"unknown sub-resource", "GET", "/api/v1/basisprofielen/" + c.KvKNumber + "/naamgeving", "", 404, []string{"IPD0001"}},
		{"unknown path", "GET", "/api/v3/zoeken", "", 404, []string{"IPD0001"}},
		{"wrong method", "DELETE", "/api/v1/basisprofielen/" + c.KvKNumber, "", 405, []string{"IPD1998"}},
		{"POST on zoeken", "POST", "/api/v2/zoeken", "", 405, []string{"IPD1998"}},
		{"GET on functionarissen zoeken", "GET", "/api/v1/functionarissen/zoeken", "", 405, []string{"IPD1998"}},
		{"unacceptable media type", "GET", "/api/v1/basisprofielen/" + c.KvKNumber, "text/html", 406, []string{"IPD1998"}},
		{"JSON refused with q=0", "GET", "/api/v1/basisprofielen/" + c.KvKNumber, "application/json;q=0, application/hal+json;q=0", 406, []string{"IPD1998"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.accept != "" {
				h.Set("Accept", tt.accept)
			}
			a := do(t, tt.method, srv.URL+tt.path, h, "")
			a.fails(t, tt.status, tt.codes...)
			if tt.status == 405 && a.header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
}

func TestAccept(t *testing.T) {
	srv, p := setup(t)
	u := srv.URL + "/api/v1/basisprofielen/" + newCompany(t, p).KvKNumber
	for accept, want := range map[string]string{
		"*/*":                             "application/json",
		"application/*":                   "application/json",
		"application/hal+json, */*;q=0.1": "application/json",
		"application/json;q=0, */*":       "application/hal+json",
		"application/*, */*;q=0":          "application/json",
	} {
		a := do(t, http.MethodGet, u, http.Header{"Accept": {accept}}, "")
		if ct := a.header.Get("Content-Type"); a.status != 200 || ct != want {
			t.Errorf("Accept %q: status %d, Content-Type %q, want %q", accept, a.status, ct, want)
		}
	}
}

func TestShieldedAddress(t *testing.T) {
	var c *population.Company
	srv, p := setup(t, func(p *population.Population) {
		// Shielding follows BRP geheimhouding of a functionary working
		// from home; give one home-based sole proprietor that secrecy.
		for i := range p.Companies {
			cc := &p.Companies[i]
			owner, _ := p.Person(cc.Functionaries[0].BSN)
			if cc.LegalForm == population.SoleProprietorship && owner.AddressID == cc.Branches[0].AddressID {
				owner.Secret, c = true, cc
				return
			}
		}
	})
	if c == nil {
		t.Fatal("no home-based sole proprietor")
	}
	addr, _ := p.Address(c.Branches[0].AddressID)

	var bp basisprofiel
	get(t, srv.URL+"/api/v1/basisprofielen/"+c.KvKNumber+"?geoData=true").ok(t, "application/json", &bp)
	a := bp.Embedded.Hoofdvestiging.Adressen[0]
	if a.IndAfgeschermd != "Ja" || a.Straatnaam != "" || a.Postcode != "" || a.Huisnummer != 0 || a.GeoData != nil || a.Plaats == "" || a.VolledigAdres != a.Plaats {
		t.Errorf("shielded address shows %+v", a)
	}
	var l vestigingList
	get(t, srv.URL+"/api/v1/basisprofielen/"+c.KvKNumber+"/vestigingen").ok(t, "application/json", &l)
	if l.Vestigingen[0].IndAdresAfgeschermd != "Ja" || strings.Contains(l.Vestigingen[0].VolledigAdres, addr.Postcode) {
		t.Errorf("vestigingen shows %+v", l.Vestigingen[0])
	}
	q := url.Values{"postcode": {addr.Postcode}, "huisnummer": {strconv.Itoa(addr.HouseNumber)}}
	var r resultaat
	if a := get(t, srv.URL+"/api/v2/zoeken?"+q.Encode()); a.status == 200 {
		a.ok(t, "application/json", &r)
		for _, it := range r.Resultaten {
			if it.KvkNummer == c.KvKNumber {
				t.Error("an address search finds the shielded branch")
			}
		}
	}
	get(t, srv.URL+"/api/v2/zoeken?kvkNummer="+c.KvKNumber).ok(t, "application/json", &r)
	if ad := r.Resultaten[0].Adres.BinnenlandsAdres; ad.Postcode != "" || ad.Straatnaam != "" || ad.Plaats == "" {
		t.Errorf("zoeken shows the shielded address %+v", ad)
	}
}

func TestRDToWGS84(t *testing.T) {
	// KvK's documented example: rijksdriehoek 120921.45, 454921.47 has
	// gpsLatitude 52.08151653230184 and gpsLongitude 4.890048011859921.
	lat, lon := rdToWGS84(120921.45, 454921.47)
	if lat != 52.08151653 || lon != 4.89004801 {
		t.Errorf("rdToWGS84 = %v, %v", lat, lon)
	}
	// Amersfoort, the origin of the Rijksdriehoek grid.
	if lat, lon := rdToWGS84(155000, 463000); lat != 52.1551744 || lon != 5.38720621 {
		t.Errorf("origin = %v, %v", lat, lon)
	}
}

func TestLinksBelowAPrefix(t *testing.T) {
	p := generate(t, 200)
	mux := http.NewServeMux()
	mux.Handle("/nhr/", http.StripPrefix("/nhr", New(p)))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := newCompany(t, p)
	var bp basisprofiel
	get(t, srv.URL+"/nhr/api/v1/basisprofielen/"+c.KvKNumber).ok(t, "application/json", &bp)
	if want := srv.URL + "/nhr/api/v1/basisprofielen/" + c.KvKNumber; bp.Links[0].Href != want {
		t.Errorf("self link %q, want %q", bp.Links[0].Href, want)
	}
}

func TestOpenAPIServed(t *testing.T) {
	srv, _ := setup(t)
	a := get(t, srv.URL+"/api/v1/functionarissen/openapi.yaml")
	if a.status != 200 || !strings.HasPrefix(string(a.body), "openapi: 3.") {
		t.Errorf("status %d: %.40s", a.status, a.body)
	}
}

func TestConcurrentUse(t *testing.T) {
	srv, p := setup(t)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		c := p.Companies[i%len(p.Companies)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, path := range []string{
				"/api/v1/basisprofielen/" + c.KvKNumber + "?geoData=true",
				"/api/v1/basisprofielen/" + c.KvKNumber + "/vestigingen",
				"/api/v1/vestigingsprofielen/" + c.Branches[0].Number,
				"/api/v2/zoeken?naam=" + url.QueryEscape(population.NameWords(c.Name)[0]),
			} {
				resp, err := http.Get(srv.URL + path)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Errorf("%s: status %d", path, resp.StatusCode)
				}
			}
		}()
	}
	wg.Wait()
}
