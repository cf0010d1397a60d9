// Package uwv is the mock of UWV's employment and benefit data as a
// municipality receives it: through Suwinet, as SOAP 1.1 with SuwiML
// messages, one person per request. It serves two services of the Suwinet
// broker below BasePath, each with its one operation, as BKWI's WSDLs and
// schemas in spec/ define them: UWVDossierInkomstenGSD v0200
// (UWVPersoonsIkvInfo, the polisadministratie's income relations) and
// UWVDossierWerknemersverzekeringenGSD v0200 (UWVPersoonsWvInfo, WW
// benefits).
//
// Every answer is valid against the service's BodyReaction.xsd; a person
// the population does not know is NietsGevonden, a request the schemas do
// not allow is a SOAP fault whose detail is an fwi:Fout (the WSDL's
// AanvraagNietOk). README.md says what the mock checks and where it
// differs from the real broker (no mutual TLS, no WS-Security signature).
//
// The mock answers from a population.Population and knows nothing of the
// hub's connectors. It holds no mutable state, so one handler serves any
// number of goroutines.
package uwv
