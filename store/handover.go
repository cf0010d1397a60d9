package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// HandoverStatus is the state of a warm handover.
type HandoverStatus string

// Handover statuses.
const (
	HandoverHandedOver   HandoverStatus = "handed_over"  // made, not yet taken up
	HandoverAcknowledged HandoverStatus = "acknowledged" // the receiving side took it up
)

// HandoverContext is what the receiving front office needs to carry on
// without asking the citizen or business again.
type HandoverContext struct {
	LifeEventID string
	StepID      string
	Notes       string
	Channel     string // the channel the contact came in over
}

// Handover records a warm handover: who handed which subject (and case, if
// any) to which partner, why, and with what context.
type Handover struct {
	ID               uuid.UUID
	CaseID           *uuid.UUID // nil when the handover is about a subject without a case
	Subject          Subject
	FromOrganisation string // the handing organisation, such as a municipality
	FromFrontOffice  string // its front office, such as "KCC"
	ToPartnerID      string
	Reason           string
	Context          HandoverContext
	Status           HandoverStatus
	CreatedBy        string // principal ID
	CreatedAt        time.Time
	UpdatedAt        time.Time
	AcknowledgedBy   string // empty until acknowledged
	AcknowledgedAt   *time.Time
	Version          int64
}

// NewHandover is the request to hand a contact over.
type NewHandover struct {
	// CaseID links the handover to a case; the subject, and missing context
	// fields (life event, channel), are then taken from the case. Leave it
	// uuid.Nil to hand over a subject without a case.
	CaseID           uuid.UUID
	Subject          Subject // required when CaseID is nil; must match the case otherwise
	FromOrganisation string
	FromFrontOffice  string
	ToPartnerID      string
	Reason           string
	Context          HandoverContext
	CreatedBy        string // principal ID; also the namespace of IdempotencyKey
	// Notify, when set, enqueues a message to the receiving partner in the
	// same transaction.
	Notify         *NewOutboxMessage
	IdempotencyKey string // optional; see NewCase
	RequestHash    string // optional; see NewCase
}

func (nh NewHandover) validate() error {
	if nh.FromOrganisation == "" || nh.ToPartnerID == "" || nh.Reason == "" || nh.CreatedBy == "" {
		return invalidf("from organisation, to partner, reason and created by are required")
	}
	if nh.CaseID == uuid.Nil || nh.Subject != (Subject{}) {
		if err := nh.Subject.validate(); err != nil {
			return err
		}
	}
	if err := validTexts("from organisation", nh.FromOrganisation, "from front office", nh.FromFrontOffice,
		"to partner", nh.ToPartnerID, "reason", nh.Reason, "life event id", nh.Context.LifeEventID,
		"step id", nh.Context.StepID, "notes", nh.Context.Notes, "channel", nh.Context.Channel,
		"created by", nh.CreatedBy, "idempotency key", nh.IdempotencyKey); err != nil {
		return err
	}
	if nh.Notify != nil {
		if err := nh.Notify.validate(); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		if len(nh.Notify.StepIDs) > 0 {
			return invalidf("notify: a handover message cannot carry a task")
		}
	}
	return nil
}

type handoverRow struct {
	ID               uuid.UUID     `db:"id"`
	CaseID           uuid.NullUUID `db:"case_id"`
	SubjectKind      string        `db:"subject_kind"`
	SubjectID        string        `db:"subject_id"`
	FromOrganisation string        `db:"from_organisation"`
	FromFrontOffice  string        `db:"from_front_office"`
	ToPartnerID      string        `db:"to_partner_id"`
	Reason           string        `db:"reason"`
	LifeEventID      string        `db:"life_event_id"`
	StepID           string        `db:"step_id"`
	Notes            string        `db:"notes"`
	Channel          string        `db:"channel"`
	Status           string        `db:"status"`
	CreatedBy        string        `db:"created_by"`
	CreatedAt        time.Time     `db:"created_at"`
	UpdatedAt        time.Time     `db:"updated_at"`
	AcknowledgedBy   string        `db:"acknowledged_by"`
	AcknowledgedAt   sql.NullTime  `db:"acknowledged_at"`
	Version          int64         `db:"version"`
}

const handoverColumns = `id, case_id, subject_kind, subject_id, from_organisation, from_front_office, to_partner_id,
	reason, life_event_id, step_id, notes, channel, status, created_by, created_at, updated_at,
	acknowledged_by, acknowledged_at, version`

func (r handoverRow) toHandover() Handover {
	return Handover{
		ID: r.ID, CaseID: uuidPtr(r.CaseID), Subject: Subject{Kind: SubjectKind(r.SubjectKind), ID: r.SubjectID},
		FromOrganisation: r.FromOrganisation, FromFrontOffice: r.FromFrontOffice, ToPartnerID: r.ToPartnerID,
		Reason:  r.Reason,
		Context: HandoverContext{LifeEventID: r.LifeEventID, StepID: r.StepID, Notes: r.Notes, Channel: r.Channel},
		Status:  HandoverStatus(r.Status), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		AcknowledgedBy: r.AcknowledgedBy, AcknowledgedAt: timePtr(r.AcknowledgedAt), Version: r.Version,
	}
}

// CreateHandover records a warm handover and, when it belongs to a case,
// appends "handover_made" to the case timeline.
//
// Errors: ErrInvalidArgument; ErrNotFound when CaseID names no case;
// ErrIdempotencyMismatch.
func (s *Store) CreateHandover(ctx context.Context, nh NewHandover) (_ *Handover, replayed bool, err error) {
	defer wrap(&err, "CreateHandover")
	if err := nh.validate(); err != nil {
		return nil, false, err
	}
	req := nh
	req.IdempotencyKey, req.RequestHash = "", ""
	hash, err := fingerprint(nh.IdempotencyKey, nh.RequestHash, req)
	if err != nil {
		return nil, false, err
	}
	var h *Handover
	err = s.Transact(ctx, func(tx *sqlx.Tx) error {
		id := newID()
		claim, err := s.claimKey(ctx, tx, scopeCreateHandover, nh.CreatedBy, nh.IdempotencyKey, hash, id)
		if err != nil {
			return err
		}
		if replayed = claim.replay; replayed {
			h, err = s.getHandover(ctx, tx, claim.first, false)
			return err
		}
		h, err = s.insertHandover(ctx, tx, id, nh)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return h, replayed, nil
}

func (s *Store) insertHandover(ctx context.Context, tx *sqlx.Tx, id uuid.UUID, nh NewHandover) (*Handover, error) {
	now := s.timestamp()
	h := Handover{
		ID: id, Subject: nh.Subject, FromOrganisation: nh.FromOrganisation, FromFrontOffice: nh.FromFrontOffice,
		ToPartnerID: nh.ToPartnerID, Reason: nh.Reason, Context: nh.Context, Status: HandoverHandedOver,
		CreatedBy: nh.CreatedBy, CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	if nh.CaseID != uuid.Nil {
		c, err := s.getCase(ctx, tx, nh.CaseID)
		if err != nil {
			return nil, err
		}
		if nh.Subject != (Subject{}) && nh.Subject != c.Subject {
			return nil, invalidf("subject does not match the case's subject")
		}
		caseID := c.ID
		h.CaseID, h.Subject = &caseID, c.Subject
		if h.Context.LifeEventID == "" {
			h.Context.LifeEventID = c.LifeEventID
		}
		if h.Context.Channel == "" {
			h.Context.Channel = c.Channel
		}
	}
	_, err := exec(ctx, tx, `INSERT INTO handovers (`+handoverColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', NULL, ?)`,
		h.ID, nullUUID(nh.CaseID), string(h.Subject.Kind), h.Subject.ID, h.FromOrganisation, h.FromFrontOffice,
		h.ToPartnerID, h.Reason, h.Context.LifeEventID, h.Context.StepID, h.Context.Notes, h.Context.Channel,
		string(h.Status), h.CreatedBy, h.CreatedAt, h.UpdatedAt, h.Version)
	if err != nil {
		return nil, fmt.Errorf("insert handover: %w", err)
	}
	if nh.Notify != nil {
		ref := messageRef{handoverID: nullUUID(h.ID), caseID: nullUUID(nh.CaseID)}
		if _, err := s.insertMessage(ctx, tx, ref, *nh.Notify, now); err != nil {
			return nil, err
		}
	}
	if h.CaseID == nil {
		return &h, nil
	}
	err = s.appendEvent(ctx, tx, newEvent{
		caseID: *h.CaseID, kind: EventHandoverMade, actor: h.CreatedBy, handoverID: nullUUID(h.ID),
		summary: fmt.Sprintf("handed over from %s to %s: %s", h.FromOrganisation, h.ToPartnerID, h.Reason),
		data: map[string]any{
			"fromOrganisation": h.FromOrganisation, "fromFrontOffice": h.FromFrontOffice,
			"toPartnerId": h.ToPartnerID, "reason": h.Reason, "stepId": h.Context.StepID, "channel": h.Context.Channel,
		},
	})
	if err != nil {
		return nil, err
	}
	return &h, nil
}

// Handover returns the handover with the given ID, or ErrNotFound.
func (s *Store) Handover(ctx context.Context, id uuid.UUID) (_ *Handover, err error) {
	defer wrap(&err, "Handover(%s)", id)
	return s.getHandover(ctx, s.ro, id, false)
}

func (s *Store) getHandover(ctx context.Context, q sqlx.QueryerContext, id uuid.UUID, lock bool) (*Handover, error) {
	query := `SELECT ` + handoverColumns + ` FROM handovers WHERE id = ?`
	if lock {
		query += s.forUpdate()
	}
	var r handoverRow
	err := get(ctx, q, &r, query, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("handover", id.String())
	}
	if err != nil {
		return nil, err
	}
	h := r.toHandover()
	return &h, nil
}

// HandoverAck is the receiving side's acknowledgement of a handover.
type HandoverAck struct {
	HandoverID      uuid.UUID
	ExpectedVersion int64  // the version the receiving side read
	By              string // principal ID of who took it up
}

// AcknowledgeHandover records that the receiving side took the handover up,
// and appends "handover_acknowledged" to the case timeline. It is
// idempotent: acknowledging an acknowledged handover again changes nothing
// and returns it with replayed set, whatever version is given.
//
// Errors: ErrNotFound; ErrConflict (a *ConflictError) when the handover is
// not yet acknowledged and ExpectedVersion is stale.
func (s *Store) AcknowledgeHandover(ctx context.Context, ack HandoverAck) (_ *Handover, replayed bool, err error) {
	defer wrap(&err, "AcknowledgeHandover(%s)", ack.HandoverID)
	if ack.By == "" {
		return nil, false, invalidf("acknowledged by is required")
	}
	if err := validText("acknowledged by", ack.By); err != nil {
		return nil, false, err
	}
	var h *Handover
	err = s.Transact(ctx, func(tx *sqlx.Tx) error {
		replayed = false
		cur, err := s.getHandover(ctx, tx, ack.HandoverID, true)
		if err != nil {
			return err
		}
		if cur.Status == HandoverAcknowledged {
			h, replayed = cur, true
			return nil
		}
		if cur.Version != ack.ExpectedVersion {
			return &ConflictError{Entity: "handover", ID: cur.ID.String(), Expected: ack.ExpectedVersion, Actual: cur.Version}
		}
		now := s.timestamp()
		ok, err := execOne(ctx, tx, `
			UPDATE handovers SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ?,
				updated_at = ?, version = version + 1
			WHERE id = ? AND version = ?`, ack.By, now, now, cur.ID, cur.Version)
		if err != nil {
			return err
		}
		if !ok {
			// Unreachable while the row is locked above; kept so that the
			// update stays safe if the lock is ever removed.
			return &ConflictError{Entity: "handover", ID: cur.ID.String(), Expected: ack.ExpectedVersion, Actual: cur.Version + 1}
		}
		cur.Status, cur.AcknowledgedBy, cur.AcknowledgedAt, cur.UpdatedAt = HandoverAcknowledged, ack.By, &now, now
		cur.Version++
		h = cur
		if cur.CaseID == nil {
			return nil
		}
		return s.appendEvent(ctx, tx, newEvent{
			caseID: *cur.CaseID, kind: EventHandoverAcknowledged, actor: ack.By, handoverID: nullUUID(cur.ID),
			summary: fmt.Sprintf("handover to %s acknowledged", cur.ToPartnerID),
			data:    map[string]any{"toPartnerId": cur.ToPartnerID, "version": cur.Version},
		})
	})
	if err != nil {
		return nil, false, err
	}
	return h, replayed, nil
}

// HandoverFilter selects handovers to list. Zero fields do not filter; at
// least one must be set.
type HandoverFilter struct {
	CaseID      uuid.UUID
	Subject     *Subject
	ToPartnerID string
	Status      HandoverStatus
	// CreatedBy is the principal ID that made the handovers.
	CreatedBy string
	// Scope, when set, leaves out the handovers the principal may not see.
	Scope *Scope
}

// HandoverConnection is a page of handovers in the shape of a Relay
// connection.
type HandoverConnection = Connection[Handover]

// ListHandovers returns a page of the handovers matching f, oldest first.
// The receiving side finds its open handovers with ToPartnerID and Status
// HandoverHandedOver.
//
// Errors: ErrInvalidArgument for a filter without any condition or a bad
// page; ErrInvalidCursor for a cursor this list did not issue.
func (s *Store) ListHandovers(ctx context.Context, f HandoverFilter, p Page) (_ *HandoverConnection, err error) {
	defer wrap(&err, "ListHandovers")
	var where []string
	var args []any
	if f.CaseID != uuid.Nil {
		where = append(where, `case_id = ?`)
		args = append(args, f.CaseID)
	}
	if f.Subject != nil {
		if err := f.Subject.validate(); err != nil {
			return nil, err
		}
		where = append(where, `subject_kind = ? AND subject_id = ?`)
		args = append(args, string(f.Subject.Kind), f.Subject.ID)
	}
	if f.ToPartnerID != "" {
		where = append(where, `to_partner_id = ?`)
		args = append(args, f.ToPartnerID)
	}
	if f.Status != "" {
		where = append(where, `status = ?`)
		args = append(args, string(f.Status))
	}
	if f.CreatedBy != "" {
		where = append(where, `created_by = ?`)
		args = append(args, f.CreatedBy)
	}
	if f.Scope != nil {
		cond, condArgs := f.Scope.handoverSQL("handovers")
		where = append(where, cond)
		args = append(args, condArgs...)
	}
	if len(where) == 0 {
		return nil, invalidf("set at least one filter")
	}
	q := listQuery{columns: handoverColumns, from: "handovers", where: strings.Join(where, " AND "), args: args}
	var pg *page[handoverRow]
	err = s.readTx(ctx, func(tx *sqlx.Tx) error {
		pg, err = readPage(ctx, tx, handoversKeyset, q, p, func(r *handoverRow) []any { return []any{dbTime(r.CreatedAt), r.ID} })
		return err
	})
	if err != nil {
		return nil, err
	}
	return connection(pg, handoverRow.toHandover), nil
}
