package auth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func localConfig(t *testing.T) Config {
	t.Helper()
	cfg, err := LoadConfig(func(name string) string {
		if name == "POORT_AUTH_LOCAL_KEY_FILE" {
			return filepath.Join(t.TempDir(), "key.json")
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestLocalIssuerRoundTripAndKeyFile(t *testing.T) {
	cfg := localConfig(t)
	v, iss, err := Setup(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if iss == nil {
		t.Fatal("no local issuer without a JWKS URL or keys")
	}
	st, err := os.Stat(cfg.LocalKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	in := Principal{Subject: "emp-1", Organisation: "00000001234567890000", Role: "kcc-medewerker",
		Purposes: []string{"kcc-algemeen"}, TokenID: "t-1"}
	tok, err := iss.Issue(in, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// A restarted hub reads the same key and accepts the token.
	v2, _, err := Setup(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, ver := range []*Verifier{v, v2} {
		got, err := ver.Verify(context.Background(), tok)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, in) {
			t.Errorf("principal = %+v, want %+v", got, in)
		}
	}
	// Another key file means another key: the token is refused.
	other := localConfig(t)
	v3, _, err := Setup(other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v3.Verify(context.Background(), tok); !errors.Is(err, ErrUnknownKey) && !errors.Is(err, ErrSignature) {
		t.Errorf("a token of another local key: err = %v", err)
	}
}

func TestLocalIssuerRefusesKeyReadableByOthers(t *testing.T) {
	cfg := localConfig(t)
	if _, err := OpenIssuer(cfg); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(cfg.LocalKeyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenIssuer(cfg); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Fatalf("err = %v, want a refusal of a world-readable key", err)
	}
}

func TestIssueRefuses(t *testing.T) {
	iss, err := OpenIssuer(localConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		p    Principal
		ttl  time.Duration
		want string
	}{
		{"no subject", Principal{Role: "r"}, time.Hour, "subject"},
		{"no role", Principal{Subject: "s"}, time.Hour, "role"},
		{"bad purpose", Principal{Subject: "s", Role: "r", Purposes: []string{"a b"}}, time.Hour, "purpose"},
		{"bad BSN", Principal{Subject: "s", CitizenBSN: "123"}, time.Hour, "BSN"},
		{"zero ttl", Principal{Subject: "s", Role: "r"}, 0, "lifetime"},
		{"ttl too long", Principal{Subject: "s", Role: "r"}, MaxTokenTTL + time.Hour, "lifetime"},
	}
	for _, tt := range tests {
		if _, err := iss.Issue(tt.p, tt.ttl); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}

func TestIssueLocal(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"POORT_AUTH_LOCAL_KEY_FILE": filepath.Join(dir, "key.json")}
	getenv := func(k string) string { return env[k] }
	cfg, err := LoadConfig(getenv)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := IssueLocal(cfg, Principal{Subject: "developer", Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := Setup(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := v.Verify(context.Background(), tok); err != nil || p.Role != "kcc-medewerker" || p.Subject != "developer" {
		t.Errorf("principal = %+v, %v", p, err)
	}
	if _, err := IssueLocal(cfg, Principal{Subject: "developer", Purposes: []string{"x"}}, time.Hour); err == nil {
		t.Error("a token without role or BSN was issued")
	}
	env["POORT_AUTH_JWKS_URL"] = "https://idp.example/jwks"
	env["POORT_AUTH_ISSUER"] = "https://idp.example"
	if cfg, err = LoadConfig(getenv); err != nil {
		t.Fatal(err)
	}
	if _, err := IssueLocal(cfg, Principal{Subject: "developer", Role: "r"}, time.Hour); err == nil ||
		!strings.Contains(err.Error(), "identity provider") {
		t.Errorf("with an identity provider configured: err = %v", err)
	}
}

// A hub on the local issuer accepts no token valid for longer than
// MaxTokenTTL, also one signed with its key by other means, and none
// without an issue time to measure from.
func TestLocalIssuerCapsTokenLifetime(t *testing.T) {
	cfg := localConfig(t)
	v, iss, err := Setup(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := iss.Issue(Principal{Subject: "s", Role: "r"}, MaxTokenTTL+time.Minute); err == nil {
		t.Fatal("issued a token beyond the cap")
	}
	k := testKey{priv: iss.key, alg: "EdDSA"}
	now := time.Now()
	claims := func(life time.Duration, withIAT bool) map[string]any {
		c := map[string]any{"iss": LocalIssuer, "aud": "poort", "sub": "s", "role": "r", "exp": now.Add(life).Unix()}
		if withIAT {
			c["iat"] = now.Unix()
		}
		return c
	}
	if _, err := v.Verify(context.Background(), sign(t, k, claims(MaxTokenTTL, true))); err != nil {
		t.Fatalf("a token of the capped lifetime: %v", err)
	}
	for name, tok := range map[string]string{
		"31 days":     sign(t, k, claims(31*24*time.Hour, true)),
		"no iat, nbf": sign(t, k, claims(time.Hour, false)),
	} {
		if _, err := v.Verify(context.Background(), tok); !errors.Is(err, ErrClaims) {
			t.Errorf("%s: err = %v, want ErrClaims", name, err)
		}
	}
}
