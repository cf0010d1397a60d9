package balie

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// homePage is the search page, with the form that failed filled in again.
type homePage struct {
	Kind       string
	Values     map[string]string
	Error      string
	ErrorTitle string
}

func (c *Console) home(w http.ResponseWriter, r *http.Request, s *session) {
	c.render(w, r, s, http.StatusOK, "home", page{Title: "Zoeken", Nav: "zoeken", Data: homePage{Values: map[string]string{}}})
}

var kvkNumber = regexp.MustCompile(`^\d{8}$`)

// search takes a search form and sends the employee to the page that
// answers it. Keys travel sealed (see ref), never in the URL itself.
func (c *Console) search(w http.ResponseWriter, r *http.Request, s *session) {
	f := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	switch kind := r.PostFormValue("soort"); kind {
	case "bsn":
		http.Redirect(w, r, "/balie/persoon/"+c.sealRef(s, "persoon", strings.ReplaceAll(f("bsn"), " ", ""), ""), http.StatusSeeOther)
	case "naam":
		http.Redirect(w, r, "/balie/zoeken/"+c.sealRef(s, "zoek-naam", f("achternaam"), f("geboortedatum")), http.StatusSeeOther)
	case "adres":
		if _, err := strconv.Atoi(f("huisnummer")); err != nil {
			c.render(w, r, s, http.StatusUnprocessableEntity, "home", page{Title: "Zoeken", Nav: "zoeken", Data: homePage{
				Kind: "adres", Values: map[string]string{"postcode": f("postcode"), "huisnummer": f("huisnummer")},
				ErrorTitle: "Zoeken lukte niet", Error: "Het huisnummer is een getal, zoals 12; een letter of toevoeging hoort er niet bij.",
			}})
			return
		}
		http.Redirect(w, r, "/balie/zoeken/"+c.sealRef(s, "zoek-adres", f("postcode"), f("huisnummer")), http.StatusSeeOther)
	case "bedrijf":
		if q := f("bedrijf"); kvkNumber.MatchString(q) {
			http.Redirect(w, r, c.subjectLink(s, "COMPANY", q), http.StatusSeeOther)
		} else {
			http.Redirect(w, r, "/balie/zoeken/"+c.sealRef(s, "zoek-bedrijf", q, ""), http.StatusSeeOther)
		}
	default:
		c.renderError(w, r, s, http.StatusBadRequest, "Onbekende zoekvraag", "Kies een van de zoekformulieren.")
	}
}

// resultsPage lists what a search found.
type resultsPage struct {
	Persons   []personRow
	Addresses []addressResult
	Companies [][]value
	None      string
	Problems  []string
}

type personRow struct{ Name, Born, Age, Lives value }

type addressResult struct {
	ID, Line, Object              string
	Residents, Companies, Parcels section
}

// searchResults answers a search by surname and birth date, by address or
// by company name.
func (c *Console) searchResults(w http.ResponseWriter, r *http.Request, s *session) {
	sealed := r.PathValue("ref")
	if rf, ok := c.openRef(s, "zoek-naam", sealed); ok {
		c.personsByName(w, r, s, rf)
		return
	}
	if rf, ok := c.openRef(s, "zoek-adres", sealed); ok {
		c.addressSearch(w, r, s, rf)
		return
	}
	if rf, ok := c.openRef(s, "zoek-bedrijf", sealed); ok {
		c.companySearch(w, r, s, rf)
		return
	}
	c.renderError(w, r, s, http.StatusNotFound, "Onbekende verwijzing", "Deze zoekvraag hoort niet bij je sessie. Zoek opnieuw.")
}

func (c *Console) personsByName(w http.ResponseWriter, r *http.Request, s *session, rf ref) {
	form := map[string]string{"achternaam": rf.ID, "geboortedatum": rf.Extra}
	var out struct {
		SearchPersons []struct {
			BSN       string
			Name      *struct{ FullName *string }
			Birth     *struct{ Date *partialDate }
			Age       *int
			Residence *struct {
				Street, HouseLetter, Addition, Postcode, Place *string
				HouseNumber                                    *int
			}
		}
	}
	res, err := c.execute(r.Context(), s, "SearchPersons", map[string]any{"surname": rf.ID, "birthDate": rf.Extra}, &out)
	if err != nil || res.refused() && len(res.Errors) == 0 {
		c.renderRefusal(w, r, s, res, err)
		return
	}
	if _, failed := res.exactly("searchPersons"); failed || out.SearchPersons == nil {
		c.searchFailed(w, r, s, "naam", form, res)
		return
	}
	v := newValues(res, nil, s, c.advice)
	rp := resultsPage{}
	for _, p := range out.SearchPersons {
		path := "searchPersons"
		var born *partialDate
		if p.Birth != nil {
			born = p.Birth.Date
		}
		lives := ""
		if rs := p.Residence; rs != nil {
			lives = joinNonEmpty(", ", joinNonEmpty(" ", str(rs.Street), num(rs.HouseNumber)+str(rs.HouseLetter), str(rs.Addition)), joinNonEmpty(" ", str(rs.Postcode), str(rs.Place)))
		}
		name := p.BSN
		if p.Name != nil && p.Name.FullName != nil {
			name = *p.Name.FullName
		}
		rp.Persons = append(rp.Persons, personRow{
			Name:  v.link("Naam", path+".name", "PersonName.fullName", name, c.subjectLink(s, "PERSON", p.BSN)),
			Born:  v.val("Geboren", path+".birth", "Birth.date", born.text()),
			Age:   v.val("Leeftijd", path+".age", "Person.age", ageText(p.Age)),
			Lives: v.val("Woont", path+".residence", "Person.residence", lives),
		})
	}
	if len(rp.Persons) == 0 {
		rp.None = "Geen personen gevonden met deze achternaam en geboortedatum."
	}
	c.render(w, r, s, http.StatusOK, "results", page{Title: "Personen met achternaam " + rf.ID, Nav: "zoeken", Data: rp})
}

func (c *Console) addressSearch(w http.ResponseWriter, r *http.Request, s *session, rf ref) {
	form := map[string]string{"postcode": rf.ID, "huisnummer": rf.Extra}
	n, _ := strconv.Atoi(rf.Extra) // checked before it was sealed
	var out struct {
		Addresses []struct {
			ID                                             string
			Street, HouseLetter, Addition, Postcode, Place *string
			HouseNumber                                    *int
			ResidentialObject                              *struct {
				Kind    *string
				Surface *int
				Uses    []string
			}
			Buildings []struct{ YearBuilt *int }
			Residents []personRef
			Companies []struct {
				KvKNumber       string
				Name, LegalForm *string
			}
			Parcels []addressParcel
		}
		Lineage []lineageEntry
	}
	res, err := c.execute(r.Context(), s, "SearchAddress", map[string]any{"postcode": rf.ID, "houseNumber": n}, &out)
	if err != nil || res.refused() && len(res.Errors) == 0 {
		c.renderRefusal(w, r, s, res, err)
		return
	}
	if _, failed := res.exactly("addresses"); failed || out.Addresses == nil {
		c.searchFailed(w, r, s, "adres", form, res)
		return
	}
	v := newValues(res, out.Lineage, s, c.advice)
	personLink := func(bsn string) string { return c.subjectLink(s, "PERSON", bsn) }
	rp := resultsPage{}
	for _, a := range out.Addresses {
		ar := addressResult{ID: a.ID,
			Line: joinNonEmpty(", ", joinNonEmpty(" ", str(a.Street), num(a.HouseNumber)+str(a.HouseLetter), str(a.Addition)), joinNonEmpty(" ", str(a.Postcode), str(a.Place)))}
		if o := a.ResidentialObject; o != nil {
			ar.Object = joinNonEmpty(", ", str(o.Kind), joinNonEmpty(" ", num(o.Surface), unit(o.Surface, "m²")), strings.Join(o.Uses, ", "))
		}
		ar.Residents = section{ID: "bewoners-" + a.ID, Title: "Bewoners",
			Unavailable: v.outages(map[string]string{"addresses.residents": "de bewoners"}),
			Tables:      []table{c.people(v, "Ingeschreven personen", "addresses.residents", "Address.residents", a.Residents, personLink)}}
		var cs [][]value
		for _, co := range a.Companies {
			cs = append(cs, []value{
				v.link("Naam", "addresses.companies.name", "Company.name", joinNonEmpty("", str(co.Name)), c.subjectLink(s, "COMPANY", co.KvKNumber)),
				v.val("Rechtsvorm", "addresses.companies.legalForm", "Company.legalForm", str(co.LegalForm)),
			})
		}
		ar.Companies = section{ID: "bedrijven-" + a.ID, Title: "Bedrijven",
			Unavailable: v.outages(map[string]string{"addresses.companies": "de bedrijven"}),
			Tables:      []table{v.list("Bedrijven met een vestiging op dit adres", "addresses.companies", "Address.companies", []string{"Naam", "Rechtsvorm"}, cs, "Geen bedrijven.")}}
		ar.Parcels = parcelsSection("kadaster-"+a.ID, v, "addresses.parcels", a.Parcels, personLink)
		rp.Addresses = append(rp.Addresses, ar)
	}
	if len(rp.Addresses) == 0 {
		rp.None = "Geen adres gevonden met deze postcode en dit huisnummer."
	}
	c.render(w, r, s, http.StatusOK, "results", page{Title: "Adres " + rf.ID + " " + rf.Extra, Nav: "zoeken", Data: rp})
}

func (c *Console) companySearch(w http.ResponseWriter, r *http.Request, s *session, rf ref) {
	var out struct {
		SearchCompanies *connection[struct {
			KvKNumber                string
			BranchNumber, Name, Type *string
			Place                    *string
		}]
	}
	res, err := c.execute(r.Context(), s, "SearchCompanies", map[string]any{"name": rf.ID}, &out)
	if err != nil || res.refused() && len(res.Errors) == 0 {
		c.renderRefusal(w, r, s, res, err)
		return
	}
	if _, failed := res.exactly("searchCompanies"); failed || out.SearchCompanies == nil {
		c.searchFailed(w, r, s, "bedrijf", map[string]string{"bedrijf": rf.ID}, res)
		return
	}
	v := newValues(res, nil, s, c.advice)
	rp := resultsPage{}
	for _, co := range out.SearchCompanies.nodes() {
		rp.Companies = append(rp.Companies, []value{
			v.link("Naam", "searchCompanies.edges.node.name", "CompanySearchHit.name", joinNonEmpty("", str(co.Name), co.KvKNumber), c.subjectLink(s, "COMPANY", co.KvKNumber)),
			v.val("KvK-nummer", "searchCompanies.edges.node.kvkNumber", "CompanySearchHit.kvkNumber", co.KvKNumber),
			v.val("Soort", "searchCompanies.edges.node.type", "CompanySearchHit.type", dutchOr(str(co.Type))),
			v.val("Plaats", "searchCompanies.edges.node.place", "CompanySearchHit.place", str(co.Place)),
		})
	}
	if len(rp.Companies) == 0 {
		rp.None = "Geen bedrijven gevonden met deze naam."
	}
	c.render(w, r, s, http.StatusOK, "results", page{Title: "Bedrijven met “" + rf.ID + "”", Nav: "zoeken", Data: rp})
}

// searchFailed shows the search page again with the graph's own message
// at the form that asked.
func (c *Console) searchFailed(w http.ResponseWriter, r *http.Request, s *session, kind string, form map[string]string, res *result) {
	hp := homePage{Kind: kind, Values: form, ErrorTitle: "Zoeken lukte niet", Error: "De hub gaf geen antwoord."}
	status := http.StatusBadGateway
	if len(res.Errors) > 0 {
		e := res.Errors[0]
		hp.Error = e.Message
		switch code := e.code(); {
		case code == "BAD_USER_INPUT":
			status, hp.ErrorTitle = http.StatusUnprocessableEntity, "Ongeldige invoer"
		case code == "NOT_FOUND":
			status, hp.ErrorTitle = http.StatusNotFound, "Niet gevonden"
		case code == "FORBIDDEN":
			status, hp.ErrorTitle = http.StatusForbidden, "Niet toegestaan voor doel "+s.Purpose
		case strings.HasPrefix(code, "UPSTREAM_"):
			hp.ErrorTitle = e.registry() + " niet beschikbaar (" + code + ")"
		}
	}
	c.render(w, r, s, status, "home", page{Title: "Zoeken", Nav: "zoeken", Data: hp})
}

// addressParcel is a parcel found at an address, with its rights holders
// and restrictions.
type addressParcel struct {
	Kind, Designation *string
	Monument          *bool
	RightsHolders     []struct{ Kind, Share, HolderName, BSN *string }
	Restrictions      []restriction
}

// parcelsSection shows parcels found at addresses (BRK), at path: whether a
// restriction protects them as a monument, and who holds which right.
func parcelsSection(id string, v *values, path string, ps []addressParcel, personLink func(string) string) section {
	var parcels, rights [][]value
	for _, pc := range ps {
		parcels = append(parcels, []value{
			v.val("Perceel", path+".designation", "Parcel.designation", str(pc.Designation)),
			v.val("Soort", path+".kind", "Parcel.kind", nlParcelKind(pc.Kind)),
			v.val("Monument", path+".monument", "Parcel.monument", boolNL(pc.Monument)),
			v.val("Beperkingen", path+".restrictions", "Parcel.restrictions", restrictionsText(pc.Restrictions)),
		})
		for _, h := range pc.RightsHolders {
			holder := v.val("Rechthebbende", path+".rightsHolders.holderName", "RealEstateRight.holderName", str(h.HolderName))
			if h.BSN != nil {
				holder = v.link("Rechthebbende", path+".rightsHolders.holderName", "RealEstateRight.holderName", str(h.HolderName), personLink(*h.BSN))
			}
			rights = append(rights, []value{
				v.val("Perceel", path+".designation", "Parcel.designation", str(pc.Designation)),
				holder,
				v.val("Recht", path+".rightsHolders.kind", "RealEstateRight.kind", str(h.Kind)),
				v.val("Aandeel", path+".rightsHolders.share", "RealEstateRight.share", str(h.Share)),
			})
		}
	}
	return section{ID: id, Title: "Kadaster", Unavailable: v.outages(map[string]string{path: "de percelen en rechthebbenden"}),
		Tables: []table{
			v.list("Percelen en appartementsrechten", path, "Address.parcels", []string{"Perceel", "Soort", "Monument", "Beperkingen"}, parcels, "Geen perceel geregistreerd."),
			v.list("Rechthebbenden", path+".rightsHolders", "Parcel.rightsHolders", []string{"Perceel", "Rechthebbende", "Recht", "Aandeel"}, rights, "Geen rechthebbenden."),
		}}
}
