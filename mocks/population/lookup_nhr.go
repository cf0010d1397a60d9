package population

import (
	"slices"
	"strings"
	"unicode"
)

// NHRIndex holds the lookups the Handelsregister mock needs to search
// without scanning the population: companies by RSIN, by the words of their
// names, by place and by street of their branches. It is built once and
// never changed afterwards, so it is safe for concurrent use.
type NHRIndex struct {
	p       *Population
	rsin    map[string]int
	words   map[string][]int // name word → companies, in KvK-number order
	places  map[string][]int // lower-case place name → companies with a branch there
	streets map[string][]int // lower-case street name → companies with a branch there
}

// NewNHRIndex builds the Handelsregister lookups of the population.
func NewNHRIndex(p *Population) *NHRIndex {
	x := &NHRIndex{
		p:       p,
		rsin:    make(map[string]int),
		words:   make(map[string][]int),
		places:  make(map[string][]int),
		streets: make(map[string][]int),
	}
	// Companies are visited in KvK-number order so every list comes out
	// sorted, whatever order an imported population has.
	order := make([]int, len(p.Companies))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return strings.Compare(p.Companies[a].KvKNumber, p.Companies[b].KvKNumber)
	})
	add := func(m map[string][]int, key string, company int) {
		if key == "" {
			return
		}
		l := m[key]
		if len(l) > 0 && l[len(l)-1] == company {
			return
		}
		m[key] = append(l, company)
	}
	for _, ci := range order {
		c := &p.Companies[ci]
		if c.RSIN != "" {
			x.rsin[c.RSIN] = ci
		}
		words := map[string]bool{}
		for _, n := range append([]string{c.Name}, c.TradeNames...) {
			for _, w := range NameWords(n) {
				words[w] = true
			}
		}
		for _, b := range c.Branches {
			for _, n := range b.TradeNames {
				for _, w := range NameWords(n) {
					words[w] = true
				}
			}
		}
		for w := range words {
			x.words[w] = append(x.words[w], ci)
		}
		for _, b := range c.Branches {
			a, ok := p.Address(b.AddressID)
			if !ok {
				continue
			}
			if s, ok := p.Street(a.StreetID); ok {
				add(x.streets, strings.ToLower(s.Name), ci)
			}
			if pl, ok := p.Place(a.PlaceID); ok {
				add(x.places, strings.ToLower(pl.Name), ci)
			}
		}
	}
	return x
}

// NameWords splits a name into the lower-case words a name search matches:
// runs of letters and digits. "Bakkerij De Vries B.V." gives "bakkerij",
// "de", "vries", "b" and "v".
func NameWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

func (x *NHRIndex) companies(idx []int) []*Company { return pick(x.p.Companies, idx) }

// CompanyByRSIN returns the legal entity with the RSIN.
func (x *NHRIndex) CompanyByRSIN(rsin string) (*Company, bool) {
	i, ok := x.rsin[rsin]
	if !ok {
		return nil, false
	}
	return &x.p.Companies[i], true
}

// CompaniesWithWord returns the companies with the word (as NameWords
// splits it) in their name or one of their trade names, in KvK-number
// order.
func (x *NHRIndex) CompaniesWithWord(word string) []*Company {
	return x.companies(x.words[strings.ToLower(word)])
}

// CompaniesInPlace returns the companies with a branch in the place (a BAG
// woonplaats name, case insensitive), in KvK-number order.
func (x *NHRIndex) CompaniesInPlace(name string) []*Company {
	return x.companies(x.places[strings.ToLower(strings.TrimSpace(name))])
}

// CompaniesOnStreet returns the companies with a branch on a street of the
// name (case insensitive), in KvK-number order.
func (x *NHRIndex) CompaniesOnStreet(name string) []*Company {
	return x.companies(x.streets[strings.ToLower(strings.TrimSpace(name))])
}

// Inactive reports whether the company's registration has ended on or
// before the population's reference date.
func (x *NHRIndex) Inactive(c *Company) bool {
	return c.EndDate != "" && c.EndDate <= x.p.ReferenceDate
}
