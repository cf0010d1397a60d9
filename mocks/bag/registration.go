package bag

import "github.com/poort-nl/poort/mocks"

// Registration describes the mock to the hub: the API below BasePath, as on
// api.bag.kadaster.nl.
func Registration() mocks.Registration {
	return mocks.Registration{Registry: "BAG", BasePath: BasePath, New: New, RequireKey: RequireKey}
}
