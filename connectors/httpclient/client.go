// Package httpclient is the one HTTP client every connector uses: deadlines
// per call derived from the caller's context, retries with backoff and jitter
// that honour Retry-After and happen only for calls that change nothing,
// typed errors, bounded response sizes, and hooks for observation and for
// guards such as circuit breakers.
package httpclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/internal/telemetry"
)

// Defaults for Options left zero.
const (
	DefaultTimeout    = 5 * time.Second
	DefaultMaxRetries = 2
	retryWaitMin      = 50 * time.Millisecond
	retryWaitMax      = time.Second
)

// maxBody bounds a response body; larger bodies are an invalid response.
const maxBody = 16 << 20

// Options configure a Client.
type Options struct {
	connectors.Config
	// Registry is the registry the client speaks to.
	Registry connectors.Registry
}

// Client calls one registry.
type Client struct {
	registry   connectors.Registry
	base       *url.URL
	authHeader string
	authValue  string
	timeout    time.Duration
	observer   connectors.Observer
	guard      connectors.Guard
	http       *http.Client
	retry      *retryablehttp.Client
}

// New builds a client. It does not touch the network.
func New(o Options) (*Client, error) {
	if o.Registry == "" {
		return nil, errors.New("httpclient: no registry")
	}
	base, err := url.Parse(o.BaseURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("httpclient: %s base URL %q is not an absolute URL", o.Registry, o.BaseURL)
	}
	if base.Scheme != "http" && base.Scheme != "https" {
		return nil, fmt.Errorf("httpclient: %s base URL scheme %q is not http or https", o.Registry, base.Scheme)
	}
	// A trailing slash lets relative paths resolve below the base path.
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	c := &Client{
		registry:   o.Registry,
		base:       base,
		authHeader: o.AuthHeader,
		authValue:  o.AuthValue,
		timeout:    o.Timeout,
		observer:   o.Observer,
		guard:      o.Guard,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	transport := o.Transport
	switch {
	case transport != nil && !o.TLS.IsZero():
		return nil, fmt.Errorf("httpclient: %s: give TLS files or a transport, not both", o.Registry)
	case !o.TLS.IsZero() && base.Scheme != "https":
		return nil, fmt.Errorf("httpclient: %s: TLS files are configured but the base URL %q is not https", o.Registry, o.BaseURL)
	case transport == nil:
		t := http.DefaultTransport.(*http.Transport).Clone()
		// Many concurrent requests go to few hosts; keep their connections.
		t.MaxIdleConns = 512
		t.MaxIdleConnsPerHost = 256
		t.IdleConnTimeout = 90 * time.Second
		if !o.TLS.IsZero() {
			if t.TLSClientConfig, err = tlsConfig(o.TLS); err != nil {
				return nil, fmt.Errorf("httpclient: %s: %w", o.Registry, err)
			}
		}
		transport = t
	}
	c.http = &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		// Registries do not redirect API calls; following one could leak
		// the credentials header to another host.
		return http.ErrUseLastResponse
	}}
	retries := o.MaxRetries
	switch {
	case retries == 0:
		retries = DefaultMaxRetries
	case retries < 0:
		retries = 0
	}
	c.retry = &retryablehttp.Client{
		HTTPClient:     c.http,
		Logger:         nil, // URLs may carry identifiers; the hub logs calls itself
		RetryWaitMin:   retryWaitMin,
		RetryWaitMax:   retryWaitMax,
		RetryMax:       retries,
		CheckRetry:     checkRetry,
		Backoff:        backoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: countAttempt,
	}
	return c, nil
}

// tlsConfig loads the client certificate and the CA from PEM files. It
// reads files only; the constructor still touches no network.
func tlsConfig(t connectors.TLSConfig) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	switch {
	case (t.CertFile == "") != (t.KeyFile == ""):
		return nil, errors.New("TLS: a client certificate needs both a certificate file and a key file")
	case t.CertFile != "":
		pair, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("TLS client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("TLS CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("TLS CA: %s holds no PEM certificate", t.CAFile)
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

// Registry returns the registry the client speaks to.
func (c *Client) Registry() connectors.Registry { return c.registry }

// Close releases idle connections.
func (c *Client) Close() error {
	c.http.CloseIdleConnections()
	return nil
}

// Request is one call to the registry.
type Request struct {
	// Operation names the API operation for errors and observation.
	Operation string
	Method    string
	// Path is relative to the base URL, without a leading slash.
	Path  string
	Query url.Values
	// Body, when not nil, is sent as JSON.
	Body any
	// Payload, when not nil, is sent as it is with ContentType, in place
	// of Body, for a registry that does not speak JSON (SOAP).
	Payload     []byte
	ContentType string
	// Decode, when set, decodes a successful answer into out in place of
	// JSON; an error it returns makes the answer invalid.
	Decode func(body []byte, out any) error
	// Fault, when set, reads a failed answer (any status but 2xx) in the
	// registry's own error format, such as a SOAP fault. A nil Failure
	// leaves the status to decide.
	Fault func(status int, body []byte) *Failure
	// Retryable, when set, says which failed statuses of an idempotent call
	// may pass when sent again; the default is 429 and 5xx but 501. A
	// registry that answers a deliberate refusal with a 5xx (a SOAP 1.1
	// fault is a 500) leaves that status out.
	Retryable func(status int) bool
	// Idempotent allows retries. GET is always idempotent; a POST that is
	// a query (such as BRP's) says so here. A call that changes something
	// is never retried.
	Idempotent bool
	// Accept lists the media types the registry may answer with; the
	// default is application/json.
	Accept []string
	Header http.Header
}

// Failure is what a registry's own error body says of a failed call.
type Failure struct {
	// Kind is one of the connectors.Err* sentinels.
	Kind error
	// Detail and Codes are as in connectors.Error.
	Detail string
	Codes  []string
}

type ctxKey int

const (
	idempotentKey ctxKey = iota
	attemptsKey
	retryableKey
)

// Do performs the request and decodes a successful JSON answer into out
// (unless out is nil). Every failure is a *connectors.Error.
//
// The call is a client span below the span of ctx ("BRP
// RaadpleegMetBurgerservicenummer"), and the registry receives its W3C
// trace context (traceparent, tracestate). The span names the registry,
// the operation, the status and the kind of failure, never a URL: paths
// and queries carry identifiers.
func (c *Client) Do(ctx context.Context, r Request, out any) (err error) {
	start := time.Now()
	var attempts atomic.Int32
	ctx, span := telemetry.TracerFrom(ctx).Start(ctx, string(c.registry)+" "+r.Operation,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(
			attribute.String("poort.registry", string(c.registry)), attribute.String("poort.registry.operation", r.Operation),
			attribute.String("http.request.method", r.Method), attribute.String("server.address", c.base.Hostname())))
	defer func() {
		span.SetAttributes(attribute.Int("poort.registry.attempts", int(attempts.Load())))
		var ce *connectors.Error
		if errors.As(err, &ce) {
			if ce.Status != 0 {
				span.SetAttributes(attribute.Int("http.response.status_code", ce.Status))
			}
			span.SetAttributes(attribute.String("error.type", connectors.KindOf(ce)))
			span.SetStatus(codes.Error, connectors.KindOf(ce))
		}
		span.End()
	}()
	call := func(ctx context.Context) error { return c.do(ctx, r, out, &attempts) }
	if c.guard != nil {
		err = c.guard.Do(ctx, c.registry, call)
	} else {
		err = call(ctx)
	}
	if err != nil {
		var ce *connectors.Error
		if !errors.As(err, &ce) {
			err = c.fail(r, connectors.ErrUnavailable, 0, "", err)
		}
	}
	if c.observer != nil {
		c.observer.ObserveCall(ctx, connectors.Call{
			Registry: c.registry, Operation: r.Operation, Duration: time.Since(start),
			Attempts: int(attempts.Load()), Err: err,
		})
	}
	return err
}

func (c *Client) do(ctx context.Context, r Request, out any, attempts *atomic.Int32) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	idempotent := r.Idempotent || r.Method == http.MethodGet || r.Method == http.MethodHead
	ctx = context.WithValue(ctx, idempotentKey, idempotent)
	ctx = context.WithValue(ctx, attemptsKey, attempts)
	if r.Retryable != nil {
		ctx = context.WithValue(ctx, retryableKey, r.Retryable)
	}

	u, err := c.base.Parse(strings.TrimPrefix(r.Path, "/"))
	if err != nil {
		return c.fail(r, connectors.ErrInvalidRequest, 0, "bad path", err)
	}
	if len(r.Query) > 0 {
		u.RawQuery = r.Query.Encode()
	}
	var body any
	contentType := r.ContentType
	switch {
	case r.Payload != nil:
		body = r.Payload
	case r.Body != nil:
		b, err := json.Marshal(r.Body)
		if err != nil {
			return c.fail(r, connectors.ErrInvalidRequest, 0, "encode body", err)
		}
		body, contentType = b, "application/json; charset=utf-8"
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.Method, u.String(), body)
	if err != nil {
		return c.fail(r, connectors.ErrInvalidRequest, 0, "build request", err)
	}
	accept := r.Accept
	if len(accept) == 0 {
		accept = []string{"application/json"}
	}
	req.Header.Set("Accept", strings.Join(accept, ", "))
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if c.authHeader != "" {
		req.Header.Set(c.authHeader, c.authValue)
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	propagation.TraceContext{}.Inject(ctx, propagation.HeaderCarrier(req.Header))

	resp, err := c.retry.Do(req)
	if err != nil {
		return c.transportError(ctx, r, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		if ctx.Err() != nil {
			return c.fail(r, connectors.ErrTimeout, resp.StatusCode, "reading the body", ctx.Err())
		}
		return c.fail(r, connectors.ErrInvalidResponse, resp.StatusCode, "truncated body", err)
	}
	if len(data) > maxBody {
		return c.fail(r, connectors.ErrInvalidResponse, resp.StatusCode, fmt.Sprintf("body larger than %d bytes", maxBody), nil)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.statusError(r, resp, data)
	}
	if out == nil {
		return nil
	}
	if !acceptable(resp.Header.Get("Content-Type"), accept) {
		return c.fail(r, connectors.ErrInvalidResponse, resp.StatusCode,
			fmt.Sprintf("content type %q, want %s", resp.Header.Get("Content-Type"), strings.Join(accept, " or ")), nil)
	}
	if r.Decode != nil {
		if err := r.Decode(data, out); err != nil {
			return c.fail(r, connectors.ErrInvalidResponse, resp.StatusCode, "the answer does not follow the API", err)
		}
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return c.fail(r, connectors.ErrInvalidResponse, resp.StatusCode, "malformed JSON", err)
	}
	return nil
}

func (c *Client) fail(r Request, kind error, status int, detail string, err error) *connectors.Error {
	return &connectors.Error{Registry: c.registry, Operation: r.Operation, Kind: kind, Status: status, Detail: detail, Err: err}
}

func (c *Client) transportError(ctx context.Context, r Request, err error) error {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded:
		return c.fail(r, connectors.ErrTimeout, 0, "no answer within the deadline", nil)
	case errors.Is(err, context.Canceled):
		return c.fail(r, connectors.ErrTimeout, 0, "the request was cancelled", nil)
	case errors.As(err, &ne) && ne.Timeout():
		return c.fail(r, connectors.ErrTimeout, 0, "no answer within the deadline", nil)
	default:
		return c.fail(r, connectors.ErrUnavailable, 0, "connection failed", err)
	}
}

// statusError maps an HTTP status and the registry's error body to a typed
// error. The body is one of the registries' error shapes: problem+json with
// title/detail/code and invalidParams or invalid-params (BRP, BAG), or KvK's
// {"fout":[{"code","omschrijving"}]}.
func (c *Client) statusError(r Request, resp *http.Response, data []byte) error {
	e := c.fail(r, nil, resp.StatusCode, "", nil)
	if d, ok := retryAfter(resp); ok {
		e.RetryAfter = d
	}
	if r.Fault != nil {
		if f := r.Fault(resp.StatusCode, data); f != nil {
			e.Kind, e.Detail, e.Codes = f.Kind, f.Detail, f.Codes
			return e
		}
	}
	e.Detail, e.Codes = upstreamDetail(data)
	switch s := resp.StatusCode; {
	case s == http.StatusNotFound:
		e.Kind = connectors.ErrNotFound
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		e.Kind = connectors.ErrUnauthorized
	case s == http.StatusTooManyRequests:
		e.Kind = connectors.ErrUnavailable
	case s == http.StatusGatewayTimeout:
		e.Kind = connectors.ErrTimeout
	case s >= 500:
		e.Kind = connectors.ErrUnavailable
	case s >= 400:
		e.Kind = connectors.ErrInvalidRequest
	default: // 1xx and 3xx: not an API answer
		e.Kind = connectors.ErrInvalidResponse
	}
	return e
}

// upstreamDetail renders the error body for Detail and returns the
// registry's own error codes.
func upstreamDetail(data []byte) (detail string, codes []string) {
	var body struct {
		Title         string `json:"title"`
		Code          string `json:"code"`
		InvalidParams []struct {
			Name string `json:"name"`
			Code string `json:"code"`
		} `json:"invalidParams"`
		InvalidParamsKebab []struct {
			Name string `json:"name"`
			Code string `json:"code"`
		} `json:"invalid-params"`
		Fout []struct {
			Code         string `json:"code"`
			Omschrijving string `json:"omschrijving"`
		} `json:"fout"`
	}
	if json.Unmarshal(data, &body) != nil {
		return "", nil
	}
	var parts []string
	if body.Code != "" {
		parts = append(parts, body.Code)
		codes = append(codes, body.Code)
	}
	if body.Title != "" {
		parts = append(parts, body.Title)
	}
	for _, p := range append(body.InvalidParams, body.InvalidParamsKebab...) {
		parts = append(parts, fmt.Sprintf("%s: %s", p.Name, p.Code))
	}
	for _, f := range body.Fout {
		parts = append(parts, f.Code+" "+f.Omschrijving)
		if f.Code != "" {
			codes = append(codes, f.Code)
		}
	}
	detail = strings.Join(parts, "; ")
	if len(detail) > 300 {
		detail = detail[:300]
	}
	return detail, codes
}

func acceptable(contentType string, accept []string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	for _, a := range accept {
		if strings.EqualFold(mt, a) {
			return true
		}
	}
	return false
}

func countAttempt(_ retryablehttp.Logger, req *http.Request, _ int) {
	if n, ok := req.Context().Value(attemptsKey).(*atomic.Int32); ok {
		n.Add(1)
	}
}

// checkRetry retries only idempotent calls, only for failures that may pass
// (connection errors, 429, 5xx but 501), and never when the registry asks us
// to wait longer than the deadline leaves.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if idem, _ := ctx.Value(idempotentKey).(bool); !idem {
		return false, nil
	}
	retry, checkErr := retryablehttp.ErrorPropagatedRetryPolicy(ctx, resp, err)
	if !retry || resp == nil {
		return retry, checkErr
	}
	if ok, set := ctx.Value(retryableKey).(func(int) bool); set && !ok(resp.StatusCode) {
		return false, nil
	}
	if d, ok := retryAfter(resp); ok {
		if deadline, has := ctx.Deadline(); has && time.Until(deadline) < d {
			return false, nil
		}
	}
	return retry, nil
}

// backoff waits what Retry-After asks, or else an exponential step with full
// jitter, so that many hubs retrying do not hit a registry in step.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp); ok {
			return d
		}
	}
	ceiling := minWait << min(attempt, 16)
	if ceiling <= 0 || ceiling > maxWait {
		ceiling = maxWait
	}
	return minWait + rand.N(ceiling-minWait+1)
}

// retryAfter reads Retry-After in seconds or as an HTTP date.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}
