package population

import (
	"sort"
	"strings"
)

// BAGIndex holds the lookups the BAG mock needs beyond the population's own
// index: the addresses in a building and the addresses by place, street and
// house number. The population's AddressesInBuilding scans every address,
// which a load test at thousands of requests per second cannot afford.
//
// A BAGIndex is built once and never changed, so it is safe for concurrent
// use.
type BAGIndex struct {
	pop        *Population
	inBuilding map[string][]int // pand id → addresses
	byPostcode map[string][]int // postcode+huisnummer → addresses, ordered
	byStreet   map[string][]int // place name|street name|huisnummer, lower case → addresses
}

// NewBAGIndex builds the BAG lookups of an indexed population. Every address
// list it returns is ordered the way the BAG API lists addresses: by postcode,
// house number, house letter, addition and nummeraanduiding id.
func NewBAGIndex(p *Population) *BAGIndex {
	x := &BAGIndex{
		pop:        p,
		inBuilding: make(map[string][]int, len(p.Buildings)),
		byPostcode: make(map[string][]int, len(p.Addresses)),
		byStreet:   make(map[string][]int, len(p.Addresses)),
	}
	for i := range p.Addresses {
		a := &p.Addresses[i]
		for _, b := range a.BuildingIDs {
			x.inBuilding[b] = append(x.inBuilding[b], i)
		}
		k := pcKey(a.Postcode, a.HouseNumber)
		x.byPostcode[k] = append(x.byPostcode[k], i)
		if st, ok := p.Street(a.StreetID); ok {
			if pl, ok := p.Place(st.PlaceID); ok {
				k := streetKey(pl.Name, st.Name, a.HouseNumber)
				x.byStreet[k] = append(x.byStreet[k], i)
			}
		}
	}
	for _, m := range []map[string][]int{x.inBuilding, x.byPostcode, x.byStreet} {
		for _, idx := range m {
			x.sortAddresses(idx)
		}
	}
	return x
}

func streetKey(place, street string, number int) string {
	return strings.ToLower(place) + "|" + strings.ToLower(street) + "|" + itoa(number)
}

func (x *BAGIndex) sortAddresses(idx []int) {
	as := x.pop.Addresses
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

// Population returns the population the index was built from.
func (x *BAGIndex) Population() *Population { return x.pop }

// AddressesInBuilding returns the addresses whose residential object lies in
// the building (pand).
func (x *BAGIndex) AddressesInBuilding(buildingID string) []*Address {
	return pick(x.pop.Addresses, x.inBuilding[buildingID])
}

// AddressesByPostcode returns the addresses with the postcode ("1234AB") and
// house number.
func (x *BAGIndex) AddressesByPostcode(postcode string, number int) []*Address {
	return pick(x.pop.Addresses, x.byPostcode[pcKey(postcode, number)])
}

// AddressesByStreet returns the addresses with the house number on the
// street in the place, both names matched without regard to case.
func (x *BAGIndex) AddressesByStreet(place, street string, number int) []*Address {
	return pick(x.pop.Addresses, x.byStreet[streetKey(place, street, number)])
}
