package model

// Parcel is a parcel or apartment right in the BRK. Found at an address it
// is about no one; found among a person's rights, or as the parcel of a
// person's right, it is about that person.
type Parcel struct {
	Subject
	ID          string
	Kind        *ParcelKind
	Designation *string
	Size        *int

	Refs ParcelRefs
}

// ParcelRefs are the keys a parcel's relations are resolved by; its rights
// and restrictions are asked by its ID.
type ParcelRefs struct {
	AddressIDs []string
}

// RealEstateRight is a right on a parcel and who holds it: about the
// holder when a person in the BRP, about no one when a legal entity, as a
// legal entity's property is no personal data.
type RealEstateRight struct {
	Subject
	Kind       *string
	Share      *string
	Since      *Date
	HolderName *string
	HolderKind *RightsHolderKind
	BSN        *string
	RSIN       *string
	// Parcel is the parcel the right rests on, about the right's holder.
	Parcel *Parcel
}

// PublicRestriction is a public-law restriction on a parcel, about whom
// the parcel is about.
type PublicRestriction struct {
	Subject
	Basis     *CodeValue
	Monument  *bool
	Since     *Date
	Until     *Date
	Authority *string
}
