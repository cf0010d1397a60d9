package uwv

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/internal/ident"
)

// basePath is where the test server mounts the API, so the tests prove the
// client resolves its paths below the configured base URL.
const basePath = "/uwv/v1"

const (
	known   = "999901011"
	unknown = "999901023"
	apiKey  = "test-key"
)

// setup starts a test server with the API under basePath and a client
// configured for it. Requests outside the API fail the test.
func setup(t *testing.T, cfg ...func(*connectors.Config)) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	root := http.NewServeMux()
	root.Handle(basePath+"/", http.StripPrefix(basePath, mux))
	root.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s %s", r.Method, r.URL.Path)
		http.Error(w, "outside the base path", http.StatusTeapot)
	})
	srv := httptest.NewServer(root)
	t.Cleanup(srv.Close)
	c := connectors.Config{BaseURL: srv.URL + basePath, AuthValue: apiKey, Timeout: 2 * time.Second}
	for _, f := range cfg {
		f(&c)
	}
	client, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client, mux
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

// testQuery asserts a POST query: JSON in, JSON accepted, credentials in
// the default header, and exactly the BSNs in the body.
func testQuery(t *testing.T, r *http.Request, bsns ...string) {
	t.Helper()
	testMethod(t, r, http.MethodPost)
	testHeader(t, r, "Content-Type", "application/json; charset=utf-8")
	testHeader(t, r, "Accept", "application/json")
	testHeader(t, r, DefaultAuthHeader, apiKey)
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		t.Fatalf("body: %v", err)
	}
	want := map[string]any{"burgerservicenummers": toAny(bsns)}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("body %v, want %v", body, want)
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func serveFile(t *testing.T, w http.ResponseWriter, status int, name string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	ct := "application/json"
	if strings.HasPrefix(name, "problem-") {
		ct = "application/problem+json"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func ptr[T any](v T) *T { return &v }

const ww = "Uitkering in het kader van de Nieuwe Werkloosheidswet (nWW)"

func TestEmployments(t *testing.T) {
	client, mux := setup(t)
	mux.HandleFunc("/inkomstenverhoudingen", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, known, unknown)
		serveFile(t, w, http.StatusOK, "inkomstenverhoudingen.json")
	})
	got, err := client.Employments(context.Background(), []string{known, unknown, known})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got[unknown]; ok || len(got) != 1 {
		t.Fatalf("keys %v, want only the known person", slices.Collect(maps.Keys(got)))
	}
	loon := Code{"15", "Loon of salaris niet onder te brengen onder 11 tot en met 14 of 17"}
	aok := Code{"01", "arbeidsovereenkomst"}
	want := []Employment{
		{
			BSN: known, Sequence: 1, EmployerName: "Bakkerij De Korenschoof B.V.", PayrollTaxNumber: "850123456L01",
			EmployerKvK: "80001234", Start: "2015-03-01", End: "2019-06-30",
			IncomeKind: loon, Relation: aok, ContractType: Code{"O", "Onbepaalde tijd"},
			// June 2019: 156 hours in 30 days.
			HoursPerWeek: ptr(36.5), LatestMonthlyWage: &Money{315050, "EUR"},
			EndReason: &Code{"30", "Einde van rechtswege vanwege verstrijken duur arbeidsovereenkomst voor bepaalde tijd"},
		},
		{
			BSN: known, Sequence: 2, EmployerName: "Van Dijk Installatietechniek", PayrollTaxNumber: "851234567L01",
			EmployerKvK: "80005678", Start: "2025-09-15",
			IncomeKind: loon, Relation: aok, ContractType: Code{"B", "Bepaalde tijd"},
			// The latest statement by date, not by position: February.
			HoursPerWeek: ptr(32.0), LatestMonthlyWage: &Money{350000, "EUR"},
		},
		{
			BSN: known, Sequence: 3, EmployerName: "Schoonmaakbedrijf Helder B.V.", PayrollTaxNumber: "852345678L01",
			EmployerKvK: "80009012", Start: "2026-02-10",
			IncomeKind: loon, Relation: aok, ContractType: Code{"O", "Onbepaalde tijd"},
			// Only a partial month: 46 hours in 19 days; no monthly wage.
			HoursPerWeek: ptr(17.0),
		},
		{
			BSN: known, Sequence: 4, EmployerName: "UWV", PayrollTaxNumber: "004444444L01",
			Start: "2019-07-01", End: "2020-03-31", IncomeKind: Code{"33", ww},
			LatestMonthlyWage: &Money{220000, "EUR"},
		},
		{
			BSN: known, Sequence: 5, EmployerName: "Zorggroep Rivierenland", PayrollTaxNumber: "853456789L01",
			EmployerKvK: "80003456", Start: "2026-03-01",
			IncomeKind: Code{Code: "15"}, Relation: Code{Code: "01"}, ContractType: Code{Code: "O"},
		},
	}
	if len(got[known]) != len(want) {
		t.Fatalf("%d employments, want %d", len(got[known]), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[known][i], want[i]) {
			t.Errorf("employment %d:\n got %s\nwant %s", i, show(got[known][i]), show(want[i]))
		}
	}
}

func TestBenefits(t *testing.T) {
	client, mux := setup(t)
	mux.HandleFunc("/werknemersverzekeringen", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, known, unknown)
		serveFile(t, w, http.StatusOK, "werknemersverzekeringen.json")
	})
	got, err := client.Benefits(context.Background(), []string{known, unknown})
	if err != nil {
		t.Fatal(err)
	}
	// The lists are not linked in SuwiML; each relation takes the
	// unemployment and the WW application nearest to its start.
	want := map[string][]Benefit{known: {
		{
			BSN: known, Law: "WW", FirstDayUnemployed: "2019-07-01", Start: "2019-07-01", End: "2020-03-31",
			EndReason: "Maximale uitkeringsduur bereikt", MaxEnd: "2020-03-31", HoursLost: ptr(36.0),
			Reason: "Bedrijfseconomische redenen", ApplicationDate: "2019-06-25",
		},
		{
			BSN: known, Law: "WW", FirstDayUnemployed: "2024-03-01", Start: "2024-03-01",
			MaxEnd: "2024-11-30", HoursLost: ptr(24.5),
			Reason: "Einde contract bepaalde tijd", ApplicationDate: "2024-03-05",
		},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %s\nwant %s", show(got), show(want))
	}
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestNoBSNsAsksNothing(t *testing.T) {
	client, mux := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("asked %s", r.URL.Path) })
	emps, err := client.Employments(context.Background(), nil)
	if err != nil || len(emps) != 0 {
		t.Fatalf("Employments(nil) = %v, %v", emps, err)
	}
	bens, err := client.Benefits(context.Background(), []string{})
	if err != nil || len(bens) != 0 {
		t.Fatalf("Benefits([]) = %v, %v", bens, err)
	}
}

func TestInvalidBSNIsNotSent(t *testing.T) {
	client, mux := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("asked %s", r.URL.Path) })
	for _, bad := range []string{"999901012", "12345678", "99990101a", "000000000", ""} {
		_, err := client.Employments(context.Background(), []string{known, bad})
		assertKind(t, err, connectors.ErrInvalidRequest, opEmployments)
		// 000000000 is named by the rule it breaks; it is no one's BSN.
		if bad != "" && bad != "000000000" && strings.Contains(err.Error(), bad) {
			t.Errorf("error %q discloses the input", err)
		}
		var ie *ident.Error
		if !errors.As(err, &ie) || ie.Kind != ident.KindBSN {
			t.Errorf("error %v does not wrap the ident error", err)
		}
		_, err = client.Benefits(context.Background(), []string{bad})
		assertKind(t, err, connectors.ErrInvalidRequest, opBenefits)
	}
}

func assertKind(t *testing.T, err, kind error, op string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v, want kind %v", err, kind)
	}
	var ce *connectors.Error
	if !errors.As(err, &ce) || ce.Registry != connectors.UWV || ce.Operation != op {
		t.Fatalf("error %#v is not a UWV %s *connectors.Error", err, op)
	}
	if strings.Contains(err.Error(), known) {
		t.Errorf("error %q discloses a BSN", err)
	}
}

// failure describes an upstream failure and the error it must become.
type failure struct {
	name   string
	handle func(t *testing.T, w http.ResponseWriter, r *http.Request)
	kind   error
	detail string // part of the error's Detail
	tries  int32  // expected attempts; 0 means 1
}

func failures() []failure {
	status := func(code int, file string) func(*testing.T, http.ResponseWriter, *http.Request) {
		return func(t *testing.T, w http.ResponseWriter, _ *http.Request) { serveFile(t, w, code, file) }
	}
	return []failure{
		{name: "404 not served", handle: status(404, "problem-404.json"), kind: connectors.ErrUnavailable, detail: "not served at the base URL"},
		{name: "400 invalid", handle: status(400, "problem-400.json"), kind: connectors.ErrInvalidRequest, detail: "burgerservicenummers[0]: pattern"},
		{name: "401 credentials", handle: func(t *testing.T, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(401) }, kind: connectors.ErrUnauthorized},
		{name: "503 retried", handle: status(503, "problem-503.json"), kind: connectors.ErrUnavailable, detail: "notAvailable", tries: 3},
		{name: "malformed body", handle: func(t *testing.T, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"ClientSuwi":[{"Burgerservicenr":`))
		}, kind: connectors.ErrInvalidResponse, detail: "malformed JSON"},
		{name: "wrong content type", handle: func(t *testing.T, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`<html></html>`))
		}, kind: connectors.ErrInvalidResponse, detail: "content type"},
		{name: "slow", handle: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
			// Reading the body lets the server notice the client hang up.
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, kind: connectors.ErrTimeout},
		{name: "not a date", handle: func(t *testing.T, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = fmt.Fprintf(w, `{"ClientSuwi":[{"Burgerservicenr":%q,"Inkomstenverhouding":[{"VolgnrIkv":1,"DatBIkv":"2025-01-01",`+
				`"AdministratieveEenheid":{},"Inkomstenperiode":[],"Inkomstenopgave":[]}],`+
				`"WerkloosheidClient":[],"AanvraagUitkering":[],"Uitkeringsverhouding":[{"DatBUitkeringsverhouding":"20250231","SzWet":{"CdSzWet":"WW"}}]}],"NietsGevonden":[]}`, known)
		}, kind: connectors.ErrInvalidResponse, detail: "does not follow the contract"},
		{name: "a person not asked for", handle: func(t *testing.T, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"ClientSuwi":[{"Burgerservicenr":"999901035","Inkomstenverhouding":[],` +
				`"WerkloosheidClient":[],"AanvraagUitkering":[],"Uitkeringsverhouding":[]}],"NietsGevonden":[]}`))
		}, kind: connectors.ErrInvalidResponse, detail: "does not follow the contract"},
	}
}

// testFailures runs every failure against one operation.
func testFailures(t *testing.T, path, op string, call func(context.Context, *Client) error) {
	for _, f := range failures() {
		t.Run(f.name, func(t *testing.T) {
			client, mux := setup(t, func(c *connectors.Config) { c.Timeout = 200 * time.Millisecond })
			var tries atomic.Int32
			mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
				tries.Add(1)
				f.handle(t, w, r)
			})
			err := call(context.Background(), client)
			assertKind(t, err, f.kind, op)
			var ce *connectors.Error
			errors.As(err, &ce)
			if !strings.Contains(ce.Detail, f.detail) {
				t.Errorf("detail %q, want it to contain %q", ce.Detail, f.detail)
			}
			want := max(f.tries, 1)
			if f.kind == connectors.ErrTimeout {
				want = tries.Load() // a timeout ends the retries wherever it falls
			}
			if tries.Load() != want {
				t.Errorf("%d attempts, want %d", tries.Load(), want)
			}
		})
	}
}

func TestEmploymentsFailures(t *testing.T) {
	testFailures(t, "/inkomstenverhoudingen", opEmployments, func(ctx context.Context, c *Client) error {
		_, err := c.Employments(ctx, []string{known})
		return err
	})
}

func TestBenefitsFailures(t *testing.T) {
	testFailures(t, "/werknemersverzekeringen", opBenefits, func(ctx context.Context, c *Client) error {
		_, err := c.Benefits(ctx, []string{known})
		return err
	})
}

func TestCheckFailures(t *testing.T) {
	for _, f := range failures()[:7] { // the HTTP failures; the rest concern query answers
		t.Run(f.name, func(t *testing.T) {
			client, mux := setup(t, func(c *connectors.Config) { c.Timeout = 200 * time.Millisecond })
			mux.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) { f.handle(t, w, r) })
			assertKind(t, client.Check(context.Background()), f.kind, opStatus)
		})
	}
}

func TestCheck(t *testing.T) {
	client, mux := setup(t)
	state := "ok"
	mux.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testHeader(t, r, DefaultAuthHeader, apiKey)
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"status":%q}`, state)
	})
	if err := client.Check(context.Background()); err != nil {
		t.Fatalf("healthy registry: %v", err)
	}
	state = "maintenance"
	assertKind(t, client.Check(context.Background()), connectors.ErrUnavailable, opStatus)
}

// TestBatches asks for more BSNs than one call takes: they are
// de-duplicated, split into batches of at most MaxBatch, called
// concurrently but at most maxInFlight at a time, and merged.
func TestBatches(t *testing.T) {
	client, mux := setup(t)
	var bsns []string
	for i := 0; len(bsns) < 5*MaxBatch-3; i++ {
		prefix := fmt.Sprintf("99990%03d", i)
		if d, ok := ident.BSNCheckDigit(prefix); ok {
			bsns = append(bsns, prefix+string(d))
		}
	}
	var mu sync.Mutex
	asked := map[string]int{}
	var inFlight, peak atomic.Int32
	mux.HandleFunc("/inkomstenverhoudingen", func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		var q query
		_ = json.NewDecoder(r.Body).Decode(&q)
		if len(q.Burgerservicenummers) > MaxBatch {
			t.Errorf("batch of %d", len(q.Burgerservicenummers))
		}
		mu.Lock()
		for _, b := range q.Burgerservicenummers {
			asked[b]++
		}
		mu.Unlock()
		time.Sleep(50 * time.Millisecond)
		var resp ikvAntwoord
		for _, b := range q.Burgerservicenummers {
			resp.ClientSuwi = append(resp.ClientSuwi, ikvClient{Burgerservicenr: b, Inkomstenverhouding: []inkomstenverhouding{{VolgnrIkv: 1, DatBIkv: "20200101"}}})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(resp)
	})
	got, err := client.Employments(context.Background(), append(bsns, bsns[:10]...))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(bsns) || len(asked) != len(bsns) {
		t.Fatalf("%d answered, %d asked, want %d", len(got), len(asked), len(bsns))
	}
	for b, n := range asked {
		if n != 1 {
			t.Errorf("a BSN was asked %d times", n)
		}
		if got[b][0].Start != "2020-01-01" {
			t.Errorf("answer not merged for a BSN")
		}
	}
	if p := peak.Load(); p < 2 || p > maxInFlight {
		t.Errorf("%d calls in flight at most, want 2..%d", p, maxInFlight)
	}
}

func TestCredentialsHeader(t *testing.T) {
	client, mux := setup(t, func(c *connectors.Config) { c.AuthHeader, c.AuthValue = "X-Suwi-Token", "other" })
	mux.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "X-Suwi-Token", "other")
		testHeader(t, r, DefaultAuthHeader, "")
		serveFile(t, w, 200, "status.json")
	})
	if err := client.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestNewDoesNotTouchTheNetwork(t *testing.T) {
	c, err := New(connectors.Config{BaseURL: "http://127.0.0.1:1/uwv/v1"})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if c.Registry() != connectors.UWV {
		t.Fatalf("registry %s", c.Registry())
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := New(connectors.Config{BaseURL: "uwv.example.nl"}); err == nil {
		t.Fatal("New accepted a base URL that is not absolute")
	}
}

func TestRegistration(t *testing.T) {
	set, err := connectors.NewSet(Registration())
	if err != nil {
		t.Fatal(err)
	}
	r := set.Registrations()[0]
	if r.ID != ID || r.Registry != connectors.UWV || r.Description == "" {
		t.Fatalf("registration %+v", r)
	}
	c, err := set.Open(ID, connectors.Config{BaseURL: "https://uwv.example.nl/uwv/v1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.(*Client); !ok {
		t.Fatalf("Open gave a %T", c)
	}
	if _, err := set.Open(ID, connectors.Config{BaseURL: "::"}); err == nil {
		t.Fatal("opened with an invalid base URL")
	}
}

func TestStatementWithoutEndCoversItsMonth(t *testing.T) {
	hours, wage, err := fromStatements([]inkomstenopgave{
		{DatBIko: "20260201", AantVerloondeUrenIko: ptr(160.0), BedrBrutoloonSv: &bedrag{"EUR", "+", 400000}},
	})
	if err != nil || hours == nil || *hours != 40 || wage == nil || wage.Cents != 400000 {
		t.Fatalf("hours %v, wage %v, %v", hours, wage, err)
	}
	if _, _, err := fromStatements([]inkomstenopgave{{DatBIko: "20260201", DatEIko: "20260101"}}); err == nil {
		t.Fatal("a statement ending before it starts was accepted")
	}
}

func TestMoneySign(t *testing.T) {
	for _, tt := range []struct {
		sign string
		want int64
		ok   bool
	}{{"+", 1250, true}, {"", 1250, true}, {"-", -1250, true}, {"x", 0, false}} {
		m, err := money(&bedrag{CdMunteenheid: "EUR", CdPositiefNegatief: tt.sign, WaardeBedr: 1250})
		if (err == nil) != tt.ok || m.Cents != tt.want {
			t.Errorf("sign %q: %+v, %v", tt.sign, m, err)
		}
	}
}
