package population

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/poort-nl/poort/internal/ident"
	"github.com/poort-nl/poort/internal/municipalities"
)

// TestRegistryRules checks a population of 100,000 against the rules the
// registries themselves hold their data to, so a generator change that
// breaks one shows here and not as a registry refusing a mock's value.
func TestRegistryRules(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 100,000 persons")
	}
	p := generate(t, 100_000)
	if len(p.Persons) < 100_000 {
		t.Fatalf("persons = %d", len(p.Persons))
	}
	today := p.ReferenceDate
	birth := map[string]Date{}
	for _, pe := range p.Persons {
		birth[pe.BSN] = pe.BirthDate
	}

	t.Run("BSNs and A-nummers are valid and unique", func(t *testing.T) {
		bsns, anrs := map[string]bool{}, map[string]bool{}
		for _, pe := range p.Persons {
			if _, err := ident.ParseBSN(pe.BSN); err != nil || bsns[pe.BSN] {
				t.Fatalf("BSN %s: %v, or used twice", pe.BSN, err)
			}
			if _, err := ident.ParseANumber(pe.ANumber); err != nil || anrs[pe.ANumber] {
				t.Fatalf("A-nummer %s: %v, or used twice", pe.ANumber, err)
			}
			bsns[pe.BSN], anrs[pe.ANumber] = true, true
		}
	})

	t.Run("loonheffingennummers are the employer's RSIN or fiscal number, L and two digits", func(t *testing.T) {
		employers := 0
		for _, c := range p.Companies {
			if c.PayrollTaxNumber == "" {
				continue
			}
			employers++
			if _, err := ident.ParsePayrollTaxNumber(c.PayrollTaxNumber); err != nil {
				t.Fatalf("company %s: %v", c.KvKNumber, err)
			}
			if c.RSIN != "" && c.PayrollTaxNumber[:9] != c.RSIN {
				t.Fatalf("company %s: loonheffingennummer %s is not built on its RSIN %s", c.KvKNumber, c.PayrollTaxNumber, c.RSIN)
			}
		}
		if employers < 1000 {
			t.Fatalf("only %d employers", employers)
		}
		for _, e := range p.Employments {
			if c, ok := p.Company(e.EmployerKvK); !ok || c.PayrollTaxNumber != e.PayrollTaxNumber {
				t.Fatalf("employment of %s: UWV's loonheffingennummer %s is not the employer's", e.BSN, e.PayrollTaxNumber)
			}
		}
	})

	t.Run("licence plates follow the series of their first registration", func(t *testing.T) {
		seen := map[string]bool{}
		series := map[int]int{}
		for _, v := range p.Vehicles {
			if seen[v.Plate] {
				t.Fatalf("plate %s issued twice", v.Plate)
			}
			seen[v.Plate] = true
			want := sidecodeIssuedOn(v.FirstRegistrationNL)
			if got := sidecodeOf(v.Plate); got != want {
				t.Fatalf("plate %s is sidecode %d, first registered %s when sidecode %d was issued", v.Plate, got, v.FirstRegistrationNL, want)
			}
			series[want]++
			letters := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return -1
				}
				return r
			}, v.Plate)
			if strings.Trim(letters, plateLetters) != "" {
				t.Fatalf("plate %s has a letter passenger cars do not get", v.Plate)
			}
			if !allowedLetters(v.Plate) {
				t.Fatalf("plate %s holds a forbidden letter group", v.Plate)
			}
			if want >= 11 && strings.ContainsAny(v.Plate[:1], "LT") {
				t.Fatalf("plate %s starts with L or T", v.Plate)
			}
		}
		if len(series) < 4 {
			t.Fatalf("plates of only %d series: %v", len(series), series)
		}
	})

	t.Run("vehicles are held from the holder's 18th birthday", func(t *testing.T) {
		for _, v := range p.Vehicles {
			if before(v.RegisteredSince, v.FirstRegistrationNL) || before(today, v.RegisteredSince) {
				t.Fatalf("vehicle %s: holder registered %s, first registration %s", v.Plate, v.RegisteredSince, v.FirstRegistrationNL)
			}
			if v.HolderBSN != "" && before(v.RegisteredSince, addYears(birth[v.HolderBSN], 18)) {
				t.Fatalf("vehicle %s: held from %s by a person born %s", v.Plate, v.RegisteredSince, birth[v.HolderBSN])
			}
		}
	})

	t.Run("driving-licence categories from their minimum age", func(t *testing.T) {
		for _, l := range p.DrivingLicences {
			for _, c := range l.Categories {
				minAge, ok := map[string]int{"AM": 16, "A1": 18, "A2": 20, "A": 24, "B": 18, "BE": 18, "C1": 18, "C": 21, "CE": 21, "D": 24, "T": 16}[c.Code]
				if !ok {
					t.Fatalf("licence %s: category %s has no minimum age", l.Number, c.Code)
				}
				if age := ageOn(birth[l.BSN], c.IssueDate); age < minAge {
					t.Fatalf("licence %s: category %s obtained at %d, minimum %d", l.Number, c.Code, age, minAge)
				}
				if before(l.IssueDate, c.IssueDate) || before(today, c.IssueDate) {
					t.Fatalf("licence %s issued %s: category %s obtained %s", l.Number, l.IssueDate, c.Code, c.IssueDate)
				}
			}
		}
	})

	t.Run("travel documents run five years for a minor and ten for an adult", func(t *testing.T) {
		number := regexp.MustCompile(`^[A-Z0-9]{9}$`)
		var minors, withdrawn, expired int
		for _, d := range p.TravelDocuments {
			if !number.MatchString(d.Number) {
				t.Fatalf("document number %q does not match ^[A-Z0-9]{9}$", d.Number)
			}
			b := birth[d.BSN]
			years := 10
			if ageOn(b, d.IssueDate) < 18 {
				years = 5
				minors++
			}
			if before(d.IssueDate, b) || d.ExpiryDate != addYears(d.IssueDate, years) {
				t.Fatalf("document %s of a person born %s: issued %s, expires %s, want %d years", d.Number, b, d.IssueDate, d.ExpiryDate, years)
			}
			if !d.Held() {
				withdrawn++
				if before(d.WithdrawnOn, d.IssueDate) || before(today, d.WithdrawnOn) {
					t.Fatalf("document %s issued %s withdrawn %s", d.Number, d.IssueDate, d.WithdrawnOn)
				}
			} else if !before(today, d.ExpiryDate) {
				expired++
			}
		}
		if minors == 0 || withdrawn == 0 || expired == 0 {
			t.Fatalf("documents of minors %d, withdrawn %d, expired and held %d: want some of each", minors, withdrawn, expired)
		}
	})

	t.Run("the BRK: owners who exist and agree with the BRP, BAG and Handelsregister", func(t *testing.T) {
		checkRealEstate(t, p)
	})

	t.Run("a realistic mix of nationalities", func(t *testing.T) {
		known := map[string]bool{}
		for _, o := range origins {
			known[o.nationality] = true
		}
		dutchOnly, kinds := 0, map[string]int{}
		for _, pe := range p.Persons {
			if len(pe.Nationalities) == 0 {
				t.Fatalf("person %s has no nationality", pe.BSN)
			}
			for _, n := range pe.Nationalities {
				if !known[n] {
					t.Fatalf("person %s: nationality %s", pe.BSN, n)
				}
				kinds[n]++
			}
			if slices.Equal(pe.Nationalities, []string{nationaliteitNederlandse}) {
				dutchOnly++
			}
		}
		if share := float64(dutchOnly) / float64(len(p.Persons)); share < 0.8 || share > 0.95 {
			t.Errorf("%.1f%% hold only Dutch nationality, want 80 to 95%%", 100*share)
		}
		if len(kinds) < 12 {
			t.Errorf("only %d nationalities: %v", len(kinds), kinds)
		}
	})

	t.Run("birthplaces: a Dutch municipality by its size, or a place abroad by name", func(t *testing.T) {
		towns, err := municipalities.Load()
		if err != nil {
			t.Fatal(err)
		}
		abroad := map[string][]string{}
		for _, o := range origins {
			abroad[o.country] = o.places
		}
		bornHere := map[string]int{}
		n := 0
		for _, pe := range p.Persons {
			if pe.BirthCountry == landNederland {
				name, ok := towns.Name(pe.BirthPlaceCode)
				if !ok || name != pe.BirthPlace {
					t.Fatalf("person %s born in the Netherlands at %q (%q)", pe.BSN, pe.BirthPlace, pe.BirthPlaceCode)
				}
				bornHere[pe.BirthPlaceCode]++
				n++
				continue
			}
			if pe.BirthPlaceCode != "" || !slices.Contains(abroad[pe.BirthCountry], pe.BirthPlace) {
				t.Fatalf("person %s born in country %s at %q (%q)", pe.BSN, pe.BirthCountry, pe.BirthPlace, pe.BirthPlaceCode)
			}
		}
		total := 0
		for _, m := range towns.All() {
			total += m.Population
		}
		// Each municipality's births lie within five standard deviations
		// of its share of inhabitants.
		for _, m := range towns.All() {
			want := float64(n) * float64(m.Population) / float64(total)
			if got := float64(bornHere[m.Number()]); math.Abs(got-want) > 5*math.Sqrt(want)+5 {
				t.Errorf("%s: %.0f born there, expected about %.0f", m.Name, got, want)
			}
		}
	})
}

// sidecodeIssuedOn is the RDW's passenger-car series in issue on a day,
// written out here apart from the generator's table so that a mistake in
// either shows.
func sidecodeIssuedOn(day Date) int {
	switch {
	case day >= "20240604":
		return 11 // XXX-99-X
	case day >= "20190819":
		return 10 // X-999-XX
	case day >= "20150330":
		return 9 // XX-999-X
	case day >= "20130305":
		return 8 // 9-XXX-99
	case day >= "20080519":
		return 7 // 99-XXX-9
	case day >= "20000120":
		return 6 // 99-XX-XX
	case day >= "19910903":
		return 5 // XX-XX-99
	}
	return 4 // XX-99-XX
}

func BenchmarkGenerate100k(b *testing.B) {
	for b.Loop() {
		if _, err := Generate(Config{Seed: 7, Size: 100_000, ReferenceDate: refDate}); err != nil {
			b.Fatal(err)
		}
	}
}
