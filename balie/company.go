package balie

import (
	"net/http"
	"strings"
)

// companyCardAnswer is CompanyCard's answer.
type companyCardAnswer struct {
	Company *struct {
		KvKNumber                              string
		RSIN, Name, LegalForm, LegalFormDetail *string
		RegistrationDate, StartDate, EndDate   *string
		TradeNames                             []string
		Employees                              *int
		Activities                             []struct {
			Code        string
			Description *string
			Main        *bool
		}
		Branches []struct {
			BranchNumber       string
			Main               *bool
			TradeNames         []string
			VisitingAddress    *string
			FullTime, PartTime *int
			Address            *struct{ Parcels []addressParcel }
		}
		Functionaries []struct {
			Role, Since *string
			Person      *personRef
		}
		Vehicles []struct {
			LicencePlate                     string
			Kind, Make, TradeName, ApkExpiry *string
		}
		LifeEvents []lifeEventPicture
	}
	Cases   *caseEdges
	Lineage []lineageEntry
}

// companyCard shows the whole picture of one company.
func (c *Console) companyCard(w http.ResponseWriter, r *http.Request, s *session) {
	rf, ok := c.openRef(s, "bedrijf", r.PathValue("ref"))
	if !ok {
		c.renderError(w, r, s, http.StatusNotFound, "Onbekende verwijzing", "Deze link hoort niet bij je sessie. Zoek het bedrijf opnieuw.")
		return
	}
	var data companyCardAnswer
	res, err := c.execute(r.Context(), s, "CompanyCard", map[string]any{"kvkNumber": rf.ID}, &data)
	if err != nil || res.refused() {
		c.renderRefusal(w, r, s, res, err)
		return
	}
	co := data.Company
	if co == nil {
		c.searchFailed(w, r, s, "bedrijf", map[string]string{"bedrijf": rf.ID}, res)
		return
	}
	v := newValues(res, data.Lineage, s, c.advice)
	cp := cardPage{Heading: "Bedrijf", Sub: "KvK-nummer " + co.KvKNumber}
	if co.Name != nil {
		cp.Heading = *co.Name
	}

	reg := section{ID: "inschrijving", Title: "Inschrijving"}
	var acts []string
	for _, a := range co.Activities {
		acts = append(acts, joinNonEmpty(" ", a.Code, str(a.Description)))
	}
	reg.Facts = []value{
		v.val("Naam", "company.name", "Company.name", str(co.Name)),
		v.val("KvK-nummer", "company.kvkNumber", "Company.kvkNumber", co.KvKNumber),
		v.val("RSIN", "company.rsin", "Company.rsin", str(co.RSIN)),
		v.val("Handelsnamen", "company.tradeNames", "Company.tradeNames", strings.Join(co.TradeNames, ", ")),
		v.val("Rechtsvorm", "company.legalForm", "Company.legalForm", joinNonEmpty(" — ", str(co.LegalForm), str(co.LegalFormDetail))),
		v.val("Ingeschreven", "company.registrationDate", "Company.registrationDate", isoDateNL(co.RegistrationDate)),
		v.val("Gestart", "company.startDate", "Company.startDate", isoDateNL(co.StartDate)),
		v.val("Beëindigd", "company.endDate", "Company.endDate", isoDateNL(co.EndDate)),
		v.val("Werkzame personen", "company.employees", "Company.employees", num(co.Employees)),
		v.val("Activiteiten", "company.activities", "Company.activities", strings.Join(acts, "; ")),
	}
	cp.Sections = append(cp.Sections, reg)

	br := section{ID: "vestigingen", Title: "Vestigingen"}
	br.Unavailable = v.outages(map[string]string{"company.branches": "de vestigingen"})
	var bs [][]value
	for _, b := range co.Branches {
		bs = append(bs, []value{
			v.val("Vestigingsnummer", "company.branches.branchNumber", "Branch.branchNumber", b.BranchNumber),
			v.val("Hoofdvestiging", "company.branches.main", "Branch.main", boolNL(b.Main)),
			v.val("Bezoekadres", "company.branches.visitingAddress", "Branch.visitingAddress", str(b.VisitingAddress)),
			v.val("Voltijd", "company.branches.fullTime", "Branch.fullTime", num(b.FullTime)),
		})
	}
	br.Tables = []table{v.list("Vestigingen", "company.branches", "Company.branches", []string{"Vestigingsnummer", "Hoofdvestiging", "Bezoekadres", "Voltijd"}, bs, "Geen vestigingen.")}
	cp.Sections = append(cp.Sections, br)

	fn := section{ID: "functionarissen", Title: "Eigenaren en bestuurders"}
	fn.Unavailable = v.outages(map[string]string{"company.functionaries": "de functionarissen"})
	var fs [][]value
	for _, f := range co.Functionaries {
		who := v.val("Persoon", "company.functionaries.person", "CompanyRole.person", "")
		if f.Person != nil {
			who = v.link("Persoon", "company.functionaries.person", "CompanyRole.person", f.Person.name(), c.subjectLink(s, "PERSON", f.Person.BSN))
		}
		fs = append(fs, []value{who,
			v.val("Functie", "company.functionaries.role", "CompanyRole.role", str(f.Role)),
			v.val("Sinds", "company.functionaries.since", "CompanyRole.since", isoDateNL(f.Since))})
	}
	fn.Tables = []table{v.list("Functionarissen", "company.functionaries", "Company.functionaries", []string{"Persoon", "Functie", "Sinds"}, fs, "Geen functionarissen.")}
	cp.Sections = append(cp.Sections, fn)

	veh := section{ID: "voertuigen", Title: "Voertuigen"}
	veh.Unavailable = v.outages(map[string]string{"company.vehicles": "de voertuigen"})
	var vs [][]value
	for _, x := range co.Vehicles {
		vs = append(vs, []value{
			v.val("Kenteken", "company.vehicles.licencePlate", "Vehicle.licencePlate", x.LicencePlate),
			v.val("Voertuig", "company.vehicles.make", "Vehicle.make", joinNonEmpty(" ", str(x.Make), str(x.TradeName))),
			v.val("APK tot", "company.vehicles.apkExpiry", "Vehicle.apkExpiry", isoDateNL(x.ApkExpiry)),
		})
	}
	veh.Tables = []table{v.list("Voertuigen op naam", "company.vehicles", "Company.vehicles", []string{"Kenteken", "Voertuig", "APK tot"}, vs, "Geen voertuigen op naam.")}
	cp.Sections = append(cp.Sections, veh)

	// The premises: the parcels of the branches' addresses and who holds
	// them, so the card shows whether the company owns where it works.
	var premises []addressParcel
	for _, b := range co.Branches {
		if b.Address != nil {
			premises = append(premises, b.Address.Parcels...)
		}
	}
	re := parcelsSection("onroerend-goed", v, "company.branches.address.parcels", premises, func(bsn string) string { return c.subjectLink(s, "PERSON", bsn) })
	re.Title = "Panden van de vestigingen"
	cp.Sections = append(cp.Sections, re)
	for i := range cp.Sections {
		cp.Sections[i].AllUnavailable = len(cp.Sections[i].Unavailable) > 0 && allUnavailable(cp.Sections[i])
	}

	holder := &struct{ LifeEvents []lifeEventPicture }{LifeEvents: co.LifeEvents}
	cp.LifeEvents = c.lifeEventsView(s, "company", co.KvKNumber, c.sealRef(s, "bedrijf", co.KvKNumber, ""), r.URL.Path, holder, data.Cases, res, nil)
	c.render(w, r, s, http.StatusOK, "card", page{Title: cp.Heading, Nav: "zoeken", Data: cp})
}
