package auth

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"

	"github.com/poort-nl/poort/internal/ident"
	"github.com/poort-nl/poort/internal/secretfile"
)

// MaxTokenTTL is the longest lifetime the local issuer gives a token, and
// the longest a hub on the local issuer accepts: a development token
// outlives a working day at most.
const MaxTokenTTL = 12 * time.Hour

// Issuer signs tokens for the embedded default, so the hub, the playground
// and `poort token` work without an identity provider. Its Ed25519 key is
// kept in a file readable only by its owner, created on first use, so
// tokens stay valid across restarts.
type Issuer struct {
	key      jose.JSONWebKey // private
	issuer   string
	audience string
	claims   ClaimNames
	now      func() time.Time
}

// OpenIssuer returns the local issuer of the configuration, creating its
// key file when it does not exist yet.
func OpenIssuer(cfg Config) (*Issuer, error) {
	if cfg.LocalKeyFile == "" {
		return nil, errors.New("local issuer: no key file configured (POORT_AUTH_LOCAL_KEY_FILE)")
	}
	key, err := loadOrCreateKey(cfg.LocalKeyFile)
	if err != nil {
		return nil, fmt.Errorf("local issuer: %w", err)
	}
	iss := cfg.Issuer
	if iss == "" {
		iss = LocalIssuer
	}
	return &Issuer{key: key, issuer: iss, audience: cfg.Audience, claims: cfg.Claims, now: time.Now}, nil
}

// PublicKey is the key that verifies the issuer's tokens.
func (i *Issuer) PublicKey() jose.JSONWebKey { return i.key.Public() }

// Issue signs a token for the principal, valid for ttl from now.
func (i *Issuer) Issue(p Principal, ttl time.Duration) (string, error) {
	if ttl <= 0 || ttl > MaxTokenTTL {
		return "", fmt.Errorf("token lifetime %v: want more than 0 and at most %v", ttl, MaxTokenTTL)
	}
	if p.Subject == "" {
		return "", errors.New("a token needs a subject")
	}
	if p.Role == "" && p.CitizenBSN == "" {
		return "", errors.New("a token needs a role, or a BSN for a citizen")
	}
	if p.Role != "" && !isName(p.Role) {
		return "", fmt.Errorf("role %q: use only letters, digits and the characters - _ . : in it", p.Role)
	}
	for _, pur := range p.Purposes {
		if pur == "" || !isName(pur) {
			return "", fmt.Errorf("purpose %q: use only letters, digits and the characters - _ . : in it", pur)
		}
	}
	if p.CitizenBSN != "" {
		if _, err := ident.ParseBSN(p.CitizenBSN); err != nil {
			return "", err
		}
	}
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: i.key},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	now := i.now()
	id := p.TokenID
	if id == "" {
		id = uuid.NewString()
	}
	custom := map[string]any{i.claims.Subject: p.Subject, "jti": id}
	if p.Organisation != "" {
		custom[i.claims.Organisation] = p.Organisation
	}
	if p.Role != "" {
		custom[i.claims.Role] = p.Role
	}
	if len(p.Purposes) > 0 {
		custom[i.claims.Purposes] = p.Purposes
	}
	if p.CitizenBSN != "" {
		custom[i.claims.BSN] = p.CitizenBSN
	}
	std := jwt.Claims{
		Issuer: i.issuer, Audience: jwt.Audience{i.audience},
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(ttl)),
	}
	tok, err := jwt.Signed(sig).Claims(std).Claims(custom).Serialize()
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return tok, nil
}

// loadOrCreateKey reads the issuer's private JWK, or creates it in a file
// only its owner can read.
func loadOrCreateKey(path string) (jose.JSONWebKey, error) {
	b, _, err := secretfile.LoadOrCreate(path, newKeyFile)
	if err != nil {
		return jose.JSONWebKey{}, fmt.Errorf("key file: %w", err)
	}
	var k jose.JSONWebKey
	if err := json.Unmarshal(b, &k); err != nil {
		return jose.JSONWebKey{}, fmt.Errorf("key file %s: %w", path, err)
	}
	if _, ok := k.Key.(ed25519.PrivateKey); !ok {
		return jose.JSONWebKey{}, fmt.Errorf("key file %s: want an Ed25519 private key", path)
	}
	return k, nil
}

// newKeyFile makes a fresh Ed25519 signing key as a JWK file.
func newKeyFile() ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	k := jose.JSONWebKey{Key: priv, Algorithm: string(jose.EdDSA), Use: "sig"}
	tp, err := k.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, err
	}
	k.KeyID = base64.RawURLEncoding.EncodeToString(tp)
	b, err := json.MarshalIndent(k, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Setup builds what the configuration asks for: a verifier, and, when the
// configuration names neither a JWKS URL nor key files, the local issuer
// whose tokens that verifier accepts. The issuer is nil otherwise.
func Setup(cfg Config, opts ...Option) (*Verifier, *Issuer, error) {
	if !cfg.UsesLocalIssuer() {
		v, err := NewVerifier(cfg, opts...)
		return v, nil, err
	}
	iss, err := OpenIssuer(cfg)
	if err != nil {
		return nil, nil, err
	}
	v, err := NewVerifier(cfg, append(opts, WithKeys(iss.PublicKey()), WithMaxLifetime(MaxTokenTTL))...)
	if err != nil {
		return nil, nil, err
	}
	return v, iss, nil
}
