package brk

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/poort-nl/poort/mocks/population"
)

// BasePath is where the API lives, as on api.brk.kadaster.nl.
const BasePath = "/esd/bevragen/v2"

// APIVersion is what the mock reports in the api-version header: the
// version of the OpenAPI document it follows.
const APIVersion = "2.0.0"

// APIKeyHeader carries the API key (security scheme apiKeyAuth).
const APIKeyHeader = "X-Api-Key"

const (
	mediaHAL     = "application/hal+json"
	mediaProblem = "application/problem+json"
	// crsRD is the only coordinate reference system the API knows.
	crsRD = "epsg:28992"
)

type handler struct {
	pop *population.Population
	brk *population.BRKIndex
	// byPostcode, byDesignation and byCode find addresses and parcels the
	// population's own indexes do not.
	byPostcode    map[string][]*population.Address
	byDesignation map[string]*population.Parcel
	byCode        map[string]*population.Parcel
}

// New returns the mock BRK-Bevragen API v2 over the population, serving
// under BasePath. It builds its lookups once; the handler is then
// read-only and safe for concurrent use.
func New(pop *population.Population) http.Handler {
	h := &handler{
		pop: pop, brk: population.NewBRKIndex(pop),
		byPostcode:    map[string][]*population.Address{},
		byDesignation: make(map[string]*population.Parcel, len(pop.Parcels)),
		byCode:        make(map[string]*population.Parcel, len(pop.Parcels)),
	}
	for i := range pop.Addresses {
		a := &pop.Addresses[i]
		h.byPostcode[a.Postcode] = append(h.byPostcode[a.Postcode], a)
	}
	for i := range pop.Parcels {
		p := &pop.Parcels[i]
		h.byDesignation[strings.ToLower(p.Designation())] = p
		h.byCode[p.DesignationWithCode()] = p
	}
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("api-version", APIVersion)
	base := baseURL(r)
	serve, allow := h.route(r.URL.Path)
	switch {
	case serve == nil:
		writeProblem(w, r, base, notFound())
		return
	case r.Method != http.MethodGet && !(r.Method == http.MethodPost && allow == http.MethodPost):
		w.Header().Set("Allow", allowed(allow))
		writeProblem(w, r, base, newProblem(http.StatusMethodNotAllowed, "Deze methode is niet toegestaan.", "methodNotAllowed", "Methode "+r.Method+" is op deze resource niet toegestaan."))
		return
	case !acceptsHAL(r.Header.Get("Accept")):
		writeProblem(w, r, base, newProblem(http.StatusNotAcceptable, titleNotAcceptable, "notAcceptable", "Deze API levert alleen "+mediaHAL+"."))
		return
	}
	if crs := strings.TrimSpace(r.Header.Get("Accept-Crs")); crs != "" && !strings.EqualFold(crs, crsRD) {
		writeProblem(w, r, base, newProblem(http.StatusNotAcceptable, titleNotAcceptable, "crsNotAcceptable", "Alleen "+crsRD+" wordt ondersteund."))
		return
	}
	serve(w, r, &builder{h: h, base: base})
}

type endpoint func(w http.ResponseWriter, r *http.Request, b *builder)

// route finds the endpoint of a path, and names the method besides GET it
// takes. A trailing slash finds none (API design rule
// /core/no-trailing-slash), and neither do the resources the mock leaves
// out.
func (h *handler) route(path string) (endpoint, string) {
	rest, ok := strings.CutPrefix(path, BasePath+"/")
	if !ok || rest == "" || strings.HasSuffix(rest, "/") {
		return nil, ""
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 1 && parts[0] == "kadastraalonroerendezaken":
		return h.zaken, http.MethodPost
	case len(parts) == 1 && parts[0] == "publiekrechtelijkebeperkingen":
		return h.beperkingen, ""
	case parts[0] != "kadastraalonroerendezaken":
		return nil, ""
	case len(parts) == 2:
		return func(w http.ResponseWriter, r *http.Request, b *builder) { h.zaak(w, r, b, parts[1]) }, ""
	case len(parts) == 3 && parts[2] == "zakelijkgerechtigden":
		return func(w http.ResponseWriter, r *http.Request, b *builder) { h.gerechtigden(w, r, b, parts[1]) }, ""
	case len(parts) == 4 && parts[2] == "zakelijkgerechtigden":
		return func(w http.ResponseWriter, r *http.Request, b *builder) { h.gerechtigde(w, r, b, parts[1], parts[3]) }, ""
	}
	return nil, ""
}

func allowed(extra string) string {
	if extra == "" {
		return http.MethodGet
	}
	return http.MethodGet + ", " + extra
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

// baseURL is the API's base URL as the client called it, for links.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + BasePath
}

// requestURL is the URL the client called, which self links of searches
// and problem instances carry.
func requestURL(r *http.Request, base string) string {
	u := base + strings.TrimPrefix(r.URL.EscapedPath(), BasePath)
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u
}

// writeHAL writes a successful answer.
func writeHAL(w http.ResponseWriter, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", mediaHAL)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
