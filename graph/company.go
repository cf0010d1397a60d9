package graph

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/internal/ident"
)

// branchProfiles is the Handelsregister's resource of branch profiles, as
// the schema's @source declarations name it.
const branchProfiles = "vestigingsprofielen"

// loadBranch resolves one branch for the current field.
func (r *Resolver) loadBranch(ctx context.Context, number string) (*model.Branch, error) {
	b, err := lookup[*nhr.Branch](ctx, r, nhr.Registry, branchProfiles, connectors.BranchNumber, number)
	if notKnown(err) {
		return nil, notFound(nhr.Registry, "branch")
	}
	if err != nil {
		return nil, err
	}
	return branch("", b), nil
}

// branches resolves a company's branches (Company.branches), main branch
// first: the list names them, each branch's profile gives the details (the
// main branch's came with the company).
func (r *Resolver) branches(ctx context.Context, kvk string) ([]*model.Branch, error) {
	list, err := bySource[[]nhr.BranchSummary](ctx, r, connectors.KvKNumber, kvk)
	if err != nil {
		return nil, err
	}
	numbers := make([]string, 0, len(list))
	for _, b := range list {
		if b.Main {
			numbers = append([]string{b.Number}, numbers...)
		} else {
			numbers = append(numbers, b.Number)
		}
	}
	bs, err := lookupAll[*nhr.Branch](ctx, r, nhr.Registry, branchProfiles, connectors.BranchNumber, numbers)
	out := make([]*model.Branch, 0, len(numbers))
	for i := range numbers {
		if e := errAt(err, i); e != nil {
			if notKnown(e) {
				continue
			}
			return nil, e
		}
		out = append(out, branch(kvk, bs[i]))
	}
	return out, nil
}

// companySearch checks the search arguments: a name of 2 to 100
// characters, or a postcode with an optional house number.
func companySearch(name, postcode *string, houseNumber, first *int) (nhr.SearchQuery, error) {
	var q nhr.SearchQuery
	q.PerPage = 10
	if first != nil {
		if *first < 1 || *first > 100 {
			return q, badInput("first", errors.New("first is 1 to 100"))
		}
		q.PerPage = *first
	}
	if name != nil {
		n := strings.TrimSpace(*name)
		if utf8.RuneCountInString(n) < 2 || utf8.RuneCountInString(n) > 100 {
			return q, badInput("name", errors.New("a name to search has 2 to 100 characters"))
		}
		q.Name = n
	}
	if postcode != nil {
		pc, err := ident.ParsePostcode(*postcode)
		if err != nil {
			return q, badInput("postcode", err)
		}
		q.Postcode = pc
	}
	if houseNumber != nil {
		if q.Postcode == "" {
			return q, badInput("houseNumber", errors.New("a house number needs a postcode"))
		}
		if _, err := ident.ParseHouseNumber(*houseNumber); err != nil {
			return q, badInput("houseNumber", err)
		}
		q.HouseNumber = *houseNumber
	}
	if q.Name == "" && q.Postcode == "" {
		return q, badInput("name", errors.New("give a name or a postcode to search by"))
	}
	return q, nil
}

func (r *Resolver) searchCompanies(ctx context.Context, q nhr.SearchQuery) ([]*model.CompanySearchHit, error) {
	h, err := nhr.From(r.reg)
	if err != nil {
		return nil, err
	}
	page, err := h.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]*model.CompanySearchHit, 0, len(page.Results))
	for _, h := range page.Results {
		hit := &model.CompanySearchHit{
			Subject: model.CompanySubject(h.KvKNumber), KVKNumber: h.KvKNumber, BranchNumber: str(h.BranchNumber), Name: str(h.Name), Type: str(string(h.Type)),
		}
		if h.Address != nil {
			hit.Place = str(h.Address.Place)
		}
		out = append(out, hit)
	}
	return out, nil
}
