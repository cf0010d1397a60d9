// Package fault injects failures into a mock registry: latency with jitter,
// error statuses (429 with Retry-After, 500, 503), hanging past any deadline,
// malformed or truncated bodies, a wrong content type and dropped
// connections. Faults are set by configuration at start and changed at run
// time through an admin endpoint, so tests and load runs can break a registry
// while the hub is serving.
package fault

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Config describes the faults of one registry. The zero value injects none.
type Config struct {
	// LatencyMs delays every answer; JitterMs adds a uniform random
	// 0..JitterMs on top.
	LatencyMs int `json:"latencyMs,omitempty"`
	JitterMs  int `json:"jitterMs,omitempty"`
	// Status, when set, answers with this status instead of the API's
	// answer: 429, 500, 502, 503 or 504.
	Status int `json:"status,omitempty"`
	// RetryAfterSeconds adds a Retry-After header to Status answers.
	RetryAfterSeconds int `json:"retryAfterSeconds,omitempty"`
	// Hang never answers; the request ends when the client gives up.
	Hang bool `json:"hang,omitempty"`
	// Malformed answers with a body that is not JSON.
	Malformed bool `json:"malformed,omitempty"`
	// Truncated sends half of the body and closes the connection.
	Truncated bool `json:"truncated,omitempty"`
	// WrongContentType answers the API's body as text/html.
	WrongContentType bool `json:"wrongContentType,omitempty"`
	// Drop closes the connection without an answer.
	Drop bool `json:"drop,omitempty"`
	// Probability is the share of requests that get the fault (not the
	// latency), from 0 to 1; 0 means every request.
	Probability float64 `json:"probability,omitempty"`
}

// Validate checks the configuration.
func (c Config) Validate() error {
	switch {
	case c.LatencyMs < 0 || c.JitterMs < 0:
		return fmt.Errorf("latencyMs and jitterMs must not be negative")
	case c.LatencyMs > 600_000 || c.JitterMs > 600_000:
		return fmt.Errorf("latencyMs and jitterMs must be at most 600000")
	case c.Status != 0 && c.Status != 429 && (c.Status < 500 || c.Status > 504):
		return fmt.Errorf("status %d: use 429 or 500 to 504", c.Status)
	case c.RetryAfterSeconds < 0:
		return fmt.Errorf("retryAfterSeconds must not be negative")
	case c.Probability < 0 || c.Probability > 1:
		return fmt.Errorf("probability must be between 0 and 1")
	}
	return nil
}

func (c Config) faulty() bool {
	return c.Status != 0 || c.Hang || c.Malformed || c.Truncated || c.WrongContentType || c.Drop
}

// Injector wraps a registry handler with the configured faults.
type Injector struct {
	cfg atomic.Pointer[Config]
}

// New returns an injector with the initial configuration.
func New(initial Config) (*Injector, error) {
	if err := initial.Validate(); err != nil {
		return nil, err
	}
	in := &Injector{}
	in.cfg.Store(&initial)
	return in, nil
}

// Set replaces the configuration.
func (in *Injector) Set(c Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	in.cfg.Store(&c)
	return nil
}

// Get returns the current configuration.
func (in *Injector) Get() Config { return *in.cfg.Load() }

// AdminPath is where each mock serves its fault configuration: GET shows
// it, PUT replaces it with a JSON Config, DELETE clears it.
const AdminPath = "/_admin/faults"

// Wrap returns a handler that serves the admin endpoint and injects the
// faults into every other request.
func (in *Injector) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == AdminPath {
			in.admin(w, r)
			return
		}
		c := in.Get()
		if d := time.Duration(c.LatencyMs) * time.Millisecond; d > 0 || c.JitterMs > 0 {
			if c.JitterMs > 0 {
				d += time.Duration(rand.IntN(c.JitterMs+1)) * time.Millisecond
			}
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if !c.faulty() || (c.Probability > 0 && rand.Float64() >= c.Probability) {
			next.ServeHTTP(w, r)
			return
		}
		switch {
		case c.Hang:
			// The server notices a client hanging up only once the request
			// body has been read.
			io.Copy(io.Discard, r.Body)
			<-r.Context().Done()
		case c.Drop:
			drop(w)
		case c.Status != 0:
			if c.RetryAfterSeconds > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(c.RetryAfterSeconds))
			}
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(c.Status)
			fmt.Fprintf(w, `{"type":"about:blank","title":%q,"status":%d,"detail":"injected fault"}`, http.StatusText(c.Status), c.Status)
		default:
			rec := &recorder{header: http.Header{}, status: http.StatusOK}
			next.ServeHTTP(rec, r)
			corrupt(w, rec, c)
		}
	})
}

func (in *Injector) admin(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodDelete:
		in.cfg.Store(&Config{})
	case http.MethodPut, http.MethodPost:
		var c Config
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			http.Error(w, "fault configuration: "+err.Error(), http.StatusBadRequest)
			return
		}
		if err := in.Set(c); err != nil {
			http.Error(w, "fault configuration: "+err.Error(), http.StatusBadRequest)
			return
		}
	default:
		w.Header().Set("Allow", "GET, PUT, DELETE")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(in.Get())
}

// recorder captures the registry's answer so it can be corrupted.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(s int)           { r.status = s }

func corrupt(w http.ResponseWriter, rec *recorder, c Config) {
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	body := rec.body.Bytes()
	switch {
	case c.Malformed:
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.status)
		w.Write([]byte(`{"injected": malformed, [`))
	case c.Truncated:
		// Announce the whole body, send half, then cut the connection.
		w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
		w.WriteHeader(rec.status)
		w.Write(body[:len(body)/2])
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		drop(w)
	case c.WrongContentType:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(rec.status)
		w.Write(body)
	}
}

// drop closes the client's connection without a proper answer.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
