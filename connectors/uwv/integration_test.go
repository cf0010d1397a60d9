package uwv_test

import (
	"context"
	"errors"
	"math"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/uwv"
	"github.com/poort-nl/poort/mocks/fault"
	mocksnhr "github.com/poort-nl/poort/mocks/nhr"
	"github.com/poort-nl/poort/mocks/population"
	mocksuwv "github.com/poort-nl/poort/mocks/uwv"
)

// The tests below speak SOAP over HTTP to the UWV mock over a generated
// population and check that real records map end to end.

var refDate = time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)

func generate(t *testing.T, size int) *population.Population {
	t.Helper()
	pop, err := population.Generate(population.Config{Seed: 11, Size: size, ReferenceDate: refDate})
	if err != nil {
		t.Fatal(err)
	}
	return pop
}

func againstMock(t *testing.T, pop *population.Population) *uwv.Client {
	t.Helper()
	srv := httptest.NewServer(mocksuwv.New(pop))
	t.Cleanup(srv.Close)
	c, err := uwv.New(connectors.Config{BaseURL: srv.URL + mocksuwv.BasePath})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func iso(d population.Date) string { return d.ISO() }

func TestMockEmploymentsOfJobLoss(t *testing.T) {
	pop := generate(t, 1000)
	c := againstMock(t, pop)
	bsn := pop.Scenarios.JobLoss
	stranger := "123456782"
	got, err := c.Employments(context.Background(), []string{bsn, stranger})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got[stranger]; ok {
		t.Fatal("a person UWV does not know is in the map")
	}
	emps, bens := pop.EmploymentsOf(bsn), pop.BenefitsOf(bsn)
	list := got[bsn]
	if len(list) != len(emps)+len(bens) {
		t.Fatalf("%d relations, want %d employments and %d benefits", len(list), len(emps), len(bens))
	}
	for i, e := range emps {
		g := list[i]
		co, _ := pop.Company(e.EmployerKvK)
		switch {
		case g.BSN != bsn || g.Sequence != e.Sequence:
			t.Errorf("relation %d: sequence %d", i, g.Sequence)
		case g.EmployerName != e.EmployerName || g.PayrollTaxNumber != e.PayrollTaxNumber || g.EmployerRSIN != co.RSIN:
			t.Errorf("relation %d: employer %q %q %q", i, g.EmployerName, g.PayrollTaxNumber, g.EmployerRSIN)
		case g.EmployerAddress == nil || g.EmployerAddress.Postcode == "" || g.EmployerAddress.HouseNumber == 0:
			t.Errorf("relation %d: employer's address %+v", i, g.EmployerAddress)
		case g.Start != iso(e.Start) || g.End != iso(e.End):
			t.Errorf("relation %d: %s–%s, want %s–%s", i, g.Start, g.End, iso(e.Start), iso(e.End))
		case g.IncomeKind.Code != "15" || g.IncomeKind.Description == "":
			t.Errorf("relation %d: income kind %+v", i, g.IncomeKind)
		case g.Relation != uwv.Code{Code: "01", Description: "arbeidsovereenkomst"}:
			t.Errorf("relation %d: relation %+v", i, g.Relation)
		case g.ContractType.Code != e.ContractType || g.ContractType.Description == "":
			t.Errorf("relation %d: contract %+v", i, g.ContractType)
		case g.HoursPerWeek == nil || *g.HoursPerWeek != e.HoursPerWeek:
			t.Errorf("relation %d: hours %v, want %v", i, g.HoursPerWeek, e.HoursPerWeek)
		}
	}
	ww := list[len(emps)]
	if ww.IncomeKind.Code != "33" || ww.EmployerName != "UWV" || ww.HoursPerWeek != nil || ww.Start != iso(bens[0].Start) {
		t.Errorf("benefit relation %+v", ww)
	}
}

func TestMockBenefitsOfJobLoss(t *testing.T) {
	pop := generate(t, 1000)
	c := againstMock(t, pop)
	bsn := pop.Scenarios.JobLoss
	// A worker without a benefit.
	worker := ""
	for _, e := range pop.Employments {
		if len(pop.BenefitsOf(e.BSN)) == 0 {
			worker = e.BSN
			break
		}
	}
	if worker == "" {
		t.Fatal("no employed person without a benefit in the population")
	}
	got, err := c.Benefits(context.Background(), []string{bsn, worker})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got[worker]; ok {
		t.Fatal("a person without benefit is in the map")
	}
	bens := pop.BenefitsOf(bsn)
	if len(got[bsn]) != len(bens) {
		t.Fatalf("%d benefits, want %d", len(got[bsn]), len(bens))
	}
	for i, b := range bens {
		g := got[bsn][i]
		want := uwv.Benefit{
			BSN: bsn, Law: "WW", FirstDayUnemployed: iso(b.FirstDayUnemployed), Start: iso(b.Start),
			MaxEnd: iso(b.MaxEnd), Reason: b.Reason, ApplicationDate: iso(b.ApplicationDate),
		}
		if g.HoursLost == nil || *g.HoursLost != b.HoursLost {
			t.Errorf("benefit %d: hours lost %v, want %v", i, g.HoursLost, b.HoursLost)
		}
		g.HoursLost = nil
		if g != want {
			t.Errorf("benefit %d:\n got %+v\nwant %+v", i, g, want)
		}
	}
}

// TestMockWholePopulation maps every record of a population, one call per
// person, and checks what the population fixes exactly.
func TestMockWholePopulation(t *testing.T) {
	pop := generate(t, 1200)
	c := againstMock(t, pop)
	var bsns []string
	for _, p := range pop.Persons {
		bsns = append(bsns, p.BSN)
	}
	emps, err := c.Employments(context.Background(), bsns)
	if err != nil {
		t.Fatal(err)
	}
	bens, err := c.Benefits(context.Background(), bsns)
	if err != nil {
		t.Fatal(err)
	}
	wages, hours := 0, 0
	for _, p := range pop.Persons {
		want := pop.EmploymentsOf(p.BSN)
		if len(emps[p.BSN]) != len(want)+len(pop.BenefitsOf(p.BSN)) {
			t.Fatalf("a person has %d relations, want %d", len(emps[p.BSN]), len(want)+len(pop.BenefitsOf(p.BSN)))
		}
		for i, e := range want {
			g := emps[p.BSN][i]
			if g.Start != iso(e.Start) || g.End != iso(e.End) || g.EmployerName != e.EmployerName {
				t.Errorf("relation %+v, want %+v", g, e)
			}
			// From a whole month the hours are exact; from a partial month
			// (a job started last month) whole hours over a few days are
			// only an estimate.
			if g.HoursPerWeek != nil {
				hours++
				exact := g.LatestMonthlyWage != nil
				if d := math.Abs(*g.HoursPerWeek - e.HoursPerWeek); (exact && d != 0) || d > 4 {
					t.Errorf("hours %v, want %v", *g.HoursPerWeek, e.HoursPerWeek)
				}
			}
			if g.LatestMonthlyWage != nil {
				wages++
				if g.LatestMonthlyWage.Cents != int64(e.MonthlyWageCents) || g.LatestMonthlyWage.Currency != "EUR" {
					t.Errorf("wage %+v, want %d cents", *g.LatestMonthlyWage, e.MonthlyWageCents)
				}
			}
		}
		if want := pop.BenefitsOf(p.BSN); len(bens[p.BSN]) != len(want) {
			t.Fatalf("a person has %d benefits, want %d", len(bens[p.BSN]), len(want))
		}
		for i, b := range pop.BenefitsOf(p.BSN) {
			g := bens[p.BSN][i]
			if g.FirstDayUnemployed != iso(b.FirstDayUnemployed) || g.ApplicationDate != iso(b.ApplicationDate) || g.Reason != b.Reason {
				t.Errorf("benefit matched to the wrong unemployment or application: %+v", g)
			}
			if b.MaxEnd < pop.ReferenceDate && g.End != iso(b.MaxEnd) {
				t.Errorf("benefit past its maximum duration ends %q", g.End)
			}
		}
	}
	if hours == 0 || wages == 0 {
		t.Fatalf("checked %d hours and %d wages", hours, wages)
	}
}

// TestMockEmployersFoundInHandelsregister finds the employer of every
// employment of a population in the Handelsregister the way the hub does,
// from what Suwinet gives (RSIN, or name and address), and checks it is the
// employer the population says: legal entities, sole proprietorships and
// partnerships alike.
func TestMockEmployersFoundInHandelsregister(t *testing.T) {
	pop := generate(t, 2000)
	c := againstMock(t, pop)
	kvkSrv := httptest.NewServer(mocksnhr.New(pop))
	defer kvkSrv.Close()
	kvk, err := nhr.New(connectors.Config{BaseURL: kvkSrv.URL + "/api"})
	if err != nil {
		t.Fatal(err)
	}
	defer kvk.Close()
	var bsns []string
	for _, e := range pop.Employments {
		bsns = append(bsns, e.BSN)
	}
	got, err := c.Employments(context.Background(), bsns)
	if err != nil {
		t.Fatal(err)
	}
	forms := map[string]int{}
	for _, e := range pop.Employments {
		g := got[e.BSN][e.Sequence-1]
		ref := nhr.Registrant{RSIN: g.EmployerRSIN, Name: g.EmployerName}
		if a := g.EmployerAddress; a != nil {
			ref.Postcode, ref.HouseNumber = a.Postcode, a.HouseNumber
		}
		found, err := nhr.FindKvKNumber(context.Background(), kvk.Search, ref)
		if err != nil {
			t.Fatal(err)
		}
		co, _ := pop.Company(e.EmployerKvK)
		if found != e.EmployerKvK {
			t.Errorf("employer %+v (%s) found as %q, want %s", ref, co.LegalForm, found, e.EmployerKvK)
		}
		forms[co.LegalForm]++
	}
	if forms[population.SoleProprietorship] == 0 || forms[population.PrivateCompany] == 0 {
		t.Fatalf("employments by the employer's legal form: %v; want sole proprietors and companies", forms)
	}
}

func TestMockCheck(t *testing.T) {
	c := againstMock(t, generate(t, 100))
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestMockBadBaseURL(t *testing.T) {
	pop := generate(t, 100)
	srv := httptest.NewServer(mocksuwv.New(pop))
	defer srv.Close()
	c, err := uwv.New(connectors.Config{BaseURL: srv.URL + "/suwibroker/rest"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Check(context.Background()); !errors.Is(err, connectors.ErrUnavailable) {
		t.Fatalf("Check against the wrong base path: %v", err)
	}
	if _, err := c.Employments(context.Background(), []string{pop.Scenarios.JobLoss}); !errors.Is(err, connectors.ErrUnavailable) {
		t.Fatalf("Employments against the wrong base path: %v", err)
	}
}

// TestMockFaults runs the mock behind the fault injector the mock harness
// uses and checks that each fault becomes its typed error.
func TestMockFaults(t *testing.T) {
	pop := generate(t, 100)
	tests := []struct {
		name string
		cfg  fault.Config
		kind error
	}{
		{"unavailable", fault.Config{Status: 503}, connectors.ErrUnavailable},
		{"malformed", fault.Config{Malformed: true}, connectors.ErrInvalidResponse},
		{"wrong content type", fault.Config{WrongContentType: true}, connectors.ErrInvalidResponse},
		{"hang", fault.Config{Hang: true}, connectors.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := fault.New(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(in.Wrap(mocksuwv.New(pop)))
			defer srv.Close()
			c, err := uwv.New(connectors.Config{BaseURL: srv.URL + mocksuwv.BasePath, Timeout: 300 * time.Millisecond, MaxRetries: -1})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_, err = c.Benefits(context.Background(), []string{pop.Scenarios.JobLoss})
			if !errors.Is(err, tt.kind) {
				t.Fatalf("error %v, want %v", err, tt.kind)
			}
			if strings.Contains(err.Error(), pop.Scenarios.JobLoss) {
				t.Fatalf("error %q discloses the BSN", err)
			}
		})
	}
}
