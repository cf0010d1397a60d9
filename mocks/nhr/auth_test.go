package nhr

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestRequireKey: the KvK APIs refuse a call without the key, or with
// another, with 401; the functionarissen contract, ours, takes no KvK key.
func TestRequireKey(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	srv := httptest.NewServer(RequireKey("sleutel", api))
	defer srv.Close()
	for _, tt := range []struct {
		method, path, key string
		status            int
	}{
		{"GET", "/api/v1/basisprofielen/69599084", "", http.StatusUnauthorized},
		{"GET", "/api/v2/zoeken?naam=x", "onjuist", http.StatusUnauthorized},
		{"GET", "/api/v1/basisprofielen/69599084", "sleutel", http.StatusTeapot},
		{"GET", "/api/v1/basisprofielen/69599084/functionarissen", "", http.StatusTeapot},
		{"POST", "/api/v1/functionarissen/zoeken", "", http.StatusTeapot},
	} {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		if tt.key != "" {
			req.Header.Set(KeyHeader, tt.key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s with key %q: %d, want %d", tt.method, tt.path, tt.key, resp.StatusCode, tt.status)
		}
	}
}
