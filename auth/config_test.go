package auth

import (
	"strings"
	"testing"
	"time"
)

func TestLoadConfigDefaults(t *testing.T) {
	cfg, err := LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.UsesLocalIssuer() || cfg.Issuer != LocalIssuer || cfg.Audience != "poort" ||
		cfg.ClockSkew != 30*time.Second || cfg.Claims != DefaultClaimNames() || cfg.LocalKeyFile == "" {
		t.Errorf("defaults = %+v", cfg)
	}
}

func TestLoadConfigRefuses(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"HMAC algorithm", map[string]string{"POORT_AUTH_ALGORITHMS": "ES256,HS256"}, `"HS256" is not an accepted asymmetric algorithm`},
		{"alg none", map[string]string{"POORT_AUTH_ALGORITHMS": "none"}, `"none"`},
		{"JWKS without issuer", map[string]string{"POORT_AUTH_JWKS_URL": "https://idp.example/certs"}, "POORT_AUTH_ISSUER is required"},
		{"JWKS over plain http", map[string]string{"POORT_AUTH_JWKS_URL": "http://idp.example/certs", "POORT_AUTH_ISSUER": "x"}, "want https"},
		{"bad skew", map[string]string{"POORT_AUTH_CLOCK_SKEW": "soon"}, "POORT_AUTH_CLOCK_SKEW"},
		{"skew too large", map[string]string{"POORT_AUTH_CLOCK_SKEW": "1h"}, "at most 5m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(func(k string) string { return tt.env[k] })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestLoadConfigJWKSOnLoopback(t *testing.T) {
	env := map[string]string{"POORT_AUTH_JWKS_URL": "http://127.0.0.1:8081/certs", "POORT_AUTH_ISSUER": "http://127.0.0.1:8081"}
	cfg, err := LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.UsesLocalIssuer() {
		t.Error("a JWKS URL is configured, yet the local issuer is used")
	}
}
