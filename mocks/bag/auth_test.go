package bag

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestRequireKey: as foutafhandeling.feature has it, no key is 400
// "Missing API Key", a wrong one 401 "Invalid API Key", the right one
// passes.
func TestRequireKey(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	srv := httptest.NewServer(RequireKey("sleutel", api))
	defer srv.Close()
	for _, tt := range []struct {
		key    string
		status int
		detail string
	}{
		{"", http.StatusBadRequest, "Missing API Key"},
		{"onjuist", http.StatusUnauthorized, "Invalid API Key"},
		{"sleutel", http.StatusTeapot, ""},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+BasePath+"/adressen/0599200000193766", nil)
		if tt.key != "" {
			req.Header.Set("x-api-key", tt.key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body gatewayError
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || body.ErrorDetail != tt.detail {
			t.Errorf("key %q: %d %q, want %d %q", tt.key, resp.StatusCode, body.ErrorDetail, tt.status, tt.detail)
		}
		if tt.detail != "" && (body.Error != "Kadaster - Foute aanvraag." || body.ErrorDescription != "Het bericht kan niet worden verwerkt.") {
			t.Errorf("key %q: body %+v", tt.key, body)
		}
	}
}
