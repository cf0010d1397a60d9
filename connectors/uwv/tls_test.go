package uwv

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
)

// pki is a throwaway certificate authority with a server and a client
// certificate, written as PEM files as an operator would configure them.
type pki struct {
	caFile, certFile, keyFile string
	pool                      *x509.CertPool
	server                    tls.Certificate
}

func newPKI(t *testing.T) pki {
	t.Helper()
	dir := t.TempDir()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Poort test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, cn string, usage x509.ExtKeyUsage) ([]byte, *ecdsa.PrivateKey) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, key
	}
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := pki{pool: x509.NewCertPool()}
	p.pool.AddCert(ca)
	p.caFile = write("ca.pem", "CERTIFICATE", caDER)
	clientDER, clientKey := issue(2, "poort-test-client", x509.ExtKeyUsageClientAuth)
	p.certFile = write("client.pem", "CERTIFICATE", clientDER)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(clientKey)
	p.keyFile = write("client-key.pem", "PRIVATE KEY", keyDER)
	serverDER, serverKey := issue(3, "broker.test", x509.ExtKeyUsageServerAuth)
	p.server = tls.Certificate{Certificate: [][]byte{serverDER}, PrivateKey: serverKey}
	return p
}

// TestMutualTLS runs the broker as a TLS server that requires a client
// certificate signed by its CA, as Digikoppeling does.
func TestMutualTLS(t *testing.T) {
	p := newPKI(t)
	var clients []string
	srv := httptest.NewUnstartedServer(http.StripPrefix(basePath, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		clients = append(clients, r.TLS.PeerCertificates[0].Subject.CommonName)
		serveFile(t, w, 200, "ikv-nietsgevonden.xml")
	})))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{p.server}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: p.pool}
	srv.StartTLS()
	defer srv.Close()

	open := func(t *testing.T, cfg connectors.TLSConfig) *Client {
		t.Helper()
		c, err := New(connectors.Config{BaseURL: srv.URL + basePath, TLS: cfg, MaxRetries: -1, Timeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	t.Run("certificate, key and CA", func(t *testing.T) {
		c := open(t, connectors.TLSConfig{CertFile: p.certFile, KeyFile: p.keyFile, CAFile: p.caFile})
		if _, err := c.Employments(context.Background(), []string{known}); err != nil {
			t.Fatal(err)
		}
		if len(clients) != 1 || clients[0] != "poort-test-client" {
			t.Fatalf("the broker saw clients %v", clients)
		}
	})
	t.Run("no client certificate", func(t *testing.T) {
		c := open(t, connectors.TLSConfig{CAFile: p.caFile})
		_, err := c.Employments(context.Background(), []string{known})
		assertKind(t, err, connectors.ErrUnavailable, inkomsten.operation)
	})
	t.Run("broker not signed by the CA", func(t *testing.T) {
		c := open(t, connectors.TLSConfig{CertFile: p.certFile, KeyFile: p.keyFile})
		_, err := c.Employments(context.Background(), []string{known})
		assertKind(t, err, connectors.ErrUnavailable, inkomsten.operation)
		if !strings.Contains(err.Error(), "certificate") {
			t.Errorf("error %v does not say the certificate failed", err)
		}
	})
	if len(clients) != 1 {
		t.Errorf("%d requests got through, want only the one with a client certificate", len(clients))
	}
}

func TestTLSConfigurationErrors(t *testing.T) {
	p := newPKI(t)
	notPEM := filepath.Join(t.TempDir(), "ca.txt")
	_ = os.WriteFile(notPEM, []byte("no certificate here"), 0o600)
	tests := map[string]connectors.Config{
		"certificate without key": {BaseURL: "https://broker.test/suwibroker/soap", TLS: connectors.TLSConfig{CertFile: p.certFile}},
		"key without certificate": {BaseURL: "https://broker.test/suwibroker/soap", TLS: connectors.TLSConfig{KeyFile: p.keyFile}},
		"missing file":            {BaseURL: "https://broker.test/suwibroker/soap", TLS: connectors.TLSConfig{CAFile: p.caFile + ".gone"}},
		"CA without a PEM":        {BaseURL: "https://broker.test/suwibroker/soap", TLS: connectors.TLSConfig{CAFile: notPEM}},
		"key of another cert":     {BaseURL: "https://broker.test/suwibroker/soap", TLS: connectors.TLSConfig{CertFile: p.caFile, KeyFile: p.keyFile}},
		"plain HTTP":              {BaseURL: "http://broker.test/suwibroker/soap", TLS: connectors.TLSConfig{CAFile: p.caFile}},
		"TLS and a transport":     {BaseURL: "https://broker.test/suwibroker/soap", TLS: connectors.TLSConfig{CAFile: p.caFile}, Transport: http.DefaultTransport},
	}
	for name, cfg := range tests {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
