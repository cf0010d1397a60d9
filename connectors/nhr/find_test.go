package nhr

import (
	"context"
	"errors"
	"testing"
)

func TestFindKvKNumber(t *testing.T) {
	page := func(hits ...SearchResult) *SearchPage { return &SearchPage{Results: hits} }
	tests := []struct {
		name    string
		who     Registrant
		answer  *SearchPage
		want    string
		wantQ   *SearchQuery // nil: no search at all
		wantErr bool
	}{
		{"by RSIN", Registrant{RSIN: "850000105", Name: "X"},
			page(SearchResult{KvKNumber: "12345678", Name: "Other name"}, SearchResult{KvKNumber: "12345678", BranchNumber: "000012345678"}),
			"12345678", &SearchQuery{RSIN: "850000105", IncludeInactive: true, PerPage: 100}, false},
		{"by name and address", Registrant{Name: "Bakkerij Jansen", Postcode: "1234AB", HouseNumber: 5},
			page(SearchResult{KvKNumber: "11111111", Name: "Bakkerij Jansen en Zn"}, SearchResult{KvKNumber: "22222222", Name: "bakkerij jansen"}),
			"22222222", &SearchQuery{Name: "Bakkerij Jansen", Postcode: "1234AB", HouseNumber: 5, IncludeInactive: true, PerPage: 100}, false},
		{"two registrations", Registrant{Name: "Jansen", Postcode: "1234AB", HouseNumber: 5},
			page(SearchResult{KvKNumber: "11111111", Name: "Jansen"}, SearchResult{KvKNumber: "22222222", Name: "Jansen"}), "", &SearchQuery{}, false},
		{"nothing found", Registrant{RSIN: "850000105"}, page(), "", &SearchQuery{}, false},
		{"RSIN failing the elfproef", Registrant{RSIN: "004444444", Name: "UWV", Postcode: "1043BZ", HouseNumber: 116}, nil, "", nil, false},
		{"no address", Registrant{Name: "Jansen"}, nil, "", nil, false},
		{"no postcode", Registrant{Name: "Jansen", Postcode: "12", HouseNumber: 1}, nil, "", nil, false},
		{"search fails", Registrant{RSIN: "850000105"}, nil, "", &SearchQuery{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked *SearchQuery
			got, err := FindKvKNumber(context.Background(), func(_ context.Context, q SearchQuery) (*SearchPage, error) {
				asked = &q
				if tt.answer == nil {
					return nil, errors.New("down")
				}
				return tt.answer, nil
			}, tt.who)
			switch {
			case got != tt.want || (err != nil) != tt.wantErr:
				t.Errorf("FindKvKNumber = %q, %v; want %q", got, err, tt.want)
			case (asked == nil) != (tt.wantQ == nil):
				t.Errorf("asked %+v", asked)
			case tt.wantQ != nil && tt.wantQ.PerPage != 0 && *asked != *tt.wantQ:
				t.Errorf("asked %+v, want %+v", *asked, *tt.wantQ)
			}
		})
	}
}
