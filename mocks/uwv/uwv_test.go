package uwv

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poort-nl/poort/mocks/population"
)

// refDate lies mid-month, so statements of the month an employment ended
// in are partial.
var refDate = time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)

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

func call(t testing.TB, h http.Handler, method, target, body string, header ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return answer{rec.Code, rec.Header(), rec.Body.Bytes()}
}

func query(bsns ...string) string {
	b, _ := json.Marshal(map[string]any{"burgerservicenummers": bsns})
	return string(b)
}

func decode[T any](t testing.TB, a answer) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
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

func TestInkomstenverhoudingen(t *testing.T) {
	pop := generate(t, 1000)
	h := New(pop)
	c := loadContract(t)
	bsn := pop.Scenarios.JobLoss
	unknown := unknownBSN(t, pop)

	a := call(t, h, "POST", "/uwv/v1/inkomstenverhoudingen", query(bsn, unknown, bsn))
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if v := a.header.Get("API-Version"); v != APIVersion {
		t.Errorf("API-Version = %q", v)
	}
	c.conform(t, "/uwv/v1/inkomstenverhoudingen", "POST", 200, "application/json", a.body)
	got := decode[ikvAntwoord](t, a)
	if len(got.ClientSuwi) != 1 || got.ClientSuwi[0].Burgerservicenr != bsn {
		t.Fatalf("ClientSuwi = %+v, want once the person asked twice", got.ClientSuwi)
	}
	if len(got.NietsGevonden) != 1 || got.NietsGevonden[0].Burgerservicenr != unknown {
		t.Fatalf("NietsGevonden = %+v", got.NietsGevonden)
	}
	if got.PeriodeGegevensleveringIko != nil {
		t.Error("a period is echoed that was not asked for")
	}

	emps, bens := pop.EmploymentsOf(bsn), pop.BenefitsOf(bsn)
	ikvs := got.ClientSuwi[0].Inkomstenverhouding
	if len(ikvs) != len(emps)+len(bens) {
		t.Fatalf("%d income relations, want %d employments and %d benefits", len(ikvs), len(emps), len(bens))
	}
	lastDeclared := "20260228"
	for i, e := range emps {
		ikv := ikvs[i]
		aeh := ikv.AdministratieveEenheid
		per := ikv.Inkomstenperiode[0]
		switch {
		case ikv.VolgnrIkv != e.Sequence || ikv.DatBIkv != string(e.Start) || ikv.DatEIkv != string(e.End):
			t.Errorf("ikv %d: %d %s–%s, want %d %s–%s", i, ikv.VolgnrIkv, ikv.DatBIkv, ikv.DatEIkv, e.Sequence, e.Start, e.End)
		case aeh.NaamAdministratieveEenheid != e.EmployerName || aeh.Loonheffingennr != e.PayrollTaxNumber || aeh.KvKNr != e.EmployerKvK:
			t.Errorf("ikv %d: employer %+v", i, aeh)
		case per.CdSrtIkv != "15" || per.OmsSrtIkv == "" || per.CdAardIkv != "01" || per.OmsAardIkv != "arbeidsovereenkomst":
			t.Errorf("ikv %d: period %+v", i, per)
		case per.CdTypeArbeidscontract != e.ContractType || per.OmsTypeArbeidscontract == "":
			t.Errorf("ikv %d: contract %+v", i, per)
		case e.EndReason != "" && (ikv.CdRedenEindeArbeidsovereenkomst != e.EndReason || ikv.OmsRedenEindeArbeidsovereenkomst == ""):
			t.Errorf("ikv %d: end reason %q %q", i, ikv.CdRedenEindeArbeidsovereenkomst, ikv.OmsRedenEindeArbeidsovereenkomst)
		case aeh.RechtspersoonAdministratieveEenh == nil && aeh.PersoonAdministratieveEenheid == nil:
			t.Errorf("ikv %d: employer is neither a legal entity nor a person", i)
		}
		n := len(ikv.Inkomstenopgave)
		if n == 0 || n > recentStatements {
			t.Fatalf("ikv %d: %d statements", i, n)
		}
		latest := ikv.Inkomstenopgave[n-1]
		if latest.DatEIko > lastDeclared || (e.End != "" && latest.DatEIko != min(string(e.End), lastDeclared)) {
			t.Errorf("ikv %d: latest statement ends %s (employment ends %q)", i, latest.DatEIko, e.End)
		}
		if latest.BedrBrutoloonSv.WaardeBedr <= 0 || latest.AantVerloondeUrenIko <= 0 {
			t.Errorf("ikv %d: latest statement %+v", i, latest)
		}
	}
	// The job that was lost ended in February: its last statement covers
	// part of the month, pro rata.
	lost := ikvs[len(emps)-1]
	last := lost.Inkomstenopgave[len(lost.Inkomstenopgave)-1]
	e := emps[len(emps)-1]
	if last.DatBIko == last.DatEIko[:6]+"01" && last.DatEIko != "20260228" {
		days := int64(last.DatEIko[6]-'0')*10 + int64(last.DatEIko[7]-'0')
		if want := int64(e.MonthlyWageCents) * days / 28; last.BedrBrutoloonSv.WaardeBedr != want {
			t.Errorf("partial month wage %d, want %d", last.BedrBrutoloonSv.WaardeBedr, want)
		}
	}

	ww := ikvs[len(emps)]
	b := bens[0]
	switch {
	case ww.Inkomstenperiode[0].CdSrtIkv != "33" || ww.AdministratieveEenheid.NaamAdministratieveEenheid != uwvName:
		t.Errorf("benefit relation %+v", ww)
	case ww.VolgnrIkv != emps[len(emps)-1].Sequence+1:
		t.Errorf("benefit relation number %d", ww.VolgnrIkv)
	case ww.DatBIkv != string(b.Start) || ww.AdministratieveEenheid.KvKNr != "":
		t.Errorf("benefit relation %+v", ww)
	}
	for _, o := range ww.Inkomstenopgave {
		if o.DatBIko < string(b.Start) || o.DatEIko > lastDeclared || o.BedrBrutoloonSv.WaardeBedr%int64(b.DailyAmountCents) != 0 {
			t.Errorf("benefit statement %+v", o)
		}
	}
}

func TestInkomstenverhoudingenInPeriod(t *testing.T) {
	pop := generate(t, 1000)
	h := New(pop)
	c := loadContract(t)
	// A person with an employment that ended long ago and a later one.
	var bsn string
	for _, e := range pop.Employments {
		if e.End != "" && e.End < "20200101" && len(pop.EmploymentsOf(e.BSN)) > 1 {
			bsn = e.BSN
			break
		}
	}
	if bsn == "" {
		t.Skip("no person with an old employment")
	}
	body := fmt.Sprintf(`{"burgerservicenummers":[%q],"PeriodeGegevensvraagIko":{"DatBPeriode":"20250601","DatEPeriode":"20251031"}}`, bsn)
	a := call(t, h, "POST", "/uwv/v1/inkomstenverhoudingen", body)
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	c.conform(t, "/uwv/v1/inkomstenverhoudingen", "POST", 200, "application/json", a.body)
	got := decode[ikvAntwoord](t, a)
	if p := got.PeriodeGegevensleveringIko; p == nil || p.DatBPeriode != "20250601" || p.DatEPeriode != "20251031" {
		t.Fatalf("period echoed as %+v", p)
	}
	want := 0
	for _, e := range pop.EmploymentsOf(bsn) {
		if e.Start <= "20251031" && (e.End == "" || e.End >= "20250601") {
			want++
		}
	}
	if want == 0 {
		if len(got.NietsGevonden) != 1 {
			t.Fatalf("nothing in the period, yet %+v", got)
		}
		return
	}
	ikvs := got.ClientSuwi[0].Inkomstenverhouding
	if len(ikvs) != want {
		t.Fatalf("%d relations in the period, want %d", len(ikvs), want)
	}
	for _, ikv := range ikvs {
		for _, o := range ikv.Inkomstenopgave {
			if o.DatBIko < "20250601" || o.DatEIko > "20251031" {
				t.Errorf("statement %s–%s outside the period", o.DatBIko, o.DatEIko)
			}
		}
		if ikv.DatEIkv == "" && len(ikv.Inkomstenopgave) != 5 && ikv.DatBIkv < "20250601" {
			t.Errorf("running relation has %d statements in five months", len(ikv.Inkomstenopgave))
		}
	}
}

func TestNothingInPeriodIsNietsGevonden(t *testing.T) {
	pop := generate(t, 300)
	bsn := pop.Scenarios.JobLoss
	body := fmt.Sprintf(`{"burgerservicenummers":[%q],"PeriodeGegevensvraagIko":{"DatEPeriode":"19001231"}}`, bsn)
	got := decode[ikvAntwoord](t, call(t, New(pop), "POST", "/uwv/v1/inkomstenverhoudingen", body))
	if len(got.ClientSuwi) != 0 || len(got.NietsGevonden) != 1 {
		t.Fatalf("income relations before 1901: %+v", got)
	}
}

func TestWerknemersverzekeringen(t *testing.T) {
	pop := generate(t, 1000)
	h := New(pop)
	c := loadContract(t)
	bsn := pop.Scenarios.JobLoss
	worker := ""
	for _, e := range pop.Employments {
		if len(pop.BenefitsOf(e.BSN)) == 0 {
			worker = e.BSN
			break
		}
	}
	a := call(t, h, "POST", "/uwv/v1/werknemersverzekeringen", query(worker, bsn))
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	c.conform(t, "/uwv/v1/werknemersverzekeringen", "POST", 200, "application/json", a.body)
	got := decode[wvAntwoord](t, a)
	if len(got.ClientSuwi) != 1 || len(got.NietsGevonden) != 1 || got.NietsGevonden[0].Burgerservicenr != worker {
		t.Fatalf("answer %+v: want the benefit recipient found and the worker without benefit not", got)
	}
	cl := got.ClientSuwi[0]
	bens := pop.BenefitsOf(bsn)
	if len(cl.Uitkeringsverhouding) != len(bens) || len(cl.WerkloosheidClient) != len(bens) || len(cl.AanvraagUitkering) != len(bens) {
		t.Fatalf("client %+v for %d benefits", cl, len(bens))
	}
	for i, b := range bens {
		u, wl, av := cl.Uitkeringsverhouding[i], cl.WerkloosheidClient[i], cl.AanvraagUitkering[i]
		switch {
		case u.DatBUitkeringsverhouding != string(b.Start) || u.DatEMaximaleUitkeringsduur != string(b.MaxEnd):
			t.Errorf("relation %+v", u)
		case u.AantWerkurenPerWeekGrondslagUitk != b.HoursLost || u.SzWet.CdSzWet != "WW":
			t.Errorf("relation %+v", u)
		case wl.DatEersteWerkloosheidsdag != string(b.FirstDayUnemployed) || wl.OmsRedenWerkloosheid != b.Reason:
			t.Errorf("unemployment %+v", wl)
		case av.DatAanvraagUitkering != string(b.ApplicationDate) || av.SzWet.CdSzWet != "WW":
			t.Errorf("application %+v", av)
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
		got := decode[wvAntwoord](t, call(t, h, "POST", "/uwv/v1/werknemersverzekeringen", query(b.BSN)))
		for _, u := range got.ClientSuwi[0].Uitkeringsverhouding {
			if u.DatBUitkeringsverhouding == string(b.Start) {
				if u.DatEUitkeringsverhouding != string(b.MaxEnd) || u.OmsRedenEindeUitkeringsverh != redenMaximum {
					t.Fatalf("expired benefit %+v", u)
				}
				return
			}
		}
		t.Fatal("benefit missing")
	}
	t.Skip("no expired benefit in the population")
}

func TestEveryPopulationCodeIsDescribed(t *testing.T) {
	pop := generate(t, 3000)
	codes, err := loadCodeTables()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range pop.Employments {
		for table, code := range map[string]struct {
			t codeTable
			c string
		}{
			"soort": {codes.soortIkv, e.IncomeKind}, "aard": {codes.aardIkv, e.Relation},
			"type": {codes.contractType, e.ContractType}, "reden einde": {codes.redenEinde, e.EndReason},
		} {
			if code.c != "" && code.t.describe(code.c) == "" {
				t.Errorf("%s code %q has no description", table, code.c)
			}
		}
	}
	for _, b := range pop.Benefits {
		if codes.soortIkv.describe(b.IncomeKind) == "" {
			t.Errorf("benefit income kind %q has no description", b.IncomeKind)
		}
	}
	if d := codes.soortIkv.describe("15"); d != "Loon of salaris niet onder te brengen onder 11 tot en met 14 of 17" {
		t.Errorf("code 15 is described as %q", d)
	}
}

func TestErrors(t *testing.T) {
	pop := generate(t, 300)
	h := New(pop)
	c := loadContract(t)
	ikv, wv := "/uwv/v1/inkomstenverhoudingen", "/uwv/v1/werknemersverzekeringen"
	many := make([]string, MaxBSNs+1)
	for i := range many {
		many[i] = "999993653"
	}
	tests := []struct {
		name         string
		method, path string
		body         string
		header       []string
		status       int
		code         string
		params       string // name=code pairs, in order
	}{
		{"no burgerservicenummers", "POST", ikv, `{}`, nil, 400, "paramsValidation", "burgerservicenummers=required"},
		{"null burgerservicenummers", "POST", wv, `{"burgerservicenummers":null}`, nil, 400, "paramsValidation", "burgerservicenummers=required"},
		{"empty list", "POST", ikv, `{"burgerservicenummers":[]}`, nil, 400, "paramsValidation", "burgerservicenummers=minItems"},
		{"too many", "POST", wv, query(many...), nil, 400, "paramsValidation", "burgerservicenummers=maxItems"},
		{"not an array", "POST", ikv, `{"burgerservicenummers":"999993653"}`, nil, 400, "paramsValidation", "burgerservicenummers=array"},
		{"bad numbers", "POST", wv, `{"burgerservicenummers":["99999365","999993653",999993653,"99999365a"]}`, nil, 400, "paramsValidation",
			"burgerservicenummers[0]=pattern burgerservicenummers[2]=pattern burgerservicenummers[3]=pattern"},
		{"unknown member", "POST", wv, `{"burgerservicenummers":["999993653"],"PeriodeGegevensvraagIko":{}}`, nil, 400, "paramsValidation",
			"PeriodeGegevensvraagIko=unknownParam"},
		{"query string", "POST", ikv + "?fields=x", query("999993653"), nil, 400, "paramsValidation", "fields=unknownParam"},
		{"all faults together", "POST", ikv + "?b=1&a=2", `{"x":1,"burgerservicenummers":["1"],"PeriodeGegevensvraagIko":{"DatBPeriode":"2025","y":2}}`, nil, 400, "paramsValidation",
			"a=unknownParam b=unknownParam x=unknownParam burgerservicenummers[0]=pattern PeriodeGegevensvraagIko.y=unknownParam PeriodeGegevensvraagIko.DatBPeriode=pattern"},
		{"period not an object", "POST", ikv, `{"burgerservicenummers":["999993653"],"PeriodeGegevensvraagIko":"2025"}`, nil, 400, "paramsValidation", "PeriodeGegevensvraagIko=object"},
		{"impossible date", "POST", ikv, `{"burgerservicenummers":["999993653"],"PeriodeGegevensvraagIko":{"DatEPeriode":"20250229"}}`, nil, 400, "paramsValidation",
			"PeriodeGegevensvraagIko.DatEPeriode=date"},
		{"period reversed", "POST", ikv, `{"burgerservicenummers":["999993653"],"PeriodeGegevensvraagIko":{"DatBPeriode":"20250201","DatEPeriode":"20250101"}}`, nil, 400, "paramsValidation",
			"PeriodeGegevensvraagIko.DatEPeriode=period"},
		{"malformed JSON", "POST", ikv, `{"burgerservicenummers":[`, nil, 400, "paramsValidation", ""},
		{"two JSON values", "POST", ikv, `{} {}`, nil, 400, "paramsValidation", ""},
		{"JSON array body", "POST", wv, `["999993653"]`, nil, 400, "paramsValidation", ""},
		{"wrong content type", "POST", ikv, query("999993653"), []string{"Content-Type", "text/plain"}, 415, "unsupported", ""},
		{"not acceptable", "POST", wv, query("999993653"), []string{"Accept", "application/xml"}, 406, "notAcceptable", ""},
		{"GET on a query", "GET", ikv, "", nil, 405, "methodNotAllowed", ""},
		{"POST on status", "POST", "/uwv/v1/status", `{}`, nil, 405, "methodNotAllowed", ""},
		{"trailing slash", "POST", ikv + "/", query("999993653"), nil, 404, "notFound", ""},
		{"status with trailing slash", "GET", "/uwv/v1/status/", "", nil, 404, "notFound", ""},
		{"unknown path", "GET", "/uwv/v1/personen", "", nil, 404, "notFound", ""},
		{"root", "GET", "/", "", nil, 404, "notFound", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, h, tt.method, tt.path, tt.body, tt.header...)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.body)
			}
			if ct := a.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("Content-Type %q", ct)
			}
			if a.header.Get("API-Version") != APIVersion {
				t.Error("no API-Version header")
			}
			p := decode[problem](t, a)
			if p.Status != tt.status || p.Code != tt.code || p.Title == "" || p.Detail == "" || p.Type == "" {
				t.Fatalf("problem %+v", p)
			}
			if want := strings.SplitN(tt.path, "?", 2)[0]; p.Instance != want {
				t.Errorf("instance %q, want %q", p.Instance, want)
			}
			var got []string
			for _, ip := range p.InvalidParams {
				got = append(got, ip.Name+"="+ip.Code)
				if ip.Reason == "" || ip.Type == "" {
					t.Errorf("invalid param without reason or type: %+v", ip)
				}
			}
			if strings.Join(got, " ") != tt.params {
				t.Errorf("invalidParams %q, want %q", strings.Join(got, " "), tt.params)
			}
			if tt.status == 405 && a.header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
			if path := strings.SplitN(tt.path, "?", 2)[0]; tt.status != 404 && tt.status != 405 {
				c.conform(t, path, tt.method, tt.status, "application/problem+json", a.body)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	h := New(generate(t, 100))
	c := loadContract(t)
	a := call(t, h, "GET", "/uwv/v1/status", "")
	if a.status != 200 || strings.TrimSpace(string(a.body)) != `{"status":"ok"}` {
		t.Fatalf("status %d %s", a.status, a.body)
	}
	c.conform(t, "/uwv/v1/status", "GET", 200, "application/json", a.body)
	if a := call(t, h, "HEAD", "/uwv/v1/status", ""); a.status != 200 {
		t.Fatalf("HEAD status %d", a.status)
	}
}

func TestOpenAPIIsPublished(t *testing.T) {
	h := New(generate(t, 100))
	yamlAnswer := call(t, h, "GET", "/uwv/v1/openapi.yaml", "")
	jsonAnswer := call(t, h, "GET", "/uwv/v1/openapi.json", "")
	for _, a := range []answer{yamlAnswer, jsonAnswer} {
		if a.status != 200 || a.header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("status %d, CORS %q", a.status, a.header.Get("Access-Control-Allow-Origin"))
		}
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Info    struct{ Version string }  `json:"info"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(jsonAnswer.body, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || doc.Info.Version != APIVersion {
		t.Fatalf("openapi %q version %q, want 3.x and %s", doc.OpenAPI, doc.Info.Version, APIVersion)
	}
	// Every operation the mock serves is documented, and nothing else.
	ops := map[string]string{"/inkomstenverhoudingen": "post", "/werknemersverzekeringen": "post", "/status": "get"}
	if len(doc.Paths) != len(ops) {
		t.Errorf("contract has %d paths, want %d", len(doc.Paths), len(ops))
	}
	for p, m := range ops {
		if _, ok := doc.Paths[p][m]; !ok {
			t.Errorf("%s %s is not documented", m, p)
		}
	}
	// The contract's references all resolve.
	c := loadContract(t)
	var walk func(v any)
	walk = func(v any) {
		switch n := v.(type) {
		case map[string]any:
			if ref, ok := n["$ref"].(string); ok && c.resolve(n) == nil {
				t.Errorf("unresolved $ref %s", ref)
			}
			for _, x := range n {
				walk(x)
			}
		case []any:
			for _, x := range n {
				walk(x)
			}
		}
	}
	walk(c.doc)
}

// TestWholePopulationConformsToContract asks for every person in batches, so
// every shape the population can produce is held against the contract.
func TestWholePopulationConformsToContract(t *testing.T) {
	pop := generate(t, 2000)
	h := New(pop)
	c := loadContract(t)
	found := map[string]int{}
	for i := 0; i < len(pop.Persons); i += MaxBSNs {
		var batch []string
		for _, p := range pop.Persons[i:min(i+MaxBSNs, len(pop.Persons))] {
			batch = append(batch, p.BSN)
		}
		for _, path := range []string{"/uwv/v1/inkomstenverhoudingen", "/uwv/v1/werknemersverzekeringen"} {
			a := call(t, h, "POST", path, query(batch...))
			if a.status != 200 {
				t.Fatalf("%s: status %d: %s", path, a.status, a.body)
			}
			c.conform(t, path, "POST", 200, "application/json", a.body)
			var got struct{ ClientSuwi []json.RawMessage }
			_ = json.Unmarshal(a.body, &got)
			found[path] += len(got.ClientSuwi)
		}
	}
	withWork := map[string]bool{}
	for _, e := range pop.Employments {
		withWork[e.BSN] = true
	}
	for _, b := range pop.Benefits {
		withWork[b.BSN] = true
	}
	withBenefit := map[string]bool{}
	for _, b := range pop.Benefits {
		withBenefit[b.BSN] = true
	}
	if found["/uwv/v1/inkomstenverhoudingen"] != len(withWork) || found["/uwv/v1/werknemersverzekeringen"] != len(withBenefit) {
		t.Fatalf("found %v, want %d with income relations and %d with benefits", found, len(withWork), len(withBenefit))
	}
}

func TestConcurrentUse(t *testing.T) {
	pop := generate(t, 500)
	h := New(pop)
	want := call(t, h, "POST", "/uwv/v1/inkomstenverhoudingen", query(pop.Scenarios.JobLoss))
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 20 {
				a := call(t, h, "POST", "/uwv/v1/inkomstenverhoudingen", query(pop.Scenarios.JobLoss))
				if string(a.body) != string(want.body) {
					t.Error("answers differ under concurrent use")
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkInkomstenverhoudingen(b *testing.B) {
	pop := generate(b, 20000)
	h := New(pop)
	var batch []string
	for _, e := range pop.Employments[:MaxBSNs] {
		batch = append(batch, e.BSN)
	}
	body := query(batch...)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/uwv/v1/inkomstenverhoudingen", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatal(rec.Code)
			}
		}
	})
}
