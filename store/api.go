package store

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// The interfaces below group the Store's methods by the component that
// uses them, so that each can depend on (and fake) only its part. Each
// method's documentation on Store states its contract and its errors.

// Cases is what the case service and the GraphQL layer use to open, read
// and advance cases.
type Cases interface {
	CreateCase(ctx context.Context, nc NewCase) (*CaseResult, error)
	Case(ctx context.Context, id uuid.UUID) (*Case, error)
	ListCases(ctx context.Context, f CaseFilter, p Page) (*CaseConnection, error)
	UpdateCaseStatus(ctx context.Context, ch CaseStatusChange) (*Case, bool, error)
	CancelCase(ctx context.Context, cc CaseCancel) (*CancelResult, error)
	Tasks(ctx context.Context, caseID uuid.UUID) ([]Task, error)
	Task(ctx context.Context, id uuid.UUID) (*Task, error)
	UpdateTaskStatus(ctx context.Context, ch TaskStatusChange) (*Task, bool, error)
	Messages(ctx context.Context, caseID uuid.UUID, p Page) (*MessageConnection, error)
	Timeline(ctx context.Context, caseID uuid.UUID, p Page) (*TimelineConnection, error)
}

// Handovers is what the front office uses to hand a contact over warmly,
// and what the receiving side uses to find and acknowledge it.
type Handovers interface {
	CreateHandover(ctx context.Context, nh NewHandover) (*Handover, bool, error)
	AcknowledgeHandover(ctx context.Context, ack HandoverAck) (*Handover, bool, error)
	Handover(ctx context.Context, id uuid.UUID) (*Handover, error)
	ListHandovers(ctx context.Context, f HandoverFilter, p Page) (*HandoverConnection, error)
}

// Outbox is what a dispatcher uses to deliver partner notifications, and
// what operators use to see and requeue parked ones.
//
// A dispatcher loops: ClaimDue; deliver each message with its
// IdempotencyKey; then MarkDelivered, or MarkFailed with
// now+Backoff(m.Attempts) and park set once m.Attempts >= MaxAttempts.
type Outbox interface {
	ClaimDue(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]OutboxMessage, error)
	MarkDelivered(ctx context.Context, id uuid.UUID) error
	MarkFailed(ctx context.Context, id, leaseToken uuid.UUID, cause error, nextAttempt time.Time, park bool) error
	ListParked(ctx context.Context, scope *Scope, p Page) (*MessageConnection, error)
	Requeue(ctx context.Context, id uuid.UUID, actor string) (*OutboxMessage, error)
	Message(ctx context.Context, id uuid.UUID) (*OutboxMessage, error)
}

var (
	_ Cases     = (*Store)(nil)
	_ Handovers = (*Store)(nil)
	_ Outbox    = (*Store)(nil)
)
