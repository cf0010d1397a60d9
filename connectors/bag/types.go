package bag

// Address is a current address in the BAG: a nummeraanduiding with the
// openbare ruimte and woonplaats it lies in (API resource Adres).
type Address struct {
	// ID is the address's identification.
	ID string // nummeraanduidingIdentificatie
	// Street is the official street name.
	Street string // openbareRuimteNaam
	// ShortStreet is the street name of at most 24 characters (NEN 5825).
	ShortStreet string // korteNaam
	// HouseNumber is 1 to 99999.
	HouseNumber int // huisnummer
	// HouseLetter is one letter, or empty.
	HouseLetter string // huisletter
	// Addition is up to four letters and digits, or empty.
	Addition string // huisnummertoevoeging
	// Postcode is "1234AB", or empty for an address without one.
	Postcode string // postcode
	// Place is the woonplaats name.
	Place string // woonplaatsNaam
	// PlaceID is the four-digit woonplaats code.
	PlaceID string // woonplaatsIdentificatie
	// StreetID identifies the openbare ruimte.
	StreetID string // openbareRuimteIdentificatie
	// ObjectID identifies the adresseerbaar object the address designates.
	ObjectID string // adresseerbaarObjectIdentificatie
	// BuildingIDs identify the panden the object lies in.
	BuildingIDs []string // pandIdentificaties
	// SecondaryAddress is true for a nevenadres of the object.
	SecondaryAddress bool // indicatieNevenadres
	// Line5 is the street line by NEN 5825, e.g. "Dorpsstraat 15 c".
	Line5 string // adresregel5
	// Line6 is the place line by NEN 5825, e.g. "2631 CR  NOOTDORP".
	Line6 string // adresregel6
	// Object is the adresseerbaar object, set when the address was asked
	// with expand.
	Object *Object // _embedded.adresseerbaarObject
	// Buildings are the panden, set when the address was asked with
	// expand.
	Buildings []Building // _embedded.panden
}

// The kinds of adresseerbaar object.
const (
	KindResidentialObject = "Verblijfsobject"
	KindBerth             = "Ligplaats"
	KindPitch             = "Standplaats"
)

// Object is an adresseerbaar object: a verblijfsobject (a dwelling or
// premises in a building), a ligplaats (a berth) or a standplaats (a pitch).
type Object struct {
	// ID is the object's identification.
	ID string // identificatie
	// Kind is KindResidentialObject, KindBerth or KindPitch.
	Kind string // type
	// Surface is the usable floor area in m², known for verblijfsobjecten
	// only.
	Surface *int // oppervlakte
	// Uses are the purposes of a verblijfsobject, e.g. "woonfunctie",
	// "winkelfunctie".
	Uses []string // gebruiksdoelen
	// Status is the BAG status, e.g. "Verblijfsobject in gebruik".
	Status string // status
	// BuildingIDs identify the panden a verblijfsobject lies in.
	BuildingIDs []string // maaktDeelUitVan
	// MainAddressID identifies the object's main address.
	MainAddressID string // heeftAlsHoofdAdres
	// SecondaryAddressIDs identify the object's other addresses.
	SecondaryAddressIDs []string // heeftAlsNevenAdres
	// Point is the object's location: the point of a verblijfsobject, or
	// the mean of the outer ring's corners for an object given as an area
	// (a ligplaats, a standplaats, a verblijfsobject with only a vlak).
	Point *Point // geometrie.punt; geometrie.vlak or geometrie (Polygon)
}

// Point is a location in Rijksdriehoek coordinates (EPSG:28992), in metres.
type Point struct {
	// X is the easting.
	X float64 // coordinates[0]
	// Y is the northing.
	Y float64 // coordinates[1]
}

// Building is a pand.
type Building struct {
	// ID is the building's identification.
	ID string // identificatie
	// YearBuilt is the year the building was first completed, nil when the
	// API's value is not a year.
	YearBuilt *int // oorspronkelijkBouwjaar
	// Status is the BAG status, e.g. "Pand in gebruik".
	Status string // status
	// StatusSince is the day the building's current voorkomen, and so its
	// status, became valid, "2006-01-02"; empty when the API gives none.
	StatusSince string // voorkomen.beginGeldigheid
}
