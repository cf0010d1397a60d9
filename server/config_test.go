package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/server"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfigDefaults(t *testing.T) {
	c, err := server.LoadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.UpstreamTimeout != 5*time.Second || !c.Playground || !c.DevelopmentMode() || c.PopulationSize != 1000 {
		t.Fatalf("defaults = %+v", c)
	}
}

// production is a complete production configuration, with vars added.
func production(vars map[string]string) map[string]string {
	m := map[string]string{
		"POORT_DATABASE_URL":      "postgres://poort@db.example/poort",
		"POORT_AUTH_ISSUER":       "https://idp.example/realms/gemeente",
		"POORT_AUTH_JWKS_URL":     "https://idp.example/realms/gemeente/certs",
		"POORT_PSEUDONYM_KEY":     strings.Repeat("ab", 32),
		"POORT_PARTNER_DIRECTORY": `{"default":"https://intake.example/{partner}"}`,
	}
	for _, r := range server.RegistryNames(server.Registries()) {
		m["POORT_"+string(r)+"_URL"] = "https://" + strings.ToLower(string(r)) + ".example/api"
	}
	for k, v := range vars {
		m[k] = v
	}
	return m
}

func TestLoadConfig(t *testing.T) {
	c, err := server.LoadConfig(env(production(map[string]string{
		"POORT_BRP_AUTH_HEADER": "X-API-KEY", "POORT_BRP_AUTH_VALUE": "k", "POORT_BRP_TIMEOUT": "800ms",
		"POORT_PLAYGROUND": "false", "POORT_ADMIN_LISTEN": "off", "POORT_UWV_URL": "https://broker.tst.suwi.net/suwibroker/soap",
		"POORT_UWV_TLS_CERT": "/etc/poort/uwv.crt", "POORT_UWV_TLS_KEY": "/etc/poort/uwv.key", "POORT_UWV_TLS_CA": "/etc/poort/pkio.pem",
	})))
	if err != nil {
		t.Fatal(err)
	}
	if tls := c.Registries["UWV"].TLS; tls.CertFile != "/etc/poort/uwv.crt" || tls.KeyFile != "/etc/poort/uwv.key" || tls.CAFile != "/etc/poort/pkio.pem" {
		t.Fatalf("UWV TLS = %+v", tls)
	}
	if !c.Registries["NHR"].TLS.IsZero() {
		t.Fatal("TLS files leak to another registry")
	}
	brp := c.Registries["BRP"]
	if brp.URL == "" || brp.AuthHeader != "X-API-KEY" || brp.Timeout != 800*time.Millisecond || c.Playground || c.AdminListen != "" {
		t.Fatalf("config = %+v", c)
	}
	if c.DevelopmentMode() {
		t.Fatal("a production configuration in development mode")
	}
	dev, err := server.LoadConfig(env(map[string]string{"POORT_MOCK_FAULTS": `{"BAG":{"latencyMs":20,"jitterMs":5}}`}))
	if err != nil {
		t.Fatal(err)
	}
	if dev.MockFaults["BAG"].LatencyMs != 20 || dev.AdminListen != "127.0.0.1:9464" {
		t.Fatalf("development config = %+v", dev)
	}
}

// Development mode is one decision: the fully embedded default is in it,
// any production setting takes the hub out of it, the switch cannot bring
// it back beside a production setting, and outside it the hub needs what
// development mode would have made up.
func TestDevelopmentMode(t *testing.T) {
	tests := []struct {
		name    string
		vars    map[string]string
		dev     bool
		refused []string // what the error names; nil: accepted
	}{
		{name: "embedded default", vars: nil, dev: true},
		{name: "switch on, embedded", vars: map[string]string{"POORT_DEVELOPMENT": "true"}, dev: true},
		{name: "production", vars: production(nil), dev: false},
		{name: "switch on beside PostgreSQL", vars: map[string]string{"POORT_DEVELOPMENT": "true", "POORT_DATABASE_URL": "postgres://db.example/poort"},
			refused: []string{"POORT_DEVELOPMENT=true", "PostgreSQL"}},
		{name: "switch on beside an identity provider", vars: map[string]string{"POORT_DEVELOPMENT": "true", "POORT_AUTH_ISSUER": "https://idp.example", "POORT_AUTH_JWKS_URL": "https://idp.example/certs"},
			refused: []string{"POORT_DEVELOPMENT=true", "identity provider"}},
		{name: "switch on beside a registry", vars: map[string]string{"POORT_DEVELOPMENT": "true", "POORT_BRP_URL": "https://brp.example"},
			refused: []string{"POORT_DEVELOPMENT=true", "POORT_BRP_URL"}},
		{name: "switch on in production", vars: production(map[string]string{"POORT_DEVELOPMENT": "true"}),
			refused: []string{"POORT_DEVELOPMENT=true"}},
		{name: "PostgreSQL alone", vars: map[string]string{"POORT_DATABASE_URL": "postgres://db.example/poort"},
			refused: []string{"POORT_NHR_URL", "POORT_AUTH_JWKS_URL or POORT_AUTH_KEYS", "POORT_PSEUDONYM_KEY", "POORT_PARTNER_DIRECTORY"}},
		{name: "switch off, embedded", vars: map[string]string{"POORT_DEVELOPMENT": "false"},
			refused: []string{"POORT_DEVELOPMENT=false", "POORT_PSEUDONYM_KEY"}},
		{name: "production without a pseudonym key", vars: production(map[string]string{"POORT_PSEUDONYM_KEY": " "}),
			refused: []string{"POORT_PSEUDONYM_KEY"}},
		{name: "mock faults in production", vars: production(map[string]string{"POORT_MOCK_FAULTS": `{"BAG":{"latencyMs":20}}`}),
			refused: []string{"POORT_MOCK_FAULTS"}},
		{name: "a short pseudonym key", vars: production(map[string]string{"POORT_PSEUDONYM_KEY": "abcd"}),
			refused: []string{"32 hex digits"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := server.LoadConfig(env(tt.vars))
			if tt.refused == nil {
				if err != nil || c.DevelopmentMode() != tt.dev {
					t.Fatalf("development %v, err %v; want development %v", c.DevelopmentMode(), err, tt.dev)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			for _, want := range tt.refused {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not name %s", err, want)
				}
			}
		})
	}
}

func TestLoadConfigReportsEveryBadVariable(t *testing.T) {
	_, err := server.LoadConfig(env(map[string]string{
		"POORT_UPSTREAM_TIMEOUT": "soon", "POORT_POPULATION_SIZE": "10", "POORT_PLAYGROUND": "maybe",
		"POORT_MOCK_FAULTS": `{"KADASTER":{}}`, "POORT_LOG_FORMAT": "xml", "POORT_RDW_TLS_CA": "/etc/poort/ca.pem",
	}))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"POORT_UPSTREAM_TIMEOUT", "POORT_POPULATION_SIZE", "POORT_PLAYGROUND", "KADASTER", "POORT_LOG_FORMAT", "POORT_RDW_TLS_"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}
