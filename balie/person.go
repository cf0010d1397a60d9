package balie

import (
	"net/http"
	"strings"
	"sync"
)

// The shapes of PersonCard's answer; every field is a pointer or a slice,
// since any may be null when forbidden or when its registry failed.
type (
	codeValue   struct{ Code, Description *string }
	partialDate struct{ Date, Text *string }
	personRef   struct {
		BSN  string
		Name *struct{ FullName *string }
		Age  *int
	}
	personCard struct {
		BSN     string
		ANumber *string
		Name    *struct{ FullName, GivenNames, Prefix, Surname, Initials *string }
		Gender  *codeValue
		Birth   *struct {
			Date           *partialDate
			Place, Country *codeValue
		}
		Death         *struct{ Date *partialDate }
		Age           *int
		Nationalities []struct {
			Kind        *string
			Nationality *codeValue
		}
		Municipality *codeValue
		Secret       *bool
		Curatele     *bool
		Residence    *struct {
			Street, HouseLetter, Addition, Postcode, Place *string
			HouseNumber                                    *int
			Since                                          *partialDate
		}
		Address *struct {
			ID                                             string
			Street, HouseLetter, Addition, Postcode, Place *string
			HouseNumber                                    *int
			Municipality                                   *codeValue
			ResidentialObject                              *struct {
				ID           string
				Kind, Status *string
				Surface      *int
				Uses         []string
			}
			Buildings []struct {
				ID        string
				YearBuilt *int
				Status    *string
			}
		}
		Partners []struct {
			Kind           *codeValue
			Started, Ended *partialDate
			Partner        *personRef
		}
		Parents         []personRef
		Children        []personRef
		Household       []personRef
		TravelDocuments []struct {
			Number  string
			Kind    *codeValue
			Expires *partialDate
			Valid   *bool
		}
		DrivingLicences []struct {
			Number          string
			Expires, Status *string
			Valid           *bool
			Categories      []struct{ Code string }
		}
		Vehicles []struct {
			LicencePlate                             string
			Kind, Make, TradeName, Colour, ApkExpiry *string
		}
		Employments []struct {
			EmployerName *string
			Employer     *struct {
				KvKNumber string
				Name      *string
			}
			Start, End   *string
			Current      *bool
			ContractType *codeValue
			HoursPerWeek *float64
		}
		Benefits []struct {
			Law, FirstDayOfUnemployment, Start, End, MaximumEnd, Reason *string
			HoursLost                                                   *float64
		}
		Companies []struct {
			Role, Since *string
			Company     *struct {
				KvKNumber       string
				Name, LegalForm *string
			}
		}
		RealEstate []struct {
			Kind, Share, Since *string
			Parcel             *parcelView
		}
	}
	parcelView struct {
		Kind, Designation *string
		Monument          *bool
		Restrictions      []restriction
	}
	// restriction is a public-law restriction on a parcel.
	restriction struct {
		Basis     *codeValue
		Authority *string
	}
)

func (d *partialDate) text() string {
	if d == nil {
		return ""
	}
	if d.Text != nil {
		return *d.Text
	}
	return isoDateNL(d.Date)
}

func (c *codeValue) text() string {
	if c == nil {
		return ""
	}
	if c.Description != nil {
		return *c.Description
	}
	return str(c.Code)
}

func (p personRef) name() string {
	if p.Name != nil && p.Name.FullName != nil {
		return *p.Name.FullName
	}
	return p.BSN
}

// cardPage is the data of a person's or company's card.
type cardPage struct {
	Heading    string
	Sub        string
	Problems   []string
	Sections   []section
	LifeEvents *lifeEventsView
}

// personCard shows the whole picture of one person. The picture and the
// life events are two operations, run at once.
func (c *Console) personCard(w http.ResponseWriter, r *http.Request, s *session) {
	rf, ok := c.openRef(s, "persoon", r.PathValue("ref"))
	if !ok {
		c.renderError(w, r, s, http.StatusNotFound, "Onbekende verwijzing", "Deze link hoort niet bij je sessie. Zoek de persoon opnieuw.")
		return
	}
	var (
		data struct {
			Person  *personCard
			Lineage []lineageEntry
		}
		events lifeEventsAnswer
		res    *result
		evRes  *result
		err    error
		evErr  error
		wg     sync.WaitGroup
	)
	vars := map[string]any{"bsn": rf.ID}
	wg.Go(func() { res, err = c.execute(r.Context(), s, "PersonCard", vars, &data) })
	wg.Go(func() { evRes, evErr = c.execute(r.Context(), s, "PersonLifeEvents", vars, &events) })
	wg.Wait()
	if err != nil || res.refused() {
		c.renderRefusal(w, r, s, res, err)
		return
	}
	if data.Person == nil {
		c.searchFailed(w, r, s, "bsn", map[string]string{"bsn": rf.ID}, res)
		return
	}
	p := data.Person
	v := newValues(res, data.Lineage, s, c.advice)
	cp := cardPage{Heading: "Persoon", Sections: c.personSections(s, v, p)}
	if p.Name != nil && p.Name.FullName != nil {
		cp.Heading = *p.Name.FullName
	}
	cp.Sub = joinNonEmpty(" · ", "BSN "+p.BSN, ageText(p.Age))
	cp.LifeEvents = c.lifeEventsView(s, "person", rf.ID, c.sealRef(s, "persoon", rf.ID, ""), r.URL.Path, events.Person, events.Cases, evRes, evErr)
	c.render(w, r, s, http.StatusOK, "card", page{Title: cp.Heading, Nav: "zoeken", Data: cp})
}

func ageText(a *int) string {
	if a == nil {
		return ""
	}
	return num(a) + " jaar"
}

func (c *Console) personSections(s *session, v *values, p *personCard) []section {
	personLink := func(bsn string) string { return c.subjectLink(s, "PERSON", bsn) }
	var secs []section

	id := section{ID: "identiteit", Title: "Identiteit"}
	var fullName, givenNames *string
	if p.Name != nil {
		fullName, givenNames = p.Name.FullName, p.Name.GivenNames
	}
	id.Facts = []value{
		v.val("Naam", "person.name.fullName", "PersonName.fullName", str(fullName)),
		v.val("Voornamen", "person.name.givenNames", "PersonName.givenNames", str(givenNames)),
		v.val("BSN", "person.bsn", "Person.bsn", p.BSN),
		v.val("A-nummer", "person.aNumber", "Person.aNumber", str(p.ANumber)),
		v.val("Geslacht", "person.gender", "Person.gender", p.Gender.text()),
		v.val("Geboren", "person.birth.date", "Birth.date", birthText(p)),
		v.val("Geboorteplaats", "person.birth.place", "Birth.place", birthPlace(p)),
		v.val("Leeftijd", "person.age", "Person.age", ageText(p.Age)),
		v.val("Nationaliteit", "person.nationalities", "Person.nationalities", nationalities(p)),
		v.val("Ingeschreven in", "person.municipality", "Person.municipality", p.Municipality.text()),
		v.val("Geheimhouding", "person.secret", "Person.secret", boolNL(p.Secret)),
		v.val("Curatele", "person.curatele", "Person.curatele", boolNL(p.Curatele)),
	}
	if p.Death != nil {
		id.Facts = append(id.Facts, v.val("Overleden", "person.death.date", "Death.date", p.Death.Date.text()))
	}
	secs = append(secs, id)

	addr := section{ID: "adres", Title: "Adres en woning"}
	addr.Unavailable = v.outages(map[string]string{"person.address": "het adres en de woning uit de BAG"})
	if p.Residence != nil {
		rs := p.Residence
		addr.Facts = append(addr.Facts,
			v.val("Woonadres (BRP)", "person.residence", "Person.residence", joinNonEmpty(" ", str(rs.Street), num(rs.HouseNumber)+str(rs.HouseLetter), str(rs.Addition))),
			v.val("Postcode en plaats", "person.residence.postcode", "Residence.postcode", joinNonEmpty(" ", str(rs.Postcode), str(rs.Place))),
			v.val("Woont er sinds", "person.residence.since", "Residence.since", rs.Since.text()))
	} else {
		addr.Facts = append(addr.Facts, v.val("Woonadres (BRP)", "person.residence", "Person.residence", ""))
	}
	if a := p.Address; a != nil {
		addr.Facts = append(addr.Facts, v.val("Gemeente (BAG)", "person.address.municipality", "Address.municipality", a.Municipality.text()))
		if o := a.ResidentialObject; o != nil {
			addr.Facts = append(addr.Facts,
				v.val("Soort object", "person.address.residentialObject.kind", "ResidentialObject.kind", dutchOr(str(o.Kind))),
				v.val("Oppervlakte", "person.address.residentialObject.surface", "ResidentialObject.surface", joinNonEmpty(" ", num(o.Surface), unit(o.Surface, "m²"))),
				v.val("Gebruiksdoel", "person.address.residentialObject.uses", "ResidentialObject.uses", strings.Join(o.Uses, ", ")))
		}
		var years []string
		for _, b := range a.Buildings {
			years = append(years, num(b.YearBuilt))
		}
		addr.Facts = append(addr.Facts, v.val("Bouwjaar", "person.address.buildings", "Building.yearBuilt", joinNonEmpty(", ", years...)))
	} else {
		addr.Facts = append(addr.Facts, v.val("Adres (BAG)", "person.address", "Person.address", ""))
	}
	addr.AllUnavailable = p.Address == nil && p.Residence == nil && len(addr.Unavailable) > 0
	secs = append(secs, addr)

	fam := section{ID: "gezin", Title: "Gezin en huishouden"}
	var partners [][]value
	for _, pt := range p.Partners {
		row := []value{v.val("Partner", "person.partners.partner", "Partnership.partner", "")}
		if pt.Partner != nil {
			row[0] = v.link("Partner", "person.partners.partner", "Partnership.partner", pt.Partner.name(), personLink(pt.Partner.BSN))
		}
		row = append(row, v.val("Soort", "person.partners.kind", "Partnership.kind", pt.Kind.text()),
			v.val("Sinds", "person.partners.started", "Partnership.started", pt.Started.text()),
			v.val("Tot", "person.partners.ended", "Partnership.ended", pt.Ended.text()))
		partners = append(partners, row)
	}
	fam.Tables = append(fam.Tables,
		v.list("Partners", "person.partners", "Person.partners", []string{"Partner", "Soort", "Sinds", "Tot"}, partners, "Geen partner geregistreerd."),
		c.people(v, "Kinderen", "person.children", "Person.children", p.Children, personLink),
		c.people(v, "Ouders", "person.parents", "Person.parents", p.Parents, personLink),
		c.people(v, "Op hetzelfde adres", "person.household", "Person.household", p.Household, personLink))
	secs = append(secs, fam)

	docs := section{ID: "documenten", Title: "Reisdocumenten en rijbewijzen"}
	docs.Unavailable = v.outages(map[string]string{"person.travelDocuments": "de reisdocumenten", "person.drivingLicences": "de rijbewijzen"})
	var tds, dls [][]value
	for _, d := range p.TravelDocuments {
		tds = append(tds, []value{
			v.val("Soort", "person.travelDocuments.kind", "TravelDocument.kind", d.Kind.text()),
			v.val("Nummer", "person.travelDocuments.number", "TravelDocument.number", d.Number),
			v.val("Geldig tot", "person.travelDocuments.expires", "TravelDocument.expires", d.Expires.text()),
			v.val("Geldig", "person.travelDocuments.valid", "TravelDocument.valid", boolNL(d.Valid)),
		})
	}
	for _, d := range p.DrivingLicences {
		var cats []string
		for _, ct := range d.Categories {
			cats = append(cats, ct.Code)
		}
		dls = append(dls, []value{
			v.val("Nummer", "person.drivingLicences.number", "DrivingLicence.number", d.Number),
			v.val("Categorieën", "person.drivingLicences.categories", "DrivingLicence.categories", strings.Join(cats, ", ")),
			v.val("Geldig tot", "person.drivingLicences.expires", "DrivingLicence.expires", isoDateNL(d.Expires)),
			v.val("Status", "person.drivingLicences.status", "DrivingLicence.status", dutchOr(str(d.Status))),
		})
	}
	docs.Tables = append(docs.Tables,
		v.list("Reisdocumenten", "person.travelDocuments", "Person.travelDocuments", []string{"Soort", "Nummer", "Geldig tot", "Geldig"}, tds, "Geen reisdocumenten."),
		v.list("Rijbewijzen", "person.drivingLicences", "Person.drivingLicences", []string{"Nummer", "Categorieën", "Geldig tot", "Status"}, dls, "Geen rijbewijs."))
	secs = append(secs, docs)

	veh := section{ID: "voertuigen", Title: "Voertuigen"}
	veh.Unavailable = v.outages(map[string]string{"person.vehicles": "de voertuigen"})
	var vs [][]value
	for _, x := range p.Vehicles {
		vs = append(vs, []value{
			v.val("Kenteken", "person.vehicles.licencePlate", "Vehicle.licencePlate", x.LicencePlate),
			v.val("Voertuig", "person.vehicles.make", "Vehicle.make", joinNonEmpty(" ", str(x.Make), str(x.TradeName))),
			v.val("Soort", "person.vehicles.kind", "Vehicle.kind", str(x.Kind)),
			v.val("APK tot", "person.vehicles.apkExpiry", "Vehicle.apkExpiry", isoDateNL(x.ApkExpiry)),
		})
	}
	veh.Tables = append(veh.Tables, v.list("Voertuigen op naam", "person.vehicles", "Person.vehicles", []string{"Kenteken", "Voertuig", "Soort", "APK tot"}, vs, "Geen voertuigen op naam."))
	secs = append(secs, veh)

	work := section{ID: "werk", Title: "Werk en uitkeringen"}
	work.Unavailable = v.outages(map[string]string{"person.employments": "de dienstverbanden", "person.benefits": "de uitkeringen"})
	var es, bs [][]value
	for _, e := range p.Employments {
		employer := v.val("Werkgever", "person.employments.employerName", "Employment.employerName", str(e.EmployerName))
		if e.Employer != nil && e.Employer.Name != nil {
			employer = v.link("Werkgever", "person.employments.employer", "Employment.employer", *e.Employer.Name, c.subjectLink(s, "COMPANY", e.Employer.KvKNumber))
		}
		es = append(es, []value{employer,
			v.val("Van", "person.employments.start", "Employment.start", isoDateNL(e.Start)),
			v.val("Tot", "person.employments.end", "Employment.end", isoDateNL(e.End)),
			v.val("Contract", "person.employments.contractType", "Employment.contractType", e.ContractType.text()),
			v.val("Uren per week", "person.employments.hoursPerWeek", "Employment.hoursPerWeek", num(e.HoursPerWeek)),
		})
	}
	for _, b := range p.Benefits {
		bs = append(bs, []value{
			v.val("Wet", "person.benefits.law", "Benefit.law", str(b.Law)),
			v.val("Eerste werkloosheidsdag", "person.benefits.firstDayOfUnemployment", "Benefit.firstDayOfUnemployment", isoDateNL(b.FirstDayOfUnemployment)),
			v.val("Uiterlijk tot", "person.benefits.maximumEnd", "Benefit.maximumEnd", isoDateNL(b.MaximumEnd)),
			v.val("Reden", "person.benefits.reason", "Benefit.reason", str(b.Reason)),
		})
	}
	work.Tables = append(work.Tables,
		v.list("Dienstverbanden (polisadministratie)", "person.employments", "Person.employments", []string{"Werkgever", "Van", "Tot", "Contract", "Uren per week"}, es, "Geen dienstverbanden."),
		v.list("Uitkeringen", "person.benefits", "Person.benefits", []string{"Wet", "Eerste werkloosheidsdag", "Uiterlijk tot", "Reden"}, bs, "Geen uitkeringen."))
	secs = append(secs, work)

	comp := section{ID: "bedrijven", Title: "Bedrijven en functies"}
	comp.Unavailable = v.outages(map[string]string{"person.companies": "de functies in bedrijven"})
	var cs [][]value
	for _, x := range p.Companies {
		co := v.val("Bedrijf", "person.companies.company", "CompanyRole.company", "")
		if x.Company != nil {
			co = v.link("Bedrijf", "person.companies.company", "CompanyRole.company", joinNonEmpty(" ", str(x.Company.Name)), c.subjectLink(s, "COMPANY", x.Company.KvKNumber))
		}
		cs = append(cs, []value{co,
			v.val("Functie", "person.companies.role", "CompanyRole.role", str(x.Role)),
			v.val("Sinds", "person.companies.since", "CompanyRole.since", isoDateNL(x.Since)),
		})
	}
	comp.Tables = append(comp.Tables, v.list("Functies", "person.companies", "Person.companies", []string{"Bedrijf", "Functie", "Sinds"}, cs, "Geen functies in bedrijven."))
	secs = append(secs, comp, realEstateSection(v, p))

	for i := range secs {
		if len(secs[i].Unavailable) > 0 && allUnavailable(secs[i]) {
			secs[i].AllUnavailable = true
		}
	}
	return secs
}

// realEstateSection lists the rights the person holds on parcels and
// apartment rights (BRK), with the restrictions resting on them.
func realEstateSection(v *values, p *personCard) section {
	sec := section{ID: "onroerend-goed", Title: "Onroerend goed"}
	sec.Unavailable = v.outages(map[string]string{"person.realEstate": "het onroerend goed"})
	const at = "person.realEstate.parcel"
	var rows [][]value
	for _, re := range p.RealEstate {
		pc := re.Parcel
		if pc == nil {
			pc = &parcelView{}
		}
		rows = append(rows, []value{
			v.val("Perceel", at+".designation", "Parcel.designation", str(pc.Designation)),
			v.val("Soort", at+".kind", "Parcel.kind", nlParcelKind(pc.Kind)),
			v.val("Recht", "person.realEstate.kind", "RealEstateRight.kind", str(re.Kind)),
			v.val("Aandeel", "person.realEstate.share", "RealEstateRight.share", str(re.Share)),
			v.val("Sinds", "person.realEstate.since", "RealEstateRight.since", isoDateNL(re.Since)),
			v.val("Monument", at+".monument", "Parcel.monument", boolNL(pc.Monument)),
			v.val("Beperkingen", at+".restrictions", "Parcel.restrictions", restrictionsText(pc.Restrictions)),
		})
	}
	sec.Tables = append(sec.Tables, v.list("Rechten op percelen en appartementsrechten (BRK)", "person.realEstate", "Person.realEstate",
		[]string{"Perceel", "Soort", "Recht", "Aandeel", "Sinds", "Monument", "Beperkingen"}, rows, "Geen rechten op onroerend goed."))
	return sec
}

// nlParcelKind names a ParcelKind in Dutch.
func nlParcelKind(k *string) string {
	switch str(k) {
	case "LAND_PARCEL":
		return "perceel"
	case "APARTMENT_RIGHT":
		return "appartementsrecht"
	}
	return str(k)
}

// restrictionsText lists a parcel's public-law restrictions by the law
// and decision they rest on and who imposed them; "geen" when it has none,
// "" when they are not known.
func restrictionsText(rs []restriction) string {
	if rs == nil {
		return ""
	}
	var out []string
	for _, r := range rs {
		out = append(out, joinNonEmpty(", ", r.Basis.text(), str(r.Authority)))
	}
	if len(out) == 0 {
		return "geen"
	}
	return strings.Join(out, "; ")
}

// people is a table of related persons, each linking to their card.
func (c *Console) people(v *values, caption, path, typeField string, ps []personRef, link func(string) string) table {
	var rows [][]value
	for _, p := range ps {
		rows = append(rows, []value{
			v.link("Naam", path+".name", "PersonName.fullName", p.name(), link(p.BSN)),
			v.val("Leeftijd", path+".age", "Person.age", ageText(p.Age)),
		})
	}
	return v.list(caption, path, typeField, []string{"Naam", "Leeftijd"}, rows, "Niemand.")
}

// allUnavailable reports whether nothing in the section could be shown.
func allUnavailable(s section) bool {
	for _, f := range s.Facts {
		if f.Unavailable == "" {
			return false
		}
	}
	for _, t := range s.Tables {
		if t.Whole == nil || t.Whole.Unavailable == "" {
			return false
		}
	}
	return true
}

func birthText(p *personCard) string {
	if p.Birth == nil {
		return ""
	}
	return p.Birth.Date.text()
}

func birthPlace(p *personCard) string {
	if p.Birth == nil {
		return ""
	}
	return joinNonEmpty(", ", p.Birth.Place.text(), p.Birth.Country.text())
}

func nationalities(p *personCard) string {
	var out []string
	for _, n := range p.Nationalities {
		if n.Nationality != nil {
			out = append(out, n.Nationality.text())
		} else {
			out = append(out, dutchOr(str(n.Kind)))
		}
	}
	return strings.Join(out, ", ")
}

func unit(p *int, u string) string {
	if p == nil {
		return ""
	}
	return u
}
