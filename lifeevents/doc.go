// Package lifeevents holds the life-event catalogue and the coupling-gap
// analysis of the hub.
//
// The catalogue is data embedded in the binary (data/): the eight life
// events (birth, starting a business, renovation, travel, becoming
// unemployed, becoming dependent on care, moving, death), each with the
// kind of its anchor, the dated registry facts that trigger it, the roles
// persons, companies and addresses play in it, and its steps in order; per
// step the actor (the municipal front office or a chain partner's back
// office), the channels, the registry data it needs as graph field paths,
// when it applies and when it is done (conditions in the expr language),
// how its partner learns of the event (a provision, a notification of the
// hub under a legal basis, the citizen), what the citizen must supply, and
// the coupling that carries the data with its standard and status.
// LoadEmbedded validates it against the GraphQL schema at start-up and
// reports every problem as "file:line: what is wrong".
//
// For one subject, Event.RolesOf finds the roles it plays and their
// anchors, Event.Happens whether the event applies to an anchor,
// AssessEvent where each step stands (done, in progress, ready, needing
// input, blocked, unknown or not applicable) and PlanTasks what starting
// the event opens and whom it notifies. NewReport joins the catalogue's
// static gaps (couplings that are not automated) with the live health of
// the registries, which a Window gathers as the connectors' Observer, into
// the coupling-gap report; Export writes it as JSON, Mermaid or Graphviz
// DOT.
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
// docs/life-events.md describes the catalogue, the event model, the report
// and the diagrams; its per-event tables are generated from the catalogue
// (DocTables, go generate ./lifeevents).
package lifeevents
