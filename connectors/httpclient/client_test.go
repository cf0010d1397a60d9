package httpclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
)

type recorder struct {
	mu    sync.Mutex
	calls []connectors.Call
}

func (r *recorder) ObserveCall(_ context.Context, c connectors.Call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
}

func setup(t *testing.T, h http.HandlerFunc, cfg connectors.Config) (*Client, *recorder) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	rec := &recorder{}
	cfg.BaseURL = srv.URL + "/api/v1"
	cfg.Observer = rec
	c, err := New(Options{Config: cfg, Registry: "BAG"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, rec
}

func TestDo(t *testing.T) {
	type answer struct {
		Name string `json:"name"`
	}
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		req      Request
		timeout  time.Duration
		wantKind error
		wantHits int32
	}{
		{
			name: "success",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/hal+json")
				w.Write([]byte(`{"name":"Dam"}`))
			},
			req:      Request{Method: "GET", Path: "adressen/1", Accept: []string{"application/hal+json"}},
			wantHits: 1,
		},
		{
			name: "not found",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/problem+json")
				w.WriteHeader(404)
				w.Write([]byte(`{"status":404,"title":"Opgevraagde resource bestaat niet.","code":"notFound"}`))
			},
			req: Request{Method: "GET", Path: "x"}, wantKind: connectors.ErrNotFound, wantHits: 1,
		},
		{
			name: "bad request is not retried",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(400)
				w.Write([]byte(`{"invalidParams":[{"name":"burgerservicenummer[0]","code":"pattern"}]}`))
			},
			req: Request{Method: "GET", Path: "x"}, wantKind: connectors.ErrInvalidRequest, wantHits: 1,
		},
		{
			name: "503 is retried for a query",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(503)
			},
			req:      Request{Method: "POST", Path: "personen", Body: map[string]int{"a": 1}, Idempotent: true},
			wantKind: connectors.ErrUnavailable, wantHits: 3,
		},
		{
			name: "a mutation is never retried",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(503)
			},
			req: Request{Method: "POST", Path: "cases", Body: map[string]int{"a": 1}}, wantKind: connectors.ErrUnavailable, wantHits: 1,
		},
		{
			name: "retry-after beyond the deadline is not waited for",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "30")
				w.WriteHeader(429)
			},
			req: Request{Method: "GET", Path: "x"}, timeout: time.Second, wantKind: connectors.ErrUnavailable, wantHits: 1,
		},
		{
			name: "hang past the deadline",
			handler: func(w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
			},
			req: Request{Method: "GET", Path: "x"}, timeout: 100 * time.Millisecond, wantKind: connectors.ErrTimeout, wantHits: 1,
		},
		{
			name: "malformed JSON",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"name":`))
			},
			req: Request{Method: "GET", Path: "x"}, wantKind: connectors.ErrInvalidResponse, wantHits: 1,
		},
		{
			name: "truncated body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", "100")
				w.Write([]byte(`{"name":"D`))
			},
			req: Request{Method: "GET", Path: "x"}, wantKind: connectors.ErrInvalidResponse, wantHits: 1,
		},
		{
			name: "wrong content type",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.Write([]byte(`<html>`))
			},
			req: Request{Method: "GET", Path: "x"}, wantKind: connectors.ErrInvalidResponse, wantHits: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			c, rec := setup(t, func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				tt.handler(w, r)
			}, connectors.Config{Timeout: tt.timeout})
			var out answer
			err := c.Do(context.Background(), tt.req, &out)
			if tt.wantKind == nil {
				if err != nil || out.Name != "Dam" {
					t.Fatalf("Do = %v, out %+v", err, out)
				}
			} else {
				var ce *connectors.Error
				if !errors.Is(err, tt.wantKind) || !errors.As(err, &ce) || ce.Registry != "BAG" {
					t.Fatalf("Do error = %v, want kind %v from BAG", err, tt.wantKind)
				}
			}
			if got := hits.Load(); got != tt.wantHits {
				t.Fatalf("server hit %d times, want %d", got, tt.wantHits)
			}
			if len(rec.calls) != 1 || rec.calls[0].Attempts != int(tt.wantHits) {
				t.Fatalf("observer saw %+v, want one call of %d attempts", rec.calls, tt.wantHits)
			}
		})
	}
}

func TestRequestShape(t *testing.T) {
	c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path != "/api/v1/personen":
			t.Errorf("path %q", r.URL.Path)
		case r.Header.Get("X-API-KEY") != "secret":
			t.Errorf("credentials header missing")
		case r.Header.Get("Content-Type") != "application/json; charset=utf-8":
			t.Errorf("content type %q", r.Header.Get("Content-Type"))
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte(`{}`))
	}, connectors.Config{AuthHeader: "X-API-KEY", AuthValue: "secret"})
	if err := c.Do(context.Background(), Request{Method: "POST", Path: "/personen", Body: struct{}{}, Idempotent: true}, &struct{}{}); err != nil {
		t.Fatal(err)
	}
}

func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := New(Options{Config: connectors.Config{BaseURL: "http://" + addr, MaxRetries: -1}, Registry: "RDW"})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Do(context.Background(), Request{Method: "GET", Path: "x"}, nil)
	if !errors.Is(err, connectors.ErrUnavailable) {
		t.Fatalf("Do = %v, want unavailable", err)
	}
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	for _, u := range []string{"", "not a url", "ftp://x/y", "/relative"} {
		if _, err := New(Options{Config: connectors.Config{BaseURL: u}, Registry: "BRP"}); err == nil {
			t.Errorf("base URL %q accepted", u)
		}
	}
}

func TestBackoffHonoursRetryAfter(t *testing.T) {
	resp := &http.Response{Header: http.Header{"Retry-After": []string{"2"}}}
	if got := backoff(retryWaitMin, retryWaitMax, 0, resp); got != 2*time.Second {
		t.Fatalf("backoff = %v, want 2s", got)
	}
	for attempt := 0; attempt < 5; attempt++ {
		if got := backoff(retryWaitMin, retryWaitMax, attempt, nil); got < retryWaitMin || got > retryWaitMax {
			t.Fatalf("backoff(%d) = %v outside [%v, %v]", attempt, got, retryWaitMin, retryWaitMax)
		}
	}
}
