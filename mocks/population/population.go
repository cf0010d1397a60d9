// Package population generates the synthetic population that stands behind
// every mock registry: persons in households at BAG addresses, companies with
// branches and functionaries, vehicles, driving licences, travel documents,
// employment histories and WW benefits.
//
// The population is deterministic: the same seed and size give the same
// persons, identifiers and relations. Dates are offsets from a reference date
// (by default the day of generation), so relative facts such as "born last
// month" hold on any day while identities stay the same.
//
// Every reference resolves in the registry that owns it: a parent's BSN is a
// person, an address id is a BAG address, an employer is a company.
package population

import (
	"fmt"
	"time"
)

// Date is a GBA-style date "yyyymmdd" in which unknown parts are zeros:
// "19680000" is a year only, "00000000" is unknown. The empty string means
// no date.
type Date string

// DateOf returns the Date of t.
func DateOf(t time.Time) Date { return Date(t.Format("20060102")) }

// Parts returns year, month and day; zero parts are unknown.
func (d Date) Parts() (year, month, day int) {
	if len(d) != 8 {
		return 0, 0, 0
	}
	return atoi(string(d[0:4])), atoi(string(d[4:6])), atoi(string(d[6:8]))
}

// Time returns the date as a time at midnight UTC and false when the date is
// not complete.
func (d Date) Time() (time.Time, bool) {
	y, m, dd := d.Parts()
	if y == 0 || m == 0 || dd == 0 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC), true
}

// ISO returns "2006-01-02" for a complete date and "" otherwise.
func (d Date) ISO() string {
	t, ok := d.Time()
	if !ok {
		return ""
	}
	return t.Format("2006-01-02")
}

// Gender codes as the BRP keeps them.
const (
	Male    = "M"
	Female  = "V"
	Unknown = "O"
)

// Municipality is a Dutch municipality (gemeente) with its CBS code.
type Municipality struct {
	Code string `json:"code"` // four digits, e.g. "0344"
	Name string `json:"name"`
}

// Place is a BAG woonplaats.
type Place struct {
	ID               string `json:"id"` // four digits
	Name             string `json:"name"`
	MunicipalityCode string `json:"municipalityCode"`
}

// Street is a BAG openbare ruimte.
type Street struct {
	ID        string `json:"id"` // 16 digits, type 30
	Name      string `json:"name"`
	ShortName string `json:"shortName"` // NEN 5825 korte naam, at most 24 characters
	PlaceID   string `json:"placeId"`
	// PostcodeDigits is the four-digit part of the postcodes on this street.
	PostcodeDigits string `json:"postcodeDigits"`
}

// Building is a BAG pand.
type Building struct {
	ID        string `json:"id"` // 16 digits, type 10
	YearBuilt int    `json:"yearBuilt"`
	Status    string `json:"status"`
	// StatusSince is when the current status began (the voorkomen's
	// beginGeldigheid), for a building whose status changed lately such as
	// "Verbouwing pand"; empty when the registration's own date stands.
	StatusSince Date    `json:"statusSince,omitempty"`
	X           float64 `json:"x"` // RD (EPSG:28992) centre
	Y           float64 `json:"y"`
}

// Address is a BAG address (nummeraanduiding) with the residential object
// (verblijfsobject) it designates.
type Address struct {
	ID               string   `json:"id"`       // nummeraanduiding, 16 digits, type 20
	ObjectID         string   `json:"objectId"` // verblijfsobject, 16 digits, type 01
	BuildingIDs      []string `json:"buildingIds"`
	StreetID         string   `json:"streetId"`
	HouseNumber      int      `json:"houseNumber"`
	HouseLetter      string   `json:"houseLetter,omitempty"`
	Addition         string   `json:"addition,omitempty"`
	Postcode         string   `json:"postcode"`
	PlaceID          string   `json:"placeId"`
	MunicipalityCode string   `json:"municipalityCode"`
	Surface          int      `json:"surface"` // m²
	Uses             []string `json:"uses"`    // gebruiksdoelen
	Status           string   `json:"status"`
	X                float64  `json:"x"`
	Y                float64  `json:"y"`
}

// Partnership is a marriage (H) or registered partnership (P).
type Partnership struct {
	BSN   string `json:"bsn"`
	Kind  string `json:"kind"` // "H" huwelijk, "P" geregistreerd partnerschap
	Since Date   `json:"since"`
	Ended Date   `json:"ended,omitempty"` // dissolved, e.g. by death
}

// Person is a person registered in the BRP.
type Person struct {
	BSN        string `json:"bsn"`
	ANumber    string `json:"aNumber"`
	GivenNames string `json:"givenNames"`
	Prefix     string `json:"prefix,omitempty"` // voorvoegsel
	Surname    string `json:"surname"`
	Gender     string `json:"gender"`
	BirthDate  Date   `json:"birthDate"`
	BirthPlace string `json:"birthPlace"` // municipality name, or a place abroad
	// BirthPlaceCode is the municipality's code (gemeentecode) for a birth
	// in the Netherlands; a place abroad has none, as the BRP records it
	// by name only.
	BirthPlaceCode string `json:"birthPlaceCode,omitempty"`
	BirthCountry   string `json:"birthCountry"` // BRP land code, "6030" Nederland
	// Nationalities are BRP nationaliteit codes, "0001" Nederlandse; a
	// person may hold several.
	Nationalities    []string     `json:"nationalities"`
	DeathDate        Date         `json:"deathDate,omitempty"`
	AddressID        string       `json:"addressId,omitempty"` // nummeraanduiding; empty after death
	AddressSince     Date         `json:"addressSince,omitempty"`
	MunicipalityCode string       `json:"municipalityCode"` // gemeente van inschrijving
	RegisteredSince  Date         `json:"registeredSince"`
	Parents          []string     `json:"parents,omitempty"` // BSNs: ouder 1, ouder 2
	Children         []string     `json:"children,omitempty"`
	Partner          *Partnership `json:"partner,omitempty"`
	Secret           bool         `json:"secret,omitempty"`   // geheimhouding persoonsgegevens
	Curatele         bool         `json:"curatele,omitempty"` // curateleregister
}

// Alive reports whether the person has no date of death.
func (p *Person) Alive() bool { return p.DeathDate == "" }

// Activity is an SBI activity.
type Activity struct {
	Code        string `json:"code"`
	Description string `json:"description"`
	Main        bool   `json:"main"`
}

// Branch is a vestiging in the Handelsregister.
type Branch struct {
	Number           string     `json:"number"` // vestigingsnummer, 12 digits
	TradeNames       []string   `json:"tradeNames"`
	AddressID        string     `json:"addressId"`
	Main             bool       `json:"main"`
	Commercial       bool       `json:"commercial"`
	FullTime         int        `json:"fullTime"`
	PartTime         int        `json:"partTime"`
	Activities       []Activity `json:"activities"`
	RegistrationDate Date       `json:"registrationDate"`
}

// Functionary is a person with a role in a company.
type Functionary struct {
	BSN   string `json:"bsn"`
	Role  string `json:"role"` // Eigenaar, Bestuurder, Vennoot
	Since Date   `json:"since"`
}

// Legal forms as the Handelsregister names them.
const (
	SoleProprietorship = "Eenmanszaak"
	PrivateCompany     = "Besloten Vennootschap"
	GeneralPartnership = "Vennootschap onder firma"
	Foundation         = "Stichting"
)

// Company is a registration (inschrijving) in the Handelsregister.
type Company struct {
	KvKNumber        string        `json:"kvkNumber"`
	RSIN             string        `json:"rsin,omitempty"` // legal entities only
	Name             string        `json:"name"`
	TradeNames       []string      `json:"tradeNames"`
	LegalForm        string        `json:"legalForm"`
	RegistrationDate Date          `json:"registrationDate"`
	StartDate        Date          `json:"startDate"`
	EndDate          Date          `json:"endDate,omitempty"`
	Activities       []Activity    `json:"activities"`
	PayrollTaxNumber string        `json:"payrollTaxNumber,omitempty"` // loonheffingennummer
	Branches         []Branch      `json:"branches"`
	Functionaries    []Functionary `json:"functionaries"`
	Website          string        `json:"website,omitempty"`
}

// Employees returns the number of persons working at all branches.
func (c *Company) Employees() int {
	n := 0
	for _, b := range c.Branches {
		n += b.FullTime + b.PartTime
	}
	return n
}

// Vehicle is a vehicle in the RDW kentekenregister.
type Vehicle struct {
	Plate               string `json:"plate"` // upper case, no dashes
	Kind                string `json:"kind"`  // voertuigsoort
	Make                string `json:"make"`
	TradeName           string `json:"tradeName"`
	Colour              string `json:"colour"`
	Fuel                string `json:"fuel"`
	Body                string `json:"body"` // inrichting
	Seats               int    `json:"seats"`
	Doors               int    `json:"doors"`
	EmptyMass           int    `json:"emptyMass"`
	CatalogPrice        int    `json:"catalogPrice"`
	FirstAdmission      Date   `json:"firstAdmission"`
	FirstRegistrationNL Date   `json:"firstRegistrationNl"`
	RegisteredSince     Date   `json:"registeredSince"` // datum tenaamstelling
	APKExpiry           Date   `json:"apkExpiry"`
	Insured             bool   `json:"insured"`
	HolderBSN           string `json:"holderBsn,omitempty"`
	HolderKvK           string `json:"holderKvk,omitempty"`
}

// LicenceCategory is one category on a driving licence.
type LicenceCategory struct {
	Code       string `json:"code"` // AM, A, B, BE, C, ...
	IssueDate  Date   `json:"issueDate"`
	ExpiryDate Date   `json:"expiryDate"`
}

// DrivingLicence is a licence in the rijbewijzenregister.
type DrivingLicence struct {
	Number     string            `json:"number"` // 10 digits
	BSN        string            `json:"bsn"`
	IssueDate  Date              `json:"issueDate"`
	ExpiryDate Date              `json:"expiryDate"`
	Authority  string            `json:"authority"` // issuing municipality code
	Categories []LicenceCategory `json:"categories"`
	Withdrawn  bool              `json:"withdrawn,omitempty"`
}

// Travel document kinds (soort reisdocument).
const (
	Passport = "PN" // nationaal paspoort
	IDCard   = "NI" // Nederlandse identiteitskaart
)

// Why a travel document left its holder (aanduiding inhouding dan wel
// vermissing, BRP table Aanduiding inhouding/vermissing reisdocument).
const (
	Surrendered  = "I" // ingehouden of ingeleverd
	LapsedByLaw  = "R" // van rechtswege vervallen
	ReportedLost = "V" // vermist
)

// TravelDocument is a document in the Basisregister Reisdocumenten.
type TravelDocument struct {
	Number     string `json:"number"` // 9 upper-case letters and digits
	BSN        string `json:"bsn"`
	Kind       string `json:"kind"`
	IssueDate  Date   `json:"issueDate"`
	ExpiryDate Date   `json:"expiryDate"`
	Authority  string `json:"authority"` // issuing municipality code
	// Withdrawal is Surrendered, LapsedByLaw or ReportedLost once the
	// document left its holder, on WithdrawnOn; empty while they hold it.
	Withdrawal  string `json:"withdrawal,omitempty"`
	WithdrawnOn Date   `json:"withdrawnOn,omitempty"`
}

// Held reports whether the holder still has the document, expired or not.
func (d *TravelDocument) Held() bool { return d.Withdrawal == "" }

// Employment is an income relation (inkomstenverhouding) in the UWV
// polisadministratie.
type Employment struct {
	BSN              string  `json:"bsn"`
	Sequence         int     `json:"sequence"` // volgnummer inkomstenverhouding
	EmployerKvK      string  `json:"employerKvk"`
	PayrollTaxNumber string  `json:"payrollTaxNumber"`
	EmployerName     string  `json:"employerName"`
	Start            Date    `json:"start"`
	End              Date    `json:"end,omitempty"`
	IncomeKind       string  `json:"incomeKind"`   // CdSrtIkv, e.g. "15"
	Relation         string  `json:"relation"`     // CdAardIkv, e.g. "01"
	ContractType     string  `json:"contractType"` // "O" onbepaalde tijd, "B" bepaalde tijd
	HoursPerWeek     float64 `json:"hoursPerWeek"`
	MonthlyWageCents int     `json:"monthlyWageCents"`
	EndReason        string  `json:"endReason,omitempty"` // reden einde arbeidsovereenkomst
}

// Benefit is a WW benefit relation (uitkeringsverhouding) at UWV.
type Benefit struct {
	BSN                string  `json:"bsn"`
	Law                string  `json:"law"`        // CdSzWet; "WW"
	IncomeKind         string  `json:"incomeKind"` // CdSrtIkv "33"
	FirstDayUnemployed Date    `json:"firstDayUnemployed"`
	ApplicationDate    Date    `json:"applicationDate"`
	Start              Date    `json:"start"`
	End                Date    `json:"end,omitempty"`
	MaxEnd             Date    `json:"maxEnd"` // datum einde maximale uitkeringsduur
	HoursLost          float64 `json:"hoursLost"`
	Reason             string  `json:"reason"`
	EmploymentSequence int     `json:"employmentSequence"`
	DailyAmountCents   int     `json:"dailyAmountCents"`
}

// Scenarios names subjects that the life-event tests and the README can rely
// on; the generator makes sure each of them exists. Every life event
// happens at least twice in a population, so that each role in it is held
// by two persons: besides the named subjects below, the tests find the
// others by what they are (a death in the last month, a building under
// renovation).
type Scenarios struct {
	// Household is an adult living with a partner and minor children.
	Household string `json:"household"`
	// RecentBirth is a child born in the last four weeks to married
	// parents, living with both.
	RecentBirth string `json:"recentBirth"`
	// UnmarriedBirth is a child born in the last four weeks to a mother
	// without a partnership; no father is registered yet, as none has
	// recognised the child.
	UnmarriedBirth string `json:"unmarriedBirth"`
	// JobLoss is a person whose employment ended in the last two months,
	// who receives a WW benefit and lives with a partner and a child.
	JobLoss string `json:"jobLoss"`
	// JobEnded is a person whose employment ended in the last month and
	// who has no WW benefit (yet).
	JobEnded string `json:"jobEnded"`
	// NewCompany is a KvK number registered in the last two months: a sole
	// proprietor's road-haulage business.
	NewCompany string `json:"newCompany"`
	// NewRestaurant is a KvK number registered in the last two months: a
	// private company running a restaurant, with two directors.
	NewRestaurant string `json:"newRestaurant"`
	// SoleProprietor is a person who owns an eenmanszaak.
	SoleProprietor string `json:"soleProprietor"`
	// CareDependent is a person aged 80 or over, with at least two
	// children, who moved into a care home (a dwelling used for health
	// care) in the last two months and lives there alone.
	CareDependent string `json:"careDependent"`
	// Traveller is a person aged 30 to 60 whose passport expires within
	// four months and who holds a valid driving licence.
	Traveller string `json:"traveller"`
	// MinorTraveller is a child with two parents whose passport expires
	// within four months.
	MinorTraveller string `json:"minorTraveller"`
	// Mover is a person who moved to their address in the last month with
	// at least one other member of the household.
	Mover string `json:"mover"`
	// Deceased is a person who died in the last month and had a partner
	// and at least two children.
	Deceased string `json:"deceased"`
	// Renovation is an address (nummeraanduiding) of a house built before
	// 1940, with at least two residents, one of whom owns it, protected as
	// a rijksmonument, whose building the BAG shows under renovation
	// (Verbouwing pand) since the last two months.
	Renovation string `json:"renovation"`
	// VehicleOwner is a person holding at least one vehicle.
	VehicleOwner string `json:"vehicleOwner"`
}

// Population is the whole synthetic population.
type Population struct {
	Seed            uint64           `json:"seed"`
	Size            int              `json:"size"`
	ReferenceDate   Date             `json:"referenceDate"`
	Municipalities  []Municipality   `json:"municipalities"`
	Places          []Place          `json:"places"`
	Streets         []Street         `json:"streets"`
	Buildings       []Building       `json:"buildings"`
	Addresses       []Address        `json:"addresses"`
	Persons         []Person         `json:"persons"`
	Companies       []Company        `json:"companies"`
	Vehicles        []Vehicle        `json:"vehicles"`
	DrivingLicences []DrivingLicence `json:"drivingLicences"`
	TravelDocuments []TravelDocument `json:"travelDocuments"`
	Employments     []Employment     `json:"employments"`
	Benefits        []Benefit        `json:"benefits"`
	Parcels         []Parcel         `json:"parcels"`
	Scenarios       Scenarios        `json:"scenarios"`

	idx index
}

func (p *Population) String() string {
	return fmt.Sprintf("population(seed=%d, persons=%d, companies=%d, addresses=%d)",
		p.Seed, len(p.Persons), len(p.Companies), len(p.Addresses))
}
