package brp

import (
	"encoding/json"
	"strings"

	"github.com/poort-nl/poort/mocks/population"
)

// The query types of POST /personen.
const (
	raadpleegBSN   = "RaadpleegMetBurgerservicenummer"
	zoekNaamGeb    = "ZoekMetGeslachtsnaamEnGeboortedatum"
	zoekNaamGem    = "ZoekMetNaamEnGemeenteVanInschrijving"
	zoekPostcode   = "ZoekMetPostcodeEnHuisnummer"
	zoekStraat     = "ZoekMetStraatHuisnummerEnGemeenteVanInschrijving"
	zoekNummeraand = "ZoekMetNummeraanduidingIdentificatie"
	zoekObject     = "ZoekMetAdresseerbaarObjectIdentificatie"
)

// The most persons a search may find (release 2.5.0): more is an error
// asking the client to refine the search.
const (
	maxResults        = 10
	maxAddressResults = 30
)

// personenResponse is PersonenQueryResponse.
type personenResponse struct {
	Type     string `json:"type"`
	Personen []obj  `json:"personen"`
}

func (s *server) personen(body map[string]json.RawMessage, instance string) (any, *problem) {
	typ, prob := searchType(body, instance, raadpleegBSN, zoekNaamGeb, zoekNaamGem, zoekPostcode, zoekStraat, zoekNummeraand, zoekObject)
	if prob != nil {
		return nil, prob
	}
	if typ == raadpleegBSN {
		return s.raadpleeg(body, instance)
	}
	found, fields, max, prob := s.zoek(typ, body, instance)
	if prob != nil {
		return nil, prob
	}
	if len(found) > max {
		return nil, tooMany(instance, max)
	}
	sel := newSelection(fields)
	out := personenResponse{Type: typ, Personen: make([]obj, 0, len(found))}
	for _, p := range found {
		out.Personen = append(out.Personen, s.persoon(p, sel, true))
	}
	return out, nil
}

// raadpleeg answers RaadpleegMetBurgerservicenummer: every known person of
// the list, the deceased too, in the order asked. An unknown BSN is simply
// absent from the answer.
func (s *server) raadpleeg(body map[string]json.RawMessage, instance string) (any, *problem) {
	p := newParams(body, "burgerservicenummer", "gemeenteVanInschrijving")
	bsns := p.strArray("burgerservicenummer", reBSN, 20)
	gemeente := p.str("gemeenteVanInschrijving", false, reGemeente)
	fields := p.fields(s.persoonFields)
	p.unknown()
	if prob := p.problem(instance); prob != nil {
		return nil, prob
	}
	sel := newSelection(fields)
	out := personenResponse{Type: raadpleegBSN, Personen: make([]obj, 0, len(bsns))}
	seen := make(map[string]bool, len(bsns))
	for _, bsn := range bsns {
		if seen[bsn] {
			continue
		}
		seen[bsn] = true
		pe, ok := s.pop.Person(bsn)
		if !ok || (gemeente != "" && pe.MunicipalityCode != gemeente) {
			continue
		}
		out.Personen = append(out.Personen, s.persoon(pe, sel, false))
	}
	return out, nil
}

// zoek validates a search and returns what it finds, before the maximum
// is applied.
func (s *server) zoek(typ string, body map[string]json.RawMessage, instance string) (found []*population.Person, fields []string, max int, prob *problem) {
	var p *params
	var match func() []*population.Person
	max = maxResults
	rules := s.beperktFields
	switch typ {
	case zoekNaamGeb:
		p = newParams(body, "geslachtsnaam", "geboortedatum", "geslacht", "voorvoegsel", "voornamen",
			"inclusiefOverledenPersonen", "gemeenteVanInschrijving")
		geb := p.date("geboortedatum", true)
		naam := p.str("geslachtsnaam", true, reGeslachtsnaam)
		f := s.nameFilter(p, reVoornamen, false)
		match = func() []*population.Person {
			return f(s.ix.PersonsBySurnameAndBirth(naam, population.Date(geb)))
		}
	case zoekNaamGem:
		p = newParams(body, "geslachtsnaam", "voornamen", "gemeenteVanInschrijving", "geslacht", "voorvoegsel",
			"inclusiefOverledenPersonen")
		// Read in the order the API lists the parameters in its detail.
		gemeente := p.str("gemeenteVanInschrijving", true, reGemeente)
		naam := p.str("geslachtsnaam", true, reGeslachtsnaam)
		f := s.nameFilter(p, reVoornamenVerpl, true)
		match = func() []*population.Person {
			return f(s.ix.PersonsBySurnameInMunicipality(naam, gemeente))
		}
	case zoekPostcode:
		max = maxAddressResults
		p = newParams(body, "postcode", "huisnummer", "huisletter", "huisnummertoevoeging", "geboortedatum",
			"geslachtsnaam", "inclusiefOverledenPersonen", "gemeenteVanInschrijving")
		pc := p.str("postcode", true, rePostcode)
		nr := p.huisnummer(true)
		letter := p.str("huisletter", false, reHuisletter)
		toev := p.str("huisnummertoevoeging", false, reToevoeging)
		geb := p.date("geboortedatum", false)
		naam := p.str("geslachtsnaam", false, reGeslachtsnaam)
		f := s.commonFilter(p, true)
		match = func() []*population.Person {
			pc = strings.ToUpper(strings.ReplaceAll(pc, " ", ""))
			var out []*population.Person
			for _, a := range s.pop.AddressesByPostcode(pc, nr) {
				if sameAddition(a, letter, toev) {
					out = append(out, s.ix.RegisteredAt(a.ID)...)
				}
			}
			return f(filterPersons(out, func(pe *population.Person) bool {
				return (geb == "" || string(pe.BirthDate) == geb) && (naam == "" || population.MatchName(pe.Surname, naam))
			}))
		}
	case zoekStraat:
		max = maxAddressResults
		p = newParams(body, "straat", "huisnummer", "gemeenteVanInschrijving", "huisletter", "huisnummertoevoeging",
			"inclusiefOverledenPersonen")
		// Read in the order the API lists the parameters in its detail.
		gemeente := p.str("gemeenteVanInschrijving", true, reGemeente)
		nr := p.huisnummer(true)
		straat := p.str("straat", true, reStraat)
		letter := p.str("huisletter", false, reHuisletter)
		toev := p.str("huisnummertoevoeging", false, reToevoeging)
		f := s.commonFilter(p, false)
		match = func() []*population.Person {
			var out []*population.Person
			for _, a := range s.ix.AddressesOnStreet(gemeente, straat, nr) {
				if sameAddition(a, letter, toev) {
					out = append(out, s.ix.RegisteredAt(a.ID)...)
				}
			}
			return f(out)
		}
	case zoekNummeraand:
		max = maxAddressResults
		p = newParams(body, "nummeraanduidingIdentificatie", "inclusiefOverledenPersonen", "gemeenteVanInschrijving")
		id := p.str("nummeraanduidingIdentificatie", true, reBAG)
		f := s.commonFilter(p, true)
		match = func() []*population.Person { return f(s.ix.RegisteredAt(id)) }
	case zoekObject:
		max = maxAddressResults
		rules = s.gezagFields
		p = newParams(body, "adresseerbaarObjectIdentificatie", "inclusiefOverledenPersonen", "gemeenteVanInschrijving")
		id := p.str("adresseerbaarObjectIdentificatie", true, reBAG)
		f := s.commonFilter(p, true)
		match = func() []*population.Person {
			a, ok := s.pop.AddressByObject(id)
			if !ok {
				return nil
			}
			return f(s.ix.RegisteredAt(a.ID))
		}
	}
	fields = p.fields(rules)
	p.unknown()
	if prob := p.problem(instance); prob != nil {
		return nil, nil, 0, prob
	}
	return match(), fields, max, nil
}

// commonFilter reads the parameters every search has: the deceased only
// when asked for, and optionally one municipality of registration, unless
// the municipality is the search's own key (readGemeente false).
func (s *server) commonFilter(p *params, readGemeente bool) func([]*population.Person) []*population.Person {
	overleden := p.boolean("inclusiefOverledenPersonen")
	var gemeente string
	if readGemeente {
		gemeente = p.str("gemeenteVanInschrijving", false, reGemeente)
	}
	return func(in []*population.Person) []*population.Person {
		return filterPersons(in, func(pe *population.Person) bool {
			return (overleden || pe.Alive()) && (gemeente == "" || pe.MunicipalityCode == gemeente)
		})
	}
}

// nameFilter adds the name parameters of the name searches to
// commonFilter. In ZoekMetNaamEnGemeenteVanInschrijving the given names
// and the municipality are required, and the caller reads the latter.
func (s *server) nameFilter(p *params, voornamenPattern *patternText, naamEnGemeente bool) func([]*population.Person) []*population.Person {
	geslacht := strings.ToUpper(p.str("geslacht", false, reGeslacht))
	voorvoegsel := p.str("voorvoegsel", false, reVoorvoegsel)
	voornamen := p.str("voornamen", naamEnGemeente, voornamenPattern)
	common := s.commonFilter(p, !naamEnGemeente)
	return func(in []*population.Person) []*population.Person {
		return common(filterPersons(in, func(pe *population.Person) bool {
			return (geslacht == "" || pe.Gender == geslacht) &&
				(voorvoegsel == "" || strings.EqualFold(pe.Prefix, voorvoegsel)) &&
				(voornamen == "" || population.MatchName(pe.GivenNames, voornamen))
		}))
	}
}

func filterPersons(in []*population.Person, keep func(*population.Person) bool) []*population.Person {
	out := in[:0:0]
	for _, p := range in {
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}

// sameAddition reports whether the address has the house letter and
// addition asked for; an empty one asks for any.
func sameAddition(a *population.Address, letter, addition string) bool {
	return (letter == "" || strings.EqualFold(a.HouseLetter, letter)) &&
		(addition == "" || strings.EqualFold(a.Addition, addition))
}
