// Package all lists the connectors compiled into the hub. A partner
// integrator adding a registry connector adds one line here.
package all

import (
	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/connectors/uwv"
)

// Registrations returns the registrations of every compiled-in connector.
func Registrations() []connectors.Registration {
	return []connectors.Registration{
		brp.Registration(),
		nhr.Registration(),
		bag.Registration(),
		rdw.Registration(),
		uwv.Registration(),
	}
}

// Set returns the validated set of compiled-in connectors.
func Set() (*connectors.Set, error) { return connectors.NewSet(Registrations()...) }
