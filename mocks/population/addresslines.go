package population

import (
	"strconv"
	"strings"
)

// StreetLine composes the street line of an address by NEN 5825, as the BRP
// gives it in adresregel1 and the BAG in adresregel5: the short street
// name, a space, the house number, and the letter and addition written
// together, joined to the number by a dash when they start with a digit and
// by a space otherwise.
func StreetLine(shortStreet string, number int, letter, addition string) string {
	line := shortStreet + " " + strconv.Itoa(number)
	rest := letter + addition
	switch {
	case rest == "":
		return line
	case rest[0] >= '0' && rest[0] <= '9':
		return line + "-" + rest
	default:
		return line + " " + rest
	}
}

// PlaceLine composes the place line of an address by NEN 5825, as the BRP
// gives it in adresregel2 and the BAG in adresregel6: the postcode with a
// space between digits and letters, two spaces, and the place name in
// capitals; without a postcode, the place name alone.
func PlaceLine(postcode, place string) string {
	p := strings.ToUpper(place)
	pc := strings.ReplaceAll(postcode, " ", "")
	if len(pc) != 6 {
		return p
	}
	return pc[:4] + " " + pc[4:] + "  " + p
}
