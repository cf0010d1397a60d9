package uwv

// Code is a coded value with its description. Suwinet sends the code; the
// description comes from BKWI's code table and is empty for a code the
// table does not have.
type Code struct {
	Code        string
	Description string
}

// Money is an amount in cents.
type Money struct {
	// Cents is WaardeBedr, negative when CdPositiefNegatief is "-".
	Cents int64
	// Currency is CdMunteenheid, "EUR".
	Currency string
}

// Employment is an income relation (inkomstenverhouding) in UWV's
// polisadministratie: a job, or a benefit UWV pays (IncomeKind 33 for WW).
// Dates are ISO "2006-01-02"; an empty End means the relation runs on.
type Employment struct {
	// BSN is the person's burgerservicenummer (ClientSuwi.Burgerservicenr).
	BSN string
	// Sequence numbers the person's relations (Inkomstenverhouding.VolgnrIkv).
	Sequence int
	// EmployerName is the payroll administration's name
	// (AdministratieveEenheid.NaamAdministratieveEenheid).
	EmployerName string
	// PayrollTaxNumber is the loonheffingennummer
	// (AdministratieveEenheid.Loonheffingennr).
	PayrollTaxNumber string
	// EmployerRSIN is the legal entity's fiscal number
	// (AdministratieveEenheid.RechtspersoonAdministratieveEenh.FiNr, the
	// RSIN); empty when the employer is a natural person.
	EmployerRSIN string
	// EmployerAddress is where the payroll administration is established
	// (AdministratieveEenheid.FeitelijkAdresAeh.Straatadres: the one in use,
	// else the latest); nil when UWV holds none or only one abroad.
	EmployerAddress *Address
	// Start is the relation's first day (Inkomstenverhouding.DatBIkv).
	Start string
	// End is the relation's last day (Inkomstenverhouding.DatEIkv).
	End string
	// IncomeKind is the kind of income (Inkomstenperiode.CdSrtIkv of the
	// latest period, described from BKWI's table), e.g. 15 wages, 33 WW.
	IncomeKind Code
	// Relation is the nature of the employment (Inkomstenperiode.CdAardIkv
	// of the latest period), e.g. 01 arbeidsovereenkomst; the zero Code for
	// a benefit.
	Relation Code
	// ContractType is O (indefinite) or B (fixed term)
	// (Inkomstenperiode.CdTypeArbeidscontract of the latest period); the
	// zero Code for a benefit.
	ContractType Code
	// HoursPerWeek is derived from Inkomstenopgave.AantVerloondeUrenIko,
	// DatBIko and DatEIko: the hours paid in the latest statement that covers
	// a whole calendar month (or else the latest statement), times seven,
	// divided by the days the statement covers, rounded to the nearest half
	// hour. Nil when there is no statement yet or it reports no hours (a
	// benefit).
	HoursPerWeek *float64
	// LatestMonthlyWage is the gross wage for social insurance
	// (Inkomstenopgave.BedrBrutoloonSv) of the latest statement that covers
	// a whole calendar month; for a benefit, the gross amount paid. Nil when
	// no whole month has been declared yet.
	LatestMonthlyWage *Money
}

// Address is a Dutch street address as SuwiML's Straatadres gives it: the
// house letter, if any, is part of Addition (Huisnrtoevoeging).
type Address struct {
	Street      string // Straatnaam, at most 24 characters
	HouseNumber int    // Huisnr
	Addition    string // Huisnrtoevoeging
	Postcode    string // Postcd
	Place       string // Woonplaatsnaam
}

// Benefit is a benefit relation (uitkeringsverhouding) under an employee
// insurance, such as WW. Dates are ISO "2006-01-02"; empty when unknown.
//
// SuwiML lists unemployment, applications and benefit relations side by
// side without a key. FirstDayUnemployed and Reason come from the
// WerkloosheidClient, and ApplicationDate from the AanvraagUitkering of the
// same law, whose date lies nearest to the relation's start.
type Benefit struct {
	// BSN is the person's burgerservicenummer (ClientSuwi.Burgerservicenr).
	BSN string
	// Law is the social security law (Uitkeringsverhouding.SzWet.CdSzWet),
	// e.g. "WW".
	Law string
	// FirstDayUnemployed is WerkloosheidClient.DatEersteWerkloosheidsdag.
	FirstDayUnemployed string
	// Start is Uitkeringsverhouding.DatBUitkeringsverhouding.
	Start string
	// End is Uitkeringsverhouding.DatEUitkeringsverhouding; empty while the
	// benefit runs.
	End string
	// EndReason is Uitkeringsverhouding.OmsRedenEindeUitkeringsverh.
	EndReason string
	// MaxEnd is the end of the maximum benefit duration
	// (Uitkeringsverhouding.DatEMaximaleUitkeringsduur).
	MaxEnd string
	// HoursLost is the weekly working hours lost that the benefit is based
	// on (Uitkeringsverhouding.AantWerkurenPerWeekGrondslagUitk, sent as
	// hours and minutes HHMM).
	HoursLost *float64
	// Reason is why the person became unemployed
	// (WerkloosheidClient.OmsRedenWerkloosheid).
	Reason string
	// ApplicationDate is when the benefit was applied for
	// (AanvraagUitkering.DatAanvraagUitkering).
	ApplicationDate string
}
