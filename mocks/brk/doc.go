// Package brk is a mock of the Kadaster's BRK-Bevragen API v2 (Haal
// Centraal, Basisregistratie Kadaster) over the synthetic population: its
// parcels and apartment rights, who holds rights on them, and the
// public-law restrictions that protect monuments.
//
// It follows the OpenAPI document 2.0.0 vendored in spec/ and serves
// HAL+JSON (application/hal+json) under BasePath, as on
// https://api.brk.kadaster.nl/esd/bevragen/v2:
//
//	GET  /kadastraalonroerendezaken?nummeraanduidingIdentificatie=
//	GET  /kadastraalonroerendezaken?postcode=[&huisnummer=&huisletter=&huisnummertoevoeging=]
//	GET  /kadastraalonroerendezaken?kadastraleAanduiding=[&inclusiefKadastraalOnroerendeZakenUitSplitsing=]
//	GET  /kadastraalonroerendezaken?kadastraleAanduidingMetGemeentecode=[&inclusiefKadastraalOnroerendeZakenUitSplitsing=]
//	GET  /kadastraalonroerendezaken?persoon__identificatie=
//	POST /kadastraalonroerendezaken {"burgerservicenummer": "..."}
//	GET  /kadastraalonroerendezaken/{kadastraalOnroerendeZaakIdentificatie}
//	GET  /kadastraalonroerendezaken/{kadastraalOnroerendeZaakIdentificatie}/zakelijkgerechtigden[?type=]
//	GET  /kadastraalonroerendezaken/{kadastraalOnroerendeZaakIdentificatie}/zakelijkgerechtigden/{zakelijkGerechtigdeIdentificatie}
//	GET  /publiekrechtelijkebeperkingen?kadastraalOnroerendeZaakIdentificatie=
//
// As the API has it, the searches by person (persoon__identificatie, and
// the POST by burgerservicenummer) leave out zakelijkGerechtigdeIdentificaties;
// the other searches and the single resource take expand=zakelijkGerechtigden
// (and privaatrechtelijkeBeperkingen, of which the population has none).
// A zakelijk gerechtigde names its person by type: a BSN for an
// ingeschreven_natuurlijk_persoon, an RSIN for an
// ingeschreven_niet_natuurlijk_persoon, with a description (initials and
// name, or the statutory name). A whole share has no aandeel: the
// OpenAPI's TypeBreuk says the numerator is always below the denominator.
// A land parcel split into apartment rights has gesplitstZakelijkRecht
// eigenaar and no zakelijk gerechtigden of its own.
//
// Every answer carries the api-version header. Wrapped in RequireKey, as the
// hub's embedded mock is when the BRK's API key is configured, the mock
// refuses a call without that key in X-Api-Key, or with another, with 401
// (code authentication), as the API does; unwrapped it asks for none.
//
// Errors are application/problem+json (Foutbericht, BadRequestFoutbericht
// with invalidParams) with the codes of the OpenAPI's examples:
// paramsRequired (no search), unsupportedCombination (parameters of two
// categories), paramsValidation (a value outside its pattern or range, an
// unknown expand, a body without a valid burgerservicenummer), notFound,
// authentication, notAcceptable (an Accept header that does not allow
// application/hal+json, an Accept-Crs other than epsg:28992) and
// methodNotAllowed.
//
// Left out: fields (every answer is whole), geometry (begrenzingPerceel,
// plaatscoordinaten), koopsom, filiatie, the Kadaster's own persons
// (/kadasternatuurlijkpersonen, /kadasternietnatuurlijkpersonen: the
// population's holders are all in the BRP or the Handelsregister), and
// hypotheken, beslagen, privaatrechtelijke beperkingen, stukken and
// stukdelen, answered with 404.
package brk
