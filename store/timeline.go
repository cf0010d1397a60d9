package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// EventKind says what happened in a case timeline event.
type EventKind string

// The kinds of timeline event. The store appends them itself, in the same
// transaction as the change they describe.
const (
	EventCaseOpened           EventKind = "case_opened"
	EventCaseStatusChanged    EventKind = "case_status_changed"
	EventCaseCancelled        EventKind = "case_cancelled"
	EventMessageWithdrawn     EventKind = "message_withdrawn"
	EventTaskStatusChanged    EventKind = "task_status_changed"
	EventMessageDelivered     EventKind = "message_delivered"
	EventMessageParked        EventKind = "message_parked"
	EventMessageRequeued      EventKind = "message_requeued"
	EventHandoverMade         EventKind = "handover_made"
	EventHandoverAcknowledged EventKind = "handover_acknowledged"
)

// TimelineEvent is one entry in a case's append-only history.
type TimelineEvent struct {
	ID         int64 // increases with every event in the store
	CaseID     uuid.UUID
	Kind       EventKind
	At         time.Time
	Actor      string     // principal ID, or "outbox" for the dispatcher
	TaskID     *uuid.UUID // the task the event is about, if any
	HandoverID *uuid.UUID // the handover the event is about, if any
	MessageID  *uuid.UUID // the outbox message the event is about, if any
	Summary    string     // one line for people, in English
	// Data holds the event's details as a JSON object: for a status change
	// "from", "to" and "version"; for a handover the receiving partner and
	// the reason.
	Data json.RawMessage
}

// actorOutbox is the actor of events caused by outbox delivery.
const actorOutbox = "outbox"

type eventRow struct {
	ID         int64         `db:"id"`
	CaseID     uuid.UUID     `db:"case_id"`
	Kind       string        `db:"kind"`
	At         time.Time     `db:"at"`
	Actor      string        `db:"actor"`
	TaskID     uuid.NullUUID `db:"task_id"`
	HandoverID uuid.NullUUID `db:"handover_id"`
	MessageID  uuid.NullUUID `db:"message_id"`
	Summary    string        `db:"summary"`
	Data       []byte        `db:"data"`
}

func (r eventRow) event() TimelineEvent {
	return TimelineEvent{
		ID: r.ID, CaseID: r.CaseID, Kind: EventKind(r.Kind), At: r.At.UTC(), Actor: r.Actor,
		TaskID: uuidPtr(r.TaskID), HandoverID: uuidPtr(r.HandoverID), MessageID: uuidPtr(r.MessageID),
		Summary: r.Summary, Data: json.RawMessage(r.Data),
	}
}

// newEvent is an event about to be appended.
type newEvent struct {
	caseID     uuid.UUID
	kind       EventKind
	actor      string
	taskID     uuid.NullUUID
	handoverID uuid.NullUUID
	messageID  uuid.NullUUID
	summary    string
	data       map[string]any
}

// appendEvent adds an event to a case timeline within tx.
func (s *Store) appendEvent(ctx context.Context, tx *sqlx.Tx, e newEvent) error {
	if e.data == nil {
		e.data = map[string]any{}
	}
	data, err := json.Marshal(e.data)
	if err != nil {
		return fmt.Errorf("encode timeline event: %w", err)
	}
	_, err = exec(ctx, tx, `
		INSERT INTO timeline_events (case_id, kind, at, actor, task_id, handover_id, message_id, summary, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.caseID, string(e.kind), s.timestamp(), e.actor, e.taskID, e.handoverID, e.messageID,
		e.summary, string(data))
	if err != nil {
		return fmt.Errorf("append timeline event: %w", err)
	}
	return nil
}

// TimelineConnection is a page of a case's timeline in the shape of a
// Relay connection.
type TimelineConnection = Connection[TimelineEvent]

// Timeline returns a page of a case's events, oldest first.
//
// Errors: ErrNotFound when the case does not exist; ErrInvalidArgument for
// a bad page; ErrInvalidCursor for a cursor this list did not issue.
func (s *Store) Timeline(ctx context.Context, caseID uuid.UUID, p Page) (_ *TimelineConnection, err error) {
	defer wrap(&err, "Timeline(%s)", caseID)
	q := listQuery{
		columns: "id, case_id, kind, at, actor, task_id, handover_id, message_id, summary, data",
		from:    "timeline_events", where: "case_id = ?", args: []any{caseID},
	}
	var pg *page[eventRow]
	err = s.readTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := s.getCase(ctx, tx, caseID); err != nil {
			return err
		}
		pg, err = readPage(ctx, tx, timelineKeyset, q, p, func(r *eventRow) []any { return []any{r.ID} })
		return err
	})
	if err != nil {
		return nil, err
	}
	return connection(pg, eventRow.event), nil
}

func uuidPtr(n uuid.NullUUID) *uuid.UUID {
	if !n.Valid {
		return nil
	}
	id := n.UUID
	return &id
}

func nullUUID(id uuid.UUID) uuid.NullUUID {
	return uuid.NullUUID{UUID: id, Valid: id != uuid.Nil}
}
