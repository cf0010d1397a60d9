package nhr

import (
	"context"
	"strings"
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
// registration matches.
func FindKvKNumber(ctx context.Context, search func(context.Context, SearchQuery) (*SearchPage, error), r Registrant) (string, error) {
	q := SearchQuery{RSIN: r.RSIN, IncludeInactive: true, PerPage: 100}
	if r.RSIN == "" {
		if r.Name == "" || r.Postcode == "" || r.HouseNumber == 0 {
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
