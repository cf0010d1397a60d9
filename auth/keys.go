package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// minRSABits is the smallest RSA modulus accepted; smaller keys can be
// factored.
const minRSABits = 2048

// verificationKey admits a JWK as a key to verify tokens with: public,
// asymmetric, meant for signatures, and strong enough. It returns the
// public half.
func verificationKey(k jose.JSONWebKey) (jose.JSONWebKey, error) {
	if k.Use != "" && k.Use != "sig" {
		return jose.JSONWebKey{}, fmt.Errorf("key %q is for %q, not for signatures", k.KeyID, k.Use)
	}
	if k.Algorithm != "" && !slices.Contains(asymmetric, jose.SignatureAlgorithm(k.Algorithm)) {
		return jose.JSONWebKey{}, fmt.Errorf("key %q names algorithm %q, not an asymmetric signature algorithm", k.KeyID, k.Algorithm)
	}
	pub := k.Public()
	switch key := pub.Key.(type) {
	case *rsa.PublicKey:
		if key.N.BitLen() < minRSABits {
			return jose.JSONWebKey{}, fmt.Errorf("key %q: RSA key of %d bits, want at least %d", k.KeyID, key.N.BitLen(), minRSABits)
		}
	case *ecdsa.PublicKey, ed25519.PublicKey:
	default:
		return jose.JSONWebKey{}, fmt.Errorf("key %q is not an RSA, EC or Ed25519 public key", k.KeyID)
	}
	return pub, nil
}

// fits reports whether a key can verify a signature made with alg.
func fits(k jose.JSONWebKey, alg jose.SignatureAlgorithm) bool {
	if k.Algorithm != "" && k.Algorithm != string(alg) {
		return false
	}
	switch key := k.Key.(type) {
	case *rsa.PublicKey:
		return strings.HasPrefix(string(alg), "RS") || strings.HasPrefix(string(alg), "PS")
	case *ecdsa.PublicKey:
		switch alg {
		case jose.ES256:
			return key.Curve == elliptic.P256()
		case jose.ES384:
			return key.Curve == elliptic.P384()
		case jose.ES512:
			return key.Curve == elliptic.P521()
		}
	case ed25519.PublicKey:
		return alg == jose.EdDSA
	}
	return false
}

// LoadKeyFile reads the verification keys in a file: PEM blocks of public
// keys ("PUBLIC KEY", "RSA PUBLIC KEY") or certificates, a JWK, or a JWKS.
// Private keys in the file are reduced to their public half.
func LoadKeyFile(path string) ([]jose.JSONWebKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	keys, err := parseKeys(b)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return keys, nil
}

func parseKeys(b []byte) ([]jose.JSONWebKey, error) {
	if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "{") {
		return parseJWKs(b)
	}
	var out []jose.JSONWebKey
	rest := b
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		var pub any
		var err error
		switch blk.Type {
		case "PUBLIC KEY":
			pub, err = x509.ParsePKIXPublicKey(blk.Bytes)
		case "RSA PUBLIC KEY":
			pub, err = x509.ParsePKCS1PublicKey(blk.Bytes)
		case "CERTIFICATE":
			var cert *x509.Certificate
			if cert, err = x509.ParseCertificate(blk.Bytes); err == nil {
				pub = cert.PublicKey
			}
		default:
			return nil, fmt.Errorf("PEM block %q: want PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE", blk.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("PEM block %q: %w", blk.Type, err)
		}
		k, err := verificationKey(jose.JSONWebKey{Key: pub})
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	if len(out) == 0 {
		return nil, errors.New("no PEM key, JWK or JWKS found")
	}
	return out, nil
}

func parseJWKs(b []byte) ([]jose.JSONWebKey, error) {
	var probe struct {
		Keys json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("JSON: %w", err)
	}
	var raw []jose.JSONWebKey
	if probe.Keys != nil {
		var set jose.JSONWebKeySet
		if err := json.Unmarshal(b, &set); err != nil {
			return nil, fmt.Errorf("JWKS: %w", err)
		}
		raw = set.Keys
	} else {
		var k jose.JSONWebKey
		if err := json.Unmarshal(b, &k); err != nil {
			return nil, fmt.Errorf("JWK: %w", err)
		}
		raw = []jose.JSONWebKey{k}
	}
	var out []jose.JSONWebKey
	for _, k := range raw {
		v, err := verificationKey(k)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, errors.New("the key set is empty")
	}
	return out, nil
}
