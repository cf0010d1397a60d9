package brk

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
	"slices"
	"sync/atomic"
	"testing"

	"github.com/poort-nl/poort/connectors"
)

// basePath is where the test server mounts the API, as the real one is.
const basePath = "/esd/bevragen/v2"

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

// testRequest asserts what every call sends: the method, the API key in
// the API's header, HAL, and the query.
func testRequest(t *testing.T, r *http.Request, method string, query url.Values) {
	t.Helper()
	if r.Method != method {
		t.Errorf("method = %s, want %s", r.Method, method)
	}
	if got := r.Header.Get("X-Api-Key"); got != testKey {
		t.Errorf("X-Api-Key = %q", got)
	}
	if got := r.Header.Get("Accept"); got != "application/hal+json" {
		t.Errorf("Accept = %q", got)
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
	w.WriteHeader(status)
	w.Write(data)
}

func intPtr(n int) *int { return &n }

func TestParcelsAt(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/kadastraalonroerendezaken", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, http.MethodGet, url.Values{"nummeraanduidingIdentificatie": {"0344200000144061"}})
		serveFile(t, w, http.StatusOK, "application/hal+json", "zaken.json")
	})
	got, err := c.ParcelsAt(context.Background(), "0344200000144061")
	if err != nil {
		t.Fatal(err)
	}
	want := []Parcel{
		{ID: "59020170670000", Kind: KindParcel, Designation: "Utrecht C 1706", Size: intPtr(412), AddressIDs: []string{"0344200000144061"}},
		{ID: "59020170810593", Kind: KindApartmentRight, Designation: "Utrecht C 1708 A593", GroundParcelIDs: []string{"59020170670000"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParcelsAt =\n%+v\nwant\n%+v", got, want)
	}
}

func TestRights(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/kadastraalonroerendezaken/59020170670000/zakelijkgerechtigden", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, http.MethodGet, nil)
		serveFile(t, w, http.StatusOK, "application/hal+json", "gerechtigden.json")
	})
	mux.HandleFunc("/kadastraalonroerendezaken/59020170810593/zakelijkgerechtigden", func(w http.ResponseWriter, r *http.Request) {
		serveFile(t, w, http.StatusOK, "application/hal+json", "gerechtigde-heel.json")
	})
	got, err := c.Rights(context.Background(), "59020170670000")
	if err != nil {
		t.Fatal(err)
	}
	want := []Right{
		{ID: "80214001", Kind: "eigenaar", Since: "1998-04-17", Share: Share{1, 2}, Holder: Holder{ID: "999993653", Kind: HolderPerson, Description: "J.P. de Vries"}},
		{ID: "80214002", Kind: "eigenaar", Since: "2011-09-01", Share: Share{1, 2}, Holder: Holder{ID: "850012341", Kind: HolderLegalEntity, Description: "Woonstichting Utrecht"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Rights =\n%+v\nwant\n%+v", got, want)
	}
	if got[0].Holder.BSN() != "999993653" || got[0].Holder.RSIN() != "" || got[1].Holder.RSIN() != "850012341" || got[1].Holder.BSN() != "" {
		t.Error("BSN and RSIN do not follow the holder's kind")
	}
	// A whole right has no aandeel: the API's fraction is always below one.
	whole, err := c.Rights(context.Background(), "59020170810593")
	if err != nil || len(whole) != 1 || whole[0].Share != (Share{1, 1}) {
		t.Errorf("a right without aandeel: %+v, %v; want a whole share", whole, err)
	}
}

func TestHoldingsOf(t *testing.T) {
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("/kadastraalonroerendezaken", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		testRequest(t, r, http.MethodPost, nil)
		if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
		var body map[string]string
		if b, _ := io.ReadAll(r.Body); json.Unmarshal(b, &body) != nil || !reflect.DeepEqual(body, map[string]string{"burgerservicenummer": "999993653"}) {
			t.Errorf("body = %v", body)
		}
		serveFile(t, w, http.StatusOK, "application/hal+json", "zaken.json")
	})
	mux.HandleFunc("/kadastraalonroerendezaken/59020170670000/zakelijkgerechtigden", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		serveFile(t, w, http.StatusOK, "application/hal+json", "gerechtigden.json")
	})
	mux.HandleFunc("/kadastraalonroerendezaken/59020170810593/zakelijkgerechtigden", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		serveFile(t, w, http.StatusOK, "application/hal+json", "gerechtigde-heel.json")
	})
	got, err := c.HoldingsOf(context.Background(), "999993653")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Parcel.ID != "59020170670000" || got[0].Right.ID != "80214001" ||
		got[1].Parcel.Kind != KindApartmentRight || got[1].Right.Share != (Share{1, 1}) {
		t.Errorf("HoldingsOf = %+v: want the person's half of the land parcel and the whole apartment right", got)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("%d calls, want the search and one per parcel", n)
	}
}

func TestRestrictions(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/publiekrechtelijkebeperkingen", func(w http.ResponseWriter, r *http.Request) {
		testRequest(t, r, http.MethodGet, url.Values{"kadastraalOnroerendeZaakIdentificatie": {"59020170670000"}})
		serveFile(t, w, http.StatusOK, "application/hal+json", "beperkingen.json")
	})
	got, err := c.Restrictions(context.Background(), "59020170670000")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Basis.Code != "EWE" || got[0].Since != "1971-06-15" || got[0].Authority != "Minister van Onderwijs, Cultuur en Wetenschap" || !got[0].Monument() {
		t.Errorf("Restrictions = %+v", got)
	}
	for code, monument := range map[string]bool{"EWE": true, "EWD": true, "GWA": true, "WVG": false, "": false} {
		if (Restriction{Basis: Code{Code: code}}).Monument() != monument {
			t.Errorf("basis %q: Monument() != %v", code, monument)
		}
	}
}

func TestErrors(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/kadastraalonroerendezaken", func(w http.ResponseWriter, r *http.Request) {
		serveFile(t, w, http.StatusBadRequest, "application/problem+json", "problem-400.json")
	})
	mux.HandleFunc("/kadastraalonroerendezaken/59020170670000/zakelijkgerechtigden", func(w http.ResponseWriter, r *http.Request) {
		serveFile(t, w, http.StatusUnauthorized, "application/problem+json", "problem-401.json")
	})
	mux.HandleFunc("/kadastraalonroerendezaken/00000000070000", func(w http.ResponseWriter, r *http.Request) {
		serveFile(t, w, http.StatusNotFound, "application/problem+json", "problem-404.json")
	})
	mux.HandleFunc("/kadastraalonroerendezaken/1/zakelijkgerechtigden", func(w http.ResponseWriter, r *http.Request) {
		serveFile(t, w, http.StatusNotFound, "application/problem+json", "problem-404.json")
	})
	mux.HandleFunc("/publiekrechtelijkebeperkingen", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("kadastraalOnroerendeZaakIdentificatie") == "2" {
			serveFile(t, w, http.StatusOK, "text/html", "beperkingen.json")
			return
		}
		serveFile(t, w, http.StatusServiceUnavailable, "application/problem+json", "problem-503.json")
	})
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		call func() error
		kind error
		code string
	}{
		{"refused parameters", func() error { _, err := c.ParcelsAt(ctx, "0344200000144061"); return err }, connectors.ErrInvalidRequest, "paramsValidation"},
		{"refused key", func() error { _, err := c.Rights(ctx, "59020170670000"); return err }, connectors.ErrUnauthorized, "authentication"},
		{"unknown parcel", func() error { _, err := c.Rights(ctx, "1"); return err }, connectors.ErrNotFound, "notFound"},
		{"registry down", func() error { _, err := c.Restrictions(ctx, "59020170670000"); return err }, connectors.ErrUnavailable, "notAvailable"},
		{"not HAL", func() error { _, err := c.Restrictions(ctx, "2"); return err }, connectors.ErrInvalidResponse, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var ce *connectors.Error
			if !errors.Is(err, tc.kind) || !errors.As(err, &ce) || ce.Registry != Registry {
				t.Fatalf("error = %v, want a BRK error of kind %v", err, tc.kind)
			}
			if tc.code != "" && !slices.Contains(ce.Codes, tc.code) {
				t.Errorf("codes = %v, want %s", ce.Codes, tc.code)
			}
		})
	}
	if err := c.Check(ctx); err != nil {
		t.Errorf("Check against the API's notFound = %v, want healthy", err)
	}
}

// TestInvalidInputSendsNothing: identifiers are checked before any call.
func TestInvalidInputSendsNothing(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("invalid input reached the registry: %s %s", r.Method, r.URL)
	})
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"address id":  func() error { _, err := c.ParcelsAt(ctx, "0344010000144062"); return err },
		"BSN":         func() error { _, err := c.HoldingsOf(ctx, "99999365"); return err },
		"parcel id":   func() error { _, err := c.Rights(ctx, "../panden/1"); return err },
		"parcel id 2": func() error { _, err := c.Restrictions(ctx, ""); return err },
	} {
		if err := call(); !errors.Is(err, connectors.ErrInvalidRequest) {
			t.Errorf("%s: error = %v, want invalid request", name, err)
		}
	}
}

func TestCheckNeedsTheAPIsOwnNotFound(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/kadastraalonroerendezaken/00000000070000", func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r)
	})
	if err := c.Check(context.Background()); !errors.Is(err, connectors.ErrNotFound) {
		t.Errorf("Check against a web server's 404 = %v, want the failure", err)
	}
}
