package jsonerr

import (
	"strings"
	"testing"
	"time"
)

type health struct {
	Registry string        `json:"registry"`
	Calls    int           `json:"calls"`
	Window   time.Duration `json:"window"`
	Nested   struct {
		OK bool `json:"ok"`
	} `json:"nested"`
}

func TestExplain(t *testing.T) {
	for _, tt := range []struct {
		doc, want string
		strict    bool
	}{
		{`{"registry":"UWV"}`, "the document: want a list, got an object", false},
		{`[{"registry":5}]`, "registry: want a string, got a number", false},
		{`[{"calls":1.5}]`, "calls: want a whole number, got the number 1.5", false},
		{`[{"nested":{"ok":"yes"}}]`, "nested.ok: want true or false, got a string", false},
		{`[{"registry":"UWV",}]`, "not valid JSON at byte 20: invalid character '}'", false},
		{`[{"registry":"UWV"`, "not valid JSON at byte 18: unexpected end of JSON input", false},
		{``, "the JSON ends too early", true},
		{`[{"registyr":"UWV"}]`, `unknown field "registyr"`, true},
		{`[] []`, "more than one JSON value", true},
	} {
		var v []health
		var err error
		if tt.strict {
			err = UnmarshalStrict([]byte(tt.doc), &v)
		} else {
			err = Unmarshal([]byte(tt.doc), &v)
		}
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.doc, err, tt.want)
			continue
		}
		for _, goWord := range []string{"Go ", "jsonerr.", "[]", "json:"} {
			if strings.Contains(err.Error(), goWord) {
				t.Errorf("%s: %q names Go (%s)", tt.doc, err, goWord)
			}
		}
	}
	if Explain(nil) != nil {
		t.Error("Explain(nil) is not nil")
	}
}
