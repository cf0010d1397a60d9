package nhr

import (
	"context"
	"strings"

	"github.com/poort-nl/poort/internal/ident"
)

// Registrant is how another registry names a business without its KvK
// number: a legal entity by its RSIN, a natural person's business by its
// name and address. UWV's polisadministratie (Suwinet) names employers so.
type Registrant struct {
	RSIN        string
	Name        string
	Postcode    string
	HouseNumber int
}

// FindKvKNumber finds the registration a Registrant names through KvK
// zoeken (operation getResults, given as search so a cache may stand in):
// by RSIN when there is one, else by name at postcode and house number,
// keeping only results whose name is the name asked for. Ended
// registrations count. It returns "" when nothing or more than one
// registration matches, and without asking when the Registrant cannot name
// a registration: an RSIN that fails the elfproef (UWV paying a benefit
// carries such a number), or no name or address to search by.
func FindKvKNumber(ctx context.Context, search func(context.Context, SearchQuery) (*SearchPage, error), r Registrant) (string, error) {
	q := SearchQuery{RSIN: r.RSIN, IncludeInactive: true, PerPage: 100}
	switch {
	case r.RSIN != "":
		if _, err := ident.ParseRSIN(r.RSIN); err != nil {
			return "", nil
		}
	case r.Name == "" || r.HouseNumber == 0:
		return "", nil
	default:
		if _, err := ident.ParsePostcode(r.Postcode); err != nil {
			return "", nil
		}
		q = SearchQuery{Name: r.Name, Postcode: r.Postcode, HouseNumber: r.HouseNumber, IncludeInactive: true, PerPage: 100}
	}
	page, err := search(ctx, q)
	if err != nil {
		return "", err
	}
	kvk := ""
	for _, hit := range page.Results {
		if r.RSIN == "" && !strings.EqualFold(hit.Name, r.Name) {
			continue
		}
		if kvk != "" && hit.KvKNumber != kvk {
			return "", nil
		}
		kvk = hit.KvKNumber
	}
	return kvk, nil
}
