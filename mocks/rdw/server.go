package rdw

import (
	_ "embed"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"

	"github.com/poort-nl/poort/mocks/population"
)

// DossierBasePath is where the vehicle-holder and driving-licence
// contract is served.
const DossierBasePath = "/rdw/v1"

// APIVersion is the version of the dossier contract, sent in the
// API-Version header of every dossier answer (API design rule
// /core/version-header).
const APIVersion = "1.0.0"

//go:embed rdw-dossier.openapi.yaml
var openAPIYAML []byte

// server answers from one population. It holds nothing that changes after
// New, so one server serves any number of goroutines.
type server struct {
	pop *population.Population
	// ref is the population's reference date, "today" for validity.
	ref      population.Date
	datasets map[string]*dataset

	oasOnce sync.Once
	oasJSON []byte
	oasErr  error
}

// New returns the RDW mock: the open data datasets "Gekentekende
// voertuigen" (m9d7-ebf2) and "Gekentekende voertuigen brandstof"
// (8ys7-d773) under /resource/, and the vehicle-holder and driving-licence
// dossier under /rdw/v1, all answered from the population.
func New(pop *population.Population) http.Handler {
	s := &server{pop: pop, ref: pop.ReferenceDate}
	s.datasets = map[string]*dataset{}
	for _, ds := range []*dataset{newVehiclesDataset(), newFuelDataset()} {
		s.datasets[ds.id] = ds
	}
	return s
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/resource/"):
		s.serveResource(w, r, strings.TrimPrefix(p, "/resource/"))
	case p == DossierBasePath || strings.HasPrefix(p, DossierBasePath+"/"):
		s.serveDossier(w, r, strings.TrimPrefix(p, DossierBasePath))
	default:
		writeProblem(w, r, notFoundProblem())
	}
}

// serveOpenAPI publishes the contract as YAML and as JSON without
// authentication (API design rule /core/publish-openapi).
func (s *server) serveOpenAPI(w http.ResponseWriter, r *http.Request, asJSON bool) {
	if r.Method != http.MethodGet {
		writeProblem(w, r, methodNotAllowed(http.MethodGet))
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("API-Version", APIVersion)
	if !asJSON {
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(openAPIYAML)
		return
	}
	s.oasOnce.Do(func() { s.oasJSON, s.oasErr = yaml.YAMLToJSON(openAPIYAML) })
	if s.oasErr != nil {
		writeProblem(w, r, &problem{Status: http.StatusInternalServerError, Title: "Interne fout.", Code: "serverError",
			Detail: fmt.Sprintf("het contract kan niet als JSON worden gegeven: %v", s.oasErr)})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(s.oasJSON)
}

// appendJSONString appends s as a JSON string. Row values are plain text,
// so escaping quotes, backslashes and control characters is enough; this
// keeps the hot path of the open data endpoint free of reflection.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
