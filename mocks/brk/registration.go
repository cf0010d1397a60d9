package brk

import "github.com/poort-nl/poort/mocks"

// Registration describes the mock to the hub: the API below BasePath, as on
// api.brk.kadaster.nl, requiring the API key when one is configured.
func Registration() mocks.Registration {
	return mocks.Registration{Registry: "BRK", BasePath: BasePath, New: New, RequireKey: RequireKey}
}
