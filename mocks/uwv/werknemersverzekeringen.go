package uwv

import (
	"fmt"
	"math"

	"github.com/poort-nl/poort/mocks/population"
)

// redenMaximum is the reason a benefit ends when its maximum duration
// passes.
const redenMaximum = "Maximale uitkeringsduur bereikt"

// werknemersverzekeringen answers UWVPersoonsWvInfo: the person's benefit
// relations, or NietsGevonden without any.
func (s *server) werknemersverzekeringen(v vraag) any {
	bsn := v.bsn
	out := &wvAntwoord{Smls: nsWerknemersverzekeringen}
	bens := s.pop.BenefitsOf(bsn)
	if len(bens) == 0 {
		out.NietsGevonden = &nietsGevonden{Fwi: nsFWI}
		return out
	}
	out.ClientSuwi = s.wvClient(bsn, bens)
	return out
}

func (s *server) wvClient(bsn string, bens []*population.Benefit) *wvClient {
	c := &wvClient{
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
			AantWerkurenPerWeekGrondslagUitk: tijdsduur(b.HoursLost),
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

// tijdsduur writes hours as sml:Tijdsduur, hours and minutes "HHMM".
func tijdsduur(hours float64) string {
	minutes := int(math.Round(hours * 60))
	return fmt.Sprintf("%02d%02d", minutes/60, minutes%60)
}
