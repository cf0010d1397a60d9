package population

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/poort-nl/poort/internal/ident"
)

var refDate = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

func generate(t testing.TB, size int) *Population {
	t.Helper()
	p, err := Generate(Config{Seed: 42, Size: size, ReferenceDate: refDate})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return p
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := generate(t, 600), generate(t, 600)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Fatal("the same seed and size gave different populations")
	}
	c, err := Generate(Config{Seed: 43, Size: 600, ReferenceDate: refDate})
	if err != nil {
		t.Fatal(err)
	}
	if c.Persons[0].BSN == a.Persons[0].BSN && c.Persons[1].BSN == a.Persons[1].BSN {
		t.Fatal("another seed gave the same BSNs")
	}
}

func TestIdentitiesDoNotDependOnReferenceDate(t *testing.T) {
	a := generate(t, 300)
	b, err := Generate(Config{Seed: 42, Size: 300, ReferenceDate: refDate.AddDate(1, 2, 3)})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Persons) != len(b.Persons) {
		t.Fatalf("persons %d vs %d", len(a.Persons), len(b.Persons))
	}
	for i := range a.Persons {
		if a.Persons[i].BSN != b.Persons[i].BSN || a.Persons[i].Surname != b.Persons[i].Surname {
			t.Fatalf("person %d differs between reference dates", i)
		}
	}
	if a.Scenarios != b.Scenarios || a.Companies[0].KvKNumber != b.Companies[0].KvKNumber {
		t.Fatal("scenarios or companies differ between reference dates")
	}
	// Dates move with the reference date, so relative facts hold.
	child, _ := b.Person(b.Scenarios.RecentBirth)
	if d := daysBetween(child.BirthDate, b.ReferenceDate); d < 0 || d > 28 {
		t.Fatalf("recent birth %d days before the later reference date", d)
	}
}

func TestReferencesResolve(t *testing.T) {
	p := generate(t, 1000)
	if len(p.Persons) < 1000 {
		t.Fatalf("persons = %d, want at least 1000", len(p.Persons))
	}
	seen := map[string]bool{}
	for i := range p.Persons {
		pe := &p.Persons[i]
		if _, err := ident.ParseBSN(pe.BSN); err != nil {
			t.Fatalf("person %d: %v", i, err)
		}
		if pe.BSN[:3] != "999" {
			t.Fatalf("person %d: BSN outside the 999 test range", i)
		}
		if seen[pe.BSN] {
			t.Fatalf("BSN used twice")
		}
		seen[pe.BSN] = true
		if pe.AddressID != "" {
			if _, ok := p.Address(pe.AddressID); !ok {
				t.Fatalf("person %d: address does not resolve", i)
			}
		} else if pe.Alive() {
			t.Fatalf("person %d: living person without address", i)
		}
		for _, b := range pe.Parents {
			parent, ok := p.Person(b)
			if !ok {
				t.Fatalf("person %d: parent does not resolve", i)
			}
			if !contains(parent.Children, pe.BSN) {
				t.Fatalf("person %d: parent does not list the child", i)
			}
			if !before(parent.BirthDate, pe.BirthDate) {
				t.Fatalf("person %d: born before a parent", i)
			}
		}
		if pe.Partner != nil {
			q, ok := p.Person(pe.Partner.BSN)
			if !ok || q.Partner == nil || q.Partner.BSN != pe.BSN {
				t.Fatalf("person %d: partnership is not mutual", i)
			}
		}
	}
	for _, a := range p.Addresses {
		if _, err := ident.ParseAddressID(a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := ident.ParseObjectID(a.ObjectID); err != nil {
			t.Fatal(err)
		}
		if _, err := ident.ParsePostcode(a.Postcode); err != nil {
			t.Fatal(err)
		}
		for _, b := range a.BuildingIDs {
			if _, ok := p.Building(b); !ok {
				t.Fatal("building does not resolve")
			}
		}
		if _, ok := p.Street(a.StreetID); !ok {
			t.Fatal("street does not resolve")
		}
		if _, ok := p.Municipality(a.MunicipalityCode); !ok {
			t.Fatal("municipality does not resolve")
		}
		if got := p.AddressesByPostcode(a.Postcode, a.HouseNumber); len(got) != 1 || got[0].ID != a.ID {
			t.Fatalf("postcode %s %d finds %d addresses", a.Postcode, a.HouseNumber, len(got))
		}
	}
	for _, c := range p.Companies {
		if _, err := ident.ParseKvKNumber(c.KvKNumber); err != nil {
			t.Fatal(err)
		}
		if c.RSIN != "" {
			if _, err := ident.ParseRSIN(c.RSIN); err != nil {
				t.Fatal(err)
			}
		}
		for _, b := range c.Branches {
			if _, err := ident.ParseBranchNumber(b.Number); err != nil {
				t.Fatal(err)
			}
			if _, ok := p.Address(b.AddressID); !ok {
				t.Fatal("branch address does not resolve")
			}
		}
		if len(c.Functionaries) == 0 {
			t.Fatalf("company %s without functionaries", c.KvKNumber)
		}
		for _, f := range c.Functionaries {
			if _, ok := p.Person(f.BSN); !ok {
				t.Fatal("functionary does not resolve")
			}
		}
		current := 0
		for _, e := range p.EmploymentsAt(c.KvKNumber) {
			if e.End == "" {
				current++
			}
		}
		if got := c.Employees() - len(c.Functionaries); got != current {
			t.Fatalf("company %s: %d employees in NHR, %d current employments at UWV", c.KvKNumber, got, current)
		}
	}
	for _, v := range p.Vehicles {
		if _, err := ident.ParseLicencePlate(v.Plate); err != nil {
			t.Fatal(err)
		}
		if (v.HolderBSN == "") == (v.HolderKvK == "") {
			t.Fatal("a vehicle has exactly one holder")
		}
		if v.HolderBSN != "" {
			if _, ok := p.Person(v.HolderBSN); !ok {
				t.Fatal("vehicle holder does not resolve")
			}
		} else if _, ok := p.Company(v.HolderKvK); !ok {
			t.Fatal("vehicle company does not resolve")
		}
	}
	for _, e := range p.Employments {
		if _, ok := p.Person(e.BSN); !ok {
			t.Fatal("employee does not resolve")
		}
		c, ok := p.Company(e.EmployerKvK)
		if !ok || c.PayrollTaxNumber != e.PayrollTaxNumber {
			t.Fatal("employer does not resolve")
		}
		if e.End != "" && !before(e.Start, e.End) {
			t.Fatal("employment ends before it starts")
		}
	}
	for _, b := range p.Benefits {
		found := false
		for _, e := range p.EmploymentsOf(b.BSN) {
			if e.Sequence == b.EmploymentSequence && e.End != "" && addDays(e.End, 1) == b.FirstDayUnemployed {
				found = true
			}
		}
		if !found {
			t.Fatal("benefit does not follow an ended employment")
		}
	}
	for _, l := range p.DrivingLicences {
		if _, ok := p.Person(l.BSN); !ok {
			t.Fatal("licence holder does not resolve")
		}
	}
	for _, d := range p.TravelDocuments {
		if _, err := ident.ParseTravelDocumentNumber(d.Number); err != nil {
			t.Fatal(err)
		}
	}
}

func TestScenarios(t *testing.T) {
	p := generate(t, 1000)
	s := p.Scenarios
	ref := p.ReferenceDate

	child, ok := p.Person(s.RecentBirth)
	if !ok || len(child.Parents) != 2 {
		t.Fatal("recent birth has no two parents")
	}
	if d := daysBetween(child.BirthDate, ref); d < 0 || d > 28 {
		t.Fatalf("recent birth %d days ago", d)
	}
	for _, b := range child.Parents {
		parent, _ := p.Person(b)
		if parent.AddressID != child.AddressID {
			t.Fatal("newborn does not live with a parent")
		}
	}

	benefits := p.BenefitsOf(s.JobLoss)
	if len(benefits) == 0 {
		t.Fatal("job loss without benefit")
	}
	if d := daysBetween(benefits[len(benefits)-1].FirstDayUnemployed, ref); d < 0 || d > 62 {
		t.Fatalf("job lost %d days ago", d)
	}

	c, ok := p.Company(s.NewCompany)
	if !ok || daysBetween(c.RegistrationDate, ref) > 62 {
		t.Fatal("new company is not new")
	}

	old, _ := p.Person(s.CareDependent)
	if age := daysBetween(old.BirthDate, ref) / 365; age < 80 {
		t.Fatalf("care-dependent person is %d", age)
	}
	if n := len(p.Residents(old.AddressID)); n != 1 {
		t.Fatalf("care-dependent person lives with %d", n-1)
	}
	if home, _ := p.Address(old.AddressID); !contains(home.Uses, "gezondheidszorgfunctie") || daysBetween(old.AddressSince, ref) > 62 || len(old.Children) < 2 {
		t.Fatalf("care-dependent person did not move into care lately, or has fewer than two children: %+v", home)
	}

	single, _ := p.Person(s.UnmarriedBirth)
	if len(single.Parents) != 1 || daysBetween(single.BirthDate, ref) > 28 {
		t.Fatalf("unmarried birth: %d parents, born %s", len(single.Parents), single.BirthDate)
	}
	if mother, _ := p.Person(single.Parents[0]); mother.Partner != nil {
		t.Fatal("the unmarried mother has a partner")
	}

	jobs := p.EmploymentsOf(s.JobEnded)
	if len(jobs) != 1 || jobs[0].End == "" || daysBetween(jobs[0].End, ref) > 31 || len(p.BenefitsOf(s.JobEnded)) != 0 {
		t.Fatal("job-ended scenario: no employment that just ended without a benefit")
	}

	restaurant, ok := p.Company(s.NewRestaurant)
	if !ok || len(restaurant.Functionaries) < 2 || restaurant.Activities[0].Code != "5610" || daysBetween(restaurant.RegistrationDate, ref) > 62 {
		t.Fatalf("new restaurant: %+v", restaurant)
	}

	minor, _ := p.Person(s.MinorTraveller)
	var minorPassport *TravelDocument
	for _, d := range p.TravelDocumentsOf(s.MinorTraveller) {
		if d.Kind == Passport {
			minorPassport = d
		}
	}
	if len(minor.Parents) != 2 || daysBetween(minor.BirthDate, ref)/365 >= 18 || minorPassport == nil || daysBetween(ref, minorPassport.ExpiryDate) > 120 {
		t.Fatal("minor traveller without two parents or a passport running out")
	}

	dead, _ := p.Person(s.Deceased)
	if dead.Alive() || daysBetween(dead.DeathDate, ref) > 31 {
		t.Fatal("deceased scenario did not die last month")
	}

	var passport *TravelDocument
	for _, d := range p.TravelDocumentsOf(s.Traveller) {
		if d.Kind == Passport {
			passport = d
		}
	}
	if passport == nil || daysBetween(ref, passport.ExpiryDate) > 120 || daysBetween(ref, passport.ExpiryDate) < 0 {
		t.Fatal("traveller's passport does not expire within four months")
	}
	ls := p.DrivingLicencesOf(s.Traveller)
	if len(ls) != 1 || before(ls[0].ExpiryDate, ref) {
		t.Fatal("traveller has no valid licence")
	}

	mover, _ := p.Person(s.Mover)
	if daysBetween(mover.AddressSince, ref) > 31 {
		t.Fatal("mover did not move last month")
	}

	a, _ := p.Address(s.Renovation)
	b, _ := p.Building(a.BuildingIDs[0])
	if b.YearBuilt >= 1940 || len(p.Residents(a.ID)) < 2 {
		t.Fatal("renovation address is not a pre-1940 house with two residents")
	}
	if b.Status != "Verbouwing pand" || daysBetween(b.StatusSince, ref) > 62 {
		t.Fatalf("renovation address's building: %s since %s", b.Status, b.StatusSince)
	}
	if len(p.VehiclesOfPerson(s.VehicleOwner)) == 0 {
		t.Fatal("vehicle owner holds no vehicle")
	}
}

func TestExportRoundTrip(t *testing.T) {
	p := generate(t, 200)
	var buf bytes.Buffer
	if err := p.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	q, err := ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := q.Person(p.Scenarios.Household); !ok {
		t.Fatal("read population is not indexed")
	}
	if len(q.Persons) != len(p.Persons) || len(q.Companies) != len(p.Companies) {
		t.Fatal("round trip lost records")
	}
}

func TestSizeBounds(t *testing.T) {
	for _, n := range []int{0, 10, MaxSize + 1} {
		if _, err := Generate(Config{Seed: 1, Size: n}); err == nil {
			t.Errorf("size %d accepted", n)
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func TestAddYears(t *testing.T) {
	for _, tc := range []struct {
		in    Date
		years int
	}{{"20160229", 1}, {"20160229", 4}, {"20160229", -10}, {"19991231", 1}, {"20240101", -18}, {"00000000", 5}, {"19680000", 3}} {
		want := tc.in
		if t0, ok := tc.in.Time(); ok {
			want = DateOf(t0.AddDate(tc.years, 0, 0))
		}
		if got := addYears(tc.in, tc.years); got != want {
			t.Errorf("addYears(%s, %d) = %s, want %s", tc.in, tc.years, got, want)
		}
	}
}
