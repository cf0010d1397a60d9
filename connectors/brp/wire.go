package brp

// The wire types mirror the API's JSON; only what Person and
// TravelDocument carry is decoded.

type wireTabel struct {
	Code         string `json:"code"`
	Omschrijving string `json:"omschrijving"`
	Soort        string `json:"soort"`
}

type wireDatum struct {
	Type        string `json:"type"`
	Datum       string `json:"datum"`
	Jaar        int    `json:"jaar"`
	Maand       int    `json:"maand"`
	Onbekend    bool   `json:"onbekend"`
	LangFormaat string `json:"langFormaat"`
}

type wireNaam struct {
	Voornamen               string     `json:"voornamen"`
	Voorvoegsel             string     `json:"voorvoegsel"`
	Geslachtsnaam           string     `json:"geslachtsnaam"`
	Voorletters             string     `json:"voorletters"`
	VolledigeNaam           string     `json:"volledigeNaam"`
	AdellijkeTitelPredicaat *wireTabel `json:"adellijkeTitelPredicaat"`
	AanduidingNaamgebruik   *wireTabel `json:"aanduidingNaamgebruik"`
}

type wireGebeurtenis struct {
	Datum  *wireDatum `json:"datum"`
	Land   *wireTabel `json:"land"`
	Plaats *wireTabel `json:"plaats"`
}

type wireVerblijfadres struct {
	OfficieleStraatnaam     string     `json:"officieleStraatnaam"`
	KorteStraatnaam         string     `json:"korteStraatnaam"`
	Huisnummer              int        `json:"huisnummer"`
	Huisletter              string     `json:"huisletter"`
	Huisnummertoevoeging    string     `json:"huisnummertoevoeging"`
	AanduidingBijHuisnummer *wireTabel `json:"aanduidingBijHuisnummer"`
	Postcode                string     `json:"postcode"`
	Woonplaats              string     `json:"woonplaats"`
	Locatiebeschrijving     string     `json:"locatiebeschrijving"`
	Regel1                  string     `json:"regel1"`
	Regel2                  string     `json:"regel2"`
	Regel3                  string     `json:"regel3"`
	Land                    *wireTabel `json:"land"`
}

type wireVerblijfplaats struct {
	Type                             string             `json:"type"`
	Verblijfadres                    *wireVerblijfadres `json:"verblijfadres"`
	AdresseerbaarObjectIdentificatie string             `json:"adresseerbaarObjectIdentificatie"`
	NummeraanduidingIdentificatie    string             `json:"nummeraanduidingIdentificatie"`
	FunctieAdres                     *wireTabel         `json:"functieAdres"`
	DatumVan                         *wireDatum         `json:"datumVan"`
}

type wireAdressering struct {
	Adresregel1     string     `json:"adresregel1"`
	Adresregel2     string     `json:"adresregel2"`
	Adresregel3     string     `json:"adresregel3"`
	Land            *wireTabel `json:"land"`
	Aanhef          string     `json:"aanhef"`
	Aanschrijfwijze *struct {
		Naam          string `json:"naam"`
		Aanspreekvorm string `json:"aanspreekvorm"`
	} `json:"aanschrijfwijze"`
	GebruikInLopendeTekst string `json:"gebruikInLopendeTekst"`
}

type wireNationaliteit struct {
	Type                  string     `json:"type"`
	Nationaliteit         *wireTabel `json:"nationaliteit"`
	RedenOpname           *wireTabel `json:"redenOpname"`
	DatumIngangGeldigheid *wireDatum `json:"datumIngangGeldigheid"`
}

type wireRelatie struct {
	Burgerservicenummer                     string           `json:"burgerservicenummer"`
	Naam                                    *wireNaam        `json:"naam"`
	Geslacht                                *wireTabel       `json:"geslacht"`
	Geboorte                                *wireGebeurtenis `json:"geboorte"`
	OuderAanduiding                         string           `json:"ouderAanduiding"`
	DatumIngangFamilierechtelijkeBetrekking *wireDatum       `json:"datumIngangFamilierechtelijkeBetrekking"`
	SoortVerbintenis                        *wireTabel       `json:"soortVerbintenis"`
	AangaanHuwelijkPartnerschap             *wireGebeurtenis `json:"aangaanHuwelijkPartnerschap"`
	OntbindingHuwelijkPartnerschap          *wireGebeurtenis `json:"ontbindingHuwelijkPartnerschap"`
}

type wireOpschorting struct {
	Reden *wireTabel `json:"reden"`
	Datum *wireDatum `json:"datum"`
}

type wirePersoon struct {
	ANummer                       string              `json:"aNummer"`
	Burgerservicenummer           string              `json:"burgerservicenummer"`
	Naam                          *wireNaam           `json:"naam"`
	Geslacht                      *wireTabel          `json:"geslacht"`
	Geboorte                      *wireGebeurtenis    `json:"geboorte"`
	Overlijden                    *wireGebeurtenis    `json:"overlijden"`
	Leeftijd                      *int                `json:"leeftijd"`
	Nationaliteiten               []wireNationaliteit `json:"nationaliteiten"`
	Verblijfplaats                *wireVerblijfplaats `json:"verblijfplaats"`
	GemeenteVanInschrijving       *wireTabel          `json:"gemeenteVanInschrijving"`
	DatumInschrijvingInGemeente   *wireDatum          `json:"datumInschrijvingInGemeente"`
	DatumEersteInschrijvingGBA    *wireDatum          `json:"datumEersteInschrijvingGBA"`
	Adressering                   *wireAdressering    `json:"adressering"`
	Ouders                        []wireRelatie       `json:"ouders"`
	Kinderen                      []wireRelatie       `json:"kinderen"`
	Partners                      []wireRelatie       `json:"partners"`
	GeheimhoudingPersoonsgegevens bool                `json:"geheimhoudingPersoonsgegevens"`
	IndicatieCurateleRegister     bool                `json:"indicatieCurateleRegister"`
	OpschortingBijhouding         *wireOpschorting    `json:"opschortingBijhouding"`
}

type personenResponse struct {
	Type     string        `json:"type"`
	Personen []wirePersoon `json:"personen"`
}

type wireReisdocument struct {
	Reisdocumentnummer    string     `json:"reisdocumentnummer"`
	Soort                 *wireTabel `json:"soort"`
	DatumEindeGeldigheid  *wireDatum `json:"datumEindeGeldigheid"`
	InhoudingOfVermissing *struct {
		Datum      *wireDatum `json:"datum"`
		Aanduiding *wireTabel `json:"aanduiding"`
	} `json:"inhoudingOfVermissing"`
	Houder *struct {
		Burgerservicenummer           string           `json:"burgerservicenummer"`
		GeheimhoudingPersoonsgegevens bool             `json:"geheimhoudingPersoonsgegevens"`
		OpschortingBijhouding         *wireOpschorting `json:"opschortingBijhouding"`
	} `json:"houder"`
}

type reisdocumentenResponse struct {
	Type           string             `json:"type"`
	Reisdocumenten []wireReisdocument `json:"reisdocumenten"`
}

func (t *wireTabel) code() *Code {
	if t == nil || (t.Code == "" && t.Omschrijving == "") {
		return nil
	}
	return &Code{Code: t.Code, Description: t.Omschrijving}
}

func (d *wireDatum) date() *Date {
	if d == nil || d.Type == "" {
		return nil
	}
	out := &Date{Kind: d.Type, Date: d.Datum, Year: d.Jaar, Month: d.Maand, Text: d.LangFormaat}
	if d.Type == DateFull && len(d.Datum) == 10 {
		// Fill year and month from the ISO date, so every kind carries
		// them the same way.
		out.Year = atoi(d.Datum[0:4])
		out.Month = atoi(d.Datum[5:7])
	}
	return out
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func (n *wireNaam) name() *Name {
	if n == nil {
		return nil
	}
	out := &Name{
		GivenNames: n.Voornamen, Prefix: n.Voorvoegsel, Surname: n.Geslachtsnaam,
		Initials: n.Voorletters, FullName: n.VolledigeNaam,
		Title: n.AdellijkeTitelPredicaat.code(), NameUse: n.AanduidingNaamgebruik.code(),
	}
	if n.AdellijkeTitelPredicaat != nil {
		out.TitleKind = n.AdellijkeTitelPredicaat.Soort
	}
	return out
}

func (g *wireGebeurtenis) birth() *Birth {
	if g == nil {
		return nil
	}
	return &Birth{Date: g.Datum.date(), Place: g.Plaats.code(), Country: g.Land.code()}
}

func (v *wireVerblijfplaats) residence() *Residence {
	if v == nil {
		return nil
	}
	r := &Residence{
		Kind: v.Type, AddressID: v.NummeraanduidingIdentificatie, ObjectID: v.AdresseerbaarObjectIdentificatie,
		Since: v.DatumVan.date(), Function: v.FunctieAdres.code(),
	}
	if a := v.Verblijfadres; a != nil {
		r.Street, r.ShortStreet, r.HouseNumber = a.OfficieleStraatnaam, a.KorteStraatnaam, a.Huisnummer
		r.HouseLetter, r.Addition, r.NumberQualifier = a.Huisletter, a.Huisnummertoevoeging, a.AanduidingBijHuisnummer.code()
		r.Postcode, r.Place, r.Location, r.Country = a.Postcode, a.Woonplaats, a.Locatiebeschrijving, a.Land.code()
		for _, l := range []string{a.Regel1, a.Regel2, a.Regel3} {
			if l != "" {
				r.ForeignLines = append(r.ForeignLines, l)
			}
		}
	}
	return r
}

func (a *wireAdressering) lines() *AddressLines {
	if a == nil {
		return nil
	}
	out := &AddressLines{
		Line1: a.Adresregel1, Line2: a.Adresregel2, Line3: a.Adresregel3, Country: a.Land.code(),
		Salutation: a.Aanhef, InText: a.GebruikInLopendeTekst,
	}
	if a.Aanschrijfwijze != nil {
		out.AddressName, out.AddressForm = a.Aanschrijfwijze.Naam, a.Aanschrijfwijze.Aanspreekvorm
	}
	return out
}

func (r *wireRelatie) relative() Relative {
	return Relative{
		BSN: r.Burgerservicenummer, Name: r.Naam.name(), Gender: r.Geslacht.code(), Birth: r.Geboorte.birth(),
		Designation: r.OuderAanduiding, Since: r.DatumIngangFamilierechtelijkeBetrekking.date(),
	}
}

func (r *wireRelatie) partner() Partner {
	p := Partner{
		BSN: r.Burgerservicenummer, Name: r.Naam.name(), Gender: r.Geslacht.code(), Birth: r.Geboorte.birth(),
		Kind: r.SoortVerbintenis.code(),
	}
	if a := r.AangaanHuwelijkPartnerschap; a != nil {
		p.Started, p.StartPlace, p.StartCountry = a.Datum.date(), a.Plaats.code(), a.Land.code()
	}
	if o := r.OntbindingHuwelijkPartnerschap; o != nil {
		p.Ended = o.Datum.date()
	}
	return p
}

func (w *wirePersoon) person() *Person {
	p := &Person{
		BSN: w.Burgerservicenummer, ANumber: w.ANummer, Name: w.Naam.name(), Gender: w.Geslacht.code(),
		Birth: w.Geboorte.birth(), Age: w.Leeftijd, Residence: w.Verblijfplaats.residence(),
		Municipality: w.GemeenteVanInschrijving.code(), MunicipalitySince: w.DatumInschrijvingInGemeente.date(),
		FirstRegistered: w.DatumEersteInschrijvingGBA.date(), AddressLines: w.Adressering.lines(),
		Secret: w.GeheimhoudingPersoonsgegevens, Curatele: w.IndicatieCurateleRegister,
	}
	if o := w.Overlijden; o != nil {
		p.Death = &Death{Date: o.Datum.date(), Place: o.Plaats.code(), Country: o.Land.code()}
	}
	for _, n := range w.Nationaliteiten {
		p.Nationalities = append(p.Nationalities, Nationality{
			Kind: n.Type, Nationality: n.Nationaliteit.code(), Reason: n.RedenOpname.code(), Since: n.DatumIngangGeldigheid.date(),
		})
	}
	for i := range w.Ouders {
		p.Parents = append(p.Parents, w.Ouders[i].relative())
	}
	for i := range w.Kinderen {
		p.Children = append(p.Children, w.Kinderen[i].relative())
	}
	for i := range w.Partners {
		p.Partners = append(p.Partners, w.Partners[i].partner())
	}
	if o := w.OpschortingBijhouding; o != nil {
		p.SuspendedReason, p.SuspendedSince = o.Reden.code(), o.Datum.date()
	}
	return p
}

func (w *wireReisdocument) document() TravelDocument {
	d := TravelDocument{Number: w.Reisdocumentnummer, Kind: w.Soort.code(), Expiry: w.DatumEindeGeldigheid.date()}
	if i := w.InhoudingOfVermissing; i != nil {
		d.Withdrawal, d.WithdrawnOn = i.Aanduiding.code(), i.Datum.date()
	}
	if h := w.Houder; h != nil {
		d.BSN, d.Secret = h.Burgerservicenummer, h.GeheimhoudingPersoonsgegevens
		if o := h.OpschortingBijhouding; o != nil {
			d.SuspendedReason = o.Reden.code()
		}
	}
	return d
}
