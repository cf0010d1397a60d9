package nhr

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/poort-nl/poort/connectors"
)

// basePath mounts the test server's API below a path, as KvK's test
// environment lives below /test/api, so the client must keep the base
// path.
const basePath = "/test/api"

const testKey = "l7xx-test-key"

// setup starts a test server and a client configured for it. Tests register
// handlers on mux for paths below basePath.
func setup(t *testing.T) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	api := http.NewServeMux()
	api.Handle(basePath+"/", mux)
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	c, err := New(connectors.Config{BaseURL: srv.URL + basePath, AuthValue: testKey, MaxRetries: -1,
		Settings: map[string]string{FunctionariesURL: srv.URL + basePath + "/v1"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, mux
}

// testRequest asserts what every call sends: the method, the API key in
// KvK's header (to KvK only: the functionarissen source never gets it),
// and an Accept header that takes KvK's media types.
func testRequest(t *testing.T, r *http.Request, method string) {
	t.Helper()
	if r.Method != method {
		t.Errorf("method %s, want %s", r.Method, method)
	}
	key := testKey
	if strings.Contains(r.URL.Path, "/functionarissen") {
		key = ""
	}
	if got := r.Header.Get("apikey"); got != key {
		t.Errorf("apikey header %q, want %q", got, key)
	}
	accept := r.Header.Get("Accept")
	if !strings.Contains(accept, "application/json") || !strings.Contains(accept, "application/hal+json") {
		t.Errorf("Accept %q", accept)
	}
}

// testQuery asserts the query string exactly.
func testQuery(t *testing.T, r *http.Request, want url.Values) {
	t.Helper()
	if got := r.URL.Query(); !reflect.DeepEqual(got, want) {
		t.Errorf("query %v, want %v", got, want)
	}
}

// serveFile answers with a testdata file in the media type.
func serveFile(t *testing.T, w http.ResponseWriter, status int, mediaType, name string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	w.Header().Set("Content-Type", mediaType)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func intp(n int) *int { return &n }

func floatp(f float64) *float64 { return &f }

func TestCompany(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc(basePath+"/v1/basisprofielen/68750110", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, http.MethodGet)
		testQuery(t, r, url.Values{"geoData": {"true"}})
		serveFile(t, w, 200, "application/json", "basisprofiel.json")
	})
	got, err := c.Company(context.Background(), "68750110")
	if err != nil {
		t.Fatal(err)
	}
	visit := Address{
		Kind: VisitingAddress, FullAddress: "Hizzaarderlaan 3 A 8823SJ Lollum", Street: "Hizzaarderlaan",
		HouseNumber: 3, Addition: "A", Postcode: "8823SJ", Place: "Lollum", Country: "Nederland",
	}
	visitGeo := visit
	visitGeo.AddressID, visitGeo.ObjectID = "1900200000147237", "1900010000146379"
	visitGeo.Latitude, visitGeo.Longitude = floatp(53.13024864), floatp(5.46823562)
	want := &Company{
		KvKNumber:        "68750110",
		RSIN:             "857587973",
		Name:             "Test BV Donald",
		StatutoryName:    "Test BV Donald",
		TradeNames:       []string{"Test BV Donald", "Donald Nevenactiviteiten"},
		LegalForm:        "Besloten Vennootschap",
		LegalFormDetail:  "Besloten Vennootschap met gewone structuur",
		RegistrationDate: "2017-05-19",
		StartDate:        "2017-05",
		Employees:        intp(3),
		NonMailing:       true,
		Activities: []Activity{
			{Code: "01241", Description: "Teelt van appels en peren", Main: true},
			{Code: "6420", Description: "Financiële holdings"},
		},
		MainBranch: &Branch{
			Number: "000037178598", KvKNumber: "68750110", FirstTradeName: "Test BV Donald", StatutoryName: "Test BV Donald",
			Main: true, Commercial: true, NonMailing: true, FullTime: intp(2), PartTime: intp(1), Employees: intp(3),
			Activities: []Activity{{Code: "01241", Description: "Teelt van appels en peren", Main: true}},
			Addresses: []Address{
				{Kind: PostalAddress, FullAddress: "Postbus 200 1000AE Rommeldam", Street: "Postbus", POBox: 200,
					Postcode: "1000AE", Place: "Rommeldam", Country: "Nederland"},
				visitGeo,
			},
			Websites:         []string{"www.testbvdonald.nl"},
			RegistrationDate: "2020-02-10",
			StartDate:        "2014-02-10",
		},
		OwnerAddresses: []Address{visit},
		Websites:       []string{"www.testbvdonald.nl"},
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("Company:\n%s\nwant\n%s", g, w)
	}
}

func TestBranches(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc(basePath+"/v1/basisprofielen/68750110/vestigingen", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, http.MethodGet)
		testQuery(t, r, url.Values{})
		serveFile(t, w, 200, "application/json", "vestigingen.json")
	})
	got, err := c.Branches(context.Background(), "68750110")
	if err != nil {
		t.Fatal(err)
	}
	want := []BranchSummary{
		{Number: "000037178598", FirstTradeName: "Test BV Donald", Main: true, Commercial: true, FullAddress: "Hizzaarderlaan 3 A 8823SJ Lollum"},
		{Number: "000037178601", FirstTradeName: "Test BV Donald Nevenvestiging", Commercial: true, Shielded: true, FullAddress: "Diepenveen"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Branches = %+v", got)
	}
}

func TestBranch(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc(basePath+"/v1/vestigingsprofielen/000037178601", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, http.MethodGet)
		testQuery(t, r, url.Values{"geoData": {"true"}})
		serveFile(t, w, 200, "application/hal+json", "vestigingsprofiel.json")
	})
	got, err := c.Branch(context.Background(), "000037178601")
	if err != nil {
		t.Fatal(err)
	}
	want := &Branch{
		Number: "000037178601", KvKNumber: "68750110", RSIN: "857587973",
		FirstTradeName: "Test BV Donald Nevenvestiging", TradeNames: []string{"Test BV Donald Nevenvestiging"},
		StatutoryName: "Test BV Donald", Commercial: true, Employees: intp(0),
		Activities: []Activity{{Code: "01241", Description: "Teelt van appels en peren", Main: true}},
		Addresses: []Address{
			{Kind: VisitingAddress, FullAddress: "Diepenveen", Place: "Diepenveen", Country: "Nederland", Shielded: true},
		},
		RegistrationDate: "2020-02-10", StartDate: "2019", EndDate: "2025-12-31",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Branch = %+v\nwant %+v", got, want)
	}
}

func TestSearch(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc(basePath+"/v2/zoeken", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, http.MethodGet)
		switch r.URL.Query().Get("naam") {
		case "donald":
			testQuery(t, r, url.Values{
				"naam": {"donald"}, "plaats": {"Lollum"}, "postcode": {"8823SJ"}, "huisnummer": {"3"}, "huisletter": {"a"},
				"type": {"hoofdvestiging"}, "inclusiefInactieveRegistraties": {"true"}, "pagina": {"2"}, "resultatenPerPagina": {"3"},
			})
			serveFile(t, w, 200, "application/json", "zoeken.json")
		default:
			serveFile(t, w, 404, "application/json", "fout-ipd5200.json")
		}
	})
	got, err := c.Search(context.Background(), SearchQuery{
		Name: " donald ", Place: "Lollum", Postcode: "8823 sj", HouseNumber: 3, HouseLetter: "a",
		Type: MainBranchResult, IncludeInactive: true, Page: 2, PerPage: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &SearchPage{Page: 2, PerPage: 3, Total: 8, HasNext: true, Results: []SearchResult{
		{KvKNumber: "68750110", BranchNumber: "000037178598", Name: "Test BV Donald", Type: MainBranchResult, Active: true,
			Address: &SearchAddress{Kind: "bezoekadres", Street: "Hizzaarderlaan", HouseNumber: 3, Postcode: "8823SJ", Place: "Lollum"}},
		{KvKNumber: "68750110", RSIN: "857587973", Name: "Test BV Donald", Type: LegalEntityResult, Active: true},
		{KvKNumber: "90005414", BranchNumber: "990000216645", Name: "Donald Import", Type: SideBranchResult,
			Address: &SearchAddress{Kind: "postadres", StreetAndNumber: "53 Rue de Tilsitt", PostcodeAndPlace: "X-13501 Parijs", Country: "Frankrijk"}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Search = %+v\nwant %+v", got, want)
	}

	t.Run("nothing found is an empty page", func(t *testing.T) {
		got, err := c.Search(context.Background(), SearchQuery{Name: "niemand"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != 0 || got.Results == nil || len(got.Results) != 0 || got.Page != 1 || got.PerPage != 10 {
			t.Errorf("%+v", got)
		}
	})
}

func TestSearchValidation(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc(basePath+"/v2/zoeken", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("an invalid query reached the API: %s", r.URL.RawQuery)
	})
	for name, q := range map[string]SearchQuery{
		"no criterion":                 {Type: MainBranchResult},
		"KvK number of 7 digits":       {KvKNumber: "1234567"},
		"vestigingsnummer of 8 digits": {BranchNumber: "37178598"},
		"RSIN failing the elfproef":    {RSIN: "123456789"},
		"postcode without number":      {Postcode: "1234AB"},
		"number without postcode":      {Name: "x", HouseNumber: 3},
		"malformed postcode":           {Postcode: "0123AB", HouseNumber: 3},
		"house letter without number":  {Name: "x", HouseLetter: "A"},
		"two house letters":            {Postcode: "1234AB", HouseNumber: 3, HouseLetter: "AB"},
		"unknown type":                 {Name: "x", Type: "filiaal"},
		"page 1001":                    {Name: "x", Page: 1001},
		"101 per page":                 {Name: "x", PerPage: 101},
		"negative page":                {Name: "x", Page: -1},
		"long name":                    {Name: strings.Repeat("a", maxText+1)},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.Search(context.Background(), q)
			if !errors.Is(err, connectors.ErrInvalidRequest) {
				t.Errorf("err = %v, want ErrInvalidRequest", err)
			}
		})
	}
}

func TestFunctionaries(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc(basePath+"/v1/basisprofielen/69599076/functionarissen", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, http.MethodGet)
		serveFile(t, w, 200, "application/json", "functionarissen.json")
	})
	got, err := c.Functionaries(context.Background(), "69599076")
	if err != nil {
		t.Fatal(err)
	}
	want := []Functionary{
		{BSN: "999993653", Role: "Vennoot", Since: "2015-06-22"},
		{BSN: "999970008", Role: "Vennoot", Since: "2015-06"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Functionaries = %+v", got)
	}
}

func TestRolesOfPerson(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc(basePath+"/v1/functionarissen/zoeken", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, http.MethodPost)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
		if r.URL.RawQuery != "" {
			t.Errorf("query %q: the BSN belongs in the body", r.URL.RawQuery)
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		switch body["burgerservicenummer"] {
		case "999993653":
			if len(body) != 1 {
				t.Errorf("body %v", body)
			}
			serveFile(t, w, 200, "application/json", "functionarissen-zoeken.json")
		default:
			serveFile(t, w, 404, "application/json", "fout-ipd5200.json")
		}
	})
	got, err := c.RolesOfPerson(context.Background(), "999993653")
	if err != nil {
		t.Fatal(err)
	}
	want := []Role{
		{KvKNumber: "69599076", Name: "Test VOF Guus", Role: "Vennoot", Since: "2015-06-22"},
		{KvKNumber: "69599084", Name: "Test EMZ Dagobert", Role: "Eigenaar", Since: "2010-01-01"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RolesOfPerson = %+v", got)
	}

	t.Run("no roles is an empty result", func(t *testing.T) {
		got, err := c.RolesOfPerson(context.Background(), "999970008")
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("RolesOfPerson = %v, %v", got, err)
		}
	})
	t.Run("a BSN failing the elfproef is not sent", func(t *testing.T) {
		_, err := c.RolesOfPerson(context.Background(), "999993654")
		if !errors.Is(err, connectors.ErrInvalidRequest) {
			t.Errorf("err = %v", err)
		}
		if strings.Contains(err.Error(), "999993654") {
			t.Error("the error repeats the BSN")
		}
	})
}

func TestRolesOfPersonIsRetried(t *testing.T) {
	var calls atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/functionarissen/zoeken", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			serveFile(t, w, 503, "application/json", "fout-ipd9999.json")
			return
		}
		serveFile(t, w, 200, "application/json", "functionarissen-zoeken.json")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := New(connectors.Config{BaseURL: srv.URL + "/api", MaxRetries: 1, Settings: map[string]string{FunctionariesURL: srv.URL + "/api/v1"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RolesOfPerson(context.Background(), "999993653"); err != nil || calls.Load() != 2 {
		t.Errorf("err %v after %d calls; the search POST changes nothing and should be retried", err, calls.Load())
	}
}

// TestFunctionariesWithoutASourceAreNotOffered: pointed at KvK alone, which
// has no functionaries, the connector says so and asks nothing, rather
// than reading KvK's 404 as "none" or "no such company".
func TestFunctionariesWithoutASourceAreNotOffered(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		serveFile(t, w, 404, "application/json", "fout-ipd0005.json")
	}))
	defer srv.Close()
	c, err := New(connectors.Config{BaseURL: srv.URL + "/api", AuthValue: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, ferr := c.Functionaries(context.Background(), "69599076")
	_, rerr := c.RolesOfPerson(context.Background(), "999993653")
	for _, err := range []error{ferr, rerr} {
		var ce *connectors.Error
		if !errors.As(err, &ce) || !errors.Is(err, connectors.ErrNotOffered) || !strings.Contains(ce.Detail, FunctionariesURL) {
			t.Errorf("err = %v, want kind ErrNotOffered naming %s", err, FunctionariesURL)
		}
	}
	if calls.Load() != 0 {
		t.Errorf("%d calls to KvK for functionaries it does not have", calls.Load())
	}
	if got := c.NotOffered(); len(got) != 1 || !strings.Contains(got[0], FunctionariesURL) {
		t.Errorf("NotOffered = %v, want the functionaries, naming %s", got, FunctionariesURL)
	}
}

func TestInvalidIdentifiersAreNotSent(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("an invalid identifier reached the API: %s", r.URL.Path)
	})
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"Company":          func() error { _, err := c.Company(ctx, "6875011"); return err },
		"Companies":        func() error { _, err := c.Companies(ctx, []string{"68750110", "x"}); return err },
		"Branches":         func() error { _, err := c.Branches(ctx, "68750110/"); return err },
		"Branch":           func() error { _, err := c.Branch(ctx, "37178601"); return err },
		"BranchesByNumber": func() error { _, err := c.BranchesByNumber(ctx, []string{"37178601"}); return err },
		"Functionaries":    func() error { _, err := c.Functionaries(ctx, "../secret"); return err },
		"RolesOfPerson":    func() error { _, err := c.RolesOfPerson(ctx, "12345678"); return err },
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			var ce *connectors.Error
			if !errors.As(err, &ce) || ce.Kind != connectors.ErrInvalidRequest || ce.Registry != Registry {
				t.Errorf("err = %v, want an *connectors.Error of kind ErrInvalidRequest", err)
			}
		})
	}
}

// failure is one way an upstream call can fail, and the error kind the
// connector must give for it.
type failure struct {
	name      string
	status    int
	mediaType string
	body      string // a testdata file, or the body itself
	kind      error
}

func (f failure) serve(t *testing.T, w http.ResponseWriter) {
	if strings.HasSuffix(f.body, ".json") {
		serveFile(t, w, f.status, f.mediaType, f.body)
		return
	}
	w.Header().Set("Content-Type", f.mediaType)
	w.WriteHeader(f.status)
	_, _ = io.WriteString(w, f.body)
}

// commonFailures apply to every operation.
var commonFailures = []failure{
	{"400 with KvK's fout", 400, "application/json", "fout-ipd1999.json", connectors.ErrInvalidRequest},
	{"401", 401, "application/json", `{"fout":[{"code":"IPD0001","omschrijving":"Geen geldige apikey."}]}`, connectors.ErrUnauthorized},
	{"500 with IPD9999", 500, "application/json", "fout-ipd9999.json", connectors.ErrUnavailable},
	{"503", 503, "text/plain", "Service Unavailable", connectors.ErrUnavailable},
	{"malformed body", 200, "application/json", `{"kvkNummer": "6875`, connectors.ErrInvalidResponse},
	{"wrong content type", 200, "text/html", "<html>KvK</html>", connectors.ErrInvalidResponse},
	// One body breaks each operation's shape in a field that operation reads.
	{"an indicator or a date out of shape", 200, "application/json", `{"kvkNummer":"68750110","indNonMailing":"Misschien","vestigingsnummer":"000037178601","indHoofdvestiging":"Misschien","vestigingen":[{"indHoofdvestiging":"Misschien"}],"resultaten":[{"actief":"Misschien"}],"inschrijvingen":[{"datumAanvang":"2015"}],"functionarissen":[{"datumAanvang":"20151301"}]}`, connectors.ErrInvalidResponse},
}

func TestFailures(t *testing.T) {
	ctx := context.Background()
	notFound := failure{"404 with KvK's fout", 404, "application/json", "fout-ipd0005.json", connectors.ErrNotFound}
	searchNothing := failure{"404 with IPD5200", 404, "application/json", "fout-ipd5200.json", nil}
	searchNoAPI := failure{"404 without KvK's fout", 404, "text/html", "<html>Not Found</html>", connectors.ErrInvalidResponse}
	ops := []struct {
		name  string
		path  string
		call  func(*Client) error
		extra []failure
	}{
		{"Company", "/v1/basisprofielen/68750110", func(c *Client) error { _, err := c.Company(ctx, "68750110"); return err }, []failure{notFound}},
		{"Branches", "/v1/basisprofielen/68750110/vestigingen", func(c *Client) error { _, err := c.Branches(ctx, "68750110"); return err }, []failure{notFound}},
		{"Branch", "/v1/vestigingsprofielen/000037178601", func(c *Client) error { _, err := c.Branch(ctx, "000037178601"); return err }, []failure{notFound}},
		{"Functionaries", "/v1/basisprofielen/68750110/functionarissen", func(c *Client) error { _, err := c.Functionaries(ctx, "68750110"); return err }, []failure{notFound}},
		{"Search", "/v2/zoeken", func(c *Client) error { _, err := c.Search(ctx, SearchQuery{Name: "x"}); return err }, []failure{searchNothing, searchNoAPI}},
		{"RolesOfPerson", "/v1/functionarissen/zoeken", func(c *Client) error { _, err := c.RolesOfPerson(ctx, "999993653"); return err }, []failure{searchNothing, searchNoAPI}},
	}
	for _, op := range ops {
		for _, f := range append(append([]failure{}, commonFailures...), op.extra...) {
			t.Run(op.name+"/"+f.name, func(t *testing.T) {
				c, mux := setup(t)
				mux.HandleFunc(basePath+op.path, func(w http.ResponseWriter, r *http.Request) { f.serve(t, w) })
				err := op.call(c)
				if f.kind == nil {
					if err != nil {
						t.Errorf("err = %v, want none", err)
					}
					return
				}
				var ce *connectors.Error
				if !errors.As(err, &ce) || !errors.Is(err, f.kind) || ce.Registry != Registry {
					t.Errorf("err = %v, want an *connectors.Error of kind %v", err, f.kind)
				}
			})
		}
	}
}

func TestCheck(t *testing.T) {
	for _, f := range []failure{
		{"nothing found is healthy", 404, "application/json", "fout-ipd5200.json", nil},
		{"a hit is healthy", 200, "application/json", "zoeken.json", nil},
		{"a 404 page is not", 404, "text/html", "<html>Not Found</html>", connectors.ErrInvalidResponse},
		{"a 404 with another fout is not", 404, "application/json", "fout-ipd0005.json", connectors.ErrInvalidResponse},
		{"a wrong key is not", 401, "application/json", `{"fout":[]}`, connectors.ErrUnauthorized},
		{"503 is not", 503, "text/plain", "down", connectors.ErrUnavailable},
	} {
		t.Run(f.name, func(t *testing.T) {
			c, mux := setup(t)
			mux.HandleFunc(basePath+"/v2/zoeken", func(w http.ResponseWriter, r *http.Request) {
				testRequest(t, r, http.MethodGet)
				testQuery(t, r, url.Values{"kvkNummer": {"00000000"}, "resultatenPerPagina": {"1"}})
				f.serve(t, w)
			})
			err := c.Check(context.Background())
			if f.kind == nil && err != nil || f.kind != nil && !errors.Is(err, f.kind) {
				t.Errorf("Check = %v, want %v", err, f.kind)
			}
		})
	}
}

func TestISODate(t *testing.T) {
	for in, want := range map[string]string{
		"20170519": "2017-05-19",
		"20170500": "2017-05",
		"20170000": "2017",
		"00000000": "",
		"":         "",
	} {
		if got, err := isoDate("d", in); err != nil || got != want {
			t.Errorf("isoDate(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"2017-05-19", "2017051", "20171301", "20170532", "00000519", "20170019", "2017O519"} {
		if _, err := isoDate("d", in); err == nil {
			t.Errorf("isoDate(%q) accepted", in)
		}
	}
}

func TestRegistration(t *testing.T) {
	set, err := connectors.NewSet(Registration())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := set.Open(ID, connectors.Config{BaseURL: "http://127.0.0.1:1/api"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if conn.Registry() != Registry || ID != "kvk-handelsregister" {
		t.Errorf("registry %s, id %s", conn.Registry(), ID)
	}
	if _, err := New(connectors.Config{BaseURL: "api.kvk.nl"}); err == nil {
		t.Error("New accepted a base URL that is not absolute")
	}
}
