// Package ident checks and normalises the identifiers of the Dutch base
// registries at the edge of the hub, before any registry is asked.
//
// Every parser returns an *Error that names the rule the input broke, never
// the input itself, so the error can be shown to a client and logged without
// disclosing an identifier.
package ident

import (
	"fmt"
	"strings"
)

// Kind names an identifier type.
type Kind string

// The identifier kinds the hub checks.
const (
	KindBSN              Kind = "BSN"
	KindKvKNumber        Kind = "KvK number"
	KindBranchNumber     Kind = "vestigingsnummer"
	KindAddressID        Kind = "BAG nummeraanduiding identification"
	KindObjectID         Kind = "BAG adresseerbaar object identification"
	KindBuildingID       Kind = "BAG pand identification"
	KindPostcode         Kind = "postcode"
	KindHouseNumber      Kind = "house number"
	KindLicencePlate     Kind = "licence plate"
	KindRSIN             Kind = "RSIN"
	KindANumber          Kind = "A-nummer"
	KindPayrollTaxNumber Kind = "loonheffingennummer"
	KindTravelDocumentNr Kind = "travel document number"
)

// Error reports an identifier that breaks its rule.
type Error struct {
	Kind Kind
	Rule string
}

func (e *Error) Error() string { return fmt.Sprintf("invalid %s: %s", e.Kind, e.Rule) }

func invalid(k Kind, rule string) error { return &Error{Kind: k, Rule: rule} }

// maxInput bounds the work done on hostile input: no identifier here is
// longer than 16 characters, even with separators.
const maxInput = 32

func digitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ElevenCheckSum returns the BSN elfproef sum 9·d1 + 8·d2 + … + 2·d8 − 1·d9
// of nine digits. The caller ensures s holds exactly nine ASCII digits.
func ElevenCheckSum(s string) int {
	sum := 0
	for i := 0; i < 8; i++ {
		sum += (9 - i) * int(s[i]-'0')
	}
	return sum - int(s[8]-'0')
}

// BSNCheckDigit returns the ninth digit that makes the eight digits in
// prefix a valid BSN, and false when no digit can (remainder 10).
func BSNCheckDigit(prefix string) (byte, bool) {
	if len(prefix) != 8 || !digitsOnly(prefix) {
		return 0, false
	}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += (9 - i) * int(prefix[i]-'0')
	}
	d := sum % 11
	if d == 10 {
		return 0, false
	}
	return byte('0' + d), true
}

// ParseBSN checks a burgerservicenummer: nine digits, not all zero, passing
// the elfproef.
func ParseBSN(s string) (string, error) {
	if len(s) != 9 || !digitsOnly(s) {
		return "", invalid(KindBSN, "a BSN has exactly 9 digits")
	}
	if s == "000000000" {
		return "", invalid(KindBSN, "000000000 is not a BSN")
	}
	if ElevenCheckSum(s)%11 != 0 {
		return "", invalid(KindBSN, "the BSN fails the elfproef (11-check)")
	}
	return s, nil
}

// ParseRSIN checks an RSIN, which follows the BSN rules.
func ParseRSIN(s string) (string, error) {
	if _, err := ParseBSN(s); err != nil {
		return "", invalid(KindRSIN, "an RSIN has exactly 9 digits and passes the elfproef (11-check)")
	}
	return s, nil
}

// ParseANumber checks an A-nummer, the BRP's administration number: ten
// digits, the first not 0, no two adjacent digits equal, a digit sum whose
// remainder on division by 11 is 0 or 5, and the digits weighted 1, 2, 4,
// …, 512 summing to a multiple of 11 (the GBA's rules for the A-nummer).
func ParseANumber(s string) (string, error) {
	if len(s) != 10 || !digitsOnly(s) || s[0] == '0' {
		return "", invalid(KindANumber, "an A-nummer has exactly 10 digits and does not start with 0")
	}
	sum, weighted := 0, 0
	for i := 0; i < 10; i++ {
		if i > 0 && s[i] == s[i-1] {
			return "", invalid(KindANumber, "no two adjacent digits of an A-nummer are equal")
		}
		d := int(s[i] - '0')
		sum += d
		weighted += d << i
	}
	if r := sum % 11; r != 0 && r != 5 {
		return "", invalid(KindANumber, "the digit sum of an A-nummer leaves 0 or 5 on division by 11")
	}
	if weighted%11 != 0 {
		return "", invalid(KindANumber, "the A-nummer fails its weighted check (1, 2, 4, …, 512)")
	}
	return s, nil
}

// ParsePayrollTaxNumber checks a loonheffingennummer: the employer's RSIN
// or fiscal number (nine digits passing the elfproef), an L and a
// two-digit sequence number, e.g. "850123456L01". A lower-case l is
// normalised.
func ParsePayrollTaxNumber(s string) (string, error) {
	const rule = "a loonheffingennummer is nine digits passing the elfproef, L and two digits"
	if len(s) != 12 || (s[9] != 'L' && s[9] != 'l') || !digitsOnly(s[10:]) {
		return "", invalid(KindPayrollTaxNumber, rule)
	}
	if _, err := ParseBSN(s[:9]); err != nil {
		return "", invalid(KindPayrollTaxNumber, rule)
	}
	return s[:9] + "L" + s[10:], nil
}

// ParseKvKNumber checks a KvK number: eight digits.
func ParseKvKNumber(s string) (string, error) {
	if len(s) != 8 || !digitsOnly(s) {
		return "", invalid(KindKvKNumber, "a KvK number has exactly 8 digits")
	}
	return s, nil
}

// ParseBranchNumber checks a vestigingsnummer: twelve digits.
func ParseBranchNumber(s string) (string, error) {
	if len(s) != 12 || !digitsOnly(s) {
		return "", invalid(KindBranchNumber, "a vestigingsnummer has exactly 12 digits")
	}
	return s, nil
}

// bagID checks a 16-digit BAG identification whose fifth and sixth digits
// carry the object type.
func bagID(s string, k Kind, types ...string) (string, error) {
	if len(s) != 16 || !digitsOnly(s) {
		return "", invalid(k, "a BAG identification has exactly 16 digits")
	}
	if s == "0000000000000000" {
		return "", invalid(k, "a BAG identification is not all zeros")
	}
	for _, t := range types {
		if s[4:6] == t {
			return s, nil
		}
	}
	return "", invalid(k, fmt.Sprintf("digits 5 and 6 of this BAG identification must be %s", strings.Join(types, " or ")))
}

// ParseAddressID checks a BAG nummeraanduiding identification, the id of an
// address: 16 digits, object type 20.
func ParseAddressID(s string) (string, error) { return bagID(s, KindAddressID, "20") }

// ParseObjectID checks a BAG adresseerbaar object identification: 16 digits,
// object type 01 (verblijfsobject), 02 (ligplaats) or 03 (standplaats).
func ParseObjectID(s string) (string, error) { return bagID(s, KindObjectID, "01", "02", "03") }

// ParseBuildingID checks a BAG pand identification: 16 digits, object type 10.
func ParseBuildingID(s string) (string, error) { return bagID(s, KindBuildingID, "10") }

// ParsePostcode checks and normalises a Dutch postcode to "1234AB": four
// digits not starting with 0, an optional space, two letters.
func ParsePostcode(s string) (string, error) {
	if len(s) > maxInput {
		return "", invalid(KindPostcode, "a postcode is four digits and two letters, like 1234AB")
	}
	// Upper-case ASCII only: strings.ToUpper would turn letters such as
	// "ı" and "ſ" into I and S and let them through.
	p := asciiUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if len(p) != 6 || !digitsOnly(p[:4]) || p[0] == '0' {
		return "", invalid(KindPostcode, "a postcode is four digits (not starting with 0) and two letters, like 1234AB")
	}
	for i := 4; i < 6; i++ {
		if p[i] < 'A' || p[i] > 'Z' {
			return "", invalid(KindPostcode, "a postcode is four digits and two letters, like 1234AB")
		}
	}
	return p, nil
}

func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// ParseHouseNumber checks a house number: 1 to 99999.
func ParseHouseNumber(n int) (int, error) {
	if n < 1 || n > 99999 {
		return 0, invalid(KindHouseNumber, "a house number is between 1 and 99999")
	}
	return n, nil
}

// ParseLicencePlate normalises a Dutch licence plate to upper case without
// dashes or spaces and checks that it has six letters and digits.
func ParseLicencePlate(s string) (string, error) {
	if len(s) > maxInput {
		return "", invalid(KindLicencePlate, "a licence plate has 6 letters and digits, dashes allowed")
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' || c == ' ':
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			b.WriteByte(c)
		case c >= 'a' && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
		default:
			return "", invalid(KindLicencePlate, "a licence plate has only letters, digits and dashes")
		}
	}
	p := b.String()
	if len(p) != 6 {
		return "", invalid(KindLicencePlate, "a licence plate has 6 letters and digits, dashes allowed")
	}
	return p, nil
}

// ParseTravelDocumentNumber checks a travel document number: nine letters
// and digits, normalised to upper case.
func ParseTravelDocumentNumber(s string) (string, error) {
	if len(s) != 9 {
		return "", invalid(KindTravelDocumentNr, "a travel document number has exactly 9 letters and digits")
	}
	p := asciiUpper(s)
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return "", invalid(KindTravelDocumentNr, "a travel document number has exactly 9 letters and digits")
		}
	}
	return p, nil
}
