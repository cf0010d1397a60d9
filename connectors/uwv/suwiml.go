package uwv

import (
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// The SuwiML answers as far as the connector reads them: UWVDossierInkomstenGSD
// v0200 and UWVDossierWerknemersverzekeringenGSD v0200 (SuwiML Basisschema
// v0801, FWI v0205). Children of the answer element are unqualified, as the
// schemas' elementFormDefault says; their tags match any namespace.

// ikvAntwoord is UWVPersoonsIkvInfoResponse: the person's income
// relations, or NietsGevonden, or an FWI saying why there is no answer.
type ikvAntwoord struct {
	XMLName       xml.Name   `xml:"http://bkwi.nl/SuwiML/Diensten/UWVDossierInkomstenGSD/v0200 UWVPersoonsIkvInfoResponse"`
	ClientSuwi    *ikvClient `xml:"ClientSuwi"`
	FWI           *fwi       `xml:"http://bkwi.nl/SuwiML/FWI/v0205 FWI"`
	NietsGevonden *struct{}  `xml:"http://bkwi.nl/SuwiML/FWI/v0205 NietsGevonden"`
}

type ikvClient struct {
	Burgerservicenr     string                `xml:"Burgerservicenr"`
	Inkomstenverhouding []inkomstenverhouding `xml:"Inkomstenverhouding"`
}

type inkomstenverhouding struct {
	VolgnrIkv              int    `xml:"VolgnrIkv"`
	DatBIkv                string `xml:"DatBIkv"`
	DatEIkv                string `xml:"DatEIkv"`
	AdministratieveEenheid struct {
		NaamAdministratieveEenheid       string `xml:"NaamAdministratieveEenheid"`
		Loonheffingennr                  string `xml:"Loonheffingennr"`
		RechtspersoonAdministratieveEenh *struct {
			FiNr string `xml:"FiNr"`
		} `xml:"RechtspersoonAdministratieveEenh"`
		FeitelijkAdresAeh []struct {
			DatBAdres   string       `xml:"DatBAdres"`
			DatEAdres   string       `xml:"DatEAdres"`
			Straatadres *straatadres `xml:"Straatadres"`
		} `xml:"FeitelijkAdresAeh"`
	} `xml:"AdministratieveEenheid"`
	Inkomstenperiode []struct {
		DatBIkp               string `xml:"DatBIkp"`
		CdSrtIkv              string `xml:"CdSrtIkv"`
		CdTypeArbeidscontract string `xml:"CdTypeArbeidscontract"`
		CdAardIkv             string `xml:"CdAardIkv"`
	} `xml:"Inkomstenperiode"`
	Inkomstenopgave []inkomstenopgave `xml:"Inkomstenopgave"`
}

type straatadres struct {
	Postcd           string `xml:"Postcd"`
	Woonplaatsnaam   string `xml:"Woonplaatsnaam"`
	Straatnaam       string `xml:"Straatnaam"`
	Huisnr           int    `xml:"Huisnr"`
	Huisnrtoevoeging string `xml:"Huisnrtoevoeging"`
}

type inkomstenopgave struct {
	DatBIko              string  `xml:"DatBIko"`
	DatEIko              string  `xml:"DatEIko"`
	AantVerloondeUrenIko *int    `xml:"AantVerloondeUrenIko"`
	BedrBrutoloonSv      *bedrag `xml:"BedrBrutoloonSv"`
}

// bedrag is sml:StandaardBedr.
type bedrag struct {
	CdMunteenheid      string `xml:"CdMunteenheid"`
	CdPositiefNegatief string `xml:"CdPositiefNegatief"`
	WaardeBedr         int64  `xml:"WaardeBedr"`
}

// wvAntwoord is UWVPersoonsWvInfoResponse.
type wvAntwoord struct {
	XMLName       xml.Name  `xml:"http://bkwi.nl/SuwiML/Diensten/UWVDossierWerknemersverzekeringenGSD/v0200 UWVPersoonsWvInfoResponse"`
	ClientSuwi    *wvClient `xml:"ClientSuwi"`
	FWI           *fwi      `xml:"http://bkwi.nl/SuwiML/FWI/v0205 FWI"`
	NietsGevonden *struct{} `xml:"http://bkwi.nl/SuwiML/FWI/v0205 NietsGevonden"`
}

type wvClient struct {
	Burgerservicenr    string `xml:"Burgerservicenr"`
	WerkloosheidClient []struct {
		DatEersteWerkloosheidsdag string `xml:"DatEersteWerkloosheidsdag"`
		OmsRedenWerkloosheid      string `xml:"OmsRedenWerkloosheid"`
	} `xml:"WerkloosheidClient"`
	AanvraagUitkering []struct {
		DatAanvraagUitkering string `xml:"DatAanvraagUitkering"`
		CdSzWet              string `xml:"SzWet>CdSzWet"`
	} `xml:"AanvraagUitkering"`
	Uitkeringsverhouding []struct {
		DatBUitkeringsverhouding         string `xml:"DatBUitkeringsverhouding"`
		DatEUitkeringsverhouding         string `xml:"DatEUitkeringsverhouding"`
		OmsRedenEindeUitkeringsverh      string `xml:"OmsRedenEindeUitkeringsverh"`
		DatEMaximaleUitkeringsduur       string `xml:"DatEMaximaleUitkeringsduur"`
		AantWerkurenPerWeekGrondslagUitk string `xml:"AantWerkurenPerWeekGrondslagUitk"`
		CdSzWet                          string `xml:"SzWet>CdSzWet"`
	} `xml:"Uitkeringsverhouding"`
}

// foutCodes lists the codes of the FWI's errors (Fout); none means the
// FWI holds warnings or notes only.
func foutCodes(f *fwi) []string {
	if f == nil {
		return nil
	}
	codes := make([]string, 0, len(f.Fout))
	for _, m := range f.Fout {
		codes = append(codes, m.Code)
	}
	return codes
}

// ---- mapping ----

// employments maps one person's answer.
func (c *Client) employments(bsn string, cl *ikvClient) ([]Employment, error) {
	if cl.Burgerservicenr != bsn {
		return nil, errors.New("the answer is about another person")
	}
	out := make([]Employment, 0, len(cl.Inkomstenverhouding))
	for i, ikv := range cl.Inkomstenverhouding {
		e, err := c.employment(bsn, ikv)
		if err != nil {
			return nil, fmt.Errorf("income relation %d: %w", i, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func (c *Client) employment(bsn string, ikv inkomstenverhouding) (Employment, error) {
	var d dates
	aeh := ikv.AdministratieveEenheid
	e := Employment{
		BSN:              bsn,
		Sequence:         ikv.VolgnrIkv,
		EmployerName:     aeh.NaamAdministratieveEenheid,
		PayrollTaxNumber: aeh.Loonheffingennr,
		Start:            d.iso("DatBIkv", ikv.DatBIkv),
		End:              d.iso("DatEIkv", ikv.DatEIkv),
	}
	if aeh.RechtspersoonAdministratieveEenh != nil {
		e.EmployerRSIN = aeh.RechtspersoonAdministratieveEenh.FiNr
	}
	// The address in use: the one without an end, else the latest.
	for _, a := range aeh.FeitelijkAdresAeh {
		if a.Straatadres == nil {
			continue
		}
		if e.EmployerAddress == nil || a.DatEAdres == "" {
			s := a.Straatadres
			e.EmployerAddress = &Address{Street: s.Straatnaam, HouseNumber: s.Huisnr, Addition: s.Huisnrtoevoeging,
				Postcode: s.Postcd, Place: s.Woonplaatsnaam}
		}
	}
	latest := -1
	for i, p := range ikv.Inkomstenperiode {
		if latest < 0 || p.DatBIkp >= ikv.Inkomstenperiode[latest].DatBIkp {
			latest = i
		}
	}
	if latest >= 0 {
		p := ikv.Inkomstenperiode[latest]
		e.IncomeKind = c.codes.soortIkv.code(p.CdSrtIkv)
		e.Relation = c.codes.aardIkv.code(p.CdAardIkv)
		e.ContractType = c.codes.contractType.code(p.CdTypeArbeidscontract)
	}
	if d.err != nil {
		return e, d.err
	}
	var err error
	e.HoursPerWeek, e.LatestMonthlyWage, err = fromStatements(ikv.Inkomstenopgave)
	return e, err
}

// dates converts SuwiML dates "yyyymmdd" to ISO dates, remembering the
// first that is not a date, so a mapping can convert every field and check
// once. SuwiML writes an unknown date as 00000000 and an unknown month or
// day as 00; such a date has no ISO form and is left empty. Error texts
// name the element, never its value.
type dates struct{ err error }

func (d *dates) iso(element, v string) string {
	if v == "" {
		return ""
	}
	if len(v) == 8 && (v[4:6] == "00" || v[6:] == "00") {
		return ""
	}
	t, err := time.Parse("20060102", v)
	if err != nil {
		if d.err == nil {
			d.err = fmt.Errorf("element %s is not a date yyyymmdd", element)
		}
		return ""
	}
	return t.Format(time.DateOnly)
}

// fromStatements derives weekly hours and the monthly wage from the latest
// statement that covers a whole calendar month, falling back to the latest
// statement for the hours: hours scale to a week by the days a statement
// covers, a partial month's wage is no monthly wage.
func fromStatements(opgaven []inkomstenopgave) (*float64, *Money, error) {
	var latest, latestWhole *inkomstenopgave
	var latestFrom, latestTo, wholeFrom, wholeTo time.Time
	for i := range opgaven {
		o := &opgaven[i]
		from, err1 := time.Parse("20060102", o.DatBIko)
		// A statement without an end covers its aangiftetijdvak, a month.
		to, err2 := from.AddDate(0, 1, -from.Day()), error(nil)
		if o.DatEIko != "" {
			to, err2 = time.Parse("20060102", o.DatEIko)
		}
		if err1 != nil || err2 != nil || to.Before(from) {
			return nil, nil, fmt.Errorf("statement %d: DatBIko and DatEIko are not a period yyyymmdd", i)
		}
		if latest == nil || from.After(latestFrom) {
			latest, latestFrom, latestTo = o, from, to
		}
		whole := from.Day() == 1 && to.Equal(from.AddDate(0, 1, -1))
		if whole && (latestWhole == nil || from.After(wholeFrom)) {
			latestWhole, wholeFrom, wholeTo = o, from, to
		}
	}
	if latestWhole != nil {
		latest, latestFrom, latestTo = latestWhole, wholeFrom, wholeTo
	}
	if latest == nil {
		return nil, nil, nil
	}
	var hours *float64
	if h := latest.AantVerloondeUrenIko; h != nil && *h > 0 {
		days := latestTo.Sub(latestFrom).Hours()/24 + 1
		perWeek := math.Round(float64(*h)*7/days*2) / 2
		hours = &perWeek
	}
	var wage *Money
	if latestWhole != nil && latestWhole.BedrBrutoloonSv != nil {
		m, err := money(latestWhole.BedrBrutoloonSv)
		if err != nil {
			return nil, nil, err
		}
		wage = &m
	}
	return hours, wage, nil
}

func money(b *bedrag) (Money, error) {
	switch b.CdPositiefNegatief {
	case "+", "":
		return Money{Cents: b.WaardeBedr, Currency: b.CdMunteenheid}, nil
	case "-":
		return Money{Cents: -b.WaardeBedr, Currency: b.CdMunteenheid}, nil
	default:
		return Money{}, errors.New("sign CdPositiefNegatief is neither + nor -")
	}
}

// hoursMinutes reads sml:Tijdsduur, hours and minutes "HHMM", as hours.
func hoursMinutes(v string) (*float64, error) {
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if len(v) != 4 || err != nil || v[0] < '0' || v[0] > '9' || n%100 > 59 {
		return nil, errors.New("element AantWerkurenPerWeekGrondslagUitk is not a duration HHMM")
	}
	h := float64(n/100) + float64(n%100)/60
	return &h, nil
}

// benefits maps one person's benefit relations, matching each to the
// unemployment and the application whose dates lie nearest to its start,
// because SuwiML does not link them.
func benefits(bsn string, c *wvClient) ([]Benefit, error) {
	if c.Burgerservicenr != bsn {
		return nil, errors.New("the answer is about another person")
	}
	var d dates
	out := make([]Benefit, 0, len(c.Uitkeringsverhouding))
	for _, u := range c.Uitkeringsverhouding {
		hours, err := hoursMinutes(u.AantWerkurenPerWeekGrondslagUitk)
		if err != nil {
			return nil, err
		}
		b := Benefit{
			BSN:       bsn,
			Law:       u.CdSzWet,
			Start:     d.iso("DatBUitkeringsverhouding", u.DatBUitkeringsverhouding),
			End:       d.iso("DatEUitkeringsverhouding", u.DatEUitkeringsverhouding),
			EndReason: u.OmsRedenEindeUitkeringsverh,
			MaxEnd:    d.iso("DatEMaximaleUitkeringsduur", u.DatEMaximaleUitkeringsduur),
			HoursLost: hours,
		}
		best := -1
		for i, w := range c.WerkloosheidClient {
			day := d.iso("DatEersteWerkloosheidsdag", w.DatEersteWerkloosheidsdag)
			if nearer(day, b.Start, b.FirstDayUnemployed, best) {
				b.FirstDayUnemployed, b.Reason, best = day, w.OmsRedenWerkloosheid, i
			}
		}
		best = -1
		for i, a := range c.AanvraagUitkering {
			day := d.iso("DatAanvraagUitkering", a.DatAanvraagUitkering)
			if a.CdSzWet == b.Law && nearer(day, b.Start, b.ApplicationDate, best) {
				b.ApplicationDate, best = day, i
			}
		}
		out = append(out, b)
	}
	return out, d.err
}

// nearer reports whether the ISO date candidate lies nearer to target than
// current does; the first candidate (best < 0) always does, and of two
// equally near the earlier wins.
func nearer(candidate, target, current string, best int) bool {
	if candidate == "" {
		return false
	}
	if best < 0 || current == "" {
		return true
	}
	dc, dn := distance(candidate, target), distance(current, target)
	return dc < dn || (dc == dn && candidate < current)
}

func distance(a, b string) time.Duration {
	ta, _ := time.Parse(time.DateOnly, a)
	tb, _ := time.Parse(time.DateOnly, b)
	if ta.After(tb) {
		return ta.Sub(tb)
	}
	return tb.Sub(ta)
}
