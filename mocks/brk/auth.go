package brk

import (
	"crypto/subtle"
	"net/http"
)

// RequireKey wraps the mock so that it refuses, as the API does, a call
// without the key in X-Api-Key, or with another, with 401 authentication
// (Foutbericht in application/problem+json).
func RequireKey(key string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(APIKeyHeader)), []byte(key)) != 1 {
			w.Header().Set("api-version", APIVersion)
			writeProblem(w, r, baseURL(r), unauthenticated())
			return
		}
		next.ServeHTTP(w, r)
	})
}
