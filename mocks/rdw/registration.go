package rdw

import "github.com/poort-nl/poort/mocks"

// Registration describes the mock to the hub: the open data datasets at the
// server root, as on opendata.rdw.nl, and the holder contract below
// DossierBasePath (the connector's DOSSIER_URL): a contract of our own,
// as RDW open data has no holders or licences.
func Registration() mocks.Registration {
	return mocks.Registration{
		Registry: "RDW", BasePath: "", New: New,
		Settings: map[string]string{"DOSSIER_URL": DossierBasePath},
	}
}
