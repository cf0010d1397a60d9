package brp

import (
	"crypto/subtle"
	"net/http"
)

// KeyHeader is the header of the API key, as the proefomgeving takes it.
const KeyHeader = "X-API-KEY"

// RequireKey wraps the mock so that it refuses a call without the key, or
// with another, with 401 authentication, the API's problem for a client
// that is not authenticated.
func RequireKey(key string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(KeyHeader)), []byte(key)) != 1 {
			writeProblem(w, &problem{
				Type:   "https://datatracker.ietf.org/doc/html/rfc7235#section-3.1",
				Title:  "Niet correct geauthenticeerd.",
				Status: http.StatusUnauthorized, Code: "authentication", Instance: r.URL.Path,
			})
			return
		}
		next.ServeHTTP(w, r)
	})
}
