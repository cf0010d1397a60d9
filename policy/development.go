package policy

import (
	"fmt"
	"strings"

	"github.com/poort-nl/poort/lineage"
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
	base, err := LoadDefault(ix)
	if err != nil {
		return nil, err
	}
	src, err := embedded.ReadFile("default.yaml")
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	var b strings.Builder
	b.Write(src)
	// roles is the default file's last section, so the role appends to it.
	fmt.Fprintf(&b, "\n  %s:\n    description: Developer on the embedded default, seeing every purpose.\n    implicit: true\n    purposes:\n", DevelopmentRole)
	for _, p := range base.Purposes() {
		fmt.Fprintf(&b, "      - %s\n", p.Name)
	}
	return Parse(DefaultFile+" (development)", []byte(b.String()), ix)
}
