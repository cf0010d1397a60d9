package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func TestKeyFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ec := newECKey(t, "ec1")
	rsaKey := newRSAKey(t, "", 2048)
	der, _ := x509.MarshalPKIXPublicKey(rsaKey.public().Key)
	pemFile := write("rsa.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	jwk, _ := json.Marshal(ec.public())
	jwkFile := write("ec.jwk", jwk)

	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp"},
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.Add(time.Hour)}
	certDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, edPub, edPriv)
	if err != nil {
		t.Fatal(err)
	}
	certFile := write("idp.crt", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: certDER}))
	ed := testKey{priv: jose.JSONWebKey{Key: edPriv}, alg: jose.EdDSA}

	cfg := testConfig()
	cfg.KeyFiles = []string{pemFile, jwkFile, certFile}
	v, err := NewVerifier(cfg, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	for name, k := range map[string]testKey{"PEM public key": rsaKey, "JWK": ec, "certificate": ed} {
		if _, err := v.Verify(context.Background(), sign(t, k, goodClaims())); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}

	bad := []struct{ name, content, want string }{
		{"private.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "want PUBLIC KEY"},
		{"empty.pem", "nothing here", "no PEM key"},
		{"hmac.jwk", `{"kty":"oct","k":"c2VjcmV0"}`, "not an RSA, EC or Ed25519 public key"},
		{"enc.jwks", `{"keys":[` + strings.Replace(string(jwk), `"use":"sig"`, `"use":"enc"`, 1) + `]}`, "not for signatures"},
	}
	for _, b := range bad {
		cfg.KeyFiles = []string{write(b.name, []byte(b.content))}
		if _, err := NewVerifier(cfg); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: err = %v, want %q", b.name, err, b.want)
		}
	}
}
