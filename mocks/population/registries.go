package population

import (
	"fmt"
	"slices"
	"strings"
)

// employments gives working-age persons a history in the polisadministratie
// at the population's companies, and a WW benefit to some who lost a job.
func (g *gen) employments() {
	var employers []int
	for i := range g.p.Companies {
		if g.p.Companies[i].LegalForm != SoleProprietorship || g.rng.IntN(5) == 0 {
			employers = append(employers, i)
		}
	}
	if len(employers) == 0 {
		return
	}
	owners := map[string]bool{}
	for _, c := range g.p.Companies {
		for _, f := range c.Functionaries {
			owners[f.BSN] = true
		}
	}
	for _, pi := range g.adults(18, 66) {
		p := &g.p.Persons[pi]
		if owners[p.BSN] {
			continue
		}
		if g.rng.IntN(100) >= 78 {
			continue
		}
		age := g.age(p.BirthDate)
		by, _, _ := p.BirthDate.Parts()
		jobs := 1 + g.rng.IntN(3)
		if age < 25 {
			jobs = 1
		}
		start := g.randomDay(by + 18 + g.rng.IntN(max(1, min(age-18, 8))))
		// A few lose their last job in the past half year.
		lost := g.rng.IntN(100) < 4
		for j := 0; j < jobs; j++ {
			last := j == jobs-1
			ci := employers[g.rng.IntN(len(employers))]
			if before(DateOf(g.ref), start) {
				break
			}
			if before(start, g.p.Companies[ci].StartDate) {
				start = g.p.Companies[ci].StartDate
			}
			e := g.employment(pi, ci, start)
			switch {
			case !last:
				span := 365 + g.rng.IntN(365*6)
				end := addDays(start, span)
				if !before(end, g.daysAgo(400)) {
					end = g.daysAgo(400 + g.rng.IntN(300))
				}
				if !before(start, end) {
					g.p.Employments = g.p.Employments[:len(g.p.Employments)-1]
					g.jobSeq[g.p.Persons[pi].BSN]--
					j = jobs
					continue
				}
				e.End, e.EndReason = end, []string{"20", "30", "04"}[g.rng.IntN(3)]
				start = addDays(end, 1+g.rng.IntN(60))
			case lost:
				g.loseJob(len(g.p.Employments)-1, g.daysAgo(15+g.rng.IntN(160)))
			}
		}
	}
}

func (g *gen) employment(person, company int, start Date) *Employment {
	c := &g.p.Companies[company]
	if c.PayrollTaxNumber == "" {
		// A loonheffingennummer is the employer's RSIN, or for a company
		// without one (an eenmanszaak, a vennootschap onder firma) its
		// fiscal number, followed by L and a sequence number.
		base := c.RSIN
		if base == "" {
			base = mustNext(g.rsins)
		}
		c.PayrollTaxNumber = base + "L01"
	}
	bsn := g.p.Persons[person].BSN
	g.jobSeq[bsn]++
	seq := g.jobSeq[bsn]
	contract := "O"
	if g.rng.IntN(4) == 0 {
		contract = "B"
	}
	hours := []float64{16, 24, 28, 32, 36, 38, 40}[g.rng.IntN(7)]
	g.p.Employments = append(g.p.Employments, Employment{
		BSN: bsn, Sequence: seq, EmployerKvK: c.KvKNumber,
		PayrollTaxNumber: c.PayrollTaxNumber, EmployerName: c.Name, Start: start,
		IncomeKind: "15", Relation: "01", ContractType: contract, HoursPerWeek: hours,
		MonthlyWageCents: (2200 + g.rng.IntN(3800)) * 100 * int(hours) / 38,
	})
	return &g.p.Employments[len(g.p.Employments)-1]
}

// loseJob ends an employment on the date and opens a WW benefit.
func (g *gen) loseJob(ei int, end Date) {
	e := &g.p.Employments[ei]
	if !before(e.Start, end) {
		end = addDays(e.Start, 30)
	}
	e.End = end
	e.EndReason = []string{"06", "30", "03"}[g.rng.IntN(3)]
	first := addDays(end, 1)
	// WW lasts three months plus a month per year worked, at most 24.
	sy, _, _ := e.Start.Parts()
	ey, _, _ := end.Parts()
	months := min(24, 3+max(0, ey-sy))
	ft, _ := first.Time()
	g.p.Benefits = append(g.p.Benefits, Benefit{
		BSN: e.BSN, Law: "WW", IncomeKind: "33", FirstDayUnemployed: first,
		ApplicationDate: addDays(end, -g.rng.IntN(10)), Start: first,
		MaxEnd: DateOf(ft.AddDate(0, months, -1)), HoursLost: e.HoursPerWeek,
		Reason:             map[string]string{"06": "Bedrijfseconomische redenen", "30": "Einde contract bepaalde tijd", "03": "Ontbinding door de rechter"}[e.EndReason],
		EmploymentSequence: e.Sequence, DailyAmountCents: e.MonthlyWageCents * 12 / 261 * 70 / 100,
	})
}

// countEmployees sets the branches' working persons from the current
// employments, so the Handelsregister agrees with the polisadministratie.
// Generate calls it once, after the last employment and company exist.
func (g *gen) countEmployees() {
	current := map[string][2]int{}
	for _, e := range g.p.Employments {
		if e.End != "" {
			continue
		}
		n := current[e.EmployerKvK]
		if e.HoursPerWeek >= 32 {
			n[0]++
		} else {
			n[1]++
		}
		current[e.EmployerKvK] = n
	}
	for i := range g.p.Companies {
		c := &g.p.Companies[i]
		n := current[c.KvKNumber]
		// Spread staff over branches, the main branch taking the rest.
		for b := len(c.Branches) - 1; b >= 1; b-- {
			ft, pt := n[0]/(b+1), n[1]/(b+1)
			c.Branches[b].FullTime, c.Branches[b].PartTime = ft, pt
			n[0] -= ft
			n[1] -= pt
		}
		// Working owners count as working persons at the main branch.
		c.Branches[0].FullTime = len(c.Functionaries) + n[0]
		c.Branches[0].PartTime = n[1]
	}
}

func (g *gen) vehicle(m vehicleModel, bsn, kvk string, notBefore Date) {
	today := DateOf(g.ref)
	year := g.ref.Year() - g.rng.IntN(16)
	first := g.randomDay(year)
	// The holder's name goes on the vehicle at its first registration or
	// later, and never before notBefore (a person's 18th birthday, a
	// company's start).
	registered := first
	if g.rng.IntN(2) == 0 {
		registered = addDays(first, g.rng.IntN(max(1, daysBetween(first, today))))
	}
	if before(registered, notBefore) {
		registered = notBefore
	}
	if before(today, registered) {
		registered = today
	}
	// APK is due four years after first admission, then yearly.
	apk := addYears(first, 4)
	for before(apk, today) {
		apk = addYears(apk, 1)
	}
	if g.rng.IntN(25) == 0 {
		apk = g.daysAgo(1 + g.rng.IntN(90)) // lapsed
	}
	// The plate comes with the series of the first registration once the
	// dates are final (assignPlates).
	g.p.Vehicles = append(g.p.Vehicles, Vehicle{
		Kind: m.kind, Make: m.make, TradeName: m.tradeName,
		Colour: colours[g.rng.IntN(len(colours))], Fuel: m.fuel, Body: m.body, Seats: m.seats,
		Doors: m.doors, EmptyMass: m.mass, CatalogPrice: m.price, FirstAdmission: first,
		FirstRegistrationNL: first, RegisteredSince: registered, APKExpiry: apk,
		Insured: g.rng.IntN(50) != 0, HolderBSN: bsn, HolderKvK: kvk,
	})
}

// vehicles gives cars and motorcycles to adults and vans to companies.
func (g *gen) vehicles() {
	for _, pi := range g.adults(18, 95) {
		p := &g.p.Persons[pi]
		eighteen := addYears(p.BirthDate, 18)
		if g.rng.IntN(100) < 45 {
			g.vehicle(personCars[g.rng.IntN(len(personCars))], p.BSN, "", eighteen)
			if g.rng.IntN(100) < 12 {
				g.vehicle(personCars[g.rng.IntN(len(personCars))], p.BSN, "", eighteen)
			}
		}
		if g.rng.IntN(100) < 5 {
			g.vehicle(motorcycles[g.rng.IntN(len(motorcycles))], p.BSN, "", eighteen)
		}
	}
	for i := range g.p.Companies {
		c := &g.p.Companies[i]
		if c.LegalForm == Foundation || g.rng.IntN(100) >= 40 {
			continue
		}
		for k := 1 + g.rng.IntN(4); k > 0; k-- {
			g.vehicle(companyVehicles[g.rng.IntN(len(companyVehicles))], "", c.KvKNumber, c.StartDate)
		}
	}
}

// licences gives most adults a driving licence, renewed every ten years.
func (g *gen) licences() {
	for _, pi := range g.adults(18, 99) {
		p := &g.p.Persons[pi]
		age := g.age(p.BirthDate)
		chance := 78
		if age >= 75 {
			chance = 50
		}
		if g.rng.IntN(100) >= chance {
			continue
		}
		g.licence(pi, false)
	}
}

// licenceMinimumAge is the age from which Dutch licence law lets a person
// obtain each category: AM at 16, B and BE at 18, C at 21 and A, by direct
// access, at 24.
var licenceMinimumAge = map[string]int{"AM": 16, "B": 18, "BE": 18, "C": 21, "A": 24}

func (g *gen) licence(pi int, valid bool) {
	p := &g.p.Persons[pi]
	today := DateOf(g.ref)
	firstB := addDays(addYears(p.BirthDate, 18), g.rng.IntN(365*3))
	if before(today, firstB) {
		firstB = today
	}
	cats := []LicenceCategory{{Code: "AM", IssueDate: firstB}, {Code: "B", IssueDate: firstB}}
	// Further categories some years after B, never before their minimum
	// age and only once obtained.
	further := func(code string, yearsAfterB int) {
		d := addYears(firstB, yearsAfterB)
		if from := addYears(p.BirthDate, licenceMinimumAge[code]); before(d, from) {
			d = from
		}
		if !before(today, d) {
			cats = append(cats, LicenceCategory{Code: code, IssueDate: d})
		}
	}
	if g.rng.IntN(8) == 0 {
		further("A", 2+g.rng.IntN(10))
	}
	if g.rng.IntN(10) == 0 {
		further("BE", 3)
	}
	if g.rng.IntN(25) == 0 {
		further("C", 4)
	}
	// The current document: issued within the last ten years, and not
	// before its last category.
	issue := g.daysAgo(g.rng.IntN(365 * 10))
	for _, c := range cats {
		if before(issue, c.IssueDate) {
			issue = c.IssueDate
		}
	}
	validYears := 10
	if ageOn(p.BirthDate, issue) >= 75 {
		validYears = 5
	}
	expiry := addYears(issue, validYears)
	if lapsed := g.daysAgo(1 + g.rng.IntN(200)); !valid && g.rng.IntN(40) == 0 && !before(addYears(lapsed, -validYears), issue) {
		// Not renewed: the document ran out some months ago.
		expiry = lapsed
		issue = addYears(lapsed, -validYears)
	}
	for i := range cats {
		cats[i].ExpiryDate = expiry
		if cats[i].Code == "C" {
			cats[i].ExpiryDate = min(expiry, addYears(issue, 5))
		}
	}
	g.licSeq++
	g.p.DrivingLicences = append(g.p.DrivingLicences, DrivingLicence{
		Number: fmt.Sprintf("49%08d", int(g.p.Seed%100)*1000000+g.licSeq), BSN: p.BSN,
		IssueDate: issue, ExpiryDate: expiry, Authority: p.MunicipalityCode, Categories: cats,
	})
}

// keepAgeRules restores, after the dates moved to the reference date, the
// rules that count in calendar years from a birth or an issue: the dates
// all moved by the same number of days, which moves "ten years later" by a
// day where a 29 February falls differently. Vehicles are held from their
// holder's 18th birthday, licence categories from their minimum age and a
// licence is issued after its categories; travel documents run five or ten
// years.
func (g *gen) keepAgeRules() {
	birth := func(bsn string) Date { return g.p.Persons[g.personAt[bsn]].BirthDate }
	for i := range g.p.Vehicles {
		v := &g.p.Vehicles[i]
		if v.HolderBSN == "" {
			continue
		}
		if adult := addYears(birth(v.HolderBSN), 18); before(v.RegisteredSince, adult) {
			v.RegisteredSince = adult
		}
	}
	for i := range g.p.DrivingLicences {
		l := &g.p.DrivingLicences[i]
		b := birth(l.BSN)
		for j := range l.Categories {
			c := &l.Categories[j]
			if from := addYears(b, licenceMinimumAge[c.Code]); before(c.IssueDate, from) {
				c.IssueDate = from
			}
			if before(l.IssueDate, c.IssueDate) {
				l.IssueDate = c.IssueDate
			}
		}
	}
	for i := range g.p.TravelDocuments {
		d := &g.p.TravelDocuments[i]
		d.ExpiryDate = addYears(d.IssueDate, travelDocumentYears(birth(d.BSN), d.IssueDate))
	}
}

// ageOn is the age in whole years on the day.
func ageOn(birth, day Date) int {
	by, bm, bd := birth.Parts()
	y, m, d := day.Parts()
	a := y - by
	if m < bm || (m == bm && d < bd) {
		a--
	}
	return a
}

const docLetters = "ABCDEFGHIJKLMNPRSTUVWXYZ" // no O: it reads as zero

func (g *gen) newDocNumber() string {
	for {
		b := make([]byte, 9)
		b[0], b[1] = docLetters[g.rng.IntN(len(docLetters))], docLetters[g.rng.IntN(len(docLetters))]
		for i := 2; i < 8; i++ {
			if g.rng.IntN(2) == 0 {
				b[i] = docLetters[g.rng.IntN(len(docLetters))]
			} else {
				b[i] = byte('0' + g.rng.IntN(10))
			}
		}
		b[8] = byte('0' + g.rng.IntN(10))
		if s := string(b); !g.docs[s] {
			g.docs[s] = true
			return s
		}
	}
}

// travelDocuments gives most living persons a passport and some an
// identity card, issued up to twelve years ago, so some have run out. A
// few documents were handed in, lapsed or reported lost since, and most of
// those were replaced.
func (g *gen) travelDocuments() {
	today := DateOf(g.ref)
	for i := range g.p.Persons {
		p := &g.p.Persons[i]
		if !p.Alive() || p.AddressID == "" {
			continue
		}
		for _, kc := range [...]struct {
			kind   string
			chance int // per cent
		}{{Passport, 72}, {IDCard, 35}} {
			kind := kc.kind
			if g.rng.IntN(100) >= kc.chance {
				continue
			}
			issue := g.daysAgo(g.rng.IntN(365 * 12))
			if before(issue, p.BirthDate) {
				issue = p.BirthDate
			}
			d := g.travelDocument(i, kind, issue)
			if g.rng.IntN(100) >= 3 {
				continue
			}
			last := min(g.p.TravelDocuments[d].ExpiryDate, today)
			if !before(issue, last) {
				continue
			}
			on := addDays(issue, g.rng.IntN(daysBetween(issue, last)))
			why := ReportedLost
			switch r := g.rng.IntN(20); {
			case r < 11:
				why = Surrendered
			case r < 12:
				why = LapsedByLaw
			}
			g.p.TravelDocuments[d].Withdrawal, g.p.TravelDocuments[d].WithdrawnOn = why, on
			if replaced := addDays(on, 1+g.rng.IntN(30)); why != LapsedByLaw && g.rng.IntN(10) < 7 && !before(today, replaced) {
				g.travelDocument(i, kind, replaced)
			}
		}
	}
}

// travelDocument issues a document on the day and returns its index. It
// is valid ten years, or five when its holder is a minor on that day.
func (g *gen) travelDocument(pi int, kind string, issue Date) int {
	p := &g.p.Persons[pi]
	g.p.TravelDocuments = append(g.p.TravelDocuments, TravelDocument{
		Number: g.newDocNumber(), BSN: p.BSN, Kind: kind, IssueDate: issue,
		ExpiryDate: addYears(issue, travelDocumentYears(p.BirthDate, issue)), Authority: p.MunicipalityCode,
	})
	return len(g.p.TravelDocuments) - 1
}

// travelDocumentYears is how long a passport or identity card issued on
// the day stays valid: five years for a minor, ten for an adult.
func travelDocumentYears(birth, issue Date) int {
	if ageOn(birth, issue) < 18 {
		return 5
	}
	return 10
}

// birth registers a child born on the day to the mother and, unless
// father is negative, the father, at the mother's address; it returns the
// child's BSN.
func (g *gen) birth(mother, father int, born Date) string {
	surname := surnameSeed{g.p.Persons[mother].Prefix, g.p.Persons[mother].Surname}
	origin := g.childOf(mother, mother)
	if father >= 0 {
		surname = surnameSeed{g.p.Persons[father].Prefix, g.p.Persons[father].Surname}
		origin = g.childOf(father, mother)
	}
	gender := Female
	if g.rng.IntN(2) == 0 {
		gender = Male
	}
	c := g.newPerson(gender, born, surname, origin)
	if father >= 0 {
		g.link(father, c)
	}
	g.link(mother, c)
	home, _ := g.addressIndex(g.p.Persons[mother].AddressID)
	g.moveIn(home, born, c)
	g.residents[g.p.Persons[mother].AddressID] = append(g.residents[g.p.Persons[mother].AddressID], c)
	g.p.Persons[c].Secret = false
	return g.p.Persons[c].BSN
}

// loseJobs ends, newest first, an employment of a person living with at
// least household persons, with a WW benefit, and one of a person with no
// other job, without; each once.
func (g *gen) loseJobs(s *Scenarios, household int) {
	for i := len(g.p.Employments) - 1; i >= 0; i-- {
		e := &g.p.Employments[i]
		if e.End != "" || !before(e.Start, g.daysAgo(400)) {
			continue
		}
		p, ok := g.personByBSN(e.BSN)
		if !ok || g.age(p.BirthDate) > 60 || p.BSN == s.Household || p.BSN == s.JobLoss {
			continue
		}
		switch {
		case s.JobLoss == "" && len(g.residents[p.AddressID]) >= household:
			g.loseJob(i, g.daysAgo(10+g.rng.IntN(40)))
			s.JobLoss = e.BSN
		case s.JobEnded == "" && len(g.jobsOf(p.BSN)) == 1:
			e.End = g.daysAgo(5 + g.rng.IntN(20))
			e.EndReason = "30"
			s.JobEnded = e.BSN
		}
		if s.JobLoss != "" && s.JobEnded != "" {
			return
		}
	}
}

// jobsOf returns the indexes of a person's employments.
func (g *gen) jobsOf(bsn string) []int {
	var out []int
	for i := range g.p.Employments {
		if g.p.Employments[i].BSN == bsn {
			out = append(out, i)
		}
	}
	return out
}

// livingChildren returns the living children of a person.
func (g *gen) livingChildren(p *Person) []string {
	var out []string
	for _, c := range p.Children {
		if q, ok := g.personByBSN(c); ok && q.Alive() {
			out = append(out, c)
		}
	}
	return out
}

// moveIntoCare moves a person living alone into a new unit of a care
// home in their municipality on the day.
func (g *gen) moveIntoCare(i int, on Date) {
	p := &g.p.Persons[i]
	old := p.AddressID
	a := g.newAddress(g.muniOf(p.MunicipalityCode), careUnit, 1975+g.rng.IntN(40))
	g.moveIn(a, on, i)
	g.residents[old] = slices.DeleteFunc(g.residents[old], func(r int) bool { return r == i })
	g.residents[p.AddressID] = append(g.residents[p.AddressID], i)
}

// companyDoing registers a company for the owner, as company does, with
// the SBI activity of the code as its only one.
func (g *gen) companyDoing(owner int, form string, start Date, code string) (int, error) {
	i := slices.IndexFunc(sbiTable, func(a sbi) bool { return a.code == code })
	ci, err := g.company(owner, form, start, sbiTable[i])
	if err != nil {
		return 0, err
	}
	c := &g.p.Companies[ci]
	c.Activities = c.Activities[:1]
	for j := range c.Branches {
		c.Branches[j].Activities = c.Activities
	}
	return ci, nil
}

// scenarios makes sure the subjects the life-event tests rely on exist and
// records them.
func (g *gen) scenarios() error {
	s := &g.p.Scenarios
	g.residents = map[string][]int{}
	for i := range g.p.Persons {
		if p := &g.p.Persons[i]; p.Alive() && p.AddressID != "" {
			g.residents[p.AddressID] = append(g.residents[p.AddressID], i)
		}
	}
	inBuilding := map[string]int{}
	for _, a := range g.p.Addresses {
		for _, b := range a.BuildingIDs {
			inBuilding[b]++
		}
	}

	// A household, and a birth in it.
	for i := range g.p.Persons {
		p := &g.p.Persons[i]
		if !p.Alive() || p.Partner == nil || p.Partner.Ended != "" || p.Gender != Female {
			continue
		}
		age := g.age(p.BirthDate)
		if age < 26 || age > 38 {
			continue
		}
		q, ok := g.personByBSN(p.Partner.BSN)
		if !ok || !q.Alive() || q.AddressID != p.AddressID {
			continue
		}
		mother, father := i, g.personAt[q.BSN]
		s.Household = g.p.Persons[father].BSN
		s.RecentBirth = g.birth(mother, father, g.daysAgo(3+g.rng.IntN(21)))
		break
	}
	if s.RecentBirth == "" {
		// A small population may hold no young couple: one moves in.
		by := g.ref.Year() - 28 - g.rng.IntN(8)
		father := g.newPerson(Male, g.randomDay(by), g.randomSurname(), g.bornHere(dutchOnly))
		mother := g.newPerson(Female, g.randomDay(by), g.randomSurname(), g.bornHere(dutchOnly))
		wed := g.randomDay(by + 25)
		g.marry(father, mother, wed)
		home := g.settle(g.pickMuni(), wed, father, mother)
		g.residents[g.p.Addresses[home].ID] = append(g.residents[g.p.Addresses[home].ID], father, mother)
		s.Household = g.p.Persons[father].BSN
		s.RecentBirth = g.birth(mother, father, g.daysAgo(3+g.rng.IntN(21)))
	}
	// A birth to a mother without a partnership: until someone recognises
	// the child, she is its only parent.
	for i := range g.p.Persons {
		p := &g.p.Persons[i]
		if !p.Alive() || p.Partner != nil || p.Gender != Female || p.AddressID == "" {
			continue
		}
		if age := g.age(p.BirthDate); age < 22 || age > 38 {
			continue
		}
		s.UnmarriedBirth = g.birth(i, -1, g.daysAgo(2+g.rng.IntN(20)))
		break
	}
	if s.UnmarriedBirth == "" {
		// A small population may hold no single woman of that age: one
		// moves into a flat of her own.
		by := g.ref.Year() - 24 - g.rng.IntN(10)
		mother := g.newPerson(Female, g.randomDay(by), g.randomSurname(), g.bornHere(dutchOnly))
		home := g.settle(g.pickMuni(), g.randomDay(by+20), mother)
		g.residents[g.p.Addresses[home].ID] = append(g.residents[g.p.Addresses[home].ID], mother)
		s.UnmarriedBirth = g.birth(mother, -1, g.daysAgo(2+g.rng.IntN(20)))
	}

	// A job loss with a WW benefit, in a household of at least three where
	// the population has one, and an employment that just ended without
	// one.
	for _, household := range []int{3, 1} {
		if s.JobLoss != "" && s.JobEnded != "" {
			break
		}
		g.loseJobs(s, household)
	}
	if s.JobLoss == "" || s.JobEnded == "" {
		return fmt.Errorf("no employments to end")
	}
	// Two new companies: a sole proprietor's road haulage, and a private
	// company with two directors that runs a restaurant.
	young := g.adults(24, 40)
	if len(young) == 0 {
		return fmt.Errorf("no young adults to start a company")
	}
	owner := young[g.rng.IntN(len(young))]
	ci, err := g.companyDoing(owner, SoleProprietorship, g.daysAgo(5+g.rng.IntN(40)), "4941")
	if err != nil {
		return err
	}
	s.NewCompany = g.p.Companies[ci].KvKNumber
	for _, i := range young {
		p := &g.p.Persons[i]
		if i == owner || p.Partner == nil || p.Partner.Ended != "" {
			continue
		}
		ri, err := g.companyDoing(i, PrivateCompany, g.daysAgo(5+g.rng.IntN(40)), "5610")
		if err != nil {
			return err
		}
		c := &g.p.Companies[ri]
		c.Functionaries = append(c.Functionaries, Functionary{BSN: p.Partner.BSN, Role: "Bestuurder", Since: c.StartDate})
		s.NewRestaurant = c.KvKNumber
		break
	}
	if s.NewRestaurant == "" {
		return fmt.Errorf("no young couple to start a restaurant")
	}
	for _, c := range g.p.Companies {
		if c.LegalForm == SoleProprietorship && c.KvKNumber != s.NewCompany {
			s.SoleProprietor = c.Functionaries[0].BSN
			break
		}
	}
	if s.SoleProprietor == "" {
		s.SoleProprietor = g.p.Persons[owner].BSN
	}

	// Care: the two oldest persons living alone, the first with two
	// children or more, move into a care home.
	var old []int
	for i := range g.p.Persons {
		p := &g.p.Persons[i]
		if !p.Alive() || p.AddressID == "" || g.age(p.BirthDate) < 80 || len(g.residents[p.AddressID]) != 1 {
			continue
		}
		old = append(old, i)
	}
	slices.SortStableFunc(old, func(a, b int) int {
		return strings.Compare(string(g.p.Persons[a].BirthDate), string(g.p.Persons[b].BirthDate))
	})
	for _, i := range old {
		p := &g.p.Persons[i]
		if s.CareDependent == "" && len(g.livingChildren(p)) < 2 && len(old) > 2 {
			continue
		}
		g.moveIntoCare(i, g.daysAgo(5+g.rng.IntN(40)))
		if s.CareDependent == "" {
			s.CareDependent = p.BSN
			continue
		}
		break
	}

	// Death: the most recent death with a surviving partner and children.
	latest := Date("")
	for i := range g.p.Persons {
		p := &g.p.Persons[i]
		if p.Alive() || p.Partner == nil || len(p.Children) < 2 || !before(latest, p.DeathDate) {
			continue
		}
		if q, ok := g.personByBSN(p.Partner.BSN); ok && q.Alive() {
			latest, s.Deceased = p.DeathDate, p.BSN
		}
	}

	// A traveller: passport due soon, licence valid. From 30 the passport
	// was issued to an adult, so it ran ten years.
	travellers := g.adults(30, 60)
	if len(travellers) == 0 {
		return fmt.Errorf("no adults to travel")
	}
	t := travellers[g.rng.IntN(len(travellers))]
	tb := g.p.Persons[t].BSN
	g.p.TravelDocuments = slices.DeleteFunc(g.p.TravelDocuments, func(d TravelDocument) bool { return d.BSN == tb && d.Kind == Passport })
	g.travelDocument(t, Passport, addYears(g.daysAhead(30+g.rng.IntN(80)), -10))
	g.p.DrivingLicences = slices.DeleteFunc(g.p.DrivingLicences, func(l DrivingLicence) bool { return l.BSN == tb })
	g.licence(t, true)
	s.Traveller = tb
	// A minor traveller: a child of two parents whose five-year passport
	// runs out soon.
	for i := range g.p.Persons {
		p := &g.p.Persons[i]
		if !p.Alive() || p.AddressID == "" || len(p.Parents) != 2 || p.BSN == s.RecentBirth {
			continue
		}
		if age := g.age(p.BirthDate); age < 1 || age > 15 {
			continue
		}
		g.p.TravelDocuments = slices.DeleteFunc(g.p.TravelDocuments, func(d TravelDocument) bool { return d.BSN == p.BSN })
		g.travelDocument(i, Passport, addYears(g.daysAhead(20+g.rng.IntN(90)), -5))
		s.MinorTraveller = p.BSN
		break
	}

	// A move: a household of two or more that moved in within the last
	// month, not one that just had a child.
	newborns := map[string]bool{}
	for _, b := range []string{s.RecentBirth, s.UnmarriedBirth} {
		newborns[g.p.Persons[g.personAt[b]].AddressID] = true
	}
	for _, mi := range g.adults(25, 45) {
		p := &g.p.Persons[mi]
		if p.BSN == s.Household || p.BSN == tb || p.BSN == s.JobLoss || len(g.residents[p.AddressID]) < 2 || newborns[p.AddressID] {
			continue
		}
		moved := g.daysAgo(2 + g.rng.IntN(25))
		for _, r := range g.residents[p.AddressID] {
			if before(moved, g.p.Persons[r].BirthDate) {
				continue
			}
			g.p.Persons[r].AddressSince = moved
		}
		s.Mover = p.BSN
		break
	}

	// Renovation: two pre-1940 houses with their residents, under
	// renovation in the BAG since the last two months.
	for i := range g.p.Persons {
		p := &g.p.Persons[i]
		if !p.Alive() || p.AddressID == "" || g.age(p.BirthDate) < 30 || p.BSN == s.Mover || p.BSN == s.CareDependent {
			continue
		}
		ai, _ := g.addressIndex(p.AddressID)
		a := &g.p.Addresses[ai]
		if inBuilding[a.BuildingIDs[0]] != 1 || a.ID == s.Renovation {
			continue // a flat; renovation here is the owners' association's
		}
		if s.Renovation == "" && len(g.residents[a.ID]) < 2 {
			continue
		}
		bi, _ := g.buildingIndex(a.BuildingIDs[0])
		b := &g.p.Buildings[bi]
		if b.YearBuilt >= 1940 {
			b.YearBuilt = 1905 + g.rng.IntN(34)
		}
		b.Status, b.StatusSince = "Verbouwing pand", g.daysAgo(10+g.rng.IntN(45))
		if s.Renovation == "" {
			s.Renovation = a.ID
			continue
		}
		break
	}

	for _, v := range g.p.Vehicles {
		if v.HolderBSN != "" {
			s.VehicleOwner = v.HolderBSN
			break
		}
	}
	for name, v := range map[string]string{
		"household": s.Household, "recent birth": s.RecentBirth, "unmarried birth": s.UnmarriedBirth,
		"job loss": s.JobLoss, "job ended": s.JobEnded, "new company": s.NewCompany, "new restaurant": s.NewRestaurant,
		"care dependent": s.CareDependent, "deceased": s.Deceased, "mover": s.Mover, "minor traveller": s.MinorTraveller,
		"renovation": s.Renovation, "vehicle owner": s.VehicleOwner,
	} {
		if v == "" {
			return fmt.Errorf("population has no %s scenario; use a larger size", name)
		}
	}
	return nil
}
