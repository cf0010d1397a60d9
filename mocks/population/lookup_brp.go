package population

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// BRPIndex holds the lookups the BRP mock needs to answer its searches
// without scanning the population: everyone ever registered at an address
// (the deceased keep their last address), persons by folded surname and
// birth date, by folded surname and municipality, addresses by street name
// and house number, and travel documents by number. It is built once and
// never changed afterwards, so it is safe for concurrent use.
type BRPIndex struct {
	p            *Population
	registeredAt map[string][]int // address id → persons, living and deceased
	surnames     []string         // distinct folded surnames, sorted
	surnameBirth map[string][]int // folded surname + "|" + birth date → persons
	surnameMuni  map[string][]int // folded surname + "|" + municipality code → persons
	streetNames  map[string][]string
	streetNumber map[string][]int // municipality + "|" + folded street name + "|" + number → addresses
	document     map[string]int   // travel document number → index
}

// NewBRPIndex builds the BRP lookups of the population.
func NewBRPIndex(p *Population) *BRPIndex {
	x := &BRPIndex{
		p:            p,
		registeredAt: make(map[string][]int),
		surnameBirth: make(map[string][]int, len(p.Persons)),
		surnameMuni:  make(map[string][]int),
		streetNames:  make(map[string][]string),
		streetNumber: make(map[string][]int, len(p.Addresses)),
		document:     make(map[string]int, len(p.TravelDocuments)),
	}
	// Few distinct names recur many times; fold each once.
	folded := map[string]string{}
	fold := func(name string) string {
		f, ok := folded[name]
		if !ok {
			f = FoldName(name)
			folded[name] = f
		}
		return f
	}
	seen := map[string]bool{}
	for i := range p.Persons {
		pe := &p.Persons[i]
		if pe.AddressID != "" {
			x.registeredAt[pe.AddressID] = append(x.registeredAt[pe.AddressID], i)
		}
		s := fold(pe.Surname)
		if !seen[s] {
			seen[s] = true
			x.surnames = append(x.surnames, s)
		}
		x.surnameBirth[s+"|"+string(pe.BirthDate)] = append(x.surnameBirth[s+"|"+string(pe.BirthDate)], i)
		if pe.MunicipalityCode != "" {
			k := s + "|" + pe.MunicipalityCode
			x.surnameMuni[k] = append(x.surnameMuni[k], i)
		}
	}
	slices.Sort(x.surnames)
	streetSeen := map[string]bool{}
	for i := range p.Addresses {
		a := &p.Addresses[i]
		st, ok := p.Street(a.StreetID)
		if !ok {
			continue
		}
		name := fold(st.Name)
		if k := a.MunicipalityCode + "|" + name; !streetSeen[k] {
			streetSeen[k] = true
			x.streetNames[a.MunicipalityCode] = append(x.streetNames[a.MunicipalityCode], name)
		}
		k := a.MunicipalityCode + "|" + name + "|" + strconv.Itoa(a.HouseNumber)
		x.streetNumber[k] = append(x.streetNumber[k], i)
	}
	for _, names := range x.streetNames {
		slices.Sort(names)
	}
	for i, d := range p.TravelDocuments {
		x.document[d.Number] = i
	}
	return x
}

// FoldName folds a name for searching as the BRP does: case-insensitive and
// without diacritics, so "oztürk" finds "Öztürk".
func FoldName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// matchFolded reports whether a folded name matches a folded search
// pattern: equal, or starting with the pattern's text when the pattern
// ends in the wildcard "*".
func matchFolded(name, pattern string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(name, prefix)
	}
	return name == pattern
}

// candidates returns the sorted names matching the folded pattern, using a
// binary search for the first name with the pattern's prefix.
func candidates(sorted []string, pattern string) []string {
	prefix, wild := strings.CutSuffix(pattern, "*")
	if !wild {
		if _, ok := slices.BinarySearch(sorted, prefix); ok {
			return []string{prefix}
		}
		return nil
	}
	i, _ := slices.BinarySearch(sorted, prefix)
	j := i
	for j < len(sorted) && strings.HasPrefix(sorted[j], prefix) {
		j++
	}
	return sorted[i:j]
}

// RegisteredAt returns the persons whose last registered address is the
// address, the deceased included, in population order.
func (x *BRPIndex) RegisteredAt(addressID string) []*Person {
	return pick(x.p.Persons, x.registeredAt[addressID])
}

// PersonsBySurnameAndBirth returns the persons born on the date whose
// surname matches the pattern: case- and diacritic-insensitive, and a
// trailing "*" matches any rest.
func (x *BRPIndex) PersonsBySurnameAndBirth(pattern string, birth Date) []*Person {
	var idx []int
	for _, s := range candidates(x.surnames, FoldName(pattern)) {
		idx = append(idx, x.surnameBirth[s+"|"+string(birth)]...)
	}
	slices.Sort(idx)
	return pick(x.p.Persons, idx)
}

// PersonsBySurnameInMunicipality returns the persons registered in the
// municipality whose surname matches the pattern (see
// PersonsBySurnameAndBirth).
func (x *BRPIndex) PersonsBySurnameInMunicipality(pattern, municipalityCode string) []*Person {
	var idx []int
	for _, s := range candidates(x.surnames, FoldName(pattern)) {
		idx = append(idx, x.surnameMuni[s+"|"+municipalityCode]...)
	}
	slices.Sort(idx)
	return pick(x.p.Persons, idx)
}

// AddressesOnStreet returns the addresses with the house number on the
// streets of the municipality whose name matches the pattern: case- and
// diacritic-insensitive, with a "*" wildcard at the start or the end.
func (x *BRPIndex) AddressesOnStreet(municipalityCode, pattern string, number int) []*Address {
	p := FoldName(pattern)
	var names []string
	switch {
	case strings.HasPrefix(p, "*"):
		suffix := p[1:]
		for _, n := range x.streetNames[municipalityCode] {
			if strings.HasSuffix(n, suffix) {
				names = append(names, n)
			}
		}
	default:
		names = candidates(x.streetNames[municipalityCode], p)
	}
	var idx []int
	for _, n := range names {
		idx = append(idx, x.streetNumber[municipalityCode+"|"+n+"|"+strconv.Itoa(number)]...)
	}
	slices.Sort(idx)
	return pick(x.p.Addresses, idx)
}

// MatchName reports whether a name matches a search pattern the way the
// BRP searches match names: case- and diacritic-insensitive, with a
// trailing "*" wildcard.
func MatchName(name, pattern string) bool {
	return matchFolded(FoldName(name), FoldName(pattern))
}

// TravelDocument returns the travel document with the number.
func (x *BRPIndex) TravelDocument(number string) (*TravelDocument, bool) {
	i, ok := x.document[number]
	if !ok {
		return nil, false
	}
	return &x.p.TravelDocuments[i], true
}
