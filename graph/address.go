package graph

import (
	"context"
	"errors"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/graph/model"
)

// houseLetterAndAddition checks the optional parts of a house number: one
// letter, and an addition of up to four letters and digits.
func houseLetterAndAddition(letter, addition *string) (string, string, error) {
	var l, a string
	if letter != nil {
		l = *letter
		if len(l) != 1 || !(l[0] >= 'a' && l[0] <= 'z' || l[0] >= 'A' && l[0] <= 'Z') {
			return "", "", badInput("houseLetter", errors.New("a house letter is one letter"))
		}
	}
	if addition != nil {
		a = *addition
		if len(a) < 1 || len(a) > 4 {
			return "", "", badInput("addition", errors.New("an addition has 1 to 4 letters and digits"))
		}
		for i := 0; i < len(a); i++ {
			c := a[i]
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				return "", "", badInput("addition", errors.New("an addition has 1 to 4 letters and digits"))
			}
		}
	}
	return l, a, nil
}

// addressesByPostcode searches the BAG. When the operation asks for
// residential objects or buildings the found addresses are fetched again
// with expand; otherwise the search answer is complete.
func (r *Resolver) addressesByPostcode(ctx context.Context, postcode string, number int, letter, addition string) ([]*model.Address, error) {
	found, err := lookup[[]bag.Address](ctx, r, bag.Registry, "", bag.ByPostcode, bag.PostcodeKey(postcode, number, letter, addition))
	if err != nil {
		return nil, err
	}
	rq := r.req(ctx)
	if selects(ctx, "residents") && !rq.access.refuses("Address", "residents") {
		// The search names the residential objects: look for their
		// residents beside fetching the addresses.
		if l, err := rq.loader(brp.Registry, "", connectors.ObjectID); err == nil {
			for _, a := range found {
				if a.ObjectID != "" {
					l.Start(ctx, a.ObjectID)
				}
			}
		}
	}
	expand := bag.Expands(rq.asked(bag.Registry))
	out := make([]*model.Address, 0, len(found))
	for i := range found {
		if expand {
			a, err := r.loadAddress(ctx, found[i].ID, found[i].ObjectID)
			if err != nil {
				return nil, err
			}
			out = append(out, a)
			continue
		}
		prime(ctx, r, bag.Registry, "", connectors.AddressID, found[i].ID, &found[i])
		out = append(out, r.address(&found[i]))
	}
	return out, nil
}

// companiesAt finds the companies with a branch at a postcode and house
// number through KvK zoeken.
func (r *Resolver) companiesAt(ctx context.Context, postcode string, number int) ([]*model.Company, error) {
	h, err := nhr.From(r.reg)
	if err != nil {
		return nil, err
	}
	page, err := h.Search(ctx, nhr.SearchQuery{Postcode: postcode, HouseNumber: number, PerPage: 100})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := []*model.Company{}
	for _, hit := range page.Results {
		if seen[hit.KvKNumber] {
			continue
		}
		seen[hit.KvKNumber] = true
		c, err := r.loadCompany(ctx, hit.KvKNumber)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
