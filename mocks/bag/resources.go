package bag

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/poort-nl/poort/mocks/population"
)

// The shapes below follow the OAS of BAG API Individuele Bevragingen v2
// (schemas AdresIOHal, AdresseerbaarObjectIOHal, VerblijfsobjectIOHal,
// PandIOHal, NummeraanduidingIOHal, OpenbareRuimteIOHal, WoonplaatsIOHal).

type halLink struct {
	Href string `json:"href"`
}

type adresLinks struct {
	Self                halLink   `json:"self"`
	OpenbareRuimte      halLink   `json:"openbareRuimte"`
	Nummeraanduiding    halLink   `json:"nummeraanduiding"`
	Woonplaats          halLink   `json:"woonplaats"`
	AdresseerbaarObject halLink   `json:"adresseerbaarObject"`
	Panden              []halLink `json:"panden,omitempty"`
}

// adresEmbedded carries what expand asked for. adresseerbaarObject and
// panden are embedded as in the live API and the
// adresseerbaarobject-embedden-in-adres feature.
type adresEmbedded struct {
	OpenbareRuimte      *openbareRuimteHal      `json:"openbareRuimte,omitempty"`
	Nummeraanduiding    *nummeraanduidingHal    `json:"nummeraanduiding,omitempty"`
	Woonplaats          *woonplaatsHal          `json:"woonplaats,omitempty"`
	AdresseerbaarObject *adresseerbaarObjectHal `json:"adresseerbaarObject,omitempty"`
	Panden              []pandHal               `json:"panden,omitempty"`
}

type adres struct {
	OpenbareRuimteNaam               string         `json:"openbareRuimteNaam"`
	KorteNaam                        string         `json:"korteNaam"`
	Huisnummer                       int            `json:"huisnummer"`
	Huisletter                       string         `json:"huisletter,omitempty"`
	Huisnummertoevoeging             string         `json:"huisnummertoevoeging,omitempty"`
	Postcode                         string         `json:"postcode,omitempty"`
	WoonplaatsNaam                   string         `json:"woonplaatsNaam"`
	NummeraanduidingIdentificatie    string         `json:"nummeraanduidingIdentificatie"`
	OpenbareRuimteIdentificatie      string         `json:"openbareRuimteIdentificatie"`
	WoonplaatsIdentificatie          string         `json:"woonplaatsIdentificatie"`
	AdresseerbaarObjectIdentificatie string         `json:"adresseerbaarObjectIdentificatie"`
	PandIdentificaties               []string       `json:"pandIdentificaties,omitempty"`
	IndicatieNevenadres              bool           `json:"indicatieNevenadres,omitempty"`
	Adresregel5                      string         `json:"adresregel5"`
	Adresregel6                      string         `json:"adresregel6"`
	Links                            adresLinks     `json:"_links"`
	Embedded                         *adresEmbedded `json:"_embedded,omitempty"`
}

type paginationLinks struct {
	Self     halLink  `json:"self"`
	First    *halLink `json:"first,omitempty"`
	Previous *halLink `json:"previous,omitempty"`
	Next     *halLink `json:"next,omitempty"`
	Last     *halLink `json:"last,omitempty"`
}

type adressenEmbedded struct {
	Adressen []adres `json:"adressen"`
}

type adresCollection struct {
	Links    paginationLinks   `json:"_links"`
	Embedded *adressenEmbedded `json:"_embedded,omitempty"`
}

type voorkomen struct {
	TijdstipRegistratie   string `json:"tijdstipRegistratie"`
	Versie                int    `json:"versie"`
	BeginGeldigheid       string `json:"beginGeldigheid"`
	TijdstipRegistratieLV string `json:"tijdstipRegistratieLV"`
}

type point struct {
	Type        string     `json:"type"`
	Coordinates [3]float64 `json:"coordinates"`
}

type polygon struct {
	Type        string         `json:"type"`
	Coordinates [][][3]float64 `json:"coordinates"`
}

type puntOfVlak struct {
	Punt *point `json:"punt,omitempty"`
}

type verblijfsobject struct {
	Type               string     `json:"type"`
	HeeftAlsHoofdAdres string     `json:"heeftAlsHoofdAdres"`
	HeeftAlsNevenAdres []string   `json:"heeftAlsNevenAdres,omitempty"`
	Identificatie      string     `json:"identificatie"`
	Domein             string     `json:"domein"`
	Geometrie          puntOfVlak `json:"geometrie"`
	Gebruiksdoelen     []string   `json:"gebruiksdoelen"`
	Oppervlakte        int        `json:"oppervlakte"`
	Status             string     `json:"status"`
	Geconstateerd      string     `json:"geconstateerd"`
	Documentdatum      string     `json:"documentdatum"`
	Documentnummer     string     `json:"documentnummer"`
	Voorkomen          voorkomen  `json:"voorkomen"`
	MaaktDeelUitVan    []string   `json:"maaktDeelUitVan"`
}

type verblijfsobjectLinks struct {
	Self               halLink   `json:"self"`
	HeeftAlsHoofdAdres halLink   `json:"heeftAlsHoofdAdres"`
	HeeftAlsNevenAdres []halLink `json:"heeftAlsNevenAdres,omitempty"`
	MaaktDeelUitVan    []halLink `json:"maaktDeelUitVan"`
}

type verblijfsobjectEmbedded struct {
	HeeftAlsHoofdAdres *nummeraanduidingHal `json:"heeftAlsHoofdAdres,omitempty"`
	MaaktDeelUitVan    []pandHal            `json:"maaktDeelUitVan,omitempty"`
}

type verblijfsobjectHal struct {
	Verblijfsobject verblijfsobject          `json:"verblijfsobject"`
	Embedded        *verblijfsobjectEmbedded `json:"_embedded,omitempty"`
	Links           verblijfsobjectLinks     `json:"_links"`
}

// adresseerbaarObjectHal wraps one of ligplaats, standplaats or
// verblijfsobject; the population holds only verblijfsobjecten.
type adresseerbaarObjectHal struct {
	Links           *selfLinks          `json:"_links,omitempty"`
	Verblijfsobject *verblijfsobjectHal `json:"verblijfsobject,omitempty"`
}

type selfLinks struct {
	Self halLink `json:"self"`
}

type pand struct {
	Identificatie          string    `json:"identificatie"`
	Domein                 string    `json:"domein"`
	Geometrie              polygon   `json:"geometrie"`
	OorspronkelijkBouwjaar string    `json:"oorspronkelijkBouwjaar"`
	Status                 string    `json:"status"`
	Geconstateerd          string    `json:"geconstateerd"`
	Documentdatum          string    `json:"documentdatum"`
	Documentnummer         string    `json:"documentnummer"`
	Voorkomen              voorkomen `json:"voorkomen"`
}

type pandHal struct {
	Pand  pand      `json:"pand"`
	Links selfLinks `json:"_links"`
}

type nummeraanduiding struct {
	Identificatie           string    `json:"identificatie"`
	Domein                  string    `json:"domein"`
	Huisnummer              int       `json:"huisnummer"`
	Huisletter              string    `json:"huisletter,omitempty"`
	Huisnummertoevoeging    string    `json:"huisnummertoevoeging,omitempty"`
	Postcode                string    `json:"postcode,omitempty"`
	TypeAdresseerbaarObject string    `json:"typeAdresseerbaarObject"`
	Status                  string    `json:"status"`
	Geconstateerd           string    `json:"geconstateerd"`
	Documentdatum           string    `json:"documentdatum"`
	Documentnummer          string    `json:"documentnummer"`
	Voorkomen               voorkomen `json:"voorkomen"`
	LigtIn                  string    `json:"ligtIn,omitempty"`
	LigtAan                 string    `json:"ligtAan"`
}

type nummeraanduidingLinks struct {
	Self                  halLink `json:"self"`
	LigtInWoonplaats      halLink `json:"ligtInWoonplaats"`
	LigtAanOpenbareRuimte halLink `json:"ligtAanOpenbareRuimte"`
}

type nummeraanduidingHal struct {
	Nummeraanduiding nummeraanduiding      `json:"nummeraanduiding"`
	Links            nummeraanduidingLinks `json:"_links"`
}

type openbareRuimte struct {
	Identificatie  string    `json:"identificatie"`
	Domein         string    `json:"domein"`
	Naam           string    `json:"naam"`
	Type           string    `json:"type"`
	Status         string    `json:"status"`
	KorteNaam      string    `json:"korteNaam"`
	Geconstateerd  string    `json:"geconstateerd"`
	Documentdatum  string    `json:"documentdatum"`
	Documentnummer string    `json:"documentnummer"`
	Voorkomen      voorkomen `json:"voorkomen"`
	LigtIn         string    `json:"ligtIn"`
}

type openbareRuimteLinks struct {
	Self             halLink `json:"self"`
	LigtInWoonplaats halLink `json:"ligtInWoonplaats"`
}

type openbareRuimteHal struct {
	OpenbareRuimte openbareRuimte      `json:"openbareRuimte"`
	Links          openbareRuimteLinks `json:"_links"`
}

type woonplaats struct {
	Identificatie  string    `json:"identificatie"`
	Domein         string    `json:"domein"`
	Naam           string    `json:"naam"`
	Status         string    `json:"status"`
	Geconstateerd  string    `json:"geconstateerd"`
	Documentdatum  string    `json:"documentdatum"`
	Documentnummer string    `json:"documentnummer"`
	Voorkomen      voorkomen `json:"voorkomen"`
}

type woonplaatsLinks struct {
	Self        halLink   `json:"self"`
	Bronhouders []halLink `json:"bronhouders"`
}

type woonplaatsHal struct {
	Woonplaats woonplaats      `json:"woonplaats"`
	Links      woonplaatsLinks `json:"_links"`
}

// builder turns population records into API resources, with links under
// the base URL the client called.
type builder struct {
	pop  *population.Population
	base string // e.g. "http://127.0.0.1:8080/lvbag/individuelebevragingen/v2"
	ref  time.Time
}

func (b *builder) link(collection, id string) halLink {
	return halLink{Href: b.base + "/" + collection + "/" + id}
}

// objectCollection names the collection of an adresseerbaar object by the
// type digits in its identification.
func objectCollection(id string) string {
	switch id[4:6] {
	case "02":
		return "ligplaatsen"
	case "03":
		return "standplaatsen"
	default:
		return "verblijfsobjecten"
	}
}

func (b *builder) adres(a *population.Address, exp expansion) adres {
	st, _ := b.pop.Street(a.StreetID)
	if st == nil {
		st = &population.Street{ID: a.StreetID}
	}
	pl, _ := b.pop.Place(a.PlaceID)
	if pl == nil {
		pl = &population.Place{ID: a.PlaceID}
	}
	out := adres{
		OpenbareRuimteNaam:               st.Name,
		KorteNaam:                        st.ShortName,
		Huisnummer:                       a.HouseNumber,
		Huisletter:                       a.HouseLetter,
		Huisnummertoevoeging:             a.Addition,
		Postcode:                         a.Postcode,
		WoonplaatsNaam:                   pl.Name,
		NummeraanduidingIdentificatie:    a.ID,
		OpenbareRuimteIdentificatie:      st.ID,
		WoonplaatsIdentificatie:          pl.ID,
		AdresseerbaarObjectIdentificatie: a.ObjectID,
		PandIdentificaties:               a.BuildingIDs,
		Adresregel5:                      population.StreetLine(st.ShortName, a.HouseNumber, a.HouseLetter, a.Addition),
		Adresregel6:                      population.PlaceLine(a.Postcode, pl.Name),
		Links: adresLinks{
			Self:                b.link("adressen", a.ID),
			OpenbareRuimte:      b.link("openbareruimten", st.ID),
			Nummeraanduiding:    b.link("nummeraanduidingen", a.ID),
			Woonplaats:          b.link("woonplaatsen", pl.ID),
			AdresseerbaarObject: b.link(objectCollection(a.ObjectID), a.ObjectID),
		},
	}
	for _, id := range a.BuildingIDs {
		out.Links.Panden = append(out.Links.Panden, b.link("panden", id))
	}
	if exp.any() {
		e := &adresEmbedded{}
		if exp.openbareRuimte {
			e.OpenbareRuimte = b.openbareRuimte(st)
		}
		if exp.nummeraanduiding {
			e.Nummeraanduiding = b.nummeraanduiding(a)
		}
		if exp.woonplaats {
			e.Woonplaats = b.woonplaats(pl)
		}
		if exp.adresseerbaarObject {
			e.AdresseerbaarObject = &adresseerbaarObjectHal{Verblijfsobject: b.verblijfsobject(a, expansion{})}
		}
		if exp.panden {
			e.Panden = b.panden(a.BuildingIDs)
		}
		out.Embedded = e
	}
	return out
}

func (b *builder) panden(ids []string) []pandHal {
	var out []pandHal
	for _, id := range ids {
		if bu, ok := b.pop.Building(id); ok {
			out = append(out, b.pand(bu))
		}
	}
	return out
}

func (b *builder) verblijfsobject(a *population.Address, exp expansion) *verblijfsobjectHal {
	v := &verblijfsobjectHal{
		Verblijfsobject: verblijfsobject{
			Type:               "Verblijfsobject",
			HeeftAlsHoofdAdres: a.ID,
			Identificatie:      a.ObjectID,
			Domein:             "NL.IMBAG.Verblijfsobject",
			Geometrie:          puntOfVlak{Punt: &point{Type: "Point", Coordinates: [3]float64{a.X, a.Y, 0}}},
			Gebruiksdoelen:     a.Uses,
			Oppervlakte:        a.Surface,
			Status:             a.Status,
			Geconstateerd:      "N",
			MaaktDeelUitVan:    a.BuildingIDs,
		},
		Links: verblijfsobjectLinks{
			Self:               b.link("verblijfsobjecten", a.ObjectID),
			HeeftAlsHoofdAdres: b.link("nummeraanduidingen", a.ID),
		},
	}
	reg := b.registration(a.ObjectID, b.yearBuilt(a))
	v.Verblijfsobject.Documentdatum, v.Verblijfsobject.Documentnummer, v.Verblijfsobject.Voorkomen = reg.date, reg.number, reg.voorkomen
	for _, id := range a.BuildingIDs {
		v.Links.MaaktDeelUitVan = append(v.Links.MaaktDeelUitVan, b.link("panden", id))
	}
	if exp.heeftAlsHoofdAdres || exp.maaktDeelUitVan {
		e := &verblijfsobjectEmbedded{}
		if exp.heeftAlsHoofdAdres {
			e.HeeftAlsHoofdAdres = b.nummeraanduiding(a)
		}
		if exp.maaktDeelUitVan {
			e.MaaktDeelUitVan = b.panden(a.BuildingIDs)
		}
		v.Embedded = e
	}
	return v
}

// footprint is a square around the building's centre that holds every
// residential object point of the building (the population places them up
// to 20 metres from it).
func footprint(x, y float64) polygon {
	x0, y0, x1, y1 := x-2, y-2, x+22, y+22
	return polygon{Type: "Polygon", Coordinates: [][][3]float64{{
		{x0, y0, 0}, {x1, y0, 0}, {x1, y1, 0}, {x0, y1, 0}, {x0, y0, 0},
	}}}
}

// pandRegistration is the registration of a building's one voorkomen:
// when its current status, such as Verbouwing pand, began lately, the
// voorkomen and its document date are of that change.
func (b *builder) pandRegistration(bu *population.Building) registered {
	if t, ok := bu.StatusSince.Time(); ok {
		return b.registrationOn(bu.ID, t)
	}
	return b.registration(bu.ID, bu.YearBuilt)
}

func (b *builder) pand(bu *population.Building) pandHal {
	reg := b.pandRegistration(bu)
	return pandHal{
		Pand: pand{
			Identificatie:          bu.ID,
			Domein:                 "NL.IMBAG.Pand",
			Geometrie:              footprint(bu.X, bu.Y),
			OorspronkelijkBouwjaar: fmt.Sprintf("%04d", bu.YearBuilt),
			Status:                 bu.Status,
			Geconstateerd:          "N",
			Documentdatum:          reg.date,
			Documentnummer:         reg.number,
			Voorkomen:              reg.voorkomen,
		},
		Links: selfLinks{Self: b.link("panden", bu.ID)},
	}
}

func (b *builder) nummeraanduiding(a *population.Address) *nummeraanduidingHal {
	reg := b.registration(a.ID, b.yearBuilt(a))
	return &nummeraanduidingHal{
		Nummeraanduiding: nummeraanduiding{
			Identificatie:           a.ID,
			Domein:                  "NL.IMBAG.Nummeraanduiding",
			Huisnummer:              a.HouseNumber,
			Huisletter:              a.HouseLetter,
			Huisnummertoevoeging:    a.Addition,
			Postcode:                a.Postcode,
			TypeAdresseerbaarObject: "Verblijfsobject",
			Status:                  "Naamgeving uitgegeven",
			Geconstateerd:           "N",
			Documentdatum:           reg.date,
			Documentnummer:          reg.number,
			Voorkomen:               reg.voorkomen,
			LigtIn:                  a.PlaceID,
			LigtAan:                 a.StreetID,
		},
		Links: nummeraanduidingLinks{
			Self:                  b.link("nummeraanduidingen", a.ID),
			LigtInWoonplaats:      b.link("woonplaatsen", a.PlaceID),
			LigtAanOpenbareRuimte: b.link("openbareruimten", a.StreetID),
		},
	}
}

func (b *builder) openbareRuimte(st *population.Street) *openbareRuimteHal {
	reg := b.registration(st.ID, 0)
	return &openbareRuimteHal{
		OpenbareRuimte: openbareRuimte{
			Identificatie: st.ID, Domein: "NL.IMBAG.Openbareruimte", Naam: st.Name, Type: "Weg",
			Status: "Naamgeving uitgegeven", KorteNaam: st.ShortName, Geconstateerd: "N",
			Documentdatum: reg.date, Documentnummer: reg.number, Voorkomen: reg.voorkomen, LigtIn: st.PlaceID,
		},
		Links: openbareRuimteLinks{
			Self:             b.link("openbareruimten", st.ID),
			LigtInWoonplaats: b.link("woonplaatsen", st.PlaceID),
		},
	}
}

func (b *builder) woonplaats(pl *population.Place) *woonplaatsHal {
	reg := b.registration(pl.ID, 0)
	return &woonplaatsHal{
		Woonplaats: woonplaats{
			Identificatie: pl.ID, Domein: "NL.IMBAG.Woonplaats", Naam: pl.Name, Status: "Woonplaats aangewezen",
			Geconstateerd: "N", Documentdatum: reg.date, Documentnummer: reg.number, Voorkomen: reg.voorkomen,
		},
		Links: woonplaatsLinks{
			Self:        b.link("woonplaatsen", pl.ID),
			Bronhouders: []halLink{b.link("bronhouders", pl.MunicipalityCode)},
		},
	}
}

func (b *builder) yearBuilt(a *population.Address) int {
	if len(a.BuildingIDs) == 0 {
		return 0
	}
	if bu, ok := b.pop.Building(a.BuildingIDs[0]); ok {
		return bu.YearBuilt
	}
	return 0
}

// registered is the synthetic registration of one object: the population
// has no BAG history, so the mock derives a single voorkomen from the
// identification (stable across runs) and the year built.
type registered struct {
	begin     time.Time
	lv        time.Time
	date      string
	number    string
	voorkomen voorkomen
}

// registration dates objects of buildings from before the BAG (2009) in the
// initial fill of 2009 to 2011, and later ones in their year of building,
// never after the population's reference date.
func (b *builder) registration(id string, yearBuilt int) registered {
	sum := idSum(id)
	var begin time.Time
	if yearBuilt < 2010 {
		begin = time.Date(2009, 7, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, sum%900)
	} else {
		begin = time.Date(yearBuilt, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, sum%365)
	}
	if !b.ref.IsZero() && !begin.Before(b.ref) {
		begin = b.ref.AddDate(0, 0, -1-sum%30)
	}
	return b.registrationOn(id, begin)
}

func idSum(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32())
}

// registrationOn is the registration of an object's voorkomen valid from
// the day.
func (b *builder) registrationOn(id string, begin time.Time) registered {
	sum := idSum(id)
	reg := begin.Add(time.Duration(8*3600+sum%(10*3600)) * time.Second)
	lv := reg.Add(time.Duration(5*60+sum%600)*time.Second + time.Duration(sum%1000)*time.Millisecond)
	return registered{
		begin:  begin,
		lv:     lv,
		date:   begin.Format("2006-01-02"),
		number: fmt.Sprintf("%s-%s-%04d", id[:min(4, len(id))], begin.Format("20060102"), sum%10000),
		voorkomen: voorkomen{
			TijdstipRegistratie:   reg.Format("2006-01-02T15:04:05"),
			Versie:                1,
			BeginGeldigheid:       begin.Format("2006-01-02"),
			TijdstipRegistratieLV: lv.Format("2006-01-02T15:04:05.000"),
		},
	}
}
