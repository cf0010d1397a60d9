package bag

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
)

// KeyHeader is the header of the API key (security scheme apiKeyBAG).
const KeyHeader = "X-Api-Key"

// gatewayError is the body the API's gateway answers a call without a
// valid key with (foutafhandeling.feature, "geen api key in request" and
// "onjuiste API key"): not the API's problem+json.
type gatewayError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"errorDescription"`
	ErrorDetail      string `json:"errorDetail"`
}

// RequireKey wraps the mock so that it refuses, as the BAG API does, a
// call without the key with 400 "Missing API Key" and one with another key
// with 401 "Invalid API Key".
func RequireKey(key string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get(KeyHeader)
		switch {
		case got == "":
			writeGatewayError(w, http.StatusBadRequest, "Missing API Key")
		case subtle.ConstantTimeCompare([]byte(got), []byte(key)) != 1:
			writeGatewayError(w, http.StatusUnauthorized, "Invalid API Key")
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func writeGatewayError(w http.ResponseWriter, status int, detail string) {
	body, _ := json.Marshal(gatewayError{
		Error: "Kadaster - Foute aanvraag.", ErrorDescription: "Het bericht kan niet worden verwerkt.", ErrorDetail: detail,
	})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("api-version", APIVersion)
	w.WriteHeader(status)
	w.Write(body)
}
