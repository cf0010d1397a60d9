package graph

import (
	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/graph/model"
)

// The schema's enums for values a registry gives, by the registry's
// value. A registry may add a value before the schema knows it: such a
// value answers null, as each field's description says, rather than a
// value clients cannot match (enumOf is for the hub's own values, whose
// every value the schema names).
var (
	searchHitTypes = map[nhr.ResultType]model.CompanySearchHitType{
		nhr.MainBranchResult:  model.CompanySearchHitTypeMainBranch,
		nhr.SideBranchResult:  model.CompanySearchHitTypeSideBranch,
		nhr.LegalEntityResult: model.CompanySearchHitTypeLegalEntity,
	}
	nationalityKinds = map[string]model.NationalityKind{
		"Nationaliteit":              model.NationalityKindNationality,
		"BehandeldAlsNederlander":    model.NationalityKindTreatedAsDutch,
		"VastgesteldNietNederlander": model.NationalityKindEstablishedNotDutch,
		"Staatloos":                  model.NationalityKindStateless,
		"NationaliteitOnbekend":      model.NationalityKindUnknown,
	}
	residentialObjectKinds = map[string]model.ResidentialObjectKind{
		bag.KindResidentialObject: model.ResidentialObjectKindUnit,
		bag.KindBerth:             model.ResidentialObjectKindBerth,
		bag.KindPitch:             model.ResidentialObjectKindPitch,
	}
	licenceStatuses = map[rdw.LicenceStatus]model.LicenceStatus{
		rdw.LicenceValid:       model.LicenceStatusValid,
		rdw.LicenceExpired:     model.LicenceStatusExpired,
		rdw.LicenceWithdrawn:   model.LicenceStatusWithdrawn,
		rdw.LicenceInvalidated: model.LicenceStatusInvalidated,
	}
)

// registryEnum returns the enum value of a registry's value, or nil for a
// value the table does not know (an empty one included).
func registryEnum[K comparable, E any](table map[K]E, v K) *E {
	e, ok := table[v]
	if !ok {
		return nil
	}
	return &e
}
