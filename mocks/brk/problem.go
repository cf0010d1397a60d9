package brk

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// problem is the API's error body: Foutbericht, and BadRequestFoutbericht
// with invalidParams for a 400.
type problem struct {
	Type          string         `json:"type"`
	Title         string         `json:"title"`
	Status        int            `json:"status"`
	Detail        string         `json:"detail"`
	Instance      string         `json:"instance"`
	Code          string         `json:"code"`
	InvalidParams []invalidParam `json:"invalidParams,omitempty"`
}

type invalidParam struct {
	Type   string `json:"type"`
	Name   string `json:"name"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// The titles of the OpenAPI document's examples.
const (
	titleParamsRequired   = "Ten minste één parameter moet worden opgegeven."
	titleUnsupported      = "De combinatie van opgegeven parameters is niet toegestaan."
	titleParamsValidation = "Een of meerdere parameters zijn niet correct."
	titleNotFound         = "Opgevraagde resource bestaat niet."
	titleNotAcceptable    = "Gevraagde contenttype wordt niet ondersteund."
)

// problemType links to the HTTP status's description, as the OpenAPI
// document's examples do.
func problemType(status int) string {
	section := map[int]string{
		http.StatusBadRequest: "10.4.1", http.StatusUnauthorized: "10.4.2", http.StatusNotFound: "10.4.5",
		http.StatusMethodNotAllowed: "10.4.6", http.StatusNotAcceptable: "10.4.7",
	}[status]
	if section == "" {
		section = "10.5.1"
	}
	return "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec" + section
}

func newProblem(status int, title, code, detail string) *problem {
	return &problem{Status: status, Title: title, Type: problemType(status), Detail: detail, Code: code}
}

func unauthenticated() *problem {
	return newProblem(http.StatusUnauthorized, "Niet correct geauthenticeerd.", "authentication",
		"De API-key ontbreekt in de header "+APIKeyHeader+" of is niet geldig.")
}

func notFound() *problem {
	return newProblem(http.StatusNotFound, titleNotFound, "notFound", "De opgevraagde resource bestaat niet.")
}

func paramsRequired() *problem {
	return newProblem(http.StatusBadRequest, titleParamsRequired, "paramsRequired",
		"Geef precies één categorie zoekparameters op.")
}

func unsupportedCombination(categories []string) *problem {
	return newProblem(http.StatusBadRequest, titleUnsupported, "unsupportedCombination",
		"Parameters uit verschillende categorieën mogen niet worden gecombineerd: "+strings.Join(categories, ", ")+".")
}

func paramsValidation(params []invalidParam) *problem {
	names := make([]string, 0, len(params))
	for _, p := range params {
		names = append(names, p.Name)
	}
	p := newProblem(http.StatusBadRequest, titleParamsValidation, "paramsValidation",
		"De foutieve parameter(s) zijn: "+strings.Join(names, ", ")+".")
	p.InvalidParams = params
	return p
}

func invalid(name, code, reason string) invalidParam {
	return invalidParam{Type: "https://www.vng.nl/realisatie/api/validaties/" + strings.ToLower(code), Name: name, Code: code, Reason: reason}
}

func invalidPattern(name, pattern string) invalidParam {
	return invalid(name, "pattern", "Waarde voldoet niet aan patroon "+pattern+".")
}

func invalidInteger(name string) invalidParam {
	return invalid(name, "integer", "Waarde is geen geldige integer.")
}

func invalidRange(name string, min, max int) invalidParam {
	return invalid(name, "range", "Waarde ligt niet tussen "+strconv.Itoa(min)+" en "+strconv.Itoa(max)+".")
}

func invalidBoolean(name string) invalidParam {
	return invalid(name, "boolean", "Waarde is geen geldige boolean.")
}

func invalidEnum(name string) invalidParam {
	return invalid(name, "enum", "Waarde heeft geen geldige waarde uit de enumeratie.")
}

func writeProblem(w http.ResponseWriter, r *http.Request, base string, p *problem) {
	p.Instance = requestURL(r, base)
	body, err := json.Marshal(p)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", mediaProblem)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(p.Status)
	w.Write(body)
}
