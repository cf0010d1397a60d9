package balie

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/auth"
)

func testSealer(t *testing.T) *sealer {
	t.Helper()
	s, err := newSealer([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealer(t *testing.T) {
	s := testSealer(t)
	sealed := s.seal("session", []byte("999534099"))
	if strings.Contains(sealed, "999534099") {
		t.Fatal("the sealed value shows its content")
	}
	if got, err := s.open("session", sealed); err != nil || string(got) != "999534099" {
		t.Fatalf("open = %q, %v", got, err)
	}
	other, _ := newSealer([]byte(strings.Repeat("x", 32)))
	tampered := []byte(sealed)
	tampered[len(tampered)/2] ^= 1
	for name, try := range map[string]func() error{
		"another use":  func() error { _, err := s.open("ref", sealed); return err },
		"another key":  func() error { _, err := other.open("session", sealed); return err },
		"tampered":     func() error { _, err := s.open("session", string(tampered)); return err },
		"not base64":   func() error { _, err := s.open("session", "!!"); return err },
		"too short":    func() error { _, err := s.open("session", "AAAA"); return err },
		"empty string": func() error { _, err := s.open("session", ""); return err },
	} {
		if try() == nil {
			t.Errorf("%s: opened", name)
		}
	}
}

func testConsole(t *testing.T, development bool) *Console {
	t.Helper()
	return &Console{development: development, seal: testSealer(t), now: time.Now, cfg: Config{SessionTTL: time.Hour}}
}

func TestRefsBelongToTheirSession(t *testing.T) {
	c := testConsole(t, true)
	a, _ := newSession(auth.Principal{Subject: "a", Role: "r", Purposes: []string{"p"}}, time.Hour, time.Now())
	b, _ := newSession(auth.Principal{Subject: "b", Role: "r", Purposes: []string{"p"}}, time.Hour, time.Now())
	r := c.sealRef(a, "persoon", "999534099", "")
	if strings.Contains(r, "999534099") {
		t.Fatal("a reference shows the BSN")
	}
	if got, ok := c.openRef(a, "persoon", r); !ok || got.ID != "999534099" {
		t.Fatalf("own session: %+v, %v", got, ok)
	}
	if _, ok := c.openRef(b, "persoon", r); ok {
		t.Error("another session opened the reference")
	}
	if _, ok := c.openRef(a, "bedrijf", r); ok {
		t.Error("a person's reference opened as a company's")
	}
}

func TestSessionCookie(t *testing.T) {
	s, err := newSession(auth.Principal{Subject: "e", Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen", "verhuizen"}}, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if s.Purpose != "kcc-algemeen" || s.principal().Purposes[0] != "kcc-algemeen" || len(s.principal().Purposes) != 1 {
		t.Errorf("the session acts under %q as %+v, want the first purpose alone", s.Purpose, s.principal())
	}
	tests := []struct {
		name        string
		development bool
		url         string
		tls         bool
		header      string
		wantSecure  bool
	}{
		{"production, plain HTTP", false, "http://127.0.0.1:8080/balie/", false, "", true},
		{"development, loopback", true, "http://127.0.0.1:8080/balie/", false, "", false},
		{"development, localhost", true, "http://localhost:8080/balie/", false, "", false},
		{"development, another host", true, "http://10.1.2.3:8080/balie/", false, "", true},
		{"development, TLS", true, "https://127.0.0.1:8443/balie/", true, "", true},
		{"development, behind a TLS proxy", true, "http://127.0.0.1:8080/balie/", false, "https", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testConsole(t, tt.development)
			r := httptest.NewRequest("GET", tt.url, nil)
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if tt.header != "" {
				r.Header.Set("X-Forwarded-Proto", tt.header)
			}
			w := httptest.NewRecorder()
			c.saveSession(w, r, s)
			cookies := w.Result().Cookies()
			if len(cookies) != 1 {
				t.Fatalf("cookies = %v", cookies)
			}
			ck := cookies[0]
			if ck.Secure != tt.wantSecure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
				t.Errorf("cookie %s: Secure %v HttpOnly %v SameSite %v Path %q", ck.Name, ck.Secure, ck.HttpOnly, ck.SameSite, ck.Path)
			}
			if ck.Secure != strings.HasPrefix(ck.Name, "__Host-") {
				t.Errorf("cookie %s: a Secure cookie carries the __Host- prefix, only it", ck.Name)
			}
			if strings.Contains(ck.Value, "kcc-medewerker") || strings.Contains(ck.Value, s.CSRF) {
				t.Error("the cookie shows the session")
			}
			r.AddCookie(ck)
			got := c.session(r)
			if got == nil || got.Subject != "e" {
				t.Fatalf("session read back = %+v", got)
			}
		})
	}
}

func TestDevelopmentSessionNeedsDevelopmentMode(t *testing.T) {
	dev := testConsole(t, true)
	s, _ := newSession(auth.Principal{Subject: "e", Role: "r", Purposes: []string{"p"}}, time.Hour, time.Now())
	s.Development = true
	r := httptest.NewRequest("GET", "https://poort.example/balie/", nil)
	r.TLS = &tls.ConnectionState{}
	w := httptest.NewRecorder()
	dev.saveSession(w, r, s)
	r.AddCookie(w.Result().Cookies()[0])
	prod := testConsole(t, false)
	prod.seal = dev.seal // the same key
	if prod.session(r) != nil {
		t.Error("a development sign-in opened a session outside development mode")
	}
	if dev.session(r) == nil {
		t.Error("the development sign-in did not open its session in development mode")
	}
}

func TestSessionExpires(t *testing.T) {
	c := testConsole(t, true)
	s, _ := newSession(auth.Principal{Subject: "e", Role: "r", Purposes: []string{"p"}}, time.Hour, time.Now().Add(-2*time.Hour))
	r := httptest.NewRequest("GET", "http://127.0.0.1/balie/", nil)
	r.AddCookie(&http.Cookie{Name: "balie-sessie", Value: c.seal.sealJSON("session", s)})
	if c.session(r) != nil {
		t.Error("an expired session was accepted")
	}
}

func TestCSRF(t *testing.T) {
	s, _ := newSession(auth.Principal{Subject: "e", Role: "r", Purposes: []string{"p"}}, time.Hour, time.Now())
	for _, tt := range []struct {
		body string
		ok   bool
	}{
		{"_csrf=" + s.CSRF, true},
		{"_csrf=" + s.CSRF + "x", false},
		{"_csrf=", false},
		{"", false},
	} {
		r := httptest.NewRequest("POST", "/balie/doel", strings.NewReader(tt.body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if got := checkCSRF(r, s); got != tt.ok {
			t.Errorf("checkCSRF(%q) = %v", tt.body, got)
		}
	}
}

func TestNewSessionNeedsAPurpose(t *testing.T) {
	if _, err := newSession(auth.Principal{Subject: "e", Role: "auditor"}, time.Hour, time.Now()); err == nil {
		t.Error("a sign-in without a purpose opened a session")
	}
}
