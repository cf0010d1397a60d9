package uwv

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// The registry's JSON shapes (SuwiML element names), as far as the
// connector reads them.

type query struct {
	Burgerservicenummers []string `json:"burgerservicenummers"`
}

type nietsGevonden struct {
	Burgerservicenr string `json:"Burgerservicenr"`
}

type ikvAntwoord struct {
	ClientSuwi    []ikvClient     `json:"ClientSuwi"`
	NietsGevonden []nietsGevonden `json:"NietsGevonden"`
}

type ikvClient struct {
	Burgerservicenr     string                `json:"Burgerservicenr"`
	Inkomstenverhouding []inkomstenverhouding `json:"Inkomstenverhouding"`
}

type inkomstenverhouding struct {
	VolgnrIkv                        int    `json:"VolgnrIkv"`
	DatBIkv                          string `json:"DatBIkv"`
	DatEIkv                          string `json:"DatEIkv"`
	CdRedenEindeArbeidsovereenkomst  string `json:"CdRedenEindeArbeidsovereenkomst"`
	OmsRedenEindeArbeidsovereenkomst string `json:"OmsRedenEindeArbeidsovereenkomst"`
	AdministratieveEenheid           struct {
		NaamAdministratieveEenheid string `json:"NaamAdministratieveEenheid"`
		Loonheffingennr            string `json:"Loonheffingennr"`
		KvKNr                      string `json:"KvKNr"`
	} `json:"AdministratieveEenheid"`
	Inkomstenperiode []struct {
		DatBIkp                string `json:"DatBIkp"`
		CdSrtIkv               string `json:"CdSrtIkv"`
		OmsSrtIkv              string `json:"OmsSrtIkv"`
		CdTypeArbeidscontract  string `json:"CdTypeArbeidscontract"`
		OmsTypeArbeidscontract string `json:"OmsTypeArbeidscontract"`
		CdAardIkv              string `json:"CdAardIkv"`
		OmsAardIkv             string `json:"OmsAardIkv"`
	} `json:"Inkomstenperiode"`
	Inkomstenopgave []inkomstenopgave `json:"Inkomstenopgave"`
}

type inkomstenopgave struct {
	DatBIko              string   `json:"DatBIko"`
	DatEIko              string   `json:"DatEIko"`
	AantVerloondeUrenIko *float64 `json:"AantVerloondeUrenIko"`
	BedrBrutoloonSv      *bedrag  `json:"BedrBrutoloonSv"`
}

type bedrag struct {
	CdMunteenheid      string `json:"CdMunteenheid"`
	CdPositiefNegatief string `json:"CdPositiefNegatief"`
	WaardeBedr         int64  `json:"WaardeBedr"`
}

type wvAntwoord struct {
	ClientSuwi    []wvClient      `json:"ClientSuwi"`
	NietsGevonden []nietsGevonden `json:"NietsGevonden"`
}

type wvClient struct {
	Burgerservicenr    string `json:"Burgerservicenr"`
	WerkloosheidClient []struct {
		DatEersteWerkloosheidsdag string `json:"DatEersteWerkloosheidsdag"`
		OmsRedenWerkloosheid      string `json:"OmsRedenWerkloosheid"`
	} `json:"WerkloosheidClient"`
	AanvraagUitkering []struct {
		DatAanvraagUitkering string `json:"DatAanvraagUitkering"`
		SzWet                szWet  `json:"SzWet"`
	} `json:"AanvraagUitkering"`
	Uitkeringsverhouding []struct {
		DatBUitkeringsverhouding         string   `json:"DatBUitkeringsverhouding"`
		DatEUitkeringsverhouding         string   `json:"DatEUitkeringsverhouding"`
		OmsRedenEindeUitkeringsverh      string   `json:"OmsRedenEindeUitkeringsverh"`
		DatEMaximaleUitkeringsduur       string   `json:"DatEMaximaleUitkeringsduur"`
		AantWerkurenPerWeekGrondslagUitk *float64 `json:"AantWerkurenPerWeekGrondslagUitk"`
		SzWet                            szWet    `json:"SzWet"`
	} `json:"Uitkeringsverhouding"`
}

type szWet struct {
	CdSzWet string `json:"CdSzWet"`
}

// ---- mapping ----

// employments maps the answer per person.
func (r ikvAntwoord) employments() (map[string][]Employment, error) {
	out := make(map[string][]Employment, len(r.ClientSuwi))
	for _, cl := range r.ClientSuwi {
		emps := make([]Employment, 0, len(cl.Inkomstenverhouding))
		for i, ikv := range cl.Inkomstenverhouding {
			e, err := mapEmployment(cl.Burgerservicenr, ikv)
			if err != nil {
				return nil, fmt.Errorf("income relation %d: %w", i, err)
			}
			emps = append(emps, e)
		}
		out[cl.Burgerservicenr] = emps
	}
	return out, nil
}

// benefits maps the answer per person.
func (r wvAntwoord) benefits() (map[string][]Benefit, error) {
	out := make(map[string][]Benefit, len(r.ClientSuwi))
	for _, cl := range r.ClientSuwi {
		bens, err := mapBenefits(cl.Burgerservicenr, cl)
		if err != nil {
			return nil, err
		}
		out[cl.Burgerservicenr] = bens
	}
	return out, nil
}

// dates converts SuwiML dates "yyyymmdd" to ISO dates, remembering the
// first that is not a date, so a mapping can convert every field and check
// once. Error texts name the element, never its value.
type dates struct{ err error }

func (d *dates) iso(element, v string) string {
	if v == "" {
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

func mapEmployment(bsn string, ikv inkomstenverhouding) (Employment, error) {
	var d dates
	e := Employment{
		BSN:              bsn,
		Sequence:         ikv.VolgnrIkv,
		EmployerName:     ikv.AdministratieveEenheid.NaamAdministratieveEenheid,
		PayrollTaxNumber: ikv.AdministratieveEenheid.Loonheffingennr,
		EmployerKvK:      ikv.AdministratieveEenheid.KvKNr,
		Start:            d.iso("DatBIkv", ikv.DatBIkv),
		End:              d.iso("DatEIkv", ikv.DatEIkv),
	}
	if n := len(ikv.Inkomstenperiode); n > 0 {
		p := ikv.Inkomstenperiode[n-1]
		e.IncomeKind = Code{p.CdSrtIkv, p.OmsSrtIkv}
		e.Relation = Code{p.CdAardIkv, p.OmsAardIkv}
		e.ContractType = Code{p.CdTypeArbeidscontract, p.OmsTypeArbeidscontract}
	}
	if ikv.CdRedenEindeArbeidsovereenkomst != "" {
		e.EndReason = &Code{ikv.CdRedenEindeArbeidsovereenkomst, ikv.OmsRedenEindeArbeidsovereenkomst}
	}
	if d.err != nil {
		return e, d.err
	}
	var err error
	e.HoursPerWeek, e.LatestMonthlyWage, err = fromStatements(ikv.Inkomstenopgave)
	return e, err
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
		perWeek := math.Round(*h*7/days*2) / 2
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

// mapBenefits maps one person's benefit relations, matching each to the
// unemployment and the application whose dates lie nearest to its start,
// because SuwiML does not link them.
func mapBenefits(bsn string, c wvClient) ([]Benefit, error) {
	var d dates
	out := make([]Benefit, 0, len(c.Uitkeringsverhouding))
	for _, u := range c.Uitkeringsverhouding {
		b := Benefit{
			BSN:       bsn,
			Law:       u.SzWet.CdSzWet,
			Start:     d.iso("DatBUitkeringsverhouding", u.DatBUitkeringsverhouding),
			End:       d.iso("DatEUitkeringsverhouding", u.DatEUitkeringsverhouding),
			EndReason: u.OmsRedenEindeUitkeringsverh,
			MaxEnd:    d.iso("DatEMaximaleUitkeringsduur", u.DatEMaximaleUitkeringsduur),
			HoursLost: u.AantWerkurenPerWeekGrondslagUitk,
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
			if a.SzWet.CdSzWet == b.Law && nearer(day, b.Start, b.ApplicationDate, best) {
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
