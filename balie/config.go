package balie

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/poort-nl/poort/internal/envconfig"
)

// Config is how the console runs, read from the environment by LoadConfig.
type Config struct {
	// OIDC is the identity provider employees sign in with; nil without
	// one.
	OIDC *OIDCConfig
	// SessionKey encrypts and authenticates the session cookie and the
	// references in the console's URLs (POORT_CONSOLE_SESSION_KEY, 64 hex
	// digits). Replicas behind one load balancer share it. Without it, in
	// development mode only, each start draws a random key.
	SessionKey []byte
	// SessionTTL is how long a sign-in lasts (POORT_CONSOLE_SESSION_TTL,
	// default 8h: a working day).
	SessionTTL time.Duration
}

// OIDCConfig is the identity provider's client registration for the
// console.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL, where
	// /.well-known/openid-configuration is found
	// (POORT_CONSOLE_OIDC_ISSUER; default POORT_AUTH_ISSUER).
	Issuer string
	// ClientID and ClientSecret are the console's client registration
	// (POORT_CONSOLE_OIDC_CLIENT_ID, POORT_CONSOLE_OIDC_CLIENT_SECRET; a
	// public client has no secret and relies on PKCE alone).
	ClientID     string
	ClientSecret string
	// RedirectURL is the console's callback as the provider knows it, e.g.
	// https://poort.gemeente.example/balie/oidc/callback
	// (POORT_CONSOLE_OIDC_REDIRECT_URL).
	RedirectURL string
	// Scopes are asked besides openid (POORT_CONSOLE_OIDC_SCOPES, separated
	// by spaces or commas; default "profile").
	Scopes []string
}

// LoadConfig reads the console's configuration from getenv, reporting
// every bad variable at once. authIssuer is the hub's POORT_AUTH_ISSUER,
// the default issuer of the console's identity provider.
func LoadConfig(getenv func(string) string, authIssuer string) (Config, error) {
	e := &envconfig.Reader{Getenv: getenv, DurationExample: "8h"}
	c := Config{SessionTTL: e.Duration("POORT_CONSOLE_SESSION_TTL", 8*time.Hour)}
	if c.SessionTTL < time.Minute || c.SessionTTL > 7*24*time.Hour {
		e.Add(fmt.Errorf("POORT_CONSOLE_SESSION_TTL=%v: want from 1m to 168h", c.SessionTTL))
	}
	if k := e.String("POORT_CONSOLE_SESSION_KEY", ""); k != "" {
		b, err := hex.DecodeString(k)
		if err != nil || len(b) != 32 {
			e.Add(errors.New("POORT_CONSOLE_SESSION_KEY: want 64 hex digits (32 bytes), e.g. from `openssl rand -hex 32`"))
		}
		c.SessionKey = b
	}
	if id := e.String("POORT_CONSOLE_OIDC_CLIENT_ID", ""); id != "" {
		o := &OIDCConfig{
			Issuer:       e.String("POORT_CONSOLE_OIDC_ISSUER", authIssuer),
			ClientID:     id,
			ClientSecret: e.String("POORT_CONSOLE_OIDC_CLIENT_SECRET", ""),
			RedirectURL:  e.String("POORT_CONSOLE_OIDC_REDIRECT_URL", ""),
			Scopes:       strings.FieldsFunc(e.String("POORT_CONSOLE_OIDC_SCOPES", "profile"), func(r rune) bool { return r == ' ' || r == ',' }),
		}
		e.Add(o.validate())
		c.OIDC = o
	}
	if err := e.Err(); err != nil {
		return Config{}, fmt.Errorf("console configuration: %w", err)
	}
	return c, nil
}

func (o *OIDCConfig) validate() error {
	var errs []error
	if err := absoluteURL("POORT_CONSOLE_OIDC_ISSUER", o.Issuer); err != nil {
		errs = append(errs, err)
	}
	if err := absoluteURL("POORT_CONSOLE_OIDC_REDIRECT_URL", o.RedirectURL); err != nil {
		errs = append(errs, err)
	} else if u, _ := url.Parse(o.RedirectURL); !strings.HasSuffix(u.Path, callbackPath) {
		errs = append(errs, fmt.Errorf("POORT_CONSOLE_OIDC_REDIRECT_URL=%q: the console's callback ends in %s", o.RedirectURL, callbackPath))
	}
	return errors.Join(errs...)
}

// absoluteURL checks an https URL, or plain http on the loopback address.
func absoluteURL(name, v string) error {
	u, err := url.Parse(v)
	switch {
	case v == "":
		return fmt.Errorf("%s is required with POORT_CONSOLE_OIDC_CLIENT_ID", name)
	case err != nil || u.Host == "":
		return fmt.Errorf("%s=%q: want an absolute URL", name, v)
	case u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())):
		return fmt.Errorf("%s=%q: want https (plain http only on the loopback address)", name, v)
	}
	return nil
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}
