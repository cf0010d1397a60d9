package lifeevents

import (
	"os"
	"strings"
	"testing"
)

func TestLifeEventsDocShowsTheCatalogue(t *testing.T) {
	doc, err := os.ReadFile("../docs/life-events.md")
	if err != nil {
		t.Fatal(err)
	}
	c, err := LoadEmbedded(realSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	want, err := SpliceDocTables(string(doc), c.DocTables())
	if err != nil {
		t.Fatal(err)
	}
	if want != string(doc) {
		t.Fatal("docs/life-events.md does not show the catalogue; run go generate ./lifeevents")
	}
}

func TestProvenanceCounts(t *testing.T) {
	c, err := LoadEmbedded(realSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	steps, bases := 0, 0
	for _, e := range c.Events() {
		steps += len(e.Steps)
		for _, s := range e.Steps {
			if s.Learns.LegalBasis != nil {
				bases++
			}
		}
	}
	got := map[string]ProvenanceCount{}
	for _, n := range c.ProvenanceCounts() {
		got[n.What] = n
	}
	// Every step's coupling and every legal basis is counted once, sourced
	// or not.
	if n := got["coupling statuses"]; n.Sourced+n.Unsourced != steps || n.Sourced == 0 || n.Unsourced == 0 {
		t.Errorf("coupling statuses %+v, want %d in all", n, steps)
	}
	if n := got["legal bases"]; n.Sourced+n.Unsourced != bases || bases == 0 {
		t.Errorf("legal bases %+v, want %d in all", n, bases)
	}
	// A table cell keeps an expression's || whole.
	if cell := code("a || b"); !strings.Contains(cell, `\|\|`) {
		t.Errorf("code(a || b) = %s", cell)
	}
}
