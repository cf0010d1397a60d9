package bag

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/poort-nl/poort/connectors"
)

// basePath is where the test server mounts the API, as the real one is.
const basePath = "/lvbag/individuelebevragingen/v2"

const testKey = "test-key"

// setup starts a server that serves mux under basePath and fails the test
// on any request outside it, and a client pointed at it.
func setup(t *testing.T) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	api := http.NewServeMux()
	api.Handle(basePath+"/", http.StripPrefix(basePath, mux))
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s", r.URL.Path)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	c, err := New(connectors.Config{BaseURL: srv.URL + basePath, AuthValue: testKey, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, mux
}

// testRequest asserts what every call sends: GET, the API key, HAL, the
// CRS when the answer has geometry, and the query.
func testRequest(t *testing.T, r *http.Request, query url.Values, geometry bool) {
	t.Helper()
	if r.Method != http.MethodGet {
		t.Errorf("method = %s, want GET", r.Method)
	}
	if got := r.Header.Get("X-Api-Key"); got != testKey {
		t.Errorf("X-Api-Key = %q", got)
	}
	if got := r.Header.Get("Accept"); got != "application/hal+json" {
		t.Errorf("Accept = %q", got)
	}
	wantCRS := ""
	if geometry {
		wantCRS = "epsg:28992"
	}
	if got := r.Header.Get("Accept-Crs"); got != wantCRS {
		t.Errorf("Accept-Crs = %q, want %q", got, wantCRS)
	}
	if query == nil {
		query = url.Values{}
	}
	if got := r.URL.Query(); !reflect.DeepEqual(got, query) {
		t.Errorf("query = %v, want %v", got, query)
	}
}

// serveFile answers with a file from testdata.
func serveFile(t *testing.T, w http.ResponseWriter, status int, contentType, name string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("api-version", "2.9.2")
	w.WriteHeader(status)
	w.Write(data)
}

func serveHAL(t *testing.T, w http.ResponseWriter, name string) {
	t.Helper()
	serveFile(t, w, http.StatusOK, "application/hal+json", name)
}

func wantKind(t *testing.T, err, kind error) *connectors.Error {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error = %v, want kind %v", err, kind)
	}
	var ce *connectors.Error
	if !errors.As(err, &ce) || ce.Registry != Registry || ce.Operation == "" {
		t.Fatalf("error = %#v, want a *connectors.Error of BAG naming its operation", err)
	}
	return ce
}

// testFailures checks how a call maps the registry's failure answers at
// path: not found, a bad request with the API's problem body, an
// unavailable source, a malformed body and a body that is not HAL.
func testFailures(t *testing.T, path string, call func(context.Context, *Client) error) {
	t.Helper()
	tests := []struct {
		name        string
		status      int
		contentType string
		file        string
		body        string
		kind        error
		detail      string
	}{
		{"not found", 404, "application/problem+json", "problem-404.json", "", connectors.ErrNotFound, "notFound"},
		{"bad request", 400, "application/problem+json", "problem-400.json", "", connectors.ErrInvalidRequest, "huisnummer: integer"},
		{"unavailable", 503, "application/problem+json", "problem-503.json", "", connectors.ErrUnavailable, "sourceUnavailable"},
		{"malformed body", 200, "application/hal+json", "", `{"openbareRuimteNaam": "Dorps`, connectors.ErrInvalidResponse, "malformed JSON"},
		{"not HAL", 200, "text/html", "", "<html>gateway</html>", connectors.ErrInvalidResponse, "content type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
				if tt.file != "" {
					serveFile(t, w, tt.status, tt.contentType, tt.file)
					return
				}
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			})
			ce := wantKind(t, call(context.Background(), c), tt.kind)
			if !strings.Contains(ce.Detail, tt.detail) {
				t.Errorf("detail = %q, want it to contain %q", ce.Detail, tt.detail)
			}
		})
	}
}

func TestNew(t *testing.T) {
	if _, err := New(connectors.Config{BaseURL: "not a url"}); err == nil {
		t.Error("New accepted a base URL that is not absolute")
	}
	t.Run("explicit credentials header", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer x" || r.Header.Get("X-Api-Key") != "" {
				t.Errorf("credentials headers: %v", r.Header)
			}
			serveFile(t, w, 404, "application/problem+json", "problem-404.json")
		}))
		defer srv.Close()
		c, err := New(connectors.Config{BaseURL: srv.URL, AuthHeader: "Authorization", AuthValue: "Bearer x"})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Check(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRegistration(t *testing.T) {
	reg := Registration()
	if reg.ID != "bag-individuele-bevragingen-v2" || reg.Registry != Registry || reg.Description == "" {
		t.Fatalf("registration = %+v", reg)
	}
	set, err := connectors.NewSet(reg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := set.Open(ID, connectors.Config{BaseURL: "https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Registry() != Registry {
		t.Errorf("Registry = %s", c.Registry())
	}
	if _, err := reg.New(connectors.Config{}); err == nil {
		t.Error("the constructor accepted an empty base URL")
	}
}

func TestAddress(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/adressen/1926200000508011", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, nil, false)
		serveHAL(t, w, "adres.json")
	})
	got, err := c.Address(context.Background(), "1926200000508011", false)
	if err != nil {
		t.Fatal(err)
	}
	want := &Address{
		ID: "1926200000508011", Street: "Dorpsstraat", ShortStreet: "Dorpsstraat", HouseNumber: 15, HouseLetter: "c",
		Postcode: "2631CR", Place: "Nootdorp", PlaceID: "1142", StreetID: "1926300000479027",
		ObjectID: "1926010000508012", BuildingIDs: []string{"1926100000485708"},
		Line5: "Dorpsstraat 15 c", Line6: "2631 CR  NOOTDORP",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Address =\n%+v\nwant\n%+v", got, want)
	}
	testFailures(t, "/adressen/1926200000508011", func(ctx context.Context, c *Client) error {
		_, err := c.Address(ctx, "1926200000508011", false)
		return err
	})
}

func TestAddressExpanded(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/adressen/1926200000508011", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, url.Values{"expand": {"adresseerbaarObject,panden"}}, true)
		serveHAL(t, w, "adres-expand.json")
	})
	got, err := c.Address(context.Background(), "1926200000508011", true)
	if err != nil {
		t.Fatal(err)
	}
	surface, year := 112, 1920
	wantObject := &Object{
		ID: "1926010000508012", Kind: KindResidentialObject, Surface: &surface, Uses: []string{"woonfunctie", "winkelfunctie"},
		Status: "Verblijfsobject in gebruik", BuildingIDs: []string{"1926100000485708"}, MainAddressID: "1926200000508011",
		Point: &Point{X: 85123.456, Y: 449876.5},
	}
	if !reflect.DeepEqual(got.Object, wantObject) {
		t.Errorf("Object =\n%+v\nwant\n%+v", got.Object, wantObject)
	}
	wantBuildings := []Building{{ID: "1926100000485708", YearBuilt: &year, Status: "Pand in gebruik", StatusSince: "2010-03-16"}}
	if !reflect.DeepEqual(got.Buildings, wantBuildings) {
		t.Errorf("Buildings = %+v", got.Buildings)
	}
	if got.ID != "1926200000508011" || got.Line6 != "2631 CR  NOOTDORP" {
		t.Errorf("Address = %+v", got)
	}
}

func TestAddressesByPostcode(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/adressen", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, url.Values{
			"postcode": {"2391PH"}, "huisnummer": {"1"}, "huisletter": {"A"}, "huisnummertoevoeging": {"3"},
			"exacteMatch": {"true"}, "pageSize": {"100"},
		}, false)
		serveHAL(t, w, "adressen-one.json")
	})
	got, err := c.AddressesByPostcode(context.Background(), "2391 ph", 1, "A", "3")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != "0484200002040489" || got[0].HouseLetter != "A" || got[0].Addition != "3" ||
		got[0].Line5 != "Belgiëlaan 1 A3" || got[0].Place != "Hazerswoude-Dorp" {
		t.Errorf("addresses = %+v", got)
	}
	testFailures(t, "/adressen", func(ctx context.Context, c *Client) error {
		_, err := c.AddressesByPostcode(ctx, "2391PH", 1, "", "")
		return err
	})
}

func TestAddressesByPostcodeWithoutLetterAsksForAll(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/adressen", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, url.Values{"postcode": {"2391PH"}, "huisnummer": {"1"}, "pageSize": {"100"}}, false)
		serveHAL(t, w, "adressen-empty.json")
	})
	got, err := c.AddressesByPostcode(context.Background(), "2391PH", 1, "", "")
	if err != nil || len(got) != 0 {
		t.Fatalf("addresses, err = %v, %v; want none and no error", got, err)
	}
}

func TestAddressesByObject(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/adressen", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, url.Values{"adresseerbaarObjectIdentificatie": {"0599010000165822"}, "pageSize": {"100"}}, false)
		serveHAL(t, w, "adressen-empty.json")
	})
	got, err := c.AddressesByObject(context.Background(), "0599010000165822")
	if err != nil || len(got) != 0 {
		t.Fatalf("addresses, err = %v, %v; want none and no error", got, err)
	}
	testFailures(t, "/adressen", func(ctx context.Context, c *Client) error {
		_, err := c.AddressesByObject(ctx, "0599010000165822")
		return err
	})
}

func TestAddressesByBuildingPages(t *testing.T) {
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("/adressen", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		page := r.URL.Query().Get("page")
		want := url.Values{"pandIdentificatie": {"0484100000020341"}, "pageSize": {"100"}}
		if page != "" {
			want.Set("page", page)
		}
		testRequest(t, r, want, false)
		switch page {
		case "":
			serveHAL(t, w, "adressen-page1.json")
		case "2":
			serveHAL(t, w, "adressen-page2.json")
		case "3":
			serveHAL(t, w, "adressen-page3.json")
		default:
			t.Errorf("page %s asked", page)
		}
	})
	got, err := c.AddressesByBuilding(context.Background(), "0484100000020341")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range got {
		ids = append(ids, a.ID)
	}
	want := []string{"1672200000008468", "1672200000009028", "0484200002040487", "0484200002040488", "0484200002040489"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("ids = %v, want %v in page order", ids, want)
	}
	if calls.Load() != 3 {
		t.Errorf("%d calls, want 3", calls.Load())
	}
}

func TestSearchFollowsNextWithoutLast(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/adressen", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/hal+json")
		switch r.URL.Query().Get("page") {
		case "":
			fmt.Fprint(w, `{"_links":{"next":{"href":"x?page=2"}},"_embedded":{"adressen":[{"nummeraanduidingIdentificatie":"0484200002040487"}]}}`)
		case "2":
			fmt.Fprint(w, `{"_links":{},"_embedded":{"adressen":[{"nummeraanduidingIdentificatie":"0484200002040488"}]}}`)
		default:
			t.Errorf("page %s asked", r.URL.Query().Get("page"))
		}
	})
	got, err := c.AddressesByBuilding(context.Background(), "0484100000020341")
	if err != nil || len(got) != 2 || got[1].ID != "0484200002040488" {
		t.Fatalf("addresses, err = %+v, %v", got, err)
	}
}

func TestSearchRefusesTooManyPages(t *testing.T) {
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("/adressen", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/hal+json")
		fmt.Fprint(w, `{"_links":{"next":{"href":"x?page=2"},"last":{"href":"x?page=51"}},"_embedded":{"adressen":[{"nummeraanduidingIdentificatie":"0484200002040487"}]}}`)
	})
	_, err := c.AddressesByBuilding(context.Background(), "0484100000020341")
	wantKind(t, err, connectors.ErrInvalidRequest)
	if calls.Load() != 1 {
		t.Errorf("%d calls, want 1", calls.Load())
	}
}

func TestSearchRefusesAnAddressWithoutID(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/adressen", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/hal+json")
		fmt.Fprint(w, `{"_embedded":{"adressen":[{"openbareRuimteNaam":"Dam"}]}}`)
	})
	_, err := c.AddressesByObject(context.Background(), "0599010000165822")
	wantKind(t, err, connectors.ErrInvalidResponse)
}

func TestObject(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/adresseerbareobjecten/0268010000036826", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, nil, true)
		serveHAL(t, w, "adresseerbaarobject.json")
	})
	mux.HandleFunc("/adresseerbareobjecten/0569020000012435", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, nil, true)
		serveHAL(t, w, "ligplaats.json")
	})
	got, err := c.Object(context.Background(), "0268010000036826")
	if err != nil {
		t.Fatal(err)
	}
	surface := 48
	want := &Object{
		ID: "0268010000036826", Kind: KindResidentialObject, Surface: &surface, Uses: []string{"woonfunctie"},
		Status: "Verblijfsobject in gebruik", BuildingIDs: []string{"0268100000021458"}, MainAddressID: "0268200000041560",
		SecondaryAddressIDs: []string{"0268200000041561"}, Point: &Point{X: 183003.794, Y: 425425.693},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Object =\n%+v\nwant\n%+v", got, want)
	}

	berth, err := c.Object(context.Background(), "0569020000012435")
	if err != nil {
		t.Fatal(err)
	}
	want = &Object{
		ID: "0569020000012435", Kind: KindBerth, Status: "Plaats aangewezen", MainAddressID: "0569200000012436",
		Point: &Point{X: 100010, Y: 460003},
	}
	if !reflect.DeepEqual(berth, want) {
		t.Errorf("ligplaats =\n%+v\nwant\n%+v", berth, want)
	}
	testFailures(t, "/adresseerbareobjecten/0268010000036826", func(ctx context.Context, c *Client) error {
		_, err := c.Object(ctx, "0268010000036826")
		return err
	})
}

func TestBuilding(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/panden/0363100012168052", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, nil, true)
		serveHAL(t, w, "pand.json")
	})
	got, err := c.Building(context.Background(), "0363100012168052")
	if err != nil {
		t.Fatal(err)
	}
	year := 1914
	if want := (&Building{ID: "0363100012168052", YearBuilt: &year, Status: "Pand in gebruik", StatusSince: "2023-09-28"}); !reflect.DeepEqual(got, want) {
		t.Errorf("Building = %+v, want %+v", got, want)
	}
	testFailures(t, "/panden/0363100012168052", func(ctx context.Context, c *Client) error {
		_, err := c.Building(ctx, "0363100012168052")
		return err
	})
}

func TestYear(t *testing.T) {
	for in, want := range map[string]any{"1914": 1914, "0800": 800, "2024Z": 2024, "1999+01:00": 1999, "": nil, "onbekend": nil} {
		got := year(in)
		if want == nil {
			if got != nil {
				t.Errorf("year(%q) = %d, want nil", in, *got)
			}
			continue
		}
		if got == nil || *got != want.(int) {
			t.Errorf("year(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestBatches(t *testing.T) {
	c, mux := setup(t)
	var mu sync.Mutex
	calls := map[string]int{}
	mux.HandleFunc("/adressen/", func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/adressen/")
		mu.Lock()
		calls[id]++
		mu.Unlock()
		testRequest(t, r, nil, false)
		if id == "1926200000508011" {
			serveHAL(t, w, "adres.json")
			return
		}
		serveFile(t, w, 404, "application/problem+json", "problem-404.json")
	})
	got, err := c.Addresses(context.Background(), []string{"1926200000508011", "0599200000219678", "1926200000508011"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["1926200000508011"] == nil || got["1926200000508011"].Street != "Dorpsstraat" {
		t.Errorf("Addresses = %v, want only the known address", got)
	}
	if calls["1926200000508011"] != 1 || calls["0599200000219678"] != 1 {
		t.Errorf("calls = %v, want each id asked once", calls)
	}
	if got, err := c.Addresses(context.Background(), nil, false); err != nil || len(got) != 0 {
		t.Errorf("no ids: %v, %v", got, err)
	}

	mux.HandleFunc("/panden/", func(w http.ResponseWriter, r *http.Request) {
		serveFile(t, w, 503, "application/problem+json", "problem-503.json")
	})
	_, err = c.Buildings(context.Background(), []string{"0363100012168052", "0363100012168053"})
	wantKind(t, err, connectors.ErrUnavailable)

	mux.HandleFunc("/adresseerbareobjecten/", func(w http.ResponseWriter, r *http.Request) {
		serveHAL(t, w, "adresseerbaarobject.json")
	})
	objects, err := c.Objects(context.Background(), []string{"0268010000036826"})
	if err != nil || objects["0268010000036826"] == nil {
		t.Errorf("Objects = %v, %v", objects, err)
	}
}

func TestInvalidInputCallsNothing(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("called %s with invalid input", r.URL)
	})
	ctx := context.Background()
	calls := map[string]func() error{
		"address id of another type": func() error { _, err := c.Address(ctx, "0599010000208579", false); return err },
		"short address id":           func() error { _, err := c.Address(ctx, "12345", true); return err },
		"postcode":                   func() error { _, err := c.AddressesByPostcode(ctx, "0123AB", 1, "", ""); return err },
		"house number":               func() error { _, err := c.AddressesByPostcode(ctx, "2391PH", 0, "", ""); return err },
		"house letter":               func() error { _, err := c.AddressesByPostcode(ctx, "2391PH", 1, "AB", ""); return err },
		"addition":                   func() error { _, err := c.AddressesByPostcode(ctx, "2391PH", 1, "", "bis-2"); return err },
		"object id":                  func() error { _, err := c.AddressesByObject(ctx, "0599100000208579"); return err },
		"building id for addresses":  func() error { _, err := c.AddressesByBuilding(ctx, "0599010000208579"); return err },
		"object":                     func() error { _, err := c.Object(ctx, "0599040000208579"); return err },
		"building":                   func() error { _, err := c.Building(ctx, "0000000000000000"); return err },
		"one bad id in a batch": func() error {
			_, err := c.Buildings(ctx, []string{"0363100012168052", "not-a-pand"})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			ce := wantKind(t, call(), connectors.ErrInvalidRequest)
			if ce.Status != 0 {
				t.Errorf("status %d: the error came from the registry", ce.Status)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		kind    error
	}{
		{"the API's not found", func(w http.ResponseWriter, r *http.Request) {
			serveFile(t, w, 404, "application/problem+json", "problem-404.json")
		}, nil},
		{"a 404 page that is not the API", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(404)
			fmt.Fprint(w, "<html>not here</html>")
		}, connectors.ErrNotFound},
		{"unavailable", func(w http.ResponseWriter, r *http.Request) {
			serveFile(t, w, 503, "application/problem+json", "problem-503.json")
		}, connectors.ErrUnavailable},
		{"refused key", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(401)
		}, connectors.ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			mux.HandleFunc("/panden/0000100000000000", func(w http.ResponseWriter, r *http.Request) {
				testRequest(t, r, nil, true)
				tt.handler(w, r)
			})
			err := c.Check(context.Background())
			if tt.kind == nil {
				if err != nil {
					t.Fatalf("Check = %v", err)
				}
				return
			}
			wantKind(t, err, tt.kind)
		})
	}
}
