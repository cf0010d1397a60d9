// Package businesscase computes the business case of the life-event front
// office for a Dutch municipality, and answers two questions: do better
// couplings pay, and does being the front office for all of government pay,
// without and with compensation for the contacts that shift to the
// municipality from national agencies.
//
// For one municipality Compute gives, per life event and in total, a
// yearly cash flow over a horizon with its cumulative balance, break-even
// year and net present value, in three scenarios (Couplings, FrontOffice,
// Compensated), and the compensation per contact the municipality needs to
// break even. ScaleCheck runs all 342 municipalities by size class and
// nationally; TornadoOf varies each group of uncertain figures over its
// range for one municipality; UncertaintyOf counts the municipalities that
// break even under low, middle and high assumptions. The SVG functions
// draw each of them.
//
// Every parameter is data. The embedded defaults.json carries each figure
// with its source: a URL, "unsourced estimate" (which then has a range) or
// "choice". The service norms that change contact volumes come from the
// life-event catalogue that LoadDefaults is given. An overrides document
// merged with Parameters.Apply changes any figure, for all municipalities
// or for one. Bad parameters are reported as *ParamError values that name
// the parameter's path, such as "lifeEvents.birth.contacts.desk".
//
// A typical use:
//
//	p, err := businesscase.LoadDefaults(catalogue)
//	c, err := p.ForMunicipality("Utrecht")
//	r, err := businesscase.Compute(c, p.DefaultOptions())
//	err = businesscase.CashFlowSVG(w, r)
//
// Nothing here does I/O or blocks, and nothing is kept between calls:
// *Parameters values are read-only once made. The command line, its flags
// and its tables live in cmd/poort.
//
// docs/business-case.md describes the model, its parameters and their
// sources.
package businesscase
