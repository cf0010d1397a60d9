package population

import (
	"sort"
	"strconv"
)

// index holds the lookups the mock registries need. It is built once, after
// generation or after loading an export, and never changed afterwards, so the
// mocks can read it from many goroutines.
type index struct {
	person          map[string]int
	address         map[string]int
	addressByObject map[string]int
	addressByPC     map[string][]int // postcode+huisnummer
	residents       map[string][]int // address id → persons living there
	building        map[string]int
	street          map[string]int
	place           map[string]int
	municipality    map[string]int
	company         map[string]int
	branch          map[string][2]int // company, branch
	companiesAt     map[string][]int  // address id → companies with a branch there
	roles           map[string][]int  // BSN → companies where the person is a functionary
	vehicle         map[string]int
	vehiclesBSN     map[string][]int
	vehiclesKvK     map[string][]int
	licences        map[string][]int
	documents       map[string][]int
	employments     map[string][]int
	employees       map[string][]int // KvK → employments
	benefits        map[string][]int
}

// Index builds the lookups. Generate calls it; call it again after decoding
// an exported population.
func (p *Population) Index() {
	ix := index{
		person:          make(map[string]int, len(p.Persons)),
		address:         make(map[string]int, len(p.Addresses)),
		addressByObject: make(map[string]int, len(p.Addresses)),
		addressByPC:     make(map[string][]int, len(p.Addresses)),
		residents:       make(map[string][]int, len(p.Addresses)),
		building:        make(map[string]int, len(p.Buildings)),
		street:          make(map[string]int, len(p.Streets)),
		place:           make(map[string]int, len(p.Places)),
		municipality:    make(map[string]int, len(p.Municipalities)),
		company:         make(map[string]int, len(p.Companies)),
		branch:          make(map[string][2]int, len(p.Companies)),
		companiesAt:     make(map[string][]int),
		roles:           make(map[string][]int),
		vehicle:         make(map[string]int, len(p.Vehicles)),
		vehiclesBSN:     make(map[string][]int),
		vehiclesKvK:     make(map[string][]int),
		licences:        make(map[string][]int),
		documents:       make(map[string][]int),
		employments:     make(map[string][]int),
		employees:       make(map[string][]int),
		benefits:        make(map[string][]int),
	}
	for i, m := range p.Municipalities {
		ix.municipality[m.Code] = i
	}
	for i, pl := range p.Places {
		ix.place[pl.ID] = i
	}
	for i, s := range p.Streets {
		ix.street[s.ID] = i
	}
	for i, b := range p.Buildings {
		ix.building[b.ID] = i
	}
	for i, a := range p.Addresses {
		ix.address[a.ID] = i
		ix.addressByObject[a.ObjectID] = i
		k := pcKey(a.Postcode, a.HouseNumber)
		ix.addressByPC[k] = append(ix.addressByPC[k], i)
	}
	for _, idx := range ix.addressByPC {
		sortAddresses(p.Addresses, idx)
	}
	for i := range p.Persons {
		pe := &p.Persons[i]
		ix.person[pe.BSN] = i
		if pe.AddressID != "" && pe.Alive() {
			ix.residents[pe.AddressID] = append(ix.residents[pe.AddressID], i)
		}
	}
	for i := range p.Companies {
		c := &p.Companies[i]
		ix.company[c.KvKNumber] = i
		seen := map[string]bool{}
		for j, b := range c.Branches {
			ix.branch[b.Number] = [2]int{i, j}
			if !seen[b.AddressID] {
				seen[b.AddressID] = true
				ix.companiesAt[b.AddressID] = append(ix.companiesAt[b.AddressID], i)
			}
		}
		seenF := map[string]bool{}
		for _, f := range c.Functionaries {
			if !seenF[f.BSN] {
				seenF[f.BSN] = true
				ix.roles[f.BSN] = append(ix.roles[f.BSN], i)
			}
		}
	}
	for i, v := range p.Vehicles {
		ix.vehicle[v.Plate] = i
		if v.HolderBSN != "" {
			ix.vehiclesBSN[v.HolderBSN] = append(ix.vehiclesBSN[v.HolderBSN], i)
		}
		if v.HolderKvK != "" {
			ix.vehiclesKvK[v.HolderKvK] = append(ix.vehiclesKvK[v.HolderKvK], i)
		}
	}
	for i, l := range p.DrivingLicences {
		ix.licences[l.BSN] = append(ix.licences[l.BSN], i)
	}
	for i, d := range p.TravelDocuments {
		ix.documents[d.BSN] = append(ix.documents[d.BSN], i)
	}
	for i, e := range p.Employments {
		ix.employments[e.BSN] = append(ix.employments[e.BSN], i)
		ix.employees[e.EmployerKvK] = append(ix.employees[e.EmployerKvK], i)
	}
	for i, b := range p.Benefits {
		ix.benefits[b.BSN] = append(ix.benefits[b.BSN], i)
	}
	p.idx = ix
}

func pcKey(postcode string, number int) string {
	return postcode + "|" + strconv.Itoa(number)
}

// sortAddresses orders address indexes the way the BAG API lists addresses:
// by postcode, house number, house letter, addition and nummeraanduiding id.
func sortAddresses(as []Address, idx []int) {
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := &as[idx[i]], &as[idx[j]]
		switch {
		case a.Postcode != b.Postcode:
			return a.Postcode < b.Postcode
		case a.HouseNumber != b.HouseNumber:
			return a.HouseNumber < b.HouseNumber
		case a.HouseLetter != b.HouseLetter:
			return a.HouseLetter < b.HouseLetter
		case a.Addition != b.Addition:
			return a.Addition < b.Addition
		default:
			return a.ID < b.ID
		}
	})
}

func pick[T any](all []T, idx []int) []*T {
	out := make([]*T, len(idx))
	for i, j := range idx {
		out[i] = &all[j]
	}
	return out
}

// Person returns the person with the BSN.
func (p *Population) Person(bsn string) (*Person, bool) {
	i, ok := p.idx.person[bsn]
	if !ok {
		return nil, false
	}
	return &p.Persons[i], true
}

// Residents returns the living persons registered at the address.
func (p *Population) Residents(addressID string) []*Person {
	return pick(p.Persons, p.idx.residents[addressID])
}

// Address returns the address with the nummeraanduiding id.
func (p *Population) Address(id string) (*Address, bool) {
	i, ok := p.idx.address[id]
	if !ok {
		return nil, false
	}
	return &p.Addresses[i], true
}

// AddressByObject returns the address of a residential object.
func (p *Population) AddressByObject(objectID string) (*Address, bool) {
	i, ok := p.idx.addressByObject[objectID]
	if !ok {
		return nil, false
	}
	return &p.Addresses[i], true
}

// AddressesByPostcode returns the addresses with the postcode ("1234AB") and
// house number, ordered by letter, addition and id.
func (p *Population) AddressesByPostcode(postcode string, number int) []*Address {
	return pick(p.Addresses, p.idx.addressByPC[pcKey(postcode, number)])
}

// Building returns the pand with the id.
func (p *Population) Building(id string) (*Building, bool) {
	i, ok := p.idx.building[id]
	if !ok {
		return nil, false
	}
	return &p.Buildings[i], true
}

// Street returns the openbare ruimte with the id.
func (p *Population) Street(id string) (*Street, bool) {
	i, ok := p.idx.street[id]
	if !ok {
		return nil, false
	}
	return &p.Streets[i], true
}

// Place returns the woonplaats with the id.
func (p *Population) Place(id string) (*Place, bool) {
	i, ok := p.idx.place[id]
	if !ok {
		return nil, false
	}
	return &p.Places[i], true
}

// Municipality returns the municipality with the four-digit code.
func (p *Population) Municipality(code string) (*Municipality, bool) {
	i, ok := p.idx.municipality[code]
	if !ok {
		return nil, false
	}
	return &p.Municipalities[i], true
}

// Company returns the company with the KvK number.
func (p *Population) Company(kvk string) (*Company, bool) {
	i, ok := p.idx.company[kvk]
	if !ok {
		return nil, false
	}
	return &p.Companies[i], true
}

// Branch returns the branch with the vestigingsnummer and its company.
func (p *Population) Branch(number string) (*Branch, *Company, bool) {
	ij, ok := p.idx.branch[number]
	if !ok {
		return nil, nil, false
	}
	c := &p.Companies[ij[0]]
	return &c.Branches[ij[1]], c, true
}

// CompaniesAt returns the companies with a branch at the address.
func (p *Population) CompaniesAt(addressID string) []*Company {
	return pick(p.Companies, p.idx.companiesAt[addressID])
}

// CompaniesOf returns the companies in which the person is a functionary.
func (p *Population) CompaniesOf(bsn string) []*Company {
	return pick(p.Companies, p.idx.roles[bsn])
}

// Vehicle returns the vehicle with the plate.
func (p *Population) Vehicle(plate string) (*Vehicle, bool) {
	i, ok := p.idx.vehicle[plate]
	if !ok {
		return nil, false
	}
	return &p.Vehicles[i], true
}

// VehiclesOfPerson returns the vehicles held by the person.
func (p *Population) VehiclesOfPerson(bsn string) []*Vehicle {
	return pick(p.Vehicles, p.idx.vehiclesBSN[bsn])
}

// VehiclesOfCompany returns the vehicles held by the company.
func (p *Population) VehiclesOfCompany(kvk string) []*Vehicle {
	return pick(p.Vehicles, p.idx.vehiclesKvK[kvk])
}

// DrivingLicencesOf returns the person's driving licences.
func (p *Population) DrivingLicencesOf(bsn string) []*DrivingLicence {
	return pick(p.DrivingLicences, p.idx.licences[bsn])
}

// TravelDocumentsOf returns the person's travel documents.
func (p *Population) TravelDocumentsOf(bsn string) []*TravelDocument {
	return pick(p.TravelDocuments, p.idx.documents[bsn])
}

// EmploymentsOf returns the person's income relations, oldest first.
func (p *Population) EmploymentsOf(bsn string) []*Employment {
	return pick(p.Employments, p.idx.employments[bsn])
}

// EmploymentsAt returns the income relations with the employer.
func (p *Population) EmploymentsAt(kvk string) []*Employment {
	return pick(p.Employments, p.idx.employees[kvk])
}

// BenefitsOf returns the person's benefit relations.
func (p *Population) BenefitsOf(bsn string) []*Benefit {
	return pick(p.Benefits, p.idx.benefits[bsn])
}
