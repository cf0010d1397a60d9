package uwv

// The JSON shapes of the contract. Field names are the SuwiML element names
// of UWVDossierInkomstenGSD v0200 and UWVDossierWerknemersverzekeringenGSD
// v0200; elements that are optional there (minOccurs 0) are omitted when
// empty. Dates are SuwiML dates "yyyymmdd", amounts are cents.

// ---- requests ----

// periode mirrors PeriodeGegevensvraagIko and PeriodeGegevensleveringIko.
type periode struct {
	DatBPeriode string `json:"DatBPeriode,omitempty"`
	DatEPeriode string `json:"DatEPeriode,omitempty"`
}

// ---- UWVPersoonsIkvInfo ----

type ikvAntwoord struct {
	ClientSuwi    []ikvClient     `json:"ClientSuwi"`
	NietsGevonden []nietsGevonden `json:"NietsGevonden"`
	// PeriodeGegevensleveringIko echoes the period asked for.
	PeriodeGegevensleveringIko *periode `json:"PeriodeGegevensleveringIko,omitempty"`
}

type nietsGevonden struct {
	Burgerservicenr string `json:"Burgerservicenr"`
}

type ikvClient struct {
	Burgerservicenr     string                `json:"Burgerservicenr"`
	Inkomstenverhouding []inkomstenverhouding `json:"Inkomstenverhouding"`
}

type inkomstenverhouding struct {
	VolgnrIkv int    `json:"VolgnrIkv"`
	DatBIkv   string `json:"DatBIkv"`
	DatEIkv   string `json:"DatEIkv,omitempty"`
	// CdRedenEindeArbeidsovereenkomst is an extension: the reason the
	// employment contract ended, from the BKWI table
	// codes_reden_einde_arbeidsovereenkomst.
	CdRedenEindeArbeidsovereenkomst  string                 `json:"CdRedenEindeArbeidsovereenkomst,omitempty"`
	OmsRedenEindeArbeidsovereenkomst string                 `json:"OmsRedenEindeArbeidsovereenkomst,omitempty"`
	AdministratieveEenheid           administratieveEenheid `json:"AdministratieveEenheid"`
	Inkomstenperiode                 []inkomstenperiode     `json:"Inkomstenperiode"`
	Inkomstenopgave                  []inkomstenopgave      `json:"Inkomstenopgave"`
}

type administratieveEenheid struct {
	NaamAdministratieveEenheid string `json:"NaamAdministratieveEenheid,omitempty"`
	Loonheffingennr            string `json:"Loonheffingennr"`
	// KvKNr is an extension: the employer's KvK number, so that an income
	// relation can be joined to the Handelsregister.
	KvKNr                            string         `json:"KvKNr,omitempty"`
	DatBAdministratieveEenheid       string         `json:"DatBAdministratieveEenheid,omitempty"`
	DatEAdministratieveEenheid       string         `json:"DatEAdministratieveEenheid,omitempty"`
	PersoonAdministratieveEenheid    *persoonAeh    `json:"PersoonAdministratieveEenheid,omitempty"`
	RechtspersoonAdministratieveEenh *rechtspersoon `json:"RechtspersoonAdministratieveEenh,omitempty"`
	FeitelijkAdresAeh                []adresAeh     `json:"FeitelijkAdresAeh,omitempty"`
}

type persoonAeh struct {
	Voornamen                      string `json:"Voornamen,omitempty"`
	Voorvoegsel                    string `json:"Voorvoegsel,omitempty"`
	SignificantDeelVanDeAchternaam string `json:"SignificantDeelVanDeAchternaam,omitempty"`
}

type rechtspersoon struct {
	FiNr              string `json:"FiNr"`
	NaamRechtspersoon string `json:"NaamRechtspersoon,omitempty"`
}

type adresAeh struct {
	DatBAdres   string       `json:"DatBAdres,omitempty"`
	Straatadres *straatadres `json:"Straatadres,omitempty"`
}

type straatadres struct {
	Straatnaam       string `json:"Straatnaam,omitempty"`
	Huisnr           int    `json:"Huisnr,omitempty"`
	Huisletter       string `json:"Huisletter,omitempty"`
	Huisnrtoevoeging string `json:"Huisnrtoevoeging,omitempty"`
	Postcd           string `json:"Postcd,omitempty"`
	Woonplaatsnaam   string `json:"Woonplaatsnaam,omitempty"`
	Gemeentenaam     string `json:"Gemeentenaam,omitempty"`
}

type inkomstenperiode struct {
	DatBIkp  string `json:"DatBIkp"`
	DatEIkp  string `json:"DatEIkp,omitempty"`
	CdSrtIkv string `json:"CdSrtIkv,omitempty"`
	// The Oms* elements are extensions: the code's description from the
	// BKWI code table.
	OmsSrtIkv              string `json:"OmsSrtIkv,omitempty"`
	CdTypeArbeidscontract  string `json:"CdTypeArbeidscontract,omitempty"`
	OmsTypeArbeidscontract string `json:"OmsTypeArbeidscontract,omitempty"`
	CdAardIkv              string `json:"CdAardIkv,omitempty"`
	OmsAardIkv             string `json:"OmsAardIkv,omitempty"`
}

type inkomstenopgave struct {
	DatBIko                   string  `json:"DatBIko"`
	DatEIko                   string  `json:"DatEIko,omitempty"`
	AantVerloondeUrenIko      int     `json:"AantVerloondeUrenIko"`
	BedrBrutoloonSv           *bedrag `json:"BedrBrutoloonSv,omitempty"`
	BedrLoonLbPremieVolksverz *bedrag `json:"BedrLoonLbPremieVolksverz,omitempty"`
}

// bedrag mirrors sml:StandaardBedr.
type bedrag struct {
	CdMunteenheid      string `json:"CdMunteenheid"`
	CdPositiefNegatief string `json:"CdPositiefNegatief"`
	WaardeBedr         int64  `json:"WaardeBedr"`
}

func euro(cents int64) *bedrag {
	b := &bedrag{CdMunteenheid: "EUR", CdPositiefNegatief: "+", WaardeBedr: cents}
	if cents < 0 {
		b.CdPositiefNegatief, b.WaardeBedr = "-", -cents
	}
	return b
}

// ---- UWVPersoonsWvInfo ----

type wvAntwoord struct {
	ClientSuwi    []wvClient      `json:"ClientSuwi"`
	NietsGevonden []nietsGevonden `json:"NietsGevonden"`
}

type wvClient struct {
	Burgerservicenr      string                 `json:"Burgerservicenr"`
	WerkloosheidClient   []werkloosheidClient   `json:"WerkloosheidClient"`
	AanvraagUitkering    []aanvraagUitkering    `json:"AanvraagUitkering"`
	Uitkeringsverhouding []uitkeringsverhouding `json:"Uitkeringsverhouding"`
}

type werkloosheidClient struct {
	DatEersteWerkloosheidsdag string `json:"DatEersteWerkloosheidsdag"`
	OmsRedenWerkloosheid      string `json:"OmsRedenWerkloosheid,omitempty"`
}

type szWet struct {
	CdSzWet string `json:"CdSzWet"`
}

type aanvraagUitkering struct {
	DatAanvraagUitkering string `json:"DatAanvraagUitkering"`
	SzWet                szWet  `json:"SzWet"`
}

type uitkeringsverhouding struct {
	DatBUitkeringsverhouding         string  `json:"DatBUitkeringsverhouding"`
	DatEUitkeringsverhouding         string  `json:"DatEUitkeringsverhouding,omitempty"`
	OmsRedenEindeUitkeringsverh      string  `json:"OmsRedenEindeUitkeringsverh,omitempty"`
	DatEMaximaleUitkeringsduur       string  `json:"DatEMaximaleUitkeringsduur,omitempty"`
	AantWerkurenPerWeekGrondslagUitk float64 `json:"AantWerkurenPerWeekGrondslagUitk"`
	SzWet                            szWet   `json:"SzWet"`
}

// ---- status and errors ----

type status struct {
	Status string `json:"status"`
}

// problem is an RFC 9457 problem detail in the shape of the Haal Centraal
// APIs (Foutbericht and BadRequestFoutbericht).
type problem struct {
	Type          string         `json:"type"`
	Title         string         `json:"title"`
	Status        int            `json:"status"`
	Detail        string         `json:"detail"`
	Instance      string         `json:"instance"`
	Code          string         `json:"code"`
	InvalidParams []invalidParam `json:"invalidParams,omitempty"`
}

type invalidParam struct {
	Type   string `json:"type"`
	Name   string `json:"name"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}
