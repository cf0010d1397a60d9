package nhr

import "github.com/poort-nl/poort/mocks"

// Registration describes the mock to the hub: the KvK APIs below /api, as
// on api.kvk.nl.
func Registration() mocks.Registration {
	return mocks.Registration{Registry: "NHR", BasePath: "/api", New: New}
}
