package auth

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// fuzzKey is a fixed Ed25519 key, so the committed seed corpus can hold
// tokens it signed (Ed25519 signatures are deterministic).
func fuzzKey() testKey {
	seed := []byte("poort-fuzz-key-seed-32-bytes-ok!")
	return testKey{priv: jose.JSONWebKey{Key: ed25519.NewKeyFromSeed(seed), KeyID: "fuzz"}, alg: jose.EdDSA}
}

// fuzzTokens are the only tokens the fuzz key ever signed, by signing
// input (header and payload).
func fuzzTokens(t testing.TB) map[string]bool {
	k := fuzzKey()
	c := goodClaims()
	citizen := goodClaims()
	citizen["bsn"] = "999990019"
	delete(citizen, "role")
	out := map[string]bool{}
	for _, claims := range []map[string]any{c, citizen} {
		tok := sign(t, k, claims)
		out[tok[:strings.LastIndexByte(tok, '.')]] = true
	}
	return out
}

// FuzzVerify checks that no input makes the verifier panic, and that
// whatever it accepts carries a signing input the key really signed: no
// mutation of a header or payload, no other algorithm, no forged
// signature gets through.
func FuzzVerify(f *testing.F) {
	k := fuzzKey()
	v := staticVerifier(f, k)
	signed := fuzzTokens(f)
	for in := range signed {
		f.Add(in + ".AAAA")
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := v.Verify(context.Background(), raw)
		if err != nil {
			if p.Subject != "" || p.Role != "" {
				t.Fatalf("a refused token still gave a principal: %+v", p)
			}
			if errors.Is(err, ErrKeysUnavailable) {
				t.Fatalf("static keys cannot be unavailable: %v", err)
			}
			if len(raw) > 40 && strings.Contains(err.Error(), raw) {
				t.Fatalf("the error echoes the token")
			}
			return
		}
		i := strings.LastIndexByte(raw, '.')
		if i < 0 || !signed[raw[:i]] {
			t.Fatalf("accepted a token the key never signed: %q", raw)
		}
		if p.Subject == "" || p.Role == "" {
			t.Fatalf("accepted a token without subject or role: %+v", p)
		}
	})
}
