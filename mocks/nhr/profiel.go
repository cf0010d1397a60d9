package nhr

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/poort-nl/poort/mocks/population"
)

// The shapes below follow the Basisprofiel v1.5.0 and Vestigingsprofiel
// v1.4 OpenAPI files field for field.

type link struct {
	Rel  string `json:"rel"`
	Href string `json:"href"`
}

type handelsnaam struct {
	Naam     string `json:"naam"`
	Volgorde int    `json:"volgorde"`
}

type sbiActiviteit struct {
	SbiCode            string `json:"sbiCode"`
	SbiOmschrijving    string `json:"sbiOmschrijving"`
	IndHoofdactiviteit string `json:"indHoofdactiviteit"`
}

type materieleRegistratie struct {
	DatumAanvang string `json:"datumAanvang,omitempty"`
	DatumEinde   string `json:"datumEinde,omitempty"`
}

// geoData spells addresseerbaarObjectId with a double d, as the KvK API
// does.
type geoData struct {
	AddresseerbaarObjectID string  `json:"addresseerbaarObjectId"`
	NummerAanduidingID     string  `json:"nummerAanduidingId"`
	GpsLatitude            float64 `json:"gpsLatitude"`
	GpsLongitude           float64 `json:"gpsLongitude"`
	RijksdriehoekX         float64 `json:"rijksdriehoekX"`
	RijksdriehoekY         float64 `json:"rijksdriehoekY"`
	RijksdriehoekZ         float64 `json:"rijksdriehoekZ"`
}

type adres struct {
	Type                 string   `json:"type"`
	IndAfgeschermd       string   `json:"indAfgeschermd"`
	VolledigAdres        string   `json:"volledigAdres"`
	Straatnaam           string   `json:"straatnaam,omitempty"`
	Huisnummer           int      `json:"huisnummer,omitempty"`
	Huisletter           string   `json:"huisletter,omitempty"`
	HuisnummerToevoeging string   `json:"huisnummerToevoeging,omitempty"`
	Postcode             string   `json:"postcode,omitempty"`
	Plaats               string   `json:"plaats,omitempty"`
	Land                 string   `json:"land,omitempty"`
	GeoData              *geoData `json:"geoData,omitempty"`
}

type vestiging struct {
	Vestigingsnummer         string                `json:"vestigingsnummer"`
	KvkNummer                string                `json:"kvkNummer"`
	Rsin                     string                `json:"rsin,omitempty"`
	IndNonMailing            string                `json:"indNonMailing"`
	FormeleRegistratiedatum  string                `json:"formeleRegistratiedatum"`
	MaterieleRegistratie     *materieleRegistratie `json:"materieleRegistratie,omitempty"`
	StatutaireNaam           string                `json:"statutaireNaam,omitempty"`
	EersteHandelsnaam        string                `json:"eersteHandelsnaam"`
	IndHoofdvestiging        string                `json:"indHoofdvestiging"`
	IndCommercieleVestiging  string                `json:"indCommercieleVestiging"`
	VoltijdWerkzamePersonen  int                   `json:"voltijdWerkzamePersonen"`
	TotaalWerkzamePersonen   int                   `json:"totaalWerkzamePersonen"`
	DeeltijdWerkzamePersonen int                   `json:"deeltijdWerkzamePersonen"`
	Handelsnamen             []handelsnaam         `json:"handelsnamen,omitempty"`
	Adressen                 []adres               `json:"adressen"`
	Websites                 []string              `json:"websites,omitempty"`
	SbiActiviteiten          []sbiActiviteit       `json:"sbiActiviteiten"`
	Links                    []link                `json:"links"`
}

type eigenaar struct {
	Rsin                  string   `json:"rsin,omitempty"`
	Rechtsvorm            string   `json:"rechtsvorm"`
	UitgebreideRechtsvorm string   `json:"uitgebreideRechtsvorm"`
	DatumUitschrijving    string   `json:"datumUitschrijving,omitempty"`
	Adressen              []adres  `json:"adressen,omitempty"`
	Websites              []string `json:"websites,omitempty"`
	Links                 []link   `json:"links"`
}

type embedded struct {
	Hoofdvestiging *vestiging `json:"hoofdvestiging,omitempty"`
	Eigenaar       *eigenaar  `json:"eigenaar,omitempty"`
}

type basisprofiel struct {
	KvkNummer               string                `json:"kvkNummer"`
	IndNonMailing           string                `json:"indNonMailing"`
	Naam                    string                `json:"naam"`
	FormeleRegistratiedatum string                `json:"formeleRegistratiedatum"`
	MaterieleRegistratie    *materieleRegistratie `json:"materieleRegistratie,omitempty"`
	TotaalWerkzamePersonen  int                   `json:"totaalWerkzamePersonen"`
	StatutaireNaam          string                `json:"statutaireNaam,omitempty"`
	Handelsnamen            []handelsnaam         `json:"handelsnamen"`
	SbiActiviteiten         []sbiActiviteit       `json:"sbiActiviteiten"`
	Links                   []link                `json:"links"`
	Embedded                *embedded             `json:"_embedded,omitempty"`
}

type vestigingBasis struct {
	Vestigingsnummer        string `json:"vestigingsnummer"`
	KvkNummer               string `json:"kvkNummer"`
	EersteHandelsnaam       string `json:"eersteHandelsnaam"`
	IndHoofdvestiging       string `json:"indHoofdvestiging"`
	IndAdresAfgeschermd     string `json:"indAdresAfgeschermd"`
	IndCommercieleVestiging string `json:"indCommercieleVestiging"`
	VolledigAdres           string `json:"volledigAdres"`
	Links                   []link `json:"links"`
}

type vestigingList struct {
	KvkNummer                        string           `json:"kvkNummer"`
	AantalCommercieleVestigingen     int              `json:"aantalCommercieleVestigingen"`
	AantalNietCommercieleVestigingen int              `json:"aantalNietCommercieleVestigingen"`
	TotaalAantalVestigingen          int              `json:"totaalAantalVestigingen"`
	Vestigingen                      []vestigingBasis `json:"vestigingen"`
	Links                            []link           `json:"links"`
}

// company checks the request of a Basisprofiel resource (the KvK number,
// and geoData where the resource takes it) and finds the registration. It
// answers the KvK error itself, every fault at once, when it cannot.
func (s *server) company(w http.ResponseWriter, r *http.Request, kvk string, takesGeo bool) (c *population.Company, geo, ok bool) {
	var fouten []fout
	if !digits(kvk, 8) {
		fouten = append(fouten, fout{ipdKvKNumber, "Het KvK-nummer " + kvk + " is niet valide."})
	}
	if takesGeo {
		if geo, ok = boolParam(r, "geoData"); !ok {
			fouten = append(fouten, fout{ipdParameters, msgParameters + "geoData"})
		}
	}
	if len(fouten) > 0 {
		writeFout(w, r, http.StatusBadRequest, fouten...)
		return nil, false, false
	}
	if c, ok = s.pop.Company(kvk); !ok {
		writeFout(w, r, http.StatusNotFound, fout{ipdNoProductKvK, "Op basis van het KvK-nummer " + kvk + " kan het product niet worden geleverd."})
		return nil, false, false
	}
	return c, geo, true
}

func (s *server) basisprofiel(w http.ResponseWriter, r *http.Request, kvk string) {
	c, geo, ok := s.company(w, r, kvk, true)
	if !ok {
		return
	}
	base := baseURL(r)
	self := base + "/v1/basisprofielen/" + c.KvKNumber
	bp := basisprofiel{
		KvkNummer:               c.KvKNumber,
		IndNonMailing:           jaNee(nonMailing(c)),
		Naam:                    c.Name,
		FormeleRegistratiedatum: string(c.RegistrationDate),
		MaterieleRegistratie:    &materieleRegistratie{DatumAanvang: string(c.StartDate), DatumEinde: string(c.EndDate)},
		TotaalWerkzamePersonen:  c.Employees(),
		StatutaireNaam:          statutoryName(c),
		Handelsnamen:            handelsnamen(c.TradeNames),
		SbiActiviteiten:         activiteiten(c.Activities),
		Links: []link{
			{"self", self},
			{"eigenaar", self + "/eigenaar"},
			{"hoofdvestiging", self + "/hoofdvestiging"},
			{"vestigingen", self + "/vestigingen"},
		},
		Embedded: &embedded{Eigenaar: s.eigenaarOf(base, c, geo)},
	}
	if b := mainBranch(c); b != nil {
		// The embedded main branch leaves out rsin and handelsnamen, as
		// the Basisprofiel OpenAPI file says.
		v := s.vestigingOf(base, c, b, geo)
		v.Rsin, v.Handelsnamen = "", nil
		v.Links = hoofdvestigingLinks(base, c, b)
		bp.Embedded.Hoofdvestiging = v
	}
	writeBody(w, r, versionBasisprofiel, bp, mediaJSON, mediaHALJSON)
}

func (s *server) eigenaar(w http.ResponseWriter, r *http.Request, kvk string) {
	c, geo, ok := s.company(w, r, kvk, true)
	if !ok {
		return
	}
	writeBody(w, r, versionBasisprofiel, s.eigenaarOf(baseURL(r), c, geo), mediaJSON, mediaHALJSON)
}

func (s *server) hoofdvestiging(w http.ResponseWriter, r *http.Request, kvk string) {
	c, geo, ok := s.company(w, r, kvk, true)
	if !ok {
		return
	}
	b := mainBranch(c)
	if b == nil {
		writeFout(w, r, http.StatusNotFound, fout{ipdNoProductKvK, "Op basis van het KvK-nummer " + kvk + " kan het product niet worden geleverd."})
		return
	}
	base := baseURL(r)
	v := s.vestigingOf(base, c, b, geo)
	v.Links = hoofdvestigingLinks(base, c, b)
	writeBody(w, r, versionBasisprofiel, v, mediaJSON, mediaHALJSON)
}

func (s *server) vestigingen(w http.ResponseWriter, r *http.Request, kvk string) {
	c, _, ok := s.company(w, r, kvk, false)
	if !ok {
		return
	}
	base := baseURL(r)
	self := base + "/v1/basisprofielen/" + c.KvKNumber
	l := vestigingList{
		KvkNummer:               c.KvKNumber,
		TotaalAantalVestigingen: len(c.Branches),
		Vestigingen:             make([]vestigingBasis, 0, len(c.Branches)),
		Links:                   []link{{"self", self + "/vestigingen"}, {"basisprofiel", self}},
	}
	for i := range c.Branches {
		b := &c.Branches[i]
		if b.Commercial {
			l.AantalCommercieleVestigingen++
		} else {
			l.AantalNietCommercieleVestigingen++
		}
		shielded := s.shielded(c, b)
		full := ""
		if a := s.adresOf(b, shielded, false); a != nil {
			full = a.VolledigAdres
		}
		l.Vestigingen = append(l.Vestigingen, vestigingBasis{
			Vestigingsnummer:        b.Number,
			KvkNummer:               c.KvKNumber,
			EersteHandelsnaam:       firstTradeName(c, b),
			IndHoofdvestiging:       jaNee(b.Main),
			IndAdresAfgeschermd:     jaNee(shielded),
			IndCommercieleVestiging: jaNee(b.Commercial),
			VolledigAdres:           full,
			Links:                   []link{{"vestigingsprofiel", base + "/v1/vestigingsprofielen/" + b.Number}},
		})
	}
	writeBody(w, r, versionBasisprofiel, l, mediaJSON, mediaHALJSON)
}

func (s *server) vestigingsprofiel(w http.ResponseWriter, r *http.Request, number string) {
	var fouten []fout
	if !digits(number, 12) {
		fouten = append(fouten, fout{ipdBranchNumber, "Het vestigingsnummer " + number + " is niet valide."})
	}
	geo, ok := boolParam(r, "geoData")
	if !ok {
		fouten = append(fouten, fout{ipdParameters, msgParameters + "geoData"})
	}
	if len(fouten) > 0 {
		writeFout(w, r, http.StatusBadRequest, fouten...)
		return
	}
	b, c, ok := s.pop.Branch(number)
	if !ok {
		writeFout(w, r, http.StatusNotFound, fout{ipdNoProductVest, "Op basis van het vestigingsnummer " + number + " kan het product niet worden geleverd."})
		return
	}
	base := baseURL(r)
	v := s.vestigingOf(base, c, b, geo)
	// Vestigingsprofiel 1.4 has no statutaireNaam; Basisprofiel's
	// Vestiging has.
	v.StatutaireNaam = ""
	v.Links = []link{
		{"self", base + "/v1/vestigingsprofielen/" + b.Number},
		{"basisprofiel", base + "/v1/basisprofielen/" + c.KvKNumber},
	}
	// The Vestigingsprofiel OpenAPI file lists only HAL+JSON.
	writeBody(w, r, versionVestigingsprofiel, v, mediaHALJSON, mediaJSON)
}

// hoofdvestigingLinks are the links of a main branch, on its own and
// embedded in the Basisprofiel alike.
func hoofdvestigingLinks(base string, c *population.Company, b *population.Branch) []link {
	self := base + "/v1/basisprofielen/" + c.KvKNumber
	return []link{
		{"self", self + "/hoofdvestiging"},
		{"vestigingen", self + "/vestigingen"},
		{"basisprofiel", self},
		{"vestigingsprofiel", base + "/v1/vestigingsprofielen/" + b.Number},
	}
}

// vestigingOf builds the full Vestiging of a branch; callers set its links.
func (s *server) vestigingOf(base string, c *population.Company, b *population.Branch, geo bool) *vestiging {
	v := &vestiging{
		Vestigingsnummer:         b.Number,
		KvkNummer:                c.KvKNumber,
		Rsin:                     c.RSIN,
		IndNonMailing:            jaNee(nonMailing(c)),
		FormeleRegistratiedatum:  string(b.RegistrationDate),
		MaterieleRegistratie:     &materieleRegistratie{DatumAanvang: string(b.RegistrationDate), DatumEinde: string(c.EndDate)},
		StatutaireNaam:           statutoryName(c),
		EersteHandelsnaam:        firstTradeName(c, b),
		IndHoofdvestiging:        jaNee(b.Main),
		IndCommercieleVestiging:  jaNee(b.Commercial),
		VoltijdWerkzamePersonen:  b.FullTime,
		DeeltijdWerkzamePersonen: b.PartTime,
		TotaalWerkzamePersonen:   b.FullTime + b.PartTime,
		Handelsnamen:             handelsnamen(b.TradeNames),
		Adressen:                 []adres{},
		SbiActiviteiten:          activiteiten(b.Activities),
	}
	if a := s.adresOf(b, s.shielded(c, b), geo); a != nil {
		v.Adressen = append(v.Adressen, *a)
	}
	if c.Website != "" && b.Main {
		v.Websites = []string{c.Website}
	}
	return v
}

func (s *server) eigenaarOf(base string, c *population.Company, geo bool) *eigenaar {
	self := base + "/v1/basisprofielen/" + c.KvKNumber
	form, detail := legalForm(c.LegalForm)
	e := &eigenaar{
		Rsin:                  c.RSIN,
		Rechtsvorm:            form,
		UitgebreideRechtsvorm: detail,
		DatumUitschrijving:    string(c.EndDate),
		Links:                 []link{{"self", self + "/eigenaar"}, {"basisprofiel", self}},
	}
	if c.Website != "" {
		e.Websites = []string{c.Website}
	}
	// A legal entity's address is that of its main branch. A natural
	// person's home address is the BRP's to give, not the Handelsregister's.
	if b := mainBranch(c); b != nil && c.RSIN != "" {
		if a := s.adresOf(b, s.shielded(c, b), geo); a != nil {
			e.Adressen = []adres{*a}
		}
	}
	return e
}

// adresOf gives the visiting address (bezoekadres) of a branch. A shielded
// address shows only its place, and never its BAG identifiers.
func (s *server) adresOf(b *population.Branch, shielded, geo bool) *adres {
	a, ok := s.pop.Address(b.AddressID)
	if !ok {
		return nil
	}
	street, place := "", ""
	if st, ok := s.pop.Street(a.StreetID); ok {
		street = st.Name
	}
	if pl, ok := s.pop.Place(a.PlaceID); ok {
		place = pl.Name
	}
	if shielded {
		return &adres{Type: "bezoekadres", IndAfgeschermd: "Ja", VolledigAdres: place, Plaats: place, Land: "Nederland"}
	}
	out := &adres{
		Type:                 "bezoekadres",
		IndAfgeschermd:       "Nee",
		VolledigAdres:        fullAddress(street, a, place),
		Straatnaam:           street,
		Huisnummer:           a.HouseNumber,
		Huisletter:           a.HouseLetter,
		HuisnummerToevoeging: a.Addition,
		Postcode:             a.Postcode,
		Plaats:               place,
		Land:                 "Nederland",
	}
	if geo {
		lat, lon := rdToWGS84(a.X, a.Y)
		out.GeoData = &geoData{
			AddresseerbaarObjectID: a.ObjectID,
			NummerAanduidingID:     a.ID,
			GpsLatitude:            lat,
			GpsLongitude:           lon,
			RijksdriehoekX:         a.X,
			RijksdriehoekY:         a.Y,
		}
	}
	return out
}

// fullAddress formats volledigAdres as "Dorpsstraat 12A 1234AB Plaats",
// with a house number addition after a space.
func fullAddress(street string, a *population.Address, place string) string {
	var sb strings.Builder
	sb.WriteString(street)
	sb.WriteByte(' ')
	sb.WriteString(strconv.Itoa(a.HouseNumber))
	sb.WriteString(a.HouseLetter)
	if a.Addition != "" {
		sb.WriteByte(' ')
		sb.WriteString(a.Addition)
	}
	sb.WriteByte(' ')
	sb.WriteString(a.Postcode)
	sb.WriteByte(' ')
	sb.WriteString(place)
	return sb.String()
}

// shielded reports whether the branch address is shielded
// (afgeschermd): the population has no such fact, so the mock shields a
// branch at the home address of one of the company's functionaries who has
// BRP geheimhouding, which is when the KvK grants shielding on request.
func (s *server) shielded(c *population.Company, b *population.Branch) bool {
	for _, f := range c.Functionaries {
		if p, ok := s.pop.Person(f.BSN); ok && p.Secret && p.AddressID == b.AddressID {
			return true
		}
	}
	return false
}

// nonMailing derives indNonMailing, which the population does not hold,
// from the KvK number, so that about one in five registrations refuses
// unsolicited mail, always the same ones.
func nonMailing(c *population.Company) bool {
	last := c.KvKNumber[len(c.KvKNumber)-1]
	return last == '3' || last == '7'
}

// statutoryName is the name in the statutes, which only legal entities
// (those with an RSIN) have.
func statutoryName(c *population.Company) string {
	if c.RSIN == "" {
		return ""
	}
	return c.Name
}

func mainBranch(c *population.Company) *population.Branch {
	for i := range c.Branches {
		if c.Branches[i].Main {
			return &c.Branches[i]
		}
	}
	return nil
}

func firstTradeName(c *population.Company, b *population.Branch) string {
	if len(b.TradeNames) > 0 {
		return b.TradeNames[0]
	}
	return c.Name
}

// handelsnamen numbers the trade names in registration order from 0, as
// the KvK test environment does.
func handelsnamen(names []string) []handelsnaam {
	out := make([]handelsnaam, len(names))
	for i, n := range names {
		out[i] = handelsnaam{Naam: n, Volgorde: i}
	}
	return out
}

func activiteiten(as []population.Activity) []sbiActiviteit {
	out := make([]sbiActiviteit, len(as))
	for i, a := range as {
		out[i] = sbiActiviteit{SbiCode: a.Code, SbiOmschrijving: a.Description, IndHoofdactiviteit: jaNee(a.Main)}
	}
	return out
}

// legalForm gives rechtsvorm and uitgebreideRechtsvorm for the population's
// legal forms, in the Handelsregister's wording.
func legalForm(form string) (rechtsvorm, uitgebreid string) {
	switch form {
	case population.PrivateCompany:
		return "Besloten Vennootschap", "Besloten Vennootschap met gewone structuur"
	default:
		return form, form
	}
}
