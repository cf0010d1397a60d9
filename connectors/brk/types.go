package brk

// The kinds of kadastraal onroerende zaak (TypeKadastraalOnroerendeZaakEnum).
const (
	KindParcel         = "perceel"
	KindApartmentRight = "appartementsrecht"
)

// The kinds of holder (PersoonTypeEnum): a person in the BRP by BSN, a
// legal entity in the Handelsregister by RSIN, or a person or legal entity
// the Kadaster registered itself.
const (
	HolderPerson              = "ingeschreven_natuurlijk_persoon"
	HolderLegalEntity         = "ingeschreven_niet_natuurlijk_persoon"
	HolderKadasterPerson      = "kadaster_natuurlijk_persoon"
	HolderKadasterLegalEntity = "kadaster_niet_natuurlijk_persoon"
)

// monumentBases are the bases (grondslagen) under the Wkpb of the
// restrictions that protect a monument: the rijksmonumentenregister (EWE),
// a draft designation as a rijksmonument (EWD, which protects already),
// and a designation as a gemeentelijk monument (GWA).
var monumentBases = map[string]bool{"EWE": true, "EWD": true, "GWA": true}

// Parcel is a kadastraal onroerende zaak: a land parcel (perceel) or an
// apartment right (appartementsrecht).
type Parcel struct {
	// ID is the zaak's identification.
	ID string // identificatie
	// Kind is KindParcel or KindApartmentRight.
	Kind string // type
	// Designation is the kadastrale aanduiding, e.g. "Utrecht C 1277 A3".
	Designation string // kadastraleAanduiding
	// Size is a land parcel's size in m²; nil for an apartment right.
	Size *int // kadastraleGrootte.waarde
	// AddressIDs are the BAG nummeraanduidingen registered at it.
	AddressIDs []string // adressen[].nummeraanduidingIdentificatie
	// GroundParcelIDs are, for an apartment right, the land parcels of its
	// building.
	GroundParcelIDs []string // bijbehorendeGrondpercelen[].identificatie
	// SplitRight names, for a land parcel split into apartment rights, the
	// right that was split (e.g. "eigenaar"); its holders hold apartment
	// rights now.
	SplitRight string // gesplitstZakelijkRecht
}

// Right is a zakelijk gerechtigde: a share in a right on a parcel, and who
// holds it.
type Right struct {
	// ID is the zakelijk gerechtigde's identification.
	ID string // identificatie
	// Kind is the right, e.g. "eigenaar", "erfpachter", "vruchtgebruiker".
	Kind string // type
	// Since is the date the right took effect, "2006-01-02".
	Since string // aanvangsdatum
	// Share is the holder's share; a whole right when the API gives none.
	Share Share // tenaamstelling.aandeel
	// Holder is who holds the right.
	Holder Holder // persoon
}

// Share is a share in a right: Numerator/Denominator.
type Share struct {
	Numerator   int // teller
	Denominator int // noemer
}

// Holder is the person or legal entity holding a right.
type Holder struct {
	// ID is a BSN for HolderPerson, an RSIN for HolderLegalEntity, or the
	// Kadaster's own identification.
	ID string // identificatie
	// Kind is one of the Holder* kinds.
	Kind string // type
	// Description names the holder for people, e.g. "J.P. de Vries".
	Description string // omschrijving
}

// BSN is the holder's BSN, when it is a person in the BRP.
func (h Holder) BSN() string {
	if h.Kind == HolderPerson {
		return h.ID
	}
	return ""
}

// RSIN is the holder's RSIN, when it is a legal entity in the
// Handelsregister.
func (h Holder) RSIN() string {
	if h.Kind == HolderLegalEntity {
		return h.ID
	}
	return ""
}

// Holding is a right a person holds and the parcel it rests on.
type Holding struct {
	Parcel Parcel
	Right  Right
}

// Restriction is a public-law restriction (publiekrechtelijke beperking)
// on a parcel.
type Restriction struct {
	// ID is the restriction's identification.
	ID string // identificatie
	// Basis is the law and decision it rests on, as a code and its
	// description, e.g. EWE, "Erfgoedwet: Afschrift inschrijving monument
	// ...".
	Basis Code // grondslag
	// Since and Until bound when it is in force, "2006-01-02"; Until is
	// empty while it lasts.
	Since string // datumInWerking
	Until string // datumBeeindiging
	// Authority is the body that imposed it.
	Authority string // bevoegdGezag.omschrijving
}

// Monument reports whether the restriction protects a monument: a
// rijksmonument, its draft designation, or a gemeentelijk monument.
func (r Restriction) Monument() bool { return monumentBases[r.Basis.Code] }

// Code is a value from one of the Kadaster's value lists (Waardelijst).
type Code struct {
	Code        string // code
	Description string // waarde
}
