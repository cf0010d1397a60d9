package nhr

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
)

// The functionarissen contract is our own (functionarissen.openapi.yaml):
// no public KvK API gives functionaries with their BSN, though the
// Handelsregister holds them and delivers them to government bodies.

type functionaris struct {
	Burgerservicenummer string `json:"burgerservicenummer"`
	Functie             string `json:"functie"`
	DatumAanvang        string `json:"datumAanvang"`
}

type functionarisList struct {
	KvkNummer       string         `json:"kvkNummer"`
	Functionarissen []functionaris `json:"functionarissen"`
	Links           []link         `json:"links"`
}

type inschrijving struct {
	KvkNummer    string `json:"kvkNummer"`
	Naam         string `json:"naam"`
	Functie      string `json:"functie"`
	DatumAanvang string `json:"datumAanvang"`
	Links        []link `json:"links"`
}

type inschrijvingList struct {
	Inschrijvingen []inschrijving `json:"inschrijvingen"`
}

// maxZoekvraag bounds the request body; the one field it holds is small.
const maxZoekvraag = 4 << 10

func (s *server) functionarissen(w http.ResponseWriter, r *http.Request, kvk string) {
	c, _, ok := s.company(w, r, kvk, false)
	if !ok {
		return
	}
	self := baseURL(r) + "/v1/basisprofielen/" + c.KvKNumber
	l := functionarisList{
		KvkNummer:       c.KvKNumber,
		Functionarissen: make([]functionaris, 0, len(c.Functionaries)),
		Links:           []link{{"self", self + "/functionarissen"}, {"basisprofiel", self}},
	}
	for _, f := range c.Functionaries {
		l.Functionarissen = append(l.Functionarissen, functionaris{
			Burgerservicenummer: f.BSN, Functie: f.Role, DatumAanvang: string(f.Since),
		})
	}
	writeBody(w, r, versionFunctionarissen, l, mediaJSON, mediaHALJSON)
}

// zoekFunctionarissen answers POST /api/v1/functionarissen/zoeken: the
// active registrations in which the person in the body is a functionary.
// Like Zoeken, nothing found is 404 IPD5200.
func (s *server) zoekFunctionarissen(w http.ResponseWriter, r *http.Request) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != mediaJSON {
		writeFout(w, r, http.StatusUnsupportedMediaType, fout{ipdInput, "Content-Type moet application/json zijn."})
		return
	}
	bsn, fields, err := readZoekvraag(http.MaxBytesReader(w, r.Body, maxZoekvraag))
	switch {
	case err != nil:
		writeFout(w, r, http.StatusBadRequest, fout{ipdInput, msgInput})
		return
	case len(fields) > 0:
		invalidParameters(w, r, fields...)
		return
	}
	base := baseURL(r)
	l := inschrijvingList{Inschrijvingen: []inschrijving{}}
	for _, c := range s.pop.CompaniesOf(bsn) {
		if s.idx.Inactive(c) {
			continue
		}
		for _, f := range c.Functionaries {
			if f.BSN != bsn {
				continue
			}
			l.Inschrijvingen = append(l.Inschrijvingen, inschrijving{
				KvkNummer: c.KvKNumber, Naam: c.Name, Functie: f.Role, DatumAanvang: string(f.Since),
				Links: []link{{"basisprofiel", base + "/v1/basisprofielen/" + c.KvKNumber}},
			})
		}
	}
	if len(l.Inschrijvingen) == 0 {
		writeFout(w, r, http.StatusNotFound, fout{ipdNothingFound, msgNothingFound})
		return
	}
	slices.SortFunc(l.Inschrijvingen, func(a, b inschrijving) int { return strings.Compare(a.KvkNummer, b.KvkNummer) })
	writeBody(w, r, versionFunctionarissen, l, mediaJSON, mediaHALJSON)
}

// readZoekvraag decodes the search body. It returns the BSN, or the names of
// the fields that are wrong (unknown, missing, not nine digits), or an error
// when the body is not a JSON object.
func readZoekvraag(body io.Reader) (bsn string, wrong []string, err error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(body)
	if err := dec.Decode(&raw); err != nil {
		return "", nil, err
	}
	if raw == nil {
		return "", nil, errors.New("body is null")
	}
	if dec.More() {
		return "", nil, errors.New("more than one JSON value")
	}
	for k := range raw {
		if k != "burgerservicenummer" {
			wrong = append(wrong, k)
		}
	}
	var v string
	if m, ok := raw["burgerservicenummer"]; !ok || json.Unmarshal(m, &v) != nil || !digits(v, 9) {
		wrong = append(wrong, "burgerservicenummer")
	}
	slices.Sort(wrong)
	return v, wrong, nil
}
