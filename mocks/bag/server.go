package bag

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/poort-nl/poort/mocks/population"
)

// BasePath is where the API lives, as on api.bag.kadaster.nl.
const BasePath = "/lvbag/individuelebevragingen/v2"

// APIVersion is what the mock reports in the api-version header: the
// version of the API whose behaviour it serves. That is the live 2.9.2:
// the archived OAS 2.0.0 in spec/ is the last document published whole,
// and the feature files describe what 2.9 added (doc.go lists it).
const APIVersion = "2.9.2"

// The media types of the API.
const (
	mediaHAL = "application/hal+json"
	// crsRD is the only coordinate reference system the API supports
	// (Rijksdriehoek, EPSG:28992).
	crsRD = "epsg:28992"
)

type handler struct {
	pop *population.Population
	idx *population.BAGIndex
	ref time.Time
}

// New returns the mock BAG API Individuele Bevragingen v2 over the
// population, serving under BasePath. It builds its lookups once; the
// handler is then read-only and safe for concurrent use.
func New(pop *population.Population) http.Handler {
	ref, _ := pop.ReferenceDate.Time()
	return &handler{
		pop: pop,
		idx: population.NewBAGIndex(pop),
		ref: ref,
	}
}

type endpoint func(w http.ResponseWriter, r *http.Request, b *builder, id string)

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("api-version", APIVersion)
	b := &builder{pop: h.pop, base: baseURL(r), ref: h.ref}
	serve, id := h.route(r.URL.Path)
	if serve == nil {
		writeProblem(w, r, b.base, notFound())
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeProblem(w, r, b.base, newProblem(http.StatusMethodNotAllowed, titleMethodNotAllowed, "methodNotAllowed", "Method not allowed"))
		return
	}
	if !acceptsHAL(r.Header.Get("Accept")) {
		writeProblem(w, r, b.base, newProblem(http.StatusNotAcceptable, titleNotAcceptable, "notAcceptable",
			"Deze API levert alleen "+mediaHAL+"."))
		return
	}
	serve(w, r, b, id)
}

// route finds the endpoint of a path. A trailing slash finds none (API
// design rule /core/no-trailing-slash), and neither do the endpoints the
// mock leaves out.
func (h *handler) route(path string) (endpoint, string) {
	rest, ok := strings.CutPrefix(path, BasePath+"/")
	if !ok || rest == "" || strings.HasSuffix(rest, "/") {
		return nil, ""
	}
	collection, id, single := strings.Cut(rest, "/")
	if single && (id == "" || strings.Contains(id, "/")) {
		return nil, ""
	}
	switch {
	case collection == "adressen" && !single:
		return h.adressen, ""
	case collection == "adressen" && id != "zoek":
		return h.adres, id
	case collection == "adresseerbareobjecten" && single:
		return h.adresseerbaarObject, id
	case collection == "verblijfsobjecten" && single:
		return h.verblijfsobject, id
	case collection == "panden" && single:
		return h.pand, id
	}
	return nil, ""
}

// acceptsHAL reports whether an Accept header allows application/hal+json.
// No header accepts anything.
func acceptsHAL(accept string) bool {
	if strings.TrimSpace(accept) == "" {
		return true
	}
	for _, rng := range strings.Split(accept, ",") {
		mt, params, _ := strings.Cut(rng, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
		if mt != "*/*" && mt != "application/*" && mt != mediaHAL {
			continue
		}
		if q, ok := qValue(params); ok && q == 0 {
			continue
		}
		return true
	}
	return false
}

func qValue(params string) (float64, bool) {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(k, "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return q, err == nil
		}
	}
	return 0, false
}

// checkCRS refuses an Accept-Crs other than RD on an answer with geometry.
// A missing Accept-Crs is taken as RD, as the API does since the header
// was deprecated.
func checkCRS(r *http.Request) *problem {
	crs := strings.TrimSpace(r.Header.Get("Accept-Crs"))
	if crs == "" || strings.EqualFold(crs, crsRD) {
		return nil
	}
	return newProblem(http.StatusNotAcceptable, "Gevraagde coördinatenstelsel "+crs+" wordt niet ondersteund.",
		"crsNotAcceptable", "Alleen "+crsRD+" wordt ondersteund.")
}

// baseURL is the API's base URL as the client called it, for links.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + BasePath
}

// requestURL is the URL the client called, which self links and problem
// instances carry.
func requestURL(r *http.Request, base string) string {
	u := base + strings.TrimPrefix(r.URL.EscapedPath(), BasePath)
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u
}

// writeHAL writes a successful answer.
func writeHAL(w http.ResponseWriter, v any, geometry bool) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", mediaHAL)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if geometry {
		h.Set("Content-Crs", crsRD)
	}
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
