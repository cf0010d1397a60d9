package graph

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
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

// maxSearchHits is how far the KvK's Zoeken API lets a search be paged:
// it shows at most the first 1,000 results.
const maxSearchHits = 1000

// searchCursorTag marks a company search's cursors, which hold a hit's
// position in the search's results.
const searchCursorTag = "s1:"

// searchCompanies answers a page of a company search after the cursor.
// Relay's pages need not line up with the KvK's: a page that starts in the
// middle of one of the KvK's pages (after a page of another size) takes
// the rest of it and the start of the next.
func (r *Resolver) searchCompanies(ctx context.Context, q nhr.SearchQuery, after *string) (*model.CompanySearchConnection, error) {
	start := 0
	if after != nil {
		pos, err := decodeSearchCursor(*after)
		if err != nil {
			return nil, badInput("after", err)
		}
		start = pos + 1
	}
	if start >= maxSearchHits {
		return nil, badInput("after", fmt.Errorf("the KvK shows no hits beyond the first %d", maxSearchHits))
	}
	h, err := nhr.From(r.reg)
	if err != nil {
		return nil, err
	}
	n := q.PerPage
	q.Page = start/n + 1
	page, err := h.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	total := page.Total
	var hits []nhr.SearchResult
	if skip := start - (q.Page-1)*n; skip < len(page.Results) {
		hits = page.Results[skip:]
	}
	if len(hits) < n && start%n != 0 && page.HasNext {
		q.Page++
		next, err := h.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		hits = append(hits, next.Results...)
	}
	hits = hits[:min(n, len(hits))]
	out := &model.CompanySearchConnection{
		Edges:      make([]*model.CompanySearchEdge, 0, len(hits)),
		PageInfo:   &model.PageInfo{HasPreviousPage: start > 0, HasNextPage: start+len(hits) < min(total, maxSearchHits)},
		TotalCount: total,
	}
	for i, h := range hits {
		hit := &model.CompanySearchHit{
			Subject: model.CompanySubject(h.KvKNumber), KVKNumber: h.KvKNumber, BranchNumber: str(h.BranchNumber), Name: str(h.Name),
			Type: registryEnum(searchHitTypes, h.Type),
		}
		if h.Address != nil {
			hit.Place = str(h.Address.Place)
		}
		out.Edges = append(out.Edges, &model.CompanySearchEdge{Cursor: searchCursor(start + i), Node: hit})
	}
	if len(out.Edges) > 0 {
		out.PageInfo.StartCursor, out.PageInfo.EndCursor = &out.Edges[0].Cursor, &out.Edges[len(out.Edges)-1].Cursor
	}
	return out, nil
}

func searchCursor(pos int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(searchCursorTag + strconv.Itoa(pos)))
}

func decodeSearchCursor(c string) (int, error) {
	errCursor := errors.New("not a cursor of this search: give a page's endCursor")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, errCursor
	}
	pos, ok := strings.CutPrefix(string(raw), searchCursorTag)
	if !ok {
		return 0, errCursor
	}
	n, err := strconv.Atoi(pos)
	if err != nil || n < 0 {
		return 0, errCursor
	}
	return n, nil
}
