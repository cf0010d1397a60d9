package bag

import (
	"errors"
	"fmt"

	"github.com/poort-nl/poort/connectors"
)

// invalid reports input the connector refuses before calling the API. The
// ident errors it wraps name the rule broken, never the input.
func invalid(op string, err error) error {
	return &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrInvalidRequest, Detail: err.Error(), Err: err}
}

func invalidResponse(op string, err error) error {
	return &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrInvalidResponse, Detail: err.Error(), Err: err}
}

// tooMany refuses a search with more results than the connector fetches;
// the API's own error for such searches is tooManyResults, a bad request.
func tooMany(op string) error {
	return &connectors.Error{Registry: Registry, Operation: op, Kind: connectors.ErrInvalidRequest,
		Detail: fmt.Sprintf("the search finds more than %d addresses", maxPages*pageSize)}
}

var (
	errLetter   = errors.New("a house letter is one letter a-z or A-Z")
	errAddition = errors.New("a house number addition is one to four letters and digits")
)

// checkLetterAndAddition checks the API's patterns for huisletter
// (^[a-zA-Z]{1}$) and huisnummertoevoeging (^[0-9a-zA-Z]{1,4}$); empty
// means none.
func checkLetterAndAddition(letter, addition string) error {
	alnum := func(c byte, digits bool) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || digits && c >= '0' && c <= '9'
	}
	if letter != "" && (len(letter) != 1 || !alnum(letter[0], false)) {
		return errLetter
	}
	if len(addition) > 4 {
		return errAddition
	}
	for i := 0; i < len(addition); i++ {
		if !alnum(addition[i], true) {
			return errAddition
		}
	}
	return nil
}
