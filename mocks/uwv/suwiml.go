package uwv

import "encoding/xml"

// The SuwiML answers the mock writes. Field order is the order of the
// schemas' sequences (spec/…/BodyReaction.xsd); elements that are optional
// there (minOccurs 0) are omitted when empty. Children of an answer are
// unqualified (elementFormDefault="unqualified"), so the answer element is
// written with a prefix of its own instead of a default namespace.

// ---- UWVPersoonsIkvInfo ----

type ikvAntwoord struct {
	XMLName                    xml.Name       `xml:"smls:UWVPersoonsIkvInfoResponse"`
	Smls                       string         `xml:"xmlns:smls,attr"`
	ClientSuwi                 *ikvClient     `xml:"ClientSuwi,omitempty"`
	PeriodeGegevensleveringIko *periode       `xml:"PeriodeGegevensleveringIko,omitempty"`
	FWI                        *fwi           `xml:"fwi:FWI,omitempty"`
	NietsGevonden              *nietsGevonden `xml:"fwi:NietsGevonden,omitempty"`
}

// periode is PeriodeGegevensvraagIko and PeriodeGegevensleveringIko.
type periode struct {
	DatBPeriode string `xml:"DatBPeriode,omitempty"`
	DatEPeriode string `xml:"DatEPeriode,omitempty"`
}

type ikvClient struct {
	Burgerservicenr     string                `xml:"Burgerservicenr"`
	Inkomstenverhouding []inkomstenverhouding `xml:"Inkomstenverhouding"`
}

type inkomstenverhouding struct {
	VolgnrIkv              int                    `xml:"VolgnrIkv"`
	DatBIkv                string                 `xml:"DatBIkv"`
	DatEIkv                string                 `xml:"DatEIkv,omitempty"`
	AdministratieveEenheid administratieveEenheid `xml:"AdministratieveEenheid"`
	Inkomstenperiode       []inkomstenperiode     `xml:"Inkomstenperiode"`
	// Inkomstenopgave occurs at least once.
	Inkomstenopgave []inkomstenopgave `xml:"Inkomstenopgave"`
}

type administratieveEenheid struct {
	NaamAdministratieveEenheid string `xml:"NaamAdministratieveEenheid,omitempty"`
	Loonheffingennr            string `xml:"Loonheffingennr"`
	DatBAdministratieveEenheid string `xml:"DatBAdministratieveEenheid,omitempty"`
	DatEAdministratieveEenheid string `xml:"DatEAdministratieveEenheid,omitempty"`
	// Exactly one of the two.
	PersoonAdministratieveEenheid    *persoonAeh    `xml:"PersoonAdministratieveEenheid,omitempty"`
	RechtspersoonAdministratieveEenh *rechtspersoon `xml:"RechtspersoonAdministratieveEenh,omitempty"`
	FeitelijkAdresAeh                []adresAeh     `xml:"FeitelijkAdresAeh"`
}

type persoonAeh struct {
	Voornamen                      string `xml:"Voornamen,omitempty"`
	Voorvoegsel                    string `xml:"Voorvoegsel,omitempty"`
	SignificantDeelVanDeAchternaam string `xml:"SignificantDeelVanDeAchternaam,omitempty"`
}

type rechtspersoon struct {
	FiNr              string `xml:"FiNr"`
	NaamRechtspersoon string `xml:"NaamRechtspersoon,omitempty"`
}

type adresAeh struct {
	DatBAdres   string      `xml:"DatBAdres,omitempty"`
	Straatadres straatadres `xml:"Straatadres"`
}

// straatadres is the service's Straatadres: no house letter of its own (it
// goes into Huisnrtoevoeging) and street names of at most 24 characters.
type straatadres struct {
	Postcd           string `xml:"Postcd,omitempty"`
	Woonplaatsnaam   string `xml:"Woonplaatsnaam,omitempty"`
	Gemeentenaam     string `xml:"Gemeentenaam,omitempty"`
	Straatnaam       string `xml:"Straatnaam,omitempty"`
	Huisnr           int    `xml:"Huisnr,omitempty"`
	Huisnrtoevoeging string `xml:"Huisnrtoevoeging,omitempty"`
}

type inkomstenperiode struct {
	DatBIkp               string `xml:"DatBIkp"`
	DatEIkp               string `xml:"DatEIkp,omitempty"`
	CdSrtIkv              string `xml:"CdSrtIkv,omitempty"`
	CdTypeArbeidscontract string `xml:"CdTypeArbeidscontract,omitempty"`
	CdAardIkv             string `xml:"CdAardIkv,omitempty"`
}

type inkomstenopgave struct {
	DatBIko                   string  `xml:"DatBIko"`
	DatEIko                   string  `xml:"DatEIko,omitempty"`
	AantVerloondeUrenIko      *int    `xml:"AantVerloondeUrenIko,omitempty"`
	BedrBrutoloonSv           *bedrag `xml:"BedrBrutoloonSv,omitempty"`
	BedrLoonLbPremieVolksverz *bedrag `xml:"BedrLoonLbPremieVolksverz,omitempty"`
}

// bedrag is sml:StandaardBedr: cents without sign, the sign apart.
type bedrag struct {
	CdMunteenheid      string `xml:"CdMunteenheid"`
	CdPositiefNegatief string `xml:"CdPositiefNegatief"`
	WaardeBedr         int64  `xml:"WaardeBedr"`
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
	XMLName       xml.Name       `xml:"smls:UWVPersoonsWvInfoResponse"`
	Smls          string         `xml:"xmlns:smls,attr"`
	ClientSuwi    *wvClient      `xml:"ClientSuwi,omitempty"`
	NietsGevonden *nietsGevonden `xml:"fwi:NietsGevonden,omitempty"`
}

type wvClient struct {
	Burgerservicenr      string                 `xml:"Burgerservicenr"`
	WerkloosheidClient   []werkloosheidClient   `xml:"WerkloosheidClient"`
	AanvraagUitkering    []aanvraagUitkering    `xml:"AanvraagUitkering"`
	Uitkeringsverhouding []uitkeringsverhouding `xml:"Uitkeringsverhouding"`
}

type werkloosheidClient struct {
	DatEersteWerkloosheidsdag string `xml:"DatEersteWerkloosheidsdag,omitempty"`
	OmsRedenWerkloosheid      string `xml:"OmsRedenWerkloosheid,omitempty"`
}

type szWet struct {
	CdSzWet string `xml:"CdSzWet"`
}

type aanvraagUitkering struct {
	DatAanvraagUitkering string `xml:"DatAanvraagUitkering,omitempty"`
	SzWet                szWet  `xml:"SzWet"`
}

type uitkeringsverhouding struct {
	DatBUitkeringsverhouding    string `xml:"DatBUitkeringsverhouding,omitempty"`
	DatEUitkeringsverhouding    string `xml:"DatEUitkeringsverhouding,omitempty"`
	OmsRedenEindeUitkeringsverh string `xml:"OmsRedenEindeUitkeringsverh,omitempty"`
	DatEMaximaleUitkeringsduur  string `xml:"DatEMaximaleUitkeringsduur,omitempty"`
	// AantWerkurenPerWeekGrondslagUitk is sml:Tijdsduur, hours and minutes
	// "HHMM".
	AantWerkurenPerWeekGrondslagUitk string `xml:"AantWerkurenPerWeekGrondslagUitk,omitempty"`
	SzWet                            szWet  `xml:"SzWet"`
}

// ---- FWI v0205 ----

// nietsGevonden is fwi:NietsGevonden, the empty answer for a person the
// registry holds nothing of.
type nietsGevonden struct {
	Fwi string `xml:"xmlns:fwi,attr"`
}

// fwi is fwi:FWI, the answer's errors, warnings and notes.
type fwi struct {
	Fwi  string    `xml:"xmlns:fwi,attr"`
	Fout []melding `xml:"Fout"`
}

// fout is the global element fwi:Fout, the detail of the WSDL's fault
// AanvraagNietOk.
type fout struct {
	XMLName xml.Name `xml:"fwi:Fout"`
	Fwi     string   `xml:"xmlns:fwi,attr"`
	melding
}

// melding is fwi:Melding. Within fwi:FWI its elements are unqualified.
type melding struct {
	Code   string   `xml:"Code"`
	Tekst  string   `xml:"Tekst"`
	Detail []string `xml:"Detail"`
	Bron   struct {
		DN string `xml:"DN"`
	} `xml:"Bron"`
}
