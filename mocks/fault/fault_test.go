package fault

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func serve(t *testing.T, c Config) (*Injector, *httptest.Server) {
	t.Helper()
	in, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(in.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"personen":[{"burgerservicenummer":"999993653"}]}`))
	})))
	t.Cleanup(srv.Close)
	return in, srv
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		check func(t *testing.T, resp *http.Response, body []byte, err error)
	}{
		{"none", Config{}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != 200 || !bytes.Contains(body, []byte("999993653")) {
				t.Fatalf("clean answer broken: %v %v", err, string(body))
			}
		}},
		{"503 with retry-after", Config{Status: 503, RetryAfterSeconds: 2}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "2" {
				t.Fatalf("got %v %v", resp, err)
			}
		}},
		{"malformed", Config{Malformed: true}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != 200 || bytes.Contains(body, []byte("999993653")) {
				t.Fatalf("got %v %q", err, body)
			}
		}},
		{"truncated", Config{Truncated: true}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err == nil {
				t.Fatalf("truncated body read without error: %q", body)
			}
		}},
		{"wrong content type", Config{WrongContentType: true}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("got %v %v", resp.Header, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := serve(t, tt.cfg)
			resp, err := http.Get(srv.URL + "/personen")
			var body []byte
			if err == nil {
				body, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			tt.check(t, resp, body, err)
		})
	}
}

func TestDropAndHang(t *testing.T) {
	_, srv := serve(t, Config{Drop: true})
	if _, err := http.Get(srv.URL + "/x"); err == nil {
		t.Fatal("dropped connection answered")
	}
	_, srv = serve(t, Config{Hang: true})
	c := &http.Client{Timeout: 150 * time.Millisecond}
	if _, err := c.Get(srv.URL + "/x"); err == nil {
		t.Fatal("hanging registry answered")
	}
	// A POST with a body must not keep the server from closing.
	if _, err := c.Post(srv.URL+"/x", "application/json", strings.NewReader(`{"burgerservicenummer":["999993653"]}`)); err == nil {
		t.Fatal("hanging registry answered a POST")
	}
}

func TestAdminEndpoint(t *testing.T) {
	in, srv := serve(t, Config{})
	req, _ := http.NewRequest(http.MethodPut, srv.URL+AdminPath, strings.NewReader(`{"status":500}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("PUT: %v %v", resp, err)
	}
	if in.Get().Status != 500 {
		t.Fatal("fault not set")
	}
	if r, _ := http.Get(srv.URL + "/x"); r.StatusCode != 500 {
		t.Fatalf("fault not injected: %d", r.StatusCode)
	}
	for _, bad := range []string{`{"status":404}`, `{"probability":2}`, `{"nope":1}`, `not json`} {
		req, _ := http.NewRequest(http.MethodPut, srv.URL+AdminPath, strings.NewReader(bad))
		resp, _ := http.DefaultClient.Do(req)
		if resp.StatusCode != 400 {
			t.Errorf("PUT %s = %d, want 400", bad, resp.StatusCode)
		}
	}
	req, _ = http.NewRequest(http.MethodDelete, srv.URL+AdminPath, nil)
	http.DefaultClient.Do(req)
	if r, _ := http.Get(srv.URL + "/x"); r.StatusCode != 200 {
		t.Fatalf("fault not cleared: %d", r.StatusCode)
	}
}

func TestLatency(t *testing.T) {
	_, srv := serve(t, Config{LatencyMs: 60})
	start := time.Now()
	resp, err := http.Get(srv.URL + "/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Fatalf("answered after %v, before the injected latency", d)
	}
}
