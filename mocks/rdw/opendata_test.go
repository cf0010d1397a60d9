package rdw

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/poort-nl/poort/mocks/population"
)

const jsonType = "application/json;charset=utf-8"

func vehiclesURL(params ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		v.Add(params[i], params[i+1])
	}
	return "/resource/m9d7-ebf2.json?" + v.Encode()
}

func inList(plates []string) string {
	q := make([]string, len(plates))
	for i, p := range plates {
		q[i] = "'" + p + "'"
	}
	return "kenteken in(" + strings.Join(q, ",") + ")"
}

func firstOfKind(t *testing.T, pop *population.Population, kind string) *population.Vehicle {
	t.Helper()
	for i := range pop.Vehicles {
		if pop.Vehicles[i].Kind == kind {
			return &pop.Vehicles[i]
		}
	}
	t.Fatalf("population has no %s", kind)
	return nil
}

func TestVehicleByPlate(t *testing.T) {
	pop := generate(t, 600)
	srv := newServer(t, pop)
	v := firstOfKind(t, pop, "Personenauto")

	r := get(t, srv, vehiclesURL("kenteken", v.Plate))
	wantStatus(t, r, http.StatusOK, jsonType)
	rows := decode[[]map[string]any](t, r)
	if len(rows) != 1 {
		t.Fatalf("got %d rows, want 1", len(rows))
	}
	row := rows[0]
	for k, val := range row {
		if _, ok := val.(string); !ok {
			t.Errorf("column %s is %T, want every value a string", k, val)
		}
		if !newVehiclesDataset().columns[k] {
			t.Errorf("column %s is not a column of m9d7-ebf2", k)
		}
	}
	apk := "Ja"
	if !v.Insured {
		apk = "Nee"
	}
	want := map[string]string{
		"kenteken":                                 v.Plate,
		"voertuigsoort":                            "Personenauto",
		"merk":                                     v.Make,
		"handelsbenaming":                          v.TradeName,
		"eerste_kleur":                             v.Colour,
		"tweede_kleur":                             "Niet geregistreerd",
		"inrichting":                               v.Body,
		"aantal_zitplaatsen":                       strconv.Itoa(v.Seats),
		"aantal_deuren":                            strconv.Itoa(v.Doors),
		"aantal_wielen":                            "4",
		"massa_ledig_voertuig":                     strconv.Itoa(v.EmptyMass),
		"massa_rijklaar":                           strconv.Itoa(v.EmptyMass + 100),
		"catalogusprijs":                           strconv.Itoa(v.CatalogPrice),
		"wam_verzekerd":                            apk,
		"europese_voertuigcategorie":               "M1",
		"vervaldatum_apk":                          string(v.APKExpiry),
		"vervaldatum_apk_dt":                       v.APKExpiry.ISO() + "T00:00:00.000",
		"datum_tenaamstelling":                     string(v.RegisteredSince),
		"datum_tenaamstelling_dt":                  v.RegisteredSince.ISO() + "T00:00:00.000",
		"datum_eerste_toelating":                   string(v.FirstAdmission),
		"datum_eerste_toelating_dt":                v.FirstAdmission.ISO() + "T00:00:00.000",
		"export_indicator":                         "Nee",
		"taxi_indicator":                           "Nee",
		"tenaamstellen_mogelijk":                   "Ja",
		"datum_eerste_tenaamstelling_in_nederland": string(v.FirstRegistrationNL),
		"api_gekentekende_voertuigen_brandstof":    "https://opendata.rdw.nl/resource/8ys7-d773.json",
	}
	for k, w := range want {
		if got := row[k]; got != w {
			t.Errorf("%s = %v, want %q", k, got, w)
		}
	}
	for _, k := range []string{"zuinigheidsclassificatie", "openstaande_terugroepactie_indicator", "wacht_op_keuren"} {
		if row[k] == nil {
			t.Errorf("column %s missing", k)
		}
	}
}

func TestVehicleRowsHoldNoHolderData(t *testing.T) {
	pop := generate(t, 600)
	srv := newServer(t, pop)
	owner := pop.VehiclesOfPerson(pop.Scenarios.VehicleOwner)[0]
	r := get(t, srv, vehiclesURL("kenteken", owner.Plate))
	if strings.Contains(string(r.body), pop.Scenarios.VehicleOwner) {
		t.Fatal("open data answer contains the holder's BSN")
	}
	for k := range decode[[]map[string]any](t, r)[0] {
		if strings.Contains(k, "bsn") || strings.Contains(k, "houder") || strings.Contains(k, "kvk") {
			t.Errorf("column %s looks like holder data", k)
		}
	}
}

func TestMotorcycleHasNoAPK(t *testing.T) {
	pop := generate(t, 1500)
	srv := newServer(t, pop)
	v := firstOfKind(t, pop, "Motorfiets")
	row := decode[[]map[string]string](t, get(t, srv, vehiclesURL("kenteken", v.Plate)))[0]
	if _, ok := row["vervaldatum_apk"]; ok {
		t.Error("a motorcycle has a vervaldatum_apk")
	}
	if row["aantal_wielen"] != "2" || row["europese_voertuigcategorie"] != "L3" || row["inrichting"] != "Niet geregistreerd" {
		t.Errorf("motorcycle row %v", row)
	}
}

func TestUnknownPlateIsEmptyArray(t *testing.T) {
	srv := newServer(t, generate(t, 600))
	for _, path := range []string{
		vehiclesURL("kenteken", "ZZ999Z"),
		vehiclesURL("$where", "kenteken='ZZ999Z'"),
		vehiclesURL("$where", "kenteken in('ZZ999Z','ZZ998Z')"),
	} {
		r := get(t, srv, path)
		wantStatus(t, r, http.StatusOK, jsonType)
		if strings.TrimSpace(string(r.body)) != "[]" {
			t.Errorf("%s: body %s, want []", path, r.body)
		}
	}
}

func TestWhereInAnswersInStorageOrder(t *testing.T) {
	pop := generate(t, 600)
	srv := newServer(t, pop)
	var plates []string
	for i := 49; i >= 0; i-- { // reversed, to see the answer does not follow the question
		plates = append(plates, pop.Vehicles[i].Plate)
	}
	plates = append(plates, "ZZ999Z", pop.Vehicles[3].Plate) // unknown and duplicate
	r := get(t, srv, vehiclesURL("$where", inList(plates), "$limit", "100"))
	wantStatus(t, r, http.StatusOK, jsonType)
	rows := decode[[]map[string]string](t, r)
	if len(rows) != 50 {
		t.Fatalf("got %d rows, want 50", len(rows))
	}
	for i, row := range rows {
		if row["kenteken"] != pop.Vehicles[i].Plate {
			t.Fatalf("row %d is %s, want %s", i, row["kenteken"], pop.Vehicles[i].Plate)
		}
	}
}

func TestWhereBooleanAlgebra(t *testing.T) {
	pop := generate(t, 600)
	srv := newServer(t, pop)
	three := platesOf(t, pop, 3, "registered", registered)
	a, b, c := three[0], three[1], three[2]
	tests := []struct {
		where string
		want  []string
	}{
		{fmt.Sprintf("kenteken = '%s'", a), []string{a}},
		{fmt.Sprintf("kenteken='%s' OR kenteken='%s'", a, b), []string{a, b}},
		{fmt.Sprintf("KENTEKEN IN ('%s', '%s') and kenteken in('%s','%s')", a, b, b, c), []string{b}},
		{fmt.Sprintf("(kenteken = '%s' or kenteken = '%s') AND kenteken = '%s'", a, c, c), []string{c}},
		{fmt.Sprintf("kenteken = '%s'", strings.ToLower(a)), nil}, // text equality is exact
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			rows := decode[[]map[string]string](t, get(t, srv, vehiclesURL("$where", tt.where)))
			var got []string
			for _, r := range rows {
				got = append(got, r["kenteken"])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSimpleFilterAndWhereCombine(t *testing.T) {
	pop := generate(t, 600)
	srv := newServer(t, pop)
	two := platesOf(t, pop, 2, "registered", registered)
	a, b := two[0], two[1]
	rows := decode[[]map[string]string](t, get(t, srv, vehiclesURL("kenteken", b, "$where", inList([]string{a, b}))))
	if len(rows) != 1 || rows[0]["kenteken"] != b {
		t.Fatalf("got %v, want only %s", rows, b)
	}
}

func TestLimitOffsetAndSelect(t *testing.T) {
	pop := generate(t, 600)
	srv := newServer(t, pop)

	rows := decode[[]map[string]string](t, get(t, srv, vehiclesURL("$limit", "3", "$offset", "2", "$select", "merk, kenteken")))
	if len(rows) != 3 {
		t.Fatalf("got %d rows, want 3", len(rows))
	}
	for i, row := range rows {
		want := map[string]string{"kenteken": pop.Vehicles[2+i].Plate, "merk": pop.Vehicles[2+i].Make}
		if fmt.Sprint(row) != fmt.Sprint(want) {
			t.Errorf("row %d = %v, want %v", i, row, want)
		}
	}
	r := get(t, srv, vehiclesURL("$limit", "3", "$select", "merk,kenteken"))
	if !strings.Contains(string(r.body), `{"merk":`) {
		t.Errorf("columns not in $select order: %s", r.body)
	}

	all := decode[[]map[string]string](t, get(t, srv, "/resource/m9d7-ebf2.json"))
	if want := min(len(pop.Vehicles), defaultLimit); len(all) != want {
		t.Errorf("without $limit got %d rows, want %d", len(all), want)
	}
	plates := platesOf(t, pop, 3, "registered", registered)
	rows = decode[[]map[string]string](t, get(t, srv, vehiclesURL("$where", inList(plates), "$limit", "1", "$offset", "1")))
	if len(rows) != 1 || rows[0]["kenteken"] != plates[1] {
		t.Errorf("$where with $limit and $offset gave %v", rows)
	}
	if r := get(t, srv, vehiclesURL("$limit", "0")); strings.TrimSpace(string(r.body)) != "[]" {
		t.Errorf("$limit=0 gave %s", r.body)
	}
}

func TestFuelDataset(t *testing.T) {
	pop := generate(t, 600)
	srv := newServer(t, pop)
	plate := platesOf(t, pop, 1, "running on a fuel", func(v *population.Vehicle) bool { return v.Fuel != "" })[0]
	v, _ := pop.Vehicle(plate)
	r := get(t, srv, "/resource/8ys7-d773.json?"+url.Values{"$where": {inList([]string{v.Plate})}}.Encode())
	wantStatus(t, r, http.StatusOK, jsonType)
	rows := decode[[]map[string]string](t, r)
	want := map[string]string{"kenteken": v.Plate, "brandstof_volgnummer": "1", "brandstof_omschrijving": v.Fuel}
	if len(rows) != 1 || fmt.Sprint(rows[0]) != fmt.Sprint(want) {
		t.Fatalf("got %v, want [%v]", rows, want)
	}
}

func TestSoQLErrors(t *testing.T) {
	srv := newServer(t, generate(t, 600))
	tests := []struct {
		name      string
		path      string
		code      string // "code" envelope
		errorCode string // "errorCode" envelope
	}{
		{"unclosed in", vehiclesURL("$where", "kenteken in('AB12CD'"), "query.compiler.malformed", ""},
		{"unterminated string", vehiclesURL("$where", "kenteken = 'AB12CD"), "query.compiler.malformed", ""},
		{"trailing garbage", vehiclesURL("$where", "kenteken = 'AB12CD' kenteken"), "query.compiler.malformed", ""},
		{"empty where", vehiclesURL("$where", ""), "query.compiler.malformed", ""},
		{"bad character", vehiclesURL("$where", "kenteken = 'A' ; drop"), "query.compiler.malformed", ""},
		{"unknown column in where", vehiclesURL("$where", "bestaat_niet = 'x'"), "", "query.soql.no-such-column"},
		{"number for text", vehiclesURL("$where", "kenteken = 12"), "", "query.soql.type-mismatch"},
		{"other column in where", vehiclesURL("$where", "merk = 'OPEL'"), "query.soql.unsupported", ""},
		{"like", vehiclesURL("$where", "kenteken like 'AB%'"), "query.soql.unsupported", ""},
		{"not", vehiclesURL("$where", "NOT kenteken = 'AB12CD'"), "query.soql.unsupported", ""},
		{"bad limit", vehiclesURL("$limit", "ten"), "query.compiler.malformed", ""},
		{"negative offset", vehiclesURL("$offset", "-1"), "query.compiler.malformed", ""},
		{"unknown system parameter", vehiclesURL("$foo", "1"), "query.compiler.malformed", ""},
		{"order", vehiclesURL("$order", "kenteken"), "query.soql.unsupported", ""},
		{"unknown column filter", vehiclesURL("bestaatniet", "1"), "", "query.soql.no-such-column"},
		{"other column filter", vehiclesURL("merk", "OPEL"), "query.soql.unsupported", ""},
		{"unknown column in select", vehiclesURL("$select", "kenteken,bsn"), "", "query.soql.no-such-column"},
		{"function in select", vehiclesURL("$select", "count(*)"), "query.soql.unsupported", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, srv, tt.path)
			wantStatus(t, r, http.StatusBadRequest, jsonType)
			body := decode[map[string]any](t, r)
			if body["message"] == "" || body["message"] == nil {
				t.Errorf("no message: %s", r.body)
			}
			if tt.code != "" && (body["code"] != tt.code || body["error"] != true) {
				t.Errorf("body %s, want code %s and error true", r.body, tt.code)
			}
			if tt.errorCode != "" && (body["errorCode"] != tt.errorCode || body["code"] != nil) {
				t.Errorf("body %s, want errorCode %s", r.body, tt.errorCode)
			}
		})
	}
}

func TestMalformedMessageNamesThePosition(t *testing.T) {
	srv := newServer(t, generate(t, 600))
	body := decode[map[string]any](t, get(t, srv, vehiclesURL("$where", "kenteken in('AB12CD' 'XY99ZZ')")))
	msg, _ := body["message"].(string)
	if !regexp.MustCompile(`at line 1 character \d+: Expected .*, but got`).MatchString(msg) {
		t.Errorf("message %q", msg)
	}
	data, _ := body["data"].(map[string]any)
	if q, _ := data["query"].(string); !strings.Contains(q, "kenteken in(") {
		t.Errorf("data.query %q", q)
	}
}

func TestResourceNotFound(t *testing.T) {
	srv := newServer(t, generate(t, 600))
	for _, path := range []string{
		"/resource/m9d7-ebf2.json/",
		"/resource/m9d7-ebf2.json/?kenteken=AB12CD",
		"/resource/zzzz-zzzz.json",
		"/resource/m9d7-ebf2.csv",
	} {
		r := get(t, srv, path)
		wantStatus(t, r, http.StatusNotFound, jsonType)
		if body := decode[map[string]any](t, r); body["code"] != "dataset.missing" || body["error"] != true {
			t.Errorf("%s: body %s", path, r.body)
		}
	}
	r := get(t, srv, "/elders")
	wantStatus(t, r, http.StatusNotFound, "application/problem+json")
}

func TestResourceMethodNotAllowed(t *testing.T) {
	srv := newServer(t, generate(t, 600))
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		r := do(t, srv, m, "/resource/m9d7-ebf2.json", "", nil)
		wantStatus(t, r, http.StatusMethodNotAllowed, jsonType)
		if r.header.Get("Allow") != http.MethodGet {
			t.Errorf("%s: Allow %q", m, r.header.Get("Allow"))
		}
	}
}

func TestConcurrentRequests(t *testing.T) {
	pop := generate(t, 600)
	srv := newServer(t, pop)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				v := pop.Vehicles[(g*20+i)%len(pop.Vehicles)]
				resp, err := srv.Client().Get(srv.URL + vehiclesURL("$where", inList([]string{v.Plate})))
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("status %d", resp.StatusCode)
				}
				r, err := srv.Client().Post(srv.URL+"/rdw/v1/rijbewijzen", "application/json",
					strings.NewReader(`{"burgerservicenummers":["`+pop.Persons[g].BSN+`"]}`))
				if err != nil {
					errs <- err
					return
				}
				r.Body.Close()
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// BenchmarkWhereIn50 measures a batch of 50 plates against a population of
// 20,000 persons, the call the connector makes.
func BenchmarkWhereIn50(b *testing.B) {
	pop := generate(b, 20000)
	srv := newServer(b, pop)
	var plates []string
	for i := 0; i < 50; i++ {
		plates = append(plates, pop.Vehicles[i*97%len(pop.Vehicles)].Plate)
	}
	path := srv.URL + vehiclesURL("$where", inList(plates), "$limit", "50")
	b.ResetTimer()
	for b.Loop() {
		resp, err := srv.Client().Get(path)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
}
