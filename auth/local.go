package auth

import (
	"errors"
	"fmt"
	"time"
)

// IssueLocal signs a token for the principal with the local issuer of the
// configuration, as `poort token` prints it. A principal with a BSN is a
// citizen's; it needs no role. The token is accepted by a hub that runs
// with the local issuer and the same POORT_AUTH_LOCAL_KEY_FILE; a hub
// pointed at an identity provider does not accept it, so IssueLocal
// refuses when one is configured.
func IssueLocal(cfg Config, p Principal, ttl time.Duration) (string, error) {
	if !cfg.UsesLocalIssuer() {
		return "", errors.New("token: the hub is configured with an identity provider (POORT_AUTH_JWKS_URL or POORT_AUTH_KEYS) and would not accept a locally signed token; get one from the provider")
	}
	iss, err := OpenIssuer(cfg)
	if err != nil {
		return "", err
	}
	tok, err := iss.Issue(p, ttl)
	if err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	return tok, nil
}
