// Package businesscase computes the business case of the life-event front
// office for a Dutch municipality: per life event and in total, a yearly
// cash flow over a horizon, its cumulative balance, break-even year and net
// present value; and the scale check that runs it for all 342
// municipalities by size class, carrying the investments alone or sharing
// them regionally and nationally.
//
// Every parameter is data. The embedded defaults.json carries each figure
// with its source, a URL or "unsourced estimate"; an overrides document
// merged with Parameters.Apply changes any of them, for all municipalities
// or for one. Bad parameters are reported as *ParamError values that name
// the parameter's path, such as "lifeEvents.birth.contacts.desk".
//
// A typical use:
//
//	p, err := businesscase.LoadDefaults()
//	c, err := p.ForMunicipality("Utrecht")
//	r, err := businesscase.Compute(c, p.DefaultOptions())
//	err = businesscase.CashFlowSVG(w, r)
//
// Nothing here does I/O except RunCLI, nothing blocks, and nothing is kept
// between calls: *Parameters values are read-only once made.
//
// docs/business-case.md describes the model, its parameters and their
// sources.
package businesscase
