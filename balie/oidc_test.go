package balie_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/poort-nl/poort/server"
)

// TestConsoleOIDC signs in through the whole authorization-code flow with
// PKCE against an identity provider in the test process, and out again
// through its end-session endpoint.
func TestConsoleOIDC(t *testing.T) {
	ctx := newBrowser(t)
	idp := newTestProvider(t, "balie", "geheim")
	h := startHub(t, func(hub string) map[string]string {
		return production(t, map[string]string{
			"POORT_AUTH_ISSUER":                idp.url,
			"POORT_AUTH_JWKS_URL":              idp.url + "/jwks",
			"POORT_CONSOLE_OIDC_CLIENT_ID":     "balie",
			"POORT_CONSOLE_OIDC_CLIENT_SECRET": "geheim",
			"POORT_CONSOLE_OIDC_REDIRECT_URL":  hub + "/balie/oidc/callback",
			"POORT_CONSOLE_SESSION_KEY":        strings.Repeat("cd", 32),
		})
	}, server.Options{})

	run(t, ctx, "sign-in page", chromedp.Navigate(h.url+"/balie/"), chromedp.WaitVisible(chromedp.CSS(`a[href="/balie/oidc/login"]`)))
	if n := get(t, ctx, "development sign-in", chromedp.Evaluate[int](`document.querySelectorAll("input[name=rol]").length`)); n != 0 {
		t.Fatal("with an identity provider the console still offers the development sign-in")
	}
	run(t, ctx, "sign in at the provider", chromedp.Click(chromedp.CSS(`a[href="/balie/oidc/login"]`)), chromedp.WaitVisible(chromedp.CSS("#doel")))
	if who := text(t, ctx, "#wie"); !strings.Contains(who, "medewerker-42") || !strings.Contains(who, "kcc-medewerker") {
		t.Errorf("signed in as %q, want the provider's subject and role", who)
	}
	// The session acts under the token's purposes that the role may hold.
	opts := get(t, ctx, "purposes", chromedp.Evaluate[[]string](`[...document.querySelectorAll("#doel option")].map(o => o.value)`))
	if strings.Join(opts, ",") != "kcc-algemeen,verhuizen" {
		t.Errorf("purposes offered = %v, want the token's kcc-algemeen and verhuizen", opts)
	}
	cookies := get(t, ctx, "cookies", chromedp.Evaluate[string](`document.cookie`))
	if cookies != "" {
		t.Errorf("the page's script can read cookies %q; the session must be HttpOnly", cookies)
	}
	if !idp.pkceChecked() {
		t.Error("the code was exchanged without a PKCE verifier")
	}

	run(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/balie/afmelden"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".utrecht-alert--ok")))
	if !idp.loggedOut() {
		t.Error("signing out did not end the provider's session")
	}
	run(t, ctx, "signed out", chromedp.Navigate(h.url+"/balie/werk"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if got := text(t, ctx, "h1"); got != "Aanmelden bij de balie" {
		t.Errorf("after sign-out /balie/werk shows %q", got)
	}
}

// testProvider is a minimal OpenID Connect provider: discovery, keys, an
// authorization endpoint that signs the one test user in at once, a token
// endpoint that checks the client and the PKCE verifier, and end-session.
type testProvider struct {
	url              string
	key              *rsa.PrivateKey
	clientID, secret string

	mu      sync.Mutex
	codes   map[string]grant
	pkce    bool
	logouts int
}

type grant struct{ challenge, nonce, redirect string }

func newTestProvider(t *testing.T, clientID, secret string) *testProvider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &testProvider{key: key, clientID: clientID, secret: secret, codes: map[string]grant{}}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p.url = srv.URL
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": p.url, "authorization_endpoint": p.url + "/authorize", "token_endpoint": p.url + "/token",
			"jwks_uri": p.url + "/jwks", "end_session_endpoint": p.url + "/logout",
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("client_id") != clientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
			http.Error(w, "bad authorization request: "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		code := base64.RawURLEncoding.EncodeToString(randomBytes(16))
		p.mu.Lock()
		p.codes[code] = grant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirect: q.Get("redirect_uri")}
		p.mu.Unlock()
		back, _ := url.Parse(q.Get("redirect_uri"))
		v := url.Values{"code": {code}, "state": {q.Get("state")}}
		back.RawQuery = v.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		id, sec, ok := r.BasicAuth()
		if !ok {
			id, sec = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
		}
		p.mu.Lock()
		g, known := p.codes[r.PostFormValue("code")]
		delete(p.codes, r.PostFormValue("code"))
		p.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
		switch {
		case id != clientID || sec != secret:
			http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
			return
		case !known || r.PostFormValue("redirect_uri") != g.redirect:
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
			http.Error(w, `{"error":"invalid_grant","error_description":"PKCE verifier"}`, http.StatusBadRequest)
			return
		}
		p.mu.Lock()
		p.pkce = true
		p.mu.Unlock()
		now := time.Now()
		std := jwt.Claims{Issuer: p.url, Subject: "medewerker-42", IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(5 * time.Minute))}
		idStd := std
		idStd.Audience = jwt.Audience{clientID}
		accStd := std
		accStd.Audience = jwt.Audience{"poort"}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"token_type": "Bearer", "expires_in": 300,
			"id_token":     p.sign(t, idStd, map[string]any{"nonce": g.nonce}),
			"access_token": p.sign(t, accStd, map[string]any{"oin": "00000001001234567000", "role": "kcc-medewerker", "purposes": []string{"kcc-algemeen", "verhuizen"}}),
		})
	})
	mux.HandleFunc("GET /logout", func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.logouts++
		p.mu.Unlock()
		http.Redirect(w, r, r.URL.Query().Get("post_logout_redirect_uri"), http.StatusFound)
	})
	return p
}

func (p *testProvider) sign(t *testing.T, std jwt.Claims, extra map[string]any) string {
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: p.key, KeyID: "k1"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Error(err)
		return ""
	}
	tok, err := jwt.Signed(sig).Claims(std).Claims(extra).Serialize()
	if err != nil {
		t.Error(err)
	}
	return tok
}

func (p *testProvider) pkceChecked() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pkce
}

func (p *testProvider) loggedOut() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logouts > 0
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}
