package brp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
)

// The server's base path, as the proefomgeving has it.
const (
	basePath     = "/haalcentraal/api/brp"
	personenURL  = basePath + "/personen"
	reisdocURL   = "/haalcentraal/api/reisdocumenten/reisdocumenten"
	testAPIKey   = "test-key"
	apiKeyHeader = "X-API-KEY"
)

// setup starts a server with a mux the test fills and a client whose base
// URL is the server below basePath.
func setup(t *testing.T, opts ...func(*connectors.Config)) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	cfg := connectors.Config{
		BaseURL: srv.URL + basePath, AuthHeader: apiKeyHeader, AuthValue: testAPIKey,
		Timeout: 2 * time.Second, MaxRetries: -1,
	}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, mux
}

// testRequest asserts what every call sends: POST, JSON both ways, the
// credentials header. It returns the decoded body.
func testRequest(t *testing.T, r *http.Request) map[string]any {
	t.Helper()
	if r.Method != http.MethodPost {
		t.Errorf("method %s, want POST", r.Method)
	}
	if got := r.Header.Get(apiKeyHeader); got != testAPIKey {
		t.Errorf("%s = %q, want %q", apiKeyHeader, got, testAPIKey)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if got := r.Header.Get("Accept"); got != "application/json" {
		t.Errorf("Accept = %q", got)
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		t.Errorf("request body: %v", err)
	}
	return body
}

// serveFile answers with a testdata file.
func serveFile(t *testing.T, w http.ResponseWriter, status int, contentType, name string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("testdata: %v", err)
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

const jsonType = "application/json; charset=utf-8"

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestNewTouchesNoNetwork(t *testing.T) {
	c, err := New(connectors.Config{BaseURL: "http://127.0.0.1:1/haalcentraal/api/brp"})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if c.Registry() != Registry {
		t.Errorf("Registry = %s", c.Registry())
	}
	if _, err := New(connectors.Config{BaseURL: "not a url"}); err == nil {
		t.Error("New accepted a base URL that is not absolute")
	}
}

func TestRegistration(t *testing.T) {
	r := Registration()
	if r.ID != "brp-haalcentraal-personen-v2" || r.Registry != Registry || r.Description == "" {
		t.Errorf("Registration = %+v", r)
	}
	if _, err := connectors.NewSet(r); err != nil {
		t.Fatalf("NewSet: %v", err)
	}
	c, err := r.New(connectors.Config{BaseURL: "http://localhost/haalcentraal/api/brp"})
	if err != nil || c.Registry() != Registry {
		t.Fatalf("New: %v %v", c, err)
	}
}

func TestPersonsByBSNMapsTheAnswer(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc(personenURL, func(w http.ResponseWriter, r *http.Request) {
		body := testRequest(t, r)
		if body["type"] != "RaadpleegMetBurgerservicenummer" {
			t.Errorf("type = %v", body["type"])
		}
		if got := strs(body["burgerservicenummer"]); !reflect.DeepEqual(got, []string{"999821428", "999663045", "999993653"}) {
			t.Errorf("burgerservicenummer = %v", got)
		}
		if got := strs(body["fields"]); !reflect.DeepEqual(got, []string{"burgerservicenummer", "naam", "ouders"}) {
			t.Errorf("fields = %v, want burgerservicenummer added and repeats dropped", got)
		}
		serveFile(t, w, 200, jsonType, "raadpleeg.json")
	})
	got, err := c.PersonsByBSN(context.Background(), []string{"999821428", "999663045", "999993653", "999821428"}, []string{"naam", "ouders", "naam"})
	if err != nil {
		t.Fatalf("PersonsByBSN: %v", err)
	}
	if len(got) != 2 {
		t.Fatalf("%d persons, want 2 (the unknown BSN is absent)", len(got))
	}
	if _, ok := got["999993653"]; ok {
		t.Error("an unknown BSN is in the map")
	}

	p := got["999821428"]
	age := 47
	want := &Person{
		BSN: "999821428", ANumber: "1000000161",
		Name: &Name{GivenNames: "Aisha Elif", Prefix: "de", Surname: "Wit", Initials: "A.E.", FullName: "Aisha Elif de Wit",
			NameUse: &Code{"E", "gebruik alleen de eigen naam."}},
		Gender: &Code{"V", "vrouw"},
		Birth: &Birth{Date: &Date{Kind: DateFull, Date: "1978-10-02", Year: 1978, Month: 10, Text: "2 oktober 1978"},
			Place: &Code{"0518", "'s-Gravenhage"}, Country: &Code{"6030", "Nederland"}},
		Age: &age,
		Residence: &Residence{Kind: "Adres", Street: "Brinksingel", ShortStreet: "Brinksingel", HouseNumber: 3, Postcode: "2550AA",
			Place: "'s-Gravenhage", AddressID: "0518200000000003", ObjectID: "0518010000000003",
			Since:    &Date{Kind: DateFull, Date: "2002-03-03", Year: 2002, Month: 3, Text: "3 maart 2002"},
			Function: &Code{"W", "woonadres"}},
		Municipality:      &Code{"0518", "'s-Gravenhage"},
		MunicipalitySince: &Date{Kind: DateFull, Date: "2002-03-03", Year: 2002, Month: 3, Text: "3 maart 2002"},
		FirstRegistered:   &Date{Kind: DateFull, Date: "1994-10-01", Year: 1994, Month: 10, Text: "1 oktober 1994"},
		AddressLines: &AddressLines{Line1: "Brinksingel 3", Line2: "2550 AA  'S-GRAVENHAGE", Salutation: "Geachte mevrouw De Wit",
			AddressName: "A.E. de Wit", InText: "mevrouw De Wit"},
		Secret: true,
	}
	// Compare the scalar groups here and the collections below.
	cp := *p
	cp.Nationalities, cp.Parents, cp.Children, cp.Partners = nil, nil, nil, nil
	if !reflect.DeepEqual(&cp, want) {
		t.Errorf("person =\n%s\nwant\n%s", js(&cp), js(want))
	}
	if len(p.Nationalities) != 1 || p.Nationalities[0].Kind != "Nationaliteit" || p.Nationalities[0].Nationality.Code != "0001" {
		t.Errorf("nationalities = %s", js(p.Nationalities))
	}
	if len(p.Parents) != 2 || p.Parents[0].BSN != "999663045" || p.Parents[0].Designation != "1" || p.Parents[1].Designation != "2" {
		t.Fatalf("parents = %s", js(p.Parents))
	}
	if d := p.Parents[0].Birth.Date; *d != (Date{Kind: DateYearMonth, Year: 1950, Month: 3, Text: "maart 1950"}) {
		t.Errorf("a JaarMaandDatum = %+v", d)
	}
	if n := p.Parents[1].Name; n.GivenNames != "Zoë" || n.Surname != "Jacobs" || n.FullName != "" {
		t.Errorf("parent name = %+v", n)
	}
	if len(p.Children) != 2 || p.Children[0].BSN != "999138182" || p.Children[0].Birth == nil {
		t.Errorf("children = %s", js(p.Children))
	}
	if len(p.Partners) != 1 || p.Partners[0].BSN != "999979802" || p.Partners[0].Kind.Code != "H" ||
		p.Partners[0].Started.Date != "2008-03-04" || p.Partners[0].Ended != nil || p.Partners[0].StartCountry.Code != "6030" {
		t.Errorf("partners = %s", js(p.Partners))
	}

	dead := got["999663045"]
	if dead.Death == nil || dead.Death.Date.Date != "2026-02-27" || dead.Death.Place.Code != "0518" {
		t.Errorf("death = %s", js(dead.Death))
	}
	if dead.SuspendedReason == nil || dead.SuspendedReason.Code != "O" || dead.SuspendedSince.Date != "2026-02-27" {
		t.Errorf("suspension = %v %v", dead.SuspendedReason, dead.SuspendedSince)
	}
	if dead.Age != nil {
		t.Errorf("age of the deceased = %d", *dead.Age)
	}
	if e := dead.Partners[0].Ended; e == nil || e.Date != "2026-02-27" {
		t.Errorf("ended partnership = %v", e)
	}
}

func js(v any) string { b, _ := json.MarshalIndent(v, "", " "); return string(b) }

func TestPersonsByBSNSplitsBatchesConcurrently(t *testing.T) {
	c, mux := setup(t)
	var calls, inFlight, maxInFlight atomic.Int32
	var mu sync.Mutex
	var asked []string
	mux.HandleFunc(personenURL, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		calls.Add(1)
		body := testRequest(t, r)
		bsns := strs(body["burgerservicenummer"])
		if len(bsns) > MaxBSNs {
			t.Errorf("a batch of %d BSNs", len(bsns))
		}
		time.Sleep(20 * time.Millisecond) // let the batches overlap
		mu.Lock()
		asked = append(asked, bsns...)
		mu.Unlock()
		var resp personenResponse
		resp.Type = "RaadpleegMetBurgerservicenummer"
		for _, b := range bsns {
			resp.Personen = append(resp.Personen, wirePersoon{Burgerservicenummer: b})
		}
		w.Header().Set("Content-Type", jsonType)
		_ = json.NewEncoder(w).Encode(resp)
	})
	bsns := testBSNs(t, 45)
	got, err := c.PersonsByBSN(context.Background(), bsns, []string{"burgerservicenummer"})
	if err != nil {
		t.Fatalf("PersonsByBSN: %v", err)
	}
	if calls.Load() != 3 {
		t.Errorf("%d calls for 45 BSNs, want 3", calls.Load())
	}
	if maxInFlight.Load() < 2 {
		t.Errorf("the batches ran one after another")
	}
	if len(got) != 45 {
		t.Errorf("%d persons, want 45", len(got))
	}
	sort.Strings(asked)
	want := append([]string{}, bsns...)
	sort.Strings(want)
	if !reflect.DeepEqual(asked, want) {
		t.Errorf("asked %d BSNs, not each once", len(asked))
	}
}

// testBSNs makes n valid BSNs in the test range.
func testBSNs(t *testing.T, n int) []string {
	t.Helper()
	var out []string
	for i := 0; len(out) < n; i++ {
		s := fmt.Sprintf("9999%04d", i)
		sum := 0
		for j := 0; j < 8; j++ {
			sum += (9 - j) * int(s[j]-'0')
		}
		if d := sum % 11; d < 10 {
			out = append(out, s+string(rune('0'+d)))
		}
	}
	return out
}

func TestInvalidInputCallsNothing(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("called %s", r.URL.Path) })
	ctx := context.Background()
	tests := map[string]func() error{
		"BSN of letters":  func() error { _, err := c.PersonsByBSN(ctx, []string{"99999999a"}, []string{"naam"}); return err },
		"BSN of 8 digits": func() error { _, err := c.Person(ctx, "12345678", []string{"naam"}); return err },
		"unknown field":   func() error { _, err := c.PersonsByBSN(ctx, []string{"999993653"}, []string{"anummer"}); return err },
		"automatic field": func() error {
			_, err := c.PersonsByBSN(ctx, []string{"999993653"}, []string{"inOnderzoek"})
			return err
		},
		"postcode":                 func() error { _, err := c.SearchByPostcode(ctx, "0628HJ", 2); return err },
		"house number":             func() error { _, err := c.SearchByPostcode(ctx, "2628HJ", 0); return err },
		"birth date":               func() error { _, err := c.SearchByNameAndBirthDate(ctx, "Jansen", "26-05-1983"); return err },
		"surname":                  func() error { _, err := c.SearchByNameAndBirthDate(ctx, " ", "1983-05-26"); return err },
		"option of another search": func() error { _, err := c.SearchByPostcode(ctx, "2628HJ", 2, WithGivenNames("Jan")); return err },
		"municipality":             func() error { _, err := c.SearchByObject(ctx, "0518010000000003", WithMunicipality("518")); return err },
		"object id":                func() error { _, err := c.SearchByObject(ctx, "0518200000000003"); return err },
		"address id":               func() error { _, err := c.SearchByAddressID(ctx, "123"); return err },
		"travel BSN":               func() error { _, err := c.TravelDocuments(ctx, "123", nil); return err },
		"travel field of an older version": func() error {
			_, err := c.TravelDocuments(ctx, "999993653", []string{"indicatieGeldig"})
			return err
		},
		"travel field delivered automatically": func() error {
			_, err := c.TravelDocuments(ctx, "999993653", []string{"houder.geheimhoudingPersoonsgegevens"})
			return err
		},
		"document number": func() error { _, err := c.TravelDocument(ctx, "NE36-3258", nil); return err },
	}
	for name, call := range tests {
		t.Run(name, func(t *testing.T) {
			err := call()
			var ce *connectors.Error
			if !errors.Is(err, connectors.ErrInvalidRequest) || !errors.As(err, &ce) || ce.Registry != Registry {
				t.Fatalf("err = %v, want a BRP *connectors.Error of kind ErrInvalidRequest", err)
			}
			for _, id := range []string{"99999999a", "12345678", "0518010000000003", "0628HJ", "NE36-3258"} {
				if strings.Contains(err.Error(), id) {
					t.Errorf("the error %q discloses an identifier", err)
				}
			}
		})
	}
}

func TestSearches(t *testing.T) {
	c, mux := setup(t)
	var last map[string]any
	mux.HandleFunc(personenURL, func(w http.ResponseWriter, r *http.Request) {
		last = testRequest(t, r)
		serveFile(t, w, 200, jsonType, "zoek.json")
	})
	ctx := context.Background()
	check := func(t *testing.T, persons []*Person, err error, want map[string]any) {
		t.Helper()
		if err != nil {
			t.Fatalf("search: %v", err)
		}
		if len(persons) != 4 || persons[0].BSN != "999821428" || persons[0].Name.Surname != "Wit" ||
			persons[0].Birth.Date.Date != "1978-10-02" || persons[0].AddressLines.Line1 != "Brinksingel 3" || *persons[0].Age != 47 {
			t.Errorf("persons = %s", js(persons))
		}
		if got := strs(last["fields"]); !reflect.DeepEqual(got, []string{"burgerservicenummer", "naam", "geboorte", "geslacht", "leeftijd", "adressering"}) {
			t.Errorf("fields = %v", got)
		}
		delete(last, "fields")
		if fmt.Sprint(last) != fmt.Sprint(want) {
			t.Errorf("body = %v, want %v", last, want)
		}
	}
	t.Run("name and birth date", func(t *testing.T) {
		ps, err := c.SearchByNameAndBirthDate(ctx, "Wit", "1978-10-02", WithGivenNames("Ais*"), WithPrefix("de"), WithGender("V"), IncludeDeceased())
		check(t, ps, err, map[string]any{"type": "ZoekMetGeslachtsnaamEnGeboortedatum", "geslachtsnaam": "Wit", "geboortedatum": "1978-10-02",
			"voornamen": "Ais*", "voorvoegsel": "de", "geslacht": "V", "inclusiefOverledenPersonen": true})
	})
	t.Run("postcode", func(t *testing.T) {
		ps, err := c.SearchByPostcode(ctx, "2550 aa", 3, WithHouseLetter("a"), WithMunicipality("0518"))
		check(t, ps, err, map[string]any{"type": "ZoekMetPostcodeEnHuisnummer", "postcode": "2550AA", "huisnummer": 3,
			"huisletter": "a", "gemeenteVanInschrijving": "0518"})
	})
	t.Run("address id", func(t *testing.T) {
		ps, err := c.SearchByAddressID(ctx, "0518200000000003")
		check(t, ps, err, map[string]any{"type": "ZoekMetNummeraanduidingIdentificatie", "nummeraanduidingIdentificatie": "0518200000000003"})
	})
	t.Run("object", func(t *testing.T) {
		ps, err := c.SearchByObject(ctx, "0518010000000003")
		check(t, ps, err, map[string]any{"type": "ZoekMetAdresseerbaarObjectIdentificatie", "adresseerbaarObjectIdentificatie": "0518010000000003"})
	})
}

func TestTravelDocuments(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc(reisdocURL, func(w http.ResponseWriter, r *http.Request) {
		body := testRequest(t, r)
		switch body["type"] {
		case "ZoekMetBurgerservicenummer":
			if body["burgerservicenummer"] != "999620733" {
				t.Errorf("burgerservicenummer = %v", body["burgerservicenummer"])
			}
			// Only fields the published API accepts; it refuses the
			// automatically delivered ones.
			if got := strs(body["fields"]); !reflect.DeepEqual(got, []string{"reisdocumentnummer", "soort", "datumEindeGeldigheid", "inhoudingOfVermissing", "houder"}) {
				t.Errorf("fields = %v, want the five fields of a Reisdocument", got)
			}
			serveFile(t, w, 200, jsonType, "reisdocumenten.json")
		case "RaadpleegMetReisdocumentnummer":
			switch got := strs(body["reisdocumentnummer"]); {
			case reflect.DeepEqual(got, []string{"ID82046A7"}):
				serveFile(t, w, 200, jsonType, "reisdocument-vermist.json")
			case reflect.DeepEqual(got, []string{"NE3663259"}):
				w.Header().Set("Content-Type", jsonType)
				_, _ = io.WriteString(w, `{"type":"RaadpleegMetReisdocumentnummer","reisdocumenten":[]}`)
			default:
				t.Errorf("reisdocumentnummer = %v", got)
			}
		}
	})
	docs, err := c.TravelDocuments(context.Background(), "999620733", nil)
	if err != nil {
		t.Fatalf("TravelDocuments: %v", err)
	}
	want := []TravelDocument{{
		Number: "NE3663258", Kind: &Code{"PN", "Nationaal paspoort"},
		Expiry: &Date{Kind: DateFull, Date: "2033-05-06", Year: 2033, Month: 5, Text: "6 mei 2033"},
		BSN:    "999620733", Secret: true,
	}}
	if !reflect.DeepEqual(docs, want) {
		t.Errorf("documents = %s, want %s", js(docs), js(want))
	}
	// A lower-case number is sent as the API's pattern wants it.
	lost, err := c.TravelDocument(context.Background(), "id82046a7", []string{"reisdocumentnummer", "inhoudingOfVermissing"})
	wantLost := &TravelDocument{
		Number: "ID82046A7", Kind: &Code{"NI", "Nederlandse identiteitskaart"},
		Expiry:      &Date{Kind: DateFull, Date: "2028-11-03", Year: 2028, Month: 11, Text: "3 november 2028"},
		Withdrawal:  &Code{"V", "vermist"},
		WithdrawnOn: &Date{Kind: DateFull, Date: "2023-02-05", Year: 2023, Month: 2, Text: "5 februari 2023"},
		BSN:         "999620733", Secret: true,
	}
	if err != nil || !reflect.DeepEqual(lost, wantLost) {
		t.Errorf("TravelDocument = %s, %v; want %s", js(lost), err, js(wantLost))
	}
	_, err = c.TravelDocument(context.Background(), "NE3663259", []string{"reisdocumentnummer"})
	if !errors.Is(err, connectors.ErrNotFound) {
		t.Errorf("TravelDocument of an unknown number: %v, want ErrNotFound", err)
	}
}

// The API takes any nine digits as a BSN, and the registry's published
// test set holds BSNs that fail the elfproef (010008579 among them); the
// connector asks for those as the registry would answer them.
func TestBSNsOutsideTheElfproefAreAsked(t *testing.T) {
	c, mux := setup(t)
	const bsn = "010008579"
	asked := map[string]bool{}
	mux.HandleFunc(personenURL, func(w http.ResponseWriter, r *http.Request) {
		body := testRequest(t, r)
		asked["personen"] = reflect.DeepEqual(strs(body["burgerservicenummer"]), []string{bsn})
		w.Header().Set("Content-Type", jsonType)
		_, _ = io.WriteString(w, `{"type":"RaadpleegMetBurgerservicenummer","personen":[{"burgerservicenummer":"`+bsn+`"}]}`)
	})
	mux.HandleFunc(reisdocURL, func(w http.ResponseWriter, r *http.Request) {
		body := testRequest(t, r)
		asked["reisdocumenten"] = body["burgerservicenummer"] == bsn
		w.Header().Set("Content-Type", jsonType)
		_, _ = io.WriteString(w, `{"type":"ZoekMetBurgerservicenummer","reisdocumenten":[]}`)
	})
	if p, err := c.Person(context.Background(), bsn, []string{"naam"}); err != nil || p.BSN != bsn {
		t.Errorf("Person = %+v, %v", p, err)
	}
	if _, err := c.TravelDocuments(context.Background(), bsn, nil); err != nil {
		t.Errorf("TravelDocuments: %v", err)
	}
	if !asked["personen"] || !asked["reisdocumenten"] {
		t.Errorf("asked %v, want both APIs asked for %s", asked, bsn)
	}
}

func TestPersonNotFound(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc(personenURL, func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r)
		w.Header().Set("Content-Type", jsonType)
		_, _ = io.WriteString(w, `{"type":"RaadpleegMetBurgerservicenummer","personen":[]}`)
	})
	_, err := c.Person(context.Background(), "999993653", []string{"naam"})
	var ce *connectors.Error
	if !errors.Is(err, connectors.ErrNotFound) || !errors.As(err, &ce) || ce.Operation != "RaadpleegMetBurgerservicenummer" {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

// failure is a failure answer of the registry.
type failure struct {
	name    string
	handler func(t *testing.T, w http.ResponseWriter)
	kind    error
	detail  string
}

// failures are the registry's failure answers every operation maps the
// same way.
func failures() []failure {
	return []failure{
		{"404", func(t *testing.T, w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(404)
			_, _ = io.WriteString(w, `{"type":"https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.4","title":"Opgevraagde resource bestaat niet.","status":404,"code":"notFound"}`)
		}, connectors.ErrNotFound, "notFound"},
		{"400 with the registry's error body", func(t *testing.T, w http.ResponseWriter) {
			serveFile(t, w, 400, "application/problem+json", "problem-400.json")
		}, connectors.ErrInvalidRequest, "paramsValidation; Een of meerdere parameters zijn niet correct.; burgerservicenummer[0]: pattern"},
		{"401", func(t *testing.T, w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(401)
			_, _ = io.WriteString(w, `{"status":401,"code":"authentication","title":"Niet correct geauthenticeerd."}`)
		}, connectors.ErrUnauthorized, "authentication"},
		{"503", func(t *testing.T, w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(503)
			_, _ = io.WriteString(w, `{"status":503,"code":"notAvailable","title":"Bronservice BRP is tijdelijk niet beschikbaar."}`)
		}, connectors.ErrUnavailable, "notAvailable"},
		{"malformed body", func(t *testing.T, w http.ResponseWriter) {
			w.Header().Set("Content-Type", jsonType)
			_, _ = io.WriteString(w, `{"type":"RaadpleegMetBurgerservicenummer","personen":[{"burgerservice`)
		}, connectors.ErrInvalidResponse, "malformed JSON"},
		{"wrong content type", func(t *testing.T, w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, `<html>proxy error</html>`)
		}, connectors.ErrInvalidResponse, "content type"},
	}
}

// testFailures runs an operation against every failure answer.
func testFailures(t *testing.T, path string, call func(context.Context, *Client) error) {
	t.Helper()
	for _, f := range failures() {
		t.Run(f.name, func(t *testing.T) {
			c, mux := setup(t)
			mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
				testRequest(t, r)
				f.handler(t, w)
			})
			err := call(context.Background(), c)
			var ce *connectors.Error
			if !errors.Is(err, f.kind) || !errors.As(err, &ce) || ce.Registry != Registry {
				t.Fatalf("err = %v, want kind %v", err, f.kind)
			}
			if !strings.Contains(ce.Detail, f.detail) {
				t.Errorf("detail %q, want it to contain %q", ce.Detail, f.detail)
			}
		})
	}
}

func TestFailures(t *testing.T) {
	t.Run("PersonsByBSN", func(t *testing.T) {
		testFailures(t, personenURL, func(ctx context.Context, c *Client) error {
			_, err := c.PersonsByBSN(ctx, []string{"999993653"}, []string{"naam"})
			return err
		})
	})
	t.Run("SearchByPostcode", func(t *testing.T) {
		testFailures(t, personenURL, func(ctx context.Context, c *Client) error {
			_, err := c.SearchByPostcode(ctx, "3077AW", 31)
			return err
		})
	})
	t.Run("TravelDocuments", func(t *testing.T) {
		testFailures(t, reisdocURL, func(ctx context.Context, c *Client) error {
			_, err := c.TravelDocuments(ctx, "999993653", nil)
			return err
		})
	})
	t.Run("Check", func(t *testing.T) {
		testFailures(t, personenURL, func(ctx context.Context, c *Client) error { return c.Check(ctx) })
	})
}

func TestQueriesAreRetried(t *testing.T) {
	c, mux := setup(t, func(cfg *connectors.Config) { cfg.MaxRetries = 2 })
	var calls atomic.Int32
	mux.HandleFunc(personenURL, func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r)
		if calls.Add(1) == 1 {
			w.WriteHeader(503)
			return
		}
		w.Header().Set("Content-Type", jsonType)
		_, _ = io.WriteString(w, `{"type":"RaadpleegMetBurgerservicenummer","personen":[]}`)
	})
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check after one 503: %v", err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d calls, want a retry of the POST query", calls.Load())
	}
}

func TestCheck(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc(personenURL, func(w http.ResponseWriter, r *http.Request) {
		body := testRequest(t, r)
		if got := strs(body["burgerservicenummer"]); len(got) != 1 || got[0] != healthBSN {
			t.Errorf("Check asked for %v", got)
		}
		w.Header().Set("Content-Type", jsonType)
		_, _ = io.WriteString(w, `{"type":"RaadpleegMetBurgerservicenummer","personen":[]}`)
	})
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
}

func TestFieldPaths(t *testing.T) {
	paths := FieldPaths()
	if len(paths) != 352 {
		t.Errorf("%d paths, want the 352 the API publishes", len(paths))
	}
	set := map[string]bool{}
	for _, p := range paths {
		set[p] = true
	}
	for _, p := range []string{"naam.geslachtsnaam", "verblijfplaats.verblijfadres.postcode", "partners.ontbindingHuwelijkPartnerschap.datum", "adressering.aanhef"} {
		if !set[p] {
			t.Errorf("%s missing", p)
		}
	}
	for _, p := range []string{"pad", "inOnderzoek", "geheimhoudingPersoonsgegevens", ""} {
		if set[p] {
			t.Errorf("%q present", p)
		}
	}
	paths[0] = "changed"
	if FieldPaths()[0] == "changed" {
		t.Error("FieldPaths shares its slice")
	}
}
