package partners_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/partners"
)

func post(t *testing.T, url, key, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	req.Header.Set("traceparent", "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestNotifications(t *testing.T) {
	s := partners.New()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	svb := ts.URL + "/partners/svb/notifications"

	code, body := post(t, svb, "k1", `{"messageId":"m1","notification":{"type":"handover"}}`)
	if code != http.StatusAccepted || !strings.Contains(body, `"duplicate":false`) {
		t.Fatalf("first delivery: %d %s", code, body)
	}
	// A redelivery is accepted and recognised, not recorded twice.
	code, body = post(t, svb, "k1", `{"messageId":"m1","notification":{"type":"handover"}}`)
	if code != http.StatusAccepted || !strings.Contains(body, `"duplicate":true`) {
		t.Fatalf("redelivery: %d %s", code, body)
	}
	post(t, svb, "k2", `{"messageId":"m2"}`)
	post(t, ts.URL+"/partners/uwv/notifications", "k1", `{"messageId":"m3"}`)

	got := s.Received("svb")
	if len(got) != 2 || got[0].IdempotencyKey != "k1" || got[0].Deliveries != 2 || got[1].Deliveries != 1 ||
		got[0].Traceparent == "" || got[0].PartnerID != "svb" {
		t.Fatalf("svb received %+v", got)
	}
	var env struct {
		MessageID string `json:"messageId"`
	}
	if err := got[0].Decode(&env); err != nil || env.MessageID != "m1" {
		t.Errorf("decode: %+v, %v", env, err)
	}
	if n := s.Deliveries("svb"); n != 3 {
		t.Errorf("svb deliveries %d, want 3", n)
	}
	if p := s.Partners(); len(p) != 2 || p[0] != "svb" || p[1] != "uwv" {
		t.Errorf("partners %v", p)
	}

	// GET lists what the partner received.
	resp, err := http.Get(svb)
	if err != nil {
		t.Fatal(err)
	}
	var listed []partners.Notification
	json.NewDecoder(resp.Body).Decode(&listed)
	resp.Body.Close()
	if len(listed) != 2 {
		t.Errorf("GET listed %d notifications", len(listed))
	}

	s.Reset()
	if len(s.Received("svb")) != 0 || s.Deliveries("uwv") != 0 {
		t.Error("Reset kept notifications")
	}
}

func TestRefusals(t *testing.T) {
	ts := httptest.NewServer(partners.New().Handler())
	defer ts.Close()
	tests := []struct {
		name, path, key, body string
		want                  int
	}{
		{"no idempotency key", "/partners/svb/notifications", "", `{}`, http.StatusBadRequest},
		{"not JSON", "/partners/svb/notifications", "k", `{not json`, http.StatusBadRequest},
		{"not a partner id", "/partners/SVB!/notifications", "k", `{}`, http.StatusNotFound},
		{"no such resource", "/partners/svb/letters", "k", `{}`, http.StatusNotFound},
		{"outside /partners", "/notifications", "k", `{}`, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, body := post(t, ts.URL+tt.path, tt.key, tt.body); code != tt.want {
				t.Errorf("got %d %s, want %d", code, body, tt.want)
			}
		})
	}
	req, _ := http.NewRequest(http.MethodDelete, ts.URL+"/partners/svb/notifications", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, POST" {
		t.Errorf("DELETE: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

func TestFaults(t *testing.T) {
	s := partners.New()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	// One partner faulted through its admin endpoint; the others answer.
	req, _ := http.NewRequest(http.MethodPut, ts.URL+"/partners/svb"+fault.AdminPath, strings.NewReader(`{"status":503}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || s.PartnerFaults("svb").Get().Status != 503 {
		t.Fatalf("PUT partner faults: %d, %+v", resp.StatusCode, s.PartnerFaults("svb").Get())
	}
	if code, _ := post(t, ts.URL+"/partners/svb/notifications", "k", `{}`); code != http.StatusServiceUnavailable {
		t.Errorf("faulted partner answered %d", code)
	}
	if code, _ := post(t, ts.URL+"/partners/uwv/notifications", "k", `{}`); code != http.StatusAccepted {
		t.Errorf("other partner answered %d", code)
	}
	if len(s.Received("svb")) != 0 || len(s.Received("uwv")) != 1 {
		t.Errorf("received svb %d, uwv %d", len(s.Received("svb")), len(s.Received("uwv")))
	}

	// The server-wide faults hit every partner.
	s.PartnerFaults("svb").Set(fault.Config{})
	req, _ = http.NewRequest(http.MethodPut, ts.URL+fault.AdminPath, strings.NewReader(`{"status":500}`))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, p := range []string{"svb", "uwv"} {
		if code, _ := post(t, ts.URL+"/partners/"+p+"/notifications", "k9", `{}`); code != http.StatusInternalServerError {
			t.Errorf("%s answered %d under a server-wide fault", p, code)
		}
	}
}

func TestStart(t *testing.T) {
	r, err := partners.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if code, _ := post(t, r.URL+"/partners/kvk/notifications", "k", `{}`); code != http.StatusAccepted {
		t.Fatalf("answered %d", code)
	}
	if len(r.Received("kvk")) != 1 {
		t.Error("notification not recorded")
	}
}
