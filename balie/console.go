package balie

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/policy"
)

// BasePath is where the hub serves the console.
const BasePath = "/balie/"

// TokenVerifier maps an identity provider's access token to a principal,
// as the hub's API does for a bearer token.
type TokenVerifier interface {
	Verify(ctx context.Context, raw string) (auth.Principal, error)
}

// Options are what a console is built from.
type Options struct {
	Config Config
	// Development says the hub runs in development mode: only then does
	// the console offer its development sign-in, and only then may a
	// session cookie go without Secure, for plain HTTP on loopback.
	Development bool
	// Policy lists the roles and purposes employees choose from, and
	// which purposes would show a field the current one hides.
	Policy *policy.Policy
	// Tokens verifies the access tokens the identity provider issues, the
	// same way the hub verifies API clients' bearer tokens.
	Tokens TokenVerifier
	Logger *slog.Logger
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
}

// Console is the console, ready to be mounted with Handler.
type Console struct {
	development bool
	cfg         Config
	policy      *policy.Policy
	tokens      TokenVerifier
	log         *slog.Logger
	now         func() time.Time
	seal        *sealer
	ops         operations
	views       *views
	advice      map[string]roleAdvice // by role: which of its purposes show a field
	oidc        *oidcClient
	graphql     http.Handler
	// noPersisted is set once the hub behind graphql said it takes no
	// persisted queries: operations then go in full.
	noPersisted *atomic.Bool
}

// New builds the console. It refuses a configuration that mixes
// development mode with an identity provider, and an identity provider
// without a session key that replicas can share.
func New(o Options) (*Console, error) {
	cfg := o.Config
	switch {
	case o.Policy == nil:
		return nil, errors.New("console: no policy")
	case o.Development && cfg.OIDC != nil:
		return nil, errors.New("console: POORT_CONSOLE_OIDC_CLIENT_ID needs the hub's identity provider (POORT_AUTH_JWKS_URL or POORT_AUTH_KEYS); in development mode employees sign in on the development sign-in page")
	case cfg.OIDC != nil && o.Tokens == nil:
		return nil, errors.New("console: an identity provider needs a token verifier")
	case cfg.OIDC != nil && len(cfg.SessionKey) == 0:
		return nil, errors.New("console: POORT_CONSOLE_SESSION_KEY is required with an identity provider, so every replica opens the same sessions")
	}
	key := cfg.SessionKey
	if len(key) == 0 {
		// Development only (checked above for a provider; without one the
		// console offers no sign-in outside development): sessions end
		// when the hub stops.
		key = make([]byte, 32)
		rand.Read(key)
	}
	seal, err := newSealer(key)
	if err != nil {
		return nil, err
	}
	ops, err := loadOperations()
	if err != nil {
		return nil, fmt.Errorf("console operations: %w", err)
	}
	vs, err := loadViews()
	if err != nil {
		return nil, err
	}
	c := &Console{
		development: o.Development, cfg: cfg, policy: o.Policy, tokens: o.Tokens, log: o.Logger,
		now: o.Now, seal: seal, ops: ops, views: vs, advice: adviceByRole(o.Policy),
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	if cfg.OIDC != nil {
		c.oidc = newOIDCClient(*cfg.OIDC)
	}
	return c, nil
}

// Handler serves the console under BasePath. graphql is the hub's GraphQL
// handler below authentication: it takes the principal from the request's
// context and applies the limits, the rate limit and the audit log.
func (c *Console) Handler(graphql http.Handler) http.Handler {
	cc := *c
	cc.graphql, cc.noPersisted = graphql, new(atomic.Bool)
	return cc.routes()
}

func (c *Console) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /balie/assets/", http.StripPrefix("/balie/assets/", assetHandler()))
	mux.HandleFunc("GET /balie/aanmelden", c.signInPage)
	mux.HandleFunc("POST /balie/aanmelden", c.developmentSignIn)
	mux.HandleFunc("GET "+loginPath, c.oidcLogin)
	mux.HandleFunc("GET "+callbackPath, c.oidcCallback)
	mux.HandleFunc("POST /balie/afmelden", c.signOut)

	mux.Handle("GET /balie/{$}", c.signedIn(c.home))
	mux.Handle("POST /balie/doel", c.signedIn(c.changePurpose))
	mux.Handle("POST /balie/zoeken", c.signedIn(c.search))
	mux.Handle("GET /balie/zoeken/{ref}", c.signedIn(c.searchResults))
	mux.Handle("GET /balie/persoon/{ref}", c.signedIn(c.personCard))
	mux.Handle("GET /balie/bedrijf/{ref}", c.signedIn(c.companyCard))
	mux.Handle("POST /balie/starten", c.signedIn(c.startLifeEvent))
	mux.Handle("GET /balie/zaak/{id}", c.signedIn(c.casePage))
	mux.Handle("POST /balie/overdragen", c.signedIn(c.handOver))
	mux.Handle("GET /balie/werk", c.signedIn(c.myWork))
	mux.Handle("GET /balie/koppelingen", c.signedIn(c.couplingMap))
	mux.HandleFunc("/balie/", func(w http.ResponseWriter, r *http.Request) {
		c.renderError(w, r, nil, http.StatusNotFound, "Pagina niet gevonden", "Deze pagina bestaat niet in de balie.")
	})
	// Browsers say where a request comes from; a state-changing request
	// from another origin is refused before any handler sees it.
	return c.securityHeaders(http.NewCrossOriginProtection().Handler(mux))
}

// handlerFunc is a console page for a signed-in employee.
type handlerFunc func(w http.ResponseWriter, r *http.Request, s *session)

// signedIn runs h with the request's session; without one, a page
// request goes to the sign-in page. A state-changing request must carry
// the session's CSRF token.
func (c *Console) signedIn(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := c.session(r)
		if s == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/balie/aanmelden", http.StatusSeeOther)
				return
			}
			c.renderError(w, r, nil, http.StatusUnauthorized, "Niet aangemeld", "Je sessie is verlopen. Meld je opnieuw aan.")
			return
		}
		if r.Method == http.MethodPost && !checkCSRF(r, s) {
			c.renderError(w, r, s, http.StatusForbidden, "Verzoek geweigerd",
				"Dit formulier is niet vanuit je eigen sessie verstuurd. Laad de pagina opnieuw en probeer het nog eens.")
			return
		}
		h(w, r, s)
	})
}

// securityHeaders keeps the console's pages out of frames, caches and
// other origins' reach, and lets them load only their own assets. Forms
// post only to the console, whose sign-out may pass on to the identity
// provider.
func (c *Console) securityHeaders(next http.Handler) http.Handler {
	formAction := "'self'"
	if c.oidc != nil {
		if u, err := url.Parse(c.oidc.cfg.Issuer); err == nil {
			formAction += " " + u.Scheme + "://" + u.Host
		}
	}
	csp := "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
		"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action " + formAction
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}
