package nhr

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
)

// The wire types mirror the KvK OpenAPI files (Basisprofiel 1.5.0,
// Vestigingsprofiel 1.4, Zoeken 2.0.0) and our functionarissen contract.
// Only the fields the connector maps are declared; links are not followed.

type handelsnaamJSON struct {
	Naam     string `json:"naam"`
	Volgorde int    `json:"volgorde"`
}

type sbiActiviteitJSON struct {
	SbiCode            string `json:"sbiCode"`
	SbiOmschrijving    string `json:"sbiOmschrijving"`
	IndHoofdactiviteit jaNee  `json:"indHoofdactiviteit"`
}

type materieleRegistratieJSON struct {
	DatumAanvang string `json:"datumAanvang"`
	DatumEinde   string `json:"datumEinde"`
}

type geoDataJSON struct {
	AddresseerbaarObjectID string   `json:"addresseerbaarObjectId"`
	NummerAanduidingID     string   `json:"nummerAanduidingId"`
	GpsLatitude            *float64 `json:"gpsLatitude"`
	GpsLongitude           *float64 `json:"gpsLongitude"`
}

type adresJSON struct {
	Type                 string       `json:"type"`
	IndAfgeschermd       jaNee        `json:"indAfgeschermd"`
	VolledigAdres        string       `json:"volledigAdres"`
	Straatnaam           string       `json:"straatnaam"`
	Huisnummer           int          `json:"huisnummer"`
	Huisletter           string       `json:"huisletter"`
	HuisnummerToevoeging string       `json:"huisnummerToevoeging"`
	Postcode             string       `json:"postcode"`
	Postbusnummer        int          `json:"postbusnummer"`
	Plaats               string       `json:"plaats"`
	Land                 string       `json:"land"`
	GeoData              *geoDataJSON `json:"geoData"`
}

type vestigingJSON struct {
	Vestigingsnummer         string                    `json:"vestigingsnummer"`
	KvkNummer                string                    `json:"kvkNummer"`
	Rsin                     string                    `json:"rsin"`
	IndNonMailing            jaNee                     `json:"indNonMailing"`
	FormeleRegistratiedatum  string                    `json:"formeleRegistratiedatum"`
	MaterieleRegistratie     *materieleRegistratieJSON `json:"materieleRegistratie"`
	StatutaireNaam           string                    `json:"statutaireNaam"`
	EersteHandelsnaam        string                    `json:"eersteHandelsnaam"`
	IndHoofdvestiging        jaNee                     `json:"indHoofdvestiging"`
	IndCommercieleVestiging  jaNee                     `json:"indCommercieleVestiging"`
	VoltijdWerkzamePersonen  *int                      `json:"voltijdWerkzamePersonen"`
	TotaalWerkzamePersonen   *int                      `json:"totaalWerkzamePersonen"`
	DeeltijdWerkzamePersonen *int                      `json:"deeltijdWerkzamePersonen"`
	Handelsnamen             []handelsnaamJSON         `json:"handelsnamen"`
	Adressen                 []adresJSON               `json:"adressen"`
	Websites                 []string                  `json:"websites"`
	SbiActiviteiten          []sbiActiviteitJSON       `json:"sbiActiviteiten"`
}

type eigenaarJSON struct {
	Rsin                  string      `json:"rsin"`
	Rechtsvorm            string      `json:"rechtsvorm"`
	UitgebreideRechtsvorm string      `json:"uitgebreideRechtsvorm"`
	Adressen              []adresJSON `json:"adressen"`
	Websites              []string    `json:"websites"`
}

type basisprofielJSON struct {
	KvkNummer               string                    `json:"kvkNummer"`
	IndNonMailing           jaNee                     `json:"indNonMailing"`
	Naam                    string                    `json:"naam"`
	FormeleRegistratiedatum string                    `json:"formeleRegistratiedatum"`
	MaterieleRegistratie    *materieleRegistratieJSON `json:"materieleRegistratie"`
	TotaalWerkzamePersonen  *int                      `json:"totaalWerkzamePersonen"`
	StatutaireNaam          string                    `json:"statutaireNaam"`
	Handelsnamen            []handelsnaamJSON         `json:"handelsnamen"`
	SbiActiviteiten         []sbiActiviteitJSON       `json:"sbiActiviteiten"`
	Embedded                struct {
		Hoofdvestiging *vestigingJSON `json:"hoofdvestiging"`
		Eigenaar       *eigenaarJSON  `json:"eigenaar"`
	} `json:"_embedded"`
}

type vestigingListJSON struct {
	KvkNummer   string `json:"kvkNummer"`
	Vestigingen []struct {
		Vestigingsnummer        string `json:"vestigingsnummer"`
		EersteHandelsnaam       string `json:"eersteHandelsnaam"`
		IndHoofdvestiging       jaNee  `json:"indHoofdvestiging"`
		IndAdresAfgeschermd     jaNee  `json:"indAdresAfgeschermd"`
		IndCommercieleVestiging jaNee  `json:"indCommercieleVestiging"`
		VolledigAdres           string `json:"volledigAdres"`
	} `json:"vestigingen"`
}

type resultaatJSON struct {
	Pagina              int    `json:"pagina"`
	ResultatenPerPagina int    `json:"resultatenPerPagina"`
	Totaal              int    `json:"totaal"`
	Volgende            string `json:"volgende"`
	Resultaten          []struct {
		KvkNummer        string `json:"kvkNummer"`
		Rsin             string `json:"rsin"`
		Vestigingsnummer string `json:"vestigingsnummer"`
		Naam             string `json:"naam"`
		Type             string `json:"type"`
		Actief           *jaNee `json:"actief"`
		Adres            *struct {
			BinnenlandsAdres *struct {
				Type          string `json:"type"`
				Straatnaam    string `json:"straatnaam"`
				Huisnummer    int    `json:"huisnummer"`
				Huisletter    string `json:"huisletter"`
				Postbusnummer int    `json:"postbusnummer"`
				Postcode      string `json:"postcode"`
				Plaats        string `json:"plaats"`
			} `json:"binnenlandsAdres"`
			BuitenlandsAdres *struct {
				Type               string `json:"type"`
				StraatHuisnummer   string `json:"straatHuisnummer"`
				PostcodeWoonplaats string `json:"postcodeWoonplaats"`
				Land               string `json:"land"`
			} `json:"buitenlandsAdres"`
		} `json:"adres"`
	} `json:"resultaten"`
}

type functionarisListJSON struct {
	KvkNummer       string `json:"kvkNummer"`
	Functionarissen []struct {
		Burgerservicenummer string `json:"burgerservicenummer"`
		Functie             string `json:"functie"`
		DatumAanvang        string `json:"datumAanvang"`
	} `json:"functionarissen"`
}

type inschrijvingListJSON struct {
	Inschrijvingen []struct {
		KvkNummer    string `json:"kvkNummer"`
		Naam         string `json:"naam"`
		Functie      string `json:"functie"`
		DatumAanvang string `json:"datumAanvang"`
	} `json:"inschrijvingen"`
}

// jaNee is KvK's "Ja"/"Nee" indicator. A JSON boolean is taken too, since
// the OpenAPI files type some indicators loosely (actief is a string).
type jaNee bool

func (j *jaNee) UnmarshalJSON(b []byte) error {
	switch string(bytes.TrimSpace(b)) {
	case `"Ja"`, `"ja"`, `"JA"`, `true`:
		*j = true
	case `"Nee"`, `"nee"`, `"NEE"`, `false`, `null`, `""`:
		*j = false
	default:
		return fmt.Errorf("indicator %.20s is not Ja or Nee", b)
	}
	return nil
}

// isoDate turns a KvK date "yyyymmdd" into ISO 8601, reduced to "yyyy-mm" or
// "yyyy" when the day or month is unknown (zeros). Empty and "00000000" give
// "".
func isoDate(field, d string) (string, error) {
	if d == "" || d == "00000000" {
		return "", nil
	}
	bad := func() (string, error) { return "", fmt.Errorf("%s is not a date yyyymmdd", field) }
	if len(d) != 8 {
		return bad()
	}
	for i := 0; i < 8; i++ {
		if d[i] < '0' || d[i] > '9' {
			return bad()
		}
	}
	y, m, day := d[0:4], d[4:6], d[6:8]
	switch {
	case y == "0000" || m > "12" || day > "31" || (m == "00" && day != "00"):
		return bad()
	case m == "00":
		return y, nil
	case day == "00":
		return y + "-" + m, nil
	}
	return y + "-" + m + "-" + day, nil
}

// dates converts several dates, keeping the first error.
type dates struct{ err error }

func (ds *dates) iso(field, d string) string {
	s, err := isoDate(field, d)
	if err != nil && ds.err == nil {
		ds.err = err
	}
	return s
}

func (b *basisprofielJSON) company() (*Company, error) {
	if b.KvkNummer == "" {
		return nil, errors.New("basisprofiel without kvkNummer")
	}
	var ds dates
	c := &Company{
		KvKNumber:        b.KvkNummer,
		Name:             b.Naam,
		StatutoryName:    b.StatutaireNaam,
		TradeNames:       tradeNames(b.Handelsnamen),
		RegistrationDate: ds.iso("formeleRegistratiedatum", b.FormeleRegistratiedatum),
		Employees:        b.TotaalWerkzamePersonen,
		NonMailing:       bool(b.IndNonMailing),
		Activities:       activities(b.SbiActiviteiten),
	}
	if m := b.MaterieleRegistratie; m != nil {
		c.StartDate = ds.iso("materieleRegistratie.datumAanvang", m.DatumAanvang)
		c.EndDate = ds.iso("materieleRegistratie.datumEinde", m.DatumEinde)
	}
	if e := b.Embedded.Eigenaar; e != nil {
		c.RSIN, c.LegalForm, c.LegalFormDetail = e.Rsin, e.Rechtsvorm, e.UitgebreideRechtsvorm
		c.OwnerAddresses = addresses(e.Adressen)
		c.Websites = e.Websites
	}
	if ds.err != nil {
		return nil, ds.err
	}
	if h := b.Embedded.Hoofdvestiging; h != nil {
		mb, err := h.branch()
		if err != nil {
			return nil, fmt.Errorf("hoofdvestiging: %w", err)
		}
		c.MainBranch = mb
	}
	return c, nil
}

func (v *vestigingJSON) branch() (*Branch, error) {
	if v.Vestigingsnummer == "" {
		return nil, errors.New("vestiging without vestigingsnummer")
	}
	var ds dates
	b := &Branch{
		Number:           v.Vestigingsnummer,
		KvKNumber:        v.KvkNummer,
		RSIN:             v.Rsin,
		FirstTradeName:   v.EersteHandelsnaam,
		TradeNames:       tradeNames(v.Handelsnamen),
		StatutoryName:    v.StatutaireNaam,
		Main:             bool(v.IndHoofdvestiging),
		Commercial:       bool(v.IndCommercieleVestiging),
		NonMailing:       bool(v.IndNonMailing),
		FullTime:         v.VoltijdWerkzamePersonen,
		PartTime:         v.DeeltijdWerkzamePersonen,
		Employees:        v.TotaalWerkzamePersonen,
		Activities:       activities(v.SbiActiviteiten),
		Addresses:        addresses(v.Adressen),
		Websites:         v.Websites,
		RegistrationDate: ds.iso("formeleRegistratiedatum", v.FormeleRegistratiedatum),
	}
	if m := v.MaterieleRegistratie; m != nil {
		b.StartDate = ds.iso("materieleRegistratie.datumAanvang", m.DatumAanvang)
		b.EndDate = ds.iso("materieleRegistratie.datumEinde", m.DatumEinde)
	}
	return b, ds.err
}

// tradeNames orders the names by volgorde; equal positions keep the API's
// order.
func tradeNames(hs []handelsnaamJSON) []string {
	if len(hs) == 0 {
		return nil
	}
	sorted := slices.Clone(hs)
	slices.SortStableFunc(sorted, func(a, b handelsnaamJSON) int { return a.Volgorde - b.Volgorde })
	out := make([]string, len(sorted))
	for i, h := range sorted {
		out[i] = h.Naam
	}
	return out
}

func activities(as []sbiActiviteitJSON) []Activity {
	if len(as) == 0 {
		return nil
	}
	out := make([]Activity, len(as))
	for i, a := range as {
		out[i] = Activity{Code: a.SbiCode, Description: a.SbiOmschrijving, Main: bool(a.IndHoofdactiviteit)}
	}
	return out
}

func addresses(as []adresJSON) []Address {
	if len(as) == 0 {
		return nil
	}
	out := make([]Address, len(as))
	for i, a := range as {
		out[i] = Address{
			Kind:        a.Type,
			FullAddress: a.VolledigAdres,
			Street:      a.Straatnaam,
			HouseNumber: a.Huisnummer,
			HouseLetter: a.Huisletter,
			Addition:    a.HuisnummerToevoeging,
			POBox:       a.Postbusnummer,
			Postcode:    a.Postcode,
			Place:       a.Plaats,
			Country:     a.Land,
			Shielded:    bool(a.IndAfgeschermd),
		}
		if g := a.GeoData; g != nil {
			out[i].AddressID, out[i].ObjectID = g.NummerAanduidingID, g.AddresseerbaarObjectID
			out[i].Latitude, out[i].Longitude = g.GpsLatitude, g.GpsLongitude
		}
	}
	return out
}

func (l *vestigingListJSON) summaries() []BranchSummary {
	out := make([]BranchSummary, len(l.Vestigingen))
	for i, v := range l.Vestigingen {
		out[i] = BranchSummary{
			Number:         v.Vestigingsnummer,
			FirstTradeName: v.EersteHandelsnaam,
			Main:           bool(v.IndHoofdvestiging),
			Commercial:     bool(v.IndCommercieleVestiging),
			Shielded:       bool(v.IndAdresAfgeschermd),
			FullAddress:    v.VolledigAdres,
		}
	}
	return out
}

func (r *resultaatJSON) page() *SearchPage {
	p := &SearchPage{
		Page:    r.Pagina,
		PerPage: r.ResultatenPerPagina,
		Total:   r.Totaal,
		Results: make([]SearchResult, len(r.Resultaten)),
		HasNext: r.Volgende != "",
	}
	for i, it := range r.Resultaten {
		res := SearchResult{
			KvKNumber:    it.KvkNummer,
			RSIN:         it.Rsin,
			BranchNumber: it.Vestigingsnummer,
			Name:         it.Naam,
			Type:         ResultType(it.Type),
			Active:       it.Actief == nil || bool(*it.Actief),
		}
		if a := it.Adres; a != nil {
			switch {
			case a.BinnenlandsAdres != nil:
				b := a.BinnenlandsAdres
				res.Address = &SearchAddress{Kind: b.Type, Street: b.Straatnaam, HouseNumber: b.Huisnummer,
					HouseLetter: b.Huisletter, POBox: b.Postbusnummer, Postcode: b.Postcode, Place: b.Plaats}
			case a.BuitenlandsAdres != nil:
				b := a.BuitenlandsAdres
				res.Address = &SearchAddress{Kind: b.Type, StreetAndNumber: b.StraatHuisnummer,
					PostcodeAndPlace: b.PostcodeWoonplaats, Country: b.Land}
			}
		}
		p.Results[i] = res
	}
	return p
}

func (l *functionarisListJSON) functionaries() ([]Functionary, error) {
	var ds dates
	out := make([]Functionary, len(l.Functionarissen))
	for i, f := range l.Functionarissen {
		out[i] = Functionary{BSN: f.Burgerservicenummer, Role: f.Functie, Since: ds.iso("datumAanvang", f.DatumAanvang)}
	}
	return out, ds.err
}

func (l *inschrijvingListJSON) roles() ([]Role, error) {
	var ds dates
	out := make([]Role, len(l.Inschrijvingen))
	for i, in := range l.Inschrijvingen {
		out[i] = Role{KvKNumber: in.KvkNummer, Name: in.Naam, Role: in.Functie, Since: ds.iso("datumAanvang", in.DatumAanvang)}
	}
	return out, ds.err
}
