package registrytest

import (
	"context"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/brk"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/connectors/uwv"
)

// BRP fakes brp.API.
type BRP struct {
	Base
	PersonsByBSNFunc             func(ctx context.Context, bsns, fields []string) (map[string]*brp.Person, error)
	SearchByNameAndBirthDateFunc func(ctx context.Context, surname, birthDate string, opts ...brp.SearchOption) ([]*brp.Person, error)
	SearchByObjectFunc           func(ctx context.Context, objectID string, opts ...brp.SearchOption) ([]*brp.Person, error)
	TravelDocumentsFunc          func(ctx context.Context, bsn string, fields []string) ([]brp.TravelDocument, error)
}

func (*BRP) Registry() connectors.Registry         { return brp.Registry }
func (*BRP) Registration() connectors.Registration { return brp.Registration() }
func (f *BRP) PersonsByBSN(ctx context.Context, bsns, fields []string) (map[string]*brp.Person, error) {
	if f.PersonsByBSNFunc == nil {
		return nil, Unset(brp.Registry, "PersonsByBSN")
	}
	return f.PersonsByBSNFunc(ctx, bsns, fields)
}
func (f *BRP) SearchByNameAndBirthDate(ctx context.Context, surname, birthDate string, opts ...brp.SearchOption) ([]*brp.Person, error) {
	if f.SearchByNameAndBirthDateFunc == nil {
		return nil, Unset(brp.Registry, "SearchByNameAndBirthDate")
	}
	return f.SearchByNameAndBirthDateFunc(ctx, surname, birthDate, opts...)
}
func (f *BRP) SearchByObject(ctx context.Context, objectID string, opts ...brp.SearchOption) ([]*brp.Person, error) {
	if f.SearchByObjectFunc == nil {
		return nil, Unset(brp.Registry, "SearchByObject")
	}
	return f.SearchByObjectFunc(ctx, objectID, opts...)
}
func (f *BRP) TravelDocuments(ctx context.Context, bsn string, fields []string) ([]brp.TravelDocument, error) {
	if f.TravelDocumentsFunc == nil {
		return nil, Unset(brp.Registry, "TravelDocuments")
	}
	return f.TravelDocumentsFunc(ctx, bsn, fields)
}

// NHR fakes nhr.API.
type NHR struct {
	Base
	CompanyFunc       func(ctx context.Context, kvk string) (*nhr.Company, error)
	BranchesFunc      func(ctx context.Context, kvk string) ([]nhr.BranchSummary, error)
	BranchFunc        func(ctx context.Context, number string) (*nhr.Branch, error)
	SearchFunc        func(ctx context.Context, q nhr.SearchQuery) (*nhr.SearchPage, error)
	FunctionariesFunc func(ctx context.Context, kvk string) ([]nhr.Functionary, error)
	RolesOfPersonFunc func(ctx context.Context, bsn string) ([]nhr.Role, error)
}

func (*NHR) Registry() connectors.Registry         { return nhr.Registry }
func (*NHR) Registration() connectors.Registration { return nhr.Registration() }
func (f *NHR) Company(ctx context.Context, kvk string) (*nhr.Company, error) {
	if f.CompanyFunc == nil {
		return nil, Unset(nhr.Registry, "Company")
	}
	return f.CompanyFunc(ctx, kvk)
}
func (f *NHR) Branches(ctx context.Context, kvk string) ([]nhr.BranchSummary, error) {
	if f.BranchesFunc == nil {
		return nil, Unset(nhr.Registry, "Branches")
	}
	return f.BranchesFunc(ctx, kvk)
}
func (f *NHR) Branch(ctx context.Context, number string) (*nhr.Branch, error) {
	if f.BranchFunc == nil {
		return nil, Unset(nhr.Registry, "Branch")
	}
	return f.BranchFunc(ctx, number)
}
func (f *NHR) Search(ctx context.Context, q nhr.SearchQuery) (*nhr.SearchPage, error) {
	if f.SearchFunc == nil {
		return nil, Unset(nhr.Registry, "Search")
	}
	return f.SearchFunc(ctx, q)
}
func (f *NHR) Functionaries(ctx context.Context, kvk string) ([]nhr.Functionary, error) {
	if f.FunctionariesFunc == nil {
		return nil, Unset(nhr.Registry, "Functionaries")
	}
	return f.FunctionariesFunc(ctx, kvk)
}
func (f *NHR) RolesOfPerson(ctx context.Context, bsn string) ([]nhr.Role, error) {
	if f.RolesOfPersonFunc == nil {
		return nil, Unset(nhr.Registry, "RolesOfPerson")
	}
	return f.RolesOfPersonFunc(ctx, bsn)
}

// BAG fakes bag.API.
type BAG struct {
	Base
	AddressesFunc           func(ctx context.Context, ids []string, expand bool) (map[string]*bag.Address, error)
	AddressesByPostcodeFunc func(ctx context.Context, postcode string, number int, letter, addition string) ([]bag.Address, error)
}

func (*BAG) Registry() connectors.Registry         { return bag.Registry }
func (*BAG) Registration() connectors.Registration { return bag.Registration() }
func (f *BAG) Addresses(ctx context.Context, ids []string, expand bool) (map[string]*bag.Address, error) {
	if f.AddressesFunc == nil {
		return nil, Unset(bag.Registry, "Addresses")
	}
	return f.AddressesFunc(ctx, ids, expand)
}
func (f *BAG) AddressesByPostcode(ctx context.Context, postcode string, number int, letter, addition string) ([]bag.Address, error) {
	if f.AddressesByPostcodeFunc == nil {
		return nil, Unset(bag.Registry, "AddressesByPostcode")
	}
	return f.AddressesByPostcodeFunc(ctx, postcode, number, letter, addition)
}

// RDW fakes rdw.API.
type RDW struct {
	Base
	VehiclesByPlateFunc func(ctx context.Context, plates []string, opts ...rdw.VehicleOption) (map[string]*rdw.Vehicle, error)
	HoldingsByBSNFunc   func(ctx context.Context, bsns []string) (map[string][]rdw.Holding, error)
	HoldingsByKvKFunc   func(ctx context.Context, kvks []string) (map[string][]rdw.Holding, error)
	DrivingLicencesFunc func(ctx context.Context, bsns []string) (map[string][]rdw.DrivingLicence, error)
}

func (*RDW) Registry() connectors.Registry         { return rdw.Registry }
func (*RDW) Registration() connectors.Registration { return rdw.Registration() }
func (f *RDW) VehiclesByPlate(ctx context.Context, plates []string, opts ...rdw.VehicleOption) (map[string]*rdw.Vehicle, error) {
	if f.VehiclesByPlateFunc == nil {
		return nil, Unset(rdw.Registry, "VehiclesByPlate")
	}
	return f.VehiclesByPlateFunc(ctx, plates, opts...)
}
func (f *RDW) HoldingsByBSN(ctx context.Context, bsns []string) (map[string][]rdw.Holding, error) {
	if f.HoldingsByBSNFunc == nil {
		return nil, Unset(rdw.Registry, "HoldingsByBSN")
	}
	return f.HoldingsByBSNFunc(ctx, bsns)
}
func (f *RDW) HoldingsByKvK(ctx context.Context, kvks []string) (map[string][]rdw.Holding, error) {
	if f.HoldingsByKvKFunc == nil {
		return nil, Unset(rdw.Registry, "HoldingsByKvK")
	}
	return f.HoldingsByKvKFunc(ctx, kvks)
}
func (f *RDW) DrivingLicences(ctx context.Context, bsns []string) (map[string][]rdw.DrivingLicence, error) {
	if f.DrivingLicencesFunc == nil {
		return nil, Unset(rdw.Registry, "DrivingLicences")
	}
	return f.DrivingLicencesFunc(ctx, bsns)
}

// UWV fakes uwv.API.
type UWV struct {
	Base
	EmploymentsFunc func(ctx context.Context, bsns []string) (map[string][]uwv.Employment, error)
	BenefitsFunc    func(ctx context.Context, bsns []string) (map[string][]uwv.Benefit, error)
}

func (*UWV) Registry() connectors.Registry         { return uwv.Registry }
func (*UWV) Registration() connectors.Registration { return uwv.Registration() }
func (f *UWV) Employments(ctx context.Context, bsns []string) (map[string][]uwv.Employment, error) {
	if f.EmploymentsFunc == nil {
		return nil, Unset(uwv.Registry, "Employments")
	}
	return f.EmploymentsFunc(ctx, bsns)
}
func (f *UWV) Benefits(ctx context.Context, bsns []string) (map[string][]uwv.Benefit, error) {
	if f.BenefitsFunc == nil {
		return nil, Unset(uwv.Registry, "Benefits")
	}
	return f.BenefitsFunc(ctx, bsns)
}

// BRK fakes brk.API.
type BRK struct {
	Base
	ParcelsAtFunc    func(ctx context.Context, addressID string) ([]brk.Parcel, error)
	RightsFunc       func(ctx context.Context, parcelID string) ([]brk.Right, error)
	HoldingsOfFunc   func(ctx context.Context, bsn string) ([]brk.Holding, error)
	RestrictionsFunc func(ctx context.Context, parcelID string) ([]brk.Restriction, error)
}

func (*BRK) Registry() connectors.Registry         { return brk.Registry }
func (*BRK) Registration() connectors.Registration { return brk.Registration() }
func (f *BRK) ParcelsAt(ctx context.Context, addressID string) ([]brk.Parcel, error) {
	if f.ParcelsAtFunc == nil {
		return nil, Unset(brk.Registry, "ParcelsAt")
	}
	return f.ParcelsAtFunc(ctx, addressID)
}
func (f *BRK) Rights(ctx context.Context, parcelID string) ([]brk.Right, error) {
	if f.RightsFunc == nil {
		return nil, Unset(brk.Registry, "Rights")
	}
	return f.RightsFunc(ctx, parcelID)
}
func (f *BRK) HoldingsOf(ctx context.Context, bsn string) ([]brk.Holding, error) {
	if f.HoldingsOfFunc == nil {
		return nil, Unset(brk.Registry, "HoldingsOf")
	}
	return f.HoldingsOfFunc(ctx, bsn)
}
func (f *BRK) Restrictions(ctx context.Context, parcelID string) ([]brk.Restriction, error) {
	if f.RestrictionsFunc == nil {
		return nil, Unset(brk.Registry, "Restrictions")
	}
	return f.RestrictionsFunc(ctx, parcelID)
}

var (
	_ brp.API = (*BRP)(nil)
	_ nhr.API = (*NHR)(nil)
	_ bag.API = (*BAG)(nil)
	_ rdw.API = (*RDW)(nil)
	_ uwv.API = (*UWV)(nil)
	_ brk.API = (*BRK)(nil)
	_ Fake    = (*BRP)(nil)
	_ Fake    = (*NHR)(nil)
	_ Fake    = (*BAG)(nil)
	_ Fake    = (*RDW)(nil)
	_ Fake    = (*UWV)(nil)
	_ Fake    = (*BRK)(nil)
)
