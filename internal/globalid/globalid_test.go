package globalid

import (
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	for _, tt := range []struct{ typ, key string }{
		{Case, "01a2248a-de0d-71d7-8fdb-bfaf49105ec2"},
		{AuditRecord, "42"},
		{Handover, "a:b"}, // a key may hold the separator
	} {
		id := New(tt.typ, tt.key)
		if strings.Contains(id, tt.key) || strings.Contains(id, tt.typ) {
			t.Errorf("%s shows what it holds", id)
		}
		typ, key, ok := Parse(id)
		if !ok || typ != tt.typ || key != tt.key {
			t.Errorf("Parse(New(%q, %q)) = %q, %q, %v", tt.typ, tt.key, typ, key, ok)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, id := range []string{"", "not base64!", "01a2248a-de0d-71d7-8fdb-bfaf49105ec2", New("", "x"), New("Case", ""),
		"Q2FzZQ"} { // "Case" without a key
		if typ, key, ok := Parse(id); ok {
			t.Errorf("Parse(%q) = %q, %q", id, typ, key)
		}
	}
}
