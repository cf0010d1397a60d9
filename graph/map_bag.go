package graph

import (
	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/graph/model"
)

// This file maps BAG shapes to graph types.

func (r *Resolver) address(a *bag.Address) *model.Address {
	m := &model.Address{
		ID: a.ID, Street: str(a.Street), HouseNumber: intPtr(a.HouseNumber), HouseLetter: str(a.HouseLetter),
		Addition: str(a.Addition), Postcode: str(a.Postcode), Place: str(a.Place),
		Refs: model.AddressRefs{ObjectID: a.ObjectID},
	}
	if len(a.ID) >= 4 {
		c := &model.CodeValue{Code: str(a.ID[:4])}
		if name, ok := r.municipality(a.ID[:4]); ok {
			c.Description = &name
		}
		m.Municipality = c
	}
	for _, l := range []string{a.Line5, a.Line6} {
		if l != "" {
			m.Lines = append(m.Lines, l)
		}
	}
	if o := a.Object; o != nil {
		m.ResidentialObject = &model.ResidentialObject{ID: o.ID, Kind: registryEnum(residentialObjectKinds, o.Kind), Surface: o.Surface, Uses: o.Uses, Status: str(o.Status)}
	}
	for _, b := range a.Buildings {
		m.Buildings = append(m.Buildings, &model.Building{ID: b.ID, YearBuilt: b.YearBuilt, Status: str(b.Status), StatusSince: model.DatePtr(b.StatusSince)})
	}
	return m
}
