package nhr

import (
	"crypto/subtle"
	"net/http"
)

// KeyHeader is the header of the KvK API key (security scheme ApiKeyAuth).
const KeyHeader = "apikey"

// RequireKey wraps the mock so that it refuses a call to a KvK API without
// the key, or with another, with 401. KvK documents no fout code for it;
// the mock uses IPD1998, as for its other undocumented refusals. The
// functionarissen contract is ours and takes no KvK key.
func RequireKey(key string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !ownContract(r.URL.Path) && subtle.ConstantTimeCompare([]byte(r.Header.Get(KeyHeader)), []byte(key)) != 1 {
			writeFout(w, r, http.StatusUnauthorized, fout{ipdInput, "Geen geldige API-key opgegeven."})
			return
		}
		next.ServeHTTP(w, r)
	})
}
