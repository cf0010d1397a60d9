package balie

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/poort-nl/poort/auth"
)

// session is what the console knows of a signed-in employee. It travels
// in a cookie sealed with the session key: the browser can neither read
// nor change it, and it holds no token.
type session struct {
	// ID binds the session's references and CSRF token to it.
	ID           string `json:"i"`
	Subject      string `json:"s"`
	Organisation string `json:"o"`
	Role         string `json:"r"`
	// Purposes are those the sign-in granted; Purpose is the one the
	// employee acts under now, always one of them.
	Purposes []string `json:"p"`
	Purpose  string   `json:"a"`
	CSRF     string   `json:"c"`
	Expires  int64    `json:"e"`
	// Development marks a sign-in by the development sign-in page.
	Development bool `json:"d,omitempty"`
	// Logout is the provider's end-session endpoint, when it has one.
	Logout string `json:"l,omitempty"`
}

// principal is who the session's GraphQL operations run as: the signed-in
// employee acting under the one purpose chosen.
func (s *session) principal() auth.Principal {
	return auth.Principal{Subject: s.Subject, Organisation: s.Organisation, Role: s.Role, Purposes: []string{s.Purpose}}
}

func newSession(p auth.Principal, ttl time.Duration, now time.Time) (*session, error) {
	if len(p.Purposes) == 0 {
		return nil, errors.New("de aanmelding geeft geen enkel doel: zonder doel toont de balie niets")
	}
	return &session{
		ID: randomString(16), Subject: p.Subject, Organisation: p.Organisation, Role: p.Role,
		Purposes: p.Purposes, Purpose: p.Purposes[0], CSRF: randomString(32), Expires: now.Add(ttl).Unix(),
	}, nil
}

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sealer encrypts and authenticates what the console hands the browser:
// the session cookie, the sign-in state and the references in URLs.
// Each use has its own label, so one can never pass for another.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("session key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("session key: %w", err)
	}
	return &sealer{aead: aead}, nil
}

func (s *sealer) seal(label string, plain []byte) string {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(label)))
}

var errSeal = errors.New("not sealed by this console")

func (s *sealer) open(label, sealed string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || len(b) < s.aead.NonceSize() {
		return nil, errSeal
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, b[:n], b[n:], []byte(label))
	if err != nil {
		return nil, errSeal
	}
	return plain, nil
}

func (s *sealer) sealJSON(label string, v any) string {
	b, _ := json.Marshal(v) // the console's own structs always marshal
	return s.seal(label, b)
}

func (s *sealer) openJSON(label, sealed string, v any) error {
	b, err := s.open(label, sealed)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// ref is a subject a URL points at. The console never puts an identifier
// such as a BSN in a URL, where access logs, browser history and Referer
// headers would keep it: a URL carries the subject sealed, and only for
// the session that made it.
type ref struct {
	Session string `json:"s"`
	Kind    string `json:"k"`
	ID      string `json:"v"`
	// Extra carries a second key, such as a birth date or house number.
	Extra string `json:"x,omitempty"`
}

func (c *Console) sealRef(s *session, kind, id, extra string) string {
	return c.seal.sealJSON("ref", ref{Session: s.ID, Kind: kind, ID: id, Extra: extra})
}

func (c *Console) openRef(s *session, kind, sealed string) (ref, bool) {
	var r ref
	if err := c.seal.openJSON("ref", sealed, &r); err != nil || r.Session != s.ID || r.Kind != kind {
		return ref{}, false
	}
	return r, true
}

// cookies say how the console's cookies are set for a request.
type cookies struct {
	// secure is false only in development mode for plain HTTP on the
	// loopback address, where a browser would drop a Secure cookie.
	secure bool
}

func (c *Console) cookiesFor(r *http.Request) cookies {
	if !c.development || r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		return cookies{secure: true}
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	return cookies{secure: !isLoopback(strings.Trim(host, "[]"))}
}

// name prefixes a cookie with __Host- when it is Secure: the browser then
// takes it only from this host, over HTTPS, for the whole site.
func (k cookies) name(base string) string {
	if k.secure {
		return "__Host-" + base
	}
	return base
}

func (k cookies) set(w http.ResponseWriter, base, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name: k.name(base), Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: k.secure, SameSite: http.SameSiteLaxMode,
	})
}

func (k cookies) clear(w http.ResponseWriter, base string) {
	http.SetCookie(w, &http.Cookie{
		Name: k.name(base), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: k.secure, SameSite: http.SameSiteLaxMode,
	})
}

const sessionCookie = "balie-sessie"

// session returns the request's valid session, or nil.
func (c *Console) session(r *http.Request) *session {
	ck, err := r.Cookie(c.cookiesFor(r).name(sessionCookie))
	if err != nil {
		return nil
	}
	var s session
	if c.seal.openJSON("session", ck.Value, &s) != nil || time.Now().Unix() >= s.Expires {
		return nil
	}
	if s.Development && !c.development {
		return nil // a development sign-in never outlives development mode
	}
	return &s
}

func (c *Console) saveSession(w http.ResponseWriter, r *http.Request, s *session) {
	ttl := time.Until(time.Unix(s.Expires, 0))
	c.cookiesFor(r).set(w, sessionCookie, c.seal.sealJSON("session", s), ttl)
}

// checkCSRF compares the form's token with the session's. Together with
// the SameSite cookie and the cross-origin check in front of every route,
// it keeps another site from acting in the employee's name.
func checkCSRF(r *http.Request, s *session) bool {
	got := r.PostFormValue("_csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRF)) == 1
}
