package balie

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/policy"
)

func TestLoadConfig(t *testing.T) {
	key := strings.Repeat("ab", 32)
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"defaults", nil, ""},
		{"provider", map[string]string{"POORT_CONSOLE_OIDC_CLIENT_ID": "balie", "POORT_CONSOLE_OIDC_REDIRECT_URL": "https://poort.example/balie/oidc/callback", "POORT_CONSOLE_SESSION_KEY": key}, ""},
		{"short key", map[string]string{"POORT_CONSOLE_SESSION_KEY": "abcd"}, "POORT_CONSOLE_SESSION_KEY"},
		{"no redirect", map[string]string{"POORT_CONSOLE_OIDC_CLIENT_ID": "balie"}, "POORT_CONSOLE_OIDC_REDIRECT_URL is required"},
		{"plain http elsewhere", map[string]string{"POORT_CONSOLE_OIDC_CLIENT_ID": "balie", "POORT_CONSOLE_OIDC_REDIRECT_URL": "http://poort.example/balie/oidc/callback"}, "want https"},
		{"wrong callback", map[string]string{"POORT_CONSOLE_OIDC_CLIENT_ID": "balie", "POORT_CONSOLE_OIDC_REDIRECT_URL": "https://poort.example/callback"}, "callback ends in /balie/oidc/callback"},
		{"session too long", map[string]string{"POORT_CONSOLE_SESSION_TTL": "200h"}, "POORT_CONSOLE_SESSION_TTL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadConfig(func(k string) string { return tt.env[k] }, "https://idp.example/realms/gemeente")
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.SessionTTL != 8*time.Hour {
					t.Errorf("session TTL %v", c.SessionTTL)
				}
				if c.OIDC != nil && c.OIDC.Issuer != "https://idp.example/realms/gemeente" {
					t.Errorf("the provider's issuer %q is not the hub's", c.OIDC.Issuer)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want one about %q", err, tt.wantErr)
			}
		})
	}
}

// TestNewRefusesMixedModes: the development sign-in and an identity
// provider never run together, and a provider needs a shared key.
func TestNewRefusesMixedModes(t *testing.T) {
	ix, err := lineage.FromSchema(graph.NewExecutableSchema(graph.Config{}).Schema())
	if err != nil {
		t.Fatal(err)
	}
	pol, err := policy.LoadDefault(ix)
	if err != nil {
		t.Fatal(err)
	}
	oidc := &OIDCConfig{Issuer: "https://idp.example", ClientID: "balie", RedirectURL: "https://poort.example/balie/oidc/callback"}
	key := []byte(strings.Repeat("k", 32))
	for _, tt := range []struct {
		name    string
		o       Options
		wantErr string
	}{
		{"development with a provider", Options{Config: Config{OIDC: oidc, SessionKey: key}, Development: true, Policy: pol, Tokens: nopVerifier{}}, "development"},
		{"provider without a key", Options{Config: Config{OIDC: oidc}, Policy: pol, Tokens: nopVerifier{}}, "POORT_CONSOLE_SESSION_KEY"},
		{"provider", Options{Config: Config{OIDC: oidc, SessionKey: key}, Policy: pol, Tokens: nopVerifier{}}, ""},
		{"development", Options{Development: true, Policy: pol}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.o)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("New = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

type nopVerifier struct{}

func (nopVerifier) Verify(context.Context, string) (auth.Principal, error) {
	return auth.Principal{}, nil
}
