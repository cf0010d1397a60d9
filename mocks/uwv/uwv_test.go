package uwv

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	xsdvalidate "github.com/terminalstatic/go-xsd-validate"

	"github.com/poort-nl/poort/mocks/population"
)

// refDate lies mid-month, so statements of the month an employment ended
// in are partial.
var refDate = time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)

// The schemas every message is validated against (spec/README.md). They
// are parsed once; libxml2 needs its global initialisation first.
const (
	envelopeXSD  = "spec/soap-1.1/envelope.xsd"
	inkomstenXSD = "spec/UWVDossierInkomstenGSD-v0200-b02/Diensten/UWVDossierInkomstenGSD/v0200-b02/BodyReaction.xsd"
	wvXSD        = "spec/UWVDossierWerknemersverzekeringenGSD-v0200-b01/Diensten/UWVDossierWerknemersverzekeringenGSD/v0200-b01/BodyReaction.xsd"
	fwiXSD       = "spec/UWVDossierInkomstenGSD-v0200-b02/FWI/v0205/FWI.xsd"
)

var schemas map[string]*xsdvalidate.XsdHandler

func TestMain(m *testing.M) {
	if err := xsdvalidate.Init(); err != nil {
		fmt.Fprintln(os.Stderr, "libxml2:", err)
		os.Exit(1)
	}
	schemas = map[string]*xsdvalidate.XsdHandler{}
	for _, f := range []string{envelopeXSD, inkomstenXSD, wvXSD, fwiXSD} {
		h, err := xsdvalidate.NewXsdHandlerUrl(f, xsdvalidate.ParsErrDefault)
		if err != nil {
			fmt.Fprintf(os.Stderr, "schema %s: %v\n", f, err)
			os.Exit(1)
		}
		schemas[f] = h
	}
	code := m.Run()
	for _, h := range schemas {
		h.Free()
	}
	xsdvalidate.Cleanup()
	os.Exit(code)
}

// validate checks a document against a schema.
func validate(t testing.TB, schema string, doc []byte) {
	t.Helper()
	if err := schemas[schema].ValidateMem(doc, xsdvalidate.ValidErrDefault); err != nil {
		t.Fatalf("not valid against %s: %v\n%s", schema, err, doc)
	}
}

var (
	soapBody      = xml.Name{Space: nsSOAP, Local: "Body"}
	soapFaultName = xml.Name{Space: nsSOAP, Local: "Fault"}
)

// element returns the raw bytes of the first element at the path below the
// document's root, with the namespace declarations it carries itself.
func element(t testing.TB, doc []byte, path ...xml.Name) []byte {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	depth, matched, start := 0, 0, int64(-1)
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("no element %v in\n%s", path, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			if start < 0 && depth == matched+2 && (path[matched] == tok.Name || path[matched].Space == "*" && path[matched].Local == tok.Name.Local) {
				matched++
				if matched == len(path) {
					start = off
				}
			}
		case xml.EndElement:
			if start >= 0 && depth == len(path)+1 {
				return doc[start:dec.InputOffset()]
			}
			depth--
		}
	}
}

func generate(t testing.TB, size int) *population.Population {
	t.Helper()
	pop, err := population.Generate(population.Config{Seed: 7, Size: size, ReferenceDate: refDate})
	if err != nil {
		t.Fatal(err)
	}
	return pop
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func post(h http.Handler, sv service, contentType, body string) answer {
	req := httptest.NewRequest(http.MethodPost, BasePath+"/"+sv.name, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return answer{rec.Code, rec.Header(), rec.Body.Bytes()}
}

const messageID = "urn:uuid:4c1f2a9e-0d55-4d1e-9a59-6f0b7c3d2e11"

// envelopeWith wraps a body in a SOAP 1.1 envelope with the WS-Addressing
// headers the service wants.
func envelopeWith(sv service, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="` + nsSOAP + `" xmlns:wsa="` + nsWSA + `"><soapenv:Header>` +
		`<wsa:Action>` + sv.action(sv.operation) + `</wsa:Action><wsa:MessageID>` + messageID + `</wsa:MessageID>` +
		`<wsa:To>https://broker.example/suwibroker/soap/` + sv.name + `</wsa:To></soapenv:Header><soapenv:Body>` + body +
		`</soapenv:Body></soapenv:Envelope>`
}

// ask is a valid request about one person, with an optional period.
func ask(sv service, bsn, periode string) string {
	return envelopeWith(sv, `<smls:`+sv.operation+` xmlns:smls="`+sv.namespace+`"><Burgerservicenr>`+bsn+
		`</Burgerservicenr>`+periode+`</smls:`+sv.operation+`>`)
}

// answerOf checks an answer is a valid SOAP 1.1 message that relates to
// the request and holds the service's answer valid against its
// BodyReaction.xsd, and returns that answer.
func answerOf(t testing.TB, sv service, a answer) []byte {
	t.Helper()
	if a.status != http.StatusOK || a.header.Get("Content-Type") != "text/xml; charset=utf-8" {
		t.Fatalf("status %d, %s:\n%s", a.status, a.header.Get("Content-Type"), a.body)
	}
	validate(t, envelopeXSD, a.body)
	headers := struct {
		Action    string `xml:"Header>Action"`
		RelatesTo string `xml:"Header>RelatesTo"`
	}{}
	if err := xml.Unmarshal(a.body, &headers); err != nil {
		t.Fatal(err)
	}
	if headers.Action != sv.action(sv.operation+"Response") || headers.RelatesTo != messageID {
		t.Errorf("WS-Addressing: %+v", headers)
	}
	body := element(t, a.body, soapBody, xml.Name{Space: sv.namespace, Local: sv.operation + "Response"})
	validate(t, map[string]string{nsInkomsten: inkomstenXSD, nsWerknemersverzekeringen: wvXSD}[sv.namespace], body)
	return body
}

// faultOf checks an answer is a SOAP 1.1 fault, valid against the envelope
// schema, whose detail is an fwi:Fout valid against FWI.xsd, and returns
// the fault code and the FWI code.
func faultOf(t testing.TB, sv service, a answer, status int) (faultCode, code string) {
	t.Helper()
	if a.status != status || a.header.Get("Content-Type") != "text/xml; charset=utf-8" {
		t.Fatalf("status %d, %s, want %d:\n%s", a.status, a.header.Get("Content-Type"), status, a.body)
	}
	validate(t, envelopeXSD, a.body)
	detail := element(t, a.body, soapBody, soapFaultName, xml.Name{Local: "detail"}, xml.Name{Space: nsFWI, Local: "Fout"})
	validate(t, fwiXSD, detail)
	var f struct {
		Action string `xml:"Header>Action"`
		Code   string `xml:"Body>Fault>faultcode"`
		FWI    string `xml:"Body>Fault>detail>Fout>Code"`
		Bron   string `xml:"Body>Fault>detail>Fout>Bron>DN"`
	}
	if err := xml.Unmarshal(a.body, &f); err != nil {
		t.Fatal(err)
	}
	if f.Action != sv.action("Fout") || f.Bron == "" {
		t.Errorf("fault %+v: want the WSDL's fault action and a source", f)
	}
	return f.Code, f.FWI
}

// The answers' content as the tests read it.
type ikvTest struct {
	ClientSuwi *struct {
		Burgerservicenr     string
		Inkomstenverhouding []struct {
			VolgnrIkv              int
			DatBIkv, DatEIkv       string
			AdministratieveEenheid struct {
				NaamAdministratieveEenheid, Loonheffingennr string
				RechtspersoonAdministratieveEenh            *struct{ FiNr string }
				PersoonAdministratieveEenheid               *struct{ SignificantDeelVanDeAchternaam string }
				FeitelijkAdresAeh                           []struct {
					Straatadres struct {
						Postcd string
						Huisnr int
					}
				}
			}
			Inkomstenperiode []struct{ CdSrtIkv, CdAardIkv, CdTypeArbeidscontract string }
			Inkomstenopgave  []struct {
				DatBIko, DatEIko     string
				AantVerloondeUrenIko *int
				BedrBrutoloonSv      *struct{ WaardeBedr int64 }
			}
		}
	}
	PeriodeGegevensleveringIko *struct{ DatBPeriode, DatEPeriode string }
	FWI                        *struct{ Fout []struct{ Code string } }
	NietsGevonden              *struct{}
}

type wvTest struct {
	ClientSuwi *struct {
		Burgerservicenr    string
		WerkloosheidClient []struct{ DatEersteWerkloosheidsdag, OmsRedenWerkloosheid string }
		AanvraagUitkering  []struct {
			DatAanvraagUitkering string
			CdSzWet              string `xml:"SzWet>CdSzWet"`
		}
		Uitkeringsverhouding []struct {
			DatBUitkeringsverhouding, DatEUitkeringsverhouding, OmsRedenEindeUitkeringsverh string
			DatEMaximaleUitkeringsduur, AantWerkurenPerWeekGrondslagUitk                    string
			CdSzWet                                                                         string `xml:"SzWet>CdSzWet"`
		}
	}
	NietsGevonden *struct{}
}

func decode[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := xml.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode: %v\n%s", err, b)
	}
	return v
}

// unknownBSN passes the elfproef and is not in the population.
func unknownBSN(t testing.TB, pop *population.Population) string {
	t.Helper()
	for _, b := range []string{"123456782", "111222333", "999999990"} {
		if _, ok := pop.Person(b); !ok {
			return b
		}
	}
	t.Fatal("no unknown BSN")
	return ""
}

var inkomstenService, wvService = services[0], services[1]

// TestEveryAnswerIsValidSuwiML asks both services about every person of a
// population, and about strangers, with and without a period, and validates
// each answer against the SOAP envelope schema and the service's
// BodyReaction.xsd.
func TestEveryAnswerIsValidSuwiML(t *testing.T) {
	pop := generate(t, 600)
	h := New(pop)
	bsns := []string{unknownBSN(t, pop)}
	for _, p := range pop.Persons {
		bsns = append(bsns, p.BSN)
	}
	found := map[string]int{}
	for _, bsn := range bsns {
		for _, periode := range []string{"", "<PeriodeGegevensvraagIko><DatBPeriode>20250101</DatBPeriode><DatEPeriode>20260331</DatEPeriode></PeriodeGegevensvraagIko>"} {
			got := decode[ikvTest](t, answerOf(t, inkomstenService, post(h, inkomstenService, "text/xml", ask(inkomstenService, bsn, periode))))
			if got.ClientSuwi != nil {
				found["income relations"]++
			}
		}
		got := decode[wvTest](t, answerOf(t, wvService, post(h, wvService, "text/xml; charset=utf-8", ask(wvService, bsn, ""))))
		if got.ClientSuwi != nil {
			found["benefits"]++
		}
	}
	if found["income relations"] < 100 || found["benefits"] == 0 {
		t.Fatalf("answers with data: %v; the test validated too little", found)
	}
}

// TestValidationCatchesFaults makes sure the validation above can fail: a
// date in ISO form and a missing statement are refused.
func TestValidationCatchesFaults(t *testing.T) {
	pop := generate(t, 300)
	body := answerOf(t, inkomstenService, post(New(pop), inkomstenService, "text/xml", ask(inkomstenService, pop.Scenarios.JobLoss, "")))
	for name, broken := range map[string][]byte{
		"ISO date":        bytes.Replace(body, []byte("<DatBIkv>"), []byte("<DatBIkv>2021-"), 1),
		"qualified child": bytes.Replace(body, []byte("<ClientSuwi>"), []byte(`<ClientSuwi xmlns="`+nsInkomsten+`">`), 1),
	} {
		if err := schemas[inkomstenXSD].ValidateMem(broken, xsdvalidate.ValidErrDefault); err == nil {
			t.Errorf("%s: the schema accepts a broken answer", name)
		}
	}
}

func TestIncomeRelationsOfJobLoss(t *testing.T) {
	pop := generate(t, 1000)
	bsn := pop.Scenarios.JobLoss
	got := decode[ikvTest](t, answerOf(t, inkomstenService, post(New(pop), inkomstenService, "text/xml", ask(inkomstenService, bsn, ""))))
	if got.ClientSuwi == nil || got.ClientSuwi.Burgerservicenr != bsn || got.PeriodeGegevensleveringIko != nil {
		t.Fatalf("answer %+v", got)
	}
	emps, bens := pop.EmploymentsOf(bsn), pop.BenefitsOf(bsn)
	ikvs := got.ClientSuwi.Inkomstenverhouding
	if len(ikvs) != len(emps)+len(bens) {
		t.Fatalf("%d income relations, want %d employments and %d benefits", len(ikvs), len(emps), len(bens))
	}
	lastDeclared := "20260228"
	for i, e := range emps {
		ikv := ikvs[i]
		aeh := ikv.AdministratieveEenheid
		per := ikv.Inkomstenperiode[0]
		c, _ := pop.Company(e.EmployerKvK)
		switch {
		case ikv.VolgnrIkv != e.Sequence || ikv.DatBIkv != string(e.Start) || ikv.DatEIkv != string(e.End):
			t.Errorf("ikv %d: %d %s–%s, want %d %s–%s", i, ikv.VolgnrIkv, ikv.DatBIkv, ikv.DatEIkv, e.Sequence, e.Start, e.End)
		case aeh.NaamAdministratieveEenheid != e.EmployerName || aeh.Loonheffingennr != e.PayrollTaxNumber:
			t.Errorf("ikv %d: employer %+v", i, aeh)
		case c.RSIN != "" && (aeh.RechtspersoonAdministratieveEenh == nil || aeh.RechtspersoonAdministratieveEenh.FiNr != c.RSIN):
			t.Errorf("ikv %d: legal entity %+v, want RSIN %s", i, aeh.RechtspersoonAdministratieveEenh, c.RSIN)
		case c.RSIN == "" && aeh.PersoonAdministratieveEenheid == nil:
			t.Errorf("ikv %d: an employer without RSIN is not given as a person", i)
		case len(aeh.FeitelijkAdresAeh) != 1 || aeh.FeitelijkAdresAeh[0].Straatadres.Postcd == "":
			t.Errorf("ikv %d: address %+v", i, aeh.FeitelijkAdresAeh)
		case per.CdSrtIkv != "15" || per.CdAardIkv != "01" || per.CdTypeArbeidscontract != e.ContractType:
			t.Errorf("ikv %d: period %+v", i, per)
		}
		n := len(ikv.Inkomstenopgave)
		if n == 0 || n > recentStatements {
			t.Fatalf("ikv %d: %d statements", i, n)
		}
		latest := ikv.Inkomstenopgave[n-1]
		if latest.DatEIko > lastDeclared || (e.End != "" && latest.DatEIko != min(string(e.End), lastDeclared)) {
			t.Errorf("ikv %d: latest statement ends %s (employment ends %q)", i, latest.DatEIko, e.End)
		}
		if latest.BedrBrutoloonSv == nil || latest.BedrBrutoloonSv.WaardeBedr <= 0 || latest.AantVerloondeUrenIko == nil || *latest.AantVerloondeUrenIko <= 0 {
			t.Errorf("ikv %d: latest statement %+v", i, latest)
		}
	}
	ww := ikvs[len(emps)]
	b := bens[0]
	switch {
	case ww.Inkomstenperiode[0].CdSrtIkv != "33" || ww.AdministratieveEenheid.NaamAdministratieveEenheid != uwvName:
		t.Errorf("benefit relation %+v", ww)
	case ww.VolgnrIkv != emps[len(emps)-1].Sequence+1 || ww.DatBIkv != string(b.Start):
		t.Errorf("benefit relation %+v", ww)
	}
	for _, o := range ww.Inkomstenopgave {
		if o.DatBIko < string(b.Start) || o.DatEIko > lastDeclared || o.BedrBrutoloonSv != nil && o.BedrBrutoloonSv.WaardeBedr%int64(b.DailyAmountCents) != 0 {
			t.Errorf("benefit statement %+v", o)
		}
	}
}

func TestIncomeRelationsInPeriod(t *testing.T) {
	pop := generate(t, 1000)
	h := New(pop)
	bsn := pop.Scenarios.JobLoss
	periode := "<PeriodeGegevensvraagIko><DatBPeriode>20250601</DatBPeriode><DatEPeriode>20251031</DatEPeriode></PeriodeGegevensvraagIko>"
	got := decode[ikvTest](t, answerOf(t, inkomstenService, post(h, inkomstenService, "text/xml", ask(inkomstenService, bsn, periode))))
	if p := got.PeriodeGegevensleveringIko; p == nil || p.DatBPeriode != "20250601" || p.DatEPeriode != "20251031" {
		t.Fatalf("period echoed as %+v", p)
	}
	want := 0
	for _, e := range pop.EmploymentsOf(bsn) {
		if e.Start <= "20251031" && (e.End == "" || e.End >= "20250601") {
			want++
		}
	}
	if got.ClientSuwi == nil || len(got.ClientSuwi.Inkomstenverhouding) != want {
		t.Fatalf("answer %+v, want %d relations in the period", got.ClientSuwi, want)
	}
	for _, ikv := range got.ClientSuwi.Inkomstenverhouding {
		for _, o := range ikv.Inkomstenopgave {
			if o.DatBIko < "20250601" || o.DatEIko > "20251031" {
				t.Errorf("statement %s–%s outside the period", o.DatBIko, o.DatEIko)
			}
		}
	}

	// Nothing in the period is NietsGevonden; a period that is none is an
	// FWI Fout in the answer, not a fault.
	before := "<PeriodeGegevensvraagIko><DatEPeriode>19001231</DatEPeriode></PeriodeGegevensvraagIko>"
	if got := decode[ikvTest](t, answerOf(t, inkomstenService, post(h, inkomstenService, "text/xml", ask(inkomstenService, bsn, before)))); got.NietsGevonden == nil {
		t.Errorf("income relations before 1901: %+v", got)
	}
	for _, p := range []string{
		"<PeriodeGegevensvraagIko><DatBPeriode>20251231</DatBPeriode><DatEPeriode>20250101</DatEPeriode></PeriodeGegevensvraagIko>",
		"<PeriodeGegevensvraagIko><DatBPeriode>20250231</DatBPeriode></PeriodeGegevensvraagIko>",
	} {
		got := decode[ikvTest](t, answerOf(t, inkomstenService, post(h, inkomstenService, "text/xml", ask(inkomstenService, bsn, p))))
		if got.ClientSuwi != nil || got.FWI == nil || len(got.FWI.Fout) != 1 || got.FWI.Fout[0].Code != codePeriode {
			t.Errorf("period %s: answer %+v, want an FWI Fout %s", p, got, codePeriode)
		}
	}
}

func TestBenefitsOfJobLoss(t *testing.T) {
	pop := generate(t, 1000)
	h := New(pop)
	bsn := pop.Scenarios.JobLoss
	got := decode[wvTest](t, answerOf(t, wvService, post(h, wvService, "text/xml", ask(wvService, bsn, ""))))
	bens := pop.BenefitsOf(bsn)
	cl := got.ClientSuwi
	if cl == nil || len(cl.Uitkeringsverhouding) != len(bens) || len(cl.WerkloosheidClient) != len(bens) || len(cl.AanvraagUitkering) != len(bens) {
		t.Fatalf("client %+v for %d benefits", cl, len(bens))
	}
	for i, b := range bens {
		u, wl, av := cl.Uitkeringsverhouding[i], cl.WerkloosheidClient[i], cl.AanvraagUitkering[i]
		switch {
		case u.DatBUitkeringsverhouding != string(b.Start) || u.DatEMaximaleUitkeringsduur != string(b.MaxEnd):
			t.Errorf("relation %+v", u)
		case u.AantWerkurenPerWeekGrondslagUitk != tijdsduur(b.HoursLost) || u.CdSzWet != "WW":
			t.Errorf("relation %+v", u)
		case wl.DatEersteWerkloosheidsdag != string(b.FirstDayUnemployed) || wl.OmsRedenWerkloosheid != b.Reason:
			t.Errorf("unemployment %+v", wl)
		case av.DatAanvraagUitkering != string(b.ApplicationDate) || av.CdSzWet != "WW":
			t.Errorf("application %+v", av)
		}
	}
	worker := ""
	for _, e := range pop.Employments {
		if len(pop.BenefitsOf(e.BSN)) == 0 {
			worker = e.BSN
			break
		}
	}
	if got := decode[wvTest](t, answerOf(t, wvService, post(h, wvService, "text/xml", ask(wvService, worker, "")))); got.NietsGevonden == nil {
		t.Errorf("a worker without benefit: %+v, want NietsGevonden", got)
	}
}

func TestTijdsduur(t *testing.T) {
	for hours, want := range map[float64]string{38: "3800", 24.5: "2430", 0.25: "0015"} {
		if got := tijdsduur(hours); got != want {
			t.Errorf("tijdsduur(%v) = %s, want %s", hours, got, want)
		}
	}
}

func TestBenefitPastItsMaximumHasEnded(t *testing.T) {
	pop := generate(t, 3000)
	h := New(pop)
	for _, b := range pop.Benefits {
		if b.End != "" || b.MaxEnd >= pop.ReferenceDate {
			continue
		}
		got := decode[wvTest](t, answerOf(t, wvService, post(h, wvService, "text/xml", ask(wvService, b.BSN, ""))))
		for _, u := range got.ClientSuwi.Uitkeringsverhouding {
			if u.DatBUitkeringsverhouding == string(b.Start) {
				if u.DatEUitkeringsverhouding != string(b.MaxEnd) || u.OmsRedenEindeUitkeringsverh != redenMaximum {
					t.Fatalf("expired benefit %+v", u)
				}
				return
			}
		}
		t.Fatal("benefit missing")
	}
	t.Fatal("no benefit past its maximum duration in the population")
}

// TestFaults sends requests the WSDL and BodyAction.xsd do not allow; each
// is answered with a SOAP fault whose detail is an fwi:Fout.
func TestFaults(t *testing.T) {
	pop := generate(t, 300)
	h := New(pop)
	sv := inkomstenService
	valid := ask(sv, pop.Scenarios.JobLoss, "")
	body := func(inner string) string {
		return envelopeWith(sv, `<smls:UWVPersoonsIkvInfo xmlns:smls="`+sv.namespace+`">`+inner+`</smls:UWVPersoonsIkvInfo>`)
	}
	tests := []struct {
		name, contentType, body string
		status                  int
		faultCode, code         string
	}{
		{"SOAP 1.2 content type", "application/soap+xml", valid, 415, "soapenv:Client", codeBericht},
		{"not XML", "text/xml", "{}", 500, "soapenv:Client", codeBericht},
		{"SOAP 1.2 envelope", "text/xml", strings.ReplaceAll(valid, nsSOAP, nsSOAP12), 500, "soapenv:VersionMismatch", codeBericht},
		{"no header", "text/xml", `<soapenv:Envelope xmlns:soapenv="` + nsSOAP + `"><soapenv:Body/></soapenv:Envelope>`, 500, "soapenv:Client", codeAdressering},
		{"other service's action", "text/xml", strings.Replace(valid, sv.action(sv.operation), wvService.action(wvService.operation), 1), 500, "soapenv:Client", codeAdressering},
		{"no message ID", "text/xml", strings.Replace(valid, "<wsa:MessageID>"+messageID+"</wsa:MessageID>", "", 1), 500, "soapenv:Client", codeAdressering},
		{"own header", "text/xml", strings.Replace(valid, "<soapenv:Header>", `<soapenv:Header><x:Tenant xmlns:x="urn:x">a</x:Tenant>`, 1), 500, "soapenv:Client", codeAdressering},
		{"other operation", "text/xml", envelopeWith(sv, `<smls:UWVPersoonsWvInfo xmlns:smls="`+wvService.namespace+`"><Burgerservicenr>123456782</Burgerservicenr></smls:UWVPersoonsWvInfo>`), 500, "soapenv:Client", codeAanvraag},
		{"no BSN", "text/xml", body(""), 500, "soapenv:Client", codeAanvraag},
		{"short BSN", "text/xml", body("<Burgerservicenr>12345678</Burgerservicenr>"), 500, "soapenv:Client", codeAanvraag},
		{"qualified BSN", "text/xml", body(`<smls:Burgerservicenr>123456782</smls:Burgerservicenr>`), 500, "soapenv:Client", codeAanvraag},
		{"unknown element", "text/xml", body("<Burgerservicenr>123456782</Burgerservicenr><Naam>x</Naam>"), 500, "soapenv:Client", codeAanvraag},
		{"period not a sml:Datum", "text/xml", body("<Burgerservicenr>123456782</Burgerservicenr><PeriodeGegevensvraagIko><DatBPeriode>2025-01-01</DatBPeriode></PeriodeGegevensvraagIko>"), 500, "soapenv:Client", codeAanvraag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			faultCode, code := faultOf(t, sv, post(h, sv, tt.contentType, tt.body), tt.status)
			if faultCode != tt.faultCode || code != tt.code {
				t.Errorf("fault %s, FWI %s; want %s, %s", faultCode, code, tt.faultCode, tt.code)
			}
		})
	}
	t.Run("a period to the werknemersverzekeringen", func(t *testing.T) {
		periode := "<PeriodeGegevensvraagIko><DatBPeriode>20250101</DatBPeriode></PeriodeGegevensvraagIko>"
		if _, code := faultOf(t, wvService, post(h, wvService, "text/xml", ask(wvService, "123456782", periode)), 500); code != codeAanvraag {
			t.Errorf("FWI %s", code)
		}
	})
}

func TestUnknownBSNIsNietsGevonden(t *testing.T) {
	pop := generate(t, 300)
	h := New(pop)
	for _, sv := range services {
		a := post(h, sv, "text/xml", ask(sv, unknownBSN(t, pop), ""))
		b := answerOf(t, sv, a)
		if !bytes.Contains(b, []byte(`<fwi:NietsGevonden xmlns:fwi="`+nsFWI+`"></fwi:NietsGevonden>`)) {
			t.Errorf("%s: %s, want only NietsGevonden", sv.operation, b)
		}
	}
}

func TestRoutes(t *testing.T) {
	h := New(generate(t, 100))
	for _, sv := range services {
		req := httptest.NewRequest(http.MethodGet, BasePath+"/"+sv.name+"?wsdl", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || !bytes.Contains(rec.Body.Bytes(), []byte(`wsdl:operation name="`+sv.operation+`"`)) {
			t.Errorf("%s?wsdl: %d %.200s", sv.name, rec.Code, rec.Body)
		}
	}
	for _, tt := range []struct {
		method, target string
		status         int
	}{
		{"GET", BasePath + "/" + inkomstenService.name, 405},
		{"POST", BasePath + "/UWVDossierQuotumArbeidsbeperktenGSD-v0200", 404},
		{"POST", BasePath + "/" + inkomstenService.name + "/", 404},
	} {
		req := httptest.NewRequest(tt.method, tt.target, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.status {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.target, rec.Code, tt.status)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	pop := generate(t, 500)
	srv := httptest.NewServer(New(pop))
	defer srv.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sv := services[i%2]
			resp, err := http.Post(srv.URL+BasePath+"/"+sv.name, "text/xml", strings.NewReader(ask(sv, pop.Persons[i].BSN, "")))
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || !bytes.Contains(b, []byte(sv.operation+"Response")) {
				errs <- fmt.Errorf("status %d: %.200s", resp.StatusCode, b)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func BenchmarkIncomeRelations(b *testing.B) {
	pop := generate(b, 1000)
	h := New(pop)
	body := ask(inkomstenService, pop.Scenarios.JobLoss, "")
	for b.Loop() {
		if a := post(h, inkomstenService, "text/xml", body); a.status != 200 {
			b.Fatal(a.status)
		}
	}
}
