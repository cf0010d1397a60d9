package brk

import (
	"net/http"
	"strings"

	"github.com/poort-nl/poort/mocks/population"
)

// The API's shapes, as far as the population fills them (OpenAPI schemas
// KadastraalOnroerendeZaakHal, ZakelijkGerechtigdeHal,
// PubliekrechtelijkeBeperkingHal and their collections).

type link struct {
	Href string `json:"href"`
}

type links map[string]any

type collection struct {
	Links    links          `json:"_links"`
	Embedded map[string]any `json:"_embedded"`
	// Split is ZakelijkGerechtigdeHalCollectie's gesplitstZakelijkRecht.
	Split string `json:"gesplitstZakelijkRecht,omitempty"`
}

type waardelijst struct {
	Code   string `json:"code"`
	Waarde string `json:"waarde,omitempty"`
}

type grootte struct {
	SoortGrootte waardelijst `json:"soortGrootte"`
	Waarde       int         `json:"waarde"`
}

// locatie is a LocatieKadastraalObject: an address of the parcel.
type locatie struct {
	Straat                           string `json:"straat"`
	Huisnummer                       int    `json:"huisnummer"`
	Huisletter                       string `json:"huisletter,omitempty"`
	Huisnummertoevoeging             string `json:"huisnummertoevoeging,omitempty"`
	Postcode                         string `json:"postcode"`
	Woonplaats                       string `json:"woonplaats"`
	NummeraanduidingIdentificatie    string `json:"nummeraanduidingIdentificatie"`
	AdresseerbaarObjectIdentificatie string `json:"adresseerbaarObjectIdentificatie"`
	Adresregel1                      string `json:"adresregel1"`
	Adresregel2                      string `json:"adresregel2"`
}

type basis struct {
	Identificatie string `json:"identificatie"`
	Volgnummer    int    `json:"volgnummer,omitempty"`
}

type zaak struct {
	Identificatie                     string         `json:"identificatie"`
	Domein                            string         `json:"domein"`
	Type                              string         `json:"type"`
	KadastraleAanduiding              string         `json:"kadastraleAanduiding"`
	KadastraleGrootte                 *grootte       `json:"kadastraleGrootte,omitempty"`
	Adressen                          []locatie      `json:"adressen,omitempty"`
	GesplitstZakelijkRecht            string         `json:"gesplitstZakelijkRecht,omitempty"`
	ZakelijkGerechtigdeIdentificaties []string       `json:"zakelijkGerechtigdeIdentificaties,omitempty"`
	BijbehorendeGrondpercelen         []basis        `json:"bijbehorendeGrondpercelen,omitempty"`
	BijbehorendeAppartementsrechten   []basis        `json:"bijbehorendeAppartementsrechten,omitempty"`
	Links                             links          `json:"_links"`
	Embedded                          map[string]any `json:"_embedded,omitempty"`
}

type breuk struct {
	Noemer int `json:"noemer"`
	Teller int `json:"teller"`
}

type tenaamstelling struct {
	Aandeel *breuk `json:"aandeel,omitempty"`
}

type persoon struct {
	Identificatie string `json:"identificatie,omitempty"`
	Omschrijving  string `json:"omschrijving"`
	Type          string `json:"type"`
}

type zakelijkGerechtigde struct {
	Identificatie  string         `json:"identificatie"`
	Type           string         `json:"type"`
	Aanvangsdatum  string         `json:"aanvangsdatum,omitempty"`
	Tenaamstelling tenaamstelling `json:"tenaamstelling"`
	Persoon        persoon        `json:"persoon"`
	Links          links          `json:"_links"`
}

type publiekrechtelijkeBeperking struct {
	Identificatie  string      `json:"identificatie"`
	Grondslag      waardelijst `json:"grondslag"`
	DatumInWerking string      `json:"datumInWerking,omitempty"`
	BevoegdGezag   persoon     `json:"bevoegdGezag"`
	Links          links       `json:"_links"`
}

// rightTypes is TypeGerechtigdeEnum.
var rightTypes = []string{
	"beklemrechthouder", "eigenaar", "erfpachter", "gebruik_bewoning", "grondrente", "opstalhouder", "vaderlandsrecht",
	"artikel5_3b_geheel", "stadsmeierrecht", "vruchtgebruiker", "erfpachter_opstalhouder", "nutsvoorzieningen",
	"brondocument", "twee_belastingen", "belasting_derde", "bp_recht", "nutsvoorzieningen_gedeelte", "artikel5_3b",
}

// grondslagen are the Kadaster's descriptions of the Wkpb bases the
// population uses.
var grondslagen = map[string]string{
	population.NationalMonument:      "Erfgoedwet: Afschrift inschrijving monument of archeologisch monument in rijksmonumentenregister door minister OCW",
	population.DraftNationalMonument: "Erfgoedwet: Toezending ontwerpbesluit aanwijzing rijksmonument door minister OCW (voorbescherming)",
	population.MunicipalMonument:     "Gemeentewet: Aanwijzing gemeentelijk monument (voorbescherming, aanwijzing, afschrift)",
}

// Person types (PersoonTypeEnum).
const (
	ingeschrevenNatuurlijk     = "ingeschreven_natuurlijk_persoon"
	ingeschrevenNietNatuurlijk = "ingeschreven_niet_natuurlijk_persoon"
	kadasterNietNatuurlijk     = "kadaster_niet_natuurlijk_persoon"
)

// builder writes the API's shapes for one request.
type builder struct {
	h    *handler
	base string
}

func (b *builder) zaakURL(id string) string { return b.base + "/kadastraalonroerendezaken/" + id }

// writeZaken writes a KadastraalOnroerendeZaakHalCollectie.
func (b *builder) writeZaken(w http.ResponseWriter, r *http.Request, ps []*population.Parcel, embed, rights bool) {
	list := make([]zaak, 0, len(ps))
	for _, p := range ps {
		list = append(list, b.zaak(p, embed, rights))
	}
	writeHAL(w, collection{Links: links{"self": link{requestURL(r, b.base)}}, Embedded: map[string]any{"kadastraalOnroerendeZaken": list}})
}

// zaak is a KadastraalOnroerendeZaakHal; with rights it names its
// zakelijk gerechtigden, with embed it holds them.
func (b *builder) zaak(p *population.Parcel, embed, rights bool) zaak {
	z := zaak{
		Identificatie: p.ID, Domein: "NL.IMKAD.KadastraalObject", Type: p.Kind, KadastraleAanduiding: p.Designation(),
		Links: links{"self": link{b.zaakURL(p.ID)}},
	}
	if p.Size > 0 {
		z.KadastraleGrootte = &grootte{SoortGrootte: waardelijst{Code: "1", Waarde: "Vastgesteld"}, Waarde: p.Size}
	}
	for _, id := range p.AddressIDs {
		if l, ok := b.locatie(id); ok {
			z.Adressen = append(z.Adressen, l)
		}
	}
	if len(p.ApartmentRights) > 0 {
		z.GesplitstZakelijkRecht = population.Ownership
		var ls []link
		for i, id := range p.ApartmentRights {
			z.BijbehorendeAppartementsrechten = append(z.BijbehorendeAppartementsrechten, basis{Identificatie: id, Volgnummer: i + 1})
			ls = append(ls, link{b.zaakURL(id)})
		}
		z.Links["bijbehorendeAppartementsrechten"] = ls
	}
	if p.GroundParcel != "" {
		z.BijbehorendeGrondpercelen = []basis{{Identificatie: p.GroundParcel}}
		z.Links["bijbehorendeGrondpercelen"] = []link{{b.zaakURL(p.GroundParcel)}}
	}
	if rights && len(p.Rights) > 0 {
		var ls []link
		embedded := make([]zakelijkGerechtigde, 0, len(p.Rights))
		for _, rt := range p.Rights {
			z.ZakelijkGerechtigdeIdentificaties = append(z.ZakelijkGerechtigdeIdentificaties, rt.ID)
			ls = append(ls, link{b.zaakURL(p.ID) + "/zakelijkgerechtigden/" + rt.ID})
			embedded = append(embedded, b.gerechtigde(p, rt))
		}
		z.Links["zakelijkGerechtigden"] = ls
		if embed {
			z.Embedded = map[string]any{"zakelijkGerechtigden": embedded}
		}
	}
	return z
}

func (b *builder) locatie(addressID string) (locatie, bool) {
	pop := b.h.pop
	a, ok := pop.Address(addressID)
	if !ok {
		return locatie{}, false
	}
	st, _ := pop.Street(a.StreetID)
	pl, _ := pop.Place(a.PlaceID)
	return locatie{
		Straat: st.Name, Huisnummer: a.HouseNumber, Huisletter: a.HouseLetter, Huisnummertoevoeging: a.Addition,
		Postcode: a.Postcode, Woonplaats: pl.Name, NummeraanduidingIdentificatie: a.ID, AdresseerbaarObjectIdentificatie: a.ObjectID,
		Adresregel1: population.StreetLine(st.ShortName, a.HouseNumber, a.HouseLetter, a.Addition),
		Adresregel2: population.PlaceLine(a.Postcode, pl.Name),
	}, true
}

// gerechtigde is a ZakelijkGerechtigdeHal: the right and who holds it.
func (b *builder) gerechtigde(p *population.Parcel, rt population.Right) zakelijkGerechtigde {
	z := zakelijkGerechtigde{
		Identificatie: rt.ID, Type: rt.Kind, Aanvangsdatum: rt.Since.ISO(),
		Links: links{"self": link{b.zaakURL(p.ID) + "/zakelijkgerechtigden/" + rt.ID}},
	}
	if rt.ShareNumerator < rt.ShareDenominator {
		z.Tenaamstelling.Aandeel = &breuk{Noemer: rt.ShareDenominator, Teller: rt.ShareNumerator}
	}
	if rt.HolderBSN != "" {
		z.Persoon = persoon{Identificatie: rt.HolderBSN, Type: ingeschrevenNatuurlijk}
		if pe, ok := b.h.pop.Person(rt.HolderBSN); ok {
			z.Persoon.Omschrijving = omschrijving(pe)
		}
		return z
	}
	z.Persoon = persoon{Identificatie: rt.HolderRSIN, Type: ingeschrevenNietNatuurlijk}
	if c, ok := b.h.brk.CompanyByRSIN(rt.HolderRSIN); ok {
		z.Persoon.Omschrijving = c.Name
	}
	return z
}

// omschrijving describes a person as the BRK does: initials, prefix and
// surname, e.g. "J.P. de Vries".
func omschrijving(p *population.Person) string {
	var initials strings.Builder
	for _, n := range strings.Fields(p.GivenNames) {
		initials.WriteString(strings.ToUpper(string([]rune(n)[:1])) + ".")
	}
	return strings.Join(strings.Fields(initials.String()+" "+p.Prefix+" "+p.Surname), " ")
}

// beperking is a PubliekrechtelijkeBeperkingHal.
func beperking(r population.Restriction) publiekrechtelijkeBeperking {
	return publiekrechtelijkeBeperking{
		Identificatie: r.ID, Grondslag: waardelijst{Code: r.Basis, Waarde: grondslagen[r.Basis]},
		DatumInWerking: r.Since.ISO(),
		BevoegdGezag:   persoon{Omschrijving: r.Authority, Type: kadasterNietNatuurlijk},
		Links:          links{},
	}
}
