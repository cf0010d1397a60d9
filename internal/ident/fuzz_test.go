package ident

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// checkParse holds the properties every parser shares: it never panics;
// what it accepts matches the identifier's shape and parses again to
// itself; what it refuses is an *Error that does not repeat the input, so
// it can be logged and shown without disclosing an identifier.
func checkParse(t *testing.T, parse func(string) (string, error), shape *regexp.Regexp, in string) string {
	t.Helper()
	out, err := parse(in)
	if err != nil {
		var ie *Error
		if !errors.As(err, &ie) {
			t.Fatalf("error %v is not an *ident.Error", err)
		}
		// The all-zero number is named by its rule; it is nobody's.
		if len(in) >= 6 && strings.Trim(in, "0") != "" && strings.ContainsAny(in, "0123456789") && strings.Contains(err.Error(), in) {
			t.Fatalf("the error repeats the input: %v", err)
		}
		if out != "" {
			t.Fatalf("a refusal returned %q", out)
		}
		return ""
	}
	if !shape.MatchString(out) {
		t.Fatalf("accepted %q as %q, which does not match %s", in, out, shape)
	}
	again, err := parse(out)
	if err != nil || again != out {
		t.Fatalf("%q parsed to %q, which parses to %q, %v", in, out, again, err)
	}
	return out
}

var (
	nineDigits    = regexp.MustCompile(`^[0-9]{9}$`)
	eightDigits   = regexp.MustCompile(`^[0-9]{8}$`)
	twelveDigits  = regexp.MustCompile(`^[0-9]{12}$`)
	addressID     = regexp.MustCompile(`^[0-9]{4}20[0-9]{10}$`)
	objectID      = regexp.MustCompile(`^[0-9]{4}0[123][0-9]{10}$`)
	buildingID    = regexp.MustCompile(`^[0-9]{4}10[0-9]{10}$`)
	postcodeShape = regexp.MustCompile(`^[1-9][0-9]{3}[A-Z]{2}$`)
	plateShape    = regexp.MustCompile(`^[A-Z0-9]{6}$`)
	documentShape = regexp.MustCompile(`^[A-Z0-9]{9}$`)
)

// elfproef is an independent statement of the BSN rule to check ParseBSN
// against.
func elfproef(s string) bool {
	if !nineDigits.MatchString(s) || s == "000000000" {
		return false
	}
	sum := 0
	for i, w := range []int{9, 8, 7, 6, 5, 4, 3, 2, -1} {
		sum += w * int(s[i]-'0')
	}
	return sum%11 == 0
}

func FuzzParseBSN(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		out := checkParse(t, ParseBSN, nineDigits, s)
		if (out != "") != elfproef(s) {
			t.Fatalf("ParseBSN(%q) accepted = %v, the elfproef says %v", s, out != "", elfproef(s))
		}
	})
}

func FuzzParseRSIN(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		out := checkParse(t, ParseRSIN, nineDigits, s)
		if (out != "") != elfproef(s) {
			t.Fatalf("ParseRSIN(%q) accepted = %v, the elfproef says %v", s, out != "", elfproef(s))
		}
	})
}

func FuzzBSNCheckDigit(f *testing.F) {
	f.Fuzz(func(t *testing.T, prefix string) {
		d, ok := BSNCheckDigit(prefix)
		if !ok {
			return
		}
		bsn := prefix + string(d)
		if bsn != "000000000" && !elfproef(bsn) {
			t.Fatalf("check digit %c makes %q, which fails the elfproef", d, bsn)
		}
	})
}

func FuzzParseKvKNumber(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) { checkParse(t, ParseKvKNumber, eightDigits, s) })
}

func FuzzParseBranchNumber(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) { checkParse(t, ParseBranchNumber, twelveDigits, s) })
}

func FuzzParseAddressID(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) { checkParse(t, ParseAddressID, addressID, s) })
}

func FuzzParseObjectID(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) { checkParse(t, ParseObjectID, objectID, s) })
}

func FuzzParseBuildingID(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) { checkParse(t, ParseBuildingID, buildingID, s) })
}

func FuzzParsePostcode(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		out := checkParse(t, ParsePostcode, postcodeShape, s)
		if out != "" && asciiUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", "")) != out {
			t.Fatalf("ParsePostcode(%q) = %q: more than spaces and ASCII case changed", s, out)
		}
	})
}

func FuzzParseLicencePlate(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		out := checkParse(t, ParseLicencePlate, plateShape, s)
		if out != "" && asciiUpper(strings.NewReplacer("-", "", " ", "").Replace(s)) != out {
			t.Fatalf("ParseLicencePlate(%q) = %q: more than dashes, spaces and case changed", s, out)
		}
	})
}

func FuzzParseTravelDocumentNumber(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		out := checkParse(t, ParseTravelDocumentNumber, documentShape, s)
		if out != "" && asciiUpper(s) != out {
			t.Fatalf("ParseTravelDocumentNumber(%q) = %q: more than ASCII case changed", s, out)
		}
	})
}

func FuzzParseHouseNumber(f *testing.F) {
	f.Fuzz(func(t *testing.T, n int) {
		got, err := ParseHouseNumber(n)
		if ok := n >= 1 && n <= 99999; ok != (err == nil) || (ok && got != n) {
			t.Fatalf("ParseHouseNumber(%d) = %d, %v", n, got, err)
		}
	})
}
