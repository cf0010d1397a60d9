package brp

// Each field below ends its comment with "BRP:" and the field of the Haal
// Centraal BRP Personen API (or of the Reisdocumenten API for
// TravelDocument) it maps from: a fields path from the Persoon, from the
// group for Code, Date and Name, and for a relative's Birth from the
// relative (ouders, kinderen, partners). The GraphQL layer declares that
// lineage. A field the registry did not deliver, because it was not asked
// for or has no value, is the zero value.

// Code is an entry of a national code table (a Waardetabel).
type Code struct {
	// Code is the table code, e.g. "V" or "0363".
	//
	// BRP: code
	Code string
	// Description is the table's description, e.g. "vrouw".
	//
	// BRP: omschrijving
	Description string
}

// Date kinds, the API's AbstractDatum types.
const (
	DateFull      = "Datum"
	DateYearMonth = "JaarMaandDatum"
	DateYear      = "JaarDatum"
	DateUnknown   = "DatumOnbekend"
)

// Date is a date that may be partly or wholly unknown.
type Date struct {
	// Kind is DateFull, DateYearMonth, DateYear or DateUnknown.
	//
	// BRP: type
	Kind string
	// Date is the ISO date "2006-01-02" when the date is full.
	//
	// BRP: datum
	Date string
	// Year is the year, zero when unknown.
	//
	// BRP: jaar (or from datum)
	Year int
	// Month is the month 1-12, zero when unknown.
	//
	// BRP: maand (or from datum)
	Month int
	// Text is the date written out in Dutch, e.g. "15 november 1956".
	//
	// BRP: langFormaat
	Text string
}

// Name is the name of a person or of a relative (NaamPersoon or
// NaamGerelateerde).
type Name struct {
	// GivenNames are the given names, separated by spaces.
	//
	// BRP: voornamen
	GivenNames string
	// Prefix is the surname prefix, e.g. "van der".
	//
	// BRP: voorvoegsel
	Prefix string
	// Surname is the surname without its prefix.
	//
	// BRP: geslachtsnaam
	Surname string
	// Initials are derived from the given names, e.g. "J.P.".
	//
	// BRP: voorletters
	Initials string
	// FullName joins given names, prefix and surname; relatives have
	// none.
	//
	// BRP: volledigeNaam
	FullName string
	// Title is a noble title or predicate.
	//
	// BRP: adellijkeTitelPredicaat (code, omschrijving)
	Title *Code
	// TitleKind is "titel" or "predicaat".
	//
	// BRP: adellijkeTitelPredicaat.soort
	TitleKind string
	// NameUse says which surnames the person uses (E, P, V, N).
	//
	// BRP: aanduidingNaamgebruik
	NameUse *Code
}

// Birth is where and when a person was born.
type Birth struct {
	// Date is the date of birth.
	//
	// BRP: geboorte.datum
	Date *Date
	// Place is the municipality of birth, or a place abroad with only a
	// description.
	//
	// BRP: geboorte.plaats
	Place *Code
	// Country is the country of birth.
	//
	// BRP: geboorte.land
	Country *Code
}

// Death is where and when a person died.
type Death struct {
	// Date is the date of death.
	//
	// BRP: overlijden.datum
	Date *Date
	// Place is the municipality of death.
	//
	// BRP: overlijden.plaats
	Place *Code
	// Country is the country of death.
	//
	// BRP: overlijden.land
	Country *Code
}

// Nationality is one nationality of a person.
type Nationality struct {
	// Kind is "Nationaliteit", "BehandeldAlsNederlander",
	// "VastgesteldNietNederlander", "Staatloos" or
	// "NationaliteitOnbekend".
	//
	// BRP: nationaliteiten.type
	Kind string
	// Nationality is the nationality, for Kind "Nationaliteit".
	//
	// BRP: nationaliteiten.nationaliteit
	Nationality *Code
	// Reason is the legal ground it was recorded on.
	//
	// BRP: nationaliteiten.redenOpname
	Reason *Code
	// Since is when it took effect.
	//
	// BRP: nationaliteiten.datumIngangGeldigheid
	Since *Date
}

// Residence is where a person lives (verblijfplaats).
type Residence struct {
	// Kind is "Adres", "VerblijfplaatsBuitenland", "VerblijfplaatsOnbekend"
	// or "Locatie".
	//
	// BRP: verblijfplaats.type
	Kind string
	// Street is the official street name.
	//
	// BRP: verblijfplaats.verblijfadres.officieleStraatnaam
	Street string
	// ShortStreet is the street name shortened to 24 characters.
	//
	// BRP: verblijfplaats.verblijfadres.korteStraatnaam
	ShortStreet string
	// HouseNumber is the house number.
	//
	// BRP: verblijfplaats.verblijfadres.huisnummer
	HouseNumber int
	// HouseLetter is the house letter.
	//
	// BRP: verblijfplaats.verblijfadres.huisletter
	HouseLetter string
	// Addition is the house number addition.
	//
	// BRP: verblijfplaats.verblijfadres.huisnummertoevoeging
	Addition string
	// NumberQualifier is "to" (tegenover) or "by" (bij).
	//
	// BRP: verblijfplaats.verblijfadres.aanduidingBijHuisnummer
	NumberQualifier *Code
	// Postcode is the postcode, e.g. "1234AB".
	//
	// BRP: verblijfplaats.verblijfadres.postcode
	Postcode string
	// Place is the woonplaats.
	//
	// BRP: verblijfplaats.verblijfadres.woonplaats
	Place string
	// AddressID is the BAG nummeraanduiding.
	//
	// BRP: verblijfplaats.nummeraanduidingIdentificatie
	AddressID string
	// ObjectID is the BAG adresseerbaar object.
	//
	// BRP: verblijfplaats.adresseerbaarObjectIdentificatie
	ObjectID string
	// Since is the date the person reported living here.
	//
	// BRP: verblijfplaats.datumVan
	Since *Date
	// Function is W (woonadres) or B (briefadres).
	//
	// BRP: verblijfplaats.functieAdres
	Function *Code
	// Location describes a place without an address, for Kind
	// "Locatie".
	//
	// BRP: verblijfplaats.verblijfadres.locatiebeschrijving
	Location string
	// ForeignLines are the lines of an address abroad, for Kind
	// "VerblijfplaatsBuitenland".
	//
	// BRP: verblijfplaats.verblijfadres.regel1, regel2, regel3
	ForeignLines []string
	// Country is the country of an address abroad.
	//
	// BRP: verblijfplaats.verblijfadres.land
	Country *Code
}

// AddressLines are the lines and forms of address for writing to a person
// (adressering).
type AddressLines struct {
	// Line1 is street and number.
	//
	// BRP: adressering.adresregel1
	Line1 string
	// Line2 is postcode and place.
	//
	// BRP: adressering.adresregel2
	Line2 string
	// Line3 is a region abroad.
	//
	// BRP: adressering.adresregel3
	Line3 string
	// Country is the country of an address abroad.
	//
	// BRP: adressering.land
	Country *Code
	// Salutation opens a letter, e.g. "Geachte mevrouw De Vries".
	//
	// BRP: adressering.aanhef
	Salutation string
	// AddressName is the name on the envelope, e.g. "J. de Vries".
	//
	// BRP: adressering.aanschrijfwijze.naam
	AddressName string
	// AddressForm goes above the name for titled persons.
	//
	// BRP: adressering.aanschrijfwijze.aanspreekvorm
	AddressForm string
	// InText names the person in running text, e.g. "mevrouw De Vries".
	//
	// BRP: adressering.gebruikInLopendeTekst
	InText string
}

// Relative is a parent or a child of a person.
type Relative struct {
	// BSN is the relative's burgerservicenummer.
	//
	// BRP: ouders.burgerservicenummer, kinderen.burgerservicenummer
	BSN string
	// Name is the relative's name, without FullName.
	//
	// BRP: ouders.naam, kinderen.naam
	Name *Name
	// Gender is the parent's gender; children have none here.
	//
	// BRP: ouders.geslacht
	Gender *Code
	// Birth is the relative's birth.
	//
	// BRP: ouders.geboorte, kinderen.geboorte
	Birth *Birth
	// Designation is "1" or "2" for a parent.
	//
	// BRP: ouders.ouderAanduiding
	Designation string
	// Since is when the legal parenthood began.
	//
	// BRP: ouders.datumIngangFamilierechtelijkeBetrekking
	Since *Date
}

// Partner is the current or the last dissolved spouse or registered
// partner.
type Partner struct {
	// BSN is the partner's burgerservicenummer.
	//
	// BRP: partners.burgerservicenummer
	BSN string
	// Name is the partner's name, without FullName.
	//
	// BRP: partners.naam
	Name *Name
	// Gender is the partner's gender.
	//
	// BRP: partners.geslacht
	Gender *Code
	// Birth is the partner's birth.
	//
	// BRP: partners.geboorte
	Birth *Birth
	// Kind is H (huwelijk) or P (geregistreerd partnerschap).
	//
	// BRP: partners.soortVerbintenis
	Kind *Code
	// Started is the date of the marriage or partnership.
	//
	// BRP: partners.aangaanHuwelijkPartnerschap.datum
	Started *Date
	// StartPlace is where it was entered into.
	//
	// BRP: partners.aangaanHuwelijkPartnerschap.plaats
	StartPlace *Code
	// StartCountry is the country it was entered into in.
	//
	// BRP: partners.aangaanHuwelijkPartnerschap.land
	StartCountry *Code
	// Ended is the date it was dissolved, nil while it lasts.
	//
	// BRP: partners.ontbindingHuwelijkPartnerschap.datum
	Ended *Date
}

// Person is a person as the BRP gives it (Persoon, or PersoonBeperkt for
// the searches).
type Person struct {
	// BSN is the burgerservicenummer.
	//
	// BRP: burgerservicenummer
	BSN string
	// ANumber is the A-nummer.
	//
	// BRP: aNummer
	ANumber string
	// Name is the person's name.
	//
	// BRP: naam
	Name *Name
	// Gender is M, V or O.
	//
	// BRP: geslacht
	Gender *Code
	// Birth is the person's birth.
	//
	// BRP: geboorte
	Birth *Birth
	// Death is the person's death, nil while alive.
	//
	// BRP: overlijden
	Death *Death
	// Age is the age in years; the registry gives none for the deceased
	// or for an incomplete date of birth.
	//
	// BRP: leeftijd
	Age *int
	// Nationalities are the person's nationalities.
	//
	// BRP: nationaliteiten
	Nationalities []Nationality
	// Residence is where the person lives.
	//
	// BRP: verblijfplaats
	Residence *Residence
	// Municipality is the municipality of registration.
	//
	// BRP: gemeenteVanInschrijving
	Municipality *Code
	// MunicipalitySince is when the person registered there.
	//
	// BRP: datumInschrijvingInGemeente
	MunicipalitySince *Date
	// FirstRegistered is the first registration in the GBA.
	//
	// BRP: datumEersteInschrijvingGBA
	FirstRegistered *Date
	// AddressLines are the lines and forms of address.
	//
	// BRP: adressering
	AddressLines *AddressLines
	// Parents are the legal parents.
	//
	// BRP: ouders
	Parents []Relative
	// Children are the children.
	//
	// BRP: kinderen
	Children []Relative
	// Partners hold the current or the last dissolved partner.
	//
	// BRP: partners
	Partners []Partner
	// Secret is true when the person asked that their data not be given
	// to third parties; delivered automatically.
	//
	// BRP: geheimhoudingPersoonsgegevens
	Secret bool
	// Curatele is true when the person is under guardianship.
	//
	// BRP: indicatieCurateleRegister
	Curatele bool
	// SuspendedReason is why the registry stopped keeping the person's
	// data, e.g. O (overlijden); delivered automatically.
	//
	// BRP: opschortingBijhouding.reden
	SuspendedReason *Code
	// SuspendedSince is when it stopped.
	//
	// BRP: opschortingBijhouding.datum
	SuspendedSince *Date
}

// TravelDocument is a Dutch passport or identity card (Reisdocumenten API).
// The API gives no validity: a document is valid while it is held
// (Withdrawal is nil) up to its Expiry.
type TravelDocument struct {
	// Number is the document number, nine upper-case letters and digits.
	//
	// BRP: reisdocumentnummer
	Number string
	// Kind is PN (nationaal paspoort) or NI (Nederlandse
	// identiteitskaart), among others.
	//
	// BRP: soort
	Kind *Code
	// Expiry is the end of validity.
	//
	// BRP: datumEindeGeldigheid
	Expiry *Date
	// Withdrawal says the document left its holder: I (ingehouden of
	// ingeleverd), R (van rechtswege vervallen) or V (vermist).
	//
	// BRP: inhoudingOfVermissing.aanduiding
	Withdrawal *Code
	// WithdrawnOn is when it left its holder.
	//
	// BRP: inhoudingOfVermissing.datum
	WithdrawnOn *Date
	// BSN is the holder's burgerservicenummer.
	//
	// BRP: houder.burgerservicenummer
	BSN string
	// Secret is the holder's secrecy; delivered automatically.
	//
	// BRP: houder.geheimhoudingPersoonsgegevens
	Secret bool
	// SuspendedReason is why the holder's data is no longer kept, e.g. O
	// (overlijden); delivered automatically.
	//
	// BRP: houder.opschortingBijhouding.reden
	SuspendedReason *Code
}
