package businesscase

import (
	"errors"
	"strings"
)

// Sentinel errors wrapped by a *ParamError, for callers that map errors to a
// response code (for instance NOT_FOUND against BAD_USER_INPUT) with errors.Is.
var (
	// ErrUnknownMunicipality is wrapped when a name or GM code matches no
	// municipality.
	ErrUnknownMunicipality = errors.New("unknown municipality")
	// ErrAmbiguousMunicipality is wrapped when a name matches more than one
	// municipality, such as "Bergen".
	ErrAmbiguousMunicipality = errors.New("ambiguous municipality")
	// ErrUnknownLifeEvent is wrapped when a life-event id is not one of the
	// eight the hub knows.
	ErrUnknownLifeEvent = errors.New("unknown life event")
)

// ParamError reports one bad parameter. Path names the parameter the way it
// is written in defaults.json or an overrides document, such as
// "lifeEvents.birth.contacts.desk" or "couplings[travel-document-status].shares.national";
// options passed to Compute are named "options.horizonYears" and so on.
type ParamError struct {
	Path string
	Msg  string
	// Err is a sentinel such as ErrUnknownLifeEvent, or nil.
	Err error
}

func (e *ParamError) Error() string { return e.Path + ": " + e.Msg }

// Unwrap returns the sentinel error, if any.
func (e *ParamError) Unwrap() error { return e.Err }

// ValidationErrors lists every bad parameter found in one validation, so a
// user fixing an overrides file sees all problems at once. errors.As finds
// the first *ParamError in it.
type ValidationErrors []*ParamError

func (v ValidationErrors) Error() string {
	parts := make([]string, len(v))
	for i, e := range v {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap exposes each *ParamError to errors.Is and errors.As.
func (v ValidationErrors) Unwrap() []error {
	errs := make([]error, len(v))
	for i, e := range v {
		errs[i] = e
	}
	return errs
}

// errs collects parameter errors during one validation pass.
type errs struct{ list ValidationErrors }

func (c *errs) add(path, msg string) { c.list = append(c.list, &ParamError{Path: path, Msg: msg}) }

func (c *errs) addErr(path, msg string, sentinel error) {
	c.list = append(c.list, &ParamError{Path: path, Msg: msg, Err: sentinel})
}

// err returns nil when nothing was collected, so the result can be returned
// as a plain error without the typed-nil trap.
func (c *errs) err() error {
	if len(c.list) == 0 {
		return nil
	}
	return c.list
}
