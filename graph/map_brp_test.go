package graph

import (
	"testing"

	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/graph/model"
)

// The BRP gives dates of four kinds; only a full one carries a date, and
// the others must map without one.
func TestPartialDate(t *testing.T) {
	tests := []struct {
		name      string
		in        brp.Date
		precision model.DatePrecision
		date      string
		year      int
		month     int
	}{
		{"full", brp.Date{Kind: brp.DateFull, Date: "1956-11-15", Year: 1956, Month: 11, Text: "15 november 1956"}, model.DatePrecisionDay, "1956-11-15", 1956, 11},
		{"year and month", brp.Date{Kind: brp.DateYearMonth, Year: 1956, Month: 11, Text: "november 1956"}, model.DatePrecisionMonth, "", 1956, 11},
		{"year", brp.Date{Kind: brp.DateYear, Year: 1956, Text: "1956"}, model.DatePrecisionYear, "", 1956, 0},
		{"unknown", brp.Date{Kind: brp.DateUnknown, Text: "onbekend"}, model.DatePrecisionUnknown, "", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := partialDate(&tc.in)
			if got.Precision != tc.precision {
				t.Errorf("precision = %s, want %s", got.Precision, tc.precision)
			}
			if d := deref(got.Date); string(d) != tc.date {
				t.Errorf("date = %q, want %q", d, tc.date)
			}
			if y := deref(got.Year); y != tc.year {
				t.Errorf("year = %d, want %d", y, tc.year)
			}
			if m := deref(got.Month); m != tc.month {
				t.Errorf("month = %d, want %d", m, tc.month)
			}
			if deref(got.Text) != tc.in.Text {
				t.Errorf("text = %q, want %q", deref(got.Text), tc.in.Text)
			}
		})
	}
	if partialDate(nil) != nil {
		t.Error("partialDate(nil) is not nil")
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
