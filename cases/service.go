package cases

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/internal/ident"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/store"
)

// Store is what the service needs of the store; *store.Store implements it.
type Store interface {
	store.Cases
	store.Handovers
	store.Outbox
}

// HealthSource gives the live health of the registries; *lifeevents.Window
// implements it.
type HealthSource interface {
	Health() []lifeevents.RegistryHealth
}

// Subject is what a case or handover is about: Kind PERSON (ID a BSN),
// COMPANY (a KvK number) or ADDRESS (a BAG nummeraanduiding id).
type Subject = store.Subject

// Subject kinds.
const (
	SubjectPerson  = store.SubjectPerson
	SubjectCompany = store.SubjectCompany
	SubjectAddress = store.SubjectAddress
)

// Principal is who asks: the authenticated user or client and the
// organisation it acts for. Idempotency keys are unique per principal ID.
type Principal struct {
	ID           string
	Organisation string
}

// Service opens cases for life events, advances their tasks and makes warm
// handovers, on top of the store and the life-event catalogue. It keeps no
// state of its own, so one Service serves any number of concurrent
// requests, and any number of hub replicas may run one on a shared store.
type Service struct {
	st      Store
	cat     *lifeevents.Catalogue
	now     func() time.Time
	health  HealthSource
	th      lifeevents.Thresholds
	absent  []string
	onQueue func()
}

// Option configures a Service.
type Option func(*Service)

// WithHealth makes steps whose needs trace to a registry that is down or
// degraded now (a live gap) manual tasks. The zero Thresholds mean
// lifeevents.DefaultThresholds.
func WithHealth(src HealthSource, th lifeevents.Thresholds) Option {
	return func(s *Service) { s.health, s.th = src, th }
}

// WithAbsentRegistries names registries the hub has no connector for;
// steps needing them are live gaps.
func WithAbsentRegistries(registries ...string) Option {
	return func(s *Service) { s.absent = slices.Clone(registries) }
}

// WithEnqueued sets a function called after a mutation queued outbox
// messages, such as (*Dispatcher).Wake, so they go out without waiting
// for the next poll. It must not block.
func WithEnqueued(fn func()) Option {
	return func(s *Service) { s.onQueue = fn }
}

// NewService returns a service over the store and the catalogue. now is
// the clock for the times in notifications; nil means time.Now.
func NewService(st Store, cat *lifeevents.Catalogue, now func() time.Time, opts ...Option) (*Service, error) {
	if st == nil || cat == nil {
		return nil, errors.New("cases: a store and a catalogue are required")
	}
	if now == nil {
		now = time.Now
	}
	s := &Service{st: st, cat: cat, now: now}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// maxKeyLen and maxText bound what clients send.
const (
	maxKeyLen = 200
	maxText   = 4000
)

// StartRequest asks to start a life event for a subject.
type StartRequest struct {
	// Event is the catalogue's event id, such as "birth".
	Event   string
	Subject Subject
	// Channel is the channel the contact came in over; one the event's
	// first step takes.
	Channel string
	// IdempotencyKey is required: the same key (for the same principal)
	// returns the first case instead of opening another.
	IdempotencyKey string
	Principal      Principal
	// Override, when set, says why the case is opened although the
	// registries did not confirm that the subject exists or that the event
	// applies; the case's timeline keeps it. The caller checks the
	// registries; the service only records the reason.
	Override string
	// Role is the subject's role in the event (a role id of the
	// catalogue); empty means the anchor's own.
	Role string
	// Steps are the event's steps as they stand for the subject, in step
	// order (lifeevents.AssessEvent), deciding which steps become tasks
	// and which notify; nil when the registries were not asked, so that
	// steps with a condition are tracked, not sent.
	Steps []lifeevents.StepAssessment
}

// StartLifeEvent opens a case for the event and subject, with one task per
// chain-partner step of the event and one outbox notification per partner
// that has automated tasks, all in one transaction. Steps blocked by a
// coupling gap become manual tasks that carry the reason. See
// docs/cases.md for which steps become tasks.
//
// The same idempotency key with the same request returns the first case
// (as it is now) with Replayed set and changes nothing.
//
// Errors: ErrInvalidArgument (an *ArgumentError naming the parameter)
// before anything is written; ErrIdempotencyMismatch when the key was
// used for a different request.
func (s *Service) StartLifeEvent(ctx context.Context, req StartRequest) (*store.CaseResult, error) {
	ev, err := s.validateStart(req)
	if err != nil {
		return nil, err
	}
	p, err := s.plan(ev, req)
	if err != nil {
		return nil, err
	}
	hash, err := requestHash("startLifeEvent", struct {
		Event, Kind, ID, Channel, Organisation, Override, Role string
	}{req.Event, string(req.Subject.Kind), req.Subject.ID, req.Channel, req.Principal.Organisation, req.Override, req.Role})
	if err != nil {
		return nil, err
	}
	res, err := s.st.CreateCase(ctx, store.NewCase{
		LifeEventID: ev.ID, Subject: req.Subject, Channel: req.Channel, CreatedBy: req.Principal.ID,
		Tasks: p.tasks, Messages: p.messages, IdempotencyKey: req.IdempotencyKey, RequestHash: hash,
		Override: req.Override, Role: req.Role,
	})
	if err != nil {
		return nil, mismatch("startLifeEvent", err)
	}
	if !res.Replayed && len(res.Messages) > 0 {
		s.enqueued()
	}
	return res, nil
}

// CheckStart checks a StartRequest as StartLifeEvent would, writing
// nothing, so that a caller can refuse a bad request before it asks the
// registries about its subject. Errors: as StartLifeEvent's
// ErrInvalidArgument.
func (s *Service) CheckStart(req StartRequest) error {
	_, err := s.validateStart(req)
	return err
}

func (s *Service) enqueued() {
	if s.onQueue != nil {
		s.onQueue()
	}
}

// validateStart checks a StartRequest completely before anything is
// written, and returns the event.
func (s *Service) validateStart(req StartRequest) (*lifeevents.Event, error) {
	if err := checkPrincipal(req.Principal); err != nil {
		return nil, err
	}
	if req.Event == "" {
		return nil, argErr("event", "a life event is required")
	}
	ev, ok := s.cat.Event(req.Event)
	if !ok {
		return nil, argErr("event", "unknown life event %q; the catalogue has %s", req.Event, joinIDs(lifeevents.EventIDs()))
	}
	role := ev.AnchorRole()
	if req.Role != "" {
		r, ok := ev.Role(req.Role)
		switch {
		case !ok:
			return nil, argErr("role", "life event %q has no role %q", ev.ID, req.Role)
		case !r.Anchor && !r.Reported:
			return nil, argErr("role", "a %s takes part in life event %q through its %s; start the event on that %s, its anchor",
				r.ID, ev.ID, r.Via.Path, strings.ToLower(string(ev.Subject)))
		}
		role = r
	}
	if string(req.Subject.Kind) != string(role.Holder) {
		if !validKind(req.Subject.Kind) {
			return nil, argErr("subject.kind", "want PERSON, COMPANY or ADDRESS")
		}
		return nil, argErr("subject.kind", "the %s of life event %q is a %s, not a %s", role.ID, ev.ID, role.Holder, req.Subject.Kind)
	}
	if err := checkSubjectID("subject.id", req.Subject); err != nil {
		return nil, err
	}
	first := ev.Steps[0]
	if req.Channel == "" {
		return nil, argErr("channel", "a channel is required; life event %q starts over %s", ev.ID, joinChannels(first.Channels))
	}
	if !slices.Contains(first.Channels, lifeevents.Channel(req.Channel)) {
		return nil, argErr("channel", "life event %q does not start over %q; its first step %q takes %s",
			ev.ID, req.Channel, first.ID, joinChannels(first.Channels))
	}
	if err := checkKey(req.IdempotencyKey); err != nil {
		return nil, err
	}
	if err := checkText("override", req.Override, maxText); err != nil {
		return nil, err
	}
	return ev, nil
}

func checkPrincipal(p Principal) error {
	if p.ID == "" || p.Organisation == "" {
		return argErr("principal", "an authenticated principal with an organisation is required")
	}
	return nil
}

func checkKey(key string) error {
	if key == "" {
		return argErr("idempotencyKey", "an idempotency key is required, so that a retried request does not act twice")
	}
	return checkText("idempotencyKey", key, maxKeyLen)
}

// checkText checks a text a client chose: at most max bytes of valid UTF-8
// without a NUL byte, which no database of the store holds alike. The
// error names the parameter, never the text.
func checkText(param, s string, max int) error {
	switch {
	case len(s) > max:
		return argErr(param, "at most %d bytes", max)
	case strings.IndexByte(s, 0) >= 0:
		return argErr(param, "holds a NUL byte")
	case !utf8.ValidString(s):
		return argErr(param, "is not valid UTF-8")
	}
	return nil
}

func validKind(k store.SubjectKind) bool {
	return k == SubjectPerson || k == SubjectCompany || k == SubjectAddress
}

// checkSubjectID checks the subject's identifier by its kind.
func checkSubjectID(param string, sub Subject) error {
	var err error
	switch sub.Kind {
	case SubjectPerson:
		_, err = ident.ParseBSN(sub.ID)
	case SubjectCompany:
		_, err = ident.ParseKvKNumber(sub.ID)
	case SubjectAddress:
		_, err = ident.ParseAddressID(sub.ID)
	}
	if err != nil {
		var ie *ident.Error
		if errors.As(err, &ie) {
			return argErr(param, "invalid %s: %s", ie.Kind, ie.Rule)
		}
		return argErr(param, "%v", err)
	}
	return nil
}

// checkSubject checks a subject's kind and identifier.
func checkSubject(param string, sub Subject) error {
	if !validKind(sub.Kind) {
		return argErr(param+".kind", "want PERSON, COMPANY or ADDRESS")
	}
	return checkSubjectID(param+".id", sub)
}

// requestHash fingerprints a request for idempotency: the fields that make
// it the same request, not those (times, live health) that may differ on a
// retry.
func requestHash(op string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("hash request: %w", err)
	}
	sum := sha256.Sum256(append([]byte(op+"\x00"), b...))
	return hex.EncodeToString(sum[:]), nil
}

// Case returns the case with the id. Errors: ErrNotFound.
func (s *Service) Case(ctx context.Context, id uuid.UUID) (*store.Case, error) {
	return s.st.Case(ctx, id)
}

// CaseQuery selects cases; zero fields do not filter.
type CaseQuery struct {
	Subject   *Subject
	Status    store.CaseStatus
	LifeEvent string
	// Scope, when set, leaves out the cases the principal may not see,
	// from the page and from its count.
	Scope *store.Scope
}

// Cases returns a Relay page of the cases matching q, oldest first.
// Errors: ErrInvalidArgument for a bad filter, page or cursor.
func (s *Service) Cases(ctx context.Context, q CaseQuery, p store.Page) (*store.CaseConnection, error) {
	if q.Subject != nil {
		if err := checkSubject("subject", *q.Subject); err != nil {
			return nil, err
		}
	}
	switch q.Status {
	case "", store.CaseOpen, store.CaseClosed, store.CaseCancelled:
	default:
		return nil, argErr("status", "want open, closed or cancelled")
	}
	if q.LifeEvent != "" {
		if _, ok := s.cat.Event(q.LifeEvent); !ok {
			return nil, argErr("lifeEvent", "unknown life event %q", q.LifeEvent)
		}
	}
	return s.st.ListCases(ctx, store.CaseFilter{Subject: q.Subject, Status: q.Status, LifeEventID: q.LifeEvent, Scope: q.Scope}, p)
}

// Timeline returns a Relay page of a case's events, oldest first.
// Errors: ErrNotFound; ErrInvalidArgument for a bad page or cursor.
func (s *Service) Timeline(ctx context.Context, caseID uuid.UUID, p store.Page) (*store.TimelineConnection, error) {
	return s.st.Timeline(ctx, caseID, p)
}

// Tasks returns a case's tasks in step order. Errors: ErrNotFound.
func (s *Service) Tasks(ctx context.Context, caseID uuid.UUID) ([]store.Task, error) {
	return s.st.Tasks(ctx, caseID)
}

// Task returns a task. Errors: ErrNotFound.
func (s *Service) Task(ctx context.Context, id uuid.UUID) (*store.Task, error) {
	return s.st.Task(ctx, id)
}

// Messages returns a Relay page of a case's outbox messages with their
// delivery state, in the order they were enqueued. Errors: ErrNotFound;
// ErrInvalidArgument for a bad page or cursor.
func (s *Service) Messages(ctx context.Context, caseID uuid.UUID, p store.Page) (*store.MessageConnection, error) {
	return s.st.Messages(ctx, caseID, p)
}

// ParkedMessages returns a Relay page of the parked messages, longest
// parked first; with a scope, only those of the cases and handovers in it.
// Errors: ErrInvalidArgument for a bad page or cursor.
func (s *Service) ParkedMessages(ctx context.Context, scope *store.Scope, p store.Page) (*store.MessageConnection, error) {
	return s.st.ListParked(ctx, scope, p)
}

// Message returns an outbox message. Errors: ErrNotFound.
func (s *Service) Message(ctx context.Context, id uuid.UUID) (*store.OutboxMessage, error) {
	return s.st.Message(ctx, id)
}

// RequeueMessage sends a parked message again with a fresh attempt count.
// Errors: ErrNotFound; ErrInvalidTransition when it is not parked.
func (s *Service) RequeueMessage(ctx context.Context, id uuid.UUID, by Principal) (*store.OutboxMessage, error) {
	if by.ID == "" {
		return nil, argErr("principal", "an authenticated principal is required")
	}
	m, err := s.st.Requeue(ctx, id, by.ID)
	if err != nil {
		return nil, err
	}
	s.enqueued()
	return m, nil
}

// UpdateTask moves a task to status if it is still at expectedVersion, with
// an optional note, and records it on the case timeline. The idempotency
// key is optional: without one, a retry after a lost answer gets
// ErrConflict (the version moved on), which is safe.
//
// Errors: ErrInvalidArgument; ErrNotFound; ErrConflict (a
// *store.ConflictError) when the version is stale; ErrInvalidTransition;
// ErrIdempotencyMismatch.
func (s *Service) UpdateTask(ctx context.Context, taskID uuid.UUID, expectedVersion int64, status store.TaskStatus,
	note, idempotencyKey string, p Principal) (*store.Task, bool, error) {
	if err := checkPrincipal(p); err != nil {
		return nil, false, err
	}
	switch status {
	case store.TaskOpen, store.TaskSent, store.TaskAcknowledged, store.TaskDone, store.TaskFailed:
	default:
		return nil, false, argErr("status", "want open, sent, acknowledged, done or failed")
	}
	if expectedVersion < 1 {
		return nil, false, argErr("expectedVersion", "the version the task was read at, from 1")
	}
	if err := checkText("note", note, maxText); err != nil {
		return nil, false, err
	}
	if err := checkText("idempotencyKey", idempotencyKey, maxKeyLen); err != nil {
		return nil, false, err
	}
	t, replayed, err := s.st.UpdateTaskStatus(ctx, store.TaskStatusChange{
		TaskID: taskID, ExpectedVersion: expectedVersion, Status: status, Note: note,
		Actor: p.ID, IdempotencyKey: idempotencyKey,
	})
	if err != nil {
		return nil, false, mismatch("updateTask", err)
	}
	return t, replayed, nil
}

func joinIDs(ids []string) string { return strings.Join(ids, ", ") }

func joinChannels(cs []lifeevents.Channel) string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = string(c)
	}
	return joinIDs(ids)
}
