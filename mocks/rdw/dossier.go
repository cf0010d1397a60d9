package rdw

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/poort-nl/poort/mocks/population"
)

// maxSubjects bounds the identifiers in one dossier request, as BRP bounds
// its burgerservicenummer list.
const maxSubjects = 20

// maxBody bounds a dossier request body; twenty identifiers take well
// under a kilobyte.
const maxBody = 64 << 10

var (
	bsnPattern = regexp.MustCompile(`^[0-9]{9}$`)
	kvkPattern = regexp.MustCompile(`^[0-9]{8}$`)
)

// serveDossier routes the dossier contract below /rdw/v1.
func (s *server) serveDossier(w http.ResponseWriter, r *http.Request, rest string) {
	switch rest {
	case "/voertuigbezit":
		s.serveQuery(w, r, s.voertuigbezit)
	case "/rijbewijzen":
		s.serveQuery(w, r, s.rijbewijzen)
	case "/openapi.yaml":
		s.serveOpenAPI(w, r, false)
	case "/openapi.json":
		s.serveOpenAPI(w, r, true)
	default:
		// Also trailing slashes: API design rule /core/no-trailing-slash.
		writeProblem(w, r, notFoundProblem())
	}
}

// query operations read a JSON body with identifier lists and answer
// JSON, or a problem.
type queryOperation func(body map[string]json.RawMessage) (any, *problem)

func (s *server) serveQuery(w http.ResponseWriter, r *http.Request, op queryOperation) {
	if r.Method != http.MethodPost {
		writeProblem(w, r, methodNotAllowed(http.MethodPost))
		return
	}
	if !acceptsJSON(r.Header.Get("Accept")) {
		writeProblem(w, r, &problem{Status: http.StatusNotAcceptable, Code: "notAcceptable",
			Title:  "Gevraagde contenttype wordt niet ondersteund.",
			Detail: "Dit antwoord is er alleen als application/json."})
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeProblem(w, r, &problem{Status: http.StatusUnsupportedMediaType, Code: "unsupported",
			Title: "Media Type wordt niet ondersteund.", Detail: "Stuur de vraag als application/json."})
		return
	}
	var body map[string]json.RawMessage
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(&body); err != nil || dec.More() || body == nil {
		detail := "De vraag is geen JSON-object."
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			detail = fmt.Sprintf("De vraag is groter dan %d bytes.", maxBody)
		}
		writeProblem(w, r, &problem{Status: http.StatusBadRequest, Code: "invalidJson",
			Title: "De vraag kan niet worden gelezen.", Detail: detail})
		return
	}
	out, p := op(body)
	if p != nil {
		writeProblem(w, r, p)
		return
	}
	b, err := json.Marshal(out)
	if err != nil {
		writeProblem(w, r, &problem{Status: http.StatusInternalServerError, Code: "serverError", Title: "Interne fout."})
		return
	}
	dossierHeaders(w)
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

func acceptsJSON(accept string) bool {
	if strings.TrimSpace(accept) == "" {
		return true
	}
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "application/json", "application/*", "*/*":
			return true
		}
	}
	return false
}

// dossierHeaders are on every dossier answer: the contract version and, as
// the answers carry personal data, no caching.
func dossierHeaders(w http.ResponseWriter) {
	w.Header().Set("API-Version", APIVersion)
	w.Header().Set("Cache-Control", "no-store")
}

// ---- validation ----

// identifierList reads an optional list of identifiers from the body. It
// reports every problem at once (API design rule
// /core/error-handling/all-errors).
func identifierList(body map[string]json.RawMessage, name string, pattern *regexp.Regexp, bad *[]invalidParam) (list []string, present bool) {
	raw, ok := body[name]
	if !ok || string(raw) == "null" {
		return nil, false
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		*bad = append(*bad, invalidParam{Name: name, Code: "array", Reason: "Parameter is geen array."})
		return nil, true
	}
	for i, item := range items {
		var s string
		if json.Unmarshal(item, &s) != nil || !pattern.MatchString(s) {
			*bad = append(*bad, invalidParam{Name: fmt.Sprintf("%s[%d]", name, i), Code: "pattern",
				Reason: fmt.Sprintf("Waarde voldoet niet aan patroon %s.", pattern)})
			continue
		}
		list = append(list, s)
	}
	if len(items) == 0 {
		*bad = append(*bad, invalidParam{Name: name, Code: "minItems", Reason: "Array bevat minder dan 1 items."})
	}
	return list, true
}

func unknownParams(body map[string]json.RawMessage, known ...string) []invalidParam {
	var bad []invalidParam
	for _, k := range slices.Sorted(maps.Keys(body)) {
		if !slices.Contains(known, k) {
			bad = append(bad, invalidParam{Name: k, Code: "unknownParam", Reason: "Parameter is niet verwacht."})
		}
	}
	return bad
}

func unique(lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, s := range l {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// ---- voertuigbezit ----

// voertuigbezit answers which vehicles each person and organisation is
// liable for, modelled on RDWDossierGSD VoertuigbezitInfoPersoon and
// VoertuigbezitInfoOrg.
func (s *server) voertuigbezit(body map[string]json.RawMessage) (any, *problem) {
	bad := unknownParams(body, "burgerservicenummers", "kvkNummers")
	bsns, hasBSN := identifierList(body, "burgerservicenummers", bsnPattern, &bad)
	kvks, hasKvK := identifierList(body, "kvkNummers", kvkPattern, &bad)
	if !hasBSN && !hasKvK && len(bad) == 0 {
		return nil, &problem{Status: http.StatusBadRequest, Code: "paramsRequired",
			Title:  "Ten minste één parameter moet worden opgegeven.",
			Detail: "Geef burgerservicenummers, kvkNummers of beide."}
	}
	if len(bsns)+len(kvks) > maxSubjects {
		reason := fmt.Sprintf("Array bevat meer dan %d items.", maxSubjects)
		if hasBSN && hasKvK {
			reason = fmt.Sprintf("burgerservicenummers en kvkNummers bevatten samen meer dan %d items.", maxSubjects)
		}
		if len(bsns) > 0 {
			bad = append(bad, invalidParam{Name: "burgerservicenummers", Code: "maxItems", Reason: reason})
		}
		if len(kvks) > 0 {
			bad = append(bad, invalidParam{Name: "kvkNummers", Code: "maxItems", Reason: reason})
		}
	}
	if len(bad) > 0 {
		return nil, validationProblem(bad)
	}
	out := voertuigbezitAntwoord{ClientSuwi: []clientVoertuigen{}, OndernemingInst: []ondernemingVoertuigen{}}
	for _, bsn := range unique(bsns) {
		c := clientVoertuigen{Burgerservicenr: bsn}
		for _, v := range s.pop.VehiclesOfPerson(bsn) {
			c.Aansprakelijke = append(c.Aansprakelijke, s.aansprakelijke(v))
		}
		if len(c.Aansprakelijke) == 0 {
			c.NietsGevonden = &struct{}{}
		}
		out.ClientSuwi = append(out.ClientSuwi, c)
	}
	for _, kvk := range unique(kvks) {
		o := ondernemingVoertuigen{InschrijvingsnrKvK: kvk}
		if c, ok := s.pop.Company(kvk); ok {
			o.Rechtspersoon = &rechtspersoon{NaamRechtspersoon: c.Name}
		}
		for _, v := range s.pop.VehiclesOfCompany(kvk) {
			o.Aansprakelijke = append(o.Aansprakelijke, s.aansprakelijke(v))
		}
		if len(o.Aansprakelijke) == 0 {
			o.Rechtspersoon, o.NietsGevonden = nil, &struct{}{}
		}
		out.OndernemingInst = append(out.OndernemingInst, o)
	}
	return out, nil
}

type voertuigbezitAntwoord struct {
	ClientSuwi      []clientVoertuigen      `json:"ClientSuwi"`
	OndernemingInst []ondernemingVoertuigen `json:"OndernemingInst"`
}

type clientVoertuigen struct {
	Burgerservicenr string           `json:"Burgerservicenr"`
	Aansprakelijke  []aansprakelijke `json:"Aansprakelijke,omitempty"`
	NietsGevonden   *struct{}        `json:"NietsGevonden,omitempty"`
}

type ondernemingVoertuigen struct {
	InschrijvingsnrKvK string           `json:"InschrijvingsnrKvK"`
	Rechtspersoon      *rechtspersoon   `json:"Rechtspersoon,omitempty"`
	Aansprakelijke     []aansprakelijke `json:"Aansprakelijke,omitempty"`
	NietsGevonden      *struct{}        `json:"NietsGevonden,omitempty"`
}

type rechtspersoon struct {
	NaamRechtspersoon string `json:"NaamRechtspersoon"`
}

type aansprakelijke struct {
	DatRegistratieAansprakelijkheid string   `json:"DatRegistratieAansprakelijkheid"`
	DatEAansprakelijkheid           string   `json:"DatEAansprakelijkheid,omitempty"`
	Voertuig                        voertuig `json:"Voertuig"`
}

type voertuig struct {
	CdSrtVoertuig                    string       `json:"CdSrtVoertuig,omitempty"`
	KentekenVoertuig                 string       `json:"KentekenVoertuig"`
	MerkVoertuig                     string       `json:"MerkVoertuig,omitempty"`
	TypeVoertuig                     string       `json:"TypeVoertuig,omitempty"`
	HoofdkleurVoertuig               string       `json:"HoofdkleurVoertuig,omitempty"`
	DatEersteInschrijvingVoertuigNat string       `json:"DatEersteInschrijvingVoertuigNat,omitempty"`
	DatEersteInschrijvingVoertuigInt string       `json:"DatEersteInschrijvingVoertuigInt,omitempty"`
	BedrCatalogusVoertuig            *bedrag      `json:"BedrCatalogusVoertuig,omitempty"`
	Keuring                          []keuring    `json:"Keuring,omitempty"`
	Verzekering                      *verzekering `json:"Verzekering,omitempty"`
}

// bedrag is SuwiML's StandaardBedr: an amount in cents.
type bedrag struct {
	CdMunteenheid string `json:"CdMunteenheid"`
	WaardeBedr    int    `json:"WaardeBedr"`
}

type keuring struct {
	DatEGeldigheidApk string `json:"DatEGeldigheidApk"`
}

type verzekering struct {
	CdSrtDekking    string `json:"CdSrtDekking"`
	DatBVerzekering string `json:"DatBVerzekering,omitempty"`
}

// kindCode is SuwiML's CdSrtVoertuig for a voertuigsoort.
func kindCode(kind string) string {
	switch kind {
	case kindCar:
		return "P"
	case kindVan:
		return "B"
	case kindMotorcycle:
		return "M"
	case "Bromfiets":
		return "C"
	case "Aanhangwagen":
		return "A"
	case "Driewielig motorrijtuig":
		return "D"
	}
	return "O"
}

func (s *server) aansprakelijke(v *population.Vehicle) aansprakelijke {
	a := aansprakelijke{
		DatRegistratieAansprakelijkheid: string(v.RegisteredSince),
		Voertuig: voertuig{
			CdSrtVoertuig:                    kindCode(v.Kind),
			KentekenVoertuig:                 v.Plate,
			MerkVoertuig:                     v.Make,
			TypeVoertuig:                     v.TradeName,
			HoofdkleurVoertuig:               v.Colour,
			DatEersteInschrijvingVoertuigNat: string(v.FirstRegistrationNL),
			DatEersteInschrijvingVoertuigInt: string(v.FirstAdmission),
		},
	}
	if v.CatalogPrice > 0 {
		a.Voertuig.BedrCatalogusVoertuig = &bedrag{CdMunteenheid: "EUR", WaardeBedr: v.CatalogPrice * 100}
	}
	if apk := apkExpiry(v); apk != "" {
		a.Voertuig.Keuring = []keuring{{DatEGeldigheidApk: string(apk)}}
	}
	if v.Insured {
		a.Voertuig.Verzekering = &verzekering{CdSrtDekking: "WAM", DatBVerzekering: string(v.RegisteredSince)}
	}
	return a
}

// ---- rijbewijzen ----

// Licence statuses, computed against the population's reference date.
const (
	statusValid     = "geldig"
	statusExpired   = "verlopen"
	statusWithdrawn = "ingetrokken"
)

// rijbewijzen answers the driving licences of each person from the
// rijbewijzenregister.
func (s *server) rijbewijzen(body map[string]json.RawMessage) (any, *problem) {
	bad := unknownParams(body, "burgerservicenummers")
	bsns, has := identifierList(body, "burgerservicenummers", bsnPattern, &bad)
	if !has {
		bad = append(bad, invalidParam{Name: "burgerservicenummers", Code: "required", Reason: "Parameter is verplicht."})
	}
	if len(bsns) > maxSubjects {
		bad = append(bad, invalidParam{Name: "burgerservicenummers", Code: "maxItems",
			Reason: fmt.Sprintf("Array bevat meer dan %d items.", maxSubjects)})
	}
	if len(bad) > 0 {
		return nil, validationProblem(bad)
	}
	out := rijbewijzenAntwoord{ClientSuwi: []clientRijbewijzen{}}
	for _, bsn := range unique(bsns) {
		c := clientRijbewijzen{Burgerservicenr: bsn}
		for _, l := range s.pop.DrivingLicencesOf(bsn) {
			c.Rijbewijs = append(c.Rijbewijs, s.rijbewijs(l))
		}
		if len(c.Rijbewijs) == 0 {
			c.NietsGevonden = &struct{}{}
		}
		out.ClientSuwi = append(out.ClientSuwi, c)
	}
	return out, nil
}

type rijbewijzenAntwoord struct {
	ClientSuwi []clientRijbewijzen `json:"ClientSuwi"`
}

type clientRijbewijzen struct {
	Burgerservicenr string      `json:"Burgerservicenr"`
	Rijbewijs       []rijbewijs `json:"Rijbewijs,omitempty"`
	NietsGevonden   *struct{}   `json:"NietsGevonden,omitempty"`
}

type rijbewijs struct {
	Rijbewijsnr             string               `json:"Rijbewijsnr"`
	DatAfgifteRijbewijs     string               `json:"DatAfgifteRijbewijs"`
	DatEGeldigheidRijbewijs string               `json:"DatEGeldigheidRijbewijs"`
	AfgevendeGemeente       gemeente             `json:"AfgevendeGemeente"`
	StatusRijbewijs         string               `json:"StatusRijbewijs"`
	Rijbewijscategorie      []rijbewijscategorie `json:"Rijbewijscategorie"`
}

type gemeente struct {
	CdGemeente   string `json:"CdGemeente"`
	NaamGemeente string `json:"NaamGemeente,omitempty"`
}

type rijbewijscategorie struct {
	CdCategorieRijbewijs             string `json:"CdCategorieRijbewijs"`
	DatAfgifteCategorieRijbewijs     string `json:"DatAfgifteCategorieRijbewijs"`
	DatEGeldigheidCategorieRijbewijs string `json:"DatEGeldigheidCategorieRijbewijs"`
}

func (s *server) rijbewijs(l *population.DrivingLicence) rijbewijs {
	out := rijbewijs{
		Rijbewijsnr:             l.Number,
		DatAfgifteRijbewijs:     string(l.IssueDate),
		DatEGeldigheidRijbewijs: string(l.ExpiryDate),
		AfgevendeGemeente:       gemeente{CdGemeente: l.Authority},
		StatusRijbewijs:         s.licenceStatus(l),
		Rijbewijscategorie:      make([]rijbewijscategorie, 0, len(l.Categories)),
	}
	if m, ok := s.pop.Municipality(l.Authority); ok {
		out.AfgevendeGemeente.NaamGemeente = m.Name
	}
	for _, c := range l.Categories {
		out.Rijbewijscategorie = append(out.Rijbewijscategorie, rijbewijscategorie{
			CdCategorieRijbewijs:             c.Code,
			DatAfgifteCategorieRijbewijs:     string(c.IssueDate),
			DatEGeldigheidCategorieRijbewijs: string(c.ExpiryDate),
		})
	}
	return out
}

// licenceStatus computes the status on the reference date. A licence is
// valid through its expiry date; yyyymmdd dates compare as text.
func (s *server) licenceStatus(l *population.DrivingLicence) string {
	switch {
	case l.Withdrawn:
		return statusWithdrawn
	case l.ExpiryDate < s.ref:
		return statusExpired
	default:
		return statusValid
	}
}

// ---- problems ----

// problem is an RFC 9457 problem detail in the Haal Centraal shape, with
// invalidParams for validation errors.
type problem struct {
	Type          string         `json:"type"`
	Title         string         `json:"title"`
	Status        int            `json:"status"`
	Detail        string         `json:"detail,omitempty"`
	Instance      string         `json:"instance"`
	Code          string         `json:"code"`
	InvalidParams []invalidParam `json:"invalidParams,omitempty"`

	allow string
}

type invalidParam struct {
	Type   string `json:"type,omitempty"`
	Name   string `json:"name"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

func validationProblem(bad []invalidParam) *problem {
	names := make([]string, len(bad))
	for i, b := range bad {
		names[i] = b.Name
	}
	return &problem{Status: http.StatusBadRequest, Code: "paramsValidation",
		Title:         "Een of meerdere parameters zijn niet correct.",
		Detail:        "De foutieve parameter(s) zijn: " + strings.Join(names, ", ") + ".",
		InvalidParams: bad}
}

func notFoundProblem() *problem {
	return &problem{Status: http.StatusNotFound, Code: "notFound", Title: "Opgevraagde resource bestaat niet.",
		Detail: "Er is geen resource op dit pad; let op: paden eindigen niet op een slash."}
}

func methodNotAllowed(allow string) *problem {
	return &problem{Status: http.StatusMethodNotAllowed, Code: "methodNotAllowed",
		Title:  "Methode wordt niet ondersteund.",
		Detail: fmt.Sprintf("Gebruik %s op dit pad.", allow), allow: allow}
}

// problemType links a status to its definition in RFC 9110.
func problemType(status int) string {
	var section string
	switch status {
	case http.StatusBadRequest:
		section = "15.5.1"
	case http.StatusNotFound:
		section = "15.5.5"
	case http.StatusMethodNotAllowed:
		section = "15.5.6"
	case http.StatusNotAcceptable:
		section = "15.5.7"
	case http.StatusUnsupportedMediaType:
		section = "15.5.16"
	case http.StatusInternalServerError:
		section = "15.6.1"
	default:
		return "about:blank"
	}
	return "https://datatracker.ietf.org/doc/html/rfc9110#section-" + section
}

func writeProblem(w http.ResponseWriter, r *http.Request, p *problem) {
	p.Type = problemType(p.Status)
	p.Instance = r.URL.Path
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(p)
	if p.allow != "" {
		w.Header().Set("Allow", p.allow)
	}
	dossierHeaders(w)
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	w.Write(buf.Bytes())
}
