package server

import (
	"fmt"

	"github.com/poort-nl/poort/mocks"
)

// exampleQuery is what the playground opens with: with the mocks, a real
// person of the population, so the first click shows data.
func exampleQuery(m *mocks.Set) string {
	bsn := "999993653"
	if m != nil {
		bsn = m.Population.Scenarios.Household
	}
	return fmt.Sprintf(`# The whole picture of a person across the registries.
query Person {
  person(bsn: "%s") {
    bsn
    name { fullName }
    birth { date { date } }
    address {
      street houseNumber postcode place
      residentialObject { surface uses }
      buildings { yearBuilt }
    }
    partners { kind { description } partner { name { fullName } } }
    children { name { givenNames } age }
    vehicles { licencePlate make tradeName apkExpiry }
    drivingLicences { expires valid }
    employments { employerName start end employer { kvkNumber name } }
    benefits { law start maximumEnd }
    companies { role company { name legalForm } }
  }
}
`, bsn)
}
