package graph

import (
	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/connectors/uwv"
	"github.com/poort-nl/poort/graph/model"
)

// This file maps BAG, NHR, RDW and UWV shapes to graph types.

func intPtr(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func (r *Resolver) address(a *bag.Address) *model.Address {
	m := &model.Address{
		ID: a.ID, Street: str(a.Street), HouseNumber: intPtr(a.HouseNumber), HouseLetter: str(a.HouseLetter),
		Addition: str(a.Addition), Postcode: str(a.Postcode), Place: str(a.Place),
		Refs: model.AddressRefs{ObjectID: a.ObjectID},
	}
	if len(a.ID) >= 4 {
		c := &model.CodeValue{Code: str(a.ID[:4])}
		if name, ok := r.municipality(a.ID[:4]); ok {
			c.Description = &name
		}
		m.Municipality = c
	}
	for _, l := range []string{a.Line5, a.Line6} {
		if l != "" {
			m.Lines = append(m.Lines, l)
		}
	}
	if o := a.Object; o != nil {
		m.ResidentialObject = &model.ResidentialObject{ID: o.ID, Kind: str(o.Kind), Surface: o.Surface, Uses: o.Uses, Status: str(o.Status)}
	}
	for _, b := range a.Buildings {
		m.Buildings = append(m.Buildings, &model.Building{ID: b.ID, YearBuilt: b.YearBuilt, Status: str(b.Status)})
	}
	return m
}

// activities maps the SBI activities of a company's registration or
// branch, about that company.
func activities(kvk string, as []nhr.Activity) []*model.Activity {
	out := make([]*model.Activity, 0, len(as))
	for _, a := range as {
		main := a.Main
		out = append(out, &model.Activity{Subject: model.CompanySubject(kvk), Code: a.Code, Description: str(a.Description), Main: &main})
	}
	return out
}

func company(c *nhr.Company) *model.Company {
	m := &model.Company{
		KvKNumber: c.KvKNumber, Rsin: str(c.RSIN), Name: str(c.Name), TradeNames: c.TradeNames,
		LegalForm: str(c.LegalForm), LegalFormDetail: str(c.LegalFormDetail), Activities: activities(c.KvKNumber, c.Activities),
		RegistrationDate: model.DatePtr(c.RegistrationDate), StartDate: model.DatePtr(c.StartDate),
		EndDate: model.DatePtr(c.EndDate), Employees: c.Employees,
	}
	if c.MainBranch != nil {
		m.MainBranch = branch(c.KvKNumber, c.MainBranch)
	}
	return m
}

// branch maps a branch of the company with the KvK number, which the
// branch's own profile may leave out where a registration embeds it.
func branch(kvk string, b *nhr.Branch) *model.Branch {
	if b.KvKNumber != "" {
		kvk = b.KvKNumber
	}
	main, commercial := b.Main, b.Commercial
	names := b.TradeNames
	if len(names) == 0 && b.FirstTradeName != "" {
		names = []string{b.FirstTradeName}
	}
	m := &model.Branch{
		Subject: model.CompanySubject(kvk), BranchNumber: b.Number, KvKNumber: str(b.KvKNumber), TradeNames: names, Main: &main,
		Commercial: &commercial, FullTime: b.FullTime, PartTime: b.PartTime,
		Activities: activities(kvk, b.Activities), RegistrationDate: model.DatePtr(b.RegistrationDate),
	}
	for _, a := range b.Addresses {
		if a.Kind == nhr.VisitingAddress || m.VisitingAddress == nil {
			m.VisitingAddress = str(a.FullAddress)
			m.Refs.AddressID = a.AddressID
		}
	}
	return m
}

// vehicle maps RDW open data of a vehicle. Looked up by its plate it is
// about no one; as a holder's vehicle it is about the holder (see vehicleHolder).
func vehicle(holder model.Subject, v *rdw.Vehicle) *model.Vehicle {
	return &model.Vehicle{
		Subject: holder, LicencePlate: v.Plate, Kind: str(v.Kind), Make: str(v.Make), TradeName: str(v.TradeName),
		Colour: str(v.Colour), Body: str(v.Body), Seats: v.Seats, FirstAdmission: model.DatePtr(v.FirstAdmission),
		RegisteredSince: model.DatePtr(v.RegisteredSince), ApkExpiry: model.DatePtr(v.APKExpiry),
		Insured: v.Insured, CatalogPrice: v.CatalogPrice, Fuels: v.Fuels,
	}
}

// drivingLicence maps a driving licence of the person with the BSN.
func drivingLicence(bsn string, l rdw.DrivingLicence, today model.Date) *model.DrivingLicence {
	valid := l.ExpiryDate != "" && string(today) <= l.ExpiryDate &&
		l.Status != rdw.LicenceWithdrawn && l.Status != rdw.LicenceInvalidated
	m := &model.DrivingLicence{
		Subject: model.PersonSubject(bsn), Number: l.Number, Issued: model.DatePtr(l.IssueDate), Expires: model.DatePtr(l.ExpiryDate),
		Status: str(string(l.Status)), Valid: &valid,
	}
	for _, c := range l.Categories {
		m.Categories = append(m.Categories, &model.LicenceCategory{Code: c.Code, Issued: model.DatePtr(c.IssueDate), Expires: model.DatePtr(c.ExpiryDate)})
	}
	return m
}

func uwvCode(c uwv.Code) *model.CodeValue {
	if c.Code == "" {
		return nil
	}
	return &model.CodeValue{Code: str(c.Code), Description: str(c.Description)}
}

// employment maps an income relation of the employee with the BSN.
func employment(bsn string, e uwv.Employment, today model.Date) *model.Employment {
	current := e.End == "" || string(today) <= e.End
	m := &model.Employment{
		Subject: model.PersonSubject(bsn), EmployerName: str(e.EmployerName), PayrollTaxNumber: str(e.PayrollTaxNumber),
		Start: model.DatePtr(e.Start), End: model.DatePtr(e.End), Current: &current,
		IncomeKind: uwvCode(e.IncomeKind), Relation: uwvCode(e.Relation), ContractType: uwvCode(e.ContractType),
		HoursPerWeek: e.HoursPerWeek,
	}
	ref := model.EmployerRef{RSIN: e.EmployerRSIN, Name: e.EmployerName}
	if a := e.EmployerAddress; a != nil {
		ref.Postcode, ref.HouseNumber = a.Postcode, a.HouseNumber
	}
	m.Refs.Employer = ref
	return m
}

// benefit maps a benefit of the person with the BSN.
func benefit(bsn string, b uwv.Benefit) *model.Benefit {
	return &model.Benefit{
		Subject: model.PersonSubject(bsn), Law: str(b.Law), FirstDayOfUnemployment: model.DatePtr(b.FirstDayUnemployed), Start: model.DatePtr(b.Start),
		End: model.DatePtr(b.End), MaximumEnd: model.DatePtr(b.MaxEnd), HoursLost: b.HoursLost, Reason: str(b.Reason),
	}
}

// vehicleHolder is whom a held vehicle is about: the person or organisation
// liable for it.
func vehicleHolder(h rdw.Holding) model.Subject {
	if h.HolderBSN != "" {
		return model.PersonSubject(h.HolderBSN)
	}
	return model.CompanySubject(h.HolderKvK)
}

// companyRole maps a functionary's role in the company with the KvK
// number. It is about the person; a functionary without a BSN (a legal
// entity) leaves it about the company.
func companyRole(kvk, bsn, role, since string) *model.CompanyRole {
	about := model.PersonSubject(bsn)
	if bsn == "" {
		about = model.CompanySubject(kvk)
	}
	return &model.CompanyRole{
		Subject: about, Role: str(role), Since: model.DatePtr(since),
		Refs: model.CompanyRoleRefs{KvKNumber: kvk, BSN: bsn},
	}
}
