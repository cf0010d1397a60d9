package cases

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/store"
)

// CancelCase cancels an open case at expectedVersion: its tasks not done
// are withdrawn, its notifications that have not reached their partner
// are withdrawn, and every partner that was or may have been notified is
// told, through the outbox, with a notification of type TypeCaseCancelled
// carrying the reason. Cancelling a cancelled case again changes nothing
// and returns it with Replayed set. See store.CancelCase.
//
// Errors: ErrInvalidArgument (no reason, or one too long); ErrNotFound;
// ErrConflict when the version is stale; ErrInvalidTransition when the
// case is closed.
func (s *Service) CancelCase(ctx context.Context, id uuid.UUID, expectedVersion int64, reason string, p Principal) (*store.CancelResult, error) {
	if err := checkPrincipal(p); err != nil {
		return nil, err
	}
	if reason == "" {
		return nil, argErr("reason", "say why the case is cancelled; the partners that were notified are told")
	}
	if err := checkText("reason", reason, maxText); err != nil {
		return nil, err
	}
	if expectedVersion < 1 {
		return nil, argErr("expectedVersion", "the version the case was read at, from 1")
	}
	c, err := s.st.Case(ctx, id)
	if err != nil {
		return nil, err
	}
	at := s.now().UTC()
	res, err := s.st.CancelCase(ctx, store.CaseCancel{
		CaseID: id, ExpectedVersion: expectedVersion, Reason: reason, Actor: p.ID,
		Notify: func(partner string) (store.NewOutboxMessage, error) {
			payload, err := json.Marshal(Notification{
				Type: TypeCaseCancelled, LifeEvent: c.LifeEventID,
				Subject: NotificationSubject{Kind: string(c.Subject.Kind), ID: c.Subject.ID}, Channel: c.Channel,
				From: NotificationFrom{Organisation: p.Organisation}, Cancellation: &NotificationCancellation{Reason: reason},
				At: at,
			})
			if err != nil {
				return store.NewOutboxMessage{}, fmt.Errorf("encode notification: %w", err)
			}
			return store.NewOutboxMessage{PartnerID: partner, Endpoint: directoryEndpoint(partner), Payload: payload}, nil
		},
	})
	if err != nil {
		return nil, err
	}
	if len(res.Told) > 0 && !res.Replayed {
		s.enqueued()
	}
	return res, nil
}
