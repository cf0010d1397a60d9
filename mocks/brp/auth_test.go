package brp

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRequireKey: without the key, or with another, the mock answers 401
// authentication as a problem; with it, the API.
func TestRequireKey(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	srv := httptest.NewServer(RequireKey("sleutel", api))
	defer srv.Close()
	for key, want := range map[string]int{"": http.StatusUnauthorized, "onjuist": http.StatusUnauthorized, "sleutel": http.StatusTeapot} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+PersonenPath, strings.NewReader(`{}`))
		if key != "" {
			req.Header.Set(KeyHeader, key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var p problem
		json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if resp.StatusCode != want || (want == http.StatusUnauthorized && (p.Code != "authentication" || resp.Header.Get("Content-Type") != "application/problem+json")) {
			t.Errorf("key %q: %d %+v, want %d", key, resp.StatusCode, p, want)
		}
	}
}
