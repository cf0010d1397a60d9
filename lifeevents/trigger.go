package lifeevents

import (
	"fmt"
	"strings"
	"time"
)

// KeyField returns the graph field that identifies a subject of the kind:
// bsn, kvkNumber or id.
func (k SubjectKind) KeyField() string {
	switch k {
	case SubjectPerson:
		return "bsn"
	case SubjectCompany:
		return "kvkNumber"
	case SubjectAddress:
		return "id"
	}
	return ""
}

// Triggered is whether an event happens to an anchor now.
type Triggered struct {
	// Applies is null when the registries cannot tell: a fact the trigger
	// reads is withheld or did not resolve.
	Applies *bool
	// Because says why, in words: "born on 2026-01-03".
	Because string
	// Fact and Date are the fact that started the event, when it applies.
	Fact, Date string
}

// Happens tells whether the event happens to an anchor with these facts
// now: a trigger fact's date lies in its window, its when holds and its
// unless does not. It never answers a confident no when a fact it would
// have read is missing.
func (e *Event) Happens(f Facts, now time.Time) (Triggered, error) {
	today := now.UTC().Truncate(24 * time.Hour)
	var unknown []string
	var misses []string
	for _, t := range e.Trigger.On {
		from, to := today.AddDate(0, 0, -t.Back), today.AddDate(0, 0, t.Ahead)
		if fe, failed := f.ErrorOn(t.Fact); failed {
			unknown = append(unknown, unknownOf(t.Fact, fe).Reason)
			continue
		}
		missed := fmt.Sprintf("%s: no date from %s to %s", t.Says, from.Format(time.DateOnly), to.Format(time.DateOnly))
		for _, v := range asList(f.At(t.Fact)) {
			s, _ := v.(string)
			d, err := time.Parse(time.DateOnly, s)
			if err != nil || d.Before(from) || d.After(to) {
				continue
			}
			ok, why, err := t.holds(f, now)
			if err != nil {
				return Triggered{}, fmt.Errorf("%s trigger %s: %w", e.ID, t.Fact, err)
			}
			if why != "" && !ok {
				if strings.HasPrefix(why, "unknown: ") {
					unknown = append(unknown, strings.TrimPrefix(why, "unknown: "))
				} else {
					missed = fmt.Sprintf("%s on %s, but %s", t.Says, s, why)
				}
				continue
			}
			yes := true
			return Triggered{Applies: &yes, Because: t.Says + " on " + s, Fact: t.Fact, Date: s}, nil
		}
		misses = append(misses, missed)
	}
	if len(unknown) > 0 {
		return Triggered{Because: "unknown: " + strings.Join(unknown, "; ")}, nil
	}
	no := false
	return Triggered{Applies: &no, Because: strings.Join(misses, "; ")}, nil
}

// holds checks a matching date's when and unless; why says what failed,
// "unknown: ..." when a fact they read is missing.
func (t TriggerFact) holds(f Facts, now time.Time) (bool, string, error) {
	if t.When != nil {
		ok, u, err := t.When.Eval(f, now)
		switch {
		case err != nil:
			return false, "", err
		case u != nil:
			return false, "unknown: " + u.Reason, nil
		case !ok:
			return false, "not " + t.When.Source, nil
		}
	}
	if t.Unless != nil {
		ok, u, err := t.Unless.Eval(f, now)
		switch {
		case err != nil:
			return false, "", err
		case u != nil:
			return false, "unknown: " + u.Reason, nil
		case ok:
			return false, t.Unless.Source, nil
		}
	}
	return true, "", nil
}

func asList(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	}
	return []any{v}
}

// RoleHit is a role a holder plays in an event happening to an anchor.
type RoleHit struct {
	Role *Role
	// Anchor is the anchor's key (bsn, kvkNumber or id) and its facts as
	// the holder's answer gave them.
	Anchor      string
	AnchorFacts Facts
	Trigger     Triggered
}

// RoleOutcome is what a holder's facts tell of its roles in an event.
type RoleOutcome struct {
	// Hits are the roles it plays, the anchor's own first.
	Hits []RoleHit
	// Unknown says why a role could not be told; empty when every role
	// was told.
	Unknown []string
	// Misses say why the roles that could be told do not hold.
	Misses []string
}

// RolePaths returns the paths of the holder's facts that tell its roles
// in the event: the anchor role's trigger and condition when the holder
// is of the anchor's kind, and for each role reached through a path, that
// path's key and trigger facts.
func (e *Event) RolePaths(holder SubjectKind) []string {
	var out []string
	for _, r := range e.Roles {
		switch {
		case r.Holder != holder || r.Reported:
		case r.Anchor:
			out = append(out, e.TriggerPaths()...)
			if r.When != nil {
				out = append(out, r.When.Paths...)
			}
		default:
			out = append(out, r.Via.Path+"."+e.Subject.KeyField())
			for _, p := range e.TriggerPaths() {
				out = append(out, r.Via.Path+"."+p)
			}
			if r.When != nil {
				for _, p := range r.When.Paths {
					out = append(out, r.Via.Path+"."+p)
				}
			}
		}
	}
	return out
}

// TriggerPaths returns the paths of the anchor's facts the trigger reads.
func (e *Event) TriggerPaths() []string {
	var out []string
	for _, t := range e.Trigger.On {
		out = append(out, t.Fact)
		for _, x := range []*Expr{t.When, t.Unless} {
			if x != nil {
				out = append(out, x.Paths...)
			}
		}
	}
	return out
}

// AnchorPaths returns the paths of the anchor's facts an assessment of
// the event reads: the trigger's, the steps' needs and their rules'.
func (e *Event) AnchorPaths() []string {
	out := e.TriggerPaths()
	for _, s := range e.Steps {
		for _, n := range s.Needs {
			out = append(out, n.Path)
		}
		for _, r := range []*Rule{s.Condition, s.Done} {
			if r != nil {
				out = append(out, r.When.Paths...)
			}
		}
	}
	return out
}

// Roles tells the roles a holder with these facts plays in the event:
// the anchor's own when its trigger holds for the holder, and each role
// reached through a path for every anchor on that path whose trigger
// holds. self is the holder's key, so that it is not its own relative.
func (e *Event) RolesOf(holder SubjectKind, self string, f Facts, now time.Time) (RoleOutcome, error) {
	var out RoleOutcome
	for _, r := range e.Roles {
		if r.Holder != holder || r.Reported {
			continue
		}
		if r.Anchor {
			hit, miss, unknown, err := e.roleHit(r, self, f, now)
			if err != nil {
				return out, err
			}
			out.add(hit, miss, unknown)
			continue
		}
		if fe, failed := f.errorAtOrAbove(r.Via.Path); failed {
			out.Unknown = append(out.Unknown, fmt.Sprintf("%s: %s", r.ID, unknownOf(r.Via.Path, fe).Reason))
			continue
		}
		key := e.Subject.KeyField()
		found := false
		for _, v := range asList(f.At(r.Via.Path)) {
			m, _ := v.(map[string]any)
			id, _ := m[key].(string)
			if m == nil || id == "" || id == self {
				continue
			}
			found = true
			hit, miss, unknown, err := e.roleHit(r, id, f.Sub(r.Via.Path, m), now)
			if err != nil {
				return out, err
			}
			out.add(hit, miss, unknown)
		}
		if !found {
			out.Misses = append(out.Misses, fmt.Sprintf("%s: no %s", r.ID, r.Via.Path))
		}
	}
	return out, nil
}

// errorAtOrAbove returns an error on the path or a field above it.
func (f Facts) errorAtOrAbove(path string) (FactError, bool) {
	for _, e := range f.Errors {
		if e.Path == "" || e.Path == path || strings.HasPrefix(path, e.Path+".") {
			return e, true
		}
	}
	return FactError{}, false
}

func (o *RoleOutcome) add(hit *RoleHit, miss, unknown string) {
	switch {
	case hit != nil:
		o.Hits = append(o.Hits, *hit)
	case unknown != "":
		o.Unknown = append(o.Unknown, unknown)
	default:
		o.Misses = append(o.Misses, miss)
	}
}

// roleHit tells whether the anchor with these facts triggers the event
// and meets the role's condition.
func (e *Event) roleHit(r *Role, anchor string, f Facts, now time.Time) (*RoleHit, string, string, error) {
	tr, err := e.Happens(f, now)
	if err != nil {
		return nil, "", "", err
	}
	switch {
	case tr.Applies == nil:
		return nil, "", r.ID + ": " + strings.TrimPrefix(tr.Because, "unknown: "), nil
	case !*tr.Applies:
		return nil, r.ID + ": " + tr.Because, "", nil
	}
	if r.When != nil {
		ok, u, err := r.When.Eval(f, now)
		switch {
		case err != nil:
			return nil, "", "", fmt.Errorf("%s role %s: %w", e.ID, r.ID, err)
		case u != nil:
			return nil, "", r.ID + ": " + u.Reason, nil
		case !ok:
			return nil, fmt.Sprintf("%s: %s, but not %s", r.ID, tr.Because, r.When.Source), "", nil
		}
	}
	return &RoleHit{Role: r, Anchor: anchor, AnchorFacts: f, Trigger: tr}, "", "", nil
}
