package rdw

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
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/poort-nl/poort/connectors"
)

// basePath is where the test server mounts the registry, so the tests see
// that every path is taken relative to the configured base URL.
const basePath = "/rdw-gateway"

const testToken = "test-app-token"

// setup starts a registry whose routes the test adds to the returned mux,
// and a client configured for it without retries unless cfg asks for them.
func setup(t *testing.T, cfg connectors.Config) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	root := http.NewServeMux()
	root.Handle(basePath+"/", http.StripPrefix(basePath, mux))
	root.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s %s", r.Method, r.URL.Path)
		http.Error(w, "outside the base path", http.StatusBadGateway)
	})
	srv := httptest.NewServer(root)
	t.Cleanup(srv.Close)
	cfg.BaseURL = srv.URL + basePath
	cfg.Settings = map[string]string{DossierURL: srv.URL + basePath + "/rdw/v1"}
	cfg.AuthHeader, cfg.AuthValue = AppTokenHeader, testToken
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = -1
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, mux
}

func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if r.Method != want {
		t.Errorf("method %s, want %s", r.Method, want)
	}
}

func testHeader(t *testing.T, r *http.Request, name, want string) {
	t.Helper()
	if got := r.Header.Get(name); got != want {
		t.Errorf("header %s = %q, want %q", name, got, want)
	}
}

// testJSONBody asserts the request body equals want as JSON.
func testJSONBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	testHeader(t, r, "Content-Type", "application/json; charset=utf-8")
	b, _ := io.ReadAll(r.Body)
	var got, w any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("body %s: %v", b, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, w) {
		t.Errorf("body %s, want %s", b, want)
	}
}

// testCommon asserts what every call sends.
// testCommon asserts what every call sends; the open data app token goes
// to open data only, never to the dossier.
func testCommon(t *testing.T, r *http.Request, method string) {
	t.Helper()
	testMethod(t, r, method)
	testHeader(t, r, "Accept", "application/json")
	token := testToken
	if strings.HasPrefix(r.URL.Path, "/rdw/v1/") {
		token = ""
	}
	testHeader(t, r, AppTokenHeader, token)
}

func serveFile(t *testing.T, w http.ResponseWriter, status int, contentType, name string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	w.Write(b)
}

const (
	socrataType = "application/json;charset=utf-8"
	dossierType = "application/json"
	problemType = "application/problem+json"
)

func wantKind(t *testing.T, err, kind error) *connectors.Error {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v, want kind %v", err, kind)
	}
	var ce *connectors.Error
	if !errors.As(err, &ce) || ce.Registry != Registry {
		t.Fatalf("error %v is not an RDW *connectors.Error", err)
	}
	return ce
}

func ptr[T any](v T) *T { return &v }

func TestVehiclesByPlate(t *testing.T) {
	c, mux := setup(t, connectors.Config{})
	mux.HandleFunc("/resource/m9d7-ebf2.json", func(w http.ResponseWriter, r *http.Request) {
		testCommon(t, r, http.MethodGet)
		if q := r.URL.Query(); q.Get("$where") != "kenteken in('SX706V','MZ21BR','XY99ZZ')" || q.Get("$limit") != "3" || len(q) != 2 {
			t.Errorf("query %v", q)
		}
		serveFile(t, w, http.StatusOK, socrataType, "voertuigen.json")
	})
	mux.HandleFunc("/resource/8ys7-d773.json", func(w http.ResponseWriter, r *http.Request) {
		testCommon(t, r, http.MethodGet)
		if q := r.URL.Query(); q.Get("$where") != "kenteken in('SX706V','MZ21BR','XY99ZZ')" || q.Get("$limit") != "12" {
			t.Errorf("query %v", q)
		}
		serveFile(t, w, http.StatusOK, socrataType, "brandstof.json")
	})

	got, err := c.VehiclesByPlate(context.Background(), []string{"sx-706-v", "MZ-21-BR", "XY99ZZ", "SX706V"}, WithFuels())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["XY99ZZ"] != nil {
		t.Fatalf("got %d vehicles: %v; an unknown plate must be absent", len(got), got)
	}
	want := &Vehicle{
		Plate: "SX706V", Kind: "Personenauto", Make: "TOYOTA", TradeName: "COROLLA", Colour: "GRIJS",
		Body: "stationwagen", EUCategory: "M1", Seats: ptr(5), Doors: ptr(5), EmptyMass: ptr(1385),
		MassInRunningOrder: ptr(1485), CatalogPrice: ptr(36450), FirstAdmission: "2023-03-14",
		FirstRegistrationNL: "2023-03-14", RegisteredSince: "2023-09-02", APKExpiry: "2027-03-14",
		Insured: ptr(true), OpenRecall: ptr(true), Exported: ptr(false), Taxi: ptr(false), EnergyLabel: "A",
		Fuels: []string{"Benzine", "Elektriciteit"},
	}
	if !reflect.DeepEqual(got["SX706V"], want) {
		t.Errorf("SX706V:\n got %+v\nwant %+v", *got["SX706V"], *want)
	}
	m := got["MZ21BR"]
	if m.APKExpiry != "" || m.Body != "" || m.SecondColour != "ROOD" || m.Insured != nil || m.Doors != nil ||
		!slices.Equal(m.Fuels, []string{"Benzine"}) {
		t.Errorf("MZ21BR: %+v", *m)
	}
}

// plateRegistry answers every $where kenteken in(...) with a row per plate
// asked, and counts the calls and the largest batch.
func plateRegistry(t *testing.T, mux *http.ServeMux, calls, largest *atomic.Int32) {
	t.Helper()
	inList := regexp.MustCompile(`^kenteken in\(('[A-Z0-9]{6}'(,'[A-Z0-9]{6}')*)\)$`)
	answer := func(dataset string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			m := inList.FindStringSubmatch(r.URL.Query().Get("$where"))
			if m == nil {
				t.Errorf("$where %q", r.URL.Query().Get("$where"))
				return
			}
			plates := strings.Split(strings.ReplaceAll(m[1], "'", ""), ",")
			for n := largest.Load(); int32(len(plates)) > n && !largest.CompareAndSwap(n, int32(len(plates))); n = largest.Load() {
			}
			var rows []map[string]string
			for _, p := range plates {
				if dataset == "fuel" {
					rows = append(rows, map[string]string{"kenteken": p, "brandstof_volgnummer": "1", "brandstof_omschrijving": "Diesel"})
				} else {
					rows = append(rows, map[string]string{"kenteken": p, "merk": "FORD"})
				}
			}
			w.Header().Set("Content-Type", socrataType)
			json.NewEncoder(w).Encode(rows)
		}
	}
	mux.HandleFunc("/resource/m9d7-ebf2.json", answer("vehicle"))
	mux.HandleFunc("/resource/8ys7-d773.json", answer("fuel"))
}

func TestVehiclesByPlateSplitsIntoBatches(t *testing.T) {
	c, mux := setup(t, connectors.Config{})
	var calls, largest atomic.Int32
	plateRegistry(t, mux, &calls, &largest)
	var plates []string
	for i := 0; i < 120; i++ {
		plates = append(plates, fmt.Sprintf("AB%03dZ", i))
	}
	got, err := c.VehiclesByPlate(context.Background(), plates, WithFuels())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 120 {
		t.Fatalf("got %d vehicles, want 120", len(got))
	}
	if calls.Load() != 6 || largest.Load() != MaxPlatesPerCall {
		t.Errorf("%d calls with at most %d plates, want 6 calls (3 batches, 2 datasets) of at most %d", calls.Load(), largest.Load(), MaxPlatesPerCall)
	}
	if v := got["AB077Z"]; v == nil || v.Make != "FORD" || !slices.Equal(v.Fuels, []string{"Diesel"}) {
		t.Errorf("AB077Z: %+v", v)
	}
}

func TestVehicleByPlate(t *testing.T) {
	c, mux := setup(t, connectors.Config{})
	mux.HandleFunc("/resource/m9d7-ebf2.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", socrataType)
		io.WriteString(w, "[]")
	})
	mux.HandleFunc("/resource/8ys7-d773.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", socrataType)
		io.WriteString(w, "[]\n")
	})
	_, err := c.VehicleByPlate(context.Background(), "XY-99-ZZ")
	if ce := wantKind(t, err, connectors.ErrNotFound); ce.Operation != opVehicles {
		t.Errorf("operation %q", ce.Operation)
	}
}

// TestDossierWithoutASourceIsNotOffered: pointed at RDW open data alone,
// which has no holders or licences, the connector says so and asks
// nothing.
func TestDossierWithoutASourceIsNotOffered(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.NotFound(w, r)
	}))
	defer srv.Close()
	c, err := New(connectors.Config{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	_, herr := c.HoldingsByBSN(ctx, []string{"999993653"})
	_, kerr := c.HoldingsByKvK(ctx, []string{"80042118"})
	_, lerr := c.DrivingLicences(ctx, []string{"999993653"})
	for _, err := range []error{herr, kerr, lerr} {
		var ce *connectors.Error
		if !errors.As(err, &ce) || !errors.Is(err, connectors.ErrNotOffered) || !strings.Contains(ce.Detail, DossierURL) {
			t.Errorf("err = %v, want kind ErrNotOffered naming %s", err, DossierURL)
		}
	}
	if calls.Load() != 0 {
		t.Errorf("%d calls to open data for holders or licences it does not have", calls.Load())
	}
	if got := c.NotOffered(); len(got) != 2 || !strings.Contains(got[0], DossierURL) {
		t.Errorf("NotOffered = %v, want the holders and the licences, naming %s", got, DossierURL)
	}
}

func TestHoldingsByBSN(t *testing.T) {
	c, mux := setup(t, connectors.Config{})
	mux.HandleFunc("/rdw/v1/voertuigbezit", func(w http.ResponseWriter, r *http.Request) {
		testCommon(t, r, http.MethodPost)
		testJSONBody(t, r, `{"burgerservicenummers":["999993653","999990019"]}`)
		serveFile(t, w, http.StatusOK, dossierType, "voertuigbezit-bsn.json")
	})
	got, err := c.HoldingsByBSN(context.Background(), []string{"999993653", "999990019", "999993653"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got["999990019"]; ok || len(got) != 1 {
		t.Fatalf("got %v; NietsGevonden must be absent", got)
	}
	want := []Holding{{
		Plate: "SX706V", HolderBSN: "999993653", Since: "2023-09-02", KindCode: "P", Kind: "Personenauto",
		Make: "TOYOTA", TradeName: "COROLLA", Colour: "GRIJS", FirstRegistrationNL: "2023-03-14",
		FirstAdmission: "2023-03-14", APKExpiry: "2027-03-14", CatalogPriceCents: ptr(3645000), Insured: true,
	}, {
		Plate: "MZ21BR", HolderBSN: "999993653", Since: "2019-05-20", Until: "2024-01", KindCode: "M", Kind: "Motorfiets",
		Make: "HONDA", TradeName: "CB500F", Colour: "ZWART", FirstRegistrationNL: "2018-04-11", FirstAdmission: "2018-04-11",
	}}
	if !reflect.DeepEqual(got["999993653"], want) {
		t.Errorf("holdings:\n got %+v\nwant %+v", got["999993653"], want)
	}
}

func TestHoldingsByKvK(t *testing.T) {
	c, mux := setup(t, connectors.Config{})
	mux.HandleFunc("/rdw/v1/voertuigbezit", func(w http.ResponseWriter, r *http.Request) {
		testCommon(t, r, http.MethodPost)
		testJSONBody(t, r, `{"kvkNummers":["80042118","69599084"]}`)
		serveFile(t, w, http.StatusOK, dossierType, "voertuigbezit-kvk.json")
	})
	got, err := c.HoldingsByKvK(context.Background(), []string{"80042118", "69599084"})
	if err != nil {
		t.Fatal(err)
	}
	hs := got["80042118"]
	if len(got) != 1 || len(hs) != 1 {
		t.Fatalf("got %v", got)
	}
	if h := hs[0]; h.HolderKvK != "80042118" || h.HolderBSN != "" || h.Plate != "VNK07D" || h.Kind != "Bedrijfsauto" ||
		h.Insured || h.APKExpiry != "2026-12-15" || *h.CatalogPriceCents != 4200000 {
		t.Errorf("holding %+v", h)
	}
}

func TestDrivingLicences(t *testing.T) {
	c, mux := setup(t, connectors.Config{})
	mux.HandleFunc("/rdw/v1/rijbewijzen", func(w http.ResponseWriter, r *http.Request) {
		testCommon(t, r, http.MethodPost)
		testJSONBody(t, r, `{"burgerservicenummers":["999993653","999990019","999991954"]}`)
		serveFile(t, w, http.StatusOK, dossierType, "rijbewijzen.json")
	})
	got, err := c.DrivingLicences(context.Background(), []string{"999993653", "999990019", "999991954"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %v", got)
	}
	want := []DrivingLicence{{
		Number: "4942000017", BSN: "999993653", IssueDate: "2019-03-12", ExpiryDate: "2029-03-12",
		Authority: "0344", AuthorityName: "Utrecht", Status: LicenceValid,
		Categories: []LicenceCategory{
			{Code: "AM", IssueDate: "2004-06-18", ExpiryDate: "2029-03-12"},
			{Code: "B", IssueDate: "2004-06-18", ExpiryDate: "2029-03-12"},
		},
	}}
	if !reflect.DeepEqual(got["999993653"], want) {
		t.Errorf("licences:\n got %+v\nwant %+v", got["999993653"], want)
	}
	if l := got["999991954"][0]; l.Status != LicenceExpired || l.AuthorityName != "" {
		t.Errorf("expired licence %+v", l)
	}
}

func TestDrivingLicencesSplitsIntoBatches(t *testing.T) {
	c, mux := setup(t, connectors.Config{})
	var calls atomic.Int32
	mux.HandleFunc("/rdw/v1/rijbewijzen", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var q subjectsQuery
		if err := json.NewDecoder(r.Body).Decode(&q); err != nil || len(q.BSNs) == 0 || len(q.BSNs) > MaxSubjectsPerCall {
			t.Errorf("batch of %d BSNs (%v)", len(q.BSNs), err)
		}
		var resp struct{ ClientSuwi []map[string]any }
		for _, b := range q.BSNs {
			resp.ClientSuwi = append(resp.ClientSuwi, map[string]any{"Burgerservicenr": b,
				"Rijbewijs": []map[string]any{{"Rijbewijsnr": "4900000001", "StatusRijbewijs": "geldig"}}})
		}
		w.Header().Set("Content-Type", dossierType)
		json.NewEncoder(w).Encode(resp)
	})
	var bsns []string
	for n := 999990000; len(bsns) < 45; n++ {
		if s := fmt.Sprint(n); elfproef(s) {
			bsns = append(bsns, s)
		}
	}
	got, err := c.DrivingLicences(context.Background(), bsns)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 45 || calls.Load() != 3 {
		t.Errorf("%d persons in %d calls, want 45 in 3", len(got), calls.Load())
	}
}

func elfproef(s string) bool {
	sum := 0
	for i := 0; i < 8; i++ {
		sum += (9 - i) * int(s[i]-'0')
	}
	return (sum-int(s[8]-'0'))%11 == 0
}

func TestInvalidIdentifiersAskNothing(t *testing.T) {
	c, mux := setup(t, connectors.Config{})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the registry was asked: %s %s", r.Method, r.URL.Path)
	})
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
	}{
		{"plate", func() error { _, err := c.VehiclesByPlate(ctx, []string{"SX706V", "SX7'06V"}); return err }},
		{"short plate", func() error { _, err := c.VehicleByPlate(ctx, "SX70"); return err }},
		{"bsn elfproef", func() error { _, err := c.HoldingsByBSN(ctx, []string{"999993654"}); return err }},
		{"bsn length", func() error { _, err := c.DrivingLicences(ctx, []string{"99999365"}); return err }},
		{"kvk", func() error { _, err := c.HoldingsByKvK(ctx, []string{"8004211"}); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ce := wantKind(t, tt.call(), connectors.ErrInvalidRequest)
			if ce.Status != 0 || !strings.Contains(ce.Detail, "[") {
				t.Errorf("error %v", ce)
			}
			if strings.Contains(ce.Error(), "999993654") || strings.Contains(ce.Error(), "8004211") {
				t.Errorf("the error repeats the identifier: %v", ce)
			}
		})
	}
}

func TestEmptyInputAsksNothing(t *testing.T) {
	c, mux := setup(t, connectors.Config{})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the registry was asked: %s %s", r.Method, r.URL.Path)
	})
	ctx := context.Background()
	vs, err := c.VehiclesByPlate(ctx, nil)
	if err != nil || vs == nil || len(vs) != 0 {
		t.Errorf("VehiclesByPlate(nil) = %v, %v", vs, err)
	}
	ls, err := c.DrivingLicences(ctx, []string{})
	if err != nil || ls == nil || len(ls) != 0 {
		t.Errorf("DrivingLicences([]) = %v, %v", ls, err)
	}
}

// operations lists every registry operation with the error body its API
// gives for a bad request.
func operations(c *Client) []struct {
	name, path, contentType, badRequest string
	call                                func(context.Context) error
} {
	return []struct {
		name, path, contentType, badRequest string
		call                                func(context.Context) error
	}{
		{"VehiclesByPlate", "/resource/m9d7-ebf2.json", socrataType, "socrata-malformed.json", func(ctx context.Context) error {
			_, err := c.VehiclesByPlate(ctx, []string{"SX706V"})
			return err
		}},
		{"HoldingsByBSN", "/rdw/v1/voertuigbezit", problemType, "problem-400.json", func(ctx context.Context) error {
			_, err := c.HoldingsByBSN(ctx, []string{"999993653"})
			return err
		}},
		{"HoldingsByKvK", "/rdw/v1/voertuigbezit", problemType, "problem-400.json", func(ctx context.Context) error {
			_, err := c.HoldingsByKvK(ctx, []string{"80042118"})
			return err
		}},
		{"DrivingLicences", "/rdw/v1/rijbewijzen", problemType, "problem-400.json", func(ctx context.Context) error {
			_, err := c.DrivingLicences(ctx, []string{"999993653"})
			return err
		}},
	}
}

func TestFailures(t *testing.T) {
	failures := []struct {
		name   string
		serve  func(t *testing.T, w http.ResponseWriter, contentType, badRequest string)
		kind   error
		status int
		detail string
	}{
		{"404 means a wrong base URL", func(t *testing.T, w http.ResponseWriter, ct, _ string) {
			w.Header().Set("Content-Type", ct)
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"code":"notFound","title":"Opgevraagde resource bestaat niet.","status":404}`)
		}, connectors.ErrUnavailable, 404, "not served at the base URL"},
		{"400 with the registry's error body", func(t *testing.T, w http.ResponseWriter, ct, bad string) {
			serveFile(t, w, http.StatusBadRequest, ct, bad)
		}, connectors.ErrInvalidRequest, 400, ""},
		{"401", func(t *testing.T, w http.ResponseWriter, ct, _ string) {
			w.WriteHeader(http.StatusUnauthorized)
		}, connectors.ErrUnauthorized, 401, ""},
		{"503", func(t *testing.T, w http.ResponseWriter, ct, _ string) {
			w.Header().Set("Content-Type", problemType)
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"code":"notAvailable","title":"Bronservice RDW is tijdelijk niet beschikbaar.","status":503}`)
		}, connectors.ErrUnavailable, 503, "notAvailable"},
		{"malformed body", func(t *testing.T, w http.ResponseWriter, _, _ string) {
			w.Header().Set("Content-Type", dossierType)
			io.WriteString(w, `[{"kenteken":"SX7`)
		}, connectors.ErrInvalidResponse, 200, "malformed JSON"},
		{"html instead of JSON", func(t *testing.T, w http.ResponseWriter, _, _ string) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<html>maintenance</html>`)
		}, connectors.ErrInvalidResponse, 200, "content type"},
	}
	for _, f := range failures {
		for k, op := range operations(nil) {
			t.Run(f.name+"/"+op.name, func(t *testing.T) {
				c, mux := setup(t, connectors.Config{})
				op := operations(c)[k]
				handler := func(w http.ResponseWriter, r *http.Request) { f.serve(t, w, op.contentType, op.badRequest) }
				mux.HandleFunc(op.path, handler)
				if op.path == "/resource/m9d7-ebf2.json" {
					mux.HandleFunc("/resource/8ys7-d773.json", handler)
				}
				ce := wantKind(t, op.call(context.Background()), f.kind)
				if ce.Status != f.status {
					t.Errorf("status %d, want %d", ce.Status, f.status)
				}
				if f.detail != "" && !strings.Contains(ce.Detail, f.detail) {
					t.Errorf("detail %q, want it to mention %q", ce.Detail, f.detail)
				}
				if f.status == 400 && !strings.Contains(ce.Detail, "paramsValidation") && !strings.Contains(ce.Detail, "query.compiler.malformed") {
					t.Errorf("detail %q does not carry the registry's code", ce.Detail)
				}
			})
		}
	}
}

func TestDossierQueriesAreRetried(t *testing.T) {
	c, mux := setup(t, connectors.Config{MaxRetries: 2})
	var calls atomic.Int32
	mux.HandleFunc("/rdw/v1/rijbewijzen", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		serveFile(t, w, http.StatusOK, dossierType, "rijbewijzen.json")
	})
	got, err := c.DrivingLicences(context.Background(), []string{"999993653", "999990019", "999991954"})
	if err != nil || len(got) != 2 || calls.Load() != 2 {
		t.Fatalf("got %d persons, %v, after %d calls; want the POST query retried once", len(got), err, calls.Load())
	}
}

func TestInvalidAnswers(t *testing.T) {
	tests := []struct {
		name, path, body string
		call             func(c *Client) error
	}{
		{"a BSN not asked for", "/rdw/v1/rijbewijzen", `{"ClientSuwi":[{"Burgerservicenr":"999990019","Rijbewijs":[{"Rijbewijsnr":"4900000001"}]}]}`,
			func(c *Client) error {
				_, err := c.DrivingLicences(context.Background(), []string{"999993653"})
				return err
			}},
		{"a date that is not yyyymmdd", "/rdw/v1/voertuigbezit", `{"ClientSuwi":[{"Burgerservicenr":"999993653","Aansprakelijke":[{"DatRegistratieAansprakelijkheid":"2023-09-02","Voertuig":{"KentekenVoertuig":"SX706V"}}]}],"OndernemingInst":[]}`,
			func(c *Client) error {
				_, err := c.HoldingsByBSN(context.Background(), []string{"999993653"})
				return err
			}},
		{"a vehicle without plate", "/rdw/v1/voertuigbezit", `{"ClientSuwi":[],"OndernemingInst":[{"InschrijvingsnrKvK":"80042118","Aansprakelijke":[{"DatRegistratieAansprakelijkheid":"20230902","Voertuig":{}}]}]}`,
			func(c *Client) error {
				_, err := c.HoldingsByKvK(context.Background(), []string{"80042118"})
				return err
			}},
		{"a mass that is not a number", "/resource/m9d7-ebf2.json", `[{"kenteken":"SX706V","massa_ledig_voertuig":"1.385 kg"}]`,
			func(c *Client) error {
				_, err := c.VehiclesByPlate(context.Background(), []string{"SX706V"})
				return err
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t, connectors.Config{})
			answer := func(body string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", dossierType)
					io.WriteString(w, body)
				}
			}
			mux.HandleFunc(tt.path, answer(tt.body))
			if strings.HasPrefix(tt.path, "/resource/") {
				mux.HandleFunc("/resource/8ys7-d773.json", answer("[]"))
			}
			ce := wantKind(t, tt.call(c), connectors.ErrInvalidResponse)
			if strings.Contains(ce.Error(), "999990019") {
				t.Errorf("the error repeats a BSN: %v", ce)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	c, mux := setup(t, connectors.Config{})
	var status atomic.Int32
	status.Store(http.StatusOK)
	mux.HandleFunc("/resource/m9d7-ebf2.json", func(w http.ResponseWriter, r *http.Request) {
		testCommon(t, r, http.MethodGet)
		if q := r.URL.Query(); q.Get("$limit") != "1" || q.Get("$select") != "kenteken" {
			t.Errorf("query %v", q)
		}
		w.Header().Set("Content-Type", socrataType)
		w.WriteHeader(int(status.Load()))
		io.WriteString(w, "[]")
	})
	if err := c.Check(context.Background()); err != nil {
		t.Errorf("an empty answer is healthy: %v", err)
	}
	status.Store(http.StatusServiceUnavailable)
	wantKind(t, c.Check(context.Background()), connectors.ErrUnavailable)
}

func TestRegistration(t *testing.T) {
	set, err := connectors.NewSet(Registration())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := set.Open(ID, connectors.Config{BaseURL: "https://opendata.rdw.nl", AuthHeader: AppTokenHeader, AuthValue: "x"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if conn.Registry() != Registry || Registration().ID != "rdw-voertuigen" {
		t.Errorf("registry %s, id %s", conn.Registry(), Registration().ID)
	}
	if _, err := New(connectors.Config{BaseURL: "opendata.rdw.nl"}); err == nil {
		t.Error("a base URL without scheme was accepted")
	}
}
