package brp

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/poort-nl/poort/mocks/population"
)

// The paths the mock serves, as the real service does.
const (
	PersonenPath       = "/haalcentraal/api/brp/personen"
	ReisdocumentenPath = "/haalcentraal/api/reisdocumenten/reisdocumenten"
)

// maxBody bounds a request body; a query with 20 BSNs and 130 fields is a
// few kilobytes.
const maxBody = 1 << 20

// server answers from a population that never changes after New, so it
// needs no locks.
type server struct {
	pop *population.Population
	ix  *population.BRPIndex
	// ref is "today" for ages and validity.
	ref time.Time
	// persoonFields, beperktFields, gezagFields and reisdocumentFields are
	// what the fields parameter of each response type accepts.
	persoonFields, beperktFields, gezagFields, reisdocumentFields fieldRules
}

// New returns the BRP mock: the Haal Centraal BRP Personen bevragen API
// (v2) at PersonenPath and the Reisdocumenten bevragen API at
// ReisdocumentenPath, answering from the population. The handler is safe
// for concurrent use.
func New(pop *population.Population) http.Handler {
	ref, ok := pop.ReferenceDate.Time()
	if !ok {
		ref = time.Now().UTC().Truncate(24 * time.Hour)
	}
	s := &server{
		pop:                pop,
		ix:                 population.NewBRPIndex(pop),
		ref:                ref,
		persoonFields:      persoonRules(persoonFields()),
		beperktFields:      persoonRules(set(beperktFieldList)),
		gezagFields:        persoonRules(set(slices.Concat(beperktFieldList, gezagFieldList))),
		reisdocumentFields: reisdocumentFields(),
	}
	return s
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case PersonenPath:
		s.serve(w, r, s.personen)
	case ReisdocumentenPath:
		s.serve(w, r, s.reisdocumenten)
	default:
		// Also for a trailing slash: the API design rules want a 404, not
		// a redirect.
		writeProblem(w, &problem{
			Type: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.4", Title: "Opgevraagde resource bestaat niet.",
			Status: http.StatusNotFound, Code: "notFound", Instance: r.URL.Path,
		})
	}
}

// serve runs the checks every query endpoint shares, in the order the real
// service does: method, request media type, response media type, body.
func (s *server) serve(w http.ResponseWriter, r *http.Request, answer func(body map[string]json.RawMessage, instance string) (any, *problem)) {
	instance := r.URL.Path
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeProblem(w, &problem{
			Type: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.5", Title: "Gebruikte bevragingsmethode is niet toegestaan.",
			Status: http.StatusMethodNotAllowed, Code: "methodNotAllowed", Instance: instance,
		})
		return
	}
	if !jsonUTF8(r.Header.Get("Content-Type"), false) {
		writeProblem(w, &problem{
			Type: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.13", Title: "Media Type wordt niet ondersteund.",
			Detail: "Ondersteunde content type: application/json; charset=utf-8.",
			Status: http.StatusUnsupportedMediaType, Code: "unsupportedMediaType", Instance: instance,
		})
		return
	}
	if !acceptsJSON(r.Header.Values("Accept")) {
		writeProblem(w, &problem{
			Type: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.6", Title: "Gevraagde content type wordt niet ondersteund.",
			Detail: "Ondersteunde content type: application/json; charset=utf-8.",
			Status: http.StatusNotAcceptable, Code: "notAcceptable", Instance: instance,
		})
		return
	}
	var body map[string]json.RawMessage
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(&body); err != nil || dec.More() || body == nil {
		writeProblem(w, &problem{
			Type: badRequestType, Title: titleValidation,
			Detail: "De request body is geen geldig JSON object.",
			Status: http.StatusBadRequest, Code: "paramsValidation", Instance: instance,
		})
		return
	}
	out, prob := answer(body, instance)
	if prob != nil {
		writeProblem(w, prob)
		return
	}
	data, err := json.Marshal(out)
	if err != nil {
		writeProblem(w, &problem{
			Type: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.6.1", Title: "Interne server fout.",
			Status: http.StatusInternalServerError, Code: "serverError", Instance: instance,
		})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(data)
}

// jsonUTF8 reports whether a Content-Type (or one Accept media range when
// wildcards are allowed) names JSON in UTF-8. An empty value defaults to it.
func jsonUTF8(v string, wildcards bool) bool {
	v = strings.TrimSpace(v)
	if v == "" {
		return true
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil {
		return false
	}
	switch mt {
	case "application/json":
	case "*/*", "application/*":
		if !wildcards {
			return false
		}
	default:
		return false
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return false
	}
	return true
}

// acceptsJSON reports whether any media range of the Accept headers admits
// application/json in UTF-8; no Accept header admits everything.
func acceptsJSON(values []string) bool {
	empty := true
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if strings.TrimSpace(part) == "" {
				continue
			}
			empty = false
			if jsonUTF8(part, true) {
				return true
			}
		}
	}
	return empty
}

const (
	badRequestType        = "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1"
	titleValidation       = "Een of meerdere parameters zijn niet correct."
	titleTooMany          = "Teveel zoekresultaten."
	reasonRequired        = "Parameter is verplicht."
	reasonUnknown         = "Parameter is niet verwacht."
	reasonArray           = "Parameter is geen array."
	reasonField           = "Parameter bevat een niet bestaande veldnaam."
	reasonFieldNotAllowed = "Parameter bevat een niet toegestane veldnaam."
	reasonInteger         = "Waarde is geen geldig getal."
	reasonMinimumFmt      = "Waarde is lager dan minimum %d."
	reasonMaximumFmt      = "Waarde is hoger dan maximum %d."
	reasonBoolean         = "Waarde is geen boolean."
	reasonDate            = "Waarde is geen geldige datum."
	reasonSearchType      = "Waarde is geen geldig zoek type."
	reasonMinItemsFmt     = "Array bevat minder dan %d items."
	reasonMaxItemsFmt     = "Array bevat meer dan %d items."
	reasonPatternFmt      = "Waarde voldoet niet aan patroon %s."
)

// problem is the API's Foutbericht / BadRequestFoutbericht
// (application/problem+json).
type problem struct {
	Type          string         `json:"type"`
	Title         string         `json:"title"`
	Status        int            `json:"status"`
	Detail        string         `json:"detail,omitempty"`
	Instance      string         `json:"instance"`
	Code          string         `json:"code"`
	InvalidParams []invalidParam `json:"invalidParams,omitempty"`
}

// invalidParam is one entry of invalidParams.
type invalidParam struct {
	Type   string `json:"type,omitempty"`
	Name   string `json:"name"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

func writeProblem(w http.ResponseWriter, p *problem) {
	data, err := json.Marshal(p)
	if err != nil {
		data = []byte(`{"status":500,"code":"serverError"}`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_, _ = w.Write(data)
}

// tooMany is the answer to a search that finds more than the maximum.
func tooMany(instance string, max int) *problem {
	return &problem{
		Type: badRequestType, Title: titleTooMany, Status: http.StatusBadRequest,
		Detail:   fmt.Sprintf("Meer dan maximum van %d zoekresultaten gevonden. Verfijn de zoekopdracht.", max),
		Code:     "tooManyResults",
		Instance: instance,
	}
}
