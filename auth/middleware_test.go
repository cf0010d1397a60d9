package auth

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMiddleware(t *testing.T) {
	k := newECKey(t, "k1")
	v := staticVerifier(t, k)
	var seen *Principal
	h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := From(r.Context()); ok {
			seen = &p
		}
		w.WriteHeader(http.StatusTeapot)
	}))

	good := sign(t, k, goodClaims())
	expiredClaims := goodClaims()
	expiredClaims["exp"] = testNow.Add(-time.Hour).Unix()
	expired := sign(t, k, expiredClaims)
	tests := []struct {
		name, path, auth string
		status           int
		message          string
		principal        bool
	}{
		{"valid token", "/graphql", "Bearer " + good, http.StatusTeapot, "", true},
		{"scheme in lower case", "/graphql", "bearer " + good, http.StatusTeapot, "", true},
		{"no header", "/graphql", "", http.StatusUnauthorized, "no bearer token", false},
		{"basic auth", "/graphql", "Basic dXNlcjpwdw==", http.StatusUnauthorized, "no bearer token", false},
		{"expired", "/graphql", "Bearer " + expired, http.StatusUnauthorized, "token expired", false},
		{"garbage", "/graphql", "Bearer abc.def", http.StatusUnauthorized, "malformed token", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen = nil
			r := httptest.NewRequest(http.MethodPost, tt.path, strings.NewReader(`{}`))
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", w.Code, tt.status, w.Body)
			}
			if (seen != nil) != tt.principal {
				t.Errorf("principal in context = %v, want %v", seen != nil, tt.principal)
			}
			if tt.status != http.StatusUnauthorized {
				return
			}
			if ch := w.Header().Get("WWW-Authenticate"); !strings.HasPrefix(ch, "Bearer") {
				t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", ch)
			}
			var body struct {
				Errors []struct {
					Message    string            `json:"message"`
					Extensions map[string]string `json:"extensions"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q is not JSON: %v", w.Body, err)
			}
			if len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != "UNAUTHENTICATED" {
				t.Fatalf("body = %s, want one UNAUTHENTICATED error", w.Body)
			}
			if !strings.Contains(body.Errors[0].Message, tt.message) {
				t.Errorf("message %q, want it to say %q", body.Errors[0].Message, tt.message)
			}
			if strings.Contains(w.Body.String(), expired[40:80]) || strings.Contains(w.Header().Get("WWW-Authenticate"), expired[40:80]) {
				t.Error("the answer echoes the token")
			}
		})
	}
}
