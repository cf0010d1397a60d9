package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// CaseCancel is the request to cancel a case.
type CaseCancel struct {
	CaseID          uuid.UUID
	ExpectedVersion int64  // the version the caller last read
	Reason          string // why; the timeline and the withdrawn tasks keep it
	Actor           string // principal ID
	// Notify returns the message that tells a partner the case was
	// cancelled. CancelCase calls it, inside its transaction (so perhaps
	// more than once), for every partner that was or may have been told of
	// the case; the message is linked to the case.
	Notify func(partnerID string) (NewOutboxMessage, error)
}

// CancelResult is what CancelCase did.
type CancelResult struct {
	Case Case
	// Withdrawn are the tasks that were withdrawn, in the case's order.
	Withdrawn []Task
	// Told are the partners sent a cancellation, in the order their
	// notifications were enqueued.
	Told []string
	// Replayed says the case was cancelled before; nothing changed.
	Replayed bool
}

// CancelCase cancels an open case, if it is still at ExpectedVersion, in
// one transaction:
//
//   - every task not done is withdrawn, with the reason as its note;
//   - every notification announcing the case's tasks to a partner that has
//     not reached it (pending and not being delivered right now, or
//     parked) is withdrawn and never delivered;
//   - every partner whose notification was delivered, or is being
//     delivered right now, is sent a cancellation through the outbox (see
//     Notify); should such a delivery fail after all, MarkFailed withdraws
//     it rather than try again;
//   - the case becomes cancelled, and "case_cancelled" is appended to its
//     timeline with the reason, beside an event per withdrawn task and
//     notification.
//
// Cancelling a cancelled case changes nothing and returns it with
// Replayed set, whatever version is given. Handovers of the case stand:
// they hand over a contact, not the case's tasks.
//
// Errors: ErrInvalidArgument; ErrNotFound; ErrConflict (a *ConflictError)
// when the version is stale; ErrInvalidTransition when the case is closed.
func (s *Store) CancelCase(ctx context.Context, cc CaseCancel) (_ *CancelResult, err error) {
	defer wrap(&err, "CancelCase(%s)", cc.CaseID)
	if cc.Actor == "" || cc.Reason == "" || cc.Notify == nil {
		return nil, invalidf("actor, reason and a notification are required")
	}
	if err := validTexts("actor", cc.Actor, "reason", cc.Reason); err != nil {
		return nil, err
	}
	var res *CancelResult
	err = s.Transact(ctx, func(tx *sqlx.Tx) error {
		res = &CancelResult{}
		cur, err := s.lockCase(ctx, tx, cc.CaseID)
		if err != nil {
			return err
		}
		if cur.Status == CaseCancelled {
			res.Case, res.Replayed = *cur, true
			return nil
		}
		if cur.Version != cc.ExpectedVersion {
			return &ConflictError{Entity: "case", ID: cur.ID.String(), Expected: cc.ExpectedVersion, Actual: cur.Version}
		}
		if !cur.Status.canBecome(CaseCancelled) {
			return &TransitionError{Entity: "case", ID: cur.ID.String(), From: string(cur.Status), To: string(CaseCancelled)}
		}
		if res.Withdrawn, err = s.withdrawTasks(ctx, tx, cur.ID, cc); err != nil {
			return err
		}
		withdrawnMessages, err := s.withdrawNotifications(ctx, tx, cur.ID, cc, res)
		if err != nil {
			return err
		}
		now := s.timestamp()
		if _, err := exec(ctx, tx, `UPDATE cases SET status = 'cancelled', updated_at = ?, version = version + 1
			WHERE id = ?`, now, cur.ID); err != nil {
			return err
		}
		cur.Status, cur.UpdatedAt, cur.Version = CaseCancelled, now, cur.Version+1
		res.Case = *cur
		return s.appendEvent(ctx, tx, newEvent{
			caseID: cur.ID, kind: EventCaseCancelled, actor: cc.Actor,
			summary: fmt.Sprintf("case cancelled: %s; %d tasks and %d notifications withdrawn, %d partners told",
				cc.Reason, len(res.Withdrawn), withdrawnMessages, len(res.Told)),
			data: map[string]any{
				"reason": cc.Reason, "withdrawnTasks": len(res.Withdrawn), "withdrawnMessages": withdrawnMessages,
				"partnersTold": res.Told, "version": cur.Version,
			},
		})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// lockCase reads a case for update.
func (s *Store) lockCase(ctx context.Context, tx *sqlx.Tx, id uuid.UUID) (*Case, error) {
	var r caseRow
	err := get(ctx, tx, &r, `SELECT `+caseColumns+` FROM cases WHERE id = ?`+s.forUpdate(), id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("case", id.String())
	}
	if err != nil {
		return nil, err
	}
	c := r.toCase()
	return &c, nil
}

// withdrawTasks withdraws every task of the case that is not done.
func (s *Store) withdrawTasks(ctx context.Context, tx *sqlx.Tx, caseID uuid.UUID, cc CaseCancel) ([]Task, error) {
	var rows []taskRow
	if err := selectAll(ctx, tx, &rows, `SELECT `+taskColumns+` FROM tasks
		WHERE case_id = ? AND status NOT IN ('done', 'withdrawn') ORDER BY position`+s.forUpdate(), caseID); err != nil {
		return nil, err
	}
	out := make([]Task, 0, len(rows))
	for _, r := range rows {
		t := r.toTask()
		w, err := s.setTaskStatus(ctx, tx, &t, t.Version, TaskWithdrawn, cc.Reason, cc.Actor)
		if err != nil {
			return nil, err
		}
		out = append(out, *w)
	}
	return out, nil
}

// withdrawNotifications withdraws the case's task notifications that have
// not reached their partner, and tells the partners that were or may have
// been reached. It returns how many it withdrew.
func (s *Store) withdrawNotifications(ctx context.Context, tx *sqlx.Tx, caseID uuid.UUID, cc CaseCancel, res *CancelResult) (int, error) {
	// Locking the case's messages makes a dispatcher claiming one wait, or
	// skip it, so "being delivered right now" cannot change underneath.
	msgs, err := s.selectMessages(ctx, tx, `SELECT `+messageColumns+` FROM outbox
		WHERE case_id = ? AND handover_id IS NULL ORDER BY created_at, id`+s.forUpdate(), caseID)
	if err != nil {
		return 0, err
	}
	now := s.timestamp()
	withdrawn := 0
	for _, m := range msgs {
		if len(m.TaskIDs) == 0 {
			continue // not a notification of the case's tasks
		}
		inFlight := m.Status == OutboxPending && m.LeaseUntil != nil && m.LeaseUntil.After(now)
		if m.Status == OutboxDelivered || inFlight {
			if !slices.Contains(res.Told, m.PartnerID) {
				res.Told = append(res.Told, m.PartnerID)
			}
			continue
		}
		if m.Status != OutboxPending && m.Status != OutboxParked {
			continue
		}
		if err := s.withdrawMessage(ctx, tx, m, cc.Actor); err != nil {
			return 0, err
		}
		withdrawn++
	}
	for _, partner := range res.Told {
		nm, err := cc.Notify(partner)
		if err != nil {
			return 0, fmt.Errorf("cancellation for %s: %w", partner, err)
		}
		if err := nm.validate(); err != nil {
			return 0, fmt.Errorf("cancellation for %s: %w", partner, err)
		}
		if _, err := s.insertMessage(ctx, tx, messageRef{caseID: nullUUID(caseID)}, nm, now); err != nil {
			return 0, err
		}
	}
	return withdrawn, nil
}

// withdrawMessage withdraws a notification that will now never be
// delivered, and says so on its case's timeline.
func (s *Store) withdrawMessage(ctx context.Context, tx *sqlx.Tx, m OutboxMessage, actor string) error {
	now := s.timestamp()
	if _, err := exec(ctx, tx, `UPDATE outbox SET status = 'withdrawn', updated_at = ?, lease_until = NULL, lease_token = NULL
		WHERE id = ?`, now, m.ID); err != nil {
		return err
	}
	if m.CaseID == nil {
		return nil
	}
	return s.appendEvent(ctx, tx, newEvent{
		caseID: *m.CaseID, kind: EventMessageWithdrawn, actor: actor, messageID: nullUUID(m.ID),
		summary: fmt.Sprintf("notification to %s withdrawn: the case was cancelled before it was delivered", m.PartnerID),
		data:    map[string]any{"partnerId": m.PartnerID, "attempts": m.Attempts},
	})
}
