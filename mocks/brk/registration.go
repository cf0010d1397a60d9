package brk

import (
	"net/http"

	"github.com/poort-nl/poort/mocks"
	"github.com/poort-nl/poort/mocks/population"
)

// Registration describes the mock to the hub: the API below BasePath, as on
// api.brk.kadaster.nl, asking no API key.
func Registration() mocks.Registration {
	return mocks.Registration{Registry: "BRK", BasePath: BasePath, New: func(p *population.Population) http.Handler { return New(p) }}
}
