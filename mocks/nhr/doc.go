// Package nhr is the mock of the Handelsregister (NHR) as the KvK serves it,
// answering from a population.Population at the real paths below /api:
//
//	GET  /api/v2/zoeken                                   Zoeken v2.0.0
//	GET  /api/v1/basisprofielen/{kvkNummer}[?geoData=]    Basisprofiel v1.5.0
//	GET  /api/v1/basisprofielen/{kvkNummer}/eigenaar[?geoData=]
//	GET  /api/v1/basisprofielen/{kvkNummer}/hoofdvestiging[?geoData=]
//	GET  /api/v1/basisprofielen/{kvkNummer}/vestigingen
//	GET  /api/v1/vestigingsprofielen/{vestigingsnummer}[?geoData=]   Vestigingsprofiel v1.4
//	GET  /api/v1/basisprofielen/{kvkNummer}/functionarissen          our own contract
//	POST /api/v1/functionarissen/zoeken                              our own contract
//	GET  /api/v1/functionarissen/openapi.yaml                        that contract
//
// Shapes, field names and parameter rules follow the OpenAPI files KvK
// publishes on developers.kvk.nl (Zoeken 2.0.0, Basisprofiel 1.5.0,
// Vestigingsprofiel 1.4). Where the live documentation differs from them the
// OpenAPI file wins: Zoeken answers HAL links (_links) where the
// documentation's examples show links arrays. Basisprofiel and
// Vestigingsprofiel use links arrays of {rel, href}, as their files say.
// Dates are KvK's "yyyymmdd" strings; BAG identifiers in geoData are spelled
// addresseerbaarObjectId (double d) and nummerAanduidingId, as KvK spells
// them; gpsLatitude and gpsLongitude are converted from the Rijksdriehoek
// coordinates with the approximation KvK itself uses.
//
// Errors have KvK's shape {"fout":[{"code":"IPD....","omschrijving":"..."}]}
// in the media type each API declares for them: application/hal+json for
// Basisprofiel and Vestigingsprofiel, application/json for Zoeken (or
// HAL+JSON when only that is accepted) and the functionarissen contract:
// IPD0004, IPD0006 and IPD0010 for a malformed KvK number, vestigingsnummer
// or RSIN (400); IPD0005 and IPD0007 for a number
// the registry does not hold (404); IPD1999 naming every malformed or
// wrongly combined parameter (400); IPD5203 for an unknown type (400);
// IPD1998 when a search has no criterion or a body is not JSON (400);
// IPD5200 when a search finds nothing (404). An unknown path, including any
// path with a trailing slash, is 404 IPD0001; a wrong method is 405 with
// Allow; an Accept header that admits neither application/json nor
// application/hal+json is 406. KvK documents no codes for 405, 406 and 415;
// the mock uses IPD1998 for them, and for a call without the configured
// API key (RequireKey: 401; the functionarissen contract takes no KvK key).
// Error texts may name a KvK number or vestigingsnummer, as KvK's do, but
// never a BSN or a person's name.
//
// The functionarissen endpoints are a contract of our own, documented in
// functionarissen.openapi.yaml beside this file: the public KvK APIs give
// no functionaries, while the Handelsregister holds them with their BSN and
// government bodies receive them. The BSN is posted in a body, never put in
// a URL.
//
// Facts the population does not hold are derived, always the same way:
// indNonMailing is "Ja" for KvK numbers ending in 3 or 7; a branch address
// is shielded (indAfgeschermd) when it is the home address of a
// functionary with BRP geheimhouding, and then shows only its place, has no
// geoData and is not found by address searches. A legal entity (a company
// with an RSIN) is a Zoeken result of type rechtspersoon with its main
// branch's address, and its eigenaar carries that address; a natural
// person's home address is not the Handelsregister's to give.
//
// Left out: postbus and foreign addresses and correspondentieadressen (the
// population has none), vervallen names, the Naamgeving and Mutatieservice
// APIs, KvK's prerelease APIs, and authentication without a configured key:
// the apikey header is then neither required nor checked. Zoeken ignores
// parameters it does not know, as the real API does, matches naam on whole words of trade names and the
// statutory name, straatnaam and plaats on the whole name (case
// insensitive), and shows at most 1,000 results.
//
// The handler holds no mutable state and builds its indexes once in New,
// so one handler serves any number of goroutines without scanning the
// population per request.
package nhr
