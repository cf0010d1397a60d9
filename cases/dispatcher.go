package cases

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/internal/telemetry"
	"github.com/poort-nl/poort/store"
)

// DispatchStore is what a dispatcher needs of the store; *store.Store
// implements it. MarkDelivered moves the tasks a message stands for to
// sent itself, so the dispatcher never touches tasks.
type DispatchStore interface {
	store.Outbox
}

// DispatcherOptions configure a Dispatcher. Zero fields take the defaults.
type DispatcherOptions struct {
	// Client sends the requests. Default: a client that does not follow
	// redirects and has no timeout of its own (Timeout bounds each
	// attempt).
	Client *http.Client
	// Timeout bounds one delivery attempt, the answer's body included.
	// Default 10 s.
	Timeout time.Duration
	// Lease is how long a claimed message is held; it must be longer than
	// Timeout, so that no other dispatcher claims a message while its
	// delivery may still succeed. Default 1 minute.
	Lease time.Duration
	// PollInterval is the wait between polls when the outbox had no full
	// batch due. Default 1 s.
	PollInterval time.Duration
	// BatchSize is how many messages one poll claims. Default 16.
	BatchSize int
	// Concurrency is how many deliveries of a batch run at once.
	// Default 4.
	Concurrency int
	// MaxAttempts is the attempt after which a failing message is parked.
	// Default store.MaxAttempts.
	MaxAttempts int
	// Backoff is the wait after a failed attempt (1 for the first).
	// Default store.Backoff: exponential with equal jitter.
	Backoff func(attempt int) time.Duration
	// Now is the clock deciding which messages are due. Default time.Now.
	Now func() time.Time
	// Logger receives one line per failed attempt and parked message, with
	// ids, partner, attempt and HTTP status; never a payload. Default:
	// discard.
	Logger *slog.Logger
	// TracerProvider makes a client span per delivery attempt. Default:
	// none, but the partner still receives the message's trace context.
	TracerProvider trace.TracerProvider
}

// Dispatcher delivers outbox messages to the chain partners' endpoints:
// an HTTP POST of the Envelope as JSON with an Idempotency-Key header and a
// W3C traceparent, at least once, retried with backoff, parked after the
// last attempt. Any number of dispatchers (in one process or in several
// hub replicas on one PostgreSQL) may run at once: the store's leases hand
// each message to one of them at a time.
type Dispatcher struct {
	st     DispatchStore
	dir    Directory
	o      DispatcherOptions
	log    *slog.Logger
	tracer trace.Tracer
	wake   chan struct{}
}

// Default dispatcher settings.
const (
	DefaultDispatchTimeout = 10 * time.Second
	DefaultLease           = time.Minute
	DefaultPollInterval    = time.Second
	DefaultBatchSize       = 16
	DefaultConcurrency     = 4
)

// NewDispatcher returns a dispatcher over the store's outbox that finds
// the partners' endpoints in dir.
func NewDispatcher(st DispatchStore, dir Directory, o DispatcherOptions) (*Dispatcher, error) {
	if st == nil || dir == nil {
		return nil, errors.New("cases: dispatcher needs a store and a directory")
	}
	if o.Client == nil {
		o.Client = &http.Client{
			// A redirected POST would be repeated as a GET, whose 200 is no
			// delivery; a moved endpoint is for the directory to fix.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultDispatchTimeout
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.Lease <= o.Timeout {
		return nil, fmt.Errorf("cases: dispatcher lease %s must be longer than the delivery timeout %s", o.Lease, o.Timeout)
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = store.MaxAttempts
	}
	if o.Backoff == nil {
		o.Backoff = store.Backoff
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	log := o.Logger
	if log == nil {
		log = logging.Discard()
	}
	return &Dispatcher{st: st, dir: dir, o: o, log: log, tracer: telemetry.Tracer(o.TracerProvider), wake: make(chan struct{}, 1)}, nil
}

// Wake makes a running dispatcher poll now instead of at the end of its
// interval; for the service to call when it queued messages. It never
// blocks.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run polls and delivers until ctx is cancelled, then returns nil once the
// deliveries in flight are settled. A failing store is logged and retried
// with a growing wait; it does not stop the loop.
func (d *Dispatcher) Run(ctx context.Context) error {
	wait := time.Duration(0)
	failures := 0
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-d.wake:
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
		}
		res, err := d.DispatchOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			failures++
			wait = min(d.o.PollInterval<<min(failures, 6), 30*time.Second)
			d.log.Error("outbox poll failed", "error", err, "retry_in", wait)
		case res.Claimed == d.o.BatchSize:
			failures, wait = 0, 0 // more may be due
		default:
			failures, wait = 0, d.o.PollInterval
		}
		timer.Reset(wait)
	}
}

// DispatchResult counts what one DispatchOnce did.
type DispatchResult struct {
	Claimed   int // messages claimed
	Delivered int // accepted by the partner and marked delivered
	Retrying  int // failed; will be tried again after the backoff
	Parked    int // failed for the last time, or refused for good; parked
	Lost      int // settled by another claim meanwhile (lease lost)
}

// DispatchOnce claims one batch of due messages and delivers them, at most
// Concurrency at a time, and settles each. It returns once all are
// settled; an error means the claim itself failed. A message whose
// settlement fails stays leased and is claimed again when the lease runs
// out: delivery stays at least once.
func (d *Dispatcher) DispatchOnce(ctx context.Context) (DispatchResult, error) {
	msgs, err := d.st.ClaimDue(ctx, d.o.Now(), d.o.BatchSize, d.o.Lease)
	if err != nil {
		return DispatchResult{}, err
	}
	res := DispatchResult{Claimed: len(msgs)}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, d.o.Concurrency)
	for _, m := range msgs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out := d.handle(ctx, m)
			mu.Lock()
			defer mu.Unlock()
			switch out {
			case outcomeDelivered:
				res.Delivered++
			case outcomeRetrying:
				res.Retrying++
			case outcomeParked:
				res.Parked++
			case outcomeLost:
				res.Lost++
			}
		}()
	}
	wg.Wait()
	return res, nil
}

type outcome int

const (
	outcomeUnsettled outcome = iota
	outcomeDelivered
	outcomeRetrying
	outcomeParked
	outcomeLost
)

// settleTimeout bounds recording an outcome; it runs even when the
// dispatcher is stopping, so that a delivery made is recorded.
const settleTimeout = 10 * time.Second

// handle delivers one claimed message and records the outcome.
func (d *Dispatcher) handle(ctx context.Context, m store.OutboxMessage) outcome {
	ctx, span := d.tracer.Start(messageTrace(ctx, m.ID), "deliver "+m.PartnerID,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("poort.partner", m.PartnerID), attribute.Int("poort.outbox.attempt", m.Attempts)))
	defer span.End()
	deliverErr := d.deliver(ctx, m)
	if deliverErr != nil {
		span.SetStatus(codes.Error, "delivery failed")
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	log := d.log.With("message_id", m.ID.String(), "partner", m.PartnerID, "attempt", m.Attempts)

	if deliverErr == nil {
		// One transaction marks the message delivered and moves all the
		// tasks it stands for to sent.
		if err := d.st.MarkDelivered(sctx, m.ID); err != nil {
			log.ErrorContext(ctx, "delivered, but could not record it; the message will be delivered again", "error", err)
			return outcomeUnsettled
		}
		return outcomeDelivered
	}

	var de *DeliveryError
	permanent := errors.As(deliverErr, &de) && de.Permanent
	stopping := ctx.Err() != nil
	park := !stopping && (permanent || m.Attempts >= d.o.MaxAttempts)
	now := d.o.Now()
	next := now.Add(d.o.Backoff(m.Attempts))
	switch {
	case stopping:
		// Not the partner's fault: let any dispatcher try again at once.
		next = now
	case de != nil && de.RetryAfter > 0 && now.Add(de.RetryAfter).After(next):
		next = now.Add(min(de.RetryAfter, store.BackoffMax))
	}
	err := d.st.MarkFailed(sctx, m.ID, m.LeaseToken, deliverErr, next, park)
	switch {
	case errors.Is(err, store.ErrConflict):
		log.WarnContext(ctx, "delivery attempt failed, and another claim settled the message meanwhile", "error", deliverErr)
		return outcomeLost
	case err != nil:
		log.ErrorContext(ctx, "could not record a failed delivery; the lease will run out and it is tried again", "error", err, "delivery_error", deliverErr)
		return outcomeUnsettled
	case park:
		log.ErrorContext(ctx, "delivery failed; message parked for an operator to requeue", "error", deliverErr, "permanent", permanent)
		return outcomeParked
	}
	log.WarnContext(ctx, "delivery failed; will retry", "error", deliverErr, "next_attempt", next)
	return outcomeRetrying
}

// DeliveryError is a failed delivery attempt: the partner's HTTP status,
// or a transport failure (Status 0).
type DeliveryError struct {
	PartnerID string
	Status    int
	// Permanent means retrying cannot help: the partner refused the
	// message itself (a 4xx other than 408, 425 and 429), the endpoint
	// moved (3xx), or the partner has no endpoint. Such a message is
	// parked at once.
	Permanent  bool
	RetryAfter time.Duration // from the partner's Retry-After header
	Err        error         // the transport error, if any
}

// Error says what failed without the payload or the partner's answer,
// which could echo personal data.
func (e *DeliveryError) Error() string {
	switch {
	case e.Err != nil:
		return fmt.Sprintf("deliver to %s: %v", e.PartnerID, e.Err)
	case e.Status != 0:
		return fmt.Sprintf("deliver to %s: answered %d %s", e.PartnerID, e.Status, http.StatusText(e.Status))
	}
	return "deliver to " + e.PartnerID + ": failed"
}

// Unwrap returns the transport error.
func (e *DeliveryError) Unwrap() error { return e.Err }

// maxAnswer bounds how much of a partner's answer is read.
const maxAnswer = 64 << 10

// deliver makes one delivery attempt.
func (d *Dispatcher) deliver(ctx context.Context, m store.OutboxMessage) error {
	endpoint := m.Endpoint
	if !isURL(endpoint) {
		u, err := d.dir.Endpoint(m.PartnerID)
		if err != nil {
			return &DeliveryError{PartnerID: m.PartnerID, Permanent: true, Err: err}
		}
		endpoint = u
	}
	body, err := json.Marshal(NewEnvelope(m))
	if err != nil {
		return &DeliveryError{PartnerID: m.PartnerID, Permanent: true, Err: fmt.Errorf("encode envelope: %w", err)}
	}
	ctx, cancel := context.WithTimeout(ctx, d.o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return &DeliveryError{PartnerID: m.PartnerID, Permanent: true, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Idempotency-Key", m.IdempotencyKey)
	propagation.TraceContext{}.Inject(ctx, propagation.HeaderCarrier(req.Header))
	resp, err := d.o.Client.Do(req)
	if err != nil {
		return &DeliveryError{PartnerID: m.PartnerID, Err: err}
	}
	defer resp.Body.Close()
	// Read the answer to its end: an answer cut off may mean the partner
	// did not take the message, so it counts as a failure and the message
	// is sent again (the partner drops the duplicate by its key).
	if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer)); err != nil {
		return &DeliveryError{PartnerID: m.PartnerID, Status: resp.StatusCode, Err: fmt.Errorf("read answer: %w", err)}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	de := &DeliveryError{PartnerID: m.PartnerID, Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), d.o.Now())}
	switch resp.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
	default:
		de.Permanent = resp.StatusCode < 500
	}
	return de
}

// messageTrace puts ctx in the trace whose id is the message id, so that
// every attempt to deliver one message shares a trace at the partner and
// in the hub's logs, with a span of its own per attempt. The parent is a
// stand-in for the message's origin, named by the id's last eight bytes.
func messageTrace(ctx context.Context, id uuid.UUID) context.Context {
	parent := trace.SpanID(id[8:])
	if !parent.IsValid() {
		parent = telemetry.NewSpanID()
	}
	return trace.ContextWithRemoteSpanContext(ctx, trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID(id), SpanID: parent, TraceFlags: trace.FlagsSampled, Remote: true,
	}))
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
