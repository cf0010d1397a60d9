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

// A table value comes as the registry gives it: a place abroad has a
// description and no code, and is not dropped.
func TestCode(t *testing.T) {
	tests := []struct {
		name       string
		in         *brp.Code
		code, desc string
		null       bool
	}{
		{"code and description", &brp.Code{Code: "0363", Description: "Amsterdam"}, "0363", "Amsterdam", false},
		{"description only", &brp.Code{Description: "Ankara"}, "", "Ankara", false},
		{"code only", &brp.Code{Code: "9999"}, "9999", "", false},
		{"empty", &brp.Code{}, "", "", true},
		{"absent", nil, "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := code(tc.in)
			if (got == nil) != tc.null {
				t.Fatalf("code(%+v) = %+v", tc.in, got)
			}
			if got != nil && (deref(got.Code) != tc.code || deref(got.Description) != tc.desc) {
				t.Errorf("code(%+v) = %q %q, want %q %q", tc.in, deref(got.Code), deref(got.Description), tc.code, tc.desc)
			}
		})
	}
}

// A travel document's validity is derived from its end of validity and a
// withdrawal, as the registry gives no validity.
func TestTravelDocumentValidity(t *testing.T) {
	full := func(iso string) *brp.Date { return &brp.Date{Kind: brp.DateFull, Date: iso} }
	const today = model.Date("2026-03-14")
	tests := []struct {
		name string
		doc  brp.TravelDocument
		want *bool
	}{
		{"valid for years", brp.TravelDocument{Expiry: full("2035-06-01")}, ptr(true)},
		{"last day", brp.TravelDocument{Expiry: full("2026-03-14")}, ptr(true)},
		{"expired yesterday", brp.TravelDocument{Expiry: full("2026-03-13")}, ptr(false)},
		{"reported lost", brp.TravelDocument{Expiry: full("2035-06-01"), Withdrawal: &brp.Code{Code: "V"}}, ptr(false)},
		{"handed in", brp.TravelDocument{Expiry: full("2035-06-01"), Withdrawal: &brp.Code{Code: "I"}}, ptr(false)},
		{"end of validity a year only", brp.TravelDocument{Expiry: &brp.Date{Kind: brp.DateYear, Year: 2035}}, nil},
		{"end of validity unknown", brp.TravelDocument{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := travelDocument("999990019", tc.doc, today).Valid
			if (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
				t.Errorf("valid = %v, want %v", fmtBool(got), fmtBool(tc.want))
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func fmtBool(b *bool) string {
	if b == nil {
		return "null"
	}
	if *b {
		return "true"
	}
	return "false"
}
