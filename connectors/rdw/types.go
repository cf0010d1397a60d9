package rdw

// Vehicle is a vehicle in the kentekenregister as RDW open data shows it:
// dataset m9d7-ebf2 (Gekentekende_voertuigen) and, for the fuels, dataset
// 8ys7-d773 (Gekentekende_voertuigen_brandstof). Open data holds nothing
// about the holder. Dates are ISO 8601 ("2006-01-02"); a field the registry
// leaves empty is "" or nil.
type Vehicle struct {
	// Plate is the licence plate, upper case without dashes.
	Plate string // kenteken
	// Kind is the kind of vehicle, e.g. "Personenauto", "Bedrijfsauto",
	// "Motorfiets".
	Kind string // voertuigsoort
	// Make is the brand, e.g. "OPEL".
	Make string // merk
	// TradeName is the model name, e.g. "CORSA".
	TradeName string // handelsbenaming
	// Colour is the main colour, e.g. "GRIJS".
	Colour string // eerste_kleur
	// SecondColour is the second colour; "" when the registry says "Niet
	// geregistreerd".
	SecondColour string // tweede_kleur
	// Body is the body type, e.g. "hatchback"; "" when the registry says
	// "Niet geregistreerd".
	Body string // inrichting
	// EUCategory is the European vehicle category, e.g. "M1", "N1", "L3".
	EUCategory string // europese_voertuigcategorie
	// Seats is the number of seats, the driver's included.
	Seats *int // aantal_zitplaatsen
	// Doors is the number of doors.
	Doors *int // aantal_deuren
	// EmptyMass is the mass of the empty vehicle in kg.
	EmptyMass *int // massa_ledig_voertuig
	// MassInRunningOrder is the mass ready to drive in kg.
	MassInRunningOrder *int // massa_rijklaar
	// CatalogPrice is the list price in euros, taxes included.
	CatalogPrice *int // catalogusprijs
	// FirstAdmission is the date the vehicle was first admitted to the
	// road anywhere.
	FirstAdmission string // datum_eerste_toelating
	// FirstRegistrationNL is the date of the first registration in the
	// Netherlands.
	FirstRegistrationNL string // datum_eerste_tenaamstelling_in_nederland
	// RegisteredSince is the date of the current registration to its
	// holder.
	RegisteredSince string // datum_tenaamstelling
	// APKExpiry is the date the periodic inspection (APK) expires; ""
	// for vehicles without one, such as motorcycles.
	APKExpiry string // vervaldatum_apk
	// Insured says whether the vehicle has third-party insurance (WAM).
	Insured *bool // wam_verzekerd
	// OpenRecall says whether a recall of the vehicle is open.
	OpenRecall *bool // openstaande_terugroepactie_indicator
	// Exported says whether the vehicle has been exported.
	Exported *bool // export_indicator
	// Taxi says whether the vehicle is registered as a taxi.
	Taxi *bool // taxi_indicator
	// EnergyLabel is the fuel-efficiency class, "A" to "G".
	EnergyLabel string // zuinigheidsclassificatie
	// Fuels are the vehicle's fuels in the registry's order, e.g.
	// ["Benzine"] or ["Benzine", "Elektriciteit"].
	Fuels []string // brandstof_omschrijving (8ys7-d773), by brandstof_volgnummer
}

// Holding is a vehicle a person or organisation is liable for as its
// registered holder (aansprakelijke), with a summary of the vehicle, from
// the RDW dossier contract modelled on Suwinet RDWDossierGSD. Exactly one of
// HolderBSN and HolderKvK is set. Dates are ISO 8601, reduced to "2006-01"
// or "2006" when the registry knows only part of a date.
type Holding struct {
	// Plate is the licence plate, upper case without dashes.
	Plate string // Aansprakelijke.Voertuig.KentekenVoertuig
	// HolderBSN is the BSN of the person liable for the vehicle.
	HolderBSN string // ClientSuwi.Burgerservicenr
	// HolderKvK is the KvK number of the organisation liable for the
	// vehicle.
	HolderKvK string // OndernemingInst.InschrijvingsnrKvK
	// Since is the date the liability was registered.
	Since string // Aansprakelijke.DatRegistratieAansprakelijkheid
	// Until is the date the liability ended; "" while it lasts.
	Until string // Aansprakelijke.DatEAansprakelijkheid
	// KindCode is the kind of vehicle as a code: P personenauto, B
	// bedrijfsauto, M motorfiets, C bromfiets, A aanhangwagen, D
	// driewielig motorrijtuig, O onbekend.
	KindCode string // Aansprakelijke.Voertuig.CdSrtVoertuig
	// Kind is KindCode as open data's voertuigsoort names it, e.g.
	// "Personenauto"; "" for an unknown code.
	Kind string // Aansprakelijke.Voertuig.CdSrtVoertuig
	// Make is the brand.
	Make string // Aansprakelijke.Voertuig.MerkVoertuig
	// TradeName is the model name.
	TradeName string // Aansprakelijke.Voertuig.TypeVoertuig
	// Colour is the main colour.
	Colour string // Aansprakelijke.Voertuig.HoofdkleurVoertuig
	// FirstRegistrationNL is the date of the first registration in the
	// Netherlands.
	FirstRegistrationNL string // Aansprakelijke.Voertuig.DatEersteInschrijvingVoertuigNat
	// FirstAdmission is the date of the first admission anywhere.
	FirstAdmission string // Aansprakelijke.Voertuig.DatEersteInschrijvingVoertuigInt
	// APKExpiry is the latest expiry date of the periodic inspection; ""
	// when there is none.
	APKExpiry string // Aansprakelijke.Voertuig.Keuring[].DatEGeldigheidApk
	// CatalogPriceCents is the list price in euro cents.
	CatalogPriceCents *int // Aansprakelijke.Voertuig.BedrCatalogusVoertuig.WaardeBedr
	// Insured says whether the vehicle has third-party insurance (WAM).
	Insured bool // Aansprakelijke.Voertuig.Verzekering.CdSrtDekking is "WAM"
}

// LicenceStatus is the status of a driving licence on the day it was asked
// for.
type LicenceStatus string

// The statuses the rijbewijzenregister gives. Others are passed on as they
// come.
const (
	LicenceValid       LicenceStatus = "geldig"
	LicenceExpired     LicenceStatus = "verlopen"
	LicenceWithdrawn   LicenceStatus = "ingetrokken"
	LicenceInvalidated LicenceStatus = "ongeldig"
)

// DrivingLicence is a driving licence in the rijbewijzenregister, from the
// RDW dossier contract. Dates are ISO 8601.
type DrivingLicence struct {
	// Number is the document number, ten digits.
	Number string // Rijbewijs.Rijbewijsnr
	// BSN is the holder's BSN.
	BSN string // ClientSuwi.Burgerservicenr
	// IssueDate is the date the document was issued.
	IssueDate string // Rijbewijs.DatAfgifteRijbewijs
	// ExpiryDate is the last day the document is valid.
	ExpiryDate string // Rijbewijs.DatEGeldigheidRijbewijs
	// Authority is the CBS code of the issuing municipality, e.g. "0344".
	Authority string // Rijbewijs.AfgevendeGemeente.CdGemeente
	// AuthorityName is the name of the issuing municipality.
	AuthorityName string // Rijbewijs.AfgevendeGemeente.NaamGemeente
	// Status is the status on the day of the request.
	Status LicenceStatus // Rijbewijs.StatusRijbewijs
	// Categories are the categories the licence is valid for.
	Categories []LicenceCategory // Rijbewijs.Rijbewijscategorie
}

// LicenceCategory is one category on a driving licence.
type LicenceCategory struct {
	// Code is the category, e.g. "AM", "A", "B", "BE", "C".
	Code string // Rijbewijscategorie.CdCategorieRijbewijs
	// IssueDate is the date the category was first granted.
	IssueDate string // Rijbewijscategorie.DatAfgifteCategorieRijbewijs
	// ExpiryDate is the last day the category is valid.
	ExpiryDate string // Rijbewijscategorie.DatEGeldigheidCategorieRijbewijs
}
