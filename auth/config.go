package auth

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/poort-nl/poort/internal/envconfig"
	"github.com/poort-nl/poort/internal/statedir"
)

// ClaimNames say which token claims carry the principal's attributes. A
// name with dots ("realm_access.role") is looked up as a path into nested
// objects when no claim has that exact name.
type ClaimNames struct {
	Subject      string // default "sub"
	Organisation string // default "oin"
	Role         string // default "role"
	Purposes     string // default "purposes": a list of strings or one space-separated string
	BSN          string // default "bsn": set only in a citizen's token
}

// DefaultClaimNames are the claim names the local issuer writes and the
// verifier reads unless configured otherwise.
func DefaultClaimNames() ClaimNames {
	return ClaimNames{Subject: "sub", Organisation: "oin", Role: "role", Purposes: "purposes", BSN: "bsn"}
}

// Config is how the hub authenticates, read from the environment by
// LoadConfig.
type Config struct {
	// Issuer is the expected iss (POORT_AUTH_ISSUER). With the local
	// issuer it defaults to LocalIssuer.
	Issuer string
	// Audience is the expected aud (POORT_AUTH_AUDIENCE, default "poort").
	Audience string
	// JWKSURL is the identity provider's key set (POORT_AUTH_JWKS_URL),
	// e.g. https://idp.example.nl/realms/gemeente/protocol/openid-connect/certs.
	JWKSURL string
	// KeyFiles are PEM (public keys or certificates) or JWK/JWKS files
	// with the keys tokens may be signed with (POORT_AUTH_KEYS, separated
	// by commas).
	KeyFiles []string
	// LocalKeyFile holds the local issuer's signing key, created on first
	// use (POORT_AUTH_LOCAL_KEY_FILE, default signing-key.json in the state
	// directory, internal/statedir).
	// It is used only when neither JWKSURL nor KeyFiles is set.
	LocalKeyFile string
	// Algorithms are the signature algorithms accepted
	// (POORT_AUTH_ALGORITHMS, default "RS256,PS256,ES256,ES384,EdDSA").
	// Only asymmetric algorithms can be configured.
	Algorithms []string
	// ClockSkew is the leeway for exp, nbf and iat (POORT_AUTH_CLOCK_SKEW,
	// default 30s).
	ClockSkew time.Duration
	// Claims map token claims to the principal (POORT_AUTH_CLAIM_SUBJECT,
	// POORT_AUTH_CLAIM_ORGANISATION, POORT_AUTH_CLAIM_ROLE,
	// POORT_AUTH_CLAIM_PURPOSES, POORT_AUTH_CLAIM_BSN).
	Claims ClaimNames
	// CitizenRole is the role of a citizen's token that names no role
	// (POORT_AUTH_CITIZEN_ROLE, default "burger").
	CitizenRole string
	// JWKSTimeout bounds one fetch of the key set (POORT_AUTH_JWKS_TIMEOUT,
	// default 5s).
	JWKSTimeout time.Duration
	// JWKSRefresh is the least time between two fetches of the key set,
	// for instance when tokens arrive with an unknown kid
	// (POORT_AUTH_JWKS_REFRESH, default 1m).
	JWKSRefresh time.Duration
	// JWKSMaxAge is how long a fetched key set is used before it is
	// fetched again (POORT_AUTH_JWKS_MAX_AGE, default 1h). When the fetch
	// fails, the old keys stay in use.
	JWKSMaxAge time.Duration
}

// LocalIssuer is the iss of tokens the local issuer signs.
const LocalIssuer = "poort-local"

// LocalOrganisation is the organisation of the principals the local issuer
// signs for (poort token, the playground, the console's development
// sign-in): acting on cases takes one.
const LocalOrganisation = "poort-local"

// asymmetric are the algorithms that may be configured; HMAC algorithms
// are absent on purpose: a verifier holding a public key must never treat
// it as a shared secret.
var asymmetric = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
}

// UsesLocalIssuer reports whether the configuration names no external
// keys, so the hub signs and accepts its own tokens.
func (c Config) UsesLocalIssuer() bool { return c.JWKSURL == "" && len(c.KeyFiles) == 0 }

// LoadConfig reads the authentication configuration from getenv,
// reporting every bad variable at once.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := &envconfig.Reader{Getenv: getenv, DurationExample: "30s"}
	list := func(name, def string) []string {
		var out []string
		for _, s := range strings.Split(e.String(name, def), ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	d := DefaultClaimNames()
	c := Config{
		Issuer:       e.String("POORT_AUTH_ISSUER", ""),
		Audience:     e.String("POORT_AUTH_AUDIENCE", "poort"),
		JWKSURL:      e.String("POORT_AUTH_JWKS_URL", ""),
		KeyFiles:     list("POORT_AUTH_KEYS", ""),
		LocalKeyFile: e.String("POORT_AUTH_LOCAL_KEY_FILE", statedir.Path(getenv, "signing-key.json")),
		Algorithms:   list("POORT_AUTH_ALGORITHMS", "RS256,PS256,ES256,ES384,EdDSA"),
		ClockSkew:    e.Duration("POORT_AUTH_CLOCK_SKEW", 30*time.Second),
		Claims: ClaimNames{
			Subject:      e.String("POORT_AUTH_CLAIM_SUBJECT", d.Subject),
			Organisation: e.String("POORT_AUTH_CLAIM_ORGANISATION", d.Organisation),
			Role:         e.String("POORT_AUTH_CLAIM_ROLE", d.Role),
			Purposes:     e.String("POORT_AUTH_CLAIM_PURPOSES", d.Purposes),
			BSN:          e.String("POORT_AUTH_CLAIM_BSN", d.BSN),
		},
		CitizenRole: e.String("POORT_AUTH_CITIZEN_ROLE", "burger"),
		JWKSTimeout: e.Duration("POORT_AUTH_JWKS_TIMEOUT", 5*time.Second),
		JWKSRefresh: e.Duration("POORT_AUTH_JWKS_REFRESH", time.Minute),
		JWKSMaxAge:  e.Duration("POORT_AUTH_JWKS_MAX_AGE", time.Hour),
	}
	if c.UsesLocalIssuer() && c.Issuer == "" {
		c.Issuer = LocalIssuer
	}
	e.Add(c.Validate())
	if err := e.Err(); err != nil {
		return Config{}, fmt.Errorf("authentication configuration: %w", err)
	}
	return c, nil
}

// Validate reports what is wrong with the configuration.
func (c Config) Validate() error {
	var errs []error
	if c.Issuer == "" {
		errs = append(errs, errors.New("POORT_AUTH_ISSUER is required with POORT_AUTH_JWKS_URL or POORT_AUTH_KEYS"))
	}
	if c.Audience == "" {
		errs = append(errs, errors.New("POORT_AUTH_AUDIENCE is required"))
	}
	if c.JWKSURL != "" {
		u, err := url.Parse(c.JWKSURL)
		switch {
		case err != nil || u.Host == "":
			errs = append(errs, fmt.Errorf("POORT_AUTH_JWKS_URL=%q: want an absolute URL", c.JWKSURL))
		case u.Scheme != "https" && !isLoopback(u.Hostname()):
			errs = append(errs, fmt.Errorf("POORT_AUTH_JWKS_URL=%q: want https (plain http only on the loopback address)", c.JWKSURL))
		}
	}
	if _, err := signatureAlgorithms(c.Algorithms); err != nil {
		errs = append(errs, err)
	}
	n := c.Claims
	if n.Subject == "" || n.Organisation == "" || n.Role == "" || n.Purposes == "" || n.BSN == "" {
		errs = append(errs, errors.New("every claim name (subject, organisation, role, purposes, bsn) must be set"))
	}
	if c.ClockSkew > 5*time.Minute {
		errs = append(errs, fmt.Errorf("POORT_AUTH_CLOCK_SKEW=%v: at most 5m", c.ClockSkew))
	}
	return errors.Join(errs...)
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}

// signatureAlgorithms parses configured algorithm names, refusing any that
// is not asymmetric.
func signatureAlgorithms(names []string) ([]jose.SignatureAlgorithm, error) {
	if len(names) == 0 {
		return nil, errors.New("POORT_AUTH_ALGORITHMS: name at least one algorithm")
	}
	var out []jose.SignatureAlgorithm
	var errs []error
	for _, n := range names {
		a := jose.SignatureAlgorithm(n)
		if !slices.Contains(asymmetric, a) {
			errs = append(errs, fmt.Errorf("POORT_AUTH_ALGORITHMS: %q is not an accepted asymmetric algorithm (want %s)", n, algList(asymmetric)))
			continue
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out, errors.Join(errs...)
}

func algList(as []jose.SignatureAlgorithm) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}
