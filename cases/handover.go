package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/store"
)

// HandoverContext is what the receiving front office needs to carry on
// without asking the citizen or business again. All fields are optional;
// with a case, LifeEvent and Channel default to the case's.
type HandoverContext struct {
	LifeEvent string // catalogue event id
	Step      string // a step of LifeEvent
	Notes     string
	Channel   string // the channel the contact came in over
}

// HandOverRequest asks to hand a contact over warmly to a chain partner.
type HandOverRequest struct {
	// CaseID links the handover to a case, whose subject it is about.
	// Leave it uuid.Nil and set Subject to hand over a subject without a
	// case. One of the two is required.
	CaseID  uuid.UUID
	Subject *Subject
	// ToPartner is the catalogue id of the receiving chain partner.
	ToPartner string
	Reason    string
	Context   HandoverContext
	// FromFrontOffice names the handing front office, such as "KCC";
	// optional.
	FromFrontOffice string
	// IdempotencyKey is required: the same key (for the same principal)
	// returns the first handover instead of making another.
	IdempotencyKey string
	Principal      Principal
}

// HandOver records who hands which case or subject to which partner, why
// and with what context, and notifies the partner through the outbox in the
// same transaction. With a case, the case timeline shows it.
//
// Errors: ErrInvalidArgument (an *ArgumentError) for a partner not in the
// catalogue, no case and no subject, a bad subject, a step not of the life
// event, and the like; ErrNotFound when CaseID names no case;
// ErrIdempotencyMismatch.
func (s *Service) HandOver(ctx context.Context, req HandOverRequest) (*store.Handover, bool, error) {
	if err := s.validateHandOver(ctx, &req); err != nil {
		return nil, false, err
	}
	var sub Subject
	if req.Subject != nil {
		sub = *req.Subject
	}
	hash, err := requestHash("handOver", struct {
		CaseID                       uuid.UUID
		Subject                      Subject
		To, Reason, FrontOffice, Org string
		Event, Step, Notes, Channel  string
	}{req.CaseID, sub, req.ToPartner, req.Reason, req.FromFrontOffice, req.Principal.Organisation,
		req.Context.LifeEvent, req.Context.Step, req.Context.Notes, req.Context.Channel})
	if err != nil {
		return nil, false, err
	}
	n := Notification{
		Type: TypeHandover, LifeEvent: req.Context.LifeEvent,
		Subject: NotificationSubject{Kind: string(sub.Kind), ID: sub.ID}, Channel: req.Context.Channel,
		From:     NotificationFrom{Organisation: req.Principal.Organisation, FrontOffice: req.FromFrontOffice},
		Handover: &NotificationNote{Reason: req.Reason, Notes: req.Context.Notes},
		At:       s.now().UTC(),
	}
	if req.Context.Step != "" {
		ev, _ := s.cat.Event(req.Context.LifeEvent)
		st, _ := ev.Step(req.Context.Step)
		n.Steps = []NotificationStep{{ID: st.ID, Name: st.Name.EN, Standard: st.Coupling.Standard, Coupling: string(st.Coupling.Status)}}
	}
	payload, err := json.Marshal(n)
	if err != nil {
		return nil, false, fmt.Errorf("encode notification: %w", err)
	}
	h, replayed, err := s.st.CreateHandover(ctx, store.NewHandover{
		CaseID: req.CaseID, Subject: sub, FromOrganisation: req.Principal.Organisation,
		FromFrontOffice: req.FromFrontOffice, ToPartnerID: req.ToPartner, Reason: req.Reason,
		Context: store.HandoverContext{
			LifeEventID: req.Context.LifeEvent, StepID: req.Context.Step, Notes: req.Context.Notes, Channel: req.Context.Channel,
		},
		CreatedBy: req.Principal.ID,
		Notify: &store.NewOutboxMessage{
			PartnerID: req.ToPartner, Endpoint: directoryEndpoint(req.ToPartner), Payload: payload,
		},
		IdempotencyKey: req.IdempotencyKey, RequestHash: hash,
	})
	if err != nil {
		return nil, false, mismatch("handOver", err)
	}
	if !replayed {
		s.enqueued()
	}
	return h, replayed, nil
}

// validateHandOver checks the request and, for a case, fills in the
// subject, life event and channel from it, so that the notification says
// what the receiving front office needs.
func (s *Service) validateHandOver(ctx context.Context, req *HandOverRequest) error {
	if err := checkPrincipal(req.Principal); err != nil {
		return err
	}
	if req.ToPartner == "" {
		return argErr("toPartner", "the receiving chain partner is required")
	}
	if _, ok := s.cat.Partner(req.ToPartner); !ok {
		return argErr("toPartner", "%q is not a chain partner in the catalogue", req.ToPartner)
	}
	if req.Reason == "" {
		return argErr("reason", "say why the contact is handed over")
	}
	for _, t := range []struct {
		param, text string
		max         int
	}{{"reason", req.Reason, maxText}, {"notes", req.Context.Notes, maxText}, {"fromFrontOffice", req.FromFrontOffice, maxKeyLen}} {
		if err := checkText(t.param, t.text, t.max); err != nil {
			return err
		}
	}
	if req.Subject != nil && *req.Subject == (Subject{}) {
		req.Subject = nil
	}
	if req.CaseID == uuid.Nil && req.Subject == nil {
		return argErr("subject", "a handover needs a subject: give a caseId or a subject")
	}
	if req.Subject != nil {
		if err := checkSubject("subject", *req.Subject); err != nil {
			return err
		}
	}
	if err := checkKey(req.IdempotencyKey); err != nil {
		return err
	}
	if req.CaseID != uuid.Nil {
		c, err := s.st.Case(ctx, req.CaseID)
		if err != nil {
			return err
		}
		if req.Subject != nil && *req.Subject != c.Subject {
			return argErr("subject", "does not match the subject of the case; leave it out to hand over the case's subject")
		}
		sub := c.Subject
		req.Subject = &sub
		if req.Context.LifeEvent == "" {
			req.Context.LifeEvent = c.LifeEventID
		}
		if req.Context.Channel == "" {
			req.Context.Channel = c.Channel
		}
	}
	if req.Context.LifeEvent != "" {
		ev, ok := s.cat.Event(req.Context.LifeEvent)
		if !ok {
			return argErr("context.lifeEvent", "unknown life event %q", req.Context.LifeEvent)
		}
		if string(ev.Subject) != string(req.Subject.Kind) {
			return argErr("context.lifeEvent", "life event %q is about a %s, not a %s", ev.ID, ev.Subject, req.Subject.Kind)
		}
		if req.Context.Step != "" {
			if _, ok := ev.Step(req.Context.Step); !ok {
				return argErr("context.step", "life event %q has no step %q", ev.ID, req.Context.Step)
			}
		}
	} else if req.Context.Step != "" {
		return argErr("context.step", "a step needs its life event")
	}
	if req.Context.Channel != "" && !slices.Contains(lifeevents.Channels(), lifeevents.Channel(req.Context.Channel)) {
		return argErr("context.channel", "want one of %s", joinChannels(lifeevents.Channels()))
	}
	return nil
}

// AcknowledgeHandover records that the receiving side took the handover
// up. Acknowledging an acknowledged handover again changes nothing and
// returns it with replayed set.
//
// Errors: ErrNotFound; ErrConflict (a *store.ConflictError) when the
// handover is not yet acknowledged and expectedVersion is stale.
func (s *Service) AcknowledgeHandover(ctx context.Context, id uuid.UUID, expectedVersion int64, by Principal) (*store.Handover, bool, error) {
	if by.ID == "" {
		return nil, false, argErr("principal", "an authenticated principal is required")
	}
	if expectedVersion < 1 {
		return nil, false, argErr("expectedVersion", "the version the handover was read at, from 1")
	}
	return s.st.AcknowledgeHandover(ctx, store.HandoverAck{HandoverID: id, ExpectedVersion: expectedVersion, By: by.ID})
}

// Handover returns a handover. Errors: ErrNotFound.
func (s *Service) Handover(ctx context.Context, id uuid.UUID) (*store.Handover, error) {
	return s.st.Handover(ctx, id)
}

// HandoverQuery selects handovers; set at least one field.
type HandoverQuery struct {
	CaseID    uuid.UUID
	Subject   *Subject
	ToPartner string
	Status    store.HandoverStatus
	// CreatedBy is the principal ID (Principal.ID) that made them.
	CreatedBy string
	// Scope, when set, leaves out the handovers the principal may not see.
	Scope *store.Scope
}

// Handovers returns a Relay page of the handovers matching q, oldest
// first. The receiving side finds its open handovers with ToPartner and
// Status store.HandoverHandedOver. Errors: ErrInvalidArgument for a bad
// filter, page or cursor.
func (s *Service) Handovers(ctx context.Context, q HandoverQuery, p store.Page) (*store.HandoverConnection, error) {
	if q.Subject != nil {
		if err := checkSubject("subject", *q.Subject); err != nil {
			return nil, err
		}
	}
	if q.ToPartner != "" {
		if _, ok := s.cat.Partner(q.ToPartner); !ok {
			return nil, argErr("toPartner", "%q is not a chain partner in the catalogue", q.ToPartner)
		}
	}
	switch q.Status {
	case "", store.HandoverHandedOver, store.HandoverAcknowledged:
	default:
		return nil, argErr("status", "want handed_over or acknowledged")
	}
	if q.CaseID == uuid.Nil && q.Subject == nil && q.ToPartner == "" && q.Status == "" && q.CreatedBy == "" && q.Scope == nil {
		return nil, argErr("filter", "set at least one of caseId, subject, toPartner, mine and status")
	}
	return s.st.ListHandovers(ctx, store.HandoverFilter{
		CaseID: q.CaseID, Subject: q.Subject, ToPartnerID: q.ToPartner, Status: q.Status, CreatedBy: q.CreatedBy, Scope: q.Scope,
	}, p)
}
