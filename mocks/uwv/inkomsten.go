package uwv

import (
	"encoding/json"
	"net/http"
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

// ikvVraag is a validated UWVPersoonsIkvInfo question.
type ikvVraag struct {
	bsns []string
	// from and to bound the period asked for; zero when open.
	from, to time.Time
	asked    *periode
}

// inkomstenverhoudingen answers POST /inkomstenverhoudingen, the batch form
// of UWVPersoonsIkvInfo.
func (s *server) inkomstenverhoudingen(w http.ResponseWriter, r *http.Request) {
	body, bad, ok := s.readQuery(w, r)
	if !ok {
		return
	}
	q, badBody := parseIkvVraag(body)
	if bad = append(bad, badBody...); len(bad) > 0 {
		s.invalid(w, r, bad)
		return
	}
	out := ikvAntwoord{ClientSuwi: []ikvClient{}, NietsGevonden: []nietsGevonden{}, PeriodeGegevensleveringIko: q.asked}
	for _, bsn := range q.bsns {
		ikvs := s.inkomstenverhoudingenVan(bsn, q)
		if len(ikvs) == 0 {
			out.NietsGevonden = append(out.NietsGevonden, nietsGevonden{Burgerservicenr: bsn})
			continue
		}
		out.ClientSuwi = append(out.ClientSuwi, ikvClient{Burgerservicenr: bsn, Inkomstenverhouding: ikvs})
	}
	writeJSON(w, http.StatusOK, "application/json", out)
}

func parseIkvVraag(body map[string]json.RawMessage) (ikvVraag, []invalidParam) {
	var q ikvVraag
	bad := unknownMembers("", body, "burgerservicenummers", "PeriodeGegevensvraagIko")
	raw, present := body["burgerservicenummers"]
	list, badBSN := bsns(raw, present)
	q.bsns = list
	bad = append(bad, badBSN...)
	if raw, ok := body["PeriodeGegevensvraagIko"]; ok && string(raw) != "null" {
		p, badP := parsePeriode(raw)
		bad = append(bad, badP...)
		if len(badP) == 0 {
			q.asked = &p
			q.from, _ = population.Date(p.DatBPeriode).Time()
			q.to, _ = population.Date(p.DatEPeriode).Time()
		}
	}
	return q, bad
}

// parsePeriode validates PeriodeGegevensvraagIko: an object with optional
// dates DatBPeriode and DatEPeriode, the first not after the second.
func parsePeriode(raw json.RawMessage) (periode, []invalidParam) {
	const name = "PeriodeGegevensvraagIko"
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil || members == nil {
		return periode{}, []invalidParam{param(name, "object", "Parameter is geen object.")}
	}
	bad := unknownMembers(name+".", members, "DatBPeriode", "DatEPeriode")
	var p periode
	date := func(member string, into *string) {
		v, ok := members[member]
		if !ok || string(v) == "null" {
			return
		}
		var d string
		if err := json.Unmarshal(v, &d); err != nil || len(d) != 8 || !allDigits(d) {
			bad = append(bad, param(name+"."+member, "pattern", "Waarde voldoet niet aan patroon ^[0-9]{8}$."))
			return
		}
		if _, ok := validDate(d); !ok {
			bad = append(bad, param(name+"."+member, "date", "Waarde is geen geldige datum."))
			return
		}
		*into = d
	}
	date("DatBPeriode", &p.DatBPeriode)
	date("DatEPeriode", &p.DatEPeriode)
	if len(bad) == 0 && p.DatBPeriode != "" && p.DatEPeriode != "" && p.DatBPeriode > p.DatEPeriode {
		bad = append(bad, param(name+".DatEPeriode", "period", "DatEPeriode ligt voor DatBPeriode."))
	}
	return p, bad
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
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
			DatBIkp:                string(e.Start),
			DatEIkp:                string(e.End),
			CdSrtIkv:               e.IncomeKind,
			OmsSrtIkv:              s.codes.soortIkv.describe(e.IncomeKind),
			CdTypeArbeidscontract:  e.ContractType,
			OmsTypeArbeidscontract: s.codes.contractType.describe(e.ContractType),
			CdAardIkv:              e.Relation,
			OmsAardIkv:             s.codes.aardIkv.describe(e.Relation),
		}},
	}
	if e.EndReason != "" {
		ikv.CdRedenEindeArbeidsovereenkomst = e.EndReason
		ikv.OmsRedenEindeArbeidsovereenkomst = s.codes.redenEinde.describe(e.EndReason)
	}
	ikv.Inkomstenopgave = s.statements(start, end, q, func(from, to time.Time) inkomstenopgave {
		days := daysIn(from, to)
		monthDays := daysIn(monthStart(from), monthEnd(from))
		wage := int64(e.MonthlyWageCents) * int64(days) / int64(monthDays)
		return inkomstenopgave{
			DatBIko:                   string(population.DateOf(from)),
			DatEIko:                   string(population.DateOf(to)),
			AantVerloondeUrenIko:      int(e.HoursPerWeek*float64(days)/7 + 0.5),
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
			DatBIkp:   string(b.Start),
			DatEIkp:   string(endDate),
			CdSrtIkv:  b.IncomeKind,
			OmsSrtIkv: s.codes.soortIkv.describe(b.IncomeKind),
		}},
	}
	ikv.Inkomstenopgave = s.statements(start, end, q, func(from, to time.Time) inkomstenopgave {
		// WW is paid per working day.
		paid := int64(b.DailyAmountCents) * int64(weekdays(from, to))
		return inkomstenopgave{
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
// period the most recent few are given; with one, every month in it.
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
		return []inkomstenopgave{}
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
		KvKNr:                      e.EmployerKvK,
	}
	c, ok := s.pop.Company(e.EmployerKvK)
	if !ok {
		return aeh
	}
	aeh.DatBAdministratieveEenheid = string(c.StartDate)
	aeh.DatEAdministratieveEenheid = string(c.EndDate)
	if c.RSIN != "" {
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
		if a := s.straatadres(b.AddressID); a != nil {
			aeh.FeitelijkAdresAeh = []adresAeh{{DatBAdres: string(b.RegistrationDate), Straatadres: a}}
		}
		break
	}
	return aeh
}

func (s *server) straatadres(addressID string) *straatadres {
	a, ok := s.pop.Address(addressID)
	if !ok {
		return nil
	}
	out := &straatadres{Huisnr: a.HouseNumber, Huisletter: a.HouseLetter, Huisnrtoevoeging: a.Addition, Postcd: a.Postcode}
	if st, ok := s.pop.Street(a.StreetID); ok {
		out.Straatnaam = st.Name
	}
	if pl, ok := s.pop.Place(a.PlaceID); ok {
		out.Woonplaatsnaam = pl.Name
	}
	if m, ok := s.pop.Municipality(a.MunicipalityCode); ok {
		out.Gemeentenaam = m.Name
	}
	return out
}

func uwvEenheid() administratieveEenheid {
	return administratieveEenheid{
		NaamAdministratieveEenheid:       uwvName,
		Loonheffingennr:                  uwvLoonheffingennr,
		RechtspersoonAdministratieveEenh: &rechtspersoon{FiNr: uwvFiNr, NaamRechtspersoon: uwvLegalName},
		FeitelijkAdresAeh: []adresAeh{{Straatadres: &straatadres{
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
