package population

import (
	"fmt"
	"strings"
)

func (g *gen) adults(minAge, maxAge int) []int {
	var out []int
	for i := range g.p.Persons {
		p := &g.p.Persons[i]
		if !p.Alive() || p.AddressID == "" {
			continue
		}
		if a := g.age(p.BirthDate); a >= minAge && a <= maxAge {
			out = append(out, i)
		}
	}
	return out
}

func (g *gen) newKvK() string {
	g.kvkNext += 1 + g.rng.IntN(97)
	return fmt.Sprintf("%08d", g.kvkNext)
}

func (g *gen) newBranchNumber() string {
	g.branchSeq++
	return fmt.Sprintf("990%09d", int(g.p.Seed%1000)*100000+g.branchSeq*7)
}

func (g *gen) muniOf(code string) *muniState {
	for _, m := range g.munis {
		if m.seed.code == code {
			return m
		}
	}
	return g.munis[0]
}

// companies creates about one company for every eight persons, each owned
// or run by persons of the population.
func (g *gen) companies() error {
	owners := g.adults(23, 70)
	if len(owners) == 0 {
		return fmt.Errorf("no adults to own companies")
	}
	n := max(3, len(g.p.Persons)/8)
	for i := 0; i < n; i++ {
		owner := owners[g.rng.IntN(len(owners))]
		var form string
		switch r := g.rng.IntN(100); {
		case r < 58:
			form = SoleProprietorship
		case r < 88:
			form = PrivateCompany
		case r < 94:
			form = GeneralPartnership
		default:
			form = Foundation
		}
		oy, _, _ := g.p.Persons[owner].BirthDate.Parts()
		startYear := max(oy+22, g.ref.Year()-35) + g.rng.IntN(max(1, g.ref.Year()-max(oy+22, g.ref.Year()-35)))
		start := g.randomDay(min(startYear, g.ref.Year()))
		if _, err := g.company(owner, form, start, sbiTable[g.rng.IntN(len(sbiTable))]); err != nil {
			return err
		}
	}
	return nil
}

// company registers one company for the owner, with the activity as its
// main one, and returns its index.
func (g *gen) company(owner int, form string, start Date, act sbi) (int, error) {
	o := &g.p.Persons[owner]
	name := fmt.Sprintf("%s %s", act.trade, strings.TrimSpace(o.Prefix+" "+o.Surname))
	if o.Prefix != "" {
		name = fmt.Sprintf("%s %s %s", act.trade, strings.ToUpper(o.Prefix[:1])+o.Prefix[1:], o.Surname)
	}
	c := Company{
		KvKNumber:        g.newKvK(),
		LegalForm:        form,
		RegistrationDate: start,
		StartDate:        start,
		Activities:       []Activity{{Code: act.code, Description: act.desc, Main: true}},
	}
	if g.rng.IntN(4) == 0 {
		extra := sbiTable[g.rng.IntN(len(sbiTable))]
		if extra.code != act.code {
			c.Activities = append(c.Activities, Activity{Code: extra.code, Description: extra.desc})
		}
	}
	switch form {
	case SoleProprietorship:
		c.Name = name
		c.Functionaries = []Functionary{{BSN: o.BSN, Role: "Eigenaar", Since: start}}
	case PrivateCompany:
		c.Name = name + " B.V."
		c.Functionaries = []Functionary{{BSN: o.BSN, Role: "Bestuurder", Since: start}}
	case GeneralPartnership:
		c.Name = name + " V.O.F."
		c.Functionaries = []Functionary{{BSN: o.BSN, Role: "Vennoot", Since: start}}
		if o.Partner != nil && o.Partner.Ended == "" {
			c.Functionaries = append(c.Functionaries, Functionary{BSN: o.Partner.BSN, Role: "Vennoot", Since: start})
		}
	case Foundation:
		c.Name = "Stichting " + act.trade + " " + o.Surname
		c.Functionaries = []Functionary{{BSN: o.BSN, Role: "Bestuurder", Since: start}}
	}
	if form != SoleProprietorship && form != GeneralPartnership {
		rsin, err := g.rsins.next()
		if err != nil {
			return 0, err
		}
		c.RSIN = rsin
	}
	c.TradeNames = []string{c.Name}
	if g.rng.IntN(5) == 0 {
		c.TradeNames = append(c.TradeNames, act.trade+" "+g.p.Municipalities[g.rng.IntN(len(g.p.Municipalities))].Name)
	}
	if g.rng.IntN(2) == 0 {
		c.Website = "www." + strings.ToLower(strings.NewReplacer(" ", "", ".", "", "'", "").Replace(name)) + ".nl"
	}

	// The main branch: a sole proprietor often works from home.
	home, _ := g.addressIndex(o.AddressID)
	m := g.muniOf(g.p.Addresses[home].MunicipalityCode)
	mainAddr := home
	if form != SoleProprietorship || g.rng.IntN(10) < 4 {
		mainAddr = g.newAddress(m, premises, 0)
	}
	c.Branches = append(c.Branches, Branch{
		Number: g.newBranchNumber(), TradeNames: c.TradeNames, AddressID: g.p.Addresses[mainAddr].ID,
		Main: true, Commercial: form != Foundation, Activities: c.Activities, RegistrationDate: start,
	})
	if form == PrivateCompany || form == Foundation {
		for k := g.rng.IntN(4); k > 1; k-- {
			other := g.munis[g.rng.IntN(len(g.munis))]
			a := g.newAddress(other, premises, 0)
			c.Branches = append(c.Branches, Branch{
				Number: g.newBranchNumber(), TradeNames: []string{c.TradeNames[0]}, AddressID: g.p.Addresses[a].ID,
				Commercial: form != Foundation, Activities: c.Activities[:1], RegistrationDate: addDays(start, 200+g.rng.IntN(2000)),
			})
		}
		for i := range c.Branches {
			if before(DateOf(g.ref), c.Branches[i].RegistrationDate) {
				c.Branches[i].RegistrationDate = start
			}
		}
	}
	g.p.Companies = append(g.p.Companies, c)
	return len(g.p.Companies) - 1, nil
}

func (g *gen) addressIndex(id string) (int, bool) {
	i, ok := g.addressAt[id]
	return i, ok
}
