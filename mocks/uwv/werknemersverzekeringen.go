package uwv

import (
	"net/http"

	"github.com/poort-nl/poort/mocks/population"
)

// redenMaximum is the reason a benefit ends when its maximum duration
// passes.
const redenMaximum = "Maximale uitkeringsduur bereikt"

// werknemersverzekeringen answers POST /werknemersverzekeringen, the batch
// form of UWVPersoonsWvInfo.
func (s *server) werknemersverzekeringen(w http.ResponseWriter, r *http.Request) {
	body, bad, ok := s.readQuery(w, r)
	if !ok {
		return
	}
	bad = append(bad, unknownMembers("", body, "burgerservicenummers")...)
	raw, present := body["burgerservicenummers"]
	list, badBSN := bsns(raw, present)
	if bad = append(bad, badBSN...); len(bad) > 0 {
		s.invalid(w, r, bad)
		return
	}
	out := wvAntwoord{ClientSuwi: []wvClient{}, NietsGevonden: []nietsGevonden{}}
	for _, bsn := range list {
		bens := s.pop.BenefitsOf(bsn)
		if len(bens) == 0 {
			out.NietsGevonden = append(out.NietsGevonden, nietsGevonden{Burgerservicenr: bsn})
			continue
		}
		out.ClientSuwi = append(out.ClientSuwi, s.wvClient(bsn, bens))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
}

func (s *server) wvClient(bsn string, bens []*population.Benefit) wvClient {
	c := wvClient{
		Burgerservicenr:      bsn,
		WerkloosheidClient:   make([]werkloosheidClient, 0, len(bens)),
		AanvraagUitkering:    make([]aanvraagUitkering, 0, len(bens)),
		Uitkeringsverhouding: make([]uitkeringsverhouding, 0, len(bens)),
	}
	for _, b := range bens {
		c.WerkloosheidClient = append(c.WerkloosheidClient, werkloosheidClient{
			DatEersteWerkloosheidsdag: string(b.FirstDayUnemployed),
			OmsRedenWerkloosheid:      b.Reason,
		})
		c.AanvraagUitkering = append(c.AanvraagUitkering, aanvraagUitkering{
			DatAanvraagUitkering: string(b.ApplicationDate),
			SzWet:                szWet{CdSzWet: b.Law},
		})
		end, reason := s.benefitEnd(b)
		c.Uitkeringsverhouding = append(c.Uitkeringsverhouding, uitkeringsverhouding{
			DatBUitkeringsverhouding:         string(b.Start),
			DatEUitkeringsverhouding:         string(end),
			OmsRedenEindeUitkeringsverh:      reason,
			DatEMaximaleUitkeringsduur:       string(b.MaxEnd),
			AantWerkurenPerWeekGrondslagUitk: b.HoursLost,
			SzWet:                            szWet{CdSzWet: b.Law},
		})
	}
	return c
}

// benefitEnd returns the end of a benefit relation. The population leaves
// the end open while a benefit runs; a WW benefit whose maximum duration has
// passed before the reference date has ended then.
func (s *server) benefitEnd(b *population.Benefit) (population.Date, string) {
	if b.End != "" {
		return b.End, ""
	}
	if b.MaxEnd != "" && b.MaxEnd < s.pop.ReferenceDate {
		return b.MaxEnd, redenMaximum
	}
	return "", ""
}
