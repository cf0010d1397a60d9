package graph

import (
	"context"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/poort-nl/poort/graph/model"
)

// maxPersons bounds persons(bsns:).
const maxPersons = 50

func errTooMany(n int) error { return fmt.Errorf("at most %d values", n) }

// checkSurname accepts what a surname can hold: letters, spaces,
// apostrophes, hyphens and dots, at most 200 characters.
func checkSurname(s string) error {
	if s == "" || utf8.RuneCountInString(s) > 200 {
		return errors.New("a surname has 1 to 200 characters")
	}
	for _, c := range s {
		if !unicode.IsLetter(c) && c != ' ' && c != '\'' && c != '-' && c != '.' {
			return errors.New("a surname has only letters, spaces, apostrophes, hyphens and dots")
		}
	}
	return nil
}

// personsInOrder loads persons and keeps the order asked, with null for a
// BSN the principal may not see or the BRP does not know.
func (r *Resolver) personsInOrder(ctx context.Context, bsns []string) ([]*model.Person, error) {
	ps, err := r.loadPersons(ctx, bsns)
	if err != nil {
		return nil, err
	}
	reportUnavailable(ctx, r, ps)
	return ps, nil
}
