package nhr

// The types below are what the connector gives its callers. The comment on
// each field names the KvK API field it comes from, relative to the object
// the type maps (Basisprofiel, Vestiging, Adres, ...), so the GraphQL layer
// can declare its lineage.
//
// Dates are ISO 8601 strings. KvK dates ("yyyymmdd") may leave the day or
// the month unknown as zeros; such a date becomes "2006-01" or "2006", and a
// wholly unknown date the empty string, like a missing one.

// Company is a registration (inschrijving) in the Handelsregister, as the
// Basisprofiel API gives it.
type Company struct {
	KvKNumber     string   // kvkNummer
	RSIN          string   // _embedded.eigenaar.rsin; legal entities only
	Name          string   // naam
	StatutoryName string   // statutaireNaam; legal entities with statutes only
	TradeNames    []string // handelsnamen[].naam, ordered by handelsnamen[].volgorde
	// LegalForm is the legal form, e.g. "Eenmanszaak" or "Besloten
	// Vennootschap". From _embedded.eigenaar.rechtsvorm.
	LegalForm string
	// LegalFormDetail is the extended legal form, e.g. "Besloten
	// Vennootschap met gewone structuur". From
	// _embedded.eigenaar.uitgebreideRechtsvorm.
	LegalFormDetail  string
	RegistrationDate string     // formeleRegistratiedatum
	StartDate        string     // materieleRegistratie.datumAanvang
	EndDate          string     // materieleRegistratie.datumEinde; empty while registered
	Employees        *int       // totaalWerkzamePersonen; nil when not given
	NonMailing       bool       // indNonMailing "Ja": no unsolicited mail or door-to-door sales
	Activities       []Activity // sbiActiviteiten
	// MainBranch is the main branch (hoofdvestiging), nil when the
	// registration has none. From _embedded.hoofdvestiging, which carries
	// no rsin and no handelsnamen.
	MainBranch *Branch
	// OwnerAddresses are the owner's addresses, given for legal entities.
	// From _embedded.eigenaar.adressen.
	OwnerAddresses []Address
	Websites       []string // _embedded.eigenaar.websites
}

// Activity is an SBI activity (Standaard Bedrijfsindeling 2008).
type Activity struct {
	Code        string // sbiCode
	Description string // sbiOmschrijving
	Main        bool   // indHoofdactiviteit "Ja"
}

// Branch is a branch (vestiging), as the Vestigingsprofiel API gives it.
type Branch struct {
	Number           string     // vestigingsnummer
	KvKNumber        string     // kvkNummer
	RSIN             string     // rsin; legal entities only
	FirstTradeName   string     // eersteHandelsnaam
	TradeNames       []string   // handelsnamen[].naam, ordered by handelsnamen[].volgorde
	StatutoryName    string     // statutaireNaam: Basisprofiel's main branch only, Vestigingsprofiel 1.4 has none
	Main             bool       // indHoofdvestiging "Ja"
	Commercial       bool       // indCommercieleVestiging "Ja"
	NonMailing       bool       // indNonMailing "Ja"
	FullTime         *int       // voltijdWerkzamePersonen; nil when not given
	PartTime         *int       // deeltijdWerkzamePersonen; nil when not given
	Employees        *int       // totaalWerkzamePersonen; nil when not given
	Activities       []Activity // sbiActiviteiten
	Addresses        []Address  // adressen
	Websites         []string   // websites
	RegistrationDate string     // formeleRegistratiedatum
	StartDate        string     // materieleRegistratie.datumAanvang
	EndDate          string     // materieleRegistratie.datumEinde
}

// Address kinds (Adres.type).
const (
	VisitingAddress = "bezoekadres"
	PostalAddress   = "correspondentieadres"
)

// Address is an address of a branch or an owner. A shielded address
// (afgeschermd) has little more than its place.
type Address struct {
	Kind        string // type: VisitingAddress or PostalAddress
	FullAddress string // volledigAdres
	Street      string // straatnaam
	HouseNumber int    // huisnummer; 0 when none
	HouseLetter string // huisletter
	Addition    string // huisnummerToevoeging
	POBox       int    // postbusnummer; 0 when none
	Postcode    string // postcode
	Place       string // plaats
	Country     string // land
	// AddressID is the BAG nummeraanduiding identification, which joins the
	// address to the BAG. From geoData.nummerAanduidingId.
	AddressID string
	// ObjectID is the BAG adresseerbaar object identification. From
	// geoData.addresseerbaarObjectId (sic, double d).
	ObjectID  string
	Latitude  *float64 // geoData.gpsLatitude (WGS84)
	Longitude *float64 // geoData.gpsLongitude (WGS84)
	Shielded  bool     // indAfgeschermd "Ja"
}

// BranchSummary is one branch in a registration's list of branches.
type BranchSummary struct {
	Number         string // vestigingsnummer
	FirstTradeName string // eersteHandelsnaam
	Main           bool   // indHoofdvestiging "Ja"
	Commercial     bool   // indCommercieleVestiging "Ja"
	Shielded       bool   // indAdresAfgeschermd "Ja"
	FullAddress    string // volledigAdres
}

// ResultType is the kind of a search result (ResultaatItem.type), and a
// filter of SearchQuery.
type ResultType string

// The kinds of search result.
const (
	MainBranchResult  ResultType = "hoofdvestiging"
	SideBranchResult  ResultType = "nevenvestiging"
	LegalEntityResult ResultType = "rechtspersoon"
)

// SearchQuery asks the Zoeken API. Give at least one of KvKNumber,
// BranchNumber, RSIN, Name, Street, Place or Postcode with HouseNumber.
type SearchQuery struct {
	KvKNumber    string // kvkNummer
	BranchNumber string // vestigingsnummer
	RSIN         string // rsin
	// Name matches whole words of trade names and statutory names (naam).
	Name        string
	Street      string // straatnaam
	Place       string // plaats
	Postcode    string // postcode; only with HouseNumber
	HouseNumber int    // huisnummer; only with Postcode
	HouseLetter string // huisletter; only with HouseNumber
	// Type limits the results to one kind; empty means all (type).
	Type ResultType
	// IncludeInactive includes ended registrations
	// (inclusiefInactieveRegistraties).
	IncludeInactive bool
	// Page counts from 1, at most 1000; zero means 1 (pagina).
	Page int
	// PerPage is 1 to 100; zero means 10 (resultatenPerPagina).
	PerPage int
}

// SearchPage is one page of search results.
type SearchPage struct {
	Page    int            // pagina
	PerPage int            // resultatenPerPagina
	Total   int            // totaal; the API shows at most 1,000
	Results []SearchResult // resultaten
	// HasNext says whether a next page exists (volgende).
	HasNext bool
}

// SearchResult is one search hit: a branch, or a legal entity.
type SearchResult struct {
	KvKNumber    string     // kvkNummer
	RSIN         string     // rsin
	BranchNumber string     // vestigingsnummer; empty for a legal entity
	Name         string     // naam
	Type         ResultType // type
	// Active is false for an ended registration (actief "Nee"); a result
	// without actief counts as active.
	Active  bool
	Address *SearchAddress // adres; nil when not given
}

// SearchAddress is the address of a search hit, Dutch or foreign.
type SearchAddress struct {
	Kind        string // binnenlandsAdres.type or buitenlandsAdres.type: "bezoekadres" or "postadres"
	Street      string // binnenlandsAdres.straatnaam
	HouseNumber int    // binnenlandsAdres.huisnummer
	HouseLetter string // binnenlandsAdres.huisletter
	POBox       int    // binnenlandsAdres.postbusnummer
	Postcode    string // binnenlandsAdres.postcode
	Place       string // binnenlandsAdres.plaats
	// StreetAndNumber and PostcodeAndPlace hold a foreign address's lines.
	// From buitenlandsAdres.straatHuisnummer and
	// buitenlandsAdres.postcodeWoonplaats.
	StreetAndNumber  string
	PostcodeAndPlace string
	Country          string // buitenlandsAdres.land; empty for a Dutch address
}

// Functionary is a person with a role in a registration, from the
// functionarissen contract (GET basisprofielen/{kvkNummer}/functionarissen).
type Functionary struct {
	BSN   string // functionarissen[].burgerservicenummer
	Role  string // functionarissen[].functie: Eigenaar, Bestuurder or Vennoot
	Since string // functionarissen[].datumAanvang
}

// Role is a registration in which a person is a functionary, from the
// functionarissen contract (POST functionarissen/zoeken).
type Role struct {
	KvKNumber string // inschrijvingen[].kvkNummer
	Name      string // inschrijvingen[].naam
	Role      string // inschrijvingen[].functie: Eigenaar, Bestuurder or Vennoot
	Since     string // inschrijvingen[].datumAanvang
}
