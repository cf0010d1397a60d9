package population

import (
	"strconv"
	"strings"
)

// BAGIndex holds the lookups the BAG mock needs beyond the population's own
// index: the addresses in a building and the addresses by place, street and
// house number, so that a load test at thousands of requests per second
// never scans the addresses.
//
// A BAGIndex is built once and never changed, so it is safe for concurrent
// use.
type BAGIndex struct {
	pop        *Population
	inBuilding map[string][]int // pand id → addresses, ordered
	byStreet   map[string][]int // place name|street name|huisnummer, lower case → addresses, ordered
}

// NewBAGIndex builds the BAG lookups of an indexed population. Every address
// list it returns is ordered the way the BAG API lists addresses, as
// Population.AddressesByPostcode is: by postcode, house number, house
// letter, addition and nummeraanduiding id.
func NewBAGIndex(p *Population) *BAGIndex {
	x := &BAGIndex{
		pop:        p,
		inBuilding: make(map[string][]int, len(p.Buildings)),
		byStreet:   make(map[string][]int, len(p.Addresses)),
	}
	for i := range p.Addresses {
		a := &p.Addresses[i]
		for _, b := range a.BuildingIDs {
			x.inBuilding[b] = append(x.inBuilding[b], i)
		}
		if st, ok := p.Street(a.StreetID); ok {
			if pl, ok := p.Place(st.PlaceID); ok {
				k := streetKey(pl.Name, st.Name, a.HouseNumber)
				x.byStreet[k] = append(x.byStreet[k], i)
			}
		}
	}
	for _, m := range []map[string][]int{x.inBuilding, x.byStreet} {
		for _, idx := range m {
			sortAddresses(p.Addresses, idx)
		}
	}
	return x
}

func streetKey(place, street string, number int) string {
	return strings.ToLower(place) + "|" + strings.ToLower(street) + "|" + strconv.Itoa(number)
}

// AddressesInBuilding returns the addresses whose residential object lies in
// the building (pand).
func (x *BAGIndex) AddressesInBuilding(buildingID string) []*Address {
	return pick(x.pop.Addresses, x.inBuilding[buildingID])
}

// AddressesByStreet returns the addresses with the house number on the
// street in the place, both names matched without regard to case.
func (x *BAGIndex) AddressesByStreet(place, street string, number int) []*Address {
	return pick(x.pop.Addresses, x.byStreet[streetKey(place, street, number)])
}
