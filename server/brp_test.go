package server_test

import (
	"testing"

	"github.com/poort-nl/poort/mocks/population"
)

// A travel document is valid up to and including its end of validity; the
// hub derives that, as the registry gives no validity. The subjects are
// picked by their documents: one holding a document valid for years, one
// holding only documents that ran out.
func TestTravelDocumentValidity(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	today := p.ReferenceDate
	held := map[string][]*population.TravelDocument{}
	for i := range p.TravelDocuments {
		if d := &p.TravelDocuments[i]; d.Held() {
			held[d.BSN] = append(held[d.BSN], d)
		}
	}
	var current, expired string
	for _, pe := range p.Persons {
		bsn, docs := pe.BSN, held[pe.BSN]
		if len(docs) == 0 {
			continue
		}
		valid := 0
		for _, d := range docs {
			if today <= d.ExpiryDate {
				valid++
			}
		}
		switch {
		case current == "" && valid == len(docs) && addYears(today, 5) <= docs[0].ExpiryDate:
			current = bsn
		case expired == "" && valid == 0:
			expired = bsn
		}
	}
	if current == "" || expired == "" {
		t.Fatalf("no holder of a document valid for years (%q) or of expired documents only (%q)", current, expired)
	}
	for _, bsn := range []string{current, expired} {
		var got struct {
			Person struct {
				TravelDocuments []struct {
					Number  string
					Kind    struct{ Code, Description *string }
					Expires struct{ Date string }
					Valid   *bool
				}
			}
		}
		h.Query(t, `query($bsn: String!) { person(bsn: $bsn) { travelDocuments { number kind { code description } expires { date } valid } } }`,
			map[string]any{"bsn": bsn}).Decode(t, &got)
		docs := got.Person.TravelDocuments
		if len(docs) != len(held[bsn]) {
			t.Fatalf("person %s: %d documents, holds %d", bsn, len(docs), len(held[bsn]))
		}
		for i, d := range docs {
			w := held[bsn][i]
			want := today <= w.ExpiryDate
			if d.Number != w.Number || d.Expires.Date != w.ExpiryDate.ISO() || d.Valid == nil || *d.Valid != want ||
				d.Kind.Code == nil || *d.Kind.Code != w.Kind || d.Kind.Description == nil {
				t.Errorf("person %s: document %s expiring %s: valid %v, want %v (%+v)", bsn, w.Number, w.ExpiryDate, d.Valid, want, d)
			}
		}
	}
}

// Over the whole population, birth.place is the place as the BRP records
// it: a Dutch municipality with its code and name, a place abroad by its
// name alone, never dropped.
func TestPlaceOfBirthAsRecorded(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	abroad := 0
	for start := 0; start < len(p.Persons); start += 50 {
		var bsns []string
		for _, pe := range p.Persons[start:min(start+50, len(p.Persons))] {
			bsns = append(bsns, pe.BSN)
		}
		var got struct {
			Persons []struct {
				BSN   string
				Birth struct {
					Place   *struct{ Code, Description *string }
					Country *struct{ Code, Description *string }
				}
			}
		}
		h.Query(t, `query($bsns: [String!]!) { persons(bsns: $bsns) { bsn birth { place { code description } country { code description } } } }`,
			map[string]any{"bsns": bsns}).Decode(t, &got)
		for _, g := range got.Persons {
			want, _ := p.Person(g.BSN)
			place, country := g.Birth.Place, g.Birth.Country
			if place == nil || country == nil || deref(place.Description) != want.BirthPlace || deref(place.Code) != want.BirthPlaceCode ||
				deref(country.Code) != want.BirthCountry || deref(country.Description) == "" {
				t.Fatalf("person %s: birth place %+v country %+v, want %q %q in %s", g.BSN, place, country, want.BirthPlaceCode, want.BirthPlace, want.BirthCountry)
			}
			if place.Code == nil {
				abroad++
			}
		}
	}
	if abroad == 0 {
		t.Fatal("no person born abroad, whose place has no code")
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func addYears(d population.Date, years int) population.Date {
	t, _ := d.Time()
	return population.DateOf(t.AddDate(years, 0, 0))
}
