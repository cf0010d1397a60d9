package logging

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := map[string]string{
		"person 999993653 not found": "person [redacted] not found",
		"kvk 69599084":               "kvk [redacted]",
		"port 8080 and 1234567":      "port 8080 and 1234567",
		"999993653,999970008":        "[redacted],[redacted]",
		"":                           "",
		"trailing 0363200003761447":  "trailing [redacted]",
	}
	for in, want := range tests {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoggerMasks(t *testing.T) {
	var buf bytes.Buffer
	log, err := New(&buf, "json", "info")
	if err != nil {
		t.Fatal(err)
	}
	log.Info("lookup 999993653", "subject", "999993653", "err", errors.New("bsn 999993653"), "trace_id", "4bf92f3577b34da6123456789e0e4736")
	out := buf.String()
	if strings.Contains(out, "999993653") {
		t.Fatalf("log discloses a BSN: %s", out)
	}
	if !strings.Contains(out, "4bf92f3577b34da6123456789e0e4736") {
		t.Fatalf("trace id was masked: %s", out)
	}
	if _, err := New(&buf, "xml", "info"); err == nil {
		t.Fatal("accepted xml")
	}
}
