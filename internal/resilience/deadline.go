package resilience

import (
	"context"
	"time"
)

// callBudget returns how long a call may take given the request's deadline,
// and false when no time is left for it. With no deadline on the request
// there is no bound here; the connector's own timeout applies.
//
// The rule: a call may take Share of what the request has left after
// Reserve, at least Min, at most all of what is left after Reserve. With
// the default share of one half, a chain of dependent calls can never
// spend the whole request on one of them: the first hanging call leaves
// half the time to the calls that depend on it, which in turn leave half of
// theirs, and the request always keeps Reserve to write what it has.
func (d DeadlineConfig) callBudget(ctx context.Context, now time.Time) (time.Duration, bool, bool) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return 0, true, false
	}
	left := deadline.Sub(now) - d.Reserve
	if left <= 0 {
		return 0, false, true
	}
	budget := time.Duration(float64(left) * d.Share)
	if budget < d.Min {
		budget = min(d.Min, left)
	}
	return budget, true, true
}
