package population

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/poort-nl/poort/internal/ident"
	"github.com/poort-nl/poort/internal/municipalities"
)

// Config says what to generate.
type Config struct {
	// Seed makes the population reproducible.
	Seed uint64
	// Size is the number of persons to generate, at least 50. Families are
	// generated whole, so the result may hold a few more.
	Size int
	// ReferenceDate is "today" for the population; the zero value means the
	// current day (UTC). Identities do not depend on it, dates do.
	ReferenceDate time.Time
}

// DefaultSize is the population size of the run command.
const DefaultSize = 1000

// MaxSize bounds a population to what the BSN test ranges can number.
const MaxSize = 250_000

type gen struct {
	rng *rand.Rand
	ref time.Time
	p   *Population

	bsns      *bsnPool
	rsins     *bsnPool
	aNumbers  *aNumberPool
	kvkNext   int
	branchSeq int
	docs      map[string]bool
	licSeq    int
	bagSeq    map[string]int // municipality code + type → next sequence

	// birthTowns are the Dutch municipalities people are born in, drawn
	// by birthCum, their running total of inhabitants.
	birthTowns  []municipalities.Municipality
	birthCum    []int
	birthWeight int

	personAt   map[string]int // BSN → index while generating
	buildingAt map[string]int
	addressAt  map[string]int
	jobSeq     map[string]int // BSN → last employment sequence
	residents  map[string][]int

	munis   []*muniState
	weights int
}

type muniState struct {
	seed        municipalitySeed
	streets     []int          // indexes into p.Streets
	nextNumber  map[int]int    // street → last house number
	pairsUsed   map[int]int    // postcode digits → letter pairs handed out
	blockPair   map[[2]int]int // street and block of 20 numbers → letter pair
	openFlat    map[int]flatState
	streetCount int
}

type flatState struct {
	building int // index into p.Buildings
	left     int
}

// Generate builds a population.
func Generate(cfg Config) (*Population, error) {
	if cfg.Size < 50 {
		return nil, fmt.Errorf("population size %d: at least 50 persons are needed for every scenario", cfg.Size)
	}
	if cfg.Size > MaxSize {
		return nil, fmt.Errorf("population size %d: at most %d persons fit the BSN test ranges", cfg.Size, MaxSize)
	}
	ref := cfg.ReferenceDate
	if ref.IsZero() {
		ref = time.Now().UTC()
	}
	ref = time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, time.UTC)
	// Generate as of a fixed day and shift every date afterwards: the
	// random choices then never depend on the day, so the same seed and
	// size give the same persons, numbers and relations on any day, while
	// "born three weeks ago" still holds.
	towns, err := municipalities.Load()
	if err != nil {
		return nil, fmt.Errorf("population: %w", err)
	}
	g := &gen{
		rng:    rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		ref:    generationDay,
		p:      &Population{Seed: cfg.Seed, Size: cfg.Size},
		docs:   map[string]bool{},
		bagSeq: map[string]int{},

		personAt:   map[string]int{},
		buildingAt: map[string]int{},
		addressAt:  map[string]int{},
		jobSeq:     map[string]int{},
	}
	g.bsns = newBSNPool(cfg.Seed, []string{"999", "998", "997"})
	g.rsins = newBSNPool(cfg.Seed+1, []string{"850", "851", "852"})
	g.aNumbers = newANumberPool(cfg.Seed)
	g.birthTowns = towns.All()
	for _, m := range g.birthTowns {
		g.birthWeight += m.Population
		g.birthCum = append(g.birthCum, g.birthWeight)
	}
	g.kvkNext = 80000000 + int(cfg.Seed%1000)*1000
	g.geography()
	g.p.Persons = make([]Person, 0, cfg.Size+32)

	// Two fixed families first, so the care and death scenarios exist in
	// every population, however small.
	g.clan(clanOptions{rootBirthYear: 1938, widowed: true, minChildren: 2})
	g.clan(clanOptions{rootBirthYear: 1950, recentDeath: true, minChildren: 2})
	g.clan(clanOptions{rootBirthYear: 1944, recentDeath: true, minChildren: 2})
	for len(g.p.Persons) < cfg.Size {
		g.clan(clanOptions{rootBirthYear: 1936 + g.rng.IntN(32)})
	}
	if err := g.companies(); err != nil {
		return nil, err
	}
	g.employments()
	g.vehicles()
	g.licences()
	g.travelDocuments()
	if err := g.scenarios(); err != nil {
		return nil, err
	}
	if err := g.realEstate(); err != nil {
		return nil, err
	}
	g.countEmployees()
	g.p.shiftDates(int(ref.Sub(generationDay).Hours() / 24))
	g.keepAgeRules()
	// Plates follow the series of the (shifted) first registration.
	g.p.assignPlates()
	g.p.ReferenceDate = DateOf(ref)
	g.p.Index()
	return g.p, nil
}

// generationDay is the fixed "today" the generator works from.
var generationDay = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// ---- identifiers ----

// bsnPool hands out nine-digit numbers passing the elfproef, walking each
// three-digit prefix block in a seed-dependent permuted order so numbers do
// not look sequential.
type bsnPool struct {
	prefixes []string
	block    int
	i        int
	offset   int
}

func newBSNPool(seed uint64, prefixes []string) *bsnPool {
	return &bsnPool{prefixes: prefixes, offset: int(seed % 100000)}
}

func (b *bsnPool) next() (string, error) {
	for b.block < len(b.prefixes) {
		for b.i < 100000 {
			// 7919 is coprime to 100000, so this visits every value once.
			j := (b.i*7919 + b.offset) % 100000
			b.i++
			prefix := fmt.Sprintf("%s%05d", b.prefixes[b.block], j)
			if d, ok := ident.BSNCheckDigit(prefix); ok {
				return prefix + string(d), nil
			}
		}
		b.block++
		b.i = 0
	}
	return "", errors.New("the BSN test ranges are exhausted")
}

func (g *gen) newBSN() string { return mustNext(g.bsns) }

// mustNext draws from a pool that MaxSize keeps well inside its ranges.
func mustNext(b *bsnPool) string {
	s, err := b.next()
	if err != nil {
		panic(err)
	}
	return s
}

// aNumberPool hands out A-nummers (see ident.ParseANumber): it walks the
// eight-digit prefixes in a seed-dependent permuted order and completes
// each with the two digits that satisfy the checks.
type aNumberPool struct{ i, offset int }

func newANumberPool(seed uint64) *aNumberPool {
	return &aNumberPool{offset: int(seed % aNumberPrefixes)}
}

// aNumberPrefixes is the number of eight-digit prefixes not starting with 0.
const aNumberPrefixes = 90_000_000

func (a *aNumberPool) next() string {
	for {
		// 7919 is coprime to 9·10⁷, so this visits every prefix once; a
		// prefix gives at most one number, so numbers never repeat.
		j := (a.i*7919 + a.offset) % aNumberPrefixes
		a.i++
		if n, ok := completeANumber(10_000_000 + j); ok {
			return n
		}
	}
}

// completeANumber finds the ninth and tenth digits that make the prefix a
// valid A-nummer. With digit sum S and weighted sum W (weights 1, 2, …,
// 128) of the prefix, the last digits a and b (weights 256 ≡ 3 and
// 512 ≡ 6 mod 11) need S+a+b ≡ r for r in {0, 5} and W+3a+6b ≡ 0, which
// gives a ≡ 4(W+6t) and b ≡ t−a with t = r−S, all mod 11.
func completeANumber(prefix int) (string, bool) {
	var d [10]int
	sum, weighted := 0, 0
	for i := 7; i >= 0; i-- {
		d[i] = prefix % 10
		prefix /= 10
	}
	for i := 0; i < 8; i++ {
		if i > 0 && d[i] == d[i-1] {
			return "", false
		}
		sum += d[i]
		weighted += d[i] << i
	}
	for _, r := range [2]int{0, 5} {
		t := ((r-sum)%11 + 11) % 11
		a := 4 * (weighted + 6*t) % 11
		b := ((t-a)%11 + 11) % 11
		if a > 9 || b > 9 || a == d[7] || b == a {
			continue
		}
		d[8], d[9] = a, b
		var out [10]byte
		for i, x := range d {
			out[i] = byte('0' + x)
		}
		return string(out[:]), true
	}
	return "", false
}

func (g *gen) bagID(muni, kind string) string {
	k := muni + kind
	g.bagSeq[k]++
	return fmt.Sprintf("%s%s%010d", muni, kind, g.bagSeq[k])
}

// ---- dates ----

func (g *gen) daysAgo(n int) Date      { return DateOf(g.ref.AddDate(0, 0, -n)) }
func (g *gen) daysAhead(n int) Date    { return DateOf(g.ref.AddDate(0, 0, n)) }
func (g *gen) randomDay(year int) Date { return g.dayIn(year, 1, 365) }

func (g *gen) dayIn(year, from, to int) Date {
	d := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, from-1+g.rng.IntN(to-from+1))
	if d.After(g.ref) {
		d = g.ref.AddDate(0, 0, -1-g.rng.IntN(30))
	}
	return DateOf(d)
}

// addYears moves a complete date by whole years; 29 February becomes
// 1 March in a year without it, as time.AddDate has it. It works on the
// digits, as the generator calls it for every person and document.
func addYears(d Date, years int) Date {
	y, m, day := d.Parts()
	if y == 0 || m == 0 || day == 0 {
		return d
	}
	y += years
	if m == 2 && day == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		m, day = 3, 1
	}
	var b [8]byte
	for i, v := range [...]int{y / 100, y % 100, m, day} {
		b[2*i], b[2*i+1] = byte('0'+v/10), byte('0'+v%10)
	}
	return Date(b[:])
}

func addDays(d Date, days int) Date {
	t, ok := d.Time()
	if !ok {
		return d
	}
	return DateOf(t.AddDate(0, 0, days))
}

func (g *gen) age(birth Date) int {
	t, ok := birth.Time()
	if !ok {
		y, _, _ := birth.Parts()
		return g.ref.Year() - y
	}
	a := g.ref.Year() - t.Year()
	if g.ref.YearDay() < t.YearDay() {
		a--
	}
	return a
}

func before(a, b Date) bool { return a < b } // yyyymmdd sorts as text

// daysBetween is the number of days from a to b; both must be complete.
func daysBetween(a, b Date) int {
	ta, _ := a.Time()
	tb, _ := b.Time()
	return int(tb.Sub(ta).Hours() / 24)
}

// ---- geography ----

func (g *gen) geography() {
	for _, s := range municipalitySeeds {
		g.p.Municipalities = append(g.p.Municipalities, Municipality{Code: s.code, Name: s.name})
		g.p.Places = append(g.p.Places, Place{ID: s.placeID, Name: s.placeName, MunicipalityCode: s.code})
		g.munis = append(g.munis, &muniState{seed: s, nextNumber: map[int]int{}, pairsUsed: map[int]int{}, blockPair: map[[2]int]int{}, openFlat: map[int]flatState{}})
		g.weights += s.weight
	}
}

func (g *gen) pickMuni() *muniState {
	n := g.rng.IntN(g.weights)
	for _, m := range g.munis {
		if n < m.seed.weight {
			return m
		}
		n -= m.seed.weight
	}
	return g.munis[0]
}

func (g *gen) newStreet(m *muniState) int {
	var name string
	for tries := 0; ; tries++ {
		stem := streetStems[g.rng.IntN(len(streetStems))]
		suffix := streetSuffixes[g.rng.IntN(len(streetSuffixes))]
		name = stem + suffix
		if strings.Contains(stem, " ") {
			name = stem + " " + strings.ToUpper(suffix[:1]) + suffix[1:]
		}
		if tries > 20 {
			name = fmt.Sprintf("%s %d", name, m.streetCount+1)
		}
		dup := false
		for _, si := range m.streets {
			if g.p.Streets[si].Name == name {
				dup = true
				break
			}
		}
		if !dup {
			break
		}
	}
	short := name
	if len(short) > 24 {
		short = short[:24]
	}
	digits := m.seed.pcFrom + g.rng.IntN(m.seed.pcTo-m.seed.pcFrom+1)
	g.p.Streets = append(g.p.Streets, Street{
		ID: g.bagID(m.seed.code, "30"), Name: name, ShortName: short, PlaceID: m.seed.placeID,
		PostcodeDigits: fmt.Sprintf("%04d", digits),
	})
	m.streetCount++
	idx := len(g.p.Streets) - 1
	m.streets = append(m.streets, idx)
	return idx
}

// postcodeLetters gives the n-th letter pair, skipping SA, SD and SS, which
// are not used in Dutch postcodes.
func postcodeLetters(n int) string {
	for i, k := 0, 0; ; i++ {
		a, b := byte('A'+(i/26)%26), byte('A'+i%26)
		if a == 'S' && (b == 'A' || b == 'D' || b == 'S') {
			continue
		}
		if k == n%650 {
			return string([]byte{a, b})
		}
		k++
	}
}

type dwellingKind int

const (
	house dwellingKind = iota
	flat
	premises
	// careUnit is a dwelling in a care home: lived in, and used for health
	// care.
	careUnit
)

// newAddress creates an address with its residential object and building in
// the municipality.
func (g *gen) newAddress(m *muniState, kind dwellingKind, yearBuilt int) int {
	// Streets hold up to 60 numbers; open a new one when the last is full.
	var si int
	if len(m.streets) == 0 || m.nextNumber[m.streets[len(m.streets)-1]] >= 60 || g.rng.IntN(8) == 0 {
		si = g.newStreet(m)
	} else {
		si = m.streets[len(m.streets)-1]
	}
	st := &g.p.Streets[si]
	m.nextNumber[si]++
	number := m.nextNumber[si]
	// A new letter pair for every block of 20 numbers on a street, so a
	// postcode and house number find exactly one address.
	block := [2]int{si, (number - 1) / 20}
	pair, ok := m.blockPair[block]
	if !ok {
		digits := st.PostcodeDigits
		pair = m.pairsUsed[atoi(digits)]
		m.pairsUsed[atoi(digits)]++
		m.blockPair[block] = pair
	}
	postcode := st.PostcodeDigits + postcodeLetters(pair)

	x := m.seed.x + float64(g.rng.IntN(6000)-3000)
	y := m.seed.y + float64(g.rng.IntN(6000)-3000)

	var building int
	switch kind {
	case flat:
		if f, ok := m.openFlat[si]; ok && f.left > 0 {
			building = f.building
			m.openFlat[si] = flatState{building: f.building, left: f.left - 1}
		} else {
			building = g.newBuilding(m, yearBuilt, x, y)
			m.openFlat[si] = flatState{building: building, left: 3 + g.rng.IntN(10)}
		}
	default:
		building = g.newBuilding(m, yearBuilt, x, y)
	}
	b := g.p.Buildings[building]

	uses := []string{"woonfunctie"}
	surface := 0
	switch kind {
	case house:
		surface = 80 + g.rng.IntN(120)
	case flat:
		surface = 35 + g.rng.IntN(80)
	case careUnit:
		uses = []string{"woonfunctie", "gezondheidszorgfunctie"}
		surface = 30 + g.rng.IntN(35)
	case premises:
		uses = [][]string{{"kantoorfunctie"}, {"winkelfunctie"}, {"industriefunctie"}, {"kantoorfunctie", "winkelfunctie"}}[g.rng.IntN(4)]
		surface = 60 + g.rng.IntN(900)
	}
	g.p.Addresses = append(g.p.Addresses, Address{
		ID:               g.bagID(m.seed.code, "20"),
		ObjectID:         g.bagID(m.seed.code, "01"),
		BuildingIDs:      []string{b.ID},
		StreetID:         st.ID,
		HouseNumber:      number,
		Postcode:         postcode,
		PlaceID:          m.seed.placeID,
		MunicipalityCode: m.seed.code,
		Surface:          surface,
		Uses:             uses,
		Status:           "Verblijfsobject in gebruik",
		X:                b.X + float64(g.rng.IntN(20)),
		Y:                b.Y + float64(g.rng.IntN(20)),
	})
	i := len(g.p.Addresses) - 1
	g.addressAt[g.p.Addresses[i].ID] = i
	return i
}

func (g *gen) newBuilding(m *muniState, yearBuilt int, x, y float64) int {
	if yearBuilt == 0 {
		yearBuilt = 1890 + g.rng.IntN(g.ref.Year()-1890)
	}
	g.p.Buildings = append(g.p.Buildings, Building{
		ID: g.bagID(m.seed.code, "10"), YearBuilt: yearBuilt, Status: "Pand in gebruik", X: x, Y: y,
	})
	i := len(g.p.Buildings) - 1
	g.buildingAt[g.p.Buildings[i].ID] = i
	return i
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func (g *gen) dwelling(m *muniState) int {
	if g.rng.IntN(10) < 6 {
		return g.newAddress(m, house, 0)
	}
	return g.newAddress(m, flat, 0)
}
