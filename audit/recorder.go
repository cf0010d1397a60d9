// Package audit turns the disclosures of one request into Logboek
// Dataverwerkingen records and appends them to the store's hash-chained
// audit log before the response leaves the hub: if the records cannot be
// written, the data is not disclosed (fail closed).
//
// The GraphQL layer feeds a per-request Recorder with what it discloses;
// Middleware gives every request a Recorder, buffers the response, flushes
// the Recorder and only then releases the response.
package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/internal/telemetry"
	"github.com/poort-nl/poort/policy"
	"github.com/poort-nl/poort/store"
)

// Data subject types of a disclosure.
const (
	SubjectBSN = store.DataSubjectBSN
	SubjectKvK = store.DataSubjectKvK
)

// Disclosure is data about one data subject from one registry resource
// that the hub sends to the client.
type Disclosure struct {
	// SubjectType and SubjectID name the data subject (betrokkene): a BSN
	// or a KvK number. Both empty for data about no one (a building).
	SubjectType store.DataSubjectType
	SubjectID   string
	// Registry is the registry the data came from (BRP, NHR, BAG, RDW,
	// UWV) and Endpoint its API resource, empty for the main one, as in
	// the field's @source.
	Registry string
	Endpoint string
	// Fields are the source paths disclosed, as in @source(field: ...).
	Fields []string
	// Purpose, when set, is the purpose the caller decided the disclosure
	// is made for (a case is read for its life event's purpose); when
	// empty, the purpose in force that allows the source.
	Purpose string
}

// Appender is the part of the store the recorder writes to.
type Appender interface {
	AppendAudit(ctx context.Context, records []store.AuditRecord) error
}

// PurposeResolver names the purpose in force under which data at a source
// is disclosed; *policy.Grant implements it.
type PurposeResolver interface {
	PurposeFor(registry, endpoint, path string) (string, bool)
	Purposes() []string
}

// Config is what the auditor needs.
type Config struct {
	// Log receives the records; the *store.Store.
	Log Appender
	// Policy gives each principal's purposes and each purpose's
	// processing activity URI.
	Policy *policy.Policy
	// Logger reports failures to write the audit log, without personal
	// data. Nil discards.
	Logger *slog.Logger
	// FlushTimeout bounds writing one request's records (default 5s). The
	// write is not cancelled when the client leaves: the registries were
	// consulted all the same.
	FlushTimeout time.Duration
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
	// Resources name each registry's main API resource (e.g. "BRP":
	// "personen", from its registration), for the names of records of
	// fields without an endpoint of their own.
	Resources map[string]string
}

// Auditor makes recorders and the middleware that flushes them.
type Auditor struct {
	cfg Config
}

// New checks the configuration and returns an auditor.
func New(cfg Config) (*Auditor, error) {
	if cfg.Log == nil || cfg.Policy == nil {
		return nil, errors.New("audit: an audit log and a policy are needed")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.FlushTimeout <= 0 {
		cfg.FlushTimeout = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Auditor{cfg: cfg}, nil
}

// NewRecorder returns a recorder for the request of ctx: its principal
// (auth.From), its trace id and its request id (the request's span,
// telemetry.RequestID). A request without a trace gets a fresh trace id.
func (a *Auditor) NewRecorder(ctx context.Context) *Recorder {
	p, _ := auth.From(ctx)
	traceID, requestID := telemetry.TraceID(ctx), telemetry.RequestID(ctx)
	if traceID == "" || requestID == "" {
		traceID, requestID = telemetry.NewTraceID().String(), telemetry.NewSpanID().String()
	}
	return &Recorder{
		log: a.cfg.Log, principal: p, traceID: traceID, requestID: requestID, purposes: a.cfg.Policy.For(p),
		activity: a.cfg.Policy.ProcessingActivity, now: a.cfg.Now, resources: a.cfg.Resources, groups: map[groupKey]*group{},
	}
}

// Recorder collects the disclosures of one request. It is safe for
// concurrent use by the resolvers of that request.
type Recorder struct {
	log       Appender
	principal auth.Principal
	// traceID and requestID place the records in the request's trace: each
	// record is a span of its own below the request's span.
	traceID   string
	requestID string
	purposes  PurposeResolver
	activity  func(purpose string) string
	now       func() time.Time
	resources map[string]string

	mu     sync.Mutex
	groups map[groupKey]*group
	order  []groupKey
}

// groupKey is what one record is about: one data subject, one registry
// resource, one purpose.
type groupKey struct {
	subjectType store.DataSubjectType
	subjectID   string
	registry    string
	endpoint    string
	purpose     string
}

type group struct {
	fields map[string]bool
	start  time.Time
}

// Disclose notes a disclosure. Call it for data that reaches the response;
// the same subject, registry and fields may be noted any number of times.
func (r *Recorder) Disclose(d Disclosure) {
	if len(d.Fields) == 0 {
		return
	}
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range d.Fields {
		purpose, ok := d.Purpose, d.Purpose != ""
		if !ok {
			purpose, ok = r.purposes.PurposeFor(d.Registry, d.Endpoint, f)
		}
		if !ok {
			// A path outside the policy's sources (such as a key the
			// registry always returns) is recorded under the first
			// purpose in force; with none in force the flush fails.
			if ps := r.purposes.Purposes(); len(ps) > 0 {
				purpose = ps[0]
			}
		}
		k := groupKey{d.SubjectType, d.SubjectID, d.Registry, d.Endpoint, purpose}
		g, ok := r.groups[k]
		if !ok {
			g = &group{fields: map[string]bool{}, start: now}
			r.groups[k] = g
			r.order = append(r.order, k)
		}
		g.fields[f] = true
	}
}

// Pending reports how many records the next Flush would append.
func (r *Recorder) Pending() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.order)
}

// Flush appends one record per data subject, registry resource and
// purpose, all in one transaction, and forgets them once committed. An
// error means nothing was recorded and the data must not be disclosed.
// The error holds no personal data.
func (r *Recorder) Flush(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.order) == 0 {
		return nil
	}
	end := r.now()
	records := make([]store.AuditRecord, 0, len(r.order))
	for _, k := range r.order {
		g := r.groups[k]
		if k.purpose == "" {
			return fmt.Errorf("audit: a disclosure from %s without a purpose in force", k.registry)
		}
		act := r.activity(k.purpose)
		if act == "" {
			return fmt.Errorf("audit: purpose %q has no processing activity", k.purpose)
		}
		fields := make([]string, 0, len(g.fields))
		for f := range g.fields {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		rec := store.AuditRecord{
			TraceID: r.traceID, SpanID: telemetry.NewSpanID().String(), ParentSpanID: r.requestID,
			Name: OperationName(k.registry, k.endpoint, r.resources[k.registry]), Status: store.AuditStatusOK,
			StartTime: g.start, EndTime: end, ProcessingActivityID: act,
			Registry: k.registry, Fields: fields, Purpose: k.purpose,
			Principal: store.Principal{Subject: r.principal.Subject, OrganisationOIN: r.principal.Organisation, Role: r.principal.Role},
		}
		if k.subjectID != "" || k.subjectType != "" {
			rec.DataSubject = store.DataSubject{Type: k.subjectType, ID: k.subjectID}
		}
		records = append(records, rec)
	}
	if err := r.log.AppendAudit(ctx, records); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	clear(r.groups)
	r.order = r.order[:0]
	return nil
}

// OperationName is the record's name: the registry and its resource,
// consulted (raadplegen), such as "brp.personen.raadplegen". The resource
// is the endpoint, or the registry's main resource when there is none.
func OperationName(registry, endpoint, mainResource string) string {
	res := endpoint
	if res == "" {
		res = mainResource
	}
	parts := []string{strings.ToLower(registry)}
	if res != "" {
		parts = append(parts, strings.ToLower(res))
	}
	return strings.Join(append(parts, "raadplegen"), ".")
}

type recorderKey struct{}

// WithRecorder returns ctx carrying the recorder.
func WithRecorder(ctx context.Context, r *Recorder) context.Context {
	return context.WithValue(ctx, recorderKey{}, r)
}

// RecorderFrom returns the request's recorder. A resolver that finds none
// must not disclose personal data: there is nothing to account for it.
func RecorderFrom(ctx context.Context) (*Recorder, bool) {
	r, ok := ctx.Value(recorderKey{}).(*Recorder)
	return r, ok && r != nil
}

var _ PurposeResolver = (*policy.Grant)(nil)
