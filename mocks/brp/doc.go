// Package brp is the mock of the BRP (Basisregistratie Personen): it serves
// the Haal Centraal "BRP Personen bevragen" API, version 2.7.0 (RvIG,
// BRP-API/Haal-Centraal-BRP-bevragen), at POST
// /haalcentraal/api/brp/personen, and the Haal Centraal "Reisdocumenten
// bevragen" API, version 2 (BRP-API/Haal-Centraal-Reisdocumenten-bevragen),
// at POST /haalcentraal/api/reisdocumenten/reisdocumenten. It answers from a
// synthetic population (mocks/population) in the published response shapes
// and knows nothing of the hub's connectors.
//
// # What it implements
//
// Every query type of POST /personen: RaadpleegMetBurgerservicenummer (1 to
// 20 BSNs, the deceased included, optionally only those registered in
// gemeenteVanInschrijving; an unknown BSN is left out of a 200 answer),
// ZoekMetGeslachtsnaamEnGeboortedatum, ZoekMetNaamEnGemeenteVanInschrijving,
// ZoekMetPostcodeEnHuisnummer, ZoekMetStraatHuisnummerEnGemeenteVanInschrijving,
// ZoekMetNummeraanduidingIdentificatie and
// ZoekMetAdresseerbaarObjectIdentificatie. The searches answer PersoonBeperkt
// (GezagPersoonBeperkt for the last), leave out the deceased unless
// inclusiefOverledenPersonen is true, match names case- and
// diacritic-insensitively with the "*" wildcards the patterns allow, and
// refuse more than 10 results (30 for the address searches) with 400
// tooManyResults.
//
// The fields parameter is required and honoured as the specification's
// features describe: only the asked fields come back; a group path returns
// the whole group; a sub-field of a date or of a Waardetabel returns the
// whole date or Waardetabel; the "type" of a polymorphic object
// (verblijfplaats, nationaliteiten) comes with any of its fields;
// verblijfplaatsBinnenland and adresseringBinnenland answer as verblijfplaats
// and adressering. A path not in features/fields-Persoon.csv (copied here as
// fields-Persoon.csv; for the searches the PersoonBeperkt paths) is refused
// with 400, code "fields" and the index of the path, reason "Parameter bevat
// een niet bestaande veldnaam."; a path of an automatically delivered field
// (geheimhoudingPersoonsgegevens, opschortingBijhouding, rni, verificatie
// and anything below them, any inOnderzoek or
// indicatieVastgesteldVerblijftNietOpAdres) with "Parameter bevat een niet
// toegestane veldnaam.". Those fields come by themselves when they apply:
// geheimhoudingPersoonsgegevens for a person with secrecy and
// opschortingBijhouding (reden O, overlijden) for the deceased.
//
// Table values come as the registry records them: a place of birth in the
// Netherlands is a municipality with code and description, one abroad a
// description without code (geboorte.plaats.omschrijving only).
//
// Dates are the polymorphic Datum, JaarMaandDatum, JaarDatum and
// DatumOnbekend with a Dutch langFormaat; leeftijd is computed against the
// population's reference date, not the clock. Errors are problem+json
// (application/problem+json) in the features' shape: type, title, status,
// detail, instance, code and, for 400, invalidParams[]{name, code, reason}
// with the codes required, pattern, minItems, maxItems, array, integer,
// minimum, maximum (a house number outside 1 to 99999), boolean, date, value
// (an unknown query type), unknownParam and fields, all under code
// paramsValidation and title "Een of meerdere parameters zijn niet
// correct.", the parameters named in the detail in the order the features
// give them. A request media type other than JSON in
// UTF-8 gives 415 and an Accept that excludes it 406, a method other than
// POST 405, and any other path, a trailing slash included, 404.
//
// POST /reisdocumenten answers as version 2.0.0 of that API publishes
// Reisdocument: reisdocumentnummer (^[A-Z0-9]{9}$), soort (PN Nationaal
// paspoort, NI Nederlandse identiteitskaart), datumEindeGeldigheid,
// inhoudingOfVermissing {datum, aanduiding: I ingehouden of ingeleverd, R
// van rechtswege vervallen, V vermist} and houder {burgerservicenummer},
// with the holder's geheimhoudingPersoonsgegevens and opschortingBijhouding
// under houder delivered automatically; it has no validity indicator, a
// client derives validity from the end date and the withdrawal.
// ZoekMetBurgerservicenummer gives the documents the person still holds
// (none withdrawn), RaadpleegMetReisdocumentnummer (one number) any. The
// fields parameter takes at most 25 of the paths the API's validator lists;
// an unknown path and an automatically delivered one are refused as for
// POST /personen.
//
// # Deviations and what it leaves out
//
// The 415 code is "unsupportedMediaType", as the features and the real
// service have it; the example in the OpenAPI file says "unsupported". The
// error for a body that is not a JSON object (400 paramsValidation, detail
// "De request body is geen geldig JSON object.", no invalidParams) is a
// contract of our own: the specification does not describe it. The error
// texts follow the feature files, which the OpenAPI documents' patterns for
// Foutbericht and InvalidParam do not admit: the detail has a colon, a
// name may be indexed ("fields[0]") and a reason may quote a pattern.
//
// Left out because the population holds none of it: inOnderzoek, rni,
// verificatie, gezag, verblijfstitel, immigratie, kiesrecht, noble titles,
// name use other than the own name (aanduidingNaamgebruik E), addresses
// abroad and unknown residences, and the redenOpname of a nationality. The
// place of death is the last municipality of registration, as the
// population keeps none. Authorisation (403 per field), protocollering and
// the accept-gezag-version header are not modelled; authentication only
// when a key is configured (RequireKey: X-API-KEY, else 401
// authentication).
package brp
