package brp

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
	mocksbrp "github.com/poort-nl/poort/mocks/brp"
	"github.com/poort-nl/poort/mocks/population"
)

var mockRefDate = time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)

// againstMock starts the BRP mock over real HTTP and a client for it.
func againstMock(t *testing.T, size int) (*Client, *population.Population) {
	t.Helper()
	pop, err := population.Generate(population.Config{Seed: 21, Size: size, ReferenceDate: mockRefDate})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	srv := httptest.NewServer(mocksbrp.New(pop))
	t.Cleanup(srv.Close)
	c, err := New(connectors.Config{BaseURL: srv.URL + "/haalcentraal/api/brp", AuthHeader: "X-API-KEY", AuthValue: "mock"})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, pop
}

func TestMockPersonsEndToEnd(t *testing.T) {
	c, pop := againstMock(t, 600)
	ctx := context.Background()
	var subject *population.Person
	for i := range pop.Persons {
		p := &pop.Persons[i]
		if p.Alive() && len(p.Parents) == 2 && p.Partner != nil && len(p.Children) > 0 {
			subject = p
			break
		}
	}
	if subject == nil {
		t.Fatal("no person with parents, partner and children")
	}
	dead, _ := pop.Person(pop.Scenarios.Deceased)

	var all []string
	for i := range pop.Persons {
		all = append(all, pop.Persons[i].BSN)
	}
	fields := []string{"aNummer", "naam", "geslacht", "geboorte", "overlijden", "leeftijd", "nationaliteiten", "verblijfplaats",
		"gemeenteVanInschrijving", "adressering", "ouders", "kinderen", "partners", "indicatieCurateleRegister"}
	got, err := c.PersonsByBSN(ctx, append(all, "123456782"), fields)
	if err != nil {
		t.Fatalf("PersonsByBSN: %v", err)
	}
	if len(got) != len(pop.Persons) {
		t.Fatalf("%d persons for %d known BSNs in batches of 20", len(got), len(pop.Persons))
	}

	p := got[subject.BSN]
	a, _ := pop.Address(subject.AddressID)
	st, _ := pop.Street(a.StreetID)
	checks := []struct {
		what      string
		got, want any
	}{
		{"a-nummer", p.ANumber, subject.ANumber},
		{"given names", p.Name.GivenNames, subject.GivenNames},
		{"surname", p.Name.Surname, subject.Surname},
		{"prefix", p.Name.Prefix, subject.Prefix},
		{"gender", p.Gender.Code, subject.Gender},
		{"birth date", p.Birth.Date.Date, subject.BirthDate.ISO()},
		{"birth date kind", p.Birth.Date.Kind, DateFull},
		{"birth country", p.Birth.Country.Code, subject.BirthCountry},
		{"street", p.Residence.Street, st.Name},
		{"house number", p.Residence.HouseNumber, a.HouseNumber},
		{"postcode", p.Residence.Postcode, a.Postcode},
		{"address id", p.Residence.AddressID, a.ID},
		{"object id", p.Residence.ObjectID, a.ObjectID},
		{"residence since", p.Residence.Since.Date, subject.AddressSince.ISO()},
		{"municipality", p.Municipality.Code, subject.MunicipalityCode},
		{"nationalities", len(p.Nationalities), len(subject.Nationalities)},
		{"nationality", p.Nationalities[0].Nationality.Code, subject.Nationalities[0]},
		{"birth place", p.Birth.Place.Description, subject.BirthPlace},
		{"birth place code", p.Birth.Place.Code, subject.BirthPlaceCode},
		{"parents", len(p.Parents), 2},
		{"parent 1", p.Parents[0].BSN, subject.Parents[0]},
		{"parent 2 designation", p.Parents[1].Designation, "2"},
		{"children", len(p.Children), len(subject.Children)},
		{"partner", p.Partners[0].BSN, subject.Partner.BSN},
		{"partnership kind", p.Partners[0].Kind.Code, subject.Partner.Kind},
		{"partnership start", p.Partners[0].Started.Date, subject.Partner.Since.ISO()},
		{"secret", p.Secret, subject.Secret},
		{"curatele", p.Curatele, subject.Curatele},
		{"death of the living", p.Death == nil, true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	birth, _ := subject.BirthDate.Time()
	wantAge := mockRefDate.Year() - birth.Year()
	if mockRefDate.YearDay() < birth.YearDay() {
		wantAge--
	}
	if p.Age == nil || *p.Age < wantAge-1 || *p.Age > wantAge {
		t.Errorf("age = %v, want about %d", p.Age, wantAge)
	}
	if !strings.HasPrefix(p.AddressLines.Line1, st.ShortName+" ") || p.AddressLines.Salutation == "" {
		t.Errorf("address lines = %+v", p.AddressLines)
	}

	d := got[dead.BSN]
	if d.Death == nil || d.Death.Date.Date != dead.DeathDate.ISO() || d.SuspendedReason.Code != "O" || d.Age != nil {
		t.Errorf("deceased = death %+v suspended %+v age %v", d.Death, d.SuspendedReason, d.Age)
	}
}

func TestMockFieldsLimitTheAnswer(t *testing.T) {
	c, pop := againstMock(t, 200)
	subject, ok := pop.Person(pop.Scenarios.Household)
	if !ok {
		t.Fatal("no household scenario")
	}
	p, err := c.Person(context.Background(), subject.BSN, []string{"naam.voornamen", "verblijfplaats.verblijfadres.postcode"})
	if err != nil {
		t.Fatalf("Person: %v", err)
	}
	if p.BSN != subject.BSN || p.Name.GivenNames != subject.GivenNames || p.Name.Surname != "" || p.Birth != nil || p.Gender != nil {
		t.Errorf("person = %+v, want only BSN, given names and postcode", p)
	}
	if p.Residence == nil || p.Residence.Kind != "Adres" || p.Residence.Postcode == "" || p.Residence.Street != "" {
		t.Errorf("residence = %+v, want its kind and postcode only", p.Residence)
	}
	_, err = c.Person(context.Background(), "123456782", []string{"naam"})
	if !errors.Is(err, connectors.ErrNotFound) {
		t.Errorf("unknown BSN: %v, want ErrNotFound", err)
	}
}

func TestMockSearches(t *testing.T) {
	c, pop := againstMock(t, 600)
	ctx := context.Background()
	subject, ok := pop.Person(pop.Scenarios.Household)
	if !ok {
		t.Fatal("no household scenario")
	}
	a, _ := pop.Address(subject.AddressID)
	contains := func(ps []*Person) bool {
		for _, p := range ps {
			if p.BSN == subject.BSN {
				return p.Name != nil && p.Name.Surname == subject.Surname && p.Birth.Date.Date == subject.BirthDate.ISO() &&
					p.AddressLines != nil && p.AddressLines.Line1 != "" && p.Residence == nil
			}
		}
		return false
	}
	ps, err := c.SearchByNameAndBirthDate(ctx, strings.ToLower(subject.Surname), subject.BirthDate.ISO())
	if err != nil || !contains(ps) {
		t.Errorf("SearchByNameAndBirthDate = %v, %v", len(ps), err)
	}
	ps, err = c.SearchByPostcode(ctx, a.Postcode, a.HouseNumber)
	if err != nil || !contains(ps) || len(ps) != len(pop.Residents(a.ID)) {
		t.Errorf("SearchByPostcode = %v, %v", len(ps), err)
	}
	ps, err = c.SearchByAddressID(ctx, a.ID)
	if err != nil || !contains(ps) {
		t.Errorf("SearchByAddressID = %v, %v", len(ps), err)
	}
	ps, err = c.SearchByObject(ctx, a.ObjectID, WithMunicipality(subject.MunicipalityCode))
	if err != nil || !contains(ps) {
		t.Errorf("SearchByObject = %v, %v", len(ps), err)
	}

	dead, _ := pop.Person(pop.Scenarios.Deceased)
	ps, _ = c.SearchByNameAndBirthDate(ctx, dead.Surname, dead.BirthDate.ISO())
	for _, p := range ps {
		if p.BSN == dead.BSN {
			t.Error("a search found the deceased without IncludeDeceased")
		}
	}
	ps, err = c.SearchByNameAndBirthDate(ctx, dead.Surname, dead.BirthDate.ISO(), IncludeDeceased())
	found := false
	for _, p := range ps {
		found = found || (p.BSN == dead.BSN && p.SuspendedReason != nil && p.SuspendedReason.Code == "O")
	}
	if err != nil || !found {
		t.Errorf("IncludeDeceased did not find the deceased with their suspension: %v", err)
	}
}

func TestMockTravelDocuments(t *testing.T) {
	c, pop := againstMock(t, 1000)
	ctx := context.Background()
	traveller := pop.Scenarios.Traveller
	var want []*population.TravelDocument
	for _, d := range pop.TravelDocumentsOf(traveller) {
		if d.Held() {
			want = append(want, d)
		}
	}
	docs, err := c.TravelDocuments(ctx, traveller, nil)
	if err != nil {
		t.Fatalf("TravelDocuments: %v", err)
	}
	if len(docs) != len(want) {
		t.Fatalf("%d documents, want the %d the traveller holds", len(docs), len(want))
	}
	for i, d := range docs {
		w := want[i]
		if d.Number != w.Number || d.Kind.Code != w.Kind || d.Kind.Description == "" || d.Expiry.Date != w.ExpiryDate.ISO() ||
			d.BSN != traveller || d.Withdrawal != nil {
			t.Errorf("document %d = %+v, want %+v", i, d, w)
		}
	}
	one, err := c.TravelDocument(ctx, strings.ToLower(want[0].Number), []string{"soort.code"})
	if err != nil || one.Kind == nil || one.Kind.Description == "" || one.Number != "" {
		t.Errorf("TravelDocument = %+v, %v; want only the whole soort", one, err)
	}
	if _, err := c.TravelDocument(ctx, "ZZ0000000", nil); !errors.Is(err, connectors.ErrNotFound) {
		t.Errorf("unknown document: %v, want ErrNotFound", err)
	}

	// A document its holder no longer has comes by its number, with why
	// and when it left them.
	var gone *population.TravelDocument
	for i := range pop.TravelDocuments {
		if !pop.TravelDocuments[i].Held() {
			gone = &pop.TravelDocuments[i]
			break
		}
	}
	if gone == nil {
		t.Fatal("no withdrawn document in the population")
	}
	got, err := c.TravelDocument(ctx, gone.Number, nil)
	if err != nil || got.Withdrawal == nil || got.Withdrawal.Code != gone.Withdrawal || got.Withdrawal.Description == "" ||
		got.WithdrawnOn == nil || got.WithdrawnOn.Date != gone.WithdrawnOn.ISO() || got.BSN != gone.BSN {
		t.Errorf("withdrawn document = %+v, %v; want %+v", got, err, gone)
	}
}

// Every path the connector accepts for a Reisdocument, the mock accepts.
func TestMockTravelDocumentPathsAreAccepted(t *testing.T) {
	c, pop := againstMock(t, 100)
	paths := TravelDocumentPaths()
	for start := 0; start < len(paths); start += maxDocumentFields {
		batch := paths[start:min(start+maxDocumentFields, len(paths))]
		if _, err := c.TravelDocuments(context.Background(), pop.Scenarios.Traveller, batch); err != nil {
			t.Fatalf("the mock refused published field paths: %v", err)
		}
	}
}

// Over the whole population, a place of birth comes as the registry gives
// it: a municipality's code and name, or the name alone of a place abroad.
func TestMockPlacesOfBirth(t *testing.T) {
	c, pop := againstMock(t, 1000)
	var bsns []string
	for i := range pop.Persons {
		bsns = append(bsns, pop.Persons[i].BSN)
	}
	got, err := c.PersonsByBSN(context.Background(), bsns, []string{"geboorte.plaats", "geboorte.land"})
	if err != nil {
		t.Fatalf("PersonsByBSN: %v", err)
	}
	abroad := 0
	for i := range pop.Persons {
		want := &pop.Persons[i]
		p := got[want.BSN]
		if p == nil || p.Birth == nil || p.Birth.Place == nil || p.Birth.Country == nil {
			t.Fatalf("person %s: birth %+v", want.BSN, p)
		}
		if p.Birth.Place.Code != want.BirthPlaceCode || p.Birth.Place.Description != want.BirthPlace || p.Birth.Country.Code != want.BirthCountry {
			t.Errorf("person %s born at %+v in %+v, want %q %q in %s", want.BSN, p.Birth.Place, p.Birth.Country, want.BirthPlaceCode, want.BirthPlace, want.BirthCountry)
		}
		if want.BirthPlaceCode == "" {
			abroad++
		}
	}
	if abroad == 0 {
		t.Error("nobody in the population was born abroad")
	}
}

func TestMockCheck(t *testing.T) {
	c, _ := againstMock(t, 100)
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
}

func TestMockFieldPathsAreAccepted(t *testing.T) {
	c, pop := againstMock(t, 100)
	paths := FieldPaths()
	for start := 0; start < len(paths); start += MaxFields - 1 {
		batch := paths[start:min(start+MaxFields-1, len(paths))]
		if _, err := c.PersonsByBSN(context.Background(), []string{pop.Scenarios.Household}, batch); err != nil {
			t.Fatalf("the mock refused published field paths: %v", err)
		}
	}
}
