package businesscase

import "fmt"

// answers words the scale check's answer to each scenario's question.
func answers(s *ScaleResult) []Answer {
	last := s.Options.StartYear + s.Options.HorizonYears - 1
	t, n, nat := s.Total, s.Total.Municipalities, s.National
	smallest := "none does"
	if m := s.SmallestShared; m != nil {
		smallest = fmt.Sprintf("the smallest that does is %s (%s inhabitants)", m.Municipality.Name, groupThousands(int64(m.Municipality.Population)))
	}
	couplings := Answer{
		Scenario: Couplings, Question: "Do better couplings pay for the municipality?",
		BreakEven: t.Shared.Count, Municipalities: n,
		Text: fmt.Sprintf("%d of %d municipalities break even by %d with the fixed costs shared, %d carrying them alone; %s.",
			t.Shared.Count, n, last, t.Alone.Count, smallest),
	}
	government := "more than the municipalities' extra cost, so for government as a whole the shift saves money"
	if nat.AgencySaving < nat.ExtraCost {
		government = "less than the municipalities' extra cost, so for government as a whole the shift costs more than it saves"
	}
	frontOffice := Answer{
		Scenario: FrontOffice, Question: "Does being the front office for all of government pay, without compensation?",
		BreakEven: t.FrontOffice.Count, Municipalities: n,
		Text: fmt.Sprintf("%d of %d break even by %d. The %s contacts a year that shift from national agencies cost the municipalities %s over the horizon (%s a contact) and save the agencies %s (%s a contact), %s.",
			t.FrontOffice.Count, n, last, FormatCount(nat.ShiftedContacts), compactEuros(nat.ExtraCost), nat.ExtraCostPerContact,
			compactEuros(nat.AgencySaving), nat.AgencySavingPerContact, government),
	}
	every := "no compensation per contact lets every municipality break even, since to some no contacts shift"
	if c := nat.PerContactEvery; c != nil {
		every = fmt.Sprintf("every municipality breaks even at %s per contact (half of them need %s or less)", *c, t.PerContact.Median)
	}
	together := ""
	switch c := nat.PerContactTogether; {
	case c == nil:
	case *c == 0:
		together = "; together the municipalities break even without compensation"
	default:
		together = fmt.Sprintf("; together they break even at %s", *c)
	}
	compensated := Answer{
		Scenario: Compensated, Question: "Does it pay with compensation?",
		BreakEven: t.Compensated.Count, Municipalities: n,
		Text: fmt.Sprintf("Compensated with %s, %d of %d break even by %d. Paid per contact instead, %s%s.",
			nat.Rate.String(), t.Compensated.Count, n, last, every, together),
	}
	return []Answer{couplings, frontOffice, compensated}
}

// String says a compensation in words: "€2.00 per contact and 100 % of
// the agencies' saving".
func (r Rate) String() string {
	switch {
	case r.PerContact == 0 && r.ShareOfAgencySaving == 0:
		return "nothing"
	case r.PerContact == 0:
		return FormatPercent(r.ShareOfAgencySaving) + " of the agencies' saving"
	case r.ShareOfAgencySaving == 0:
		return toCents(r.PerContact).String() + " per contact"
	}
	return fmt.Sprintf("%s per contact and %s of the agencies' saving", toCents(r.PerContact), FormatPercent(r.ShareOfAgencySaving))
}
