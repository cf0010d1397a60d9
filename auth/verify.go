package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/poort-nl/poort/internal/ident"
)

// maxTokenBytes bounds the work done on a hostile token; real tokens are
// a few kilobytes at most.
const maxTokenBytes = 16 << 10

// Limits on claims, so a token cannot smuggle megabytes into the audit
// log or the rate limiter's keys.
const (
	maxClaimLen = 256
	maxPurposes = 64
)

// Verifier checks bearer tokens and maps them to principals. It is safe
// for concurrent use.
type Verifier struct {
	cfg    Config
	algs   []jose.SignatureAlgorithm
	static []jose.JSONWebKey
	remote *remoteKeys
	now    func() time.Time
	// maxLifetime, when set, refuses tokens valid for longer.
	maxLifetime time.Duration
	log         *slog.Logger
	// verified keeps the principals of tokens already verified, by the
	// token's hash, so a client's next request with the same token costs
	// a hash instead of a signature check; an entry serves until the token
	// expires, and for a minute at most, so that a key the provider
	// withdraws stops counting as it would without the cache.
	verified *lru.Cache[[sha256.Size]byte, verifiedToken]
}

// verifiedToken is a verified token's principal and the end of its
// validity (expiry plus the clock skew allowed).
type verifiedToken struct {
	principal Principal
	until     time.Time
}

// verifiedTokens is how many verified tokens a verifier keeps: the
// clients active at once, with room to spare; verifiedFor is the longest
// it keeps one.
const (
	verifiedTokens = 4096
	verifiedFor    = time.Minute
)

// Option adjusts a Verifier.
type Option func(*verifierOptions)

type verifierOptions struct {
	now         func() time.Time
	keys        []jose.JSONWebKey
	maxLifetime time.Duration
	log         *slog.Logger
}

// WithLogger logs each refused request with its reason (Middleware); the
// default discards them.
func WithLogger(log *slog.Logger) Option { return func(o *verifierOptions) { o.log = log } }

// WithClock sets the clock tokens are checked against (tests).
func WithClock(now func() time.Time) Option { return func(o *verifierOptions) { o.now = now } }

// WithKeys adds keys to verify with, besides those the configuration names;
// Setup passes the local issuer's public key this way.
func WithKeys(keys ...jose.JSONWebKey) Option {
	return func(o *verifierOptions) { o.keys = append(o.keys, keys...) }
}

// WithMaxLifetime refuses tokens whose expiry lies more than d after their
// issue time (iat, else nbf), and tokens that carry neither; Setup caps the
// local issuer's tokens this way, so a token minted with a longer lifetime
// elsewhere is not accepted either.
func WithMaxLifetime(d time.Duration) Option {
	return func(o *verifierOptions) { o.maxLifetime = d }
}

// NewVerifier builds a verifier from the configuration. It reads the
// configured key files but does not fetch the JWKS: that happens when the
// first token arrives.
func NewVerifier(cfg Config, opts ...Option) (*Verifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("authentication configuration: %w", err)
	}
	o := verifierOptions{now: time.Now, log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	algs, _ := signatureAlgorithms(cfg.Algorithms) // checked by Validate
	v := &Verifier{cfg: cfg, algs: algs, now: o.now, maxLifetime: o.maxLifetime, log: o.log}
	var err error
	if v.verified, err = lru.New[[sha256.Size]byte, verifiedToken](verifiedTokens); err != nil {
		return nil, fmt.Errorf("verified-token cache: %w", err)
	}
	for _, f := range cfg.KeyFiles {
		keys, err := LoadKeyFile(f)
		if err != nil {
			return nil, err
		}
		v.static = append(v.static, keys...)
	}
	for _, k := range o.keys {
		pub, err := verificationKey(k)
		if err != nil {
			return nil, err
		}
		v.static = append(v.static, pub)
	}
	if cfg.JWKSURL != "" {
		v.remote = &remoteKeys{
			url: cfg.JWKSURL, client: &http.Client{}, timeout: orDefault(cfg.JWKSTimeout, 5*time.Second),
			minRefresh: orDefault(cfg.JWKSRefresh, time.Minute), maxAge: orDefault(cfg.JWKSMaxAge, time.Hour), now: o.now,
		}
	}
	if v.remote == nil && len(v.static) == 0 {
		return nil, errors.New("authentication: no keys to verify tokens with")
	}
	return v, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// header is the part of the JOSE header read before the signature is
// checked, to give a precise reason for refusing a token.
type header struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

// Verify checks a token's signature, issuer, audience, expiry and
// not-before, and maps its claims to a principal. The error wraps one of
// the Err* reasons and never contains the token. A token verified before
// and not yet expired is known by its hash.
func (v *Verifier) Verify(ctx context.Context, raw string) (Principal, error) {
	if raw == "" {
		return Principal{}, ErrNoToken
	}
	if len(raw) > maxTokenBytes {
		return Principal{}, fmt.Errorf("%w: longer than %d bytes", ErrMalformed, maxTokenBytes)
	}
	sum := sha256.Sum256([]byte(raw))
	if t, ok := v.verified.Get(sum); ok {
		if v.now().Before(t.until) {
			p := t.principal
			p.Purposes = slices.Clone(p.Purposes)
			return p, nil
		}
		v.verified.Remove(sum)
	}
	p, until, err := v.verify(ctx, raw)
	if err != nil {
		return Principal{}, err
	}
	if limit := v.now().Add(verifiedFor); limit.Before(until) {
		until = limit
	}
	v.verified.Add(sum, verifiedToken{principal: p, until: until})
	p.Purposes = slices.Clone(p.Purposes)
	return p, nil
}

// verify checks the token in full; until is the end of its validity.
func (v *Verifier) verify(ctx context.Context, raw string) (p Principal, until time.Time, err error) {
	if !compactChars(raw) {
		return p, until, fmt.Errorf("%w: a JWT holds only base64url characters and dots", ErrMalformed)
	}
	h, err := peekHeader(raw)
	if err != nil {
		return p, until, err
	}
	alg := jose.SignatureAlgorithm(h.Alg)
	if !slices.Contains(v.algs, alg) {
		return p, until, fmt.Errorf("%w: %q; accepted are %s", ErrAlgorithm, truncateRunes(h.Alg, 16), algList(v.algs))
	}
	tok, err := jwt.ParseSigned(raw, v.algs)
	if err != nil {
		return p, until, fmt.Errorf("%w: not a signed JWT in compact form", ErrMalformed)
	}
	keys, err := v.keys(ctx, h.Kid, alg)
	if err != nil {
		return p, until, err
	}
	var std jwt.Claims
	var custom map[string]any
	verified := false
	for _, k := range keys {
		if err := tok.Claims(k.Key); err != nil {
			continue
		}
		verified = true
		// The signature has just been verified with k; decoding the same
		// payload need not verify it again.
		if err := tok.UnsafeClaimsWithoutVerification(&std, &custom); err != nil {
			return p, until, fmt.Errorf("%w: the claims are not a JSON object of the registered types", ErrMalformed)
		}
		break
	}
	if !verified {
		return p, until, ErrSignature
	}
	if err := v.checkTimes(std); err != nil {
		return p, until, err
	}
	p, err = v.principal(std, custom)
	return p, std.Expiry.Time().Add(v.cfg.ClockSkew), err
}

func (v *Verifier) keys(ctx context.Context, kid string, alg jose.SignatureAlgorithm) ([]jose.JSONWebKey, error) {
	candidates := byKID(v.static, kid)
	if v.remote != nil && len(fitting(candidates, alg)) == 0 {
		remote, err := v.remote.lookup(ctx, kid)
		if err != nil && len(candidates) == 0 {
			return nil, err
		}
		candidates = append(candidates, remote...)
	}
	out := fitting(candidates, alg)
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no key with the token's kid fits algorithm %s", ErrUnknownKey, alg)
	}
	return out, nil
}

func fitting(keys []jose.JSONWebKey, alg jose.SignatureAlgorithm) []jose.JSONWebKey {
	var out []jose.JSONWebKey
	for _, k := range keys {
		if fits(k, alg) {
			out = append(out, k)
		}
	}
	return out
}

func (v *Verifier) checkTimes(c jwt.Claims) error {
	if c.Expiry == nil {
		return fmt.Errorf("%w: no expiry (exp)", ErrClaims)
	}
	err := c.ValidateWithLeeway(jwt.Expected{
		Issuer: v.cfg.Issuer, AnyAudience: jwt.Audience{v.cfg.Audience}, Time: v.now(),
	}, v.cfg.ClockSkew)
	switch {
	case err == nil:
		return v.checkLifetime(c)
	case errors.Is(err, jwt.ErrExpired):
		return fmt.Errorf("%w at %s", ErrExpired, c.Expiry.Time().UTC().Format(time.RFC3339))
	case errors.Is(err, jwt.ErrNotValidYet):
		return fmt.Errorf("%w: valid from %s", ErrNotYetValid, c.NotBefore.Time().UTC().Format(time.RFC3339))
	case errors.Is(err, jwt.ErrIssuedInTheFuture):
		return fmt.Errorf("%w: issued in the future (iat)", ErrNotYetValid)
	case errors.Is(err, jwt.ErrInvalidIssuer):
		return fmt.Errorf("%w: want iss %q", ErrIssuer, v.cfg.Issuer)
	case errors.Is(err, jwt.ErrInvalidAudience):
		return fmt.Errorf("%w: want aud %q", ErrAudience, v.cfg.Audience)
	}
	return fmt.Errorf("%w: %v", ErrClaims, err)
}

// checkLifetime refuses a token valid for longer than the verifier
// accepts.
func (v *Verifier) checkLifetime(c jwt.Claims) error {
	if v.maxLifetime <= 0 {
		return nil
	}
	start := c.IssuedAt
	if start == nil {
		start = c.NotBefore
	}
	if start == nil {
		return fmt.Errorf("%w: no issue time (iat), so its lifetime cannot be checked", ErrClaims)
	}
	if life := c.Expiry.Time().Sub(start.Time()); life > v.maxLifetime {
		return fmt.Errorf("%w: valid for %v, longer than the %v this hub accepts", ErrClaims, life, v.maxLifetime)
	}
	return nil
}

// principal maps verified claims to a principal.
func (v *Verifier) principal(std jwt.Claims, custom map[string]any) (Principal, error) {
	n := v.cfg.Claims
	var errs []string
	str := func(name string) string {
		val, ok := claim(custom, name)
		if !ok {
			return ""
		}
		s, ok := val.(string)
		if !ok || len(s) > maxClaimLen || !printable(s) {
			errs = append(errs, fmt.Sprintf("claim %q must be a short string", name))
			return ""
		}
		return s
	}
	p := Principal{
		Subject:      str(n.Subject),
		Organisation: str(n.Organisation),
		TokenID:      str("jti"),
	}
	if p.Subject == "" && len(errs) == 0 {
		errs = append(errs, fmt.Sprintf("claim %q (subject) is required", n.Subject))
	}
	p.Role = v.role(custom, &errs)
	p.Purposes = purposes(custom, n.Purposes, &errs)
	if bsn := str(n.BSN); bsn != "" {
		if _, err := ident.ParseBSN(bsn); err != nil {
			errs = append(errs, fmt.Sprintf("claim %q is not a valid BSN", n.BSN))
		}
		p.CitizenBSN = bsn
		if p.Role == "" {
			p.Role = v.cfg.CitizenRole
		}
	}
	if p.Role == "" && len(errs) == 0 {
		errs = append(errs, fmt.Sprintf("claim %q (role) is required", n.Role))
	}
	if len(errs) > 0 {
		return Principal{}, fmt.Errorf("%w: %s", ErrClaims, strings.Join(errs, "; "))
	}
	return p, nil
}

// role reads the role claim: a string, or a list holding one string (as
// some identity providers deliver roles).
func (v *Verifier) role(custom map[string]any, errs *[]string) string {
	name := v.cfg.Claims.Role
	val, ok := claim(custom, name)
	if !ok {
		return ""
	}
	if l, isList := val.([]any); isList {
		if len(l) != 1 {
			*errs = append(*errs, fmt.Sprintf("claim %q must hold exactly one role", name))
			return ""
		}
		val = l[0]
	}
	s, ok := val.(string)
	if !ok || s == "" || len(s) > maxClaimLen || !isName(s) {
		*errs = append(*errs, fmt.Sprintf("claim %q must be a role name (letters, digits, - _ . :)", name))
		return ""
	}
	return s
}

// purposes reads the purposes claim: a list of names or one
// space-separated string, as OAuth scopes are.
func purposes(custom map[string]any, name string, errs *[]string) []string {
	val, ok := claim(custom, name)
	if !ok {
		return nil
	}
	var out []string
	switch t := val.(type) {
	case string:
		out = strings.Fields(t)
	case []any:
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				*errs = append(*errs, fmt.Sprintf("claim %q must hold strings", name))
				return nil
			}
			out = append(out, s)
		}
	default:
		*errs = append(*errs, fmt.Sprintf("claim %q must be a list of purposes", name))
		return nil
	}
	if len(out) > maxPurposes {
		*errs = append(*errs, fmt.Sprintf("claim %q holds more than %d purposes", name, maxPurposes))
		return nil
	}
	for _, s := range out {
		if s == "" || len(s) > maxClaimLen || !isName(s) {
			*errs = append(*errs, fmt.Sprintf("claim %q must hold purpose names (letters, digits, - _ . :)", name))
			return nil
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// claim looks a claim up by its exact name, and else as a dotted path into
// nested objects.
func claim(m map[string]any, name string) (any, bool) {
	if v, ok := m[name]; ok && v != nil {
		return v, true
	}
	if !strings.Contains(name, ".") {
		return nil, false
	}
	var cur any = m
	for _, part := range strings.Split(name, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[part]; !ok {
			return nil, false
		}
	}
	return cur, cur != nil
}

func isName(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

func printable(s string) bool {
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// peekHeader decodes the JOSE header of a compact token without trusting
// it, to refuse a forbidden algorithm with a precise reason.
func peekHeader(raw string) (header, error) {
	i := strings.IndexByte(raw, '.')
	if i <= 0 || strings.Count(raw, ".") != 2 {
		return header{}, fmt.Errorf("%w: a JWT has three dot-separated parts", ErrMalformed)
	}
	b, err := base64.RawURLEncoding.DecodeString(raw[:i])
	if err != nil {
		return header{}, fmt.Errorf("%w: the header is not base64url", ErrMalformed)
	}
	var h header
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&h); err != nil {
		return header{}, fmt.Errorf("%w: the header is not a JSON object", ErrMalformed)
	}
	return h, nil
}

func compactChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
