package policy

import (
	"fmt"

	"github.com/poort-nl/poort/internal/lineage"
)

// DevelopmentRole is the role of the embedded default's development
// token: every purpose of the default policy, so the playground shows the
// whole graph. It exists only in the policy LoadDevelopment returns, which
// the hub uses only with its local issuer, never with a real identity
// provider.
const DevelopmentRole = "ontwikkelaar"

// LoadDevelopment loads the embedded default policy with DevelopmentRole
// added.
func LoadDevelopment(ix *lineage.Index) (*Policy, error) {
	pol, err := LoadDefault(ix)
	if err != nil {
		return nil, err
	}
	if _, ok := pol.roles[DevelopmentRole]; ok {
		return nil, fmt.Errorf("policy %s: role %q is reserved for development", DefaultFile, DevelopmentRole)
	}
	// The role holds every purpose, so it is added to the compiled policy
	// rather than parsed: nothing about it needs validating.
	r := &compiledRole{
		Role: Role{
			Name:        DevelopmentRole,
			Description: "Developer on the embedded default, seeing every purpose.",
			Implicit:    true,
		},
		mask: newBitset(len(pol.purposes)),
	}
	for i, p := range pol.purposes {
		r.Purposes = append(r.Purposes, p.Name)
		r.mask.set(i)
	}
	pol.roles[DevelopmentRole] = r
	pol.file = DefaultFile + " (development)"
	return pol, nil
}
