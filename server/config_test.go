package server

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfigDefaults(t *testing.T) {
	c, err := LoadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.UpstreamTimeout != 5*time.Second || !c.Playground || !c.UsesMocks() || c.PopulationSize != 1000 {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestLoadConfig(t *testing.T) {
	c, err := LoadConfig(env(map[string]string{
		"POORT_BRP_URL": "https://brp.example/haalcentraal/api/brp", "POORT_BRP_AUTH_HEADER": "X-API-KEY",
		"POORT_BRP_AUTH_VALUE": "k", "POORT_BRP_TIMEOUT": "800ms", "POORT_MOCK_FAULTS": `{"BAG":{"latencyMs":20,"jitterMs":5}}`,
		"POORT_PLAYGROUND": "false", "POORT_UWV_URL": "https://broker.tst.suwi.net/suwibroker/soap",
		"POORT_UWV_TLS_CERT": "/etc/poort/uwv.crt", "POORT_UWV_TLS_KEY": "/etc/poort/uwv.key", "POORT_UWV_TLS_CA": "/etc/poort/pkio.pem",
	}))
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
	if brp.URL == "" || brp.AuthHeader != "X-API-KEY" || brp.Timeout != 800*time.Millisecond || c.Playground {
		t.Fatalf("config = %+v", c)
	}
	if c.MockFaults["BAG"].LatencyMs != 20 {
		t.Fatalf("faults = %+v", c.MockFaults)
	}
}

func TestLoadConfigReportsEveryBadVariable(t *testing.T) {
	_, err := LoadConfig(env(map[string]string{
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
