package ident

import (
	"errors"
	"testing"
)

func TestParseBSN(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"valid test range", "999993653", true},
		{"valid worked example", "123456782", true},
		{"fails elfproef", "999999245", false},
		{"all zeros", "000000000", false},
		{"eight digits", "99999365", false},
		{"ten digits", "9999936530", false},
		{"letters", "99999365a", false},
		{"hostile", "'; DROP TABLE", false},
		{"unicode digits", "９９９９９３６５３", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseBSN(tt.in)
			if tt.ok != (err == nil) {
				t.Fatalf("ParseBSN(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if tt.ok && got != tt.in {
				t.Fatalf("ParseBSN(%q) = %q", tt.in, got)
			}
			var ie *Error
			if !tt.ok && (!errors.As(err, &ie) || ie.Kind != KindBSN) {
				t.Fatalf("ParseBSN(%q) error %v is not an *Error of kind BSN", tt.in, err)
			}
		})
	}
}

func TestBSNCheckDigit(t *testing.T) {
	d, ok := BSNCheckDigit("99999365")
	if !ok || d != '3' {
		t.Fatalf("BSNCheckDigit = %q, %v; want '3', true", d, ok)
	}
	// 99999999: sum = 9*(9+8+7+6+5+4+3+2) = 396, 396 mod 11 = 0.
	if d, ok := BSNCheckDigit("99999999"); !ok || d != '0' {
		t.Fatalf("BSNCheckDigit(99999999) = %q, %v", d, ok)
	}
	if _, ok := BSNCheckDigit("1234567"); ok {
		t.Fatal("seven digits accepted")
	}
}

func TestParsers(t *testing.T) {
	tests := []struct {
		name  string
		parse func(string) (string, error)
		in    string
		want  string // empty: error expected
	}{
		{"kvk", ParseKvKNumber, "69599084", "69599084"},
		{"kvk short", ParseKvKNumber, "6959908", ""},
		{"branch", ParseBranchNumber, "000038509504", "000038509504"},
		{"branch letters", ParseBranchNumber, "00003850950x", ""},
		{"address", ParseAddressID, "0363200003761447", "0363200003761447"},
		{"address wrong type", ParseAddressID, "0363010003761571", ""},
		{"address zeros", ParseAddressID, "0000000000000000", ""},
		{"object vbo", ParseObjectID, "0363010003761571", "0363010003761571"},
		{"object standplaats", ParseObjectID, "0503030000103062", "0503030000103062"},
		{"object is pand", ParseObjectID, "0363100012168052", ""},
		{"building", ParseBuildingID, "0363100012168052", "0363100012168052"},
		{"postcode", ParsePostcode, "1012 js", "1012JS"},
		{"postcode leading zero", ParsePostcode, "0123AB", ""},
		{"postcode digits", ParsePostcode, "123456", ""},
		{"postcode long", ParsePostcode, "1012JS1012JS1012JS1012JS1012JS1012JS", ""},
		{"plate dashes", ParseLicencePlate, "r-759-bk", "R759BK"},
		{"plate too long", ParseLicencePlate, "R759BKX", ""},
		{"plate symbols", ParseLicencePlate, "R7$9BK", ""},
		{"travel document", ParseTravelDocumentNumber, "nx1234567", "NX1234567"},
		{"travel document symbols", ParseTravelDocumentNumber, "NX12345-7", ""},
		{"rsin", ParseRSIN, "999993653", "999993653"},
		{"rsin bad", ParseRSIN, "999993654", ""},
		// A-nummers of the BRP's published test set (Testset persoonslijsten
		// proefomgeving GBA-V).
		{"a-nummer", ParseANumber, "8940402024", "8940402024"},
		{"a-nummer checksum", ParseANumber, "8940402025", ""},
		{"a-nummer adjacent digits", ParseANumber, "1122334455", ""},
		{"a-nummer leading zero", ParseANumber, "0940402024", ""},
		{"a-nummer nine digits", ParseANumber, "894040202", ""},
		{"loonheffingennummer", ParsePayrollTaxNumber, "999993653L01", "999993653L01"},
		{"loonheffingennummer lower-case l", ParsePayrollTaxNumber, "999993653l02", "999993653L02"},
		{"loonheffingennummer elfproef", ParsePayrollTaxNumber, "999993654L01", ""},
		{"loonheffingennummer without L", ParsePayrollTaxNumber, "999993653001", ""},
		{"loonheffingennummer one digit", ParsePayrollTaxNumber, "999993653L1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse(tt.in)
			if tt.want == "" {
				var ie *Error
				if !errors.As(err, &ie) {
					t.Fatalf("parse(%q) = %q, %v; want an *Error", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseHouseNumber(t *testing.T) {
	for _, n := range []int{0, -1, 100000} {
		if _, err := ParseHouseNumber(n); err == nil {
			t.Errorf("ParseHouseNumber(%d) accepted", n)
		}
	}
	if n, err := ParseHouseNumber(15); err != nil || n != 15 {
		t.Errorf("ParseHouseNumber(15) = %d, %v", n, err)
	}
}

func TestErrorDoesNotEchoInput(t *testing.T) {
	_, err := ParseBSN("123456789")
	if err == nil {
		t.Fatal("accepted")
	}
	if got := err.Error(); contains(got, "123456789") {
		t.Fatalf("error %q discloses the input", got)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestNonASCIILettersAreRefused(t *testing.T) {
	// strings.ToUpper maps "ı" to I and "ſ" to S; an identifier must not
	// pass on such look-alikes.
	for _, s := range []string{"1234ıı", "1234ſA"} {
		if got, err := ParsePostcode(s); err == nil {
			t.Errorf("ParsePostcode(%q) = %q, want a refusal", s, got)
		}
	}
	if got, err := ParseTravelDocumentNumber("ABCDEFGſ"); err == nil {
		t.Errorf("ParseTravelDocumentNumber = %q, want a refusal", got)
	}
}
