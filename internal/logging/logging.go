// Package logging builds the hub's application logger. The application log
// must never hold personal data, so every string it writes passes a filter
// that masks numbers shaped like a BSN, RSIN or KvK number.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// New returns a logger writing text or JSON at the level.
func New(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", level, err)
	}
	opts := &slog.HandlerOptions{Level: lv, ReplaceAttr: mask}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", format)
}

// Discard returns a logger that writes nothing.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// unmasked are attributes that hold identifiers of our own, never personal
// data, whose hex digits could look like a masked number.
var unmasked = map[string]bool{"trace_id": true, "span_id": true, "request_id": true}

func mask(_ []string, a slog.Attr) slog.Attr {
	if unmasked[a.Key] {
		return a
	}
	switch a.Value.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(a.Value.String()))
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			return slog.String(a.Key, Redact(err.Error()))
		}
	}
	return a
}

// Redact replaces every run of eight or more digits, the shape of a BSN,
// RSIN, KvK number or A-nummer, with a mask.
func Redact(s string) string {
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
			if digits == 8 {
				break
			}
		} else {
			digits = 0
		}
	}
	if digits < 8 {
		return s
	}
	var b strings.Builder
	run := 0
	flush := func(end int) {
		if run >= 8 {
			b.WriteString("[redacted]")
		} else {
			b.WriteString(s[end-run : end])
		}
		run = 0
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			continue
		}
		flush(i)
		b.WriteByte(s[i])
	}
	flush(len(s))
	return b.String()
}
