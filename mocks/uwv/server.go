package uwv

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/poort-nl/poort/mocks/population"
)

// BasePath is where the contract is served.
const BasePath = "/uwv/v1"

// APIVersion is the contract's version, sent in the API-Version header of
// every answer as the NL API design rules ask.
const APIVersion = "1.0.0"

// MaxBSNs is the most burgerservicenummers one request may carry.
const MaxBSNs = 20

// maxBody bounds a request body; twenty BSNs and a period fit many times.
const maxBody = 64 << 10

//go:embed uwv-suwi.openapi.yaml
var openAPIYAML []byte

type server struct {
	pop         *population.Population
	codes       codeTables
	openAPIJSON []byte // nil when the YAML did not convert
	routes      map[string]route
}

type route struct {
	methods []string
	handle  func(w http.ResponseWriter, r *http.Request)
}

// New returns the mock answering from the population. The handler is safe
// for concurrent use.
func New(pop *population.Population) http.Handler {
	codes, err := loadCodeTables()
	if err != nil {
		// The tables are embedded at build time; a failure is a broken
		// build, not a run-time condition.
		panic(err)
	}
	s := &server{pop: pop, codes: codes}
	if j, err := yaml.YAMLToJSON(openAPIYAML); err == nil {
		s.openAPIJSON = j
	}
	post := []string{http.MethodPost}
	get := []string{http.MethodGet, http.MethodHead}
	s.routes = map[string]route{
		BasePath + "/inkomstenverhoudingen":   {post, s.inkomstenverhoudingen},
		BasePath + "/werknemersverzekeringen": {post, s.werknemersverzekeringen},
		BasePath + "/status":                  {get, s.status},
		BasePath + "/openapi.json":            {get, s.openAPI("application/json", s.openAPIJSON)},
		BasePath + "/openapi.yaml":            {get, s.openAPI("application/yaml", openAPIYAML)},
	}
	return s
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("API-Version", APIVersion)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	rt, ok := s.routes[r.URL.Path]
	if !ok {
		// No redirects and no tolerance for a trailing slash
		// (/core/no-trailing-slash): an unknown path is simply not found.
		s.fail(w, r, http.StatusNotFound, "notFound", "Opgevraagde resource bestaat niet.",
			"Het pad bestaat niet in deze API.", nil)
		return
	}
	allowed := false
	for _, m := range rt.methods {
		allowed = allowed || r.Method == m
	}
	if !allowed {
		h.Set("Allow", strings.Join(rt.methods, ", "))
		s.fail(w, r, http.StatusMethodNotAllowed, "methodNotAllowed", "Methode is niet toegestaan.",
			fmt.Sprintf("Dit pad ondersteunt alleen %s.", strings.Join(rt.methods, ", ")), nil)
		return
	}
	rt.handle(w, r)
}

func (s *server) status(w http.ResponseWriter, r *http.Request) {
	if !acceptsJSON(r, "application/json") {
		s.notAcceptable(w, r)
		return
	}
	writeJSON(w, http.StatusOK, "application/json", status{Status: "ok"})
}

// openAPI serves the contract without authentication and to any origin, as
// /core/publish-openapi asks.
func (s *server) openAPI(mediaType string, b []byte) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if b == nil {
			s.fail(w, r, http.StatusInternalServerError, "serverError", "Interne serverfout.",
				"De OpenAPI-beschrijving kon niet worden omgezet.", nil)
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Content-Type", mediaType)
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(b)
		}
	}
}

// readQuery checks what every POST query shares: an acceptable answer type,
// a JSON body that is one object, and no query string. It returns the body's
// members with any query parameters as invalid, so the caller can report
// them together with the body's faults; false means it has answered with an
// error already.
func (s *server) readQuery(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, []invalidParam, bool) {
	if !acceptsJSON(r, "application/json") {
		s.notAcceptable(w, r)
		return nil, nil, false
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		s.fail(w, r, http.StatusUnsupportedMediaType, "unsupported", "Media Type wordt niet ondersteund.",
			"De request body moet application/json zijn.", nil)
		return nil, nil, false
	}
	var bad []invalidParam
	for _, name := range sortedKeys(r.URL.Query()) {
		bad = append(bad, param(name, "unknownParam", "Parameter is niet verwacht."))
	}
	var body map[string]json.RawMessage
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(&body); err != nil || dec.More() {
		s.fail(w, r, http.StatusBadRequest, "paramsValidation", "De request body is geen geldig JSON-object.",
			"De request body moet één JSON-object zijn, van hoogstens 64 KiB.", nil)
		return nil, nil, false
	}
	return body, bad, true
}

// bsns validates burgerservicenummers: an array of 1 to MaxBSNs strings of
// nine digits. It returns the distinct numbers in request order.
func bsns(raw json.RawMessage, present bool) ([]string, []invalidParam) {
	const name = "burgerservicenummers"
	if !present || string(raw) == "null" {
		return nil, []invalidParam{param(name, "required", "Parameter is verplicht.")}
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, []invalidParam{param(name, "array", "Parameter is geen array.")}
	}
	switch {
	case len(items) == 0:
		return nil, []invalidParam{param(name, "minItems", "Array bevat minder dan 1 items.")}
	case len(items) > MaxBSNs:
		return nil, []invalidParam{param(name, "maxItems", fmt.Sprintf("Array bevat meer dan %d items.", MaxBSNs))}
	}
	var bad []invalidParam
	out := make([]string, 0, len(items))
	seen := make(map[string]bool, len(items))
	for i, it := range items {
		var v string
		if err := json.Unmarshal(it, &v); err != nil || !nineDigits(v) {
			bad = append(bad, param(fmt.Sprintf("%s[%d]", name, i), "pattern", "Waarde voldoet niet aan patroon ^[0-9]{9}$."))
			continue
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out, bad
}

// unknownMembers reports the members of a body or object the contract does
// not define (additionalProperties: false).
func unknownMembers(prefix string, body map[string]json.RawMessage, known ...string) []invalidParam {
	var bad []invalidParam
	for _, k := range sortedKeys(body) {
		ok := false
		for _, n := range known {
			ok = ok || k == n
		}
		if !ok {
			bad = append(bad, param(prefix+k, "unknownParam", "Parameter is niet verwacht."))
		}
	}
	return bad
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func nineDigits(s string) bool {
	if len(s) != 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func param(name, code, reason string) invalidParam {
	return invalidParam{Type: "https://www.vng.nl/realisatie/api/validaties/" + strings.ToLower(code), Name: name, Code: code, Reason: reason}
}

// acceptsJSON reports whether the Accept header, if any, allows the media
// type.
func acceptsJSON(r *http.Request, mediaType string) bool {
	accept := r.Header.Values("Accept")
	if len(accept) == 0 {
		return true
	}
	for _, line := range accept {
		for _, part := range strings.Split(line, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil || params["q"] == "0" {
				continue
			}
			if mt == "*/*" || mt == "application/*" || mt == mediaType {
				return true
			}
		}
	}
	return false
}

func (s *server) notAcceptable(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotAcceptable, "notAcceptable", "Gevraagde contenttype wordt niet ondersteund.",
		"Deze API antwoordt alleen met application/json.", nil)
}

func (s *server) invalid(w http.ResponseWriter, r *http.Request, bad []invalidParam) {
	names := make([]string, len(bad))
	for i, b := range bad {
		names[i] = b.Name
	}
	s.fail(w, r, http.StatusBadRequest, "paramsValidation", "Een of meerdere parameters zijn niet correct.",
		"De foutieve parameter(s) zijn: "+strings.Join(names, ", ")+".", bad)
}

// problemType points at the status's definition in RFC 9110.
func problemType(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "https://www.rfc-editor.org/rfc/rfc9110#name-400-bad-request"
	case http.StatusNotFound:
		return "https://www.rfc-editor.org/rfc/rfc9110#name-404-not-found"
	case http.StatusMethodNotAllowed:
		return "https://www.rfc-editor.org/rfc/rfc9110#name-405-method-not-allowed"
	case http.StatusNotAcceptable:
		return "https://www.rfc-editor.org/rfc/rfc9110#name-406-not-acceptable"
	case http.StatusUnsupportedMediaType:
		return "https://www.rfc-editor.org/rfc/rfc9110#name-415-unsupported-media-type"
	default:
		return "https://www.rfc-editor.org/rfc/rfc9110#name-500-internal-server-error"
	}
}

// fail answers with a problem detail (RFC 9457), as
// /core/error-handling/problem-details asks.
func (s *server) fail(w http.ResponseWriter, r *http.Request, status int, code, title, detail string, bad []invalidParam) {
	writeJSON(w, status, "application/problem+json", problem{
		Type: problemType(status), Title: title, Status: status, Detail: detail,
		Instance: r.URL.Path, Code: code, InvalidParams: bad,
	})
}

// writeJSON encodes before writing, so a failure can still be a 500. HTML
// escaping is off: names such as "Bakker & Zn" stay readable.
func writeJSON(w http.ResponseWriter, status int, mediaType string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "encoding the answer failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", mediaType)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
