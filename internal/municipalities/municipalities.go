// Package municipalities holds the 342 Dutch municipalities of 1 January
// 2025 with their CBS codes and populations (CBS StatLine 03759NED).
package municipalities

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
)

//go:embed gemeenten-2025.csv
var csvData string

// Municipality is one municipality.
type Municipality struct {
	// Code is the CBS code with its GM prefix, e.g. "GM0344".
	Code string
	Name string
	// Population is the number of inhabitants on 1 January 2025.
	Population int
}

// Number returns the four-digit code without prefix, e.g. "0344", as the
// BRP and the BAG write it.
func (m Municipality) Number() string { return strings.TrimPrefix(m.Code, "GM") }

// Table is the list of municipalities with lookups.
type Table struct {
	all    []Municipality
	byCode map[string]int // "0344" → index
}

// Load parses the embedded table.
func Load() (*Table, error) {
	rows, err := csv.NewReader(strings.NewReader(csvData)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("municipalities: %w", err)
	}
	t := &Table{byCode: map[string]int{}}
	for i, r := range rows {
		if i == 0 {
			continue // header
		}
		if len(r) != 3 || !strings.HasPrefix(r[0], "GM") || len(r[0]) != 6 {
			return nil, fmt.Errorf("municipalities: line %d: want gm_code,gemeente,inwoners", i+1)
		}
		n, err := strconv.Atoi(r[2])
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("municipalities: line %d: population %q", i+1, r[2])
		}
		m := Municipality{Code: r[0], Name: r[1], Population: n}
		t.byCode[m.Number()] = len(t.all)
		t.all = append(t.all, m)
	}
	return t, nil
}

// All returns every municipality in table order.
func (t *Table) All() []Municipality { return append([]Municipality(nil), t.all...) }

// ByCode finds a municipality by its code, with or without GM prefix.
func (t *Table) ByCode(code string) (Municipality, bool) {
	i, ok := t.byCode[strings.TrimPrefix(strings.ToUpper(code), "GM")]
	if !ok {
		return Municipality{}, false
	}
	return t.all[i], true
}

// Name returns the name of the municipality with the four-digit code.
func (t *Table) Name(code string) (string, bool) {
	m, ok := t.ByCode(code)
	return m.Name, ok
}
