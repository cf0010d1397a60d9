package bag

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// problem is the API's error body (schema Error, media type
// application/problem+json). Titles and codes are those of
// foutafhandeling.feature.
type problem struct {
	Status        int            `json:"status"`
	Title         string         `json:"title"`
	Type          string         `json:"type"`
	Detail        string         `json:"detail"`
	Instance      string         `json:"instance"`
	Code          string         `json:"code"`
	InvalidParams []invalidParam `json:"invalid-params,omitempty"`
}

type invalidParam struct {
	Type   string `json:"type"`
	Name   string `json:"name"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// Titles and codes of foutafhandeling.feature.
const (
	titleParamsRequired    = "Ten minste één parameter moet worden opgegeven."
	titleParamsCombination = "Minimale combinatie van parameters moet worden opgegeven."
	titleUnsupported       = "De combinatie van opgegeven parameters is niet toegestaan."
	titleParamsValidation  = "Een of meerdere parameters zijn niet correct."
	titleNotFound          = "Opgevraagde resource bestaat niet."
	titleMethodNotAllowed  = "Deze methode is niet toegestaan"
	titleNotAcceptable     = "Gevraagde contenttype wordt niet ondersteund."
)

// problemType links to the description of the HTTP status.
func problemType(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1"
	case http.StatusNotFound:
		return "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.4"
	case http.StatusMethodNotAllowed:
		return "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.5"
	case http.StatusNotAcceptable:
		return "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.6"
	default:
		return "https://datatracker.ietf.org/doc/html/rfc7231#section-6"
	}
}

func newProblem(status int, title, code, detail string) *problem {
	return &problem{Status: status, Title: title, Type: problemType(status), Detail: detail, Code: code}
}

func paramsRequired() *problem {
	return newProblem(http.StatusBadRequest, titleParamsRequired, "paramsRequired",
		"Geef ten minste één zoekparameter (combinatie) op.")
}

func paramsCombination(detail string) *problem {
	return newProblem(http.StatusBadRequest, titleParamsCombination, "paramsCombination", detail)
}

func unsupportedCombination(detail string) *problem {
	return newProblem(http.StatusBadRequest, titleUnsupported, "unsupportedCombination", detail)
}

func notFound() *problem {
	return newProblem(http.StatusNotFound, titleNotFound, "notFound",
		"De opgevraagde resource bestaat niet.")
}

func paramsValidation(params []invalidParam) *problem {
	names := make([]string, 0, len(params))
	seen := map[string]bool{}
	for _, p := range params {
		if !seen[p.Name] {
			seen[p.Name] = true
			names = append(names, p.Name)
		}
	}
	p := newProblem(http.StatusBadRequest, titleParamsValidation, "paramsValidation",
		"De foutieve parameter(s) zijn: "+strings.Join(names, ", ")+".")
	p.InvalidParams = params
	return p
}

// The reasons and codes of invalid parameters, from the table in
// foutafhandeling.feature.
func invalid(name, code, reason string) invalidParam {
	return invalidParam{Type: "https://www.vng.nl/realisatie/api/validaties/" + strings.ToLower(code), Name: name, Code: code, Reason: reason}
}

func invalidInteger(name string) invalidParam {
	return invalid(name, "integer", "Waarde is geen geldige integer.")
}

func invalidBoolean(name string) invalidParam {
	return invalid(name, "boolean", "Waarde is geen geldige boolean.")
}

func invalidDate(name string) invalidParam {
	return invalid(name, "date", "Waarde is geen geldige datum.")
}

func invalidTimestamp(name string) invalidParam {
	return invalid(name, "timestamp", "Waarde is geen geldig tijdstip.")
}

func invalidMinimum(name string, min int) invalidParam {
	return invalid(name, "minimum", "Waarde is lager dan minimum "+strconv.Itoa(min)+".")
}

func invalidMaximum(name string, max int) invalidParam {
	return invalid(name, "maximum", "Waarde is hoger dan maximum "+strconv.Itoa(max)+".")
}

func invalidMinLength(name string, n int) invalidParam {
	return invalid(name, "minLength", "Waarde is korter dan minimale lengte "+strconv.Itoa(n)+".")
}

func invalidMaxLength(name string, n int) invalidParam {
	return invalid(name, "maxLength", "Waarde is langer dan maximale lengte "+strconv.Itoa(n)+".")
}

func invalidPattern(name, pattern string) invalidParam {
	return invalid(name, "pattern", "Waarde voldoet niet aan patroon "+pattern+".")
}

func invalidExpand(part string) invalidParam {
	return invalid("expand", "expand", "Deel van de parameterwaarde is niet correct: "+part+".")
}

func invalidPage() invalidParam {
	return invalid("page", "page", "De opgegeven pagina bestaat niet.")
}

func writeProblem(w http.ResponseWriter, r *http.Request, base string, p *problem) {
	p.Instance = requestURL(r, base)
	body, err := json.Marshal(p)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(p.Status)
	w.Write(body)
}
