package brp

import (
	"github.com/poort-nl/poort/mocks/population"
)

// gbaStart is the day the GBA started; persons registered before it have
// it as their first GBA registration.
const gbaStart population.Date = "19941001"

// compact drops the empty values of a group, as the API leaves out fields
// without a value.
func compact[M ~map[string]any](m M) M {
	for k, v := range m {
		switch v := v.(type) {
		case nil:
			delete(m, k)
		case string:
			if v == "" {
				delete(m, k)
			}
		case obj:
			if len(v) == 0 {
				delete(m, k)
			}
		}
	}
	return m
}

// persoon builds the groups the selection asks for and filters each, so a
// request for a few fields does not pay for the whole person. beperkt
// builds the PersoonBeperkt shape the searches answer with.
func (s *server) persoon(p *population.Person, sel *selection, beperkt bool) obj {
	out := obj{}
	for name, child := range sel.kids {
		if f := filter(s.group(name, p, beperkt), child); f != nil {
			out[name] = f
		}
	}
	// Delivered automatically whenever they apply.
	if p.Secret {
		out["geheimhoudingPersoonsgegevens"] = true
	}
	if !p.Alive() {
		out["opschortingBijhouding"] = opschorting(p)
	}
	return out
}

func opschorting(p *population.Person) obj {
	return obj{"reden": waarde("O", "overlijden"), "datum": datum(p.DeathDate)}
}

// group builds one top-level field of a Persoon in full.
func (s *server) group(name string, p *population.Person, beperkt bool) any {
	switch name {
	case "aNummer":
		return p.ANumber
	case "burgerservicenummer":
		return p.BSN
	case "geslacht":
		return waarde(p.Gender, geslachten[p.Gender])
	case "leeftijd":
		return leeftijd(p, s.ref)
	case "naam":
		return s.naam(p, beperkt)
	case "geboorte":
		return s.geboorte(p, beperkt)
	case "overlijden":
		if p.Alive() {
			return nil
		}
		return compact(obj{
			"datum": datum(p.DeathDate),
			"land":  waarde(landNederland, landen[landNederland]),
			// The population keeps no place of death; the last
			// municipality of registration stands in for it.
			"plaats": s.gemeente(p.MunicipalityCode),
		})
	case "nationaliteiten":
		var out []any
		for _, n := range p.Nationalities {
			// The population records nationalities held from birth.
			out = append(out, compact(poly{
				"type":                  "Nationaliteit",
				"nationaliteit":         waarde(n, nationaliteiten[n]),
				"datumIngangGeldigheid": datum(p.BirthDate),
			}))
		}
		return anyOrNil(out)
	case "verblijfplaats":
		return s.verblijfplaats(p)
	case "gemeenteVanInschrijving":
		return s.gemeente(p.MunicipalityCode)
	case "datumInschrijvingInGemeente":
		return datum(p.AddressSince)
	case "datumEersteInschrijvingGBA":
		if p.RegisteredSince != "" && p.RegisteredSince < gbaStart {
			return datum(gbaStart)
		}
		return datum(p.RegisteredSince)
	case "adressering":
		return s.adressering(p, beperkt)
	case "indicatieCurateleRegister":
		if p.Curatele {
			return true
		}
		return nil
	case "ouders":
		return s.ouders(p)
	case "kinderen":
		return s.kinderen(p)
	case "partners":
		return s.partners(p)
	default:
		// europeesKiesrecht, uitsluitingKiesrecht, immigratie,
		// verblijfstitel, gezag and indicatieGezagMinderjarige: the
		// population holds none of these.
		return nil
	}
}

func (s *server) naam(p *population.Person, beperkt bool) obj {
	n := compact(obj{
		"voornamen":     p.GivenNames,
		"voorvoegsel":   p.Prefix,
		"geslachtsnaam": p.Surname,
		"voorletters":   voorletters(p.GivenNames),
		"volledigeNaam": join(p.GivenNames, p.Prefix, p.Surname),
	})
	if !beperkt {
		// The population records no partner name use, so everyone uses
		// their own name.
		n["aanduidingNaamgebruik"] = waarde("E", "gebruik alleen de eigen naam.")
	}
	return n
}

// naamGerelateerde is the name of a parent, child or partner, which has no
// volledigeNaam.
func naamGerelateerde(q *population.Person) obj {
	return compact(obj{
		"voornamen":     q.GivenNames,
		"voorvoegsel":   q.Prefix,
		"geslachtsnaam": q.Surname,
		"voorletters":   voorletters(q.GivenNames),
	})
}

func (s *server) geboorte(p *population.Person, beperkt bool) obj {
	g := obj{"datum": datum(p.BirthDate)}
	if !beperkt {
		g["land"] = waarde(p.BirthCountry, landen[p.BirthCountry])
		g["plaats"] = plaats(p)
	}
	return compact(g)
}

// gemeente is a municipality from the Gemeenten table by its code.
func (s *server) gemeente(code string) any {
	name := ""
	if m, ok := s.pop.Municipality(code); ok {
		name = m.Name
	}
	return waarde(code, name)
}

// plaats is the place of birth as the BRP records it: a municipality from
// the Gemeenten table for a birth in the Netherlands, and the bare name of
// a place abroad, a table value with a description and no code.
func plaats(p *population.Person) any {
	switch {
	case p.BirthPlaceCode != "":
		return waarde(p.BirthPlaceCode, p.BirthPlace)
	case p.BirthPlace != "":
		return leaf{"omschrijving": p.BirthPlace}
	}
	return nil
}

func (s *server) verblijfplaats(p *population.Person) any {
	a, ok := s.pop.Address(p.AddressID)
	if !ok {
		return nil
	}
	adres := obj{
		"huisnummer":           a.HouseNumber,
		"huisletter":           a.HouseLetter,
		"huisnummertoevoeging": a.Addition,
		"postcode":             a.Postcode,
	}
	if st, ok := s.pop.Street(a.StreetID); ok {
		adres["officieleStraatnaam"] = st.Name
		adres["korteStraatnaam"] = st.ShortName
	}
	if pl, ok := s.pop.Place(a.PlaceID); ok {
		adres["woonplaats"] = pl.Name
	}
	return compact(poly{
		"type":                             "Adres",
		"verblijfadres":                    compact(adres),
		"adresseerbaarObjectIdentificatie": a.ObjectID,
		"nummeraanduidingIdentificatie":    a.ID,
		"functieAdres":                     waarde("W", "woonadres"),
		"datumVan":                         datum(p.AddressSince),
		"datumIngangGeldigheid":            datum(p.AddressSince),
	})
}

// adressering derives the address lines and the forms of address from the
// address and the name, following the API's rules for a person without a
// noble title who uses their own name.
func (s *server) adressering(p *population.Person, beperkt bool) any {
	a, ok := s.pop.Address(p.AddressID)
	if !ok {
		return nil
	}
	st, okS := s.pop.Street(a.StreetID)
	pl, okP := s.pop.Place(a.PlaceID)
	if !okS || !okP {
		return nil
	}
	out := obj{
		"adresregel1": population.StreetLine(st.ShortName, a.HouseNumber, a.HouseLetter, a.Addition),
		"adresregel2": population.PlaceLine(a.Postcode, pl.Name),
	}
	if beperkt {
		return out
	}
	initials := voorletters(p.GivenNames)
	name := join(p.Prefix, p.Surname)
	switch p.Gender {
	case population.Male:
		out["aanhef"] = "Geachte heer " + capitalize(name)
		out["gebruikInLopendeTekst"] = "de heer " + capitalize(name)
	case population.Female:
		out["aanhef"] = "Geachte mevrouw " + capitalize(name)
		out["gebruikInLopendeTekst"] = "mevrouw " + capitalize(name)
	default:
		out["aanhef"] = join("Geachte", initials, name)
		out["gebruikInLopendeTekst"] = capitalize(join(initials, name))
	}
	out["aanschrijfwijze"] = obj{"naam": capitalize(join(initials, name))}
	return out
}

func (s *server) ouders(p *population.Person) any {
	var out []any
	for i, bsn := range p.Parents {
		o := obj{"burgerservicenummer": bsn, "ouderAanduiding": string(rune('1' + i))}
		if q, ok := s.pop.Person(bsn); ok {
			o["geslacht"] = waarde(q.Gender, geslachten[q.Gender])
			o["naam"] = naamGerelateerde(q)
			o["geboorte"] = s.geboorte(q, false)
			// Parenthood starts at birth for every child in the
			// population.
			o["datumIngangFamilierechtelijkeBetrekking"] = datum(p.BirthDate)
		}
		out = append(out, compact(o))
	}
	return anyOrNil(out)
}

func (s *server) kinderen(p *population.Person) any {
	var out []any
	for _, bsn := range p.Children {
		k := obj{"burgerservicenummer": bsn}
		if q, ok := s.pop.Person(bsn); ok {
			k["naam"] = naamGerelateerde(q)
			k["geboorte"] = s.geboorte(q, false)
		}
		out = append(out, compact(k))
	}
	return anyOrNil(out)
}

// partners holds the current or the last dissolved marriage or
// partnership, which is all the API gives.
func (s *server) partners(p *population.Person) any {
	ps := p.Partner
	if ps == nil {
		return nil
	}
	o := obj{
		"burgerservicenummer": ps.BSN,
		"soortVerbintenis":    waarde(ps.Kind, soortVerbintenissen[ps.Kind]),
		"aangaanHuwelijkPartnerschap": compact(obj{
			"datum": datum(ps.Since),
			"land":  waarde(landNederland, landen[landNederland]),
		}),
	}
	if ps.Ended != "" {
		o["ontbindingHuwelijkPartnerschap"] = obj{"datum": datum(ps.Ended)}
	}
	if q, ok := s.pop.Person(ps.BSN); ok {
		o["geslacht"] = waarde(q.Gender, geslachten[q.Gender])
		o["naam"] = naamGerelateerde(q)
		o["geboorte"] = s.geboorte(q, false)
	}
	return []any{compact(o)}
}

func anyOrNil(v []any) any {
	if len(v) == 0 {
		return nil
	}
	return v
}
