package uwv

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

// The BKWI code tables the connector describes the registry's codes from
// (see codes/README.md). Suwinet sends codes only.
//
//go:embed codes/*.json
var codeFiles embed.FS

// codeTable maps a code to its description.
type codeTable map[string]string

// code returns the code with its description; an unknown code keeps an
// empty description and the empty code is the zero Code.
func (t codeTable) code(c string) Code {
	if c == "" {
		return Code{}
	}
	return Code{Code: c, Description: t[c]}
}

// codeTables are the tables the connector uses.
type codeTables struct {
	soortIkv     codeTable // CdSrtIkv
	aardIkv      codeTable // CdAardIkv
	contractType codeTable // CdTypeArbeidscontract
}

func loadCodeTables() (codeTables, error) {
	var t codeTables
	var err error
	if t.soortIkv, err = loadCodeTable("codes/codes_soort_inkomstenverhouding.json"); err != nil {
		return t, err
	}
	if t.aardIkv, err = loadCodeTable("codes/codes_aard_arbeidsverhouding.json"); err != nil {
		return t, err
	}
	if t.contractType, err = loadCodeTable("codes/codes_type_arbeidscontract.json"); err != nil {
		return t, err
	}
	return t, nil
}

// loadCodeTable reads one BKWI table. The soort-inkomstenverhouding table
// repeats each code at the start of its name ("15 Loon of salaris ..."); the
// prefix is dropped because the code stands beside the description. Where
// the table lists a code twice (15), the later, current wording wins.
func loadCodeTable(name string) (codeTable, error) {
	data, err := codeFiles.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("code table %s: %w", name, err)
	}
	var rows []struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, fmt.Errorf("code table %s: %w", name, err)
	}
	t := make(codeTable, len(rows))
	for _, r := range rows {
		if r.Code == "" {
			continue
		}
		t[r.Code] = strings.TrimSpace(strings.TrimPrefix(r.Name, r.Code+" "))
	}
	return t, nil
}
