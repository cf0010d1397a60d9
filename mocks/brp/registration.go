package brp

import "github.com/poort-nl/poort/mocks"

// Registration describes the mock to the hub: the Haal Centraal APIs below
// /haalcentraal/api, the BRP API at its brp base.
func Registration() mocks.Registration {
	return mocks.Registration{Registry: "BRP", BasePath: "/haalcentraal/api/brp", New: New, RequireKey: RequireKey}
}
