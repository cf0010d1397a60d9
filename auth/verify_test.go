package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestVerifyMapsClaimsToPrincipal(t *testing.T) {
	k := newECKey(t, "k1")
	v := staticVerifier(t, k)
	p, err := v.Verify(context.Background(), sign(t, k, goodClaims()))
	if err != nil {
		t.Fatal(err)
	}
	want := Principal{
		Subject: "emp-17", Organisation: "00000001234567890000", Role: "kcc-medewerker",
		Purposes: []string{"burgerzaken-geboorte", "kcc-algemeen"}, TokenID: "tok-1",
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("principal = %+v, want %+v", p, want)
	}
}

func TestVerifyRefuses(t *testing.T) {
	k := newECKey(t, "k1")
	other := newECKey(t, "k1") // same kid, different key: a forgery
	rsaKey := newRSAKey(t, "r1", 2048)
	v := staticVerifier(t, k, rsaKey)
	with := func(mod func(map[string]any)) map[string]any {
		c := goodClaims()
		mod(c)
		return c
	}
	good := sign(t, k, goodClaims())
	parts := strings.Split(good, ".")

	// An HS256 token whose secret is the verifier's public key: the
	// classic key-confusion attack.
	der, _ := x509.MarshalPKIXPublicKey(rsaKey.public().Key)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	hsInput := unsignedToken(t, map[string]any{"alg": "HS256", "kid": "r1", "typ": "JWT"}, goodClaims(), "")
	mac := hmac.New(sha256.New, pubPEM)
	mac.Write([]byte(strings.TrimSuffix(hsInput, ".")))
	hsToken := hsInput + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))

	tamperedClaims := goodClaims()
	tamperedClaims["role"] = "auditor"
	tampered := parts[0] + "." + strings.Split(unsignedToken(t, map[string]any{}, tamperedClaims, ""), ".")[1] + "." + parts[2]

	tests := []struct {
		name    string
		token   string
		want    error
		message string
	}{
		{"empty", "", ErrNoToken, "no bearer token"},
		{"garbage", "not-a-token", ErrMalformed, "three dot-separated parts"},
		{"header not base64", "e.e30.sig", ErrMalformed, "not base64url"},
		{"header not JSON", "Zm9vYg.e30.sig", ErrMalformed, "not a JSON object"},
		{"not base64url characters", "%%%.e30.sig", ErrMalformed, "base64url characters"},
		{"expired", sign(t, k, with(func(c map[string]any) { c["exp"] = testNow.Add(-time.Minute).Unix() })), ErrExpired, "token expired at 2026-03-02T09:59:00Z"},
		{"expired within skew is fine? no: beyond it", sign(t, k, with(func(c map[string]any) { c["exp"] = testNow.Add(-31 * time.Second).Unix() })), ErrExpired, "expired"},
		{"not yet valid", sign(t, k, with(func(c map[string]any) { c["nbf"] = testNow.Add(time.Hour).Unix() })), ErrNotYetValid, "valid from"},
		{"issued in the future", sign(t, k, with(func(c map[string]any) { c["iat"] = testNow.Add(time.Hour).Unix() })), ErrNotYetValid, "issued in the future"},
		{"other issuer", sign(t, k, with(func(c map[string]any) { c["iss"] = "https://evil.example" })), ErrIssuer, `want iss "https://idp.example"`},
		{"other audience", sign(t, k, with(func(c map[string]any) { c["aud"] = []string{"brp", "nhr"} })), ErrAudience, `want aud "poort"`},
		{"no expiry", sign(t, k, with(func(c map[string]any) { delete(c, "exp") })), ErrClaims, "no expiry"},
		{"no subject", sign(t, k, with(func(c map[string]any) { delete(c, "sub") })), ErrClaims, `"sub"`},
		{"no role", sign(t, k, with(func(c map[string]any) { delete(c, "role") })), ErrClaims, `"role"`},
		{"two roles", sign(t, k, with(func(c map[string]any) { c["role"] = []string{"a", "b"} })), ErrClaims, "exactly one role"},
		{"purpose not a name", sign(t, k, with(func(c map[string]any) { c["purposes"] = []any{"ok", 3} })), ErrClaims, "strings"},
		{"invalid citizen BSN", sign(t, k, with(func(c map[string]any) { c["bsn"] = "123456789" })), ErrClaims, "not a valid BSN"},
		{"alg none", unsignedToken(t, map[string]any{"alg": "none", "typ": "JWT"}, goodClaims(), ""), ErrAlgorithm, `"none"`},
		{"alg none capitalised", unsignedToken(t, map[string]any{"alg": "None"}, goodClaims(), ""), ErrAlgorithm, `"None"`},
		{"HMAC with the public key as secret", hsToken, ErrAlgorithm, `"HS256"`},
		{"signed by another key with the same kid", sign(t, other, goodClaims()), ErrSignature, "does not verify"},
		{"payload changed after signing", tampered, ErrSignature, "does not verify"},
		{"unknown kid", sign(t, newECKey(t, "k9"), goodClaims()), ErrUnknownKey, "unknown key"},
		{"RS256 header on an EC key's kid", unsignedToken(t, map[string]any{"alg": "RS256", "kid": "k1"}, goodClaims(), "c2ln"), ErrUnknownKey, "fits algorithm RS256"},
		{"too long", strings.Repeat("a", maxTokenBytes+1), ErrMalformed, "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := v.Verify(context.Background(), tt.token)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v (principal %+v)", err, tt.want, p)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("message %q does not say %q", err, tt.message)
			}
			if tt.token != "" && len(tt.token) > 20 && strings.Contains(err.Error(), tt.token[len(tt.token)-20:]) {
				t.Errorf("message echoes the token: %q", err)
			}
		})
	}
}

func TestVerifyAcceptsWithinClockSkew(t *testing.T) {
	k := newECKey(t, "k1")
	v := staticVerifier(t, k)
	c := goodClaims()
	c["exp"] = testNow.Add(-20 * time.Second).Unix()
	c["nbf"] = testNow.Add(20 * time.Second).Unix()
	if _, err := v.Verify(context.Background(), sign(t, k, c)); err != nil {
		t.Fatalf("a token 20s off within a 30s skew: %v", err)
	}
}

func TestVerifyCitizen(t *testing.T) {
	k := newECKey(t, "")
	v := staticVerifier(t, k)
	c := goodClaims()
	delete(c, "role")
	delete(c, "oin")
	delete(c, "purposes")
	c["bsn"] = "999990019"
	p, err := v.Verify(context.Background(), sign(t, k, c))
	if err != nil {
		t.Fatal(err)
	}
	if !p.IsCitizen() || p.CitizenBSN != "999990019" || p.Role != "burger" {
		t.Errorf("citizen principal = %+v, want BSN 999990019 in role burger", p)
	}
	if strings.Contains(p.Key(), "999990019") {
		t.Errorf("Key() %q holds the BSN", p.Key())
	}
}

func TestVerifyClaimMapping(t *testing.T) {
	k := newECKey(t, "k1")
	cfg := testConfig()
	cfg.Claims = ClaimNames{Subject: "preferred_username", Organisation: "org.oin", Role: "realm_access.roles", Purposes: "scope", BSN: "bsn"}
	v, err := NewVerifier(cfg, WithClock(clock), WithKeys(k.public()))
	if err != nil {
		t.Fatal(err)
	}
	c := goodClaims()
	delete(c, "role")
	delete(c, "purposes")
	c["preferred_username"] = "j.jansen"
	c["org"] = map[string]any{"oin": "00000001002306608000"}
	c["realm_access"] = map[string]any{"roles": []string{"wijkteam"}}
	c["scope"] = "zorg-wmo kcc-algemeen zorg-wmo"
	p, err := v.Verify(context.Background(), sign(t, k, c))
	if err != nil {
		t.Fatal(err)
	}
	want := Principal{Subject: "j.jansen", Organisation: "00000001002306608000", Role: "wijkteam",
		Purposes: []string{"kcc-algemeen", "zorg-wmo"}, TokenID: "tok-1"}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("principal = %+v, want %+v", p, want)
	}
}

func TestVerifyRSAKeyWithoutKID(t *testing.T) {
	k := newRSAKey(t, "", 2048)
	v := staticVerifier(t, newECKey(t, "other"), k)
	if _, err := v.Verify(context.Background(), sign(t, k, goodClaims())); err != nil {
		t.Fatal(err)
	}
}

func TestNewVerifierRefusesWeakRSAKey(t *testing.T) {
	k := newRSAKey(t, "weak", 1024)
	cfg := testConfig()
	_, err := NewVerifier(cfg, WithKeys(k.public()))
	if err == nil || !strings.Contains(err.Error(), "at least 2048") {
		t.Fatalf("err = %v, want a refusal of the 1024-bit key", err)
	}
}

func TestVerifiedTokenServesUntilItExpires(t *testing.T) {
	k := newECKey(t, "k1")
	now := testNow
	cfg := testConfig()
	cfg.LocalKeyFile = "unused"
	v, err := NewVerifier(cfg, WithClock(func() time.Time { return now }), WithKeys(k.public()))
	if err != nil {
		t.Fatal(err)
	}
	c := goodClaims()
	c["exp"] = testNow.Add(time.Minute).Unix()
	tok := sign(t, k, c)
	first, err := v.Verify(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	first.Purposes[0] = "changed by a caller"
	again, err := v.Verify(context.Background(), tok)
	if err != nil || again.Purposes[0] == "changed by a caller" || again.Subject != "emp-17" {
		t.Fatalf("second Verify: %+v, %v; want the principal as verified", again, err)
	}
	// Past expiry plus the skew allowed the known token is refused as
	// any expired token is.
	c["exp"] = testNow.Add(10 * time.Second).Unix()
	tok = sign(t, k, c)
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	now = testNow.Add(10*time.Second + cfg.ClockSkew + time.Second)
	if _, err := v.Verify(context.Background(), tok); !errors.Is(err, ErrExpired) {
		t.Fatalf("Verify after expiry: %v, want ErrExpired", err)
	}
	// A known token altered by one character is a different token.
	forged := tok[:len(tok)-2] + string('A'+(tok[len(tok)-2]-'A'+1)%26) + tok[len(tok)-1:]
	now = testNow
	if _, err := v.Verify(context.Background(), forged); err == nil {
		t.Fatal("an altered token verified")
	}
}

// BenchmarkVerify is a request's token check: the first request of a
// token verifies its signature, the next ones find it by its hash.
func BenchmarkVerify(b *testing.B) {
	k := newECKey(b, "k1")
	tok := sign(b, k, goodClaims())
	b.Run("known", func(b *testing.B) {
		v := staticVerifier(b, k)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(context.Background(), tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("first", func(b *testing.B) {
		v := staticVerifier(b, k)
		b.ReportAllocs()
		for b.Loop() {
			v.verified.Purge()
			if _, err := v.Verify(context.Background(), tok); err != nil {
				b.Fatal(err)
			}
		}
	})
}
