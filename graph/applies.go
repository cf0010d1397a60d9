package graph

import (
	"fmt"
	"time"
)

// This file decides whether the registries show a life event happening to
// a subject now. Each rule reads facts the picture's nested operation
// fetched; appliesPaths lists the paths each rule reads, so they are
// fetched with the needs.

var appliesPaths = map[string][]string{
	"birth":                      {"birth.date.date"},
	"death":                      {"death.date.date"},
	"moving":                     {"residence.since.date"},
	"becoming-unemployed":        {"benefits.start", "benefits.end", "employments.end", "employments.current"},
	"becoming-dependent-on-care": {"age", "household.bsn"},
	"travel":                     {"travelDocuments.expires.date"},
	"starting-a-business":        {"registrationDate"},
	"renovation":                 {"residentialObject.status", "buildings.status"},
}

// appliesTo evaluates the rule of an event on the subject's facts.
func appliesTo(event string, facts any, now time.Time) (bool, string) {
	today := now.UTC().Truncate(24 * time.Hour)
	within := func(path string, back, ahead int) (string, bool) {
		for _, v := range asList(factAt(facts, path)) {
			s, _ := v.(string)
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				continue
			}
			if !t.Before(today.AddDate(0, 0, -back)) && !t.After(today.AddDate(0, 0, ahead)) {
				return s, true
			}
		}
		return "", false
	}
	switch event {
	case "birth":
		if d, ok := within("birth.date.date", 365, 0); ok {
			return true, "born on " + d
		}
		return false, "not born in the last year"
	case "death":
		if d, ok := within("death.date.date", 365, 0); ok {
			return true, "died on " + d
		}
		return false, "no death in the last year"
	case "moving":
		if d, ok := within("residence.since.date", 183, 0); ok {
			return true, "moved in on " + d
		}
		return false, "no move in the last six months"
	case "becoming-unemployed":
		if d, ok := within("benefits.start", 365, 0); ok {
			return true, "WW benefit since " + d
		}
		if d, ok := within("employments.end", 183, 0); ok {
			for _, c := range asList(factAt(facts, "employments.current")) {
				if c == true {
					return false, "employment ended on " + d + ", but another continues"
				}
			}
			return true, "employment ended on " + d
		}
		return false, "no job lost in the last six months"
	case "becoming-dependent-on-care":
		age, _ := factAt(facts, "age").(float64)
		members := len(asList(factAt(facts, "household.bsn")))
		if age >= 75 {
			if members == 1 {
				return true, fmt.Sprintf("aged %d, living alone", int(age))
			}
			return true, fmt.Sprintf("aged %d", int(age))
		}
		return false, "under 75"
	case "travel":
		if d, ok := within("travelDocuments.expires.date", 0, 183); ok {
			return true, "a travel document expires on " + d
		}
		return false, "no travel document expires in the next six months"
	case "starting-a-business":
		if d, ok := within("registrationDate", 365, 0); ok {
			return true, "registered on " + d
		}
		return false, "registered more than a year ago"
	case "renovation":
		for _, p := range []string{"residentialObject.status", "buildings.status"} {
			for _, v := range asList(factAt(facts, p)) {
				if s, _ := v.(string); len(s) >= 10 && s[:10] == "Verbouwing" {
					return true, "the BAG records " + s
				}
			}
		}
		return false, "the BAG records no renovation; permit applications arrive through the Omgevingsloket"
	}
	return false, "no rule for this event"
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
