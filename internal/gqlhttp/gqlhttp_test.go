package gqlhttp

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestError(t *testing.T) {
	tests := []struct {
		name  string
		write func(http.ResponseWriter)
		want  string
	}{
		{"code only", func(w http.ResponseWriter) { Error(w, http.StatusBadRequest, "BAD_REQUEST", "no <body>", nil) },
			`{"errors":[{"extensions":{"code":"BAD_REQUEST"},"message":"no \u003cbody\u003e"}]}` + "\n"},
		{"extensions beside the code", func(w http.ResponseWriter) {
			Error(w, http.StatusBadRequest, "TOO_LARGE", "too large", map[string]any{"limit": int64(10), "code": "IGNORED"})
		}, `{"errors":[{"extensions":{"code":"TOO_LARGE","limit":10},"message":"too large"}]}` + "\n"},
		{"withheld data", func(w http.ResponseWriter) {
			ErrorWithheld(w, http.StatusBadRequest, "AUDIT_UNAVAILABLE", "no", map[string]any{"traceId": "t"})
		}, `{"data":null,"errors":[{"extensions":{"code":"AUDIT_UNAVAILABLE","traceId":"t"},"message":"no"}]}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			w.Header().Set("Retry-After", "5")
			tt.write(w)
			if w.Code != http.StatusBadRequest || w.Body.String() != tt.want {
				t.Errorf("got %d %s, want 400 %s", w.Code, w.Body, tt.want)
			}
			h := w.Header()
			if h.Get("Content-Type") != "application/json" || h.Get("Cache-Control") != "no-store" || h.Get("Retry-After") != "5" {
				t.Errorf("headers = %v", h)
			}
		})
	}
}

func TestErrorLeavesTheExtensionsAlone(t *testing.T) {
	ext := map[string]any{"limit": 1}
	Error(httptest.NewRecorder(), http.StatusBadRequest, "X", "x", ext)
	if len(ext) != 1 {
		t.Errorf("extensions = %v, want them unchanged", ext)
	}
}
