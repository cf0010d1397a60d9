package population

// BRKIndex holds the lookups of the Basisregistratie Kadaster: parcels by
// identification, by address and by rights holder, and companies by RSIN,
// as the BRK names legal entities.
//
// A BRKIndex is built once and never changed, so it is safe for concurrent
// use.
type BRKIndex struct {
	pop      *Population
	parcel   map[string]int
	atAddr   map[string][]int
	byHolder map[string][]int // BSN or RSIN → parcels the holder has a right on
	byRSIN   map[string]int   // RSIN → company
}

// NewBRKIndex builds the BRK lookups of an indexed population. Parcel
// lists keep the population's order: a land parcel before its apartment
// rights, those by index.
func NewBRKIndex(p *Population) *BRKIndex {
	x := &BRKIndex{
		pop:      p,
		parcel:   make(map[string]int, len(p.Parcels)),
		atAddr:   make(map[string][]int, len(p.Addresses)),
		byHolder: map[string][]int{},
		byRSIN:   map[string]int{},
	}
	for i := range p.Parcels {
		pa := &p.Parcels[i]
		x.parcel[pa.ID] = i
		for _, a := range pa.AddressIDs {
			x.atAddr[a] = append(x.atAddr[a], i)
		}
		seen := map[string]bool{}
		for _, r := range pa.Rights {
			h := r.Holder()
			if !seen[h] {
				seen[h] = true
				x.byHolder[h] = append(x.byHolder[h], i)
			}
		}
	}
	for i, c := range p.Companies {
		if c.RSIN != "" {
			x.byRSIN[c.RSIN] = i
		}
	}
	return x
}

// Holder is the BSN or RSIN of the right's holder.
func (r *Right) Holder() string {
	if r.HolderBSN != "" {
		return r.HolderBSN
	}
	return r.HolderRSIN
}

// Parcel returns the parcel or apartment right with the identification.
func (x *BRKIndex) Parcel(id string) (*Parcel, bool) {
	i, ok := x.parcel[id]
	if !ok {
		return nil, false
	}
	return &x.pop.Parcels[i], true
}

// ParcelsAt returns the parcels and apartment rights the address is
// registered at.
func (x *BRKIndex) ParcelsAt(addressID string) []*Parcel {
	return pick(x.pop.Parcels, x.atAddr[addressID])
}

// ParcelsOf returns the parcels and apartment rights on which the person
// (by BSN) or legal entity (by RSIN) holds a right.
func (x *BRKIndex) ParcelsOf(holder string) []*Parcel { return pick(x.pop.Parcels, x.byHolder[holder]) }

// CompanyByRSIN returns the legal entity with the RSIN.
func (x *BRKIndex) CompanyByRSIN(rsin string) (*Company, bool) {
	i, ok := x.byRSIN[rsin]
	if !ok {
		return nil, false
	}
	return &x.pop.Companies[i], true
}
