package graph

import (
	"context"
	"strings"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/graph/model"
)

// This file reads the BRP: the look-ups the graph makes of it beyond its
// registration's, and the mapping of its shapes to graph types.

// personsByBSN asks the BRP for persons outside the operation's loaders,
// with the fields given.
func (r *Resolver) personsByBSN(ctx context.Context, bsns, fields []string) (map[string]*brp.Person, error) {
	b, err := brp.From(r.reg)
	if err != nil {
		return nil, err
	}
	return b.PersonsByBSN(ctx, bsns, fields)
}

// residents returns the BSNs of the persons living in a residential
// object. The search answers the limited person (PersoonBeperkt); when
// that holds every field the operation asks of a person, the residents
// need no second call.
func (r *Resolver) residents(ctx context.Context, objectID string) ([]string, error) {
	ps, err := lookup[[]*brp.Person](ctx, r, brp.Registry, "", connectors.ObjectID, objectID)
	if err != nil {
		return nil, err
	}
	suffices := coveredBySearch(brp.Askable(r.req(ctx).asked(brp.Registry)))
	bsns := make([]string, 0, len(ps))
	for _, p := range ps {
		bsns = append(bsns, p.BSN)
		if suffices {
			prime(ctx, r, brp.Registry, "", connectors.BSN, p.BSN, p)
		}
	}
	return bsns, nil
}

// searchFields are the BRP paths a search's limited person
// (PersoonBeperkt) answers.
var searchFields = map[string]bool{
	"burgerservicenummer": true, "naam": true, "geslacht": true, "leeftijd": true, "geboorte.datum": true,
}

// coveredBySearch reports whether a search's limited person holds every
// one of the paths.
func coveredBySearch(paths []string) bool {
	for _, p := range paths {
		head, _, _ := strings.Cut(p, ".")
		if !searchFields[p] && !(head == "naam" || head == "geslacht") {
			return false
		}
	}
	return true
}

// code maps a table value as the registry gives it: a code, a
// description, or both. A place of birth abroad, for one, has only a
// description.
func code(c *brp.Code) *model.CodeValue {
	if c == nil || (c.Code == "" && c.Description == "") {
		return nil
	}
	return &model.CodeValue{Code: str(c.Code), Description: str(c.Description)}
}

func partialDate(d *brp.Date) *model.PartialDate {
	if d == nil {
		return nil
	}
	out := &model.PartialDate{Text: str(d.Text), Precision: model.DatePrecisionUnknown}
	switch d.Kind {
	case brp.DateFull:
		out.Precision = model.DatePrecisionDay
		out.Date = model.DatePtr(d.Date)
	case brp.DateYearMonth:
		out.Precision = model.DatePrecisionMonth
	case brp.DateYear:
		out.Precision = model.DatePrecisionYear
	}
	// The connector fills year and month from a full date as well.
	if d.Year > 0 {
		y := d.Year
		out.Year = &y
	}
	if d.Month > 0 {
		m := d.Month
		out.Month = &m
	}
	return out
}

// person maps a BRP person; every part of it is about that person.
func person(p *brp.Person) *model.Person {
	about := model.PersonSubject(p.BSN)
	m := &model.Person{
		BSN:          p.BSN,
		ANumber:      str(p.ANumber),
		Gender:       code(p.Gender),
		Age:          p.Age,
		Municipality: code(p.Municipality),
	}
	if p.Name != nil {
		m.Name = &model.PersonName{
			Subject:    about,
			GivenNames: str(p.Name.GivenNames), Prefix: str(p.Name.Prefix), Surname: str(p.Name.Surname),
			Initials: str(p.Name.Initials), FullName: str(p.Name.FullName),
		}
	}
	if p.Birth != nil {
		m.Birth = &model.Birth{Subject: about, Date: partialDate(p.Birth.Date), Place: code(p.Birth.Place), Country: code(p.Birth.Country)}
	}
	if p.Death != nil {
		m.Death = &model.Death{Subject: about, Date: partialDate(p.Death.Date), Place: code(p.Death.Place), Country: code(p.Death.Country)}
	}
	for _, n := range p.Nationalities {
		m.Nationalities = append(m.Nationalities, &model.Nationality{Subject: about, Kind: registryEnum(nationalityKinds, n.Kind), Nationality: code(n.Nationality), Since: partialDate(n.Since)})
	}
	if r := p.Residence; r != nil {
		m.Residence = &model.Residence{
			Subject: about, Street: str(r.Street), HouseLetter: str(r.HouseLetter), Addition: str(r.Addition),
			Postcode: str(r.Postcode), Place: str(r.Place), AddressID: str(r.AddressID), ObjectID: str(r.ObjectID),
			Since: partialDate(r.Since),
		}
		if r.HouseNumber > 0 {
			n := r.HouseNumber
			m.Residence.HouseNumber = &n
		}
		m.Refs.AddressID, m.Refs.ObjectID = r.AddressID, r.ObjectID
	}
	// The BRP leaves these out unless they apply; asked for, false is the
	// answer when it does not.
	secret, curatele := p.Secret, p.Curatele
	m.Secret, m.Curatele = &secret, &curatele
	for _, par := range p.Parents {
		if par.BSN != "" {
			m.Refs.Parents = append(m.Refs.Parents, par.BSN)
		}
	}
	for _, c := range p.Children {
		if c.BSN != "" {
			m.Refs.Children = append(m.Refs.Children, c.BSN)
		}
	}
	for _, pa := range p.Partners {
		m.Refs.Partners = append(m.Refs.Partners, &model.Partnership{
			Subject: about, PartnerBSN: pa.BSN, Kind: code(pa.Kind), Started: partialDate(pa.Started), Ended: partialDate(pa.Ended),
		})
	}
	return m
}

// travelDocument maps a travel document of the holder with the BSN.
func travelDocument(bsn string, d brp.TravelDocument, today model.Date) *model.TravelDocument {
	return &model.TravelDocument{Subject: model.PersonSubject(bsn), Number: d.Number, Kind: code(d.Kind), Expires: partialDate(d.Expiry), Valid: validOn(d, today)}
}

// validOn derives a travel document's validity on a day, which the
// registry does not give: a document handed in, lapsed by law or reported
// lost (inhoudingOfVermissing) is not valid; otherwise it is valid up to and
// including its end of validity (datumEindeGeldigheid). It is nil when that
// end is not a full date.
func validOn(d brp.TravelDocument, day model.Date) *bool {
	valid := false
	switch {
	case d.Withdrawal != nil:
	case d.Expiry == nil || d.Expiry.Kind != brp.DateFull:
		return nil
	default:
		valid = string(day) <= d.Expiry.Date
	}
	return &valid
}
