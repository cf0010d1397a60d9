package graph

import (
	"fmt"

	"github.com/poort-nl/poort/connectors/brk"
	"github.com/poort-nl/poort/graph/model"
)

// This file maps BRK shapes to graph types.

var parcelKinds = map[string]model.ParcelKind{
	brk.KindParcel: model.ParcelKindLandParcel, brk.KindApartmentRight: model.ParcelKindApartmentRight,
}

var holderKinds = map[string]model.RightsHolderKind{
	brk.HolderPerson: model.RightsHolderKindPerson, brk.HolderLegalEntity: model.RightsHolderKindLegalEntity,
	brk.HolderKadasterPerson: model.RightsHolderKindKadasterPerson, brk.HolderKadasterLegalEntity: model.RightsHolderKindKadasterLegalEntity,
}

// parcel maps a kadastraal onroerende zaak, about whom it was reached
// through: no one at an address, the holder among a person's rights.
func parcel(about model.Subject, p brk.Parcel) *model.Parcel {
	m := &model.Parcel{Subject: about, ID: p.ID, Designation: str(p.Designation), Size: p.Size, Refs: model.ParcelRefs{AddressIDs: p.AddressIDs}}
	if k, ok := parcelKinds[p.Kind]; ok {
		m.Kind = &k
	}
	return m
}

// realEstateRight maps a zakelijk gerechtigde, about its holder, with the
// parcel it rests on, which is about the holder too.
func realEstateRight(r brk.Right, on *model.Parcel) *model.RealEstateRight {
	holder := model.PersonSubject(r.Holder.BSN())
	p := *on
	p.Subject = holder
	m := &model.RealEstateRight{
		Subject: holder, Kind: str(r.Kind), Share: str(fmt.Sprintf("%d/%d", r.Share.Numerator, r.Share.Denominator)),
		Since: model.DatePtr(r.Since), HolderName: str(r.Holder.Description), BSN: str(r.Holder.BSN()), RSIN: str(r.Holder.RSIN()),
		Parcel: &p,
	}
	if k, ok := holderKinds[r.Holder.Kind]; ok {
		m.HolderKind = &k
	}
	return m
}

// publicRestriction maps a publiekrechtelijke beperking, about whom its
// parcel is about.
func publicRestriction(about model.Subject, r brk.Restriction) *model.PublicRestriction {
	monument := r.Monument()
	m := &model.PublicRestriction{
		Subject: about, Monument: &monument, Since: model.DatePtr(r.Since), Until: model.DatePtr(r.Until), Authority: str(r.Authority),
	}
	if r.Basis != (brk.Code{}) {
		m.Basis = &model.CodeValue{Code: str(r.Basis.Code), Description: str(r.Basis.Description)}
	}
	return m
}
