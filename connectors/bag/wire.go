package bag

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// The API's shapes, as far as the connector reads them (OAS schemas
// AdresIOHal, AdresIOHalCollection, AdresseerbaarObjectIOHal, PandIOHal).

type halLink struct {
	Href string `json:"href"`
}

type adresHal struct {
	OpenbareRuimteNaam               string   `json:"openbareRuimteNaam"`
	KorteNaam                        string   `json:"korteNaam"`
	Huisnummer                       int      `json:"huisnummer"`
	Huisletter                       string   `json:"huisletter"`
	Huisnummertoevoeging             string   `json:"huisnummertoevoeging"`
	Postcode                         string   `json:"postcode"`
	WoonplaatsNaam                   string   `json:"woonplaatsNaam"`
	NummeraanduidingIdentificatie    string   `json:"nummeraanduidingIdentificatie"`
	OpenbareRuimteIdentificatie      string   `json:"openbareRuimteIdentificatie"`
	WoonplaatsIdentificatie          string   `json:"woonplaatsIdentificatie"`
	AdresseerbaarObjectIdentificatie string   `json:"adresseerbaarObjectIdentificatie"`
	PandIdentificaties               []string `json:"pandIdentificaties"`
	IndicatieNevenadres              bool     `json:"indicatieNevenadres"`
	Adresregel5                      string   `json:"adresregel5"`
	Adresregel6                      string   `json:"adresregel6"`
	Embedded                         *struct {
		AdresseerbaarObject *adresseerbaarObjectHal `json:"adresseerbaarObject"`
		Panden              []pandHal               `json:"panden"`
	} `json:"_embedded"`
}

type adresCollection struct {
	Links struct {
		Next *halLink `json:"next"`
		Last *halLink `json:"last"`
	} `json:"_links"`
	Embedded struct {
		Adressen []adresHal `json:"adressen"`
	} `json:"_embedded"`
}

// adresseerbaarObjectHal holds one of its three kinds, each wrapped with
// its links: {"verblijfsobject": {"verblijfsobject": {...}, "_links": ...}}.
type adresseerbaarObjectHal struct {
	Verblijfsobject *struct {
		Object *objectWire `json:"verblijfsobject"`
	} `json:"verblijfsobject"`
	Ligplaats *struct {
		Object *objectWire `json:"ligplaats"`
	} `json:"ligplaats"`
	Standplaats *struct {
		Object *objectWire `json:"standplaats"`
	} `json:"standplaats"`
}

type objectWire struct {
	Type               string   `json:"type"`
	Identificatie      string   `json:"identificatie"`
	HeeftAlsHoofdAdres string   `json:"heeftAlsHoofdAdres"`
	HeeftAlsNevenAdres []string `json:"heeftAlsNevenAdres"`
	Geometrie          geometry `json:"geometrie"`
	Gebruiksdoelen     []string `json:"gebruiksdoelen"`
	Oppervlakte        *int     `json:"oppervlakte"`
	Status             string   `json:"status"`
	MaaktDeelUitVan    []string `json:"maaktDeelUitVan"`
}

// geometry is a verblijfsobject's PuntOfVlak ({"punt": ...} or
// {"vlak": ...}) or a ligplaats's or standplaats's Polygon.
type geometry struct {
	Punt *struct {
		Coordinates []float64 `json:"coordinates"`
	} `json:"punt"`
	Vlak        *polygonWire  `json:"vlak"`
	Type        string        `json:"type"`
	Coordinates [][][]float64 `json:"coordinates"`
}

type polygonWire struct {
	Coordinates [][][]float64 `json:"coordinates"`
}

type pandHal struct {
	Pand *struct {
		Identificatie          string `json:"identificatie"`
		OorspronkelijkBouwjaar string `json:"oorspronkelijkBouwjaar"`
		Status                 string `json:"status"`
		Voorkomen              struct {
			BeginGeldigheid string `json:"beginGeldigheid"`
		} `json:"voorkomen"`
	} `json:"pand"`
}

var errMissingID = errors.New("the answer has no identification")

func (a *adresHal) address() (Address, error) {
	if a.NummeraanduidingIdentificatie == "" {
		return Address{}, errMissingID
	}
	out := Address{
		ID:               a.NummeraanduidingIdentificatie,
		Street:           a.OpenbareRuimteNaam,
		ShortStreet:      a.KorteNaam,
		HouseNumber:      a.Huisnummer,
		HouseLetter:      a.Huisletter,
		Addition:         a.Huisnummertoevoeging,
		Postcode:         a.Postcode,
		Place:            a.WoonplaatsNaam,
		PlaceID:          a.WoonplaatsIdentificatie,
		StreetID:         a.OpenbareRuimteIdentificatie,
		ObjectID:         a.AdresseerbaarObjectIdentificatie,
		BuildingIDs:      a.PandIdentificaties,
		SecondaryAddress: a.IndicatieNevenadres,
		Line5:            a.Adresregel5,
		Line6:            a.Adresregel6,
	}
	if e := a.Embedded; e != nil {
		if e.AdresseerbaarObject != nil {
			o, err := e.AdresseerbaarObject.object()
			if err != nil {
				return Address{}, err
			}
			out.Object = &o
		}
		for _, p := range e.Panden {
			b, err := p.building()
			if err != nil {
				return Address{}, err
			}
			out.Buildings = append(out.Buildings, b)
		}
	}
	return out, nil
}

func (h *adresseerbaarObjectHal) object() (Object, error) {
	var w *objectWire
	kind := ""
	switch {
	case h.Verblijfsobject != nil && h.Verblijfsobject.Object != nil:
		w, kind = h.Verblijfsobject.Object, KindResidentialObject
	case h.Ligplaats != nil && h.Ligplaats.Object != nil:
		w, kind = h.Ligplaats.Object, KindBerth
	case h.Standplaats != nil && h.Standplaats.Object != nil:
		w, kind = h.Standplaats.Object, KindPitch
	}
	if w == nil || w.Identificatie == "" {
		return Object{}, errMissingID
	}
	return Object{
		ID:                  w.Identificatie,
		Kind:                kind,
		Surface:             w.Oppervlakte,
		Uses:                w.Gebruiksdoelen,
		Status:              w.Status,
		BuildingIDs:         w.MaaktDeelUitVan,
		MainAddressID:       w.HeeftAlsHoofdAdres,
		SecondaryAddressIDs: w.HeeftAlsNevenAdres,
		Point:               w.Geometrie.point(),
	}, nil
}

// point is the point of a PuntOfVlak, or the mean of the corners of a
// polygon's outer ring (its closing corner counted once): the centre of the
// simple, roughly convex shapes of berths, pitches and dwellings.
func (g *geometry) point() *Point {
	if g.Punt != nil && len(g.Punt.Coordinates) >= 2 {
		return &Point{X: g.Punt.Coordinates[0], Y: g.Punt.Coordinates[1]}
	}
	rings := g.Coordinates
	if g.Vlak != nil {
		rings = g.Vlak.Coordinates
	}
	if len(rings) == 0 || len(rings[0]) == 0 {
		return nil
	}
	ring := rings[0]
	if n := len(ring); n > 1 && len(ring[0]) >= 2 && len(ring[n-1]) >= 2 &&
		ring[0][0] == ring[n-1][0] && ring[0][1] == ring[n-1][1] {
		ring = ring[:n-1]
	}
	var x, y float64
	n := 0
	for _, c := range ring {
		if len(c) < 2 {
			continue
		}
		x, y, n = x+c[0], y+c[1], n+1
	}
	if n == 0 {
		return nil
	}
	return &Point{X: x / float64(n), Y: y / float64(n)}
}

func (p *pandHal) building() (Building, error) {
	if p.Pand == nil || p.Pand.Identificatie == "" {
		return Building{}, errMissingID
	}
	return Building{ID: p.Pand.Identificatie, YearBuilt: year(p.Pand.OorspronkelijkBouwjaar), Status: p.Pand.Status,
		StatusSince: p.Pand.Voorkomen.BeginGeldigheid}, nil
}

// year reads oorspronkelijkBouwjaar, an XML Schema gYear such as "1914" (a
// time zone suffix is allowed and ignored).
func year(s string) *int {
	end := 0
	if strings.HasPrefix(s, "-") {
		end = 1
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	y, err := strconv.Atoi(s[:end])
	if err != nil {
		return nil
	}
	return &y
}

// pageOf returns the page number of a pagination link, and false when the
// link has none.
func pageOf(l *halLink) (int, bool) {
	if l == nil {
		return 0, false
	}
	u, err := url.Parse(l.Href)
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(u.Query().Get("page"))
	return n, err == nil && n > 0
}
