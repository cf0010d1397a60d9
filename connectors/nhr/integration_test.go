package nhr_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/nhr"
	mocksnhr "github.com/poort-nl/poort/mocks/nhr"
	"github.com/poort-nl/poort/mocks/population"
)

// The tests in this file run the connector over real HTTP against the
// Handelsregister mock and check the mapping of population records end to
// end.

var refDate = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func startMock(t *testing.T, prepare ...func(*population.Population)) (*nhr.Client, *population.Population, string) {
	t.Helper()
	pop, err := population.Generate(population.Config{Seed: 42, Size: 1000, ReferenceDate: refDate})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range prepare {
		f(pop)
	}
	srv := httptest.NewServer(mocksnhr.New(pop))
	t.Cleanup(srv.Close)
	c, err := nhr.New(connectors.Config{BaseURL: srv.URL + "/api", AuthValue: "mock-key",
		Settings: map[string]string{nhr.FunctionariesURL: srv.URL + "/api/v1"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, pop, srv.URL
}

func companyWhere(t *testing.T, pop *population.Population, ok func(*population.Company) bool) *population.Company {
	t.Helper()
	for i := range pop.Companies {
		if ok(&pop.Companies[i]) {
			return &pop.Companies[i]
		}
	}
	t.Fatal("no company in the population fits the test")
	return nil
}

func multiBranchBV(c *population.Company) bool {
	return c.LegalForm == population.PrivateCompany && len(c.Branches) > 1 && c.Website != ""
}

// checkAddress compares a mapped visiting address with the population's
// BAG address.
func checkAddress(t *testing.T, pop *population.Population, got nhr.Address, addressID string) {
	t.Helper()
	a, _ := pop.Address(addressID)
	st, _ := pop.Street(a.StreetID)
	pl, _ := pop.Place(a.PlaceID)
	if got.Kind != nhr.VisitingAddress || got.Shielded || got.Street != st.Name || got.HouseNumber != a.HouseNumber ||
		got.HouseLetter != a.HouseLetter || got.Addition != a.Addition || got.Postcode != a.Postcode || got.Place != pl.Name ||
		got.Country != "Nederland" || got.FullAddress == "" {
		t.Errorf("address %+v, want %s %d%s %s %s", got, st.Name, a.HouseNumber, a.HouseLetter, a.Postcode, pl.Name)
	}
	if got.AddressID != a.ID || got.ObjectID != a.ObjectID {
		t.Errorf("BAG ids %s/%s, want %s/%s", got.AddressID, got.ObjectID, a.ID, a.ObjectID)
	}
	if got.Latitude == nil || got.Longitude == nil || *got.Latitude < 50.7 || *got.Latitude > 53.6 {
		t.Errorf("coordinates %v, %v", got.Latitude, got.Longitude)
	}
}

func activitiesOf(as []population.Activity) []nhr.Activity {
	out := make([]nhr.Activity, len(as))
	for i, a := range as {
		out[i] = nhr.Activity{Code: a.Code, Description: a.Description, Main: a.Main}
	}
	return out
}

func TestMockCompany(t *testing.T) {
	c, pop, _ := startMock(t)
	ctx := context.Background()

	t.Run("legal entity", func(t *testing.T) {
		want := companyWhere(t, pop, multiBranchBV)
		got, err := c.Company(ctx, want.KvKNumber)
		if err != nil {
			t.Fatal(err)
		}
		if got.KvKNumber != want.KvKNumber || got.RSIN != want.RSIN || got.Name != want.Name || got.StatutoryName != want.Name {
			t.Errorf("identity %q %q %q %q", got.KvKNumber, got.RSIN, got.Name, got.StatutoryName)
		}
		if got.LegalForm != "Besloten Vennootschap" || got.LegalFormDetail != "Besloten Vennootschap met gewone structuur" {
			t.Errorf("legal form %q, %q", got.LegalForm, got.LegalFormDetail)
		}
		if !slices.Equal(got.TradeNames, want.TradeNames) || !slices.Equal(got.Websites, []string{want.Website}) {
			t.Errorf("trade names %q, websites %q", got.TradeNames, got.Websites)
		}
		if got.RegistrationDate != want.RegistrationDate.ISO() || got.StartDate != want.StartDate.ISO() || got.EndDate != "" {
			t.Errorf("dates %q %q %q", got.RegistrationDate, got.StartDate, got.EndDate)
		}
		if got.Employees == nil || *got.Employees != want.Employees() {
			t.Errorf("employees %v, want %d", got.Employees, want.Employees())
		}
		if !slices.Equal(got.Activities, activitiesOf(want.Activities)) {
			t.Errorf("activities %+v", got.Activities)
		}
		mb, wb := got.MainBranch, want.Branches[0]
		if mb == nil || mb.Number != wb.Number || !mb.Main || !mb.Commercial || mb.FirstTradeName != wb.TradeNames[0] {
			t.Fatalf("main branch %+v", mb)
		}
		if *mb.FullTime != wb.FullTime || *mb.PartTime != wb.PartTime || *mb.Employees != wb.FullTime+wb.PartTime {
			t.Errorf("main branch staff %d/%d/%d", *mb.FullTime, *mb.PartTime, *mb.Employees)
		}
		if len(mb.Addresses) != 1 {
			t.Fatalf("main branch addresses %+v", mb.Addresses)
		}
		checkAddress(t, pop, mb.Addresses[0], wb.AddressID)
		if len(got.OwnerAddresses) != 1 || got.OwnerAddresses[0].Postcode != mb.Addresses[0].Postcode {
			t.Errorf("owner addresses %+v", got.OwnerAddresses)
		}
	})

	t.Run("sole proprietorship", func(t *testing.T) {
		want := companyWhere(t, pop, func(c *population.Company) bool { return c.LegalForm == population.SoleProprietorship })
		got, err := c.Company(ctx, want.KvKNumber)
		if err != nil {
			t.Fatal(err)
		}
		if got.LegalForm != "Eenmanszaak" || got.RSIN != "" || got.StatutoryName != "" || got.OwnerAddresses != nil {
			t.Errorf("%+v", got)
		}
	})

	t.Run("a company registered last month", func(t *testing.T) {
		got, err := c.Company(ctx, pop.Scenarios.NewCompany)
		if err != nil {
			t.Fatal(err)
		}
		reg, err := time.Parse("2006-01-02", got.RegistrationDate)
		if err != nil || refDate.Sub(reg) > 62*24*time.Hour || reg.After(refDate) {
			t.Errorf("registration date %q (%v)", got.RegistrationDate, err)
		}
	})

	t.Run("unknown", func(t *testing.T) {
		_, err := c.Company(ctx, "00000001")
		if !errors.Is(err, connectors.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})

	t.Run("batch", func(t *testing.T) {
		a := companyWhere(t, pop, multiBranchBV).KvKNumber
		b := companyWhere(t, pop, func(c *population.Company) bool {
			return c.KvKNumber != a && c.LegalForm == population.SoleProprietorship
		}).KvKNumber
		got, err := c.Companies(ctx, []string{a, b, "00000001", a})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[a].KvKNumber != a || got[b].KvKNumber != b {
			t.Errorf("Companies = %v", got)
		}
	})
}

func TestMockBranches(t *testing.T) {
	c, pop, _ := startMock(t)
	ctx := context.Background()
	want := companyWhere(t, pop, multiBranchBV)

	list, err := c.Branches(ctx, want.KvKNumber)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(want.Branches) {
		t.Fatalf("%d branches, want %d", len(list), len(want.Branches))
	}
	for i, s := range list {
		wb := want.Branches[i]
		if s.Number != wb.Number || s.Main != wb.Main || s.Commercial != wb.Commercial || s.Shielded || s.FirstTradeName != wb.TradeNames[0] || s.FullAddress == "" {
			t.Errorf("branch %d: %+v", i, s)
		}
	}

	side := want.Branches[1]
	b, err := c.Branch(ctx, side.Number)
	if err != nil {
		t.Fatal(err)
	}
	if b.Number != side.Number || b.KvKNumber != want.KvKNumber || b.RSIN != want.RSIN || b.Main ||
		b.RegistrationDate != side.RegistrationDate.ISO() || !slices.Equal(b.TradeNames, side.TradeNames) ||
		!slices.Equal(b.Activities, activitiesOf(side.Activities)) {
		t.Errorf("branch %+v", b)
	}
	checkAddress(t, pop, b.Addresses[0], side.AddressID)

	byNumber, err := c.BranchesByNumber(ctx, []string{side.Number, "000000000001"})
	if err != nil || len(byNumber) != 1 || byNumber[side.Number].Number != side.Number {
		t.Errorf("BranchesByNumber = %v, %v", byNumber, err)
	}
	if _, err := c.Branch(ctx, "000000000001"); !errors.Is(err, connectors.ErrNotFound) {
		t.Errorf("unknown branch: %v", err)
	}
}

func TestMockSearch(t *testing.T) {
	c, pop, _ := startMock(t)
	ctx := context.Background()
	want := companyWhere(t, pop, multiBranchBV)

	t.Run("by KvK number", func(t *testing.T) {
		p, err := c.Search(ctx, nhr.SearchQuery{KvKNumber: want.KvKNumber})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != len(want.Branches)+1 || p.Page != 1 || p.PerPage != 10 || p.HasNext {
			t.Fatalf("page %+v", p)
		}
		first, last := p.Results[0], p.Results[len(p.Results)-1]
		if first.Type != nhr.MainBranchResult || first.BranchNumber != want.Branches[0].Number || !first.Active || first.Address == nil {
			t.Errorf("first %+v", first)
		}
		if last.Type != nhr.LegalEntityResult || last.RSIN != want.RSIN || last.Name != want.Name {
			t.Errorf("last %+v", last)
		}
	})

	t.Run("by postcode and house number", func(t *testing.T) {
		a, _ := pop.Address(want.Branches[1].AddressID)
		p, err := c.Search(ctx, nhr.SearchQuery{Postcode: a.Postcode, HouseNumber: a.HouseNumber, Type: nhr.SideBranchResult})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(p.Results, func(r nhr.SearchResult) bool { return r.BranchNumber == want.Branches[1].Number }) {
			t.Errorf("branch not found at its address: %+v", p.Results)
		}
		for _, r := range p.Results {
			if r.Type != nhr.SideBranchResult || r.Address.Postcode != a.Postcode || r.Address.HouseNumber != a.HouseNumber {
				t.Errorf("result %+v", r)
			}
		}
	})

	t.Run("by name, page by page", func(t *testing.T) {
		word := population.NameWords(want.Name)[0]
		p1, err := c.Search(ctx, nhr.SearchQuery{Name: word, PerPage: 2})
		if err != nil {
			t.Fatal(err)
		}
		if p1.Total <= 2 || !p1.HasNext || len(p1.Results) != 2 {
			t.Fatalf("page 1 %+v", p1)
		}
		p2, err := c.Search(ctx, nhr.SearchQuery{Name: word, PerPage: 2, Page: 2})
		if err != nil {
			t.Fatal(err)
		}
		if p2.Page != 2 || p2.Total != p1.Total || (p2.Results[0].BranchNumber == p1.Results[0].BranchNumber && p2.Results[0].Type == p1.Results[0].Type) {
			t.Errorf("page 2 %+v", p2)
		}
	})

	t.Run("nothing found", func(t *testing.T) {
		p, err := c.Search(ctx, nhr.SearchQuery{Name: "xyzzyplugh"})
		if err != nil || p.Total != 0 || len(p.Results) != 0 {
			t.Errorf("Search = %+v, %v", p, err)
		}
	})
}

func TestMockFunctionaries(t *testing.T) {
	c, pop, _ := startMock(t)
	ctx := context.Background()
	vof := companyWhere(t, pop, func(c *population.Company) bool {
		return c.LegalForm == population.GeneralPartnership && len(c.Functionaries) == 2
	})

	fs, err := c.Functionaries(ctx, vof.KvKNumber)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 {
		t.Fatalf("functionaries %+v", fs)
	}
	for i, f := range fs {
		w := vof.Functionaries[i]
		if f.BSN != w.BSN || f.Role != "Vennoot" || f.Since != w.Since.ISO() {
			t.Errorf("functionary %d: %+v", i, f)
		}
	}

	roles, err := c.RolesOfPerson(ctx, vof.Functionaries[0].BSN)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(roles, func(r nhr.Role) bool { return r.KvKNumber == vof.KvKNumber })
	if i < 0 || roles[i].Name != vof.Name || roles[i].Role != "Vennoot" || roles[i].Since != vof.Functionaries[0].Since.ISO() {
		t.Errorf("roles %+v", roles)
	}
	if len(roles) != len(pop.CompaniesOf(vof.Functionaries[0].BSN)) {
		t.Errorf("%d roles, want one per company", len(roles))
	}

	var nobody string
	for _, p := range pop.Persons {
		if len(pop.CompaniesOf(p.BSN)) == 0 {
			nobody = p.BSN
			break
		}
	}
	if roles, err := c.RolesOfPerson(ctx, nobody); err != nil || len(roles) != 0 {
		t.Errorf("RolesOfPerson of a person without roles = %v, %v", roles, err)
	}
	if _, err := c.Functionaries(ctx, "00000001"); !errors.Is(err, connectors.ErrNotFound) {
		t.Errorf("unknown registration: %v", err)
	}
}

func TestMockShieldedAddress(t *testing.T) {
	var kvk string
	c, _, _ := startMock(t, func(pop *population.Population) {
		for i := range pop.Companies {
			co := &pop.Companies[i]
			owner, _ := pop.Person(co.Functionaries[0].BSN)
			if co.LegalForm == population.SoleProprietorship && owner.AddressID == co.Branches[0].AddressID {
				owner.Secret, kvk = true, co.KvKNumber
				return
			}
		}
	})
	got, err := c.Company(context.Background(), kvk)
	if err != nil {
		t.Fatal(err)
	}
	a := got.MainBranch.Addresses[0]
	if !a.Shielded || a.Place == "" || a.Postcode != "" || a.Street != "" || a.AddressID != "" || a.ObjectID != "" || a.Latitude != nil {
		t.Errorf("shielded address %+v", a)
	}
}

func TestMockCheck(t *testing.T) {
	c, _, root := startMock(t)
	if err := c.Check(context.Background()); err != nil {
		t.Errorf("Check = %v", err)
	}
	wrong, err := nhr.New(connectors.Config{BaseURL: root + "/kvk/api"})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	if err := wrong.Check(context.Background()); err == nil {
		t.Error("Check passed against a wrong base URL")
	}
}
