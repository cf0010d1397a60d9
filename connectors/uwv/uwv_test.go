package uwv

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
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

// basePath is where the test server mounts the broker's SOAP root, so the
// tests prove the client resolves the services below the configured URL.
const basePath = "/suwibroker/soap"

const (
	known   = "999901011"
	unknown = "999901023"
)

var (
	ikvPath = "/" + inkomsten.path
	wvPath  = "/" + werknemersverzekeringen.path
)

// setup starts a test server with the services under basePath and a
// client configured for it. Requests outside it fail the test.
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
	c := connectors.Config{BaseURL: srv.URL + basePath, Timeout: 2 * time.Second}
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

// soapRequest is what the tests read of a request.
type soapRequest struct {
	XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Header  struct {
		Action    string `xml:"http://www.w3.org/2005/08/addressing Action"`
		MessageID string `xml:"http://www.w3.org/2005/08/addressing MessageID"`
		To        string `xml:"http://www.w3.org/2005/08/addressing To"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Header"`
	Body struct {
		Question struct {
			XMLName xml.Name
			BSN     struct {
				XMLName xml.Name
				Text    string `xml:",chardata"`
			} `xml:"Burgerservicenr"`
		} `xml:",any"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

// readRequest asserts a SOAP 1.1 request to the service and returns it.
func readRequest(t *testing.T, r *http.Request, s service) soapRequest {
	t.Helper()
	if r.Method != http.MethodPost {
		t.Errorf("method %s", r.Method)
	}
	for name, want := range map[string]string{"Content-Type": soapContentType, "SOAPAction": `""`, "Accept": "text/xml"} {
		if got := r.Header.Get(name); got != want {
			t.Errorf("header %s = %q, want %q", name, got, want)
		}
	}
	var q soapRequest
	b, _ := io.ReadAll(r.Body)
	if err := xml.Unmarshal(b, &q); err != nil {
		t.Fatalf("request %s: %v", b, err)
	}
	switch {
	case q.Header.Action != s.action || !strings.HasPrefix(q.Header.MessageID, "urn:uuid:") || !strings.HasSuffix(q.Header.To, basePath+"/"+s.path):
		t.Errorf("WS-Addressing %+v", q.Header)
	case q.Body.Question.XMLName != xml.Name{Space: s.namespace, Local: s.operation}:
		t.Errorf("body %v", q.Body.Question.XMLName)
	case q.Body.Question.BSN.XMLName.Space != "":
		t.Errorf("Burgerservicenr is qualified: %v", q.Body.Question.BSN.XMLName)
	}
	return q
}

func serveFile(t *testing.T, w http.ResponseWriter, status int, name string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// answerFor serves the answer file for the known person and NietsGevonden
// for anyone else.
func answerFor(t *testing.T, s service, file string, asked *sync.Map) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := readRequest(t, r, s)
		asked.Store(q.Body.Question.BSN.Text, true)
		if q.Body.Question.BSN.Text != known {
			serveFile(t, w, 200, "ikv-nietsgevonden.xml")
			return
		}
		serveFile(t, w, 200, file)
	}
}

func ptr[T any](v T) *T { return &v }

func TestEmployments(t *testing.T) {
	client, mux := setup(t)
	var asked sync.Map
	mux.HandleFunc(ikvPath, answerFor(t, inkomsten, "ikv-answer.xml", &asked))
	got, err := client.Employments(context.Background(), []string{known, unknown, known})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := asked.Load(unknown); !ok {
		t.Error("the unknown person was not asked")
	}
	if _, ok := got[unknown]; ok || len(got) != 1 {
		t.Fatalf("map %v: want only the known person", got)
	}
	want := []Employment{{
		BSN: known, Sequence: 1, EmployerName: "Bakkerij de Korenschoof B.V.", PayrollTaxNumber: "850123456L01",
		EmployerRSIN:    "850123456",
		EmployerAddress: &Address{Street: "Voorstraat", HouseNumber: 12, Addition: "A", Postcode: "3512JK", Place: "Utrecht"},
		Start:           "2019-03-01", End: "2025-02-28",
		IncomeKind:   Code{"15", "Loon of salaris niet onder te brengen onder 11 tot en met 14 of 17"},
		Relation:     Code{"01", "arbeidsovereenkomst"},
		ContractType: Code{"O", "Onbepaalde tijd"},
		// 124 hours in the 28 days of February 2025.
		HoursPerWeek:      ptr(31.0),
		LatestMonthlyWage: &Money{Cents: 310000, Currency: "EUR"},
	}, {
		BSN: known, Sequence: 2, EmployerName: "UWV", PayrollTaxNumber: "004444444L01", EmployerRSIN: "004444444",
		Start: "2025-03-01", IncomeKind: Code{"33", "Uitkering in het kader van de Nieuwe Werkloosheidswet (nWW)"},
		LatestMonthlyWage: &Money{Cents: 189000, Currency: "EUR"},
	}, {
		BSN: known, Sequence: 3, EmployerName: "Schildersbedrijf Jansen", PayrollTaxNumber: "851000017L01",
		EmployerAddress: &Address{Street: "Kanaalweg", HouseNumber: 7, Postcode: "3521AA"},
		Start:           "2025-03-10", IncomeKind: Code{"15", "Loon of salaris niet onder te brengen onder 11 tot en met 14 of 17"},
		// A code the table lacks keeps its code.
		Relation: Code{Code: "99"}, ContractType: Code{"O", "Onbepaalde tijd"},
	}}
	if !reflect.DeepEqual(got[known], want) {
		t.Errorf("employments\n got %s\nwant %s", show(got[known]), show(want))
	}
}

func show(es []Employment) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "\n  %+v addr=%+v hours=%v wage=%+v", e, e.EmployerAddress, deref(e.HoursPerWeek), e.LatestMonthlyWage)
	}
	return b.String()
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestBenefits(t *testing.T) {
	client, mux := setup(t)
	mux.HandleFunc(wvPath, func(w http.ResponseWriter, r *http.Request) {
		q := readRequest(t, r, werknemersverzekeringen)
		if q.Body.Question.BSN.Text != known {
			w.Header().Set("Content-Type", "text/xml")
			_, _ = fmt.Fprintf(w, `<e:Envelope xmlns:e="%s"><e:Body><a:UWVPersoonsWvInfoResponse xmlns:a="%s"><f:NietsGevonden xmlns:f="%s"/></a:UWVPersoonsWvInfoResponse></e:Body></e:Envelope>`,
				nsSOAP, werknemersverzekeringen.namespace, nsFWI)
			return
		}
		serveFile(t, w, 200, "wv-answer.xml")
	})
	got, err := client.Benefits(context.Background(), []string{unknown, known})
	if err != nil {
		t.Fatal(err)
	}
	want := []Benefit{{
		BSN: known, Law: "WW", FirstDayUnemployed: "2019-01-01", Start: "2019-01-01", End: "2019-03-31",
		EndReason: "Werkhervatting", MaxEnd: "2019-03-31", HoursLost: ptr(24.5), Reason: "Einde contract bepaalde tijd",
		ApplicationDate: "2018-12-20",
	}, {
		BSN: known, Law: "WW", FirstDayUnemployed: "2025-03-01", Start: "2025-03-01", MaxEnd: "2026-08-31",
		HoursLost: ptr(38.0), Reason: "Bedrijfseconomische redenen", ApplicationDate: "2025-02-25",
	}}
	if len(got) != 1 || !reflect.DeepEqual(got[known], want) {
		t.Errorf("benefits %+v\nwant %+v", got, want)
	}
}

// TestOneCallPerPersonWithinTheBound asks about more persons than the
// bound: each is one call, several run at once, never more than the bound.
func TestOneCallPerPersonWithinTheBound(t *testing.T) {
	client, mux := setup(t)
	var inFlight, most, calls atomic.Int32
	var asked sync.Map
	mux.HandleFunc(ikvPath, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		answerFor(t, inkomsten, "ikv-answer.xml", &asked)(w, r)
	})
	bsns := []string{known}
	for i := 0; len(bsns) < 3*MaxInFlight; i++ {
		b := fmt.Sprintf("99990%04d", i)
		if _, err := ident.ParseBSN(b); err == nil && b != known {
			bsns = append(bsns, b)
		}
	}
	got, err := client.Employments(context.Background(), append(bsns, bsns[:5]...))
	if err != nil {
		t.Fatal(err)
	}
	if int(calls.Load()) != len(bsns) || len(got) != 1 {
		t.Errorf("%d calls for %d distinct persons, %d found", calls.Load(), len(bsns), len(got))
	}
	if m := most.Load(); m < 2 || m > MaxInFlight {
		t.Errorf("at most %d calls at once, want between 2 and %d", m, MaxInFlight)
	}
}

func TestNoPersonsNoCalls(t *testing.T) {
	client, mux := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("asked %s", r.URL.Path) })
	if got, err := client.Employments(context.Background(), nil); err != nil || len(got) != 0 {
		t.Fatalf("Employments(nil) = %v, %v", got, err)
	}
}

func TestInvalidBSNIsNotSent(t *testing.T) {
	client, mux := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("asked %s", r.URL.Path) })
	for _, bad := range []string{"999901012", "12345678", "99990101a", "000000000", ""} {
		_, err := client.Employments(context.Background(), []string{known, bad})
		assertKind(t, err, connectors.ErrInvalidRequest, inkomsten.operation)
		if bad != "" && bad != "000000000" && strings.Contains(err.Error(), bad) {
			t.Errorf("error %q discloses the input", err)
		}
		var ie *ident.Error
		if !errors.As(err, &ie) || ie.Kind != ident.KindBSN {
			t.Errorf("error %v does not wrap the ident error", err)
		}
		_, err = client.Benefits(context.Background(), []string{bad})
		assertKind(t, err, connectors.ErrInvalidRequest, werknemersverzekeringen.operation)
	}
}

func assertKind(t *testing.T, err, kind error, op string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v, want kind %v", err, kind)
	}
	var ce *connectors.Error
	if !errors.As(err, &ce) || ce.Registry != Registry || ce.Operation != op {
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
	codes  []string
	tries  int32 // expected attempts; 0 means 1
}

func failures() []failure {
	file := func(code int, name string) func(*testing.T, http.ResponseWriter, *http.Request) {
		return func(t *testing.T, w http.ResponseWriter, _ *http.Request) { serveFile(t, w, code, name) }
	}
	body := func(contentType, text string) func(*testing.T, http.ResponseWriter, *http.Request) {
		return func(t *testing.T, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", contentType)
			_, _ = w.Write([]byte(text))
		}
	}
	answer := func(inner string) string {
		return `<e:Envelope xmlns:e="` + nsSOAP + `"><e:Body><a:UWVPersoonsIkvInfoResponse xmlns:a="` + inkomsten.namespace + `">` +
			inner + `</a:UWVPersoonsIkvInfoResponse></e:Body></e:Envelope>`
	}
	return []failure{
		{name: "Client fault, not retried", handle: file(500, "fault-client.xml"), kind: connectors.ErrInvalidRequest,
			detail: "SOAP fault Client, FWI Fout AanvraagOngeldig", codes: []string{"AanvraagOngeldig"}},
		{name: "NietGerechtigd", handle: file(500, "fault-nietgerechtigd.xml"), kind: connectors.ErrUnauthorized, detail: "NietGerechtigd"},
		{name: "Server fault, not retried", handle: file(500, "fault-server.xml"), kind: connectors.ErrUnavailable, detail: "SOAP fault Server"},
		{name: "503 retried", handle: func(t *testing.T, w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
		}, kind: connectors.ErrUnavailable, tries: 3},
		{name: "404 not served", handle: func(t *testing.T, w http.ResponseWriter, _ *http.Request) {
			http.NotFound(w, nil)
		}, kind: connectors.ErrUnavailable, detail: "not served at the base URL"},
		{name: "FWI Fout without data", handle: file(200, "ikv-fwi.xml"), kind: connectors.ErrUnavailable,
			detail: "FWI Fout BronNietBeschikbaar", codes: []string{"BronNietBeschikbaar"}},
		{name: "malformed XML", handle: body("text/xml", `<e:Envelope xmlns:e="`+nsSOAP+`"><e:Body>`), kind: connectors.ErrInvalidResponse, detail: "does not follow the API"},
		{name: "wrong content type", handle: body("text/html", "<html></html>"), kind: connectors.ErrInvalidResponse, detail: "content type"},
		{name: "another answer element", handle: body("text/xml", `<e:Envelope xmlns:e="`+nsSOAP+`"><e:Body><a:UWVPersoonsWvInfoResponse xmlns:a="`+werknemersverzekeringen.namespace+`"/></e:Body></e:Envelope>`),
			kind: connectors.ErrInvalidResponse, detail: "does not follow the API"},
		{name: "a fault with 200", handle: func(t *testing.T, w http.ResponseWriter, r *http.Request) { serveFile(t, w, 200, "fault-client.xml") },
			kind: connectors.ErrInvalidResponse},
		{name: "empty answer", handle: body("text/xml", answer("")), kind: connectors.ErrInvalidResponse, detail: "does not follow SuwiML"},
		{name: "another person", handle: body("text/xml", answer("<ClientSuwi><Burgerservicenr>999901035</Burgerservicenr></ClientSuwi>")),
			kind: connectors.ErrInvalidResponse, detail: "does not follow SuwiML"},
		{name: "not a date", handle: body("text/xml", answer("<ClientSuwi><Burgerservicenr>"+known+"</Burgerservicenr><Inkomstenverhouding><DatBIkv>2025-01-01</DatBIkv></Inkomstenverhouding></ClientSuwi>")),
			kind: connectors.ErrInvalidResponse, detail: "does not follow SuwiML"},
		{name: "relates to another request", handle: body("text/xml", strings.Replace(answer("<f:NietsGevonden xmlns:f=\""+nsFWI+"\"/>"), "<e:Body>",
			`<e:Header><w:RelatesTo xmlns:w="`+nsWSA+`">urn:uuid:other</w:RelatesTo></e:Header><e:Body>`, 1)),
			kind: connectors.ErrInvalidResponse, detail: "does not follow the API"},
		{name: "slow", handle: func(t *testing.T, w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, kind: connectors.ErrTimeout},
	}
}

func TestFailures(t *testing.T) {
	for _, f := range failures() {
		t.Run(f.name, func(t *testing.T) {
			client, mux := setup(t, func(c *connectors.Config) { c.Timeout = 300 * time.Millisecond })
			var tries atomic.Int32
			mux.HandleFunc(ikvPath, func(w http.ResponseWriter, r *http.Request) {
				tries.Add(1)
				f.handle(t, w, r)
			})
			_, err := client.Employments(context.Background(), []string{known})
			assertKind(t, err, f.kind, inkomsten.operation)
			var ce *connectors.Error
			errors.As(err, &ce)
			if !strings.Contains(ce.Detail, f.detail) || f.codes != nil && !slices.Equal(ce.Codes, f.codes) {
				t.Errorf("detail %q, codes %v; want %q, %v", ce.Detail, ce.Codes, f.detail, f.codes)
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

func TestBenefitsFailures(t *testing.T) {
	client, mux := setup(t)
	mux.HandleFunc(wvPath, func(w http.ResponseWriter, r *http.Request) { serveFile(t, w, 500, "fault-client.xml") })
	_, err := client.Benefits(context.Background(), []string{known})
	assertKind(t, err, connectors.ErrInvalidRequest, werknemersverzekeringen.operation)
	mux.HandleFunc(wvPath+"/x", func(w http.ResponseWriter, r *http.Request) {})
	client2, mux2 := setup(t)
	mux2.HandleFunc(wvPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = fmt.Fprintf(w, `<e:Envelope xmlns:e="%s"><e:Body><a:UWVPersoonsWvInfoResponse xmlns:a="%s"><ClientSuwi><Burgerservicenr>%s</Burgerservicenr>`+
			`<Uitkeringsverhouding><AantWerkurenPerWeekGrondslagUitk>38.0</AantWerkurenPerWeekGrondslagUitk><SzWet><CdSzWet>WW</CdSzWet></SzWet></Uitkeringsverhouding>`+
			`</ClientSuwi></a:UWVPersoonsWvInfoResponse></e:Body></e:Envelope>`, nsSOAP, werknemersverzekeringen.namespace, known)
	})
	_, err = client2.Benefits(context.Background(), []string{known})
	assertKind(t, err, connectors.ErrInvalidResponse, werknemersverzekeringen.operation)
}

func TestCheckFetchesTheWSDL(t *testing.T) {
	client, mux := setup(t)
	mux.HandleFunc(ikvPath, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.RawQuery != "wsdl" {
			t.Errorf("%s %s", r.Method, r.URL)
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"/>`))
	})
	if err := client.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	down, mux := setup(t)
	mux.HandleFunc(ikvPath, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) })
	assertKind(t, down.Check(context.Background()), connectors.ErrUnavailable, opStatus)
}

func TestHoursMinutes(t *testing.T) {
	for in, want := range map[string]float64{"3800": 38, "2430": 24.5, "0015": 0.25} {
		if got, err := hoursMinutes(in); err != nil || *got != want {
			t.Errorf("hoursMinutes(%q) = %v, %v; want %v", in, deref(got), err, want)
		}
	}
	for _, bad := range []string{"38", "3860", "38.0", "-100", "+100"} {
		if _, err := hoursMinutes(bad); err == nil {
			t.Errorf("hoursMinutes(%q) accepted", bad)
		}
	}
}

func TestUnknownDatesAreEmpty(t *testing.T) {
	var d dates
	for in, want := range map[string]string{"00000000": "", "20250000": "", "20250100": "", "20250131": "2025-01-31", "": ""} {
		if got := d.iso("x", in); got != want {
			t.Errorf("iso(%q) = %q, want %q", in, got, want)
		}
	}
	if d.err != nil {
		t.Fatal(d.err)
	}
	if d.iso("DatBIkv", "20250231"); d.err == nil || strings.Contains(d.err.Error(), "2025") {
		t.Errorf("error %v for 31 February", d.err)
	}
}
