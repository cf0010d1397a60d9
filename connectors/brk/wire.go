package brk

import "errors"

// The API's shapes, as far as the connector reads them (OpenAPI schemas
// KadastraalOnroerendeZaakHalCollectie, ZakelijkGerechtigdeHalCollectie,
// PubliekrechtelijkeBeperkingHalCollectie).

type waardelijst struct {
	Code   string `json:"code"`
	Waarde string `json:"waarde"`
}

type zaakWire struct {
	Identificatie        string `json:"identificatie"`
	Type                 string `json:"type"`
	KadastraleAanduiding string `json:"kadastraleAanduiding"`
	KadastraleGrootte    *struct {
		Waarde *int `json:"waarde"`
	} `json:"kadastraleGrootte"`
	Adressen []struct {
		NummeraanduidingIdentificatie string `json:"nummeraanduidingIdentificatie"`
	} `json:"adressen"`
	BijbehorendeGrondpercelen []struct {
		Identificatie string `json:"identificatie"`
	} `json:"bijbehorendeGrondpercelen"`
	GesplitstZakelijkRecht string `json:"gesplitstZakelijkRecht"`
}

type zakenCollection struct {
	Embedded struct {
		Zaken []zaakWire `json:"kadastraalOnroerendeZaken"`
	} `json:"_embedded"`
}

type gerechtigdeWire struct {
	Identificatie  string `json:"identificatie"`
	Type           string `json:"type"`
	Aanvangsdatum  string `json:"aanvangsdatum"`
	Tenaamstelling *struct {
		Aandeel *struct {
			Teller int `json:"teller"`
			Noemer int `json:"noemer"`
		} `json:"aandeel"`
	} `json:"tenaamstelling"`
	Persoon *struct {
		Identificatie string `json:"identificatie"`
		Omschrijving  string `json:"omschrijving"`
		Type          string `json:"type"`
	} `json:"persoon"`
}

type gerechtigdenCollection struct {
	Embedded struct {
		Gerechtigden []gerechtigdeWire `json:"zakelijkGerechtigden"`
	} `json:"_embedded"`
}

type beperkingWire struct {
	Identificatie    string       `json:"identificatie"`
	Grondslag        *waardelijst `json:"grondslag"`
	DatumInWerking   string       `json:"datumInWerking"`
	DatumBeeindiging string       `json:"datumBeeindiging"`
	BevoegdGezag     *struct {
		Omschrijving string `json:"omschrijving"`
	} `json:"bevoegdGezag"`
}

type beperkingenCollection struct {
	Embedded struct {
		Beperkingen []beperkingWire `json:"publiekrechtelijkeBeperkingen"`
	} `json:"_embedded"`
}

var (
	errMissingID     = errors.New("the answer has a resource without its identification")
	errMissingHolder = errors.New("the answer has a zakelijk gerechtigde without its person")
	errShare         = errors.New("the answer has a share that is not a fraction of at most one")
)

func (z *zaakWire) parcel() (Parcel, error) {
	if z.Identificatie == "" {
		return Parcel{}, errMissingID
	}
	p := Parcel{ID: z.Identificatie, Kind: z.Type, Designation: z.KadastraleAanduiding, SplitRight: z.GesplitstZakelijkRecht}
	if z.KadastraleGrootte != nil {
		p.Size = z.KadastraleGrootte.Waarde
	}
	for _, a := range z.Adressen {
		if a.NummeraanduidingIdentificatie != "" {
			p.AddressIDs = append(p.AddressIDs, a.NummeraanduidingIdentificatie)
		}
	}
	for _, g := range z.BijbehorendeGrondpercelen {
		p.GroundParcelIDs = append(p.GroundParcelIDs, g.Identificatie)
	}
	return p, nil
}

func (g *gerechtigdeWire) right() (Right, error) {
	switch {
	case g.Identificatie == "":
		return Right{}, errMissingID
	case g.Persoon == nil || g.Persoon.Identificatie == "":
		return Right{}, errMissingHolder
	}
	r := Right{
		ID: g.Identificatie, Kind: g.Type, Since: g.Aanvangsdatum, Share: Share{1, 1},
		Holder: Holder{ID: g.Persoon.Identificatie, Kind: g.Persoon.Type, Description: g.Persoon.Omschrijving},
	}
	if t := g.Tenaamstelling; t != nil && t.Aandeel != nil {
		a := t.Aandeel
		if a.Teller < 1 || a.Noemer < a.Teller {
			return Right{}, errShare
		}
		r.Share = Share{a.Teller, a.Noemer}
	}
	return r, nil
}

func (b *beperkingWire) restriction() (Restriction, error) {
	if b.Identificatie == "" {
		return Restriction{}, errMissingID
	}
	r := Restriction{ID: b.Identificatie, Since: b.DatumInWerking, Until: b.DatumBeeindiging}
	if b.Grondslag != nil {
		r.Basis = Code{Code: b.Grondslag.Code, Description: b.Grondslag.Waarde}
	}
	if b.BevoegdGezag != nil {
		r.Authority = b.BevoegdGezag.Omschrijving
	}
	return r, nil
}
