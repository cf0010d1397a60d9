package cases

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/internal/globalid"
	"github.com/poort-nl/poort/store"
)

// Notification types.
const (
	// TypeLifeEventStarted asks a chain partner to take its steps of a life
	// event that the front office started.
	TypeLifeEventStarted = "lifeEventStarted"
	// TypeHandover hands a contact over to the partner's front office.
	TypeHandover = "handover"
	// TypeCaseCancelled tells a partner that a case it was notified of is
	// cancelled: its steps are no longer asked of it.
	TypeCaseCancelled = "caseCancelled"
)

// Notification is what a chain partner is told: the payload of an outbox
// message. It holds personal data (the subject's identifier, the notes of
// a handover) and must never be logged.
type Notification struct {
	Type      string              `json:"type"`
	LifeEvent string              `json:"lifeEvent,omitempty"`
	Subject   NotificationSubject `json:"subject"`
	Channel   string              `json:"channel,omitempty"`
	// Steps are the partner's steps of the life event, for
	// TypeLifeEventStarted; for TypeHandover the step the contact is
	// about, if any.
	Steps []NotificationStep `json:"steps,omitempty"`
	// From is the organisation that started the case or made the handover.
	From     NotificationFrom  `json:"from"`
	Handover *NotificationNote `json:"handover,omitempty"`
	// Cancellation says why, for TypeCaseCancelled.
	Cancellation *NotificationCancellation `json:"cancellation,omitempty"`
	At           time.Time                 `json:"at"`
}

// NotificationCancellation is why a case was cancelled.
type NotificationCancellation struct {
	Reason string `json:"reason"`
}

// NotificationSubject is the person (BSN), company (KvK number) or
// address (BAG nummeraanduiding id) the notification is about.
type NotificationSubject struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// NotificationStep is a catalogue step the partner is asked to take.
type NotificationStep struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Standard string `json:"standard,omitempty"`
	// Coupling is the coupling's status in the catalogue: automated or
	// partial (then the partner may have to ask for part of the data).
	Coupling string `json:"coupling,omitempty"`
}

// NotificationFrom names who sent the notification: an organisation and
// its front office, never a person.
type NotificationFrom struct {
	Organisation string `json:"organisation"`
	FrontOffice  string `json:"frontOffice,omitempty"`
}

// NotificationNote is what a receiving front office needs of a handover.
type NotificationNote struct {
	Reason string `json:"reason"`
	Notes  string `json:"notes,omitempty"`
}

// Envelope is the JSON body the dispatcher POSTs to a partner: the id the
// store gave the message, and the ids the graph gives what it belongs to
// (the global ids a partner asks the graph with), around the notification
// exactly as it was stored. The body is the same on every attempt; the
// Idempotency-Key header repeats IdempotencyKey.
type Envelope struct {
	MessageID      uuid.UUID       `json:"messageId"`
	IdempotencyKey string          `json:"idempotencyKey"`
	PartnerID      string          `json:"partnerId"`
	CaseID         string          `json:"caseId,omitempty"`
	HandoverID     string          `json:"handoverId,omitempty"`
	CreatedAt      time.Time       `json:"createdAt"`
	Notification   json.RawMessage `json:"notification"`
}

// NewEnvelope wraps a message for delivery.
func NewEnvelope(m store.OutboxMessage) Envelope {
	e := Envelope{
		MessageID: m.ID, IdempotencyKey: m.IdempotencyKey, PartnerID: m.PartnerID, CreatedAt: m.CreatedAt, Notification: m.Payload,
	}
	if m.CaseID != nil {
		e.CaseID = globalid.New(globalid.Case, m.CaseID.String())
	}
	if m.HandoverID != nil {
		e.HandoverID = globalid.New(globalid.Handover, m.HandoverID.String())
	}
	return e
}

// directoryPrefix marks an outbox endpoint that the dispatcher resolves
// through its partner directory at delivery time, so that a changed
// directory also applies to messages already queued.
const directoryPrefix = "directory:"

// directoryEndpoint is the endpoint the service stores for a partner.
func directoryEndpoint(partnerID string) string { return directoryPrefix + partnerID }

// isURL reports whether an outbox endpoint is a URL to use as it is.
func isURL(endpoint string) bool {
	return strings.HasPrefix(endpoint, "http://") || strings.HasPrefix(endpoint, "https://")
}
