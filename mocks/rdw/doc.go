// Package rdw is a mock of the RDW (Rijksdienst voor het Wegverkeer) for
// vehicles, their holders and driving licences, answering from the
// synthetic population.
//
// # Open data: Socrata SODA 2.x
//
// The datasets of opendata.rdw.nl at their real paths:
//
//	GET /resource/m9d7-ebf2.json   Open Data RDW: Gekentekende_voertuigen
//	GET /resource/8ys7-d773.json   Open Data RDW: Gekentekende_voertuigen_brandstof
//
// An answer is a JSON array of objects whose values are all strings, with the
// datasets' real column names; columns without a value are left out, as
// Socrata leaves out nulls. Date columns are yyyymmdd ("20260725") and their
// _dt twins Socrata floating timestamps ("2026-07-25T00:00:00.000"). Yes/no
// columns are "Ja"/"Nee". Open data holds no holder data, and neither does
// this mock's. A plate the register does not know gives [].
//
// The filled columns of m9d7-ebf2 are kenteken, voertuigsoort, merk,
// handelsbenaming, vervaldatum_apk(_dt), datum_tenaamstelling(_dt), inrichting,
// aantal_zitplaatsen, eerste_kleur, tweede_kleur, aantal_cilinders,
// massa_ledig_voertuig, massa_rijklaar, datum_eerste_toelating(_dt),
// datum_eerste_tenaamstelling_in_nederland(_dt), wacht_op_keuren,
// catalogusprijs, wam_verzekerd, aantal_deuren, aantal_wielen,
// europese_voertuigcategorie, export_indicator,
// openstaande_terugroepactie_indicator, taxi_indicator,
// tenaamstellen_mogelijk, zuinigheidsclassificatie and the
// api_gekentekende_voertuigen_* links to the related datasets. Of 8ys7-d773
// they are kenteken, brandstof_volgnummer and brandstof_omschrijving. Values
// the population does not hold are derived from it the same way every time:
// massa_rijklaar is the empty mass plus 100 kg (75 kg for motorcycles), the
// energy label and cylinder count follow fuel and mass, and about one
// vehicle in thirty has an open recall. Motorcycles have no APK in the
// Netherlands, so they have no vervaldatum_apk here (nor a Keuring in the
// dossier below).
//
// The query language is a subset of SoQL, enough for a client that batches:
//
//	?kenteken=R759BK                           simple filter, on kenteken only
//	?$where=kenteken in('R759BK','XY99ZZ')     = and in() on kenteken, AND, OR, ( )
//	?$select=kenteken,merk                     column names only
//	?$limit=50&$offset=0                       default 1000, at most 50000
//	?$$app_token=...                           accepted and ignored
//
// A $where over any number of plates is answered from the population's plate
// index, never by scanning it. Rows come in storage order, whatever the
// order of the plates asked for; a plate asked for twice comes once.
//
// Errors use Socrata's two bodies, with Content-Type application/json:
//
//	400 {"code":"query.compiler.malformed","error":true,"message":"Could not parse SoQL query ...","data":{"query":"..."}}
//	400 {"message":"Query coordinator error: query.soql.no-such-column; No such column: x","errorCode":"query.soql.no-such-column","data":{...}}
//	404 {"code":"dataset.missing","error":true,"message":"Not found","data":{"id":"..."}}
//
// The first is the parse error of real SoQL, also used here for an unknown
// $ parameter ("Unrecognized arguments [$x]") and a bad $limit or $offset;
// the second is the analyser's error for an unknown column (and, with
// errorCode query.soql.type-mismatch, for a number compared with
// kenteken); the third answers unknown datasets, formats other than .json
// and trailing slashes. Two codes are this mock's own, not Socrata's:
// query.soql.unsupported (400) refuses valid SoQL the mock does not
// implement ($order, $group, $having, $q, $query, $search, filters on other
// columns, operators other than = and in(), NOT), and method.not-allowed
// (405, with Allow: GET) answers methods other than GET.
//
// Left out: the other RDW datasets (assen, carrosserie, voertuigklasse, APK
// keuringen, ...), CSV and GeoJSON, SODA 3 (/api/v3/views/{id}/query.json),
// throttling without an app token, and the X-SODA2-* headers.
//
// # Dossier: vehicle holders and driving licences
//
// No public API exists for who holds a vehicle or for the
// rijbewijzenregister, so the mock serves a contract of our own, modelled on
// the Suwinet service RDWDossierGSD (VoertuigbezitInfoPersoon,
// VoertuigbezitInfoOrg) and documented as OpenAPI 3 in
// rdw-dossier.openapi.yaml beside this file, which the mock also publishes:
//
//	POST /rdw/v1/voertuigbezit   {"burgerservicenummers":[...],"kvkNummers":[...]}
//	POST /rdw/v1/rijbewijzen     {"burgerservicenummers":[...]}
//	GET  /rdw/v1/openapi.yaml, /rdw/v1/openapi.json
//
// Answers carry SuwiML element names (ClientSuwi, Burgerservicenr,
// Aansprakelijke, DatRegistratieAansprakelijkheid, Voertuig, KentekenVoertuig,
// CdSrtVoertuig, MerkVoertuig, ...) and SuwiML dates (yyyymmdd). A subject the
// register holds nothing about is answered with NietsGevonden for that
// subject, not with an error. Licence status (geldig, verlopen, ingetrokken)
// is computed against the population's reference date, the mocks' "today".
// Errors are application/problem+json in the Haal Centraal shape (type,
// title, status, detail, instance, code, invalidParams[]{name, code,
// reason}); every dossier answer carries API-Version and Cache-Control:
// no-store.
//
// Left out of the dossier: the person's name, birth date and RDW address
// (the BRP is their source), past holders and DatEAansprakelijkheid (the
// population keeps only the current holder), TijdBAansprakelijkheid,
// StatusVoertuig, BedrBpm, tellerstand, insurer details, and querying by
// peildatum or by name and birth date.
//
// # Use
//
// New returns an http.Handler that is safe for concurrent use; it reads the
// population and never changes it. The mock harness wraps it with fault
// injection.
package rdw
