package store

import (
	"strings"
)

// Scope is what one principal may see of cases, handovers and their
// notifications. A list read with a scope leaves out everything outside
// it, counts included, so that a list tells nothing of what it leaves out.
type Scope struct {
	// LifeEvents are the life events whose cases the principal may work
	// on; a case of any other event is out of scope, and so is a handover
	// about one.
	LifeEvents []string
	// Subject, when set, keeps only cases and handovers about this
	// subject: a citizen's own.
	Subject *Subject
	// Organisation and Team place the principal on a handover's sending
	// side (the organisation and team that made it) or its receiving side
	// (Team is the partner it is addressed to). A handover the principal
	// is on neither side of is out of scope.
	Organisation string
	Team         string
	// WithoutLifeEvent keeps handovers about no life event in scope; set
	// it when the principal acts for a purpose, under which reading them
	// is recorded.
	WithoutLifeEvent bool
}

// caseSQL is the condition that keeps the cases (table alias a) in scope.
func (sc *Scope) caseSQL(a string) (string, []any) {
	cond, args := sc.eventsSQL(a, false)
	return sc.withSubject(a, cond, args)
}

// handoverSQL is the condition that keeps the handovers (table alias a)
// in scope: about a life event in scope (or none, with WithoutLifeEvent),
// and made by the principal's organisation and team or addressed to its
// team.
func (sc *Scope) handoverSQL(a string) (string, []any) {
	cond, args := sc.eventsSQL(a, sc.WithoutLifeEvent)
	cond += " AND ((" + a + ".from_organisation = ? AND " + a + ".from_front_office = ?) OR " + a + ".to_partner_id = ?)"
	args = append(args, sc.Organisation, sc.Team, sc.Team)
	return sc.withSubject(a, cond, args)
}

func (sc *Scope) eventsSQL(a string, noneAllowed bool) (string, []any) {
	col := a + ".life_event_id"
	if len(sc.LifeEvents) == 0 {
		if noneAllowed {
			return "(" + col + " = '')", nil
		}
		return "(1 = 0)", nil
	}
	args := make([]any, len(sc.LifeEvents))
	for i, e := range sc.LifeEvents {
		args[i] = e
	}
	in := col + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ") + ")"
	if noneAllowed {
		return "(" + col + " = '' OR " + in + ")", args
	}
	return "(" + in + ")", args
}

func (sc *Scope) withSubject(a, cond string, args []any) (string, []any) {
	if sc.Subject == nil {
		return cond, args
	}
	return cond + " AND " + a + ".subject_kind = ? AND " + a + ".subject_id = ?",
		append(args, string(sc.Subject.Kind), sc.Subject.ID)
}

// qualified prefixes each of a comma-separated column list with a table
// alias.
func qualified(columns, a string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = a + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}
