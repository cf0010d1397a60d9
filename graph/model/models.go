// Package model holds the Go types of the graph. Types written by hand here
// carry, besides their fields, the references their resolvers follow to
// other registries; gqlgen generates the rest into models_gen.go.
package model

import "github.com/google/uuid"

// Person is a person in the graph. Its BRP fields come from one BRP record;
// relations to other records and registries are resolved on demand.
type Person struct {
	BSN           string
	ANumber       *string
	Name          *PersonName
	Gender        *CodeValue
	Birth         *Birth
	Death         *Death
	Age           *int
	Nationalities []*Nationality
	Municipality  *CodeValue
	Residence     *Residence
	Secret        *bool
	Curatele      *bool

	Refs PersonRefs
}

// PersonRefs are the keys a person's relations are resolved by.
type PersonRefs struct {
	// Unavailable is the BRP error when the person's record could not be
	// fetched; the person then carries only its BSN, and the error has
	// been reported on each BRP field asked.
	Unavailable error
	Parents     []string
	Children    []string
	Partners    []*Partnership
	AddressID   string
	ObjectID    string
}

// Partnership is a marriage or registered partnership, as the record of
// the person it belongs to holds it.
type Partnership struct {
	Subject
	PartnerBSN string
	Kind       *CodeValue
	Started    *PartialDate
	Ended      *PartialDate
}

// Address is a BAG address.
type Address struct {
	ID                string
	Street            *string
	HouseNumber       *int
	HouseLetter       *string
	Addition          *string
	Postcode          *string
	Place             *string
	Municipality      *CodeValue
	Lines             []string
	ResidentialObject *ResidentialObject
	Buildings         []*Building

	Refs AddressRefs
}

// AddressRefs are the keys an address's relations are resolved by.
type AddressRefs struct {
	// Unavailable is the BAG error when the address could not be fetched.
	Unavailable error
	ObjectID    string
}

// Company is a registration in the Handelsregister.
type Company struct {
	KvKNumber        string
	Rsin             *string
	Name             *string
	TradeNames       []string
	LegalForm        *string
	LegalFormDetail  *string
	Activities       []*Activity
	RegistrationDate *Date
	StartDate        *Date
	EndDate          *Date
	Employees        *int
	MainBranch       *Branch

	Refs CompanyRefs
}

// CompanyRefs are the keys a company's relations are resolved by.
type CompanyRefs struct {
	// Unavailable is the NHR error when the company could not be fetched.
	Unavailable error
}

// Branch is a vestiging of a company, about that company.
type Branch struct {
	Subject
	BranchNumber     string
	KvKNumber        *string
	TradeNames       []string
	Main             *bool
	Commercial       *bool
	FullTime         *int
	PartTime         *int
	Activities       []*Activity
	RegistrationDate *Date
	VisitingAddress  *string

	Refs BranchRefs
}

// BranchRefs are the keys a branch's relations are resolved by.
type BranchRefs struct {
	AddressID string
}

// CompanyRole is a person's role in a company, about that person.
type CompanyRole struct {
	Subject
	Role  *string
	Since *Date

	Refs CompanyRoleRefs
}

// CompanyRoleRefs are the keys of a role's company and person.
type CompanyRoleRefs struct {
	KvKNumber string
	BSN       string
}

// Employment is an income relation in the UWV polisadministratie, about
// the employee.
type Employment struct {
	Subject
	EmployerName     *string
	PayrollTaxNumber *string
	Start            *Date
	End              *Date
	Current          *bool
	IncomeKind       *CodeValue
	Relation         *CodeValue
	ContractType     *CodeValue
	HoursPerWeek     *float64

	Refs EmploymentRefs
}

// EmploymentRefs hold how the employer is found in the Handelsregister.
type EmploymentRefs struct {
	Employer EmployerRef
}

// EmployerRef is an employer as UWV names it: a legal entity by its RSIN,
// a natural person's business by its name and address (nhr.Registrant).
type EmployerRef struct {
	RSIN        string
	Name        string
	Postcode    string
	HouseNumber int
}

// DataSubject says a person's record is about the person.
func (p *Person) DataSubject() (DataSubjectType, string, bool) {
	return PersonSubject(p.BSN).DataSubject()
}

// DataSubject says a company's registration is about the company.
func (c *Company) DataSubject() (DataSubjectType, string, bool) {
	return CompanySubject(c.KvKNumber).DataSubject()
}

// IsEntity marks Person as an Apollo Federation entity.
func (Person) IsEntity() {}

// IsEntity marks Address as an Apollo Federation entity.
func (Address) IsEntity() {}

// IsEntity marks Company as an Apollo Federation entity.
func (Company) IsEntity() {}

// ScaleCheck is the business case run for every municipality.
type ScaleCheck struct {
	Answers        []*ScaleAnswer
	National       *NationalFrontOffice
	Classes        []*SizeClassOutcome
	Total          *SizeClassOutcome
	SmallestAlone  *MunicipalOutcome
	SmallestShared *MunicipalOutcome
	ChartURL       string

	// Outcomes are every municipality's outcomes, smallest first; the
	// municipalities field filters them.
	Outcomes []*MunicipalOutcome
}

// Case is a case: the processes of one life event for one subject. Its
// tasks, timeline, handovers and messages are resolved on demand.
type Case struct {
	// ID is the case's global id; Key its id in the store, which its
	// relations are looked up by.
	ID          string
	Key         uuid.UUID
	LifeEvent   *LifeEvent
	SubjectKind SubjectKind
	SubjectID   string
	Channel     Channel
	Status      CaseStatus
	CreatedBy   string
	CreatedAt   string
	UpdatedAt   string
	Version     int
	Role        string
}

// LifeEventAnchor is whom or what a life event happens to. Its person,
// company or address is loaded by key when a client asks for it, so the
// disclosure is recorded as for any other look-up.
type LifeEventAnchor struct {
	Kind SubjectKind
	// ID is the anchor's key: a BSN, KvK number or BAG nummeraanduiding
	// identification. The schema does not show it: the anchor's own key
	// field, loaded with its record, does.
	ID string
}

// IsNode marks a case as a Relay node.
func (Case) IsNode() {}
