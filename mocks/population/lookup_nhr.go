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
	p    *Population
	rsin map[string]int
	// byRank lists company indexes in KvK-number order; the lists below
	// hold ranks into it, ascending, so they intersect as plain integers.
	byRank  []int
	words   map[string][]int32 // name word → ranks
	places  map[string][]int32 // lower-case place name → ranks of companies with a branch there
	streets map[string][]int32 // lower-case street name → ranks of companies with a branch there
}

// NewNHRIndex builds the Handelsregister lookups of the population.
func NewNHRIndex(p *Population) *NHRIndex {
	x := &NHRIndex{
		p:       p,
		rsin:    make(map[string]int),
		byRank:  make([]int, len(p.Companies)),
		words:   make(map[string][]int32),
		places:  make(map[string][]int32),
		streets: make(map[string][]int32),
	}
	for i := range x.byRank {
		x.byRank[i] = i
	}
	// Sorting makes every list come out in KvK-number order, whatever
	// order an imported population has.
	slices.SortFunc(x.byRank, func(a, b int) int {
		return strings.Compare(p.Companies[a].KvKNumber, p.Companies[b].KvKNumber)
	})
	add := func(m map[string][]int32, key string, rank int32) {
		l := m[key]
		if key == "" || len(l) > 0 && l[len(l)-1] == rank {
			return
		}
		m[key] = append(l, rank)
	}
	for rank, ci := range x.byRank {
		c := &p.Companies[ci]
		r := int32(rank)
		if c.RSIN != "" {
			x.rsin[c.RSIN] = ci
		}
		names := append([]string{c.Name}, c.TradeNames...)
		for _, b := range c.Branches {
			names = append(names, b.TradeNames...)
		}
		for _, n := range names {
			for _, w := range NameWords(n) {
				add(x.words, w, r)
			}
		}
		for _, b := range c.Branches {
			a, ok := p.Address(b.AddressID)
			if !ok {
				continue
			}
			if s, ok := p.Street(a.StreetID); ok {
				add(x.streets, strings.ToLower(s.Name), r)
			}
			if pl, ok := p.Place(a.PlaceID); ok {
				add(x.places, strings.ToLower(pl.Name), r)
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

// CompanyByRSIN returns the legal entity with the RSIN.
func (x *NHRIndex) CompanyByRSIN(rsin string) (*Company, bool) {
	i, ok := x.rsin[rsin]
	if !ok {
		return nil, false
	}
	return &x.p.Companies[i], true
}

// CompaniesMatching returns, in KvK-number order, the companies that have
// every word (as NameWords splits it) in their name or trade names, and a
// branch in the place and a branch on the street when those are given
// (names compared case insensitively). A word is matched whole. With no
// criterion at all it returns nothing.
func (x *NHRIndex) CompaniesMatching(words []string, place, street string) []*Company {
	var lists [][]int32
	for _, w := range words {
		lists = append(lists, x.words[strings.ToLower(w)])
	}
	if place != "" {
		lists = append(lists, x.places[strings.ToLower(strings.TrimSpace(place))])
	}
	if street != "" {
		lists = append(lists, x.streets[strings.ToLower(strings.TrimSpace(street))])
	}
	if len(lists) == 0 {
		return nil
	}
	// Start from the shortest list and look its ranks up in the others, so
	// a common word such as "bv" costs a few binary searches, not a walk.
	slices.SortFunc(lists, func(a, b []int32) int { return len(a) - len(b) })
	ranks := lists[0]
	for _, l := range lists[1:] {
		var next []int32
		for _, r := range ranks {
			if _, found := slices.BinarySearch(l, r); found {
				next = append(next, r)
			}
		}
		ranks = next
	}
	out := make([]*Company, len(ranks))
	for i, r := range ranks {
		out[i] = &x.p.Companies[x.byRank[r]]
	}
	return out
}

// Inactive reports whether the company's registration has ended on or
// before the population's reference date.
func (x *NHRIndex) Inactive(c *Company) bool {
	return c.EndDate != "" && c.EndDate <= x.p.ReferenceDate
}
