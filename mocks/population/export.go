package population

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes the population as one JSON document, so tests and outside
// tools can pick real identities.
func (p *Population) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("write population: %w", err)
	}
	return nil
}

// ReadJSON reads a population written by WriteJSON and indexes it.
func ReadJSON(r io.Reader) (*Population, error) {
	var p Population
	if err := json.NewDecoder(r).Decode(&p); err != nil {
		return nil, fmt.Errorf("read population: %w", err)
	}
	p.Index()
	return &p, nil
}
