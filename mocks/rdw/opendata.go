package rdw

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/poort-nl/poort/mocks/population"
)

// Socrata's defaults for SODA 2.0 endpoints: 1,000 rows unless $limit says
// otherwise, and at most 50,000 in one answer.
const (
	defaultLimit = 1000
	maxLimit     = 50000
)

// field is one column of a row. Rows keep their columns in the order the
// real dataset gives them; a column without a value is left out, as
// Socrata leaves out nulls.
type field struct{ name, value string }

// dataset is one Socrata dataset with one row per vehicle.
type dataset struct {
	id string
	// columns holds every column of the real dataset, also those the mock
	// never fills, so that a query on a real column is told apart from a
	// query on a column that does not exist.
	columns map[string]bool
	row     func(v *population.Vehicle) []field
}

func columnSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// newVehiclesDataset returns "Open Data RDW: Gekentekende_voertuigen".
func newVehiclesDataset() *dataset {
	return &dataset{
		id: "m9d7-ebf2",
		columns: columnSet(
			"aanhangwagen_autonoom_geremd", "aanhangwagen_middenas_geremd", "aantal_cilinders", "aantal_deuren",
			"aantal_rolstoelplaatsen", "aantal_staanplaatsen", "aantal_wielen", "aantal_zitplaatsen", "aerodyn_voorz",
			"afstand_hart_koppeling_tot_achterzijde_voertuig", "afstand_voorzijde_voertuig_tot_hart_koppeling",
			"afwijkende_maximum_snelheid", "api_gekentekende_voertuigen_assen", "api_gekentekende_voertuigen_brandstof",
			"api_gekentekende_voertuigen_carrosserie", "api_gekentekende_voertuigen_carrosserie_specifiek",
			"api_gekentekende_voertuigen_voertuigklasse", "breedte", "breedte_voertuig_maximum", "breedte_voertuig_minimum",
			"bruto_bpm", "catalogusprijs", "cilinderinhoud", "code_toelichting_tellerstandoordeel",
			"datum_eerste_tenaamstelling_in_nederland", "datum_eerste_tenaamstelling_in_nederland_dt",
			"datum_eerste_toelating", "datum_eerste_toelating_dt", "datum_tenaamstelling", "datum_tenaamstelling_dt",
			"eerste_kleur", "europese_uitvoeringcategorie_toevoeging", "europese_voertuigcategorie",
			"europese_voertuigcategorie_toevoeging", "export_indicator", "gem_lading_wrde", "handelsbenaming",
			"hoogte_voertuig", "hoogte_voertuig_maximum", "hoogte_voertuig_minimum", "inrichting",
			"jaar_laatste_registratie_tellerstand", "kenteken", "laadvermogen", "lengte", "lengte_voertuig_maximum",
			"lengte_voertuig_minimum", "massa_alt_aandr", "massa_bedrijfsklaar_maximaal", "massa_bedrijfsklaar_minimaal",
			"massa_ledig_voertuig", "massa_rijklaar", "maximale_constructiesnelheid",
			"maximum_last_onder_de_vooras_sen_tezamen_koppeling", "maximum_massa_samenstelling",
			"maximum_massa_technisch_maximaal", "maximum_massa_technisch_minimaal", "maximum_massa_trekken_ongeremd",
			"maximum_ondersteunende_snelheid", "maximum_trekken_massa_geremd", "merk",
			"openstaande_terugroepactie_indicator", "oplegger_geremd", "plaats_chassisnummer",
			"registratie_datum_goedkeuring_afschrijvingsmoment_bpm",
			"registratie_datum_goedkeuring_afschrijvingsmoment_bpm_dt", "rupsonderstelconfiguratiecode",
			"subcategorie_nederland", "taxi_indicator", "technisch_toelaatbaar_massa_koppelpunt",
			"technische_max_massa_voertuig", "tellerstandoordeel", "tenaamstellen_mogelijk",
			"toegestane_maximum_massa_voertuig", "tweede_kleur", "type", "type_gasinstallatie",
			"type_remsysteem_voertuig_code", "typegoedkeuringsnummer", "uitvoering", "variant", "verl_cab_ind",
			"vermogen_massarijklaar", "verticale_belasting_koppelpunt_getrokken_voertuig", "vervaldatum_apk",
			"vervaldatum_apk_dt", "vervaldatum_tachograaf", "vervaldatum_tachograaf_dt", "voertuigsoort",
			"volgnummer_wijziging_eu_typegoedkeuring", "wacht_op_keuren", "wam_verzekerd", "wielbasis",
			"wielbasis_voertuig_maximum", "wielbasis_voertuig_minimum", "zuinigheidsclassificatie",
		),
		row: vehicleRow,
	}
}

// newFuelDataset returns "Open Data RDW: Gekentekende_voertuigen_brandstof".
func newFuelDataset() *dataset {
	return &dataset{
		id: "8ys7-d773",
		columns: columnSet(
			"actie_radius_enkel_elektrisch_stad_wltp", "actie_radius_enkel_elektrisch_wltp",
			"actie_radius_extern_opladen_stad_wltp", "actie_radius_extern_opladen_wltp", "brandstof_omschrijving",
			"brandstof_verbruik_gecombineerd_wltp", "brandstof_verbruik_gewogen_gecombineerd_wltp",
			"brandstof_volgnummer", "brandstofverbruik_buiten", "brandstofverbruik_gecombineerd",
			"brandstofverbruik_stad", "co2_uitstoot_gecombineerd", "co2_uitstoot_gewogen",
			"elektrisch_verbruik_enkel_elektrisch_wltp", "elektrisch_verbruik_extern_opladen_wltp",
			"emis_co2_gewogen_gecombineerd_wltp", "emis_deeltjes_type1_wltp", "emissie_co2_gecombineerd_wltp",
			"emissiecode_omschrijving", "geluidsniveau_rijdend", "geluidsniveau_stationair", "kenteken",
			"klasse_hybride_elektrisch_voertuig", "max_vermogen_15_minuten", "max_vermogen_60_minuten",
			"milieuklasse_eg_goedkeuring_licht", "milieuklasse_eg_goedkeuring_zwaar", "netto_max_vermogen_elektrisch",
			"nettomaximumvermogen", "nominaal_continu_maximumvermogen", "opgegeven_maximum_snelheid", "roetuitstoot",
			"toerental_geluidsniveau", "uitlaatemissieniveau", "uitstoot_deeltjes_licht", "uitstoot_deeltjes_zwaar",
		),
		row: fuelRow,
	}
}

const notRegistered = "Niet geregistreerd"

// Vehicle kinds as voertuigsoort names them.
const (
	kindCar        = "Personenauto"
	kindVan        = "Bedrijfsauto"
	kindMotorcycle = "Motorfiets"
)

// apkExpiry returns the APK expiry the registry shows: motorcycles have no
// periodic inspection in the Netherlands, so they have none.
func apkExpiry(v *population.Vehicle) population.Date {
	if v.Kind == kindMotorcycle {
		return ""
	}
	return v.APKExpiry
}

// openRecall says, the same for every request, whether a vehicle has an
// open recall: about one in thirty does.
func openRecall(plate string) bool {
	h := fnv.New32a()
	h.Write([]byte(plate))
	return h.Sum32()%30 == 0
}

func vehicleRow(v *population.Vehicle) []field {
	f := make([]field, 0, 40)
	add := func(name, value string) {
		if value != "" {
			f = append(f, field{name, value})
		}
	}
	num := func(n int) string {
		if n <= 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	apk := apkExpiry(v)
	category, wheels, cylinders, label, extraMass := "M1", "4", "4", "", 100
	switch v.Kind {
	case kindVan:
		category = "N1"
	case kindMotorcycle:
		category, wheels, cylinders, extraMass = "L3", "2", "2", 75
	}
	switch {
	case v.Fuel == "Elektriciteit":
		cylinders = ""
	case v.Kind == kindCar && v.Fuel == "Benzine" && v.EmptyMass <= 1050:
		cylinders = "3"
	}
	if v.Kind == kindCar {
		switch {
		case v.Fuel == "Elektriciteit":
			label = "A"
		case v.Fuel == "Benzine" && v.EmptyMass < 1100:
			label = "B"
		default:
			label = "C"
		}
	}
	body := v.Body
	if body == "" {
		body = notRegistered
	}
	add("kenteken", v.Plate)
	add("voertuigsoort", v.Kind)
	add("merk", v.Make)
	add("handelsbenaming", v.TradeName)
	add("vervaldatum_apk", string(apk))
	add("datum_tenaamstelling", string(v.RegisteredSince))
	add("inrichting", body)
	add("aantal_zitplaatsen", num(v.Seats))
	add("eerste_kleur", v.Colour)
	add("tweede_kleur", notRegistered)
	add("aantal_cilinders", cylinders)
	add("massa_ledig_voertuig", num(v.EmptyMass))
	add("massa_rijklaar", num(v.EmptyMass+extraMass))
	add("datum_eerste_toelating", string(v.FirstAdmission))
	add("datum_eerste_tenaamstelling_in_nederland", string(v.FirstRegistrationNL))
	add("wacht_op_keuren", "Geen verstrekking in Open Data")
	add("catalogusprijs", num(v.CatalogPrice))
	add("wam_verzekerd", jaNee(v.Insured))
	add("aantal_deuren", num(v.Doors))
	add("aantal_wielen", wheels)
	add("europese_voertuigcategorie", category)
	add("export_indicator", "Nee")
	add("openstaande_terugroepactie_indicator", jaNee(openRecall(v.Plate)))
	add("taxi_indicator", "Nee")
	add("tenaamstellen_mogelijk", "Ja")
	add("zuinigheidsclassificatie", label)
	add("vervaldatum_apk_dt", floating(apk))
	add("datum_tenaamstelling_dt", floating(v.RegisteredSince))
	add("datum_eerste_toelating_dt", floating(v.FirstAdmission))
	add("datum_eerste_tenaamstelling_in_nederland_dt", floating(v.FirstRegistrationNL))
	add("api_gekentekende_voertuigen_assen", "https://opendata.rdw.nl/resource/3huj-srit.json")
	add("api_gekentekende_voertuigen_brandstof", "https://opendata.rdw.nl/resource/8ys7-d773.json")
	add("api_gekentekende_voertuigen_carrosserie", "https://opendata.rdw.nl/resource/vezc-m2t6.json")
	add("api_gekentekende_voertuigen_carrosserie_specifiek", "https://opendata.rdw.nl/resource/jhie-znh9.json")
	add("api_gekentekende_voertuigen_voertuigklasse", "https://opendata.rdw.nl/resource/kmfi-hrps.json")
	return f
}

func fuelRow(v *population.Vehicle) []field {
	if v.Fuel == "" {
		return nil
	}
	return []field{{"kenteken", v.Plate}, {"brandstof_volgnummer", "1"}, {"brandstof_omschrijving", v.Fuel}}
}

func jaNee(b bool) string {
	if b {
		return "Ja"
	}
	return "Nee"
}

// floating returns a yyyymmdd date as a Socrata floating timestamp,
// "2026-07-25T00:00:00.000".
func floating(d population.Date) string {
	if len(d) != 8 {
		return ""
	}
	s := string(d)
	return s[0:4] + "-" + s[4:6] + "-" + s[6:8] + "T00:00:00.000"
}

// serveResource serves /resource/{id}.json.
func (s *server) serveResource(w http.ResponseWriter, r *http.Request, name string) {
	id := strings.TrimSuffix(name, ".json")
	ds, ok := s.datasets[id]
	if !ok {
		// Unknown datasets, other formats and trailing slashes alike.
		writeSocrata(w, http.StatusNotFound, socrataError{Code: "dataset.missing", Error: true,
			Message: "Not found", Data: map[string]any{"id": id}})
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeSocrata(w, http.StatusMethodNotAllowed, socrataError{Code: "method.not-allowed", Error: true,
			Message: fmt.Sprintf("Method %s is not allowed on a dataset resource; use GET", r.Method)})
		return
	}
	q, serr := parseQuery(ds, r.URL.Query())
	if serr != nil {
		writeSocrata(w, http.StatusBadRequest, *serr)
		return
	}
	rows := s.rows(ds, q)
	buf := make([]byte, 0, 256+len(rows)*1800)
	buf = append(buf, '[')
	for i, row := range rows {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '\n', '{')
		for j, f := range q.project(row) {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, f.name)
			buf = append(buf, ':')
			buf = appendJSONString(buf, f.value)
		}
		buf = append(buf, '}')
	}
	buf = append(buf, ']', '\n')
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Write(buf)
}

// query is a parsed SoQL request.
type query struct {
	// plates constrains the rows to these plates when restricted is set.
	plates     map[string]struct{}
	restricted bool
	limit      int
	offset     int
	// columns is the $select list; nil selects every column.
	columns []string
}

// rows returns the rows of the dataset the query asks for, in storage
// order, without looking at rows it does not return.
func (s *server) rows(ds *dataset, q query) [][]field {
	var rows [][]field
	if q.limit == 0 {
		return rows
	}
	if !q.restricted {
		// Every vehicle has a row in both datasets, so the offset counts
		// vehicles and the scan stops at the limit.
		for i := q.offset; i < len(s.pop.Vehicles) && len(rows) < q.limit; i++ {
			if row := ds.row(&s.pop.Vehicles[i]); row != nil {
				rows = append(rows, row)
			}
		}
		return rows
	}
	idx := make([]int, 0, len(q.plates))
	for p := range q.plates {
		if i, ok := s.pop.VehicleIndex(p); ok {
			idx = append(idx, i)
		}
	}
	sort.Ints(idx)
	skipped := 0
	for _, i := range idx {
		row := ds.row(&s.pop.Vehicles[i])
		switch {
		case row == nil:
		case skipped < q.offset:
			skipped++
		default:
			rows = append(rows, row)
		}
		if len(rows) >= q.limit {
			break
		}
	}
	return rows
}

// project keeps the selected columns in $select order.
func (q query) project(row []field) []field {
	if q.columns == nil {
		return row
	}
	out := make([]field, 0, len(q.columns))
	for _, c := range q.columns {
		for _, f := range row {
			if f.name == c {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// unsupportedParam reports SoQL parameters that Socrata offers and this
// server does not implement.
func unsupportedParam(k string) bool {
	switch k {
	case "$order", "$group", "$having", "$q", "$query", "$search":
		return true
	}
	return false
}

// parseQuery reads the SoQL parameters and simple filters. Parameters are
// checked in name order so the same request always gets the same error.
func parseQuery(ds *dataset, v url.Values) (query, *socrataError) {
	q := query{limit: defaultLimit}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	restrict := func(set map[string]struct{}) {
		if !q.restricted {
			q.plates, q.restricted = set, true
			return
		}
		for p := range q.plates {
			if _, ok := set[p]; !ok {
				delete(q.plates, p)
			}
		}
	}
	for _, k := range keys {
		val := v[k][0]
		switch {
		case k == "$where":
			for _, w := range v[k] {
				set, err := parseWhere(ds, w)
				if err != nil {
					return q, err
				}
				restrict(set)
			}
		case k == "$limit", k == "$offset":
			n, err := strconv.Atoi(strings.TrimSpace(val))
			if err != nil || n < 0 {
				return q, malformed(fmt.Sprintf("Could not parse SoQL query: %s must be a non-negative integer, but got `%s'", k, val), k+" "+val)
			}
			if k == "$limit" {
				q.limit = min(n, maxLimit)
			} else {
				q.offset = n
			}
		case k == "$select":
			cols, err := parseSelect(ds, val)
			if err != nil {
				return q, err
			}
			q.columns = cols
		case k == "$$app_token" || k == "$$exclude_system_fields":
			// Accepted and ignored: the mock neither throttles nor adds
			// system fields.
		case unsupportedParam(k):
			return q, unsupported(fmt.Sprintf("%s is valid SoQL but not supported by this server; supported are $where, $select, $limit and $offset", k))
		case strings.HasPrefix(k, "$"):
			return q, malformed(fmt.Sprintf("Unrecognized arguments [%s]", k), k)
		case k == "kenteken":
			set := map[string]struct{}{val: {}}
			for _, p := range v[k][1:] {
				if p != val {
					// Repeated simple filters all have to hold.
					set = map[string]struct{}{}
				}
			}
			restrict(set)
		case ds.columns[k]:
			return q, unsupported(fmt.Sprintf("filtering on column %s is not supported by this server; filter on kenteken", k))
		default:
			return q, noSuchColumn(ds, k, 0)
		}
	}
	return q, nil
}

func parseSelect(ds *dataset, s string) ([]string, *socrataError) {
	if strings.TrimSpace(s) == "*" {
		return nil, nil
	}
	var cols []string
	for _, part := range strings.Split(s, ",") {
		c := strings.TrimSpace(part)
		if !isIdentifier(c) {
			return nil, unsupported(fmt.Sprintf("$select supports only a list of column names, not `%s'", c))
		}
		c = strings.ToLower(c)
		if !ds.columns[c] {
			return nil, noSuchColumn(ds, c, 0)
		}
		if !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	return cols, nil
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// socrataError is Socrata's error body. Parse errors and other request
// errors carry "code" and "error": true; errors of the query analyser
// carry "errorCode" instead.
type socrataError struct {
	Code      string         `json:"code,omitempty"`
	Error     bool           `json:"error,omitempty"`
	Message   string         `json:"message"`
	ErrorCode string         `json:"errorCode,omitempty"`
	Data      map[string]any `json:"data,omitempty"`
}

func malformed(message, query string) *socrataError {
	return &socrataError{Code: "query.compiler.malformed", Error: true, Message: message,
		Data: map[string]any{"query": query}}
}

// unsupported refuses valid SoQL that this server does not implement. The
// code is the mock's own; Socrata would answer the query.
func unsupported(message string) *socrataError {
	return &socrataError{Code: "query.soql.unsupported", Error: true, Message: message}
}

func noSuchColumn(ds *dataset, column string, pos int) *socrataError {
	return &socrataError{
		Message:   "Query coordinator error: query.soql.no-such-column; No such column: " + column,
		ErrorCode: "query.soql.no-such-column",
		Data: map[string]any{"column": column, "dataset": ds.id,
			"position": map[string]int{"row": 1, "column": pos + 1}},
	}
}

func writeSocrata(w http.ResponseWriter, status int, e socrataError) {
	b, _ := json.Marshal(e)
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}
