package balie

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

const (
	loginPath    = "/balie/oidc/login"
	callbackPath = "/balie/oidc/callback"
	// signInCookie carries the sign-in's state, nonce and PKCE verifier
	// from the redirect to the provider back to the callback.
	signInCookie = "balie-aanmelding"
	signInTTL    = 10 * time.Minute
)

// oidcClient signs employees in at the identity provider with the
// authorization-code flow and PKCE. It discovers the provider on first
// use, not at start, so a provider that is down does not keep the hub
// from starting.
type oidcClient struct {
	cfg    OIDCConfig
	client *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
	logout   string
}

func newOIDCClient(cfg OIDCConfig) *oidcClient {
	return &oidcClient{cfg: cfg, client: &http.Client{Timeout: 10 * time.Second}}
}

// discover returns the provider, fetching its configuration once it can.
func (o *oidcClient) discover(ctx context.Context) (*oidc.Provider, string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, o.logout, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, o.client), o.cfg.Issuer)
	if err != nil {
		return nil, "", fmt.Errorf("identity provider %s: %w", o.cfg.Issuer, err)
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&extra); err != nil {
		return nil, "", fmt.Errorf("identity provider %s: %w", o.cfg.Issuer, err)
	}
	o.provider, o.logout = p, extra.EndSession
	return p, extra.EndSession, nil
}

func (o *oidcClient) oauth(p *oidc.Provider) oauth2.Config {
	return oauth2.Config{
		ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: append([]string{oidc.ScopeOpenID}, o.cfg.Scopes...),
	}
}

// logoutURL ends the provider's session and brings the employee back to
// the console's sign-in page.
func (o *oidcClient) logoutURL(endpoint string) string {
	back, _ := url.Parse(o.cfg.RedirectURL) // checked by LoadConfig
	back.Path, back.RawQuery = "/balie/aanmelden", "afgemeld=1"
	u, err := url.Parse(endpoint)
	if err != nil {
		return back.String()
	}
	q := u.Query()
	q.Set("client_id", o.cfg.ClientID)
	q.Set("post_logout_redirect_uri", back.String())
	u.RawQuery = q.Encode()
	return u.String()
}

// signInState is what the sign-in cookie carries.
type signInState struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Expires  int64  `json:"e"`
}

// oidcLogin sends the employee to the provider with a fresh state, nonce
// and PKCE challenge; the verifier stays on the server's side of the
// sealed cookie.
func (c *Console) oidcLogin(w http.ResponseWriter, r *http.Request) {
	if c.oidc == nil {
		c.renderError(w, r, nil, http.StatusNotFound, "Niet beschikbaar", "Er is geen identiteitsprovider ingesteld.")
		return
	}
	p, _, err := c.oidc.discover(r.Context())
	if err != nil {
		c.log.Error("console: identity provider unreachable", "err", err)
		c.signInFailed(w, r, "De identiteitsprovider is niet bereikbaar. Probeer het later opnieuw.")
		return
	}
	st := signInState{State: randomString(24), Nonce: randomString(24), Verifier: oauth2.GenerateVerifier(),
		Expires: c.now().Add(signInTTL).Unix()}
	c.cookiesFor(r).set(w, signInCookie, c.seal.sealJSON("signin", st), signInTTL)
	oc := c.oidc.oauth(p)
	http.Redirect(w, r, oc.AuthCodeURL(st.State, oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier)), http.StatusFound)
}

// oidcCallback completes the sign-in: it checks the state, exchanges the
// code with the PKCE verifier, verifies the ID token and its nonce, and
// takes the principal from the access token exactly as the hub's API
// would for that token.
func (c *Console) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if c.oidc == nil {
		c.renderError(w, r, nil, http.StatusNotFound, "Niet beschikbaar", "Er is geen identiteitsprovider ingesteld.")
		return
	}
	k := c.cookiesFor(r)
	var st signInState
	ck, err := r.Cookie(k.name(signInCookie))
	if err == nil {
		err = c.seal.openJSON("signin", ck.Value, &st)
	}
	k.clear(w, signInCookie)
	q := r.URL.Query()
	switch {
	case err != nil || c.now().Unix() >= st.Expires:
		c.signInFailed(w, r, "De aanmelding is verlopen of niet in deze browser begonnen. Begin opnieuw.")
		return
	case q.Get("state") == "" || q.Get("state") != st.State:
		c.signInFailed(w, r, "De aanmelding hoort niet bij deze browser (state klopt niet). Begin opnieuw.")
		return
	case q.Get("error") != "":
		c.signInFailed(w, r, "De identiteitsprovider weigerde de aanmelding: "+q.Get("error")+" "+q.Get("error_description"))
		return
	}
	s, err := c.completeSignIn(r.Context(), q.Get("code"), st)
	if err != nil {
		c.log.Warn("console: sign-in refused", "err", err)
		c.signInFailed(w, r, "Aanmelden lukte niet: "+err.Error())
		return
	}
	c.saveSession(w, r, s)
	http.Redirect(w, r, BasePath, http.StatusSeeOther)
}

func (c *Console) completeSignIn(ctx context.Context, code string, st signInState) (*session, error) {
	if code == "" {
		return nil, errors.New("geen autorisatiecode ontvangen")
	}
	p, logout, err := c.oidc.discover(ctx)
	if err != nil {
		return nil, err
	}
	oc := c.oidc.oauth(p)
	tok, err := oc.Exchange(oidc.ClientContext(ctx, c.oidc.client), code, oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return nil, fmt.Errorf("code exchange: %w", err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return nil, errors.New("the provider returned no ID token")
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: c.oidc.cfg.ClientID, Now: c.now}).Verify(ctx, rawID)
	if err != nil {
		return nil, fmt.Errorf("ID token: %w", err)
	}
	if idt.Nonce != st.Nonce {
		return nil, errors.New("ID token: the nonce does not match this sign-in")
	}
	principal, err := c.tokens.Verify(ctx, tok.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("access token: %w", err)
	}
	if principal.IsCitizen() {
		return nil, errors.New("the console is for employees; this token is a citizen's")
	}
	// The session acts under the purposes in force for the token: those
	// it names that its role may hold, or all of an implicit role's.
	g := c.policy.For(principal)
	if err := g.Err(); err != nil {
		return nil, err
	}
	principal.Purposes = g.Purposes()
	s, err := newSession(principal, c.cfg.SessionTTL, c.now())
	if err != nil {
		return nil, err
	}
	s.Logout = logout
	return s, nil
}

func (c *Console) signInFailed(w http.ResponseWriter, r *http.Request, msg string) {
	c.render(w, r, nil, http.StatusUnauthorized, "signin", page{Title: "Aanmelden", Data: signInPage{
		Provider: providerHost(c.oidc), Error: msg,
	}})
}

func providerHost(o *oidcClient) string {
	if o == nil {
		return ""
	}
	u, err := url.Parse(o.cfg.Issuer)
	if err != nil {
		return o.cfg.Issuer
	}
	return u.Host
}
