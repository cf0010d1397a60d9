package uwv

import (
	"time"

	"github.com/poort-nl/poort/mocks/population"
)

// recentStatements is how many monthly income statements an income relation
// carries when no period is asked for.
const recentStatements = 3

// The paying body of WW benefits in the polisadministratie. The numbers are
// those of the BKWI example response, not UWV's real registration.
const (
	uwvName            = "UWV"
	uwvLoonheffingennr = "004444444L01"
	uwvFiNr            = "004444444"
	uwvLegalName       = "UITVOERINGSINST. WERKNEMERSVERZEKERINGEN"
)

// ikvVraag is a UWVPersoonsIkvInfo question's period: from and to bound
// it, zero when open; asked is nil without one.
type ikvVraag struct {
	from, to time.Time
	asked    *periode
}

// inkomsten answers UWVPersoonsIkvInfo: the person's income relations in
// the period, NietsGevonden without any, or an FWI Fout for a period that
// is none.
func (s *server) inkomsten(v vraag) any {
	bsn := v.bsn
	out := &ikvAntwoord{Smls: nsInkomsten}
	q, ok := ikvPeriode(v.periode)
	if !ok {
		out.FWI = &fwi{Fwi: nsFWI, Fout: []melding{{Code: codePeriode, Tekst: "De gevraagde periode is geen periode.",
			Detail: []string{"DatBPeriode en DatEPeriode zijn bestaande datums, DatBPeriode niet na DatEPeriode."}}}}
		out.FWI.Fout[0].Bron.DN = bronDN
		return out
	}
	ikvs := s.inkomstenverhoudingenVan(bsn, q)
	if len(ikvs) == 0 {
		out.NietsGevonden = &nietsGevonden{Fwi: nsFWI}
		return out
	}
	out.ClientSuwi = &ikvClient{Burgerservicenr: bsn, Inkomstenverhouding: ikvs}
	out.PeriodeGegevensleveringIko = q.asked
	return out
}

// ikvPeriode reads PeriodeGegevensvraagIko: each date, when given, a
// calendar date, the first not after the second.
func ikvPeriode(p *periode) (ikvVraag, bool) {
	if p == nil {
		return ikvVraag{}, true
	}
	q := ikvVraag{asked: p}
	var ok bool
	if p.DatBPeriode != "" {
		if q.from, ok = validDate(p.DatBPeriode); !ok {
			return q, false
		}
	}
	if p.DatEPeriode != "" {
		if q.to, ok = validDate(p.DatEPeriode); !ok {
			return q, false
		}
	}
	return q, q.from.IsZero() || q.to.IsZero() || !q.from.After(q.to)
}

// validDate checks a complete calendar date "yyyymmdd".
func validDate(d string) (time.Time, bool) {
	t, ok := population.Date(d).Time()
	if !ok || population.DateOf(t) != population.Date(d) {
		return time.Time{}, false
	}
	return t, true
}

// inkomstenverhoudingenVan returns the person's income relations that
// overlap the period: the employments, then the WW benefits as income
// relations paid by UWV.
func (s *server) inkomstenverhoudingenVan(bsn string, q ikvVraag) []inkomstenverhouding {
	emps := s.pop.EmploymentsOf(bsn)
	bens := s.pop.BenefitsOf(bsn)
	if len(emps) == 0 && len(bens) == 0 {
		return nil
	}
	lastSeq := 0
	var out []inkomstenverhouding
	for _, e := range emps {
		lastSeq = max(lastSeq, e.Sequence)
		start, end, ok := s.span(e.Start, e.End, q)
		if !ok {
			continue
		}
		out = append(out, s.employmentIkv(e, start, end, q))
	}
	for i, b := range bens {
		endDate, _ := s.benefitEnd(b)
		start, end, ok := s.span(b.Start, endDate, q)
		if !ok {
			continue
		}
		out = append(out, s.benefitIkv(b, lastSeq+1+i, endDate, start, end, q))
	}
	return out
}

// span returns the relation's dates and whether the relation overlaps the
// period asked for.
func (s *server) span(startDate, endDate population.Date, q ikvVraag) (start, end time.Time, ok bool) {
	start, ok = startDate.Time()
	if !ok {
		return start, end, false
	}
	end, _ = endDate.Time() // zero: the relation runs on
	if !q.to.IsZero() && start.After(q.to) {
		return start, end, false
	}
	if !q.from.IsZero() && !end.IsZero() && end.Before(q.from) {
		return start, end, false
	}
	return start, end, true
}

func (s *server) employmentIkv(e *population.Employment, start, end time.Time, q ikvVraag) inkomstenverhouding {
	ikv := inkomstenverhouding{
		VolgnrIkv:              e.Sequence,
		DatBIkv:                string(e.Start),
		DatEIkv:                string(e.End),
		AdministratieveEenheid: s.employer(e),
		Inkomstenperiode: []inkomstenperiode{{
			DatBIkp:               string(e.Start),
			DatEIkp:               string(e.End),
			CdSrtIkv:              e.IncomeKind,
			CdTypeArbeidscontract: e.ContractType,
			CdAardIkv:             e.Relation,
		}},
	}
	ikv.Inkomstenopgave = s.statements(start, end, q, func(from, to time.Time) inkomstenopgave {
		days := daysIn(from, to)
		monthDays := daysIn(monthStart(from), monthEnd(from))
		wage := int64(e.MonthlyWageCents) * int64(days) / int64(monthDays)
		hours := int(e.HoursPerWeek*float64(days)/7 + 0.5)
		return inkomstenopgave{
			DatBIko:                   string(population.DateOf(from)),
			DatEIko:                   string(population.DateOf(to)),
			AantVerloondeUrenIko:      &hours,
			BedrBrutoloonSv:           euro(wage),
			BedrLoonLbPremieVolksverz: euro(wage),
		}
	})
	return ikv
}

func (s *server) benefitIkv(b *population.Benefit, seq int, endDate population.Date, start, end time.Time, q ikvVraag) inkomstenverhouding {
	ikv := inkomstenverhouding{
		VolgnrIkv:              seq,
		DatBIkv:                string(b.Start),
		DatEIkv:                string(endDate),
		AdministratieveEenheid: uwvEenheid(),
		Inkomstenperiode: []inkomstenperiode{{
			DatBIkp:  string(b.Start),
			DatEIkp:  string(endDate),
			CdSrtIkv: b.IncomeKind,
		}},
	}
	ikv.Inkomstenopgave = s.statements(start, end, q, func(from, to time.Time) inkomstenopgave {
		// WW is paid per working day.
		paid := int64(b.DailyAmountCents) * int64(weekdays(from, to))
		none := 0
		return inkomstenopgave{
			AantVerloondeUrenIko:      &none,
			DatBIko:                   string(population.DateOf(from)),
			DatEIko:                   string(population.DateOf(to)),
			BedrBrutoloonSv:           euro(paid),
			BedrLoonLbPremieVolksverz: euro(paid),
		}
	})
	return ikv
}

// statements builds the monthly income statements (Inkomstenopgave) of a
// relation running from start to end (zero: still running). Payroll is
// declared after a month ends, so the current month has none yet. Without a
// period the most recent few are given; with one, every month in it. The
// schema wants at least one statement: a relation with no month declared
// yet gets one that opens the running month and declares nothing.
func (s *server) statements(start, end time.Time, q ikvVraag, opgave func(from, to time.Time) inkomstenopgave) []inkomstenopgave {
	ref, _ := s.pop.ReferenceDate.Time()
	last := monthStart(ref).AddDate(0, 0, -1)
	if !end.IsZero() && end.Before(last) {
		last = end
	}
	if !q.to.IsZero() && q.to.Before(last) {
		last = q.to
	}
	first := start
	if q.from.After(first) {
		first = q.from
	}
	if last.Before(first) {
		return []inkomstenopgave{{DatBIko: string(population.DateOf(first))}}
	}
	months := monthsBetween(first, last) + 1
	if q.asked == nil && months > recentStatements {
		first = monthStart(last).AddDate(0, -(recentStatements - 1), 0)
		months = recentStatements
	}
	out := make([]inkomstenopgave, 0, months)
	for m := monthStart(first); !m.After(last); m = m.AddDate(0, 1, 0) {
		from, to := m, monthEnd(m)
		if from.Before(first) {
			from = first
		}
		if to.After(last) {
			to = last
		}
		out = append(out, opgave(from, to))
	}
	return out
}

// employer builds the administratieve eenheid of an employment from the
// employer's Handelsregister entry: a legal entity by its RSIN, a sole
// proprietor by the owner's name, and the main branch's visiting address.
func (s *server) employer(e *population.Employment) administratieveEenheid {
	aeh := administratieveEenheid{
		NaamAdministratieveEenheid: e.EmployerName,
		Loonheffingennr:            e.PayrollTaxNumber,
		// The schema wants a legal entity or a person; a person with no
		// name known is all the mock can say of an unknown employer.
		PersoonAdministratieveEenheid: &persoonAeh{},
	}
	c, ok := s.pop.Company(e.EmployerKvK)
	if !ok {
		return aeh
	}
	aeh.DatBAdministratieveEenheid = string(c.StartDate)
	aeh.DatEAdministratieveEenheid = string(c.EndDate)
	if c.RSIN != "" {
		aeh.PersoonAdministratieveEenheid = nil
		aeh.RechtspersoonAdministratieveEenh = &rechtspersoon{FiNr: c.RSIN, NaamRechtspersoon: c.Name}
	} else if len(c.Functionaries) > 0 {
		if p, ok := s.pop.Person(c.Functionaries[0].BSN); ok {
			aeh.PersoonAdministratieveEenheid = &persoonAeh{
				Voornamen: p.GivenNames, Voorvoegsel: p.Prefix, SignificantDeelVanDeAchternaam: p.Surname,
			}
		}
	}
	for _, b := range c.Branches {
		if !b.Main {
			continue
		}
		if a, ok := s.straatadres(b.AddressID); ok {
			aeh.FeitelijkAdresAeh = []adresAeh{{DatBAdres: string(b.RegistrationDate), Straatadres: a}}
		}
		break
	}
	return aeh
}

// straatadres renders a BAG address as the service's Straatadres, within
// its lengths: the house letter joins the addition (Huisnrtoevoeging, six
// characters) and a street name is cut to 24 characters, as short names
// are in other registries that hold 24.
func (s *server) straatadres(addressID string) (straatadres, bool) {
	a, ok := s.pop.Address(addressID)
	if !ok {
		return straatadres{}, false
	}
	out := straatadres{Huisnr: a.HouseNumber, Huisnrtoevoeging: cut(a.HouseLetter+a.Addition, 6), Postcd: a.Postcode}
	if st, ok := s.pop.Street(a.StreetID); ok {
		out.Straatnaam = cut(st.Name, 24)
	}
	if pl, ok := s.pop.Place(a.PlaceID); ok {
		out.Woonplaatsnaam = cut(pl.Name, 80)
	}
	if m, ok := s.pop.Municipality(a.MunicipalityCode); ok {
		out.Gemeentenaam = cut(m.Name, 40)
	}
	return out, true
}

// cut shortens s to at most n characters.
func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func uwvEenheid() administratieveEenheid {
	return administratieveEenheid{
		NaamAdministratieveEenheid:       uwvName,
		Loonheffingennr:                  uwvLoonheffingennr,
		RechtspersoonAdministratieveEenh: &rechtspersoon{FiNr: uwvFiNr, NaamRechtspersoon: uwvLegalName},
		FeitelijkAdresAeh: []adresAeh{{Straatadres: straatadres{
			Straatnaam: "La Guardiaweg", Huisnr: 116, Postcd: "1043BZ", Woonplaatsnaam: "Amsterdam", Gemeentenaam: "Amsterdam",
		}}},
	}
}

// ---- calendar ----

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func monthEnd(t time.Time) time.Time { return monthStart(t).AddDate(0, 1, -1) }

func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

// daysIn counts the days from a to b, both included.
func daysIn(a, b time.Time) int { return int(b.Sub(a).Hours()/24) + 1 }

// weekdays counts Monday to Friday from a to b, both included.
func weekdays(a, b time.Time) int {
	n := 0
	for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}
