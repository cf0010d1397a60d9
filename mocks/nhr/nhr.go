package nhr

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/poort-nl/poort/mocks/population"
)

// API versions as the published OpenAPI files number them; every answer
// carries its API's version in the api-version header, as KvK does.
const (
	versionZoeken            = "2.0.0"
	versionBasisprofiel      = "1.5.0"
	versionVestigingsprofiel = "1.4.0"
	versionFunctionarissen   = "1.1.0"
)

// Media types the KvK APIs answer with.
const (
	mediaJSON    = "application/json"
	mediaHALJSON = "application/hal+json"
)

// KvK fout codes (developers.kvk.nl, "status codes") with their texts.
const (
	ipdProduct        = "IPD0001"
	ipdKvKNumber      = "IPD0004"
	ipdNoProductKvK   = "IPD0005"
	ipdBranchNumber   = "IPD0006"
	ipdNoProductVest  = "IPD0007"
	ipdRSIN           = "IPD0010"
	ipdInput          = "IPD1998"
	ipdParameters     = "IPD1999"
	ipdNothingFound   = "IPD5200"
	ipdType           = "IPD5203"
	msgInput          = "Algemene invoer parameter fout."
	msgParameters     = "De volgende opgegeven parameter(s) is(zijn) ongeldig: "
	msgNothingFound   = "Er zijn geen gegevens gevonden die voldoen aan de opgegeven zoekparameters."
	msgType           = "Het opgegeven type is niet valide."
	msgUnknownProduct = "Het gevraagde product bestaat niet."
)

//go:embed functionarissen.openapi.yaml
var functionarissenOpenAPI []byte

type server struct {
	pop *population.Population
	idx *population.NHRIndex
}

// New returns the Handelsregister mock over the population: the KvK APIs
// Zoeken v2, Basisprofiel v1 and Vestigingsprofiel v1 at their real paths
// below /api, and the functionarissen contract of
// functionarissen.openapi.yaml. The handler is safe for concurrent use; the
// population must not change while it serves.
func New(pop *population.Population) http.Handler {
	return &server{pop: pop, idx: population.NewNHRIndex(pop)}
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/api/v2/zoeken":
		s.route(w, r, http.MethodGet, s.zoeken)
	case p == "/api/v1/functionarissen/zoeken":
		s.route(w, r, http.MethodPost, s.zoekFunctionarissen)
	case p == "/api/v1/functionarissen/openapi.yaml":
		s.route(w, r, http.MethodGet, serveOpenAPI)
	case strings.HasPrefix(p, "/api/v1/basisprofielen/"):
		kvk, sub, nested := strings.Cut(strings.TrimPrefix(p, "/api/v1/basisprofielen/"), "/")
		var h func(http.ResponseWriter, *http.Request, string)
		switch {
		case kvk == "":
		case !nested:
			h = s.basisprofiel
		case sub == "eigenaar":
			h = s.eigenaar
		case sub == "hoofdvestiging":
			h = s.hoofdvestiging
		case sub == "vestigingen":
			h = s.vestigingen
		case sub == "functionarissen":
			h = s.functionarissen
		}
		if h == nil {
			notFound(w, r)
			return
		}
		s.route(w, r, http.MethodGet, func(w http.ResponseWriter, r *http.Request) { h(w, r, kvk) })
	case strings.HasPrefix(p, "/api/v1/vestigingsprofielen/"):
		number := strings.TrimPrefix(p, "/api/v1/vestigingsprofielen/")
		if number == "" || strings.Contains(number, "/") {
			notFound(w, r)
			return
		}
		s.route(w, r, http.MethodGet, func(w http.ResponseWriter, r *http.Request) { s.vestigingsprofiel(w, r, number) })
	default:
		// Unknown paths, including every path with a trailing slash (API
		// design rule /core/no-trailing-slash).
		notFound(w, r)
	}
}

func (s *server) route(w http.ResponseWriter, r *http.Request, method string, h http.HandlerFunc) {
	if r.Method != method {
		w.Header().Set("Allow", method)
		writeFout(w, r, http.StatusMethodNotAllowed, fout{ipdInput, "De methode " + r.Method + " is niet toegestaan voor deze resource."})
		return
	}
	h(w, r)
}

// serveOpenAPI publishes the contract of our own endpoints (API design rule
// /core/publish-openapi), readable without credentials from any origin.
func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/yaml")
	h.Set("Content-Length", strconv.Itoa(len(functionarissenOpenAPI)))
	h.Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(functionarissenOpenAPI)
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeFout(w, r, http.StatusNotFound, fout{ipdProduct, msgUnknownProduct})
}

// fout is one KvK error: {"code":"IPD0004","omschrijving":"..."}.
type fout struct {
	Code         string `json:"code"`
	Omschrijving string `json:"omschrijving"`
}

type foutBericht struct {
	Fout []fout `json:"fout"`
}

// writeFout answers in KvK's error format, in the media type the API
// declares for its errors (foutMediaType). Texts never carry a BSN or a
// name, so whatever logs them discloses nothing personal.
func writeFout(w http.ResponseWriter, r *http.Request, status int, f ...fout) {
	body, _ := json.Marshal(foutBericht{Fout: f})
	h := w.Header()
	h.Set("Content-Type", foutMediaType(r))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// foutMediaType is the media type of an error as each API declares it:
// Basisprofiel and Vestigingsprofiel answer errors in HAL+JSON only;
// Zoeken, and our functionarissen contract, in JSON (Zoeken also in
// HAL+JSON when the client asks for nothing else).
func foutMediaType(r *http.Request) string {
	p := r.URL.Path
	switch {
	case ownContract(p):
		return mediaJSON
	case strings.HasPrefix(p, "/api/v1/basisprofielen/"), strings.HasPrefix(p, "/api/v1/vestigingsprofielen/"):
		return mediaHALJSON
	case p == "/api/v2/zoeken":
		if mt, ok := negotiate(r.Header.Get("Accept"), []string{mediaJSON, mediaHALJSON}); ok {
			return mt
		}
	}
	return mediaJSON
}

// ownContract reports whether a path is one of the functionarissen
// contract, ours rather than KvK's.
func ownContract(path string) bool {
	return strings.HasPrefix(path, "/api/v1/functionarissen/") ||
		(strings.HasPrefix(path, "/api/v1/basisprofielen/") && strings.HasSuffix(path, "/functionarissen"))
}

func invalidParameters(w http.ResponseWriter, r *http.Request, names ...string) {
	writeFout(w, r, http.StatusBadRequest, fout{ipdParameters, msgParameters + strings.Join(names, ", ")})
}

// writeBody answers v in the first of the offered media types the client
// accepts, or 406 when it accepts none.
func writeBody(w http.ResponseWriter, r *http.Request, version string, v any, offers ...string) {
	mt, ok := negotiate(r.Header.Get("Accept"), offers)
	if !ok {
		writeFout(w, r, http.StatusNotAcceptable, fout{ipdInput, "Opgegeven Accept header wordt niet ondersteund."})
		return
	}
	// Links carry query strings; KvK does not escape their ampersands.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		writeFout(w, r, http.StatusInternalServerError, fout{"IPD9999", "Algemene technische fout."})
		return
	}
	body := buf.Bytes()
	h := w.Header()
	h.Set("Content-Type", mt)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("api-version", version)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// negotiate picks the first offer the Accept header admits. No header
// admits everything; q=0 excludes a range.
func negotiate(accept string, offers []string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return offers[0], true
	}
	type rng struct {
		typ, sub string
		q0       bool
	}
	var ranges []rng
	for _, part := range strings.Split(accept, ",") {
		mt, params, _ := strings.Cut(part, ";")
		typ, sub, _ := strings.Cut(strings.ToLower(strings.TrimSpace(mt)), "/")
		q0 := false
		for _, prm := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(prm), "=")
			if strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f == 0 {
					q0 = true
				}
			}
		}
		ranges = append(ranges, rng{typ, sub, q0})
	}
	for _, o := range offers {
		ot, os, _ := strings.Cut(o, "/")
		// The most specific range that matches decides: an exact type
		// over type/*, and type/* over */*.
		best, admitted := -1, false
		for _, r := range ranges {
			spec := -1
			switch {
			case r.typ == ot && r.sub == os:
				spec = 2
			case r.typ == ot && r.sub == "*":
				spec = 1
			case r.typ == "*" && r.sub == "*":
				spec = 0
			}
			if spec > best {
				best, admitted = spec, !r.q0
			}
		}
		if admitted {
			return o, true
		}
	}
	return "", false
}

// baseURL is the absolute URL of the API root ("…/api") as the client sees
// it, for links. When the mock is mounted below a prefix (http.StripPrefix),
// the prefix is recovered from the request URI.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	prefix := ""
	if reqPath, _, _ := strings.Cut(r.RequestURI, "?"); strings.HasSuffix(reqPath, r.URL.EscapedPath()) {
		prefix = strings.TrimSuffix(reqPath, r.URL.EscapedPath())
	}
	return scheme + "://" + r.Host + prefix + "/api"
}

// boolParam reads an optional boolean query parameter; ok is false when the
// value is not "true" or "false" or the parameter is repeated.
func boolParam(r *http.Request, name string) (value, ok bool) {
	vs := r.URL.Query()[name]
	switch {
	case len(vs) == 0:
		return false, true
	case len(vs) > 1:
		return false, false
	}
	switch vs[0] {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func jaNee(b bool) string {
	if b {
		return "Ja"
	}
	return "Nee"
}
