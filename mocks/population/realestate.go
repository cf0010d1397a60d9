package population

import (
	"errors"
	"fmt"
	"strconv"
)

// This file registers the population's buildings in the Basisregistratie
// Kadaster (BRK): a land parcel under every house, premises and block of
// flats, apartment rights in the blocks split into them, who holds rights
// on each, and the public-law restrictions that protect monuments. Owners
// agree with the other registries: owner-occupiers live at the address in
// the BRP, dwellings let to others belong to private landlords or to the
// municipality's housing corporation (a foundation in the Handelsregister),
// and premises to the company working there, its owner or a landlord.

// The kinds of kadastraal onroerende zaak (TypeKadastraalOnroerendeZaakEnum).
const (
	LandParcel     = "perceel"
	ApartmentRight = "appartementsrecht"
)

// Ownership is the right of an owner (TypeGerechtigdeEnum "eigenaar").
const Ownership = "eigenaar"

// The bases (grondslagen) under the Wkpb of the public-law restrictions
// that protect a monument, as the Kadaster codes them.
const (
	// NationalMonument: Erfgoedwet, registration in the rijksmonumentenregister.
	NationalMonument = "EWE"
	// DraftNationalMonument: Erfgoedwet, the draft designation as a
	// rijksmonument, which protects it already (voorbescherming).
	DraftNationalMonument = "EWD"
	// MunicipalMonument: Gemeentewet, designation as a gemeentelijk monument.
	MunicipalMonument = "GWA"
)

// Parcel is a kadastraal onroerende zaak: a land parcel (perceel) or an
// apartment right (appartementsrecht), with the rights held on it and the
// public-law restrictions resting on it.
type Parcel struct {
	ID   string `json:"id"`   // kadastraalOnroerendeZaakIdentificatie, 14 digits
	Kind string `json:"kind"` // LandParcel or ApartmentRight
	// CadastralMunicipality, Section, Number and, for an apartment right,
	// Index make the kadastrale aanduiding, e.g. "Utrecht C 1277 A3";
	// CadastralCode stands for the municipality in the aanduiding with
	// gemeentecode ("UTR00 C 1277 A3").
	CadastralMunicipality string `json:"cadastralMunicipality"`
	CadastralCode         string `json:"cadastralCode"`
	Section               string `json:"section"`
	Number                int    `json:"number"`
	Index                 int    `json:"index,omitempty"`
	// Size is a land parcel's size in m².
	Size int `json:"size,omitempty"`
	// AddressIDs are the BAG addresses (nummeraanduidingen) registered at
	// it: a house's, a dwelling's in a split block, all of a block let as
	// a whole.
	AddressIDs []string `json:"addressIds,omitempty"`
	// GroundParcel is, for an apartment right, the land parcel of its
	// building; ApartmentRights are, for a land parcel split into
	// apartment rights, those rights. A split parcel's ownership went into
	// them: it has no rights of its own.
	GroundParcel    string   `json:"groundParcel,omitempty"`
	ApartmentRights []string `json:"apartmentRights,omitempty"`
	Rights          []Right  `json:"rights,omitempty"`
	// Restrictions are the public-law restrictions resting on it; one
	// restriction rests on a block's land parcel and on all its apartment
	// rights.
	Restrictions []Restriction `json:"restrictions,omitempty"`
}

// Designation is the kadastrale aanduiding: "Utrecht C 1277" or, for an
// apartment right, "Utrecht C 1277 A3".
func (p *Parcel) Designation() string { return p.designation(p.CadastralMunicipality) }

// DesignationWithCode is the kadastrale aanduiding with gemeentecode:
// "UTR00 C 1277 A3".
func (p *Parcel) DesignationWithCode() string { return p.designation(p.CadastralCode) }

func (p *Parcel) designation(municipality string) string {
	s := municipality + " " + p.Section + " " + strconv.Itoa(p.Number)
	if p.Kind == ApartmentRight {
		s += " A" + strconv.Itoa(p.Index)
	}
	return s
}

// Right is a share in a right held on a parcel: a zakelijk gerechtigde.
type Right struct {
	ID   string `json:"id"`   // zakelijkGerechtigdeIdentificatie
	Kind string `json:"kind"` // Ownership
	// HolderBSN is a person of the population, HolderRSIN a legal entity
	// in the Handelsregister; exactly one is set.
	HolderBSN  string `json:"holderBsn,omitempty"`
	HolderRSIN string `json:"holderRsin,omitempty"`
	// ShareNumerator and ShareDenominator are the holder's share: 1/1 or
	// 1/2.
	ShareNumerator   int  `json:"shareNumerator"`
	ShareDenominator int  `json:"shareDenominator"`
	Since            Date `json:"since"` // aanvangsdatum
}

// Restriction is a public-law restriction (publiekrechtelijke beperking).
type Restriction struct {
	ID        string `json:"id"`
	Basis     string `json:"basis"`     // grondslag: NationalMonument, DraftNationalMonument or MunicipalMonument
	Authority string `json:"authority"` // bevoegd gezag
	Since     Date   `json:"since"`     // datumInWerking
}

// cadastralMunicipality is a kadastrale gemeente: its name in an
// aanduiding, its code (three letters and two digits) and the four digits
// that open its objects' identifications.
type cadastralMunicipality struct{ name, code, digits string }

// cadastralMunicipalities are the kadastrale gemeenten of the population's
// municipalities, by municipality code. Large municipalities hold several;
// the population uses one each.
var cadastralMunicipalities = map[string]cadastralMunicipality{
	"0363": {"Amsterdam", "ASD00", "1103"},
	"0599": {"Rotterdam", "RTD00", "4410"},
	"0518": {"'s Gravenhage", "GVH00", "2231"},
	"0344": {"Utrecht", "UTR00", "5902"},
	"0014": {"Groningen", "GNG00", "7687"},
	"0193": {"Zwolle", "ZWL00", "6549"},
	"0088": {"Schiermonnikoog", "SMO00", "1755"},
	"0096": {"Vlieland", "VLD00", "1715"},
}

// sections are the letters a kadastrale sectie may have (the API's
// pattern leaves out J), without I and O, which read as digits.
const sections = "ABCDEFGHKLMNPRSTUVWXYZ"

// Shares of the ways a dwelling is held, in per cent.
const (
	ownerOccupiedPercent = 62 // of dwellings with adults who moved in as adults
	corporationPercent   = 70 // of dwellings let: the rest is let by private landlords
	splitBlockPercent    = 45 // of blocks of flats split into apartment rights
	monumentPercent      = 6  // of buildings from before 1940
)

// realEstateGen is the state of registering the buildings.
type realEstateGen struct {
	*gen
	today Date
	// at are the persons registered at each address, the dead included.
	at map[string][]int
	// companyAt is the first company with a branch at each address.
	companyAt map[string]int
	// corporations are the housing corporations by municipality code.
	corporations map[string]int
	// owned are the addresses the scenarios need owner-occupied;
	// monuments the buildings they need protected.
	owned     map[string]bool
	monuments map[string]bool
	// adults may become landlords; landlords are those who did.
	adults, landlords []int
	numbers           map[string]int // kadastrale gemeente → last perceelnummer
	rightSeq, restSeq int
}

// realEstate registers every building in the BRK. It runs once the
// persons, companies and scenarios exist: owners are who lives where, and
// the scenarios' renovation address and deceased person are owners.
func (g *gen) realEstate() error {
	r := &realEstateGen{
		gen: g, today: DateOf(g.ref),
		at: map[string][]int{}, companyAt: map[string]int{}, corporations: map[string]int{},
		owned: map[string]bool{}, monuments: map[string]bool{}, numbers: map[string]int{},
		rightSeq: 30_000_000 + int(g.p.Seed%1000)*10_000, restSeq: 60_000_000 + int(g.p.Seed%1000)*1_000,
	}
	for i := range g.p.Persons {
		if a := g.p.Persons[i].AddressID; a != "" {
			r.at[a] = append(r.at[a], i)
		}
	}
	if err := r.housingCorporations(); err != nil {
		return err
	}
	for i, c := range g.p.Companies {
		for _, b := range c.Branches {
			if _, ok := r.companyAt[b.AddressID]; !ok {
				r.companyAt[b.AddressID] = i
			}
		}
	}
	s := g.p.Scenarios
	r.owned[s.Renovation] = true
	if ai, ok := g.addressIndex(s.Renovation); ok {
		r.monuments[g.p.Addresses[ai].BuildingIDs[0]] = true
	}
	if d, ok := g.personByBSN(s.Deceased); ok {
		r.owned[d.AddressID] = true
	}
	r.adults = g.adults(30, 85)
	inBuilding := map[string][]int{}
	for i := range g.p.Addresses {
		b := g.p.Addresses[i].BuildingIDs[0]
		inBuilding[b] = append(inBuilding[b], i)
	}
	for bi := range g.p.Buildings {
		if addrs := inBuilding[g.p.Buildings[bi].ID]; len(addrs) > 0 {
			if err := r.building(bi, addrs); err != nil {
				return err
			}
		}
	}
	return nil
}

// housingCorporations founds a housing corporation in every municipality:
// a foundation with an office there, run by a person of the population.
func (r *realEstateGen) housingCorporations() error {
	directors := r.gen.adults(40, 66)
	if len(directors) == 0 {
		directors = r.gen.adults(25, 99)
	}
	if len(directors) == 0 {
		return errors.New("no adults to run the housing corporations")
	}
	for _, m := range r.munis {
		rsin, err := r.rsins.next()
		if err != nil {
			return err
		}
		director := &r.p.Persons[directors[r.rng.IntN(len(directors))]]
		start := r.randomDay(1995 + r.rng.IntN(15))
		office := r.newAddress(m, premises, 0)
		act := []Activity{{Code: "6820", Description: "Verhuur van en handel in onroerend goed", Main: true}}
		name := "Woonstichting " + m.seed.name
		r.p.Companies = append(r.p.Companies, Company{
			KvKNumber: r.newKvK(), RSIN: rsin, Name: name, TradeNames: []string{name}, LegalForm: Foundation,
			RegistrationDate: start, StartDate: start, Activities: act,
			Functionaries: []Functionary{{BSN: director.BSN, Role: "Bestuurder", Since: latest(start, addYears(director.BirthDate, 30))}},
			Branches: []Branch{{
				Number: r.newBranchNumber(), TradeNames: []string{name}, AddressID: r.p.Addresses[office].ID,
				Main: true, Activities: act, RegistrationDate: start,
			}},
		})
		r.corporations[m.seed.code] = len(r.p.Companies) - 1
	}
	return nil
}

// building registers one building: a land parcel, and for a block of
// flats split into apartment rights one right per dwelling.
func (r *realEstateGen) building(bi int, addrs []int) error {
	b := &r.p.Buildings[bi]
	first := &r.p.Addresses[addrs[0]]
	cm, ok := cadastralMunicipalities[first.MunicipalityCode]
	if !ok {
		return fmt.Errorf("municipality %s has no kadastrale gemeente", first.MunicipalityCode)
	}
	built := Date(fmt.Sprintf("%04d0101", b.YearBuilt))
	section := string(sections[atoi(first.StreetID[len(first.StreetID)-4:])%len(sections)])
	land := r.parcel(cm, section, LandParcel)
	var parcels []*Parcel
	switch {
	case len(addrs) == 1 && isDwelling(first):
		land.Size = 90 + r.rng.IntN(500)
		land.AddressIDs = []string{first.ID}
		land.Rights = r.dwellingRights(first, built)
	case len(addrs) == 1:
		land.Size = 150 + r.rng.IntN(2500)
		land.AddressIDs = []string{first.ID}
		land.Rights = r.premisesRights(first, built)
	case !r.anyOwned(addrs) && r.rng.IntN(100) >= splitBlockPercent:
		// A block let as a whole.
		land.Size = 300 + r.rng.IntN(2000)
		for _, ai := range addrs {
			land.AddressIDs = append(land.AddressIDs, r.p.Addresses[ai].ID)
		}
		land.Rights = r.letRights(first, built)
	default:
		// A block split into apartment rights, which carry a complex
		// number of their own.
		land.Size = 300 + r.rng.IntN(2000)
		complexNumber := r.parcel(cm, section, ApartmentRight).Number
		for k, ai := range addrs {
			a := &r.p.Addresses[ai]
			ar := &Parcel{
				ID: parcelID(cm, complexNumber, ApartmentRight, k+1), Kind: ApartmentRight,
				CadastralMunicipality: cm.name, CadastralCode: cm.code, Section: section, Number: complexNumber, Index: k + 1,
				AddressIDs: []string{a.ID}, GroundParcel: land.ID, Rights: r.dwellingRights(a, built),
			}
			land.ApartmentRights = append(land.ApartmentRights, ar.ID)
			parcels = append(parcels, ar)
		}
	}
	parcels = append([]*Parcel{land}, parcels...)
	if r.monuments[b.ID] || (b.YearBuilt < 1940 && r.rng.IntN(100) < monumentPercent) {
		res := r.monument(first.MunicipalityCode, b.YearBuilt, r.monuments[b.ID])
		for _, p := range parcels {
			p.Restrictions = append(p.Restrictions, res)
		}
	}
	for _, p := range parcels {
		r.p.Parcels = append(r.p.Parcels, *p)
	}
	return nil
}

// parcel numbers a new land parcel in the section; an apartment right's
// complex takes a number the same way. Numbers run on through the
// sections of a kadastrale gemeente, as its identifications must be
// unique without the section.
func (r *realEstateGen) parcel(cm cadastralMunicipality, section, kind string) *Parcel {
	if r.numbers[cm.code] == 0 {
		r.numbers[cm.code] = 100 + r.rng.IntN(2000)
	}
	r.numbers[cm.code] += 1 + r.rng.IntN(2)
	n := r.numbers[cm.code]
	return &Parcel{ID: parcelID(cm, n, kind, 0), Kind: kind, CadastralMunicipality: cm.name, CadastralCode: cm.code, Section: section, Number: n}
}

// parcelID is a BRK identification in the shape of the API's test
// objects: the kadastrale gemeente's four digits, the parcel or complex
// number in five, 7 for a land parcel or 1 for an apartment right, and the
// apartment right's index in four.
func parcelID(cm cadastralMunicipality, number int, kind string, index int) string {
	k := 7
	if kind == ApartmentRight {
		k = 1
	}
	return fmt.Sprintf("%s%05d%d%04d", cm.digits, number, k, index)
}

func isDwelling(a *Address) bool {
	for _, u := range a.Uses {
		if u == "woonfunctie" {
			return true
		}
	}
	return false
}

func (r *realEstateGen) anyOwned(addrs []int) bool {
	for _, ai := range addrs {
		if r.owned[r.p.Addresses[ai].ID] {
			return true
		}
	}
	return false
}

// dwellingRights gives a dwelling its owners: its occupants, or a landlord.
func (r *realEstateGen) dwellingRights(a *Address, built Date) []Right {
	if owners := r.occupants(a); len(owners) > 0 && (r.owned[a.ID] || r.rng.IntN(100) < ownerOccupiedPercent) {
		return r.ownerOccupied(owners)
	}
	return r.letRights(a, built)
}

// occupants are who may own the dwelling they live in: those registered
// there who moved in as adults, oldest first, and not those who died over
// a year ago, whose heirs' rights are registered by now.
func (r *realEstateGen) occupants(a *Address) []int {
	var out []int
	for _, i := range r.at[a.ID] {
		p := &r.p.Persons[i]
		if p.DeathDate != "" && daysBetween(p.DeathDate, r.today) > 365 {
			continue
		}
		if before(p.AddressSince, addYears(p.BirthDate, 18)) {
			continue
		}
		out = append(out, i)
	}
	// Persons are generated oldest first within a family; sort to be sure.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && before(r.p.Persons[out[j]].BirthDate, r.p.Persons[out[j-1]].BirthDate); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// ownerOccupied: a couple living there owns half each from the day the
// later of them moved in; otherwise the eldest owns it whole, from the day
// they moved in, or, when a partner who lived there died long ago, from
// the day the heirs' rights were registered.
func (r *realEstateGen) ownerOccupied(owners []int) []Right {
	for i, a := range owners {
		pa := &r.p.Persons[a]
		for _, b := range owners[i+1:] {
			pb := &r.p.Persons[b]
			if pa.Partner != nil && pa.Partner.BSN == pb.BSN {
				since := latest(pa.AddressSince, pb.AddressSince)
				return []Right{r.right(pa.BSN, "", 2, since), r.right(pb.BSN, "", 2, since)}
			}
		}
	}
	p := &r.p.Persons[owners[0]]
	since := p.AddressSince
	if p.Partner != nil && p.Partner.Ended != "" {
		if q, ok := r.personByBSN(p.Partner.BSN); ok && !q.Alive() && q.AddressID == p.AddressID {
			since = earliest(latest(since, addDays(q.DeathDate, 30+r.rng.IntN(150))), r.today)
		}
	}
	return []Right{r.right(p.BSN, "", 1, since)}
}

// letRights gives a dwelling or a block let to others to the municipality's
// housing corporation or to a private landlord.
func (r *realEstateGen) letRights(a *Address, built Date) []Right {
	if r.rng.IntN(100) < corporationPercent {
		c := &r.p.Companies[r.corporations[a.MunicipalityCode]]
		return []Right{r.right("", c.RSIN, 1, r.between(latest(c.StartDate, built), r.today))}
	}
	return []Right{r.landlord(a, built)}
}

// premisesRights: premises belong to the legal entity working there, to the sole
// proprietor working there, or to a landlord.
func (r *realEstateGen) premisesRights(a *Address, built Date) []Right {
	if ci, ok := r.companyAt[a.ID]; ok {
		c := &r.p.Companies[ci]
		switch {
		case c.RSIN != "" && r.rng.IntN(100) < 45:
			return []Right{r.right("", c.RSIN, 1, r.between(latest(c.StartDate, built), r.today))}
		case c.LegalForm == SoleProprietorship && r.rng.IntN(100) < 35:
			o, _ := r.personByBSN(c.Functionaries[0].BSN)
			return []Right{r.right(o.BSN, "", 1, r.between(latest(c.StartDate, built, addYears(o.BirthDate, 18)), r.today))}
		}
	}
	return []Right{r.landlord(a, built)}
}

// landlord is a private landlord who does not live at the address: one
// who lets already, or another adult.
func (r *realEstateGen) landlord(a *Address, built Date) Right {
	pick := -1
	if len(r.landlords) > 0 && r.rng.IntN(2) == 0 {
		if l := r.landlords[r.rng.IntN(len(r.landlords))]; r.p.Persons[l].AddressID != a.ID {
			pick = l
		}
	}
	for pick < 0 {
		if l := r.adults[r.rng.IntN(len(r.adults))]; r.p.Persons[l].AddressID != a.ID {
			pick = l
			r.landlords = append(r.landlords, l)
		}
	}
	p := &r.p.Persons[pick]
	return r.right(p.BSN, "", 1, r.between(latest(built, addYears(p.BirthDate, 25)), r.today))
}

func (r *realEstateGen) right(bsn, rsin string, denominator int, since Date) Right {
	r.rightSeq++
	return Right{
		ID: strconv.Itoa(r.rightSeq), Kind: Ownership, HolderBSN: bsn, HolderRSIN: rsin,
		ShareNumerator: 1, ShareDenominator: denominator, Since: since,
	}
}

// monument is a restriction protecting a building: mostly a municipal
// monument, a third a national one, a few a draft designation. A
// scenario's monument is a national one.
func (r *realEstateGen) monument(muniCode string, yearBuilt int, national bool) Restriction {
	r.restSeq++
	basis, authority := MunicipalMonument, "Gemeente "+r.muniOf(muniCode).seed.name
	switch n := r.rng.IntN(12); {
	case national || n < 4:
		basis, authority = NationalMonument, "Minister van Onderwijs, Cultuur en Wetenschap"
	case n == 4:
		basis, authority = DraftNationalMonument, "Minister van Onderwijs, Cultuur en Wetenschap"
	}
	from := max(yearBuilt+30, 1965)
	return Restriction{ID: strconv.Itoa(r.restSeq), Basis: basis, Authority: authority, Since: r.randomDay(from + r.rng.IntN(max(1, 2024-from)))}
}

// between is a day from from to to, both included; from when to is not
// later.
func (r *realEstateGen) between(from, to Date) Date {
	if !before(from, to) {
		return from
	}
	return addDays(from, r.rng.IntN(daysBetween(from, to)+1))
}

func latest(ds ...Date) Date {
	out := ds[0]
	for _, d := range ds[1:] {
		if before(out, d) {
			out = d
		}
	}
	return out
}

func earliest(a, b Date) Date {
	if before(b, a) {
		return b
	}
	return a
}

// shiftRealEstate moves the dates of the BRK with the rest (shiftDates).
func (p *Population) shiftRealEstate(sh func(*Date)) {
	for i := range p.Parcels {
		pa := &p.Parcels[i]
		for j := range pa.Rights {
			sh(&pa.Rights[j].Since)
		}
		for j := range pa.Restrictions {
			sh(&pa.Restrictions[j].Since)
		}
	}
}
