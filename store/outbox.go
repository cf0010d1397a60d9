package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// OutboxStatus is the delivery state of an outbox message.
type OutboxStatus string

// Outbox statuses.
const (
	OutboxPending   OutboxStatus = "pending"   // waiting for (another) delivery attempt
	OutboxDelivered OutboxStatus = "delivered" // the partner's endpoint accepted it
	OutboxParked    OutboxStatus = "parked"    // gave up retrying; waits for an operator
	OutboxWithdrawn OutboxStatus = "withdrawn" // its case was cancelled before it was delivered; final
)

// Retry policy for outbox delivery. The dispatcher computes the next
// attempt with Backoff and parks a message once it has been tried
// MaxAttempts times.
const (
	BackoffBase = 2 * time.Second
	BackoffMax  = 30 * time.Minute
	MaxAttempts = 12
)

// Backoff returns how long to wait after the given failed attempt (1 for
// the first) before the next one: BackoffBase doubled per attempt, capped at
// BackoffMax, with equal jitter (a random duration between half and all of
// that), so that messages which failed together do not retry together and
// no retry comes sooner than half the nominal delay.
func Backoff(attempt int) time.Duration {
	attempt = min(max(attempt, 1), 20) // 2s << 19 is far beyond BackoffMax already
	d := min(BackoffBase<<(attempt-1), BackoffMax)
	half := d / 2
	return half + rand.N(half+1)
}

// OutboxMessage is a notification for a chain partner, written in the same
// transaction as the change it announces and delivered later, at least
// once, by a dispatcher.
type OutboxMessage struct {
	ID     uuid.UUID
	CaseID *uuid.UUID // the case it belongs to, if any
	// TaskIDs are the tasks of the case the message stands for, in the
	// case's task order; delivering it moves those still open to sent.
	// Empty for a message that carries no task, such as a handover's.
	TaskIDs []uuid.UUID
	// TaskID is the first of TaskIDs, or nil when there are none.
	TaskID     *uuid.UUID
	HandoverID *uuid.UUID // the handover it announces, if any
	PartnerID  string
	Endpoint   string          // where to deliver: a URL or a topic name
	Payload    json.RawMessage // delivered byte for byte
	// IdempotencyKey goes with every delivery attempt so that the partner
	// can drop duplicates: at-least-once delivery sends some messages twice.
	IdempotencyKey string
	Status         OutboxStatus
	Attempts       int       // delivery attempts claimed so far
	NextAttemptAt  time.Time // not claimed before this time
	LeaseUntil     *time.Time
	// LeaseToken identifies the claim that holds the message; MarkFailed
	// needs it. It is uuid.Nil when no claim holds the message.
	LeaseToken  uuid.UUID
	LastError   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeliveredAt *time.Time
}

// NewOutboxMessage is a message to enqueue.
type NewOutboxMessage struct {
	PartnerID string
	Endpoint  string
	Payload   json.RawMessage // must be valid JSON
	// IdempotencyKey is what the partner sees; it must be unique across the
	// whole outbox. Empty means the message ID.
	IdempotencyKey string
	// StepIDs tie the message to the tasks of the same case with these
	// steps and PartnerID: the message stands for all of them, and
	// delivering it moves those still open to sent, in the delivery's
	// transaction. Empty means no task.
	StepIDs []string
	// NotBefore delays the first attempt. Zero means as soon as possible.
	NotBefore time.Time
}

func (m NewOutboxMessage) validate() error {
	if m.PartnerID == "" || m.Endpoint == "" {
		return invalidf("partner id and endpoint are required")
	}
	if !json.Valid(m.Payload) {
		return invalidf("payload is not valid JSON")
	}
	return nil
}

type messageRow struct {
	ID             uuid.UUID     `db:"id"`
	CaseID         uuid.NullUUID `db:"case_id"`
	TaskID         uuid.NullUUID `db:"task_id"`
	HandoverID     uuid.NullUUID `db:"handover_id"`
	PartnerID      string        `db:"partner_id"`
	Endpoint       string        `db:"endpoint"`
	Payload        []byte        `db:"payload"`
	IdempotencyKey string        `db:"idempotency_key"`
	Status         string        `db:"status"`
	Attempts       int           `db:"attempts"`
	NextAttemptAt  time.Time     `db:"next_attempt_at"`
	LeaseUntil     sql.NullTime  `db:"lease_until"`
	LeaseToken     uuid.NullUUID `db:"lease_token"`
	LastError      string        `db:"last_error"`
	CreatedAt      time.Time     `db:"created_at"`
	UpdatedAt      time.Time     `db:"updated_at"`
	DeliveredAt    sql.NullTime  `db:"delivered_at"`
}

const messageColumns = `id, case_id, task_id, handover_id, partner_id, endpoint, payload, idempotency_key, status,
	attempts, next_attempt_at, lease_until, lease_token, last_error, created_at, updated_at, delivered_at`

func (r messageRow) toMessage() OutboxMessage {
	return OutboxMessage{
		ID: r.ID, CaseID: uuidPtr(r.CaseID), TaskID: uuidPtr(r.TaskID), HandoverID: uuidPtr(r.HandoverID),
		PartnerID: r.PartnerID, Endpoint: r.Endpoint, Payload: json.RawMessage(r.Payload),
		IdempotencyKey: r.IdempotencyKey, Status: OutboxStatus(r.Status), Attempts: r.Attempts,
		NextAttemptAt: r.NextAttemptAt.UTC(), LeaseUntil: timePtr(r.LeaseUntil), LeaseToken: r.LeaseToken.UUID,
		LastError: r.LastError, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		DeliveredAt: timePtr(r.DeliveredAt),
	}
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// messageRef is what an outbox message belongs to.
type messageRef struct {
	caseID, handoverID uuid.NullUUID
	taskIDs            []uuid.UUID // in the case's task order
}

// insertMessage enqueues a message and links it to every task it stands
// for. outbox.task_id holds the first of them, as the previous release
// expects.
func (s *Store) insertMessage(ctx context.Context, tx *sqlx.Tx, ref messageRef, nm NewOutboxMessage, now time.Time) (*OutboxMessage, error) {
	var first uuid.NullUUID
	if len(ref.taskIDs) > 0 {
		first = nullUUID(ref.taskIDs[0])
	}
	m := OutboxMessage{
		ID: newID(), CaseID: uuidPtr(ref.caseID), TaskIDs: ref.taskIDs, TaskID: uuidPtr(first), HandoverID: uuidPtr(ref.handoverID),
		PartnerID: nm.PartnerID, Endpoint: nm.Endpoint, Payload: nm.Payload, IdempotencyKey: nm.IdempotencyKey,
		Status: OutboxPending, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now,
	}
	if m.IdempotencyKey == "" {
		m.IdempotencyKey = m.ID.String()
	}
	if nm.NotBefore.After(now) {
		m.NextAttemptAt = dbTime(nm.NotBefore)
	}
	// The payload goes in as a string: lib/pq would send []byte as bytea.
	_, err := exec(ctx, tx, `
		INSERT INTO outbox (id, case_id, task_id, handover_id, partner_id, endpoint, payload, idempotency_key,
			status, attempts, next_attempt_at, last_error, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, '', ?, ?)`,
		m.ID, ref.caseID, first, ref.handoverID, m.PartnerID, m.Endpoint, string(m.Payload), m.IdempotencyKey,
		string(m.Status), m.NextAttemptAt, m.CreatedAt, m.UpdatedAt)
	if err != nil {
		return nil, fmt.Errorf("enqueue message for %q: %w", nm.PartnerID, err)
	}
	for _, id := range ref.taskIDs {
		if _, err := exec(ctx, tx, `INSERT INTO outbox_tasks (message_id, task_id) VALUES (?, ?)`, m.ID, id); err != nil {
			return nil, fmt.Errorf("link message for %q to task %s: %w", nm.PartnerID, id, err)
		}
	}
	return &m, nil
}

// loadTaskIDs fills in the TaskIDs of msgs.
func (s *Store) loadTaskIDs(ctx context.Context, q sqlx.QueryerContext, msgs []OutboxMessage) error {
	ids := make([]uuid.UUID, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	tasks, err := s.taskIDsOf(ctx, q, ids)
	if err != nil {
		return err
	}
	for i := range msgs {
		msgs[i].TaskIDs = tasks[msgs[i].ID]
	}
	return nil
}

// taskIDsOf returns the tasks of each message, in the case's task order. A
// message enqueued by the previous release, while replicas of both run
// during an upgrade, has no links but its outbox.task_id; that one counts
// too.
func (s *Store) taskIDsOf(ctx context.Context, q sqlx.QueryerContext, ids []uuid.UUID) (map[uuid.UUID][]uuid.UUID, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	query, args, err := sqlx.In(`
		SELECT l.message_id, l.task_id FROM (
			SELECT message_id, task_id FROM outbox_tasks WHERE message_id IN (?)
			UNION
			SELECT id, task_id FROM outbox WHERE id IN (?) AND task_id IS NOT NULL
		) l JOIN tasks t ON t.id = l.task_id
		ORDER BY l.message_id, t.position`, ids, ids)
	if err != nil {
		return nil, err
	}
	var links []struct {
		MessageID uuid.UUID `db:"message_id"`
		TaskID    uuid.UUID `db:"task_id"`
	}
	if err := selectAll(ctx, q, &links, query, args...); err != nil {
		return nil, err
	}
	byMessage := make(map[uuid.UUID][]uuid.UUID, len(ids))
	for _, l := range links {
		byMessage[l.MessageID] = append(byMessage[l.MessageID], l.TaskID)
	}
	return byMessage, nil
}

// Message returns the outbox message with the given ID, or ErrNotFound.
func (s *Store) Message(ctx context.Context, id uuid.UUID) (_ *OutboxMessage, err error) {
	defer wrap(&err, "Message(%s)", id)
	return s.getMessage(ctx, s.ro, id, false)
}

func (s *Store) getMessage(ctx context.Context, q sqlx.QueryerContext, id uuid.UUID, lock bool) (*OutboxMessage, error) {
	query := `SELECT ` + messageColumns + ` FROM outbox WHERE id = ?`
	if lock {
		query += s.forUpdate()
	}
	var r messageRow
	err := get(ctx, q, &r, query, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("outbox message", id.String())
	}
	if err != nil {
		return nil, err
	}
	msgs := []OutboxMessage{r.toMessage()}
	if err := s.loadTaskIDs(ctx, q, msgs); err != nil {
		return nil, err
	}
	return &msgs[0], nil
}

// Messages returns a page of a case's outbox messages in the order they
// were enqueued.
//
// Errors: ErrNotFound when the case does not exist; ErrInvalidArgument for
// a bad page; ErrInvalidCursor for a cursor this list did not issue.
func (s *Store) Messages(ctx context.Context, caseID uuid.UUID, p Page) (_ *MessageConnection, err error) {
	defer wrap(&err, "Messages(%s)", caseID)
	q := listQuery{columns: messageColumns, from: "outbox", where: "case_id = ?", args: []any{caseID}}
	var conn *MessageConnection
	err = s.readTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := s.getCase(ctx, tx, caseID); err != nil {
			return err
		}
		conn, err = s.readMessages(ctx, tx, messagesKeyset, q, p, func(r *messageRow) []any { return []any{dbTime(r.CreatedAt), r.ID} })
		return err
	})
	return conn, err
}

// readMessages reads one page of messages with their tasks; key is a
// message's key in the order of k's columns.
func (s *Store) readMessages(ctx context.Context, tx *sqlx.Tx, k keyset, q listQuery, p Page, key func(*messageRow) []any) (*MessageConnection, error) {
	pg, err := readPage(ctx, tx, k, q, p, key)
	if err != nil {
		return nil, err
	}
	conn := connection(pg, messageRow.toMessage)
	ids := make([]uuid.UUID, len(conn.Edges))
	for i, e := range conn.Edges {
		ids[i] = e.Node.ID
	}
	tasks, err := s.taskIDsOf(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	for i := range conn.Edges {
		conn.Edges[i].Node.TaskIDs = tasks[conn.Edges[i].Node.ID]
	}
	return conn, nil
}

func (s *Store) listMessages(ctx context.Context, q sqlx.QueryerContext, caseID uuid.UUID) ([]OutboxMessage, error) {
	return s.selectMessages(ctx, q, `SELECT `+messageColumns+` FROM outbox WHERE case_id = ? ORDER BY created_at, id`, caseID)
}

func (s *Store) selectMessages(ctx context.Context, q sqlx.QueryerContext, query string, args ...any) ([]OutboxMessage, error) {
	var rows []messageRow
	if err := selectAll(ctx, q, &rows, query, args...); err != nil {
		return nil, err
	}
	msgs := make([]OutboxMessage, len(rows))
	for i, r := range rows {
		msgs[i] = r.toMessage()
	}
	if err := s.loadTaskIDs(ctx, q, msgs); err != nil {
		return nil, err
	}
	return msgs, nil
}

// ClaimDue claims up to limit pending messages whose next attempt is due at
// now and that no live lease holds, leases them until now+lease, and counts
// the attempt. The returned messages carry the lease token and their
// attempt number (Attempts).
//
// Several dispatchers, in one process or in several replicas, may call
// ClaimDue at once: a message is handed to at most one of them while its
// lease holds (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED; SQLite: the
// single writer). A dispatcher that crashes simply lets its leases expire,
// after which the messages are claimed again. The lease must therefore be
// longer than one delivery attempt takes, timeouts included.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, limit int, lease time.Duration) (_ []OutboxMessage, err error) {
	defer wrap(&err, "ClaimDue")
	if limit < 1 || lease <= 0 {
		return nil, invalidf("limit and lease must be positive")
	}
	now = dbTime(now)
	var msgs []OutboxMessage
	err = s.Transact(ctx, func(tx *sqlx.Tx) error {
		lock := ""
		if s.dialect == Postgres {
			// Skip rows another dispatcher is claiming right now instead of
			// queueing behind it; they are that dispatcher's.
			lock = " FOR UPDATE SKIP LOCKED"
		}
		var ids []string
		if err := selectAll(ctx, tx, &ids, `
			SELECT id FROM outbox
			WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
			ORDER BY next_attempt_at, id LIMIT ?`+lock, now, now, limit); err != nil {
			return err
		}
		if len(ids) == 0 {
			msgs = nil
			return nil
		}
		token := newID()
		q, args, err := sqlx.In(`
			UPDATE outbox SET lease_until = ?, lease_token = ?, attempts = attempts + 1, updated_at = ?
			WHERE id IN (?)`, dbTime(now.Add(lease)), token, s.timestamp(), ids)
		if err != nil {
			return err
		}
		if _, err := exec(ctx, tx, q, args...); err != nil {
			return err
		}
		q, args, err = sqlx.In(`SELECT `+messageColumns+` FROM outbox WHERE id IN (?) ORDER BY next_attempt_at, id`, ids)
		if err != nil {
			return err
		}
		msgs, err = s.selectMessages(ctx, tx, q, args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return msgs, nil
}

// MarkDelivered records that message id was delivered. It is idempotent: a
// message already delivered stays as it is. It does not need the lease: a
// delivery is a fact even when the lease ran out meanwhile (another claim
// will then deliver a duplicate, which the partner drops by its
// idempotency key). In the same transaction, delivery appends
// "message_delivered" to the case timeline and moves every task the
// message stands for (TaskIDs) that is still open to sent, each with its
// "task_status_changed"; a task someone moved on already is left as it is.
//
// Errors: ErrNotFound.
func (s *Store) MarkDelivered(ctx context.Context, id uuid.UUID) (err error) {
	defer wrap(&err, "MarkDelivered(%s)", id)
	return s.Transact(ctx, func(tx *sqlx.Tx) error {
		m, err := s.getMessage(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if m.Status == OutboxDelivered {
			return nil
		}
		now := s.timestamp()
		if _, err := exec(ctx, tx, `
			UPDATE outbox SET status = 'delivered', delivered_at = ?, updated_at = ?, lease_until = NULL, lease_token = NULL
			WHERE id = ?`, now, now, id); err != nil {
			return err
		}
		if m.CaseID == nil {
			return nil
		}
		err = s.appendEvent(ctx, tx, newEvent{
			caseID: *m.CaseID, kind: EventMessageDelivered, actor: actorOutbox, messageID: nullUUID(m.ID),
			summary: fmt.Sprintf("notification delivered to %s after %d attempts", m.PartnerID, m.Attempts),
			data:    map[string]any{"partnerId": m.PartnerID, "endpoint": m.Endpoint, "attempts": m.Attempts},
		})
		if err != nil {
			return err
		}
		return s.markSent(ctx, tx, m.TaskIDs)
	})
}

// markSent moves the tasks ids that are still open to sent, in task order.
// On PostgreSQL the rows are locked first, so a concurrent status change
// is waited for and then seen, instead of failing the delivery with a
// conflict.
func (s *Store) markSent(ctx context.Context, tx *sqlx.Tx, ids []uuid.UUID) error {
	if len(ids) == 0 {
		return nil
	}
	query, args, err := sqlx.In(`SELECT `+taskColumns+` FROM tasks
		WHERE id IN (?) AND status = 'open' ORDER BY position`+s.forUpdate(), ids)
	if err != nil {
		return err
	}
	var rows []taskRow
	if err := selectAll(ctx, tx, &rows, query, args...); err != nil {
		return err
	}
	for _, r := range rows {
		t := r.toTask()
		if _, err := s.setTaskStatus(ctx, tx, &t, t.Version, TaskSent, "", actorOutbox); err != nil {
			return err
		}
	}
	return nil
}

// maxErrorLen bounds the stored last error, which comes from a partner.
const maxErrorLen = 2000

// MarkFailed records a failed delivery attempt of message id under the
// claim identified by leaseToken. With park false the message waits until
// nextAttempt (use Backoff); with park true it is parked: no dispatcher
// claims it again until an operator calls Requeue, and "message_parked" is
// appended to the case timeline. A parked message is never dropped. A
// notification of the tasks of a case cancelled meanwhile is withdrawn
// instead (see CancelCase).
//
// Errors: ErrNotFound; ErrConflict (a *LeaseLostError) when the claim no
// longer holds the message, in which case nothing changes.
func (s *Store) MarkFailed(ctx context.Context, id, leaseToken uuid.UUID, cause error, nextAttempt time.Time, park bool) (err error) {
	defer wrap(&err, "MarkFailed(%s)", id)
	msg := "unknown error"
	if cause != nil {
		msg = cause.Error()
	}
	if len(msg) > maxErrorLen {
		msg = msg[:maxErrorLen]
	}
	status := OutboxPending
	if park {
		status = OutboxParked
	}
	return s.Transact(ctx, func(tx *sqlx.Tx) error {
		ok, err := execOne(ctx, tx, `
			UPDATE outbox SET status = ?, last_error = ?, next_attempt_at = ?, updated_at = ?,
				lease_until = NULL, lease_token = NULL
			WHERE id = ? AND status = 'pending' AND lease_token = ?`,
			string(status), msg, dbTime(nextAttempt), s.timestamp(), id, leaseToken)
		if err != nil {
			return err
		}
		m, err := s.getMessage(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if !ok {
			return &LeaseLostError{MessageID: id.String()}
		}
		if cancelled, err := s.announcesCancelledCase(ctx, tx, m); err != nil || cancelled {
			// The case was cancelled while this attempt was under way:
			// its partner has been told, and is not to hear of the
			// tasks again.
			if err != nil {
				return err
			}
			return s.withdrawMessage(ctx, tx, *m, actorOutbox)
		}
		if !park || m.CaseID == nil {
			return nil
		}
		return s.appendEvent(ctx, tx, newEvent{
			caseID: *m.CaseID, kind: EventMessageParked, actor: actorOutbox, messageID: nullUUID(m.ID),
			summary: fmt.Sprintf("notification to %s parked after %d attempts", m.PartnerID, m.Attempts),
			data:    map[string]any{"partnerId": m.PartnerID, "attempts": m.Attempts, "lastError": msg},
		})
	})
}

// announcesCancelledCase reports whether m announces tasks of a case that
// has been cancelled since.
func (s *Store) announcesCancelledCase(ctx context.Context, tx *sqlx.Tx, m *OutboxMessage) (bool, error) {
	if m.CaseID == nil || m.HandoverID != nil || len(m.TaskIDs) == 0 {
		return false, nil
	}
	c, err := s.getCase(ctx, tx, *m.CaseID)
	if err != nil {
		return false, err
	}
	return c.Status == CaseCancelled, nil
}

// MessageConnection is a page of outbox messages in the shape of a Relay
// connection.
type MessageConnection = Connection[OutboxMessage]

// ListParked returns a page of the parked messages, longest parked first.
// With a scope, only those of cases and handovers in it: a message of a
// case out of scope, or of a handover out of scope, is left out.
//
// Errors: ErrInvalidArgument for a bad page; ErrInvalidCursor for a cursor
// this list did not issue.
func (s *Store) ListParked(ctx context.Context, scope *Scope, p Page) (_ *MessageConnection, err error) {
	defer wrap(&err, "ListParked")
	q := listQuery{columns: qualified(messageColumns, "o"), from: "outbox o", where: `o.status = 'parked'`}
	if scope != nil {
		caseCond, caseArgs := scope.caseSQL("c")
		handoverCond, handoverArgs := scope.handoverSQL("h")
		q.from += ` LEFT JOIN cases c ON c.id = o.case_id LEFT JOIN handovers h ON h.id = o.handover_id`
		q.where += ` AND (o.case_id IS NULL OR ` + caseCond + `) AND (o.handover_id IS NULL OR ` + handoverCond + `)`
		q.args = append(append(q.args, caseArgs...), handoverArgs...)
	}
	var conn *MessageConnection
	err = s.readTx(ctx, func(tx *sqlx.Tx) (err error) {
		conn, err = s.readMessages(ctx, tx, parkedKeyset, q, p, func(r *messageRow) []any { return []any{dbTime(r.UpdatedAt), r.ID} })
		return err
	})
	return conn, err
}

// Requeue puts a parked message back in the queue for immediate delivery
// with a fresh attempt count, and appends "message_requeued" to the case
// timeline with actor as who did it. It returns the requeued message.
//
// Errors: ErrNotFound; ErrInvalidTransition when the message is not parked.
func (s *Store) Requeue(ctx context.Context, id uuid.UUID, actor string) (_ *OutboxMessage, err error) {
	defer wrap(&err, "Requeue(%s)", id)
	if actor == "" {
		return nil, invalidf("actor is required")
	}
	var m *OutboxMessage
	err = s.Transact(ctx, func(tx *sqlx.Tx) error {
		m, err = s.getMessage(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if m.Status != OutboxParked {
			return &TransitionError{Entity: "outbox message", ID: id.String(), From: string(m.Status), To: string(OutboxPending)}
		}
		now := s.timestamp()
		if _, err := exec(ctx, tx, `
			UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?
			WHERE id = ?`, now, now, id); err != nil {
			return err
		}
		m.Status, m.Attempts, m.NextAttemptAt, m.UpdatedAt = OutboxPending, 0, now, now
		if m.CaseID == nil {
			return nil
		}
		return s.appendEvent(ctx, tx, newEvent{
			caseID: *m.CaseID, kind: EventMessageRequeued, actor: actor, messageID: nullUUID(m.ID),
			summary: fmt.Sprintf("notification to %s requeued", m.PartnerID),
			data:    map[string]any{"partnerId": m.PartnerID},
		})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// OutboxCounts is how many outbox messages wait in each open state.
type OutboxCounts struct {
	// Pending messages wait for a (further) delivery attempt.
	Pending int
	// Parked messages wait for an operator to requeue them.
	Parked int
}

// CountOutbox counts the messages that are pending and parked, for the
// hub's metrics. The partial indexes on both states keep it cheap.
func (s *Store) CountOutbox(ctx context.Context) (_ OutboxCounts, err error) {
	defer wrap(&err, "CountOutbox")
	var c OutboxCounts
	err = s.ro.QueryRowxContext(ctx, s.ro.Rebind(
		`SELECT (SELECT COUNT(*) FROM outbox WHERE status = 'pending'), (SELECT COUNT(*) FROM outbox WHERE status = 'parked')`)).
		Scan(&c.Pending, &c.Parked)
	return c, err
}
