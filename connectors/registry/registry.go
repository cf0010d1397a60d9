// Package registry declares what the hub asks of each base registry: one
// interface per registry, in the connectors' own types. The graph resolves
// with them and resilience wraps them (in a cache), so both take them from
// here rather than from each other. The package knows nothing of GraphQL.
//
// The connectors in connectors/brp, connectors/nhr, connectors/bag,
// connectors/rdw and connectors/uwv implement them; the guards at the end
// of this file keep it so.
package registry

import (
	"context"

	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/connectors/uwv"
)

// Persons is what the hub asks of the BRP.
type Persons interface {
	PersonsByBSN(ctx context.Context, bsns, fields []string) (map[string]*brp.Person, error)
	SearchByNameAndBirthDate(ctx context.Context, surname, birthDate string, opts ...brp.SearchOption) ([]*brp.Person, error)
	SearchByObject(ctx context.Context, objectID string, opts ...brp.SearchOption) ([]*brp.Person, error)
	TravelDocuments(ctx context.Context, bsn string, fields []string) ([]brp.TravelDocument, error)
}

// Companies is what the hub asks of the Handelsregister.
type Companies interface {
	Company(ctx context.Context, kvk string) (*nhr.Company, error)
	Branches(ctx context.Context, kvk string) ([]nhr.BranchSummary, error)
	Branch(ctx context.Context, number string) (*nhr.Branch, error)
	Search(ctx context.Context, q nhr.SearchQuery) (*nhr.SearchPage, error)
	Functionaries(ctx context.Context, kvk string) ([]nhr.Functionary, error)
	RolesOfPerson(ctx context.Context, bsn string) ([]nhr.Role, error)
}

// Addresses is what the hub asks of the BAG.
type Addresses interface {
	Addresses(ctx context.Context, ids []string, expand bool) (map[string]*bag.Address, error)
	AddressesByPostcode(ctx context.Context, postcode string, number int, letter, addition string) ([]bag.Address, error)
}

// Vehicles is what the hub asks of the RDW.
type Vehicles interface {
	VehiclesByPlate(ctx context.Context, plates []string, opts ...rdw.VehicleOption) (map[string]*rdw.Vehicle, error)
	HoldingsByBSN(ctx context.Context, bsns []string) (map[string][]rdw.Holding, error)
	HoldingsByKvK(ctx context.Context, kvks []string) (map[string][]rdw.Holding, error)
	DrivingLicences(ctx context.Context, bsns []string) (map[string][]rdw.DrivingLicence, error)
}

// Employments is what the hub asks of UWV.
type Employments interface {
	Employments(ctx context.Context, bsns []string) (map[string][]uwv.Employment, error)
	Benefits(ctx context.Context, bsns []string) (map[string][]uwv.Benefit, error)
}

var (
	_ Persons     = (*brp.Client)(nil)
	_ Companies   = (*nhr.Client)(nil)
	_ Addresses   = (*bag.Client)(nil)
	_ Vehicles    = (*rdw.Client)(nil)
	_ Employments = (*uwv.Client)(nil)
)
