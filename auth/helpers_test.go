package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// testNow is the fixed time the tests verify at.
var testNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func clock() time.Time { return testNow }

type testKey struct {
	priv jose.JSONWebKey
	alg  jose.SignatureAlgorithm
}

func newECKey(t testing.TB, kid string) testKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{priv: jose.JSONWebKey{Key: k, KeyID: kid, Algorithm: "ES256", Use: "sig"}, alg: jose.ES256}
}

func newRSAKey(t testing.TB, kid string, bits int) testKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{priv: jose.JSONWebKey{Key: k, KeyID: kid, Use: "sig"}, alg: jose.RS256}
}

func (k testKey) public() jose.JSONWebKey { return k.priv.Public() }

// goodClaims are the claims of a valid employee token at testNow.
func goodClaims() map[string]any {
	return map[string]any{
		"iss": "https://idp.example", "aud": "poort", "sub": "emp-17", "jti": "tok-1",
		"iat": testNow.Add(-time.Minute).Unix(), "nbf": testNow.Add(-time.Minute).Unix(), "exp": testNow.Add(time.Hour).Unix(),
		"oin": "00000001234567890000", "role": "kcc-medewerker", "purposes": []string{"kcc-algemeen", "burgerzaken-geboorte"},
	}
}

func sign(t testing.TB, k testKey, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if k.priv.KeyID != "" {
		opts = opts.WithHeader("kid", k.priv.KeyID)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: k.alg, Key: k.priv.Key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// unsignedToken builds a token with the given header and claims and a
// signature of the caller's choosing.
func unsignedToken(t testing.TB, hdr map[string]any, claims map[string]any, sig string) string {
	t.Helper()
	h, _ := json.Marshal(hdr)
	c, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c) + "." + sig
}

func testConfig() Config {
	return Config{
		Issuer: "https://idp.example", Audience: "poort", Algorithms: []string{"ES256", "RS256", "EdDSA"},
		ClockSkew: 30 * time.Second, Claims: DefaultClaimNames(), CitizenRole: "burger",
		JWKSTimeout: time.Second, JWKSRefresh: time.Minute, JWKSMaxAge: time.Hour,
	}
}

func staticVerifier(t testing.TB, keys ...testKey) *Verifier {
	t.Helper()
	var pubs []jose.JSONWebKey
	for _, k := range keys {
		pubs = append(pubs, k.public())
	}
	cfg := testConfig()
	cfg.LocalKeyFile = "unused"
	v, err := NewVerifier(cfg, WithClock(clock), WithKeys(pubs...))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
