package auth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/poort-nl/poort/internal/gqlhttp"
)

// CodeUnauthenticated is the extensions.code of a refused request.
const CodeUnauthenticated = "UNAUTHENTICATED"

// Middleware authenticates every request and puts the principal in the
// request's context (read it with From).
//
// A request without a valid bearer token is answered with HTTP 401, a
// WWW-Authenticate: Bearer header and a GraphQL-shaped error with code
// UNAUTHENTICATED whose message says what is wrong with the token, never
// the token itself. When the identity provider's keys cannot be fetched,
// the answer is 503 with the same shape, so clients do not drop a good
// token.
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, err := bearer(r)
		var p Principal
		if err == nil {
			p, err = v.Verify(r.Context(), raw)
		}
		if err != nil {
			v.logRefusal(r, err)
			refuse(w, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(With(r.Context(), p)))
	})
}

// logRefusal logs why a request was refused, as the client is told: the
// reasons name what is wrong with a token, never its content.
func (v *Verifier) logRefusal(r *http.Request, err error) {
	if errors.Is(err, ErrKeysUnavailable) {
		v.log.WarnContext(r.Context(), "authentication impossible: the identity provider's keys are unavailable", "reason", err.Error())
		return
	}
	v.log.InfoContext(r.Context(), "authentication refused", "reason", err.Error())
}

// bearer returns the token of the request's Authorization header.
func bearer(r *http.Request) (string, error) {
	hs := r.Header.Values("Authorization")
	switch len(hs) {
	case 0:
		return "", ErrNoToken
	case 1:
	default:
		return "", errors.New("malformed token: send one Authorization header")
	}
	scheme, tok, ok := strings.Cut(strings.TrimSpace(hs[0]), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", ErrNoToken
	}
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return "", ErrNoToken
	}
	return tok, nil
}

func refuse(w http.ResponseWriter, err error) {
	status := http.StatusUnauthorized
	challenge := `Bearer realm="poort"`
	switch {
	case errors.Is(err, ErrKeysUnavailable):
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "5")
	case errors.Is(err, ErrNoToken):
	default:
		// RFC 6750: the error_description is for developers, in ASCII
		// without quotes or backslashes.
		challenge += `, error="invalid_token", error_description="` + headerSafe(err.Error()) + `"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	gqlhttp.Error(w, status, CodeUnauthenticated, err.Error(), nil)
}

func headerSafe(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			b = append(b, c)
		}
	}
	return string(b)
}
