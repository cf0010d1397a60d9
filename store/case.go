package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// SubjectKind says what a case or handover is about.
type SubjectKind string

// Subject kinds, named as in the GraphQL schema.
const (
	SubjectPerson  SubjectKind = "PERSON"  // ID is a BSN
	SubjectCompany SubjectKind = "COMPANY" // ID is a KvK number
	SubjectAddress SubjectKind = "ADDRESS" // ID is a BAG identification
)

func (k SubjectKind) valid() bool {
	return k == SubjectPerson || k == SubjectCompany || k == SubjectAddress
}

// Subject identifies the person, company or address a case is about. The
// store does not check the identifier's format: that happens at the edge,
// before any request reaches the store.
type Subject struct {
	Kind SubjectKind
	ID   string
}

func (s Subject) validate() error {
	if !s.Kind.valid() {
		return invalidf("subject kind: want PERSON, COMPANY or ADDRESS")
	}
	if s.ID == "" {
		return invalidf("subject id is required")
	}
	return validText("subject id", s.ID)
}

// CaseStatus is the state of a case.
type CaseStatus string

// Case statuses. A case starts open; it can be closed (and reopened) or
// cancelled (final).
const (
	CaseOpen      CaseStatus = "open"
	CaseClosed    CaseStatus = "closed"
	CaseCancelled CaseStatus = "cancelled"
)

// canBecome reports whether a case may move from s to to.
func (s CaseStatus) canBecome(to CaseStatus) bool {
	switch s {
	case CaseOpen:
		return to == CaseClosed || to == CaseCancelled
	case CaseClosed:
		return to == CaseOpen
	}
	return false
}

// Case is one life event of one subject being handled: the front office
// opened it, and its tasks track each chain partner's step.
type Case struct {
	ID          uuid.UUID
	LifeEventID string // the catalogue's id, such as "birth"
	Subject     Subject
	Channel     string // the channel the case was opened over, such as "desk"
	Status      CaseStatus
	CreatedBy   string // principal ID
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int64 // starts at 1; every change to the case row adds 1
	// Role is the role the subject plays in the life event, a role id of
	// the catalogue; empty for the event's anchor.
	Role string
}

type caseRow struct {
	ID          uuid.UUID `db:"id"`
	LifeEventID string    `db:"life_event_id"`
	SubjectKind string    `db:"subject_kind"`
	SubjectID   string    `db:"subject_id"`
	Channel     string    `db:"channel"`
	Status      string    `db:"status"`
	CreatedBy   string    `db:"created_by"`
	CreatedAt   time.Time `db:"created_at"`
	UpdatedAt   time.Time `db:"updated_at"`
	Version     int64     `db:"version"`
	Role        string    `db:"subject_role"`
}

const caseColumns = `id, life_event_id, subject_kind, subject_id, channel, status, created_by, created_at, updated_at, version, subject_role`

func (r caseRow) toCase() Case {
	return Case{
		ID: r.ID, LifeEventID: r.LifeEventID, Subject: Subject{Kind: SubjectKind(r.SubjectKind), ID: r.SubjectID},
		Channel: r.Channel, Status: CaseStatus(r.Status), CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version, Role: r.Role,
	}
}

// NewCase is the request to open a case. CreateCase stores the case, its
// tasks, its outbox messages and a timeline event in one transaction.
type NewCase struct {
	LifeEventID string
	Subject     Subject
	Channel     string
	CreatedBy   string // principal ID; also the namespace of IdempotencyKey
	Tasks       []NewTask
	Messages    []NewOutboxMessage

	// IdempotencyKey, when set, makes the request safe to retry: the same
	// key (for the same principal) returns the first case instead of opening
	// another.
	IdempotencyKey string
	// RequestHash fingerprints the request so that a key reused for a
	// different request is refused. When empty the store computes it from
	// all other fields.
	RequestHash string
	// Override, when set, says why the case is opened although the
	// registries did not confirm the subject or the event; the
	// "case_opened" event keeps it.
	Override string
	// Role is the role the subject plays in the event; empty for its
	// anchor.
	Role string
}

func (nc NewCase) validate() error {
	if nc.LifeEventID == "" || nc.Channel == "" || nc.CreatedBy == "" {
		return invalidf("life event id, channel and created by are required")
	}
	if err := nc.Subject.validate(); err != nil {
		return err
	}
	if err := validTexts("life event id", nc.LifeEventID, "channel", nc.Channel, "created by", nc.CreatedBy,
		"idempotency key", nc.IdempotencyKey, "override", nc.Override, "role", nc.Role); err != nil {
		return err
	}
	steps := make(map[[2]string]bool, len(nc.Tasks))
	for i, t := range nc.Tasks {
		if err := t.validate(); err != nil {
			return fmt.Errorf("task %d: %w", i, err)
		}
		k := [2]string{t.StepID, t.PartnerID}
		if steps[k] {
			return invalidf("task %d: step %q for partner %q appears twice", i, t.StepID, t.PartnerID)
		}
		steps[k] = true
	}
	for i, m := range nc.Messages {
		if err := m.validate(); err != nil {
			return fmt.Errorf("message %d: %w", i, err)
		}
		linked := make(map[string]bool, len(m.StepIDs))
		for _, step := range m.StepIDs {
			if !steps[[2]string{step, m.PartnerID}] {
				return invalidf("message %d: no task for step %q and partner %q", i, step, m.PartnerID)
			}
			if linked[step] {
				return invalidf("message %d: step %q appears twice", i, step)
			}
			linked[step] = true
		}
	}
	return nil
}

// CaseResult is what CreateCase returns.
type CaseResult struct {
	Case     Case
	Tasks    []Task          // in the order they were given
	Messages []OutboxMessage // in the order they were given
	// Replayed is true when the idempotency key had been used before and
	// the case is the one the first request opened (as it is now).
	Replayed bool
}

// CreateCase opens a case with its tasks and outbox messages, and appends
// "case_opened" to its timeline, all in one transaction.
//
// Errors: ErrInvalidArgument for a malformed request; ErrIdempotencyMismatch
// when the key was used before for a different request.
func (s *Store) CreateCase(ctx context.Context, nc NewCase) (_ *CaseResult, err error) {
	defer wrap(&err, "CreateCase")
	if err := nc.validate(); err != nil {
		return nil, err
	}
	req := nc
	req.IdempotencyKey, req.RequestHash = "", ""
	hash, err := fingerprint(nc.IdempotencyKey, nc.RequestHash, req)
	if err != nil {
		return nil, err
	}
	var res *CaseResult
	err = s.Transact(ctx, func(tx *sqlx.Tx) error {
		id := newID()
		claim, err := s.claimKey(ctx, tx, scopeCreateCase, nc.CreatedBy, nc.IdempotencyKey, hash, id)
		if err != nil {
			return err
		}
		if claim.replay {
			if res, err = s.loadCaseResult(ctx, tx, claim.first); err != nil {
				return err
			}
			res.Replayed = true
			return nil
		}
		res, err = s.insertCase(ctx, tx, id, nc)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (s *Store) insertCase(ctx context.Context, tx *sqlx.Tx, id uuid.UUID, nc NewCase) (*CaseResult, error) {
	now := s.timestamp()
	c := Case{
		ID: id, LifeEventID: nc.LifeEventID, Subject: nc.Subject, Channel: nc.Channel,
		Status: CaseOpen, CreatedBy: nc.CreatedBy, CreatedAt: now, UpdatedAt: now, Version: 1, Role: nc.Role,
	}
	if _, err := exec(ctx, tx, `INSERT INTO cases (`+caseColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.LifeEventID, string(c.Subject.Kind), c.Subject.ID, c.Channel, string(c.Status),
		c.CreatedBy, c.CreatedAt, c.UpdatedAt, c.Version, c.Role); err != nil {
		return nil, fmt.Errorf("insert case: %w", err)
	}
	res := &CaseResult{Case: c}
	positions := make(map[[2]string]int, len(nc.Tasks))
	manual := 0
	for i, nt := range nc.Tasks {
		t, err := s.insertTask(ctx, tx, c.ID, i, nt, now)
		if err != nil {
			return nil, err
		}
		positions[[2]string{t.StepID, t.PartnerID}] = t.Position
		if t.Kind == TaskManual {
			manual++
		}
		res.Tasks = append(res.Tasks, *t)
	}
	for _, nm := range nc.Messages {
		ref := messageRef{caseID: nullUUID(c.ID)}
		var linked []int
		for _, step := range nm.StepIDs {
			linked = append(linked, positions[[2]string{step, nm.PartnerID}])
		}
		slices.Sort(linked)
		for _, pos := range linked {
			ref.taskIDs = append(ref.taskIDs, res.Tasks[pos].ID)
		}
		m, err := s.insertMessage(ctx, tx, ref, nm, now)
		if err != nil {
			return nil, err
		}
		res.Messages = append(res.Messages, *m)
	}
	ev := newEvent{
		caseID: c.ID, kind: EventCaseOpened, actor: c.CreatedBy,
		summary: fmt.Sprintf("case opened for life event %s over %s: %d tasks (%d manual), %d partner notifications",
			c.LifeEventID, c.Channel, len(res.Tasks), manual, len(res.Messages)),
		data: map[string]any{
			"lifeEventId": c.LifeEventID, "channel": c.Channel,
			"tasks": len(res.Tasks), "manualTasks": manual, "messages": len(res.Messages),
		},
	}
	if nc.Role != "" {
		ev.summary += "; the subject is the event's " + nc.Role
		ev.data["role"] = nc.Role
	}
	if nc.Override != "" {
		ev.summary += "; opened without the registries' confirmation: " + nc.Override
		ev.data["override"] = nc.Override
	}
	err := s.appendEvent(ctx, tx, ev)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// loadCaseResult reads a case with its tasks and messages within tx.
func (s *Store) loadCaseResult(ctx context.Context, tx *sqlx.Tx, id uuid.UUID) (*CaseResult, error) {
	c, err := s.getCase(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	tasks, err := s.listTasks(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	msgs, err := s.listMessages(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return &CaseResult{Case: *c, Tasks: tasks, Messages: msgs}, nil
}

// Case returns the case with the given ID, or ErrNotFound.
func (s *Store) Case(ctx context.Context, id uuid.UUID) (_ *Case, err error) {
	defer wrap(&err, "Case(%s)", id)
	return s.getCase(ctx, s.ro, id)
}

func (s *Store) getCase(ctx context.Context, q sqlx.QueryerContext, id uuid.UUID) (*Case, error) {
	var r caseRow
	err := get(ctx, q, &r, `SELECT `+caseColumns+` FROM cases WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("case", id.String())
	}
	if err != nil {
		return nil, err
	}
	c := r.toCase()
	return &c, nil
}

// CaseStatusChange is the request to change a case's status.
type CaseStatusChange struct {
	CaseID          uuid.UUID
	ExpectedVersion int64 // the version the caller last read
	Status          CaseStatus
	Actor           string // principal ID; also the namespace of IdempotencyKey
	IdempotencyKey  string // optional; see NewCase
	RequestHash     string // optional; see NewCase
}

// UpdateCaseStatus changes a case's status if its version is still
// ExpectedVersion, and appends "case_status_changed" to its timeline. It
// returns the updated case.
//
// Errors: ErrNotFound; ErrConflict (a *ConflictError) when the version is
// stale; ErrInvalidTransition when the status cannot change that way;
// ErrIdempotencyMismatch.
func (s *Store) UpdateCaseStatus(ctx context.Context, ch CaseStatusChange) (_ *Case, replayed bool, err error) {
	defer wrap(&err, "UpdateCaseStatus(%s)", ch.CaseID)
	if ch.Actor == "" {
		return nil, false, invalidf("actor is required")
	}
	if err := validTexts("actor", ch.Actor, "idempotency key", ch.IdempotencyKey); err != nil {
		return nil, false, err
	}
	req := ch
	req.IdempotencyKey, req.RequestHash = "", ""
	hash, err := fingerprint(ch.IdempotencyKey, ch.RequestHash, req)
	if err != nil {
		return nil, false, err
	}
	var c *Case
	err = s.Transact(ctx, func(tx *sqlx.Tx) error {
		claim, err := s.claimKey(ctx, tx, scopeCaseStatus, ch.Actor, ch.IdempotencyKey, hash, ch.CaseID)
		if err != nil {
			return err
		}
		if replayed = claim.replay; replayed {
			c, err = s.getCase(ctx, tx, ch.CaseID)
			return err
		}
		cur, err := s.getCase(ctx, tx, ch.CaseID)
		if err != nil {
			return err
		}
		if cur.Version != ch.ExpectedVersion {
			return &ConflictError{Entity: "case", ID: cur.ID.String(), Expected: ch.ExpectedVersion, Actual: cur.Version}
		}
		if !cur.Status.canBecome(ch.Status) {
			return &TransitionError{Entity: "case", ID: cur.ID.String(), From: string(cur.Status), To: string(ch.Status)}
		}
		now := s.timestamp()
		ok, err := execOne(ctx, tx, `
			UPDATE cases SET status = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND version = ?`, string(ch.Status), now, cur.ID, cur.Version)
		if err != nil {
			return err
		}
		if !ok {
			return s.caseConflict(ctx, tx, cur.ID, ch.ExpectedVersion)
		}
		from := cur.Status
		cur.Status, cur.UpdatedAt, cur.Version = ch.Status, now, cur.Version+1
		c = cur
		return s.appendEvent(ctx, tx, newEvent{
			caseID: cur.ID, kind: EventCaseStatusChanged, actor: ch.Actor,
			summary: fmt.Sprintf("case %s → %s", from, cur.Status),
			data:    map[string]any{"from": from, "to": cur.Status, "version": cur.Version},
		})
	})
	if err != nil {
		return nil, false, err
	}
	return c, replayed, nil
}

// caseConflict builds the conflict error after a versioned update of a
// case changed no row: another transaction updated it first.
func (s *Store) caseConflict(ctx context.Context, tx *sqlx.Tx, id uuid.UUID, expected int64) error {
	c, err := s.getCase(ctx, tx, id)
	if err != nil {
		return err
	}
	return &ConflictError{Entity: "case", ID: id.String(), Expected: expected, Actual: c.Version}
}

// CaseFilter selects cases to list. Zero fields do not filter.
type CaseFilter struct {
	Subject     *Subject
	Status      CaseStatus
	LifeEventID string
	// Scope, when set, leaves out the cases the principal may not see.
	Scope *Scope
}

// CaseEdge is one case in a CaseConnection.
type CaseEdge = Edge[Case]

// CaseConnection is a page of cases in the shape of a Relay connection;
// its TotalCount counts all cases matching the filter, on every page.
type CaseConnection = Connection[Case]

// ListCases returns a page of the cases matching f, ordered by creation time
// and then ID, oldest first. Cursors stay valid while cases are added: a
// new case never shifts the cases already seen.
//
// Errors: ErrInvalidArgument for a bad filter or page; ErrInvalidCursor
// (which matches ErrInvalidArgument) for a cursor this list did not issue.
func (s *Store) ListCases(ctx context.Context, f CaseFilter, p Page) (_ *CaseConnection, err error) {
	defer wrap(&err, "ListCases")
	var where []string
	var args []any
	if f.Subject != nil {
		if err := f.Subject.validate(); err != nil {
			return nil, err
		}
		where = append(where, "subject_kind = ? AND subject_id = ?")
		args = append(args, string(f.Subject.Kind), f.Subject.ID)
	}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, string(f.Status))
	}
	if f.LifeEventID != "" {
		where = append(where, "life_event_id = ?")
		args = append(args, f.LifeEventID)
	}
	if f.Scope != nil {
		cond, condArgs := f.Scope.caseSQL("cases")
		where = append(where, cond)
		args = append(args, condArgs...)
	}
	q := listQuery{columns: caseColumns, from: "cases", where: strings.Join(where, " AND "), args: args}
	var pg *page[caseRow]
	err = s.readTx(ctx, func(tx *sqlx.Tx) error {
		pg, err = readPage(ctx, tx, casesKeyset, q, p, func(r *caseRow) []any { return []any{dbTime(r.CreatedAt), r.ID} })
		return err
	})
	if err != nil {
		return nil, err
	}
	return connection(pg, caseRow.toCase), nil
}
