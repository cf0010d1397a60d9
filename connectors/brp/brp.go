// Package brp is the connector to the BRP (Basisregistratie Personen)
// through the Haal Centraal "BRP Personen bevragen" API, version 2, and the
// Haal Centraal "Reisdocumenten bevragen" API beside it. It maps the
// registry's shapes to the plain Go types in types.go and knows nothing of
// GraphQL.
package brp

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"strings"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/httpclient"
	"github.com/poort-nl/poort/internal/ident"
)

// ID is the connector's registration ID.
const ID = "brp-haalcentraal-personen-v2"

// Paths relative to the configured base URL, which is the BRP API's base
// (".../haalcentraal/api/brp"). RvIG publishes the Reisdocumenten API
// beside it, at ".../haalcentraal/api/reisdocumenten".
const (
	personenPath       = "personen"
	reisdocumentenPath = "../reisdocumenten/reisdocumenten"
)

// The API's limits.
const (
	// MaxBSNs is the most BSNs one RaadpleegMetBurgerservicenummer takes.
	MaxBSNs = 20
	// MaxFields is the most paths one fields parameter takes.
	MaxFields = 130
	// maxDocumentFields is the most paths the Reisdocumenten API takes.
	maxDocumentFields = 25
	// parallelBatches bounds the calls one PersonsByBSN makes at once.
	parallelBatches = 4
)

// searchFields are the PersoonBeperkt fields the searches ask for.
func searchFields() []string {
	return []string{"burgerservicenummer", "naam", "geboorte", "geslacht", "leeftijd", "adressering"}
}

// travelDocumentFields are the fields of a Reisdocument a client may ask
// for, whole.
func travelDocumentFields() []string {
	return []string{"reisdocumentnummer", "soort", "datumEindeGeldigheid", "inhoudingOfVermissing", "houder"}
}

// TravelDocumentPaths returns every path the Reisdocumenten API accepts in
// fields (version 2.0.0), so the GraphQL layer can check its lineage
// declarations at start-up. The automatically delivered fields (inOnderzoek,
// the holder's geheimhoudingPersoonsgegevens and opschortingBijhouding) are
// not among them: asking for them is an error.
func TravelDocumentPaths() []string {
	dateParts := []string{"", ".type", ".datum", ".langFormaat", ".onbekend", ".jaar", ".maand"}
	out := []string{"reisdocumentnummer", "soort", "soort.code", "soort.omschrijving"}
	for _, d := range dateParts {
		out = append(out, "datumEindeGeldigheid"+d)
	}
	out = append(out, "inhoudingOfVermissing")
	for _, d := range dateParts {
		out = append(out, "inhoudingOfVermissing.datum"+d)
	}
	return append(out, "inhoudingOfVermissing.aanduiding", "inhoudingOfVermissing.aanduiding.code",
		"inhoudingOfVermissing.aanduiding.omschrijving", "houder", "houder.burgerservicenummer")
}

// Client calls the BRP. It is safe for concurrent use.
type Client struct {
	http *httpclient.Client
	// fields and docFields are the paths the Personen and Reisdocumenten
	// APIs accept.
	fields, docFields map[string]bool
}

// New builds a client from the configuration; it does not touch the
// network. BaseURL is the BRP API's base, e.g.
// "https://proefomgeving.haalcentraal.nl/haalcentraal/api/brp"; the API key
// goes in AuthHeader "X-API-KEY".
func New(cfg connectors.Config) (*Client, error) {
	hc, err := httpclient.New(httpclient.Options{Config: cfg, Registry: Registry})
	if err != nil {
		return nil, fmt.Errorf("brp: %w", err)
	}
	fields := map[string]bool{}
	for _, f := range FieldPaths() {
		fields[f] = true
	}
	docFields := map[string]bool{}
	for _, f := range TravelDocumentPaths() {
		docFields[f] = true
	}
	return &Client{http: hc, fields: fields, docFields: docFields}, nil
}

// Registry returns Registry.
func (c *Client) Registry() connectors.Registry { return Registry }

// Close releases idle connections.
func (c *Client) Close() error { return c.http.Close() }

// healthBSN is a number in the BSN pattern that no person has: a lookup of
// it proves the registry answers without disclosing anyone.
const healthBSN = "000000000"

// Check asks RaadpleegMetBurgerservicenummer for a BSN nobody has; any
// answer of the API's shape, the usual empty one included, is healthy.
func (c *Client) Check(ctx context.Context) error {
	_, err := c.raadpleeg(ctx, []string{healthBSN}, []string{"burgerservicenummer"})
	return err
}

// Person is RaadpleegMetBurgerservicenummer for one person. fields are BRP
// field paths (see FieldPaths). It returns a *connectors.Error of kind
// ErrNotFound when the registry knows no person with the BSN.
func (c *Client) Person(ctx context.Context, bsn string, fields []string) (*Person, error) {
	persons, err := c.PersonsByBSN(ctx, []string{bsn}, fields)
	if err != nil {
		return nil, err
	}
	p, ok := persons[bsn]
	if !ok {
		return nil, &connectors.Error{Registry: Registry, Operation: opRaadpleeg, Kind: connectors.ErrNotFound}
	}
	return p, nil
}

// PersonsByBSN is RaadpleegMetBurgerservicenummer for any number of BSNs:
// it splits them in batches of MaxBSNs and calls those concurrently. fields
// are BRP field paths (see FieldPaths); burgerservicenummer is always added
// to key the answer. The map holds the persons the registry knows, the
// deceased included; an unknown BSN is absent, not an error. An invalid BSN
// or field fails the whole call with ErrInvalidRequest before any call.
func (c *Client) PersonsByBSN(ctx context.Context, bsns []string, fields []string) (map[string]*Person, error) {
	keys, err := uniqueBSNs(opRaadpleeg, bsns)
	if err != nil {
		return nil, err
	}
	if fields, err = c.checkFields(append([]string{"burgerservicenummer"}, fields...)); err != nil {
		return nil, err
	}
	return connectors.Batches(ctx, keys, MaxBSNs, parallelBatches, func(ctx context.Context, batch []string) (map[string]*Person, error) {
		persons, err := c.raadpleeg(ctx, batch, fields)
		if err != nil {
			return nil, err
		}
		byBSN := make(map[string]*Person, len(persons))
		for _, p := range persons {
			byBSN[p.BSN] = p
		}
		return byBSN, nil
	})
}

const opRaadpleeg = "RaadpleegMetBurgerservicenummer"

func (c *Client) raadpleeg(ctx context.Context, bsns, fields []string) ([]*Person, error) {
	body := map[string]any{"type": opRaadpleeg, "burgerservicenummer": bsns, "fields": fields}
	return c.personen(ctx, opRaadpleeg, body)
}

// personen posts a query to /personen and maps the persons in the answer.
// The POST changes nothing, so it is retried like a GET.
func (c *Client) personen(ctx context.Context, op string, body map[string]any) ([]*Person, error) {
	var resp personenResponse
	err := c.http.Do(ctx, httpclient.Request{
		Operation: op, Method: http.MethodPost, Path: personenPath, Body: body, Idempotent: true,
	}, &resp)
	if err != nil {
		return nil, err
	}
	out := make([]*Person, 0, len(resp.Personen))
	for i := range resp.Personen {
		if resp.Personen[i].Burgerservicenummer == "" {
			return nil, &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrInvalidResponse,
				Detail: "a person without burgerservicenummer"}
		}
		out = append(out, resp.Personen[i].person())
	}
	return out, nil
}

// SearchOption refines a search.
type SearchOption func(*search)

type search struct {
	givenNames, prefix, gender string
	houseLetter, addition      string
	includeDeceased            bool
	municipality               string
}

// WithGivenNames narrows a name search to the given names; a trailing "*"
// matches any rest (voornamen).
func WithGivenNames(names string) SearchOption { return func(s *search) { s.givenNames = names } }

// WithPrefix narrows a name search to the surname prefix (voorvoegsel).
func WithPrefix(prefix string) SearchOption { return func(s *search) { s.prefix = prefix } }

// WithGender narrows a name search to M, V or O (geslacht).
func WithGender(gender string) SearchOption { return func(s *search) { s.gender = gender } }

// WithHouseLetter narrows an address search to the house letter
// (huisletter).
func WithHouseLetter(letter string) SearchOption { return func(s *search) { s.houseLetter = letter } }

// WithAddition narrows an address search to the house number addition
// (huisnummertoevoeging).
func WithAddition(addition string) SearchOption { return func(s *search) { s.addition = addition } }

// WithMunicipality narrows a search to persons registered in the
// municipality, a four-digit code (gemeenteVanInschrijving).
func WithMunicipality(code string) SearchOption { return func(s *search) { s.municipality = code } }

// IncludeDeceased makes a search find the deceased too
// (inclusiefOverledenPersonen).
func IncludeDeceased() SearchOption { return func(s *search) { s.includeDeceased = true } }

func newSearch(opts []SearchOption) *search {
	s := &search{}
	for _, o := range opts {
		o(s)
	}
	return s
}

// common adds the parameters every search takes and refuses the options
// that belong to another kind of search.
func (s *search) common(op string, body map[string]any, nameOptions, addressOptions bool) error {
	if (!nameOptions && (s.givenNames != "" || s.prefix != "" || s.gender != "")) ||
		(!addressOptions && (s.houseLetter != "" || s.addition != "")) {
		return invalid(op, "an option of another kind of search was given")
	}
	if s.includeDeceased {
		body["inclusiefOverledenPersonen"] = true
	}
	if s.municipality != "" {
		if len(s.municipality) != 4 || strings.Trim(s.municipality, "0123456789") != "" {
			return invalid(op, "a municipality code has four digits")
		}
		body["gemeenteVanInschrijving"] = s.municipality
	}
	for k, v := range map[string]string{"voornamen": s.givenNames, "voorvoegsel": s.prefix, "geslacht": s.gender,
		"huisletter": s.houseLetter, "huisnummertoevoeging": s.addition} {
		if v != "" {
			body[k] = v
		}
	}
	return nil
}

// SearchByNameAndBirthDate is ZoekMetGeslachtsnaamEnGeboortedatum: persons
// with the surname (without prefix; case-insensitive, a trailing "*" after
// at least three letters matches any rest) born on the ISO date. It gives
// the persons in the registry's order with the PersoonBeperkt fields:
// BSN, Name, Gender, Birth (date only), Age and AddressLines (lines
// only), plus Secret and the suspension. The deceased come only with
// IncludeDeceased. More than 10 matches is an ErrInvalidRequest whose
// Detail starts with "tooManyResults".
func (c *Client) SearchByNameAndBirthDate(ctx context.Context, surname, birthDate string, opts ...SearchOption) ([]*Person, error) {
	const op = "ZoekMetGeslachtsnaamEnGeboortedatum"
	if strings.TrimSpace(surname) == "" || len(surname) > 200 {
		return nil, invalid(op, "a surname has 1 to 200 characters")
	}
	if !isISODate(birthDate) {
		return nil, invalid(op, "a birth date is an ISO date like 1983-05-26")
	}
	body := map[string]any{"type": op, "geslachtsnaam": surname, "geboortedatum": birthDate, "fields": searchFields()}
	if err := newSearch(opts).common(op, body, true, false); err != nil {
		return nil, err
	}
	return c.personen(ctx, op, body)
}

// SearchByPostcode is ZoekMetPostcodeEnHuisnummer: the persons registered
// at the postcode and house number, with the fields SearchByNameAndBirthDate
// gives. More than 30 matches is an ErrInvalidRequest.
func (c *Client) SearchByPostcode(ctx context.Context, postcode string, number int, opts ...SearchOption) ([]*Person, error) {
	const op = "ZoekMetPostcodeEnHuisnummer"
	pc, err := ident.ParsePostcode(postcode)
	if err != nil {
		return nil, invalid(op, err.Error())
	}
	if _, err := ident.ParseHouseNumber(number); err != nil {
		return nil, invalid(op, err.Error())
	}
	body := map[string]any{"type": op, "postcode": pc, "huisnummer": number, "fields": searchFields()}
	if err := newSearch(opts).common(op, body, false, true); err != nil {
		return nil, err
	}
	return c.personen(ctx, op, body)
}

// SearchByAddressID is ZoekMetNummeraanduidingIdentificatie: the persons
// registered at the BAG address, with the fields SearchByNameAndBirthDate
// gives.
func (c *Client) SearchByAddressID(ctx context.Context, addressID string, opts ...SearchOption) ([]*Person, error) {
	const op = "ZoekMetNummeraanduidingIdentificatie"
	id, err := ident.ParseAddressID(addressID)
	if err != nil {
		return nil, invalid(op, err.Error())
	}
	body := map[string]any{"type": op, "nummeraanduidingIdentificatie": id, "fields": searchFields()}
	if err := newSearch(opts).common(op, body, false, false); err != nil {
		return nil, err
	}
	return c.personen(ctx, op, body)
}

// SearchByObject is ZoekMetAdresseerbaarObjectIdentificatie: the persons
// registered at the BAG residential object, with the fields
// SearchByNameAndBirthDate gives.
func (c *Client) SearchByObject(ctx context.Context, objectID string, opts ...SearchOption) ([]*Person, error) {
	const op = "ZoekMetAdresseerbaarObjectIdentificatie"
	id, err := ident.ParseObjectID(objectID)
	if err != nil {
		return nil, invalid(op, err.Error())
	}
	body := map[string]any{"type": op, "adresseerbaarObjectIdentificatie": id, "fields": searchFields()}
	if err := newSearch(opts).common(op, body, false, false); err != nil {
		return nil, err
	}
	return c.personen(ctx, op, body)
}

// TravelDocuments is the Reisdocumenten API's ZoekMetBurgerservicenummer:
// the travel documents the person still holds, expired or not (one handed
// in, lapsed or reported lost is left out by the registry). fields are
// Reisdocument paths (see TravelDocumentPaths); none means all. A person
// without documents, or unknown, gives an empty slice.
func (c *Client) TravelDocuments(ctx context.Context, bsn string, fields []string) ([]TravelDocument, error) {
	const op = "ZoekMetBurgerservicenummer"
	if err := checkBSN(op, bsn); err != nil {
		return nil, err
	}
	return c.reisdocumenten(ctx, op, map[string]any{"type": op, "burgerservicenummer": bsn}, fields)
}

// TravelDocument is RaadpleegMetReisdocumentnummer: the document with the
// number, held or withdrawn. It returns a *connectors.Error of kind
// ErrNotFound when no document has the number.
func (c *Client) TravelDocument(ctx context.Context, number string, fields []string) (*TravelDocument, error) {
	const op = "RaadpleegMetReisdocumentnummer"
	nr, err := ident.ParseTravelDocumentNumber(number)
	if err != nil {
		return nil, invalid(op, err.Error())
	}
	docs, err := c.reisdocumenten(ctx, op, map[string]any{"type": op, "reisdocumentnummer": []string{nr}}, fields)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrNotFound}
	}
	return &docs[0], nil
}

func (c *Client) reisdocumenten(ctx context.Context, op string, body map[string]any, fields []string) ([]TravelDocument, error) {
	if len(fields) == 0 {
		fields = travelDocumentFields()
	}
	if len(fields) > maxDocumentFields {
		return nil, invalid(op, fmt.Sprintf("%d field paths, the API takes at most %d", len(fields), maxDocumentFields))
	}
	for _, f := range fields {
		if !c.docFields[f] {
			return nil, invalid(op, fmt.Sprintf("%q is not a Reisdocument field path", f))
		}
	}
	body["fields"] = fields
	var resp reisdocumentenResponse
	err := c.http.Do(ctx, httpclient.Request{
		Operation: op, Method: http.MethodPost, Path: reisdocumentenPath, Body: body, Idempotent: true,
	}, &resp)
	if err != nil {
		return nil, err
	}
	out := make([]TravelDocument, 0, len(resp.Reisdocumenten))
	for i := range resp.Reisdocumenten {
		out = append(out, resp.Reisdocumenten[i].document())
	}
	return out, nil
}

// checkBSN checks a BSN as the API does: nine digits. The registry holds
// numbers that fail the elfproef (its published test set has some), so the
// connector asks for them; the hub's own edge keeps the elfproef.
func checkBSN(op, bsn string) error {
	if len(bsn) != 9 || strings.Trim(bsn, "0123456789") != "" {
		return invalid(op, "a BSN has exactly 9 digits")
	}
	return nil
}

// uniqueBSNs checks every BSN and drops repeats, keeping the order.
func uniqueBSNs(op string, bsns []string) ([]string, error) {
	seen := make(map[string]bool, len(bsns))
	out := make([]string, 0, len(bsns))
	for _, b := range bsns {
		if err := checkBSN(op, b); err != nil {
			return nil, err
		}
		if !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
	}
	return out, nil
}

// checkFields drops repeated paths and refuses paths the API does not
// know, so a mistake in a lineage declaration shows here and not as the
// registry's 400.
func (c *Client) checkFields(fields []string) ([]string, error) {
	seen := make(map[string]bool, len(fields))
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		if !c.fields[f] {
			return nil, invalid(opRaadpleeg, fmt.Sprintf("%q is not a Persoon field path", f))
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	if len(out) > MaxFields {
		return nil, invalid(opRaadpleeg, fmt.Sprintf("%d field paths, the API takes at most %d", len(out), MaxFields))
	}
	return out, nil
}

func invalid(op, detail string) *connectors.Error {
	return &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrInvalidRequest, Detail: detail}
}

func isISODate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	y, m, d := atoi(s[0:4]), atoi(s[5:7]), atoi(s[8:10])
	return y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// fieldsPersoonCSV is features/fields-Persoon.csv of the API's repository:
// every path the fields parameter accepts for a Persoon.
//
//go:embed fields-Persoon.csv
var fieldsPersoonCSV string

// FieldPaths returns every field path RaadpleegMetBurgerservicenummer
// accepts, in the order the API publishes them, so the GraphQL layer can
// check its lineage declarations at start-up. The automatically delivered
// fields (inOnderzoek, geheimhoudingPersoonsgegevens, opschortingBijhouding,
// rni, verificatie) are not among them: asking for them is an error.
func FieldPaths() []string {
	var out []string
	for i, line := range strings.Split(fieldsPersoonCSV, "\n") {
		if line = strings.TrimSpace(line); i > 0 && line != "" {
			out = append(out, line)
		}
	}
	return out
}

var _ connectors.Connector = (*Client)(nil)
