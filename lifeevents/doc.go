// Package lifeevents holds the life-event catalogue and the coupling-gap
// analysis of the hub.
//
// The catalogue is data embedded in the binary (data/): the eight life
// events (birth, starting a business, renovation, travel, becoming
// unemployed, becoming dependent on care, moving, death), each with its
// subject kind, trigger and steps in order; per step the actor (the
// municipal front office or a chain partner's back office), the channels,
// the registry data it needs as graph field paths, what the citizen must
// supply, and the coupling that carries the data with its standard and
// status. LoadEmbedded validates it against the GraphQL schema at start-up
// and reports every problem as "file:line: what is wrong".
//
// NewReport joins the catalogue's static gaps (couplings that are not
// automated) with the live health of the registries, which a Window
// gathers as the connectors' Observer, into the coupling-gap report;
// Export writes it as JSON, Mermaid or Graphviz DOT; AssessEvent tells,
// for one subject, which steps are ready, need input or are blocked.
//
// A typical use:
//
//	cat, err := lifeevents.LoadEmbedded(lifeevents.SchemaFromAST(schema, lineageIndex))
//	win := lifeevents.NewWindow(5*time.Minute, 10, nil) // connectors.Config.Observer
//	r, err := lifeevents.NewReport(cat, lifeevents.ReportOptions{Health: win.Health()})
//	err = lifeevents.Export(w, lifeevents.FormatMermaid, cat, r)
//
// Nothing here does I/O but Export, which writes to the writer it is
// given; a loaded *Catalogue is read-only and a Window is safe for
// concurrent use. `poort gaps` (cmd/poort) parses the flags and calls
// these.
//
// docs/life-events.md describes the catalogue, the report and the
// diagrams.
package lifeevents
