package rdw

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/poort-nl/poort/mocks/population"
)

const (
	holdingsPath = "/rdw/v1/voertuigbezit"
	licencesPath = "/rdw/v1/rijbewijzen"
)

func bsnsBody(key string, ids ...string) string {
	b, _ := json.Marshal(map[string][]string{key: ids})
	return string(b)
}

func companyWithVehicles(t *testing.T, pop *population.Population) *population.Company {
	t.Helper()
	for i := range pop.Companies {
		if len(pop.VehiclesOfCompany(pop.Companies[i].KvKNumber)) > 0 {
			return &pop.Companies[i]
		}
	}
	t.Fatal("no company holds a vehicle")
	return nil
}

func personWithout(t *testing.T, pop *population.Population, has func(bsn string) bool) string {
	t.Helper()
	for _, p := range pop.Persons {
		if !has(p.BSN) {
			return p.BSN
		}
	}
	t.Fatal("every person has one")
	return ""
}

// unknownBSN returns a BSN that passes the elfproef and is not in the
// population.
func unknownBSN(t *testing.T, pop *population.Population) string {
	t.Helper()
	for n := 100000000; n < 100100000; n++ {
		s := fmt.Sprint(n)
		sum := 0
		for i := 0; i < 8; i++ {
			sum += (9 - i) * int(s[i]-'0')
		}
		if (sum-int(s[8]-'0'))%11 != 0 {
			continue
		}
		if _, ok := pop.Person(s); !ok {
			return s
		}
	}
	t.Fatal("no unknown BSN")
	return ""
}

type holdingsAnswer struct {
	ClientSuwi []struct {
		Burgerservicenr string
		Aansprakelijke  []aansprakelijke
		NietsGevonden   *struct{}
	}
	OndernemingInst []struct {
		InschrijvingsnrKvK string
		Rechtspersoon      *rechtspersoon
		Aansprakelijke     []aansprakelijke
		NietsGevonden      *struct{}
	}
}

func TestVoertuigbezitOfPerson(t *testing.T) {
	pop := generate(t, 600)
	srv := newServer(t, pop)
	owner := pop.Scenarios.VehicleOwner
	r := post(t, srv, holdingsPath, bsnsBody("burgerservicenummers", owner))
	wantStatus(t, r, http.StatusOK, "application/json")
	if r.header.Get("API-Version") != APIVersion || r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", r.header)
	}
	validate(t, r.body, "/voertuigbezit")
	got := decode[holdingsAnswer](t, r)
	if len(got.ClientSuwi) != 1 || len(got.OndernemingInst) != 0 {
		t.Fatalf("answer %s", r.body)
	}
	c := got.ClientSuwi[0]
	want := pop.VehiclesOfPerson(owner)
	if c.Burgerservicenr != owner || c.NietsGevonden != nil || len(c.Aansprakelijke) != len(want) {
		t.Fatalf("client %+v, want %d vehicles", c, len(want))
	}
	for i, v := range want {
		a := c.Aansprakelijke[i]
		if a.DatRegistratieAansprakelijkheid != string(v.RegisteredSince) || a.DatEAansprakelijkheid != "" {
			t.Errorf("vehicle %d: registration %+v", i, a)
		}
		vv := a.Voertuig
		if vv.KentekenVoertuig != v.Plate || vv.MerkVoertuig != v.Make || vv.TypeVoertuig != v.TradeName ||
			vv.HoofdkleurVoertuig != v.Colour || vv.CdSrtVoertuig != kindCode(v.Kind) ||
			vv.DatEersteInschrijvingVoertuigNat != string(v.FirstRegistrationNL) ||
			vv.DatEersteInschrijvingVoertuigInt != string(v.FirstAdmission) {
			t.Errorf("vehicle %d: %+v, want %+v", i, vv, *v)
		}
		if vv.BedrCatalogusVoertuig == nil || vv.BedrCatalogusVoertuig.WaardeBedr != v.CatalogPrice*100 {
			t.Errorf("vehicle %d: catalogue price %+v", i, vv.BedrCatalogusVoertuig)
		}
		if (vv.Verzekering != nil) != v.Insured {
			t.Errorf("vehicle %d: insurance %+v, insured %v", i, vv.Verzekering, v.Insured)
		}
		if v.Kind != "Motorfiets" && (len(vv.Keuring) != 1 || vv.Keuring[0].DatEGeldigheidApk != string(v.APKExpiry)) {
			t.Errorf("vehicle %d: keuring %+v", i, vv.Keuring)
		}
	}
}

func TestVoertuigbezitOfCompanyAndPersonTogether(t *testing.T) {
	pop := generate(t, 600)
	srv := newServer(t, pop)
	c := companyWithVehicles(t, pop)
	body := fmt.Sprintf(`{"kvkNummers":[%q],"burgerservicenummers":[%q]}`, c.KvKNumber, pop.Scenarios.VehicleOwner)
	r := post(t, srv, holdingsPath, body)
	wantStatus(t, r, http.StatusOK, "application/json")
	validate(t, r.body, "/voertuigbezit")
	got := decode[holdingsAnswer](t, r)
	if len(got.ClientSuwi) != 1 || len(got.OndernemingInst) != 1 {
		t.Fatalf("answer %s", r.body)
	}
	o := got.OndernemingInst[0]
	if o.InschrijvingsnrKvK != c.KvKNumber || o.Rechtspersoon == nil || o.Rechtspersoon.NaamRechtspersoon != c.Name {
		t.Errorf("organisation %+v", o)
	}
	if len(o.Aansprakelijke) != len(pop.VehiclesOfCompany(c.KvKNumber)) {
		t.Errorf("got %d vehicles, want %d", len(o.Aansprakelijke), len(pop.VehiclesOfCompany(c.KvKNumber)))
	}
	if strings.Contains(string(r.body), "ClientSuwi\":null") {
		t.Error("null list")
	}
}

func TestVoertuigbezitNietsGevonden(t *testing.T) {
	pop := generate(t, 600)
	srv := newServer(t, pop)
	unknown := unknownBSN(t, pop)
	noCar := personWithout(t, pop, func(b string) bool { return len(pop.VehiclesOfPerson(b)) > 0 })
	owner := pop.Scenarios.VehicleOwner
	r := post(t, srv, holdingsPath, fmt.Sprintf(`{"burgerservicenummers":[%q,%q,%q,%q],"kvkNummers":["00000001"]}`,
		unknown, owner, noCar, unknown))
	wantStatus(t, r, http.StatusOK, "application/json")
	validate(t, r.body, "/voertuigbezit")
	got := decode[holdingsAnswer](t, r)
	var order []string
	for _, c := range got.ClientSuwi {
		order = append(order, c.Burgerservicenr)
	}
	if !slices.Equal(order, []string{unknown, owner, noCar}) {
		t.Fatalf("subjects %v: want the question's order, duplicates once", order)
	}
	if got.ClientSuwi[0].NietsGevonden == nil || got.ClientSuwi[2].NietsGevonden == nil || got.ClientSuwi[1].NietsGevonden != nil {
		t.Errorf("NietsGevonden wrong: %s", r.body)
	}
	if o := got.OndernemingInst[0]; o.NietsGevonden == nil || o.Rechtspersoon != nil || o.Aansprakelijke != nil {
		t.Errorf("unknown organisation %+v", o)
	}
	if !strings.Contains(string(r.body), `"NietsGevonden":{}`) {
		t.Errorf("NietsGevonden is not an empty object: %s", r.body)
	}
}

type licencesAnswer struct {
	ClientSuwi []struct {
		Burgerservicenr string
		Rijbewijs       []rijbewijs
		NietsGevonden   *struct{}
	}
}

func TestRijbewijzen(t *testing.T) {
	pop := generate(t, 600)
	traveller := pop.Scenarios.Traveller
	var expired, withdrawn string
	for i := range pop.DrivingLicences {
		l := &pop.DrivingLicences[i]
		switch {
		case expired == "" && l.ExpiryDate < pop.ReferenceDate && len(pop.DrivingLicencesOf(l.BSN)) == 1:
			expired = l.BSN
		case withdrawn == "" && l.BSN != traveller && l.ExpiryDate >= pop.ReferenceDate && len(pop.DrivingLicencesOf(l.BSN)) == 1:
			withdrawn = l.BSN
			l.Withdrawn = true
		}
	}
	if expired == "" || withdrawn == "" {
		t.Fatal("population lacks an expired or a withdrawable licence")
	}
	srv := newServer(t, pop)
	none := personWithout(t, pop, func(b string) bool { return len(pop.DrivingLicencesOf(b)) > 0 })

	r := post(t, srv, licencesPath, bsnsBody("burgerservicenummers", traveller, expired, withdrawn, none))
	wantStatus(t, r, http.StatusOK, "application/json")
	validate(t, r.body, "/rijbewijzen")
	got := decode[licencesAnswer](t, r)
	if len(got.ClientSuwi) != 4 {
		t.Fatalf("answer %s", r.body)
	}
	status := func(i int) string { return got.ClientSuwi[i].Rijbewijs[0].StatusRijbewijs }
	if status(0) != "geldig" || status(1) != "verlopen" || status(2) != "ingetrokken" {
		t.Errorf("statuses %q %q %q", status(0), status(1), status(2))
	}
	if got.ClientSuwi[3].NietsGevonden == nil || got.ClientSuwi[3].Rijbewijs != nil {
		t.Errorf("person without licence: %+v", got.ClientSuwi[3])
	}
	l := pop.DrivingLicencesOf(traveller)[0]
	rb := got.ClientSuwi[0].Rijbewijs[0]
	m, _ := pop.Municipality(l.Authority)
	if rb.Rijbewijsnr != l.Number || rb.DatAfgifteRijbewijs != string(l.IssueDate) ||
		rb.DatEGeldigheidRijbewijs != string(l.ExpiryDate) || rb.AfgevendeGemeente.CdGemeente != l.Authority ||
		rb.AfgevendeGemeente.NaamGemeente != m.Name || len(rb.Rijbewijscategorie) != len(l.Categories) {
		t.Fatalf("licence %+v, want %+v", rb, *l)
	}
	for i, c := range l.Categories {
		rc := rb.Rijbewijscategorie[i]
		if rc.CdCategorieRijbewijs != c.Code || rc.DatAfgifteCategorieRijbewijs != string(c.IssueDate) ||
			rc.DatEGeldigheidCategorieRijbewijs != string(c.ExpiryDate) {
			t.Errorf("category %d: %+v, want %+v", i, rc, c)
		}
	}
}

func TestDossierValidation(t *testing.T) {
	pop := generate(t, 600)
	srv := newServer(t, pop)
	bsn := pop.Scenarios.VehicleOwner
	many := func(n int, id string) string {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("%q", id)
		}
		return "[" + strings.Join(ids, ",") + "]"
	}
	type param struct{ name, code string }
	tests := []struct {
		name   string
		path   string
		body   string
		code   string
		params []param
	}{
		{"no subjects", holdingsPath, `{}`, "paramsRequired", nil},
		{"required", licencesPath, `{}`, "paramsValidation", []param{{"burgerservicenummers", "required"}}},
		{"null is absent", licencesPath, `{"burgerservicenummers":null}`, "paramsValidation", []param{{"burgerservicenummers", "required"}}},
		{"empty list", licencesPath, `{"burgerservicenummers":[]}`, "paramsValidation", []param{{"burgerservicenummers", "minItems"}}},
		{"string instead of array", licencesPath, `{"burgerservicenummers":"999993653,999990019"}`, "paramsValidation", []param{{"burgerservicenummers", "array"}}},
		{"patterns", licencesPath, `{"burgerservicenummers":["12345678", "` + bsn + `", 123456789, "<script>"]}`, "paramsValidation",
			[]param{{"burgerservicenummers[0]", "pattern"}, {"burgerservicenummers[2]", "pattern"}, {"burgerservicenummers[3]", "pattern"}}},
		{"kvk pattern", holdingsPath, `{"kvkNummers":["1234567"]}`, "paramsValidation", []param{{"kvkNummers[0]", "pattern"}}},
		{"too many", licencesPath, `{"burgerservicenummers":` + many(21, bsn) + `}`, "paramsValidation", []param{{"burgerservicenummers", "maxItems"}}},
		{"too many together", holdingsPath, `{"burgerservicenummers":` + many(15, bsn) + `,"kvkNummers":` + many(6, "80000001") + `}`,
			"paramsValidation", []param{{"burgerservicenummers", "maxItems"}, {"kvkNummers", "maxItems"}}},
		{"unknown parameter", licencesPath, `{"burgerservicenummers":["` + bsn + `"],"fields":["x"],"bsn":"1"}`, "paramsValidation",
			[]param{{"bsn", "unknownParam"}, {"fields", "unknownParam"}}},
		{"kvk not expected for licences", licencesPath, `{"burgerservicenummers":["` + bsn + `"],"kvkNummers":["80000001"]}`, "paramsValidation",
			[]param{{"kvkNummers", "unknownParam"}}},
		{"not json", licencesPath, `{"burgerservicenummers":[`, "invalidJson", nil},
		{"not an object", licencesPath, `["` + bsn + `"]`, "invalidJson", nil},
		{"two objects", licencesPath, `{} {}`, "invalidJson", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, srv, tt.path, tt.body)
			wantStatus(t, r, http.StatusBadRequest, "application/problem+json")
			validateProblem(t, r.body, http.StatusBadRequest)
			p := decode[problem](t, r)
			if p.Code != tt.code || p.Status != 400 || p.Instance != tt.path || p.Title == "" {
				t.Fatalf("problem %s", r.body)
			}
			var got []param
			for _, ip := range p.InvalidParams {
				got = append(got, param{ip.Name, ip.Code})
				if ip.Reason == "" {
					t.Errorf("no reason for %s", ip.Name)
				}
				if !strings.Contains(p.Detail, ip.Name) {
					t.Errorf("detail %q does not name %s", p.Detail, ip.Name)
				}
			}
			if !slices.Equal(got, tt.params) {
				t.Errorf("invalidParams %v, want %v", got, tt.params)
			}
			if strings.Contains(string(r.body), bsn) {
				t.Error("the problem repeats a BSN")
			}
		})
	}
}

func TestDossierProtocolErrors(t *testing.T) {
	srv := newServer(t, generate(t, 600))
	body := `{"burgerservicenummers":["999993653"]}`
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		header map[string]string
		status int
		code   string
	}{
		{"get", http.MethodGet, licencesPath, "", nil, 405, "methodNotAllowed"},
		{"put", http.MethodPut, holdingsPath, body, nil, 405, "methodNotAllowed"},
		{"trailing slash", http.MethodPost, licencesPath + "/", body, nil, 404, "notFound"},
		{"unknown path", http.MethodPost, "/rdw/v1/kentekens", body, nil, 404, "notFound"},
		{"base path", http.MethodGet, "/rdw/v1", "", nil, 404, "notFound"},
		{"text body", http.MethodPost, licencesPath, body, map[string]string{"Content-Type": "text/plain"}, 415, "unsupported"},
		{"xml wanted", http.MethodPost, licencesPath, body, map[string]string{"Accept": "application/xml"}, 406, "notAcceptable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, tt.method, tt.path, tt.body, tt.header)
			wantStatus(t, r, tt.status, "application/problem+json")
			validateProblem(t, r.body, tt.status)
			if p := decode[problem](t, r); p.Code != tt.code || p.Instance != tt.path {
				t.Errorf("problem %s", r.body)
			}
			if tt.status == 405 && r.header.Get("Allow") != http.MethodPost {
				t.Errorf("Allow %q", r.header.Get("Allow"))
			}
		})
	}
	ok := do(t, srv, http.MethodPost, licencesPath, body, map[string]string{
		"Accept": "application/problem+json, application/json;q=0.9", "Content-Type": "application/json; charset=utf-8"})
	if ok.status != http.StatusOK {
		t.Errorf("a charset and a list of media types were refused: %d %s", ok.status, ok.body)
	}
}

func TestOpenAPIIsPublished(t *testing.T) {
	srv := newServer(t, generate(t, 600))
	r := get(t, srv, "/rdw/v1/openapi.yaml")
	wantStatus(t, r, http.StatusOK, "application/yaml")
	r = get(t, srv, "/rdw/v1/openapi.json")
	wantStatus(t, r, http.StatusOK, "application/json")
	if r.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Error("the contract is not open to every origin")
	}
	oas := decode[map[string]any](t, r)
	paths, _ := oas["paths"].(map[string]any)
	for _, p := range []string{"/voertuigbezit", "/rijbewijzen"} {
		if paths[p] == nil {
			t.Errorf("contract lacks %s", p)
		}
	}
}

// ---- contract checks: answers against rdw-dossier.openapi.yaml ----

type contract struct {
	t   *testing.T
	oas map[string]any
}

func loadContract(t *testing.T) contract {
	t.Helper()
	srv := newServer(t, generate(t, 60))
	var oas map[string]any
	if err := json.Unmarshal(get(t, srv, "/rdw/v1/openapi.json").body, &oas); err != nil {
		t.Fatal(err)
	}
	return contract{t: t, oas: oas}
}

func dig(v any, path ...string) any {
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	return v
}

// validate checks an answer against the 200 schema of the path.
func validate(t *testing.T, body []byte, path string) {
	t.Helper()
	c := loadContract(t)
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	c.check(dig(c.oas, "paths", path, "post", "responses", "200", "content", "application/json", "schema"), v, "$")
}

// validateProblem checks a problem against the contract's error schema.
func validateProblem(t *testing.T, body []byte, status int) {
	t.Helper()
	c := loadContract(t)
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	c.check(dig(c.oas, "components", "responses", fmt.Sprint(status), "content", "application/problem+json", "schema"), v, "$")
}

func (c contract) resolve(s any) map[string]any {
	m, _ := s.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		return c.resolve(dig(c.oas, strings.Split(strings.TrimPrefix(ref, "#/"), "/")...))
	}
	all, ok := m["allOf"].([]any)
	if !ok {
		return m
	}
	// Merge the parts: properties and required add up.
	merged := map[string]any{"properties": map[string]any{}}
	var required []any
	for _, part := range all {
		p := c.resolve(part)
		for k, v := range p {
			switch k {
			case "properties":
				for pk, pv := range v.(map[string]any) {
					merged["properties"].(map[string]any)[pk] = pv
				}
			case "required":
				required = append(required, v.([]any)...)
			default:
				merged[k] = v
			}
		}
	}
	merged["required"] = required
	if len(merged["properties"].(map[string]any)) == 0 {
		delete(merged, "properties")
	}
	return merged
}

func (c contract) check(schema, v any, at string) {
	c.t.Helper()
	s := c.resolve(schema)
	if s == nil {
		c.t.Fatalf("%s: no schema", at)
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
		c.t.Errorf("%s: %v is not one of %v", at, v, enum)
	}
	typ, _ := s["type"].(string)
	if _, ok := s["properties"]; ok && typ == "" {
		typ = "object"
	}
	switch typ {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			c.t.Errorf("%s: %T, want an object", at, v)
			return
		}
		props, _ := s["properties"].(map[string]any)
		for k, pv := range m {
			ps, ok := props[k]
			if !ok {
				c.t.Errorf("%s: %s is not in the contract", at, k)
				continue
			}
			c.check(ps, pv, at+"."+k)
		}
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := m[r.(string)]; !ok {
				c.t.Errorf("%s: required %s missing", at, r)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			c.t.Errorf("%s: %T, want an array", at, v)
			return
		}
		for i, item := range a {
			c.check(s["items"], item, fmt.Sprintf("%s[%d]", at, i))
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			c.t.Errorf("%s: %T, want a string", at, v)
			return
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			c.t.Errorf("%s: %q does not match %s", at, str, p)
		}
	case "integer":
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) {
			c.t.Errorf("%s: %v, want an integer", at, v)
		}
	}
}
