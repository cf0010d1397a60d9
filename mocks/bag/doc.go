// Package bag is a mock of the Kadaster's BAG API Individuele Bevragingen v2
// (Basisregistratie Adressen en Gebouwen) over the synthetic population.
//
// It serves the API as its live version 2.9.2 behaves: the archived OAS
// 2.0.0 (spec/openapi.yaml, the last document published whole) and the
// API's feature files for search, exacteMatch, expand, paging, links,
// address lines and errors. It serves HAL+JSON (application/hal+json)
// under BasePath, as on
// https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2:
//
//	GET /adressen?postcode=&huisnummer=[&huisletter=&huisnummertoevoeging=&exacteMatch=]
//	GET /adressen?woonplaatsNaam=&openbareRuimteNaam=&huisnummer=[&huisletter=&huisnummertoevoeging=&exacteMatch=]
//	GET /adressen?adresseerbaarObjectIdentificatie=
//	GET /adressen?pandIdentificatie=
//	GET /adressen/{nummeraanduidingIdentificatie}
//	GET /adresseerbareobjecten/{adresseerbaarObjectIdentificatie}
//	GET /verblijfsobjecten/{identificatie}
//	GET /panden/{identificatie}
//
// The searches on /adressen page with page and pageSize (10 to 100, default
// 20), _links self, first, previous, next and last, and the
// X-Pagination-Page and X-Pagination-Limit headers. Addresses take expand
// with nummeraanduiding, openbareRuimte, woonplaats, adresseerbaarObject and
// panden (or true); adresseerbare objecten and verblijfsobjecten take
// heeftAlsHoofdAdres, heeftAlsNevenAdres and maaktDeelUitVan. Every answer
// carries the api-version header; answers with geometry carry Content-Crs
// epsg:28992, and an Accept-Crs other than epsg:28992 is refused with 406.
//
// Errors are application/problem+json with status, title, type, detail,
// instance, code and invalid-params, with the titles, codes and reasons of
// foutafhandeling.feature: paramsRequired, paramsCombination,
// unsupportedCombination, paramsValidation (a wrong type reported alone,
// other violations all together, a page past the last), notFound,
// methodNotAllowed (any method but GET), notAcceptable (an Accept header
// that does not allow application/hal+json) and crsNotAcceptable. A path
// with a trailing slash is not found (API design rule
// /core/no-trailing-slash).
//
// Shapes the 2.0.0 OAS does not define, and where they come from
// (connectors/bag/conformance_test.go adds them to the document it holds
// the mock to):
//
//   - adresregel5 and adresregel6 of an address (adresregels.feature).
//   - _embedded.adresseerbaarObject and _embedded.panden of an address: the
//     object in the shape of GET /adresseerbareobjecten/{id}
//     ({"verblijfsobject": {"verblijfsobject": {...}, "_links": {...}}}) and
//     the panden as a list in the shape of GET /panden/{id}
//     ([{"pand": {...}, "_links": {...}}]), as the live API (2.9) answers and
//     adresseerbaarobject-embedden-in-adres.feature describes.
//   - The population has no BAG history. Each object has one voorkomen
//     (versie 1), with dates derived from its identification and year built:
//     objects of buildings from before 2010 are registered in 2009 to 2011,
//     later ones in their year of building, never after the population's
//     reference date. documentdatum and documentnummer follow from the same
//     registration. geldigOp before beginGeldigheid, or beschikbaarOp before
//     tijdstipRegistratieLV, finds nothing (404).
//   - A pand's geometry is a square of 24 by 24 metres around the
//     population's building point, holding every verblijfsobject point of
//     the building.
//
// Left out: the other endpoints (/adressen/zoek and zoekresultaatIdentificatie,
// which therefore finds nothing; /adressenuitgebreid, /nummeraanduidingen,
// /openbareruimten, /woonplaatsen, /ligplaatsen, /standplaatsen,
// /bronhouders, the searches on /adresseerbareobjecten, /verblijfsobjecten
// and /panden, and the lvc and voorkomen endpoints), all answered with 404;
// bounding box and geometry searches; inonderzoek and geconstateerd on
// addresses (nothing in the population is in onderzoek); huidig and
// inclusiefEindStatus filtering (every object is current, so inclusiefEindStatus
// is only validated); time travel parameters in links; nevenadressen,
// ligplaatsen and standplaatsen (the population has none). The mock checks
// the X-Api-Key header only when a key is configured (RequireKey), so the
// hub's development mode runs against it without credentials; the real
// API always refuses a call without one.
package bag
