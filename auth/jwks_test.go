package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// jwksServer serves a key set that the test can change, and counts
// fetches.
type jwksServer struct {
	mu      sync.Mutex
	keys    []jose.JSONWebKey
	status  int
	fetches atomic.Int32
	*httptest.Server
}

func newJWKSServer(t *testing.T, keys ...testKey) *jwksServer {
	s := &jwksServer{status: http.StatusOK}
	s.set(keys...)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fetches.Add(1)
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.status != http.StatusOK {
			w.WriteHeader(s.status)
			return
		}
		// An encryption key and a symmetric key ride along, as in real key
		// sets; neither may be used to verify.
		raw := []any{
			map[string]any{"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"},
			map[string]any{"kty": "RSA", "use": "enc", "kid": "enc", "n": "AQAB", "e": "AQAB"},
		}
		for _, k := range s.keys {
			raw = append(raw, k)
		}
		json.NewEncoder(w).Encode(map[string]any{"keys": raw})
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) set(keys ...testKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = nil
	for _, k := range keys {
		s.keys = append(s.keys, k.public())
	}
}

func (s *jwksServer) fail(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = status
}

func jwksVerifier(t *testing.T, url string, now func() time.Time) *Verifier {
	t.Helper()
	cfg := testConfig()
	cfg.JWKSURL = url
	v, err := NewVerifier(cfg, WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestJWKSFetchedOnceAndCached(t *testing.T) {
	k := newECKey(t, "k1")
	srv := newJWKSServer(t, k)
	v := jwksVerifier(t, srv.URL, clock)
	if srv.fetches.Load() != 0 {
		t.Fatal("the key set was fetched before any token arrived")
	}
	tok := sign(t, k, goodClaims())
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := v.Verify(context.Background(), tok); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := srv.fetches.Load(); n != 1 {
		t.Errorf("%d fetches for 20 concurrent tokens, want 1", n)
	}
}

func TestJWKSRefreshOnUnknownKIDIsRateLimited(t *testing.T) {
	k1, k2 := newECKey(t, "k1"), newECKey(t, "k2")
	srv := newJWKSServer(t, k1)
	now := testNow
	var mu sync.Mutex
	clk := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	v := jwksVerifier(t, srv.URL, clk)
	ctx := context.Background()
	if _, err := v.Verify(ctx, sign(t, k1, goodClaims())); err != nil {
		t.Fatal(err)
	}
	// The provider rotates to k2; a token with k2 arrives at once.
	srv.set(k1, k2)
	c := goodClaims()
	c["exp"] = testNow.Add(24 * time.Hour).Unix()
	tok2 := sign(t, k2, c)
	if _, err := v.Verify(ctx, tok2); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("within the refresh interval: err = %v, want ErrUnknownKey", err)
	}
	for range 50 { // made-up kids must not make the hub hammer the provider
		v.Verify(ctx, sign(t, newECKey(t, "bogus"), goodClaims()))
	}
	if n := srv.fetches.Load(); n != 1 {
		t.Fatalf("%d fetches within the refresh interval, want 1", n)
	}
	advance(61 * time.Second)
	if _, err := v.Verify(ctx, tok2); err != nil {
		t.Fatalf("after the refresh interval the new key should be fetched: %v", err)
	}
	if n := srv.fetches.Load(); n != 2 {
		t.Errorf("%d fetches, want 2", n)
	}
}

func TestJWKSStaleKeysServeWhenProviderFails(t *testing.T) {
	k := newECKey(t, "k1")
	srv := newJWKSServer(t, k)
	now := testNow
	v := jwksVerifier(t, srv.URL, func() time.Time { return now })
	c := goodClaims()
	c["exp"] = testNow.Add(48 * time.Hour).Unix()
	tok := sign(t, k, c)
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	srv.fail(http.StatusBadGateway)
	now = now.Add(2 * time.Hour) // past the maximum age
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("with the provider down the cached key should still verify: %v", err)
	}
	if n := srv.fetches.Load(); n != 2 {
		t.Errorf("%d fetches, want 2 (the stale set is fetched again)", n)
	}
}

func TestJWKSUnavailable(t *testing.T) {
	srv := newJWKSServer(t)
	srv.fail(http.StatusInternalServerError)
	v := jwksVerifier(t, srv.URL, clock)
	_, err := v.Verify(context.Background(), sign(t, newECKey(t, "k1"), goodClaims()))
	if !errors.Is(err, ErrKeysUnavailable) {
		t.Fatalf("err = %v, want ErrKeysUnavailable", err)
	}
}

func TestJWKSTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	cfg := testConfig()
	cfg.JWKSURL = srv.URL
	cfg.JWKSTimeout = 50 * time.Millisecond
	v, err := NewVerifier(cfg, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.Verify(context.Background(), sign(t, newECKey(t, "k1"), goodClaims()))
	if !errors.Is(err, ErrKeysUnavailable) {
		t.Fatalf("err = %v, want ErrKeysUnavailable after the fetch timed out", err)
	}
}
