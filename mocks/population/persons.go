package population

import (
	"slices"
	"sort"
)

type clanOptions struct {
	rootBirthYear int
	// widowed: the root man died long ago; the root woman lives alone.
	widowed bool
	// recentDeath: the root man died in the last month; his widow lives on
	// at their address.
	recentDeath bool
	// minChildren is the fewest children the root couple has.
	minChildren int
}

// newPerson appends a person born as b says and returns its index; keep
// indexes, not pointers, as appending moves the slice.
func (g *gen) newPerson(gender string, birth Date, surname surnameSeed, b birthFacts) int {
	names := maleNames
	if gender == Female {
		names = femaleNames
	}
	first := g.rng.IntN(len(names))
	given := names[first]
	if g.rng.IntN(3) == 0 {
		// A second given name, never the first one again.
		given += " " + names[(first+1+g.rng.IntN(len(names)-1))%len(names)]
	}
	g.p.Persons = append(g.p.Persons, Person{
		BSN:            g.newBSN(),
		ANumber:        g.aNumbers.next(),
		GivenNames:     given,
		Prefix:         surname.prefix,
		Surname:        surname.name,
		Gender:         gender,
		BirthDate:      birth,
		BirthPlace:     b.place,
		BirthPlaceCode: b.placeCode,
		BirthCountry:   b.country,
		Nationalities:  b.nationalities,
		Secret:         g.rng.IntN(100) == 0,
		Curatele:       g.rng.IntN(400) == 0,
	})
	i := len(g.p.Persons) - 1
	g.personAt[g.p.Persons[i].BSN] = i
	return i
}

// birthFacts is where a person was born and the nationalities they hold.
type birthFacts struct {
	country, place, placeCode string
	nationalities             []string
}

// pickOrigin draws a clan's origin.
func (g *gen) pickOrigin() *origin {
	n := g.rng.IntN(1000)
	for i := range origins {
		if n < origins[i].perMille {
			return &origins[i]
		}
		n -= origins[i].perMille
	}
	return &origins[0]
}

// bornHere is a birth in a Dutch municipality, drawn by its number of
// inhabitants.
func (g *gen) bornHere(nationalities []string) birthFacts {
	n := g.rng.IntN(g.birthWeight)
	i := sort.SearchInts(g.birthCum, n+1)
	m := g.birthTowns[i]
	return birthFacts{country: landNederland, place: m.Name, placeCode: m.Number(), nationalities: nationalities}
}

// dutchOnly is the nationalities of most persons, shared: its capacity is
// its length, so an append never writes into it.
var dutchOnly = []string{nationaliteitNederlandse}[:1:1]

// bornIn is a birth in the origin's country, with its nationality and,
// for some, Dutch nationality acquired since.
func (g *gen) bornIn(o *origin) birthFacts {
	if o.country == landNederland {
		return g.bornHere(dutchOnly)
	}
	nats := []string{o.nationality}
	if g.rng.IntN(100) < o.naturalised {
		nats = []string{nationaliteitNederlandse, o.nationality}
	}
	return birthFacts{country: o.country, place: o.places[g.rng.IntN(len(o.places))], nationalities: nats}
}

// childOf is a birth here to the parents: Dutch when a parent is, and
// keeping a parent's other nationality always when no parent is Dutch and
// as often as that origin's children do otherwise.
func (g *gen) childOf(father, mother int) birthFacts {
	fa, mo := g.p.Persons[father].Nationalities, g.p.Persons[mother].Nationalities
	if len(fa) == 1 && len(mo) == 1 && fa[0] == nationaliteitNederlandse && mo[0] == nationaliteitNederlandse {
		return g.bornHere(dutchOnly)
	}
	dutch := slices.Contains(fa, nationaliteitNederlandse) || slices.Contains(mo, nationaliteitNederlandse)
	var nats []string
	if dutch {
		nats = append(nats, nationaliteitNederlandse)
	}
	for _, n := range append(slices.Clip(fa), mo...) {
		if n == nationaliteitNederlandse || slices.Contains(nats, n) {
			continue
		}
		if o := originOf(n); !dutch || (o != nil && g.rng.IntN(100) < o.kept) {
			nats = append(nats, n)
		}
	}
	return g.bornHere(nats)
}

func originOf(nationality string) *origin {
	for i := range origins {
		if origins[i].nationality == nationality {
			return &origins[i]
		}
	}
	return nil
}

func (g *gen) randomSurname() surnameSeed { return surnames[g.rng.IntN(len(surnames))] }

// settle registers the persons (by index) at a new dwelling.
func (g *gen) settle(m *muniState, since Date, people ...int) int {
	a := g.dwelling(m)
	g.moveIn(a, since, people...)
	return a
}

func (g *gen) moveIn(address int, since Date, people ...int) {
	ad := &g.p.Addresses[address]
	for _, i := range people {
		p := &g.p.Persons[i]
		p.AddressID = ad.ID
		p.MunicipalityCode = ad.MunicipalityCode
		s := since
		if before(s, p.BirthDate) {
			s = p.BirthDate
		}
		p.AddressSince = s
		if p.RegisteredSince == "" || before(s, p.RegisteredSince) {
			p.RegisteredSince = s
		}
	}
}

func (g *gen) marry(a, b int, since Date) {
	kind := "H"
	if g.rng.IntN(6) == 0 {
		kind = "P"
	}
	pa, pb := &g.p.Persons[a], &g.p.Persons[b]
	pa.Partner = &Partnership{BSN: pb.BSN, Kind: kind, Since: since}
	pb.Partner = &Partnership{BSN: pa.BSN, Kind: kind, Since: since}
}

func (g *gen) link(parent, child int) {
	pp, c := &g.p.Persons[parent], &g.p.Persons[child]
	pp.Children = append(pp.Children, c.BSN)
	c.Parents = append(c.Parents, pp.BSN)
}

// clan generates a family of up to three generations: a root couple, their
// children and grandchildren, each adult household at its own address.
func (g *gen) clan(o clanOptions) {
	m := g.pickMuni()
	from := g.pickOrigin()
	man := g.newPerson(Male, g.randomDay(o.rootBirthYear), g.randomSurname(), g.bornIn(from))
	womanYear := o.rootBirthYear + g.rng.IntN(7) - 3
	woman := g.newPerson(Female, g.randomDay(womanYear), g.randomSurname(), g.bornIn(from))
	wed := g.randomDay(o.rootBirthYear + 23 + g.rng.IntN(8))
	g.marry(man, woman, wed)
	home := g.settle(m, wed, man, woman)
	if o.widowed || o.recentDeath {
		// An older house, as care needs often meet an old dwelling.
		b, _ := g.buildingIndex(g.p.Addresses[home].BuildingIDs[0])
		g.p.Buildings[b].YearBuilt = 1925 + g.rng.IntN(30)
	}

	children := g.children(man, woman, wed, home, o.minChildren)

	switch {
	case o.widowed:
		g.die(man, g.daysAgo(365*(3+g.rng.IntN(8))))
	case o.recentDeath:
		g.die(man, g.daysAgo(3+g.rng.IntN(20)))
	case g.age(g.p.Persons[man].BirthDate) > 82 && g.rng.IntN(2) == 0:
		g.die(man, g.daysAgo(60+g.rng.IntN(3000)))
	}

	for _, c := range children {
		g.grownUp(c, 1)
	}
}

// children adds the children of a couple living at home, at least
// least of them.
func (g *gen) children(father, mother int, wed Date, home int, least int) []int {
	n := max(least, []int{0, 1, 1, 2, 2, 2, 2, 3, 3, 4}[g.rng.IntN(10)])
	wy, _, _ := wed.Parts()
	var out []int
	year := wy + 1 + g.rng.IntN(3)
	surname := surnameSeed{g.p.Persons[father].Prefix, g.p.Persons[father].Surname}
	for i := 0; i < n; i++ {
		if year > g.ref.Year() {
			break
		}
		gender := Male
		if g.rng.IntN(2) == 0 {
			gender = Female
		}
		birth := g.randomDay(year)
		if !before(birth, DateOf(g.ref)) {
			break
		}
		c := g.newPerson(gender, birth, surname, g.childOf(father, mother))
		g.link(father, c)
		g.link(mother, c)
		g.moveIn(home, birth, c)
		out = append(out, c)
		year += 1 + g.rng.IntN(4)
	}
	return out
}

// grownUp gives an adult child a household of their own: alone, or with a
// partner from outside the family and children of their own.
func (g *gen) grownUp(c int, generation int) {
	p := &g.p.Persons[c]
	age := g.age(p.BirthDate)
	if age < 18 || (age < 25 && g.rng.IntN(2) == 0) {
		return // still living at home
	}
	m := g.pickMuni()
	by, _, _ := p.BirthDate.Parts()
	movedOut := g.randomDay(by + 19 + g.rng.IntN(6))
	if age >= 24 && g.rng.IntN(10) < 7 {
		pg := Female
		if p.Gender == Female {
			pg = Male
		}
		partner := g.newPerson(pg, g.randomDay(by+g.rng.IntN(7)-3), g.randomSurname(), g.bornIn(g.pickOrigin()))
		wed := g.randomDay(by + 24 + g.rng.IntN(min(10, max(1, age-23))))
		home := g.settle(m, movedOut, c)
		g.moveIn(home, wed, partner)
		g.marry(c, partner, wed)
		father, mother := c, partner
		if g.p.Persons[c].Gender == Female {
			father, mother = partner, c
		}
		kids := g.children(father, mother, wed, home, 0)
		if generation < 2 {
			for _, k := range kids {
				g.grownUp(k, generation+1)
			}
		}
		return
	}
	g.settle(m, movedOut, c)
}

func (g *gen) die(i int, when Date) {
	p := &g.p.Persons[i]
	p.DeathDate = when
	if p.Partner != nil {
		p.Partner.Ended = when
		if q, ok := g.personByBSN(p.Partner.BSN); ok {
			if q.Partner != nil {
				q.Partner.Ended = when
			}
		}
	}
}

func (g *gen) personByBSN(bsn string) (*Person, bool) {
	i, ok := g.personAt[bsn]
	if !ok {
		return nil, false
	}
	return &g.p.Persons[i], true
}

func (g *gen) buildingIndex(id string) (int, bool) {
	i, ok := g.buildingAt[id]
	return i, ok
}
