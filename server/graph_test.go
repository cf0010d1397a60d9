package server_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/population"
)

const wholePerson = `query($bsn: String!) {
  person(bsn: $bsn) {
    bsn
    name { fullName surname }
    birth { date { date precision } }
    residence { postcode addressId }
    address { id street houseNumber postcode municipality { code description } residentialObject { surface uses } buildings { yearBuilt } }
    partners { kind { code } partner { bsn name { fullName } } }
    children { bsn age }
    vehicles { licencePlate make }
    drivingLicences { number valid }
    employments { employerName current employer { kvkNumber name } }
    benefits { law start }
    companies { role company { kvkNumber name } }
    realEstate { share parcel { designation } }
  }
}`

type personResult struct {
	Person *struct {
		BSN   string
		Name  struct{ FullName, Surname string }
		Birth struct {
			Date struct{ Date, Precision string }
		}
		Residence struct{ Postcode, AddressID string }
		Address   *struct {
			ID, Street, Postcode string
			HouseNumber          int
			Municipality         struct{ Code, Description string }
			ResidentialObject    *struct {
				Surface int
				Uses    []string
			}
			Buildings []struct{ YearBuilt int }
		}
		Partners []struct {
			Kind    struct{ Code string }
			Partner struct {
				BSN  string
				Name struct{ FullName string }
			}
		}
		Children []struct {
			BSN string
			Age int
		}
		Vehicles        []struct{ LicencePlate, Make string }
		DrivingLicences []struct {
			Number string
			Valid  bool
		}
		Employments []struct {
			EmployerName string
			Current      bool
			Employer     *struct{ KvkNumber, Name string }
		}
		Benefits  []struct{ Law, Start string }
		Companies []struct {
			Role    string
			Company struct{ KvkNumber, Name string }
		}
		RealEstate []struct {
			Share  string
			Parcel struct{ Designation string }
		}
	}
}

func TestPersonCentric(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	subject, _ := p.Person(p.Scenarios.Household)
	var got personResult
	h.Query(t, wholePerson, map[string]any{"bsn": subject.BSN}).Decode(t, &got)
	g := got.Person
	if g == nil || g.BSN != subject.BSN || g.Name.Surname != subject.Surname {
		t.Fatalf("person = %+v", g)
	}
	if g.Birth.Date.Date != subject.BirthDate.ISO() || g.Birth.Date.Precision != "DAY" {
		t.Errorf("birth = %+v, want %s", g.Birth, subject.BirthDate.ISO())
	}
	addr, _ := p.Address(subject.AddressID)
	if g.Address == nil || g.Address.ID != addr.ID || g.Address.Postcode != addr.Postcode || g.Residence.AddressID != addr.ID {
		t.Fatalf("address = %+v, want %s", g.Address, addr.ID)
	}
	if g.Address.ResidentialObject == nil || g.Address.ResidentialObject.Surface != addr.Surface {
		t.Errorf("residential object = %+v, want surface %d", g.Address.ResidentialObject, addr.Surface)
	}
	b, _ := p.Building(addr.BuildingIDs[0])
	if len(g.Address.Buildings) != 1 || g.Address.Buildings[0].YearBuilt != b.YearBuilt {
		t.Errorf("buildings = %+v, want year %d", g.Address.Buildings, b.YearBuilt)
	}
	if g.Address.Municipality.Code != addr.MunicipalityCode || g.Address.Municipality.Description == "" {
		t.Errorf("municipality = %+v", g.Address.Municipality)
	}
	if len(g.Partners) != 1 || g.Partners[0].Partner.BSN != subject.Partner.BSN || g.Partners[0].Kind.Code != subject.Partner.Kind {
		t.Errorf("partners = %+v, want %s", g.Partners, subject.Partner.BSN)
	}
	var kids []string
	for _, c := range g.Children {
		kids = append(kids, c.BSN)
	}
	want := append([]string(nil), subject.Children...)
	sort.Strings(kids)
	sort.Strings(want)
	if strings.Join(kids, ",") != strings.Join(want, ",") {
		t.Errorf("children = %v, want %v", kids, want)
	}
	if n := len(p.VehiclesOfPerson(subject.BSN)); len(g.Vehicles) != n {
		t.Errorf("%d vehicles, want %d", len(g.Vehicles), n)
	}
	if n := len(p.DrivingLicencesOf(subject.BSN)); len(g.DrivingLicences) != n {
		t.Errorf("%d licences, want %d", len(g.DrivingLicences), n)
	}
	if n := len(p.EmploymentsOf(subject.BSN)); len(g.Employments) != n {
		t.Errorf("%d employments, want %d", len(g.Employments), n)
	}
	for _, e := range g.Employments {
		if e.Employer == nil || e.Employer.Name == "" {
			t.Errorf("employment without employer from the Handelsregister: %+v", e)
		}
	}
	var held []string
	for _, pc := range population.NewBRKIndex(p).ParcelsOf(subject.BSN) {
		held = append(held, pc.Designation())
	}
	var gotHeld []string
	for _, r := range g.RealEstate {
		gotHeld = append(gotHeld, r.Parcel.Designation)
	}
	sort.Strings(held)
	sort.Strings(gotHeld)
	if strings.Join(gotHeld, ",") != strings.Join(held, ",") {
		t.Errorf("real estate on %v, want %v", gotHeld, held)
	}
}

func TestUnemploymentPicture(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	var got personResult
	h.Query(t, wholePerson, map[string]any{"bsn": p.Scenarios.JobLoss}).Decode(t, &got)
	if len(got.Person.Benefits) == 0 || got.Person.Benefits[0].Law != "WW" {
		t.Fatalf("benefits = %+v, want a WW benefit", got.Person.Benefits)
	}
	want := p.BenefitsOf(p.Scenarios.JobLoss)[0].Start.ISO()
	if got.Person.Benefits[0].Start != want {
		t.Errorf("benefit start %s, want %s", got.Person.Benefits[0].Start, want)
	}
}

func TestCompanyCentric(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	// A company with several branches, functionaries and vehicles.
	var kvk string
	for _, c := range p.Companies {
		if len(c.Branches) > 1 && len(p.VehiclesOfCompany(c.KvKNumber)) > 0 {
			kvk = c.KvKNumber
			break
		}
	}
	if kvk == "" {
		t.Fatal("no company with branches and vehicles in the population")
	}
	c, _ := p.Company(kvk)
	var got struct {
		Company struct {
			KvkNumber, Name, LegalForm string
			Employees                  int
			Activities                 []struct{ Code string }
			MainBranch                 struct{ BranchNumber string }
			Branches                   []struct {
				BranchNumber string
				Main         bool
				Address      *struct{ ID string }
			}
			Functionaries []struct {
				Role   string
				Person struct {
					BSN  string
					Name struct{ Surname string }
				}
			}
			Vehicles []struct{ LicencePlate, Make string }
		}
	}
	h.Query(t, `query($kvk: String!) { company(kvkNumber: $kvk) {
		kvkNumber name legalForm employees activities { code }
		mainBranch { branchNumber }
		branches { branchNumber main address { id } }
		functionaries { role person { bsn name { surname } } }
		vehicles { licencePlate make }
	} }`, map[string]any{"kvk": kvk}).Decode(t, &got)
	g := got.Company
	if g.KvkNumber != kvk || g.Name != c.Name || g.LegalForm != c.LegalForm || g.Employees != c.Employees() {
		t.Fatalf("company = %+v, want %s %q %s %d", g, kvk, c.Name, c.LegalForm, c.Employees())
	}
	if len(g.Branches) != len(c.Branches) || !g.Branches[0].Main || g.Branches[0].BranchNumber != g.MainBranch.BranchNumber {
		t.Fatalf("branches = %+v", g.Branches)
	}
	for i, b := range g.Branches {
		want, _, _ := p.Branch(b.BranchNumber)
		if want == nil || b.Address == nil || b.Address.ID != want.AddressID {
			t.Errorf("branch %d address = %+v, want the BAG address %v", i, b.Address, want)
		}
	}
	if len(g.Functionaries) != len(c.Functionaries) || g.Functionaries[0].Person.BSN != c.Functionaries[0].BSN {
		t.Errorf("functionaries = %+v", g.Functionaries)
	}
	if len(g.Vehicles) != len(p.VehiclesOfCompany(kvk)) || g.Vehicles[0].Make == "" {
		t.Errorf("vehicles = %+v", g.Vehicles)
	}
}

func TestAddressCentric(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	subject, _ := p.Person(p.Scenarios.Household)
	addr, _ := p.Address(subject.AddressID)
	var got struct {
		Addresses []struct {
			ID        string
			Street    string
			Residents []struct{ BSN string }
			Companies []struct{ KvkNumber string }
		}
	}
	h.Query(t, `query($pc: String!, $nr: Int!) { addresses(postcode: $pc, houseNumber: $nr) {
		id street residents { bsn } companies { kvkNumber } } }`,
		map[string]any{"pc": strings.ToLower(addr.Postcode[:4] + " " + addr.Postcode[4:]), "nr": addr.HouseNumber}).Decode(t, &got)
	if len(got.Addresses) != 1 || got.Addresses[0].ID != addr.ID {
		t.Fatalf("addresses = %+v, want %s", got.Addresses, addr.ID)
	}
	residents := map[string]bool{}
	for _, r := range got.Addresses[0].Residents {
		residents[r.BSN] = true
	}
	for _, r := range p.Residents(addr.ID) {
		if !residents[r.BSN] {
			t.Errorf("resident %s missing", r.BSN)
		}
	}
	if len(residents) != len(p.Residents(addr.ID)) {
		t.Errorf("%d residents, want %d", len(residents), len(p.Residents(addr.ID)))
	}

	// A business address: the companies established there.
	c, ok := p.Company(p.Scenarios.NewCompany)
	if !ok {
		t.Fatalf("no company %q of the new-company scenario", p.Scenarios.NewCompany)
	}
	baddr, _ := p.Address(c.Branches[0].AddressID)
	var biz struct {
		Address struct{ Companies []struct{ KvkNumber string } }
	}
	h.Query(t, `query($id: String!) { address(id: $id) { companies { kvkNumber } } }`, map[string]any{"id": baddr.ID}).Decode(t, &biz)
	found := false
	for _, x := range biz.Address.Companies {
		found = found || x.KvkNumber == c.KvKNumber
	}
	if !found {
		t.Errorf("companies at %s = %+v, want %s", baddr.ID, biz.Address.Companies, c.KvKNumber)
	}
}

func TestIdentifierValidation(t *testing.T) {
	h := newTestHub(t)
	tests := []struct {
		name, query, argument string
	}{
		{"bsn fails elfproef", `{ person(bsn: "999999245") { bsn } }`, "bsn"},
		{"bsn too short", `{ person(bsn: "12345") { bsn } }`, "bsn"},
		{"bsn injection", `{ person(bsn: "1' OR '1'='1") { bsn } }`, "bsn"},
		{"bsn unicode digits", `{ person(bsn: "９９９９９３６５３") { bsn } }`, "bsn"},
		{"persons with one bad bsn", `{ persons(bsns: ["999993653", "x"]) { bsn } }`, "bsns"},
		{"kvk letters", `{ company(kvkNumber: "6959908A") { name } }`, "kvkNumber"},
		{"branch short", `{ branch(branchNumber: "12345") { branchNumber } }`, "branchNumber"},
		{"address wrong type", `{ address(id: "0363010003761571") { id } }`, "id"},
		{"postcode", `{ addresses(postcode: "0123AB", houseNumber: 1) { id } }`, "postcode"},
		{"house number", `{ addresses(postcode: "1012JS", houseNumber: 0) { id } }`, "houseNumber"},
		{"house letter", `{ addresses(postcode: "1012JS", houseNumber: 1, houseLetter: "<script>") { id } }`, "houseLetter"},
		{"plate", `{ vehicle(licencePlate: "R-75$-BK") { make } }`, "licencePlate"},
		{"surname", `{ searchPersons(surname: "Jansen; DROP", birthDate: "1980-01-01") { bsn } }`, "surname"},
		{"search without criteria", `{ searchCompanies { totalCount } }`, "name"},
		{"house number without postcode", `{ searchCompanies(name: "Bakkerij", houseNumber: 3) { totalCount } }`, "houseNumber"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.Mocks.ResetCalls()
			r := h.Query(t, tt.query, nil)
			if len(r.Errors) != 1 {
				t.Fatalf("errors = %+v, want one", r.Errors)
			}
			e := r.Errors[0]
			if e.Extensions["code"] != "BAD_USER_INPUT" || e.Extensions["argument"] != tt.argument || !strings.Contains(e.Message, tt.argument) {
				t.Fatalf("error = %+v, want BAD_USER_INPUT naming %q", e, tt.argument)
			}
			for _, reg := range []string{"BRP", "NHR", "BAG", "RDW", "UWV"} {
				if n, _ := h.Mocks.Calls(reg); n != 0 {
					t.Errorf("%s was asked %d times for invalid input", reg, n)
				}
			}
		})
	}
	r := h.Query(t, `{ searchPersons(surname: "Jansen", birthDate: "1980-13-45") { bsn } }`, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Fatalf("bad date: %+v", r.Errors)
	}
}

func TestNotFound(t *testing.T) {
	h := newTestHub(t)
	r := h.Query(t, `{ person(bsn: "999999990") { bsn } }`, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "NOT_FOUND" || r.Errors[0].Extensions["registry"] != "BRP" {
		t.Fatalf("errors = %+v", r.Errors)
	}
	if string(r.Data) != `{"person":null}` {
		t.Fatalf("data = %s", r.Data)
	}
}

// Partial results: with one registry faulted, a query over all five still
// answers within its deadline, the other registries' data is there, and
// exactly the faulted registry's fields carry an error naming it.
func TestPartialResults(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	bsn := p.Scenarios.JobLoss
	subject, _ := p.Person(bsn)
	query := `query($bsn: String!) { person(bsn: $bsn) {
		bsn name { fullName } address { street residentialObject { surface } }
		vehicles { licencePlate } drivingLicences { number } employments { start } companies { role } } }`
	owned := map[string][]string{
		"BRP": {"person.name", "person.address"},
		"BAG": {"person.address.street", "person.address.residentialObject"},
		"RDW": {"person.vehicles", "person.drivingLicences"},
		"UWV": {"person.employments"},
		"NHR": {"person.companies"},
	}
	for reg, paths := range owned {
		t.Run(reg, func(t *testing.T) {
			defer h.Mocks.ClearFaults()
			if err := h.Mocks.Faults(reg).Set(fault.Config{Status: 503}); err != nil {
				t.Fatal(err)
			}
			r := h.Query(t, query, map[string]any{"bsn": bsn})
			if r.Status != 200 {
				t.Fatalf("status %d", r.Status)
			}
			var got []string
			for _, e := range r.Errors {
				if e.Extensions["code"] != "UPSTREAM_UNAVAILABLE" || e.Extensions["registry"] != reg {
					t.Errorf("error %+v, want UPSTREAM_UNAVAILABLE from %s", e, reg)
				}
				got = append(got, e.PathString())
			}
			sort.Strings(got)
			want := append([]string(nil), paths...)
			sort.Strings(want)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("errors on %v, want %v", got, want)
			}
			data := string(r.Data)
			if !strings.Contains(data, `"bsn":"`+bsn) {
				t.Fatalf("the person's BSN is gone: %s", data)
			}
			if reg != "BRP" && !strings.Contains(data, subject.Surname) {
				t.Errorf("BRP data missing with %s down: %s", reg, data)
			}
			if reg != "UWV" && !strings.Contains(data, `"employments":[{`) {
				t.Errorf("UWV data missing with %s down: %s", reg, data)
			}
		})
	}
}

// TestHouseholdCallsAreMinimal counts the registry calls of a household
// query: a person, the partner and children, each with address and
// vehicles. The BRP is asked twice (the person, then partner and children
// in one batch), the BAG once per distinct address. The RDW holdings are
// asked as soon as BSNs are known: once for the person, beside the BRP,
// and once for the family; when the family's BSNs arrive within the
// person's batch window the two share one call. Open data follows each
// holdings call that found vehicles.
func TestHouseholdCallsAreMinimal(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	subject, _ := p.Person(p.Scenarios.Household)
	h.Mocks.ResetCalls()
	var got personResult
	h.Query(t, `query($bsn: String!) { person(bsn: $bsn) {
		bsn address { street } vehicles { licencePlate make }
		partners { partner { bsn address { street } vehicles { licencePlate make } } }
		children { bsn address { street } vehicles { licencePlate make } } } }`,
		map[string]any{"bsn": subject.BSN}).Decode(t, &got)

	members := append([]string{subject.Partner.BSN}, subject.Children...)
	addresses := map[string]bool{subject.AddressID: true}
	for _, m := range members {
		pm, _ := p.Person(m)
		addresses[pm.AddressID] = true
	}
	if len(addresses) != 1 {
		t.Skip("the household lives at more than one address")
	}
	exact := map[string]map[string]int{
		"BRP": {"POST /haalcentraal/api/brp/personen": 2},
		"BAG": {"GET /lvbag/individuelebevragingen/v2/adressen/" + subject.AddressID: 1},
		"NHR": {},
		"UWV": {},
	}
	for reg, routes := range exact {
		total, byRoute := h.Mocks.Calls(reg)
		sum := 0
		for route, n := range routes {
			sum += n
			if byRoute[route] != n {
				t.Errorf("%s: %s called %d times, want %d (all: %v)", reg, route, byRoute[route], n, byRoute)
			}
		}
		if total != sum {
			t.Errorf("%s: %d calls in all, want %d: %v", reg, total, sum, byRoute)
		}
	}
	total, byRoute := h.Mocks.Calls("RDW")
	holdings, open := byRoute["POST /rdw/v1/voertuigbezit"], byRoute["GET /resource/m9d7-ebf2.json"]
	if holdings < 1 || holdings > 2 || open > holdings || total != holdings+open {
		t.Errorf("RDW: %v, want 1 or 2 holdings calls and at most as many open-data calls", byRoute)
	}
}
