// Package uwv is the mock of UWV's employment and benefit data as a
// municipality sees it through Suwinet: the polisadministratie (income
// relations, Suwinet service UWVDossierInkomstenGSD, operation
// UWVPersoonsIkvInfo) and the werknemersverzekeringen (WW benefits, service
// UWVDossierWerknemersverzekeringenGSD, operation UWVPersoonsWvInfo).
//
// UWV publishes no REST API for this data; Suwinet speaks SOAP with SuwiML
// bodies behind mutual TLS. The mock therefore serves a JSON contract of our
// own, version 1.0.0 under the base path /uwv/v1, that keeps the SuwiML
// element names and nesting. The contract is uwv-suwi.openapi.yaml beside
// this file (also served at /uwv/v1/openapi.yaml and /uwv/v1/openapi.json);
// README.md says which SuwiML element each part mirrors, which extensions it
// adds (the employer's KvK number, code descriptions, batches of BSNs) and
// what it leaves out.
//
// The mock answers from a population.Population and knows nothing of the
// hub's connectors. It holds no mutable state, so one handler serves any
// number of goroutines.
package uwv
