package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"golang.org/x/sync/singleflight"
)

// maxJWKSBytes bounds the key set read from the identity provider.
const maxJWKSBytes = 1 << 20

// remoteKeys is the identity provider's key set, fetched on first use and
// cached. It is fetched again when it is older than maxAge, or when a
// token names a kid it does not hold, but never more often than once per
// minRefresh, so tokens with made-up kids cannot make the hub hammer the
// provider. Concurrent requests share one fetch.
type remoteKeys struct {
	url        string
	client     *http.Client
	timeout    time.Duration
	minRefresh time.Duration
	maxAge     time.Duration
	now        func() time.Time

	flight singleflight.Group

	mu          sync.Mutex
	keys        []jose.JSONWebKey
	fetched     time.Time // when keys were fetched; zero before the first success
	lastAttempt time.Time
	lastErr     error
}

// lookup returns the keys that may have signed a token with the kid (all
// keys when kid is empty).
func (r *remoteKeys) lookup(ctx context.Context, kid string) ([]jose.JSONWebKey, error) {
	keys, fetched := r.snapshot()
	stale := fetched.IsZero() || r.now().Sub(fetched) >= r.maxAge
	if found := byKID(keys, kid); len(found) > 0 && !stale {
		return found, nil
	}
	r.refresh(ctx)
	keys, fetched = r.snapshot()
	if fetched.IsZero() {
		r.mu.Lock()
		err := r.lastErr
		r.mu.Unlock()
		if err == nil {
			err = errors.New("the key set has not been fetched yet")
		}
		return nil, fmt.Errorf("%w: %v", ErrKeysUnavailable, err)
	}
	if found := byKID(keys, kid); len(found) > 0 {
		return found, nil
	}
	return nil, fmt.Errorf("%w: the identity provider's key set has no key with the token's kid", ErrUnknownKey)
}

func (r *remoteKeys) snapshot() (keys []jose.JSONWebKey, fetched time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.keys, r.fetched
}

// refresh fetches the key set once for all concurrent callers, who wait
// for it; within minRefresh of the last attempt it does nothing. The fetch
// is not cancelled with the request that started it: other requests may
// be waiting for it.
func (r *remoteKeys) refresh(ctx context.Context) {
	r.flight.Do("jwks", func() (any, error) {
		r.mu.Lock()
		if !r.lastAttempt.IsZero() && r.now().Sub(r.lastAttempt) < r.minRefresh {
			r.mu.Unlock()
			return nil, nil // another caller just fetched
		}
		r.lastAttempt = r.now()
		r.mu.Unlock()
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.timeout)
		defer cancel()
		keys, err := r.fetch(fctx)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.lastErr = err
		if err == nil {
			r.keys, r.fetched = keys, r.now()
		}
		return nil, nil
	})
}

func (r *remoteKeys) fetch(ctx context.Context) ([]jose.JSONWebKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch key set: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch key set: HTTP %d", resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read key set: %w", err)
	}
	if len(b) > maxJWKSBytes {
		return nil, fmt.Errorf("key set larger than %d bytes", maxJWKSBytes)
	}
	return parseRemoteJWKS(b)
}

// parseRemoteJWKS reads a provider's key set, skipping keys the hub cannot
// or must not verify with (encryption keys, symmetric keys, weak keys), so
// one odd key does not lock everybody out.
func parseRemoteJWKS(b []byte) ([]jose.JSONWebKey, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, fmt.Errorf("key set: %w", err)
	}
	var out []jose.JSONWebKey
	for _, raw := range set.Keys {
		var k jose.JSONWebKey
		if err := json.Unmarshal(raw, &k); err != nil {
			continue
		}
		if v, err := verificationKey(k); err == nil {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("key set holds no usable signature key")
	}
	return out, nil
}

// byKID returns the keys with the kid, or every key when kid is empty. A
// key without a kid matches any kid.
func byKID(keys []jose.JSONWebKey, kid string) []jose.JSONWebKey {
	var out []jose.JSONWebKey
	for _, k := range keys {
		if kid == "" || k.KeyID == "" || k.KeyID == kid {
			out = append(out, k)
		}
	}
	return out
}
