package lifeevents

import (
	"testing"
)

func TestLoadEmbedded(t *testing.T) {
	c, err := LoadEmbedded(realSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Events()) != 8 {
		t.Fatalf("%d events", len(c.Events()))
	}
}
