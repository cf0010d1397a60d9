package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// TaskKind says whether a task is carried by an ICT coupling or by people.
type TaskKind string

// Task kinds.
const (
	// TaskAutomated is a step the hub hands to a chain partner's system.
	TaskAutomated TaskKind = "automated"
	// TaskManual is a step blocked by a coupling gap: someone has to do it
	// by hand, and the task says why.
	TaskManual TaskKind = "manual"
	// TaskTracked is a step the case follows without sending anything: the
	// partner learns of it another way, or the front office takes it; the
	// task says why.
	TaskTracked TaskKind = "tracked"
)

// TaskStatus is the state of a task.
type TaskStatus string

// Task statuses.
const (
	TaskOpen         TaskStatus = "open"         // not yet sent to the partner
	TaskSent         TaskStatus = "sent"         // the partner's endpoint took the message
	TaskAcknowledged TaskStatus = "acknowledged" // the partner confirmed it is handling it
	TaskDone         TaskStatus = "done"         // finished
	TaskFailed       TaskStatus = "failed"       // could not be done; may be reopened
	TaskWithdrawn    TaskStatus = "withdrawn"    // its case was cancelled before it was done; final
)

// canBecome reports whether a task may move from s to to. Done and
// withdrawn are final; a failed task can be reopened to try again; every
// task not done can be withdrawn.
func (s TaskStatus) canBecome(to TaskStatus) bool {
	switch s {
	case TaskOpen:
		return to == TaskSent || to == TaskAcknowledged || to == TaskDone || to == TaskFailed || to == TaskWithdrawn
	case TaskSent:
		return to == TaskAcknowledged || to == TaskDone || to == TaskFailed || to == TaskWithdrawn
	case TaskAcknowledged:
		return to == TaskDone || to == TaskFailed || to == TaskWithdrawn
	case TaskFailed:
		return to == TaskOpen || to == TaskWithdrawn
	}
	return false
}

// Task is one chain partner's step in a case.
type Task struct {
	ID        uuid.UUID
	CaseID    uuid.UUID
	Position  int    // order within the case, from 0
	StepID    string // the catalogue's step id
	PartnerID string // the chain partner that takes the step
	Kind      TaskKind
	Reason    string // for manual and tracked tasks: why nothing is sent
	Status    TaskStatus
	Note      string // the note given with the last status change
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64 // starts at 1; every change adds 1
}

// NewTask is a task to create with a case.
type NewTask struct {
	StepID    string
	PartnerID string
	Kind      TaskKind
	Reason    string // required for manual and tracked tasks
}

func (t NewTask) validate() error {
	if t.StepID == "" || t.PartnerID == "" {
		return invalidf("step id and partner id are required")
	}
	if err := validTexts("step id", t.StepID, "partner id", t.PartnerID, "reason", t.Reason); err != nil {
		return err
	}
	switch t.Kind {
	case TaskAutomated:
	case TaskManual, TaskTracked:
		if t.Reason == "" {
			return invalidf("a %s task needs the reason it is not sent", t.Kind)
		}
	default:
		return invalidf("task kind %q: want automated, manual or tracked", t.Kind)
	}
	return nil
}

type taskRow struct {
	ID        uuid.UUID `db:"id"`
	CaseID    uuid.UUID `db:"case_id"`
	Position  int       `db:"position"`
	StepID    string    `db:"step_id"`
	PartnerID string    `db:"partner_id"`
	Kind      string    `db:"kind"`
	Reason    string    `db:"reason"`
	Status    string    `db:"status"`
	Note      string    `db:"note"`
	CreatedAt time.Time `db:"created_at"`
	UpdatedAt time.Time `db:"updated_at"`
	Version   int64     `db:"version"`
}

const taskColumns = `id, case_id, position, step_id, partner_id, kind, reason, status, note, created_at, updated_at, version`

func (r taskRow) toTask() Task {
	return Task{
		ID: r.ID, CaseID: r.CaseID, Position: r.Position, StepID: r.StepID, PartnerID: r.PartnerID,
		Kind: TaskKind(r.Kind), Reason: r.Reason, Status: TaskStatus(r.Status), Note: r.Note,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version,
	}
}

func (s *Store) insertTask(ctx context.Context, tx *sqlx.Tx, caseID uuid.UUID, pos int, nt NewTask, now time.Time) (*Task, error) {
	t := Task{
		ID: newID(), CaseID: caseID, Position: pos, StepID: nt.StepID, PartnerID: nt.PartnerID,
		Kind: nt.Kind, Reason: nt.Reason, Status: TaskOpen, CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	_, err := exec(ctx, tx, `INSERT INTO tasks (`+taskColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.CaseID, t.Position, t.StepID, t.PartnerID, string(t.Kind), t.Reason, string(t.Status),
		t.Note, t.CreatedAt, t.UpdatedAt, t.Version)
	if err != nil {
		return nil, fmt.Errorf("insert task %q for %q: %w", nt.StepID, nt.PartnerID, err)
	}
	return &t, nil
}

// Task returns the task with the given ID, or ErrNotFound.
func (s *Store) Task(ctx context.Context, id uuid.UUID) (_ *Task, err error) {
	defer wrap(&err, "Task(%s)", id)
	return s.getTask(ctx, s.ro, id)
}

func (s *Store) getTask(ctx context.Context, q sqlx.QueryerContext, id uuid.UUID) (*Task, error) {
	var r taskRow
	err := get(ctx, q, &r, `SELECT `+taskColumns+` FROM tasks WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("task", id.String())
	}
	if err != nil {
		return nil, err
	}
	t := r.toTask()
	return &t, nil
}

// Tasks returns a case's tasks in order. It returns ErrNotFound when the
// case does not exist.
func (s *Store) Tasks(ctx context.Context, caseID uuid.UUID) (_ []Task, err error) {
	defer wrap(&err, "Tasks(%s)", caseID)
	var tasks []Task
	err = s.readTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := s.getCase(ctx, tx, caseID); err != nil {
			return err
		}
		tasks, err = s.listTasks(ctx, tx, caseID)
		return err
	})
	return tasks, err
}

func (s *Store) listTasks(ctx context.Context, q sqlx.QueryerContext, caseID uuid.UUID) ([]Task, error) {
	var rows []taskRow
	if err := selectAll(ctx, q, &rows, `SELECT `+taskColumns+` FROM tasks WHERE case_id = ? ORDER BY position`, caseID); err != nil {
		return nil, err
	}
	tasks := make([]Task, len(rows))
	for i, r := range rows {
		tasks[i] = r.toTask()
	}
	return tasks, nil
}

// TaskStatusChange is the request to change a task's status.
type TaskStatusChange struct {
	TaskID          uuid.UUID
	ExpectedVersion int64 // the version the caller last read
	Status          TaskStatus
	Note            string
	Actor           string // principal ID; also the namespace of IdempotencyKey
	IdempotencyKey  string // optional; see NewCase
	RequestHash     string // optional; see NewCase
}

// UpdateTaskStatus changes a task's status if its version is still
// ExpectedVersion and the transition is allowed, and appends
// "task_status_changed" to the case timeline. Of several concurrent updates
// based on one version, exactly one succeeds; the others get ErrConflict.
// A replay under the same idempotency key returns the task as it is now,
// with replayed set.
//
// Allowed transitions: open → sent, acknowledged, done, failed;
// sent → acknowledged, done, failed; acknowledged → done, failed;
// failed → open; and anything but done → withdrawn. Done and withdrawn
// are final. Only CancelCase withdraws tasks; the case service refuses
// withdrawn from its callers.
//
// Errors: ErrNotFound; ErrConflict (a *ConflictError) when the version is
// stale; ErrInvalidTransition (a *TransitionError); ErrIdempotencyMismatch.
func (s *Store) UpdateTaskStatus(ctx context.Context, ch TaskStatusChange) (_ *Task, replayed bool, err error) {
	defer wrap(&err, "UpdateTaskStatus(%s)", ch.TaskID)
	if ch.Actor == "" {
		return nil, false, invalidf("actor is required")
	}
	if err := validTexts("actor", ch.Actor, "note", ch.Note, "idempotency key", ch.IdempotencyKey); err != nil {
		return nil, false, err
	}
	req := ch
	req.IdempotencyKey, req.RequestHash = "", ""
	hash, err := fingerprint(ch.IdempotencyKey, ch.RequestHash, req)
	if err != nil {
		return nil, false, err
	}
	var t *Task
	err = s.Transact(ctx, func(tx *sqlx.Tx) error {
		claim, err := s.claimKey(ctx, tx, scopeTaskStatus, ch.Actor, ch.IdempotencyKey, hash, ch.TaskID)
		if err != nil {
			return err
		}
		if replayed = claim.replay; replayed {
			t, err = s.getTask(ctx, tx, ch.TaskID)
			return err
		}
		cur, err := s.getTask(ctx, tx, ch.TaskID)
		if err != nil {
			return err
		}
		t, err = s.setTaskStatus(ctx, tx, cur, ch.ExpectedVersion, ch.Status, ch.Note, ch.Actor)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return t, replayed, nil
}

// setTaskStatus moves cur to status if it is still at expected version,
// and records the change on the timeline.
func (s *Store) setTaskStatus(ctx context.Context, tx *sqlx.Tx, cur *Task, expected int64, status TaskStatus, note, actor string) (*Task, error) {
	if cur.Version != expected {
		return nil, &ConflictError{Entity: "task", ID: cur.ID.String(), Expected: expected, Actual: cur.Version}
	}
	if !cur.Status.canBecome(status) {
		return nil, &TransitionError{Entity: "task", ID: cur.ID.String(), From: string(cur.Status), To: string(status)}
	}
	now := s.timestamp()
	// The version in the WHERE clause is what makes the update safe across
	// replicas: a concurrent writer that committed first has raised the
	// version, so this statement changes no row.
	ok, err := execOne(ctx, tx, `
		UPDATE tasks SET status = ?, note = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`, string(status), note, now, cur.ID, expected)
	if err != nil {
		return nil, err
	}
	if !ok {
		latest, err := s.getTask(ctx, tx, cur.ID)
		if err != nil {
			return nil, err
		}
		return nil, &ConflictError{Entity: "task", ID: cur.ID.String(), Expected: expected, Actual: latest.Version}
	}
	from := cur.Status
	t := *cur
	t.Status, t.Note, t.UpdatedAt, t.Version = status, note, now, cur.Version+1
	data := map[string]any{"stepId": t.StepID, "partnerId": t.PartnerID, "from": from, "to": status, "version": t.Version}
	if note != "" {
		data["note"] = note
	}
	err = s.appendEvent(ctx, tx, newEvent{
		caseID: t.CaseID, kind: EventTaskStatusChanged, actor: actor, taskID: nullUUID(t.ID),
		summary: fmt.Sprintf("task %s (%s): %s → %s", t.StepID, t.PartnerID, from, status),
		data:    data,
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}
