package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// AuditLog is the append-only record of every disclosure of personal data,
// modelled on the Logboek Dataverwerkingen standard. By design it has no
// way to change or remove a record: append, list and verify are all there
// is. On both databases triggers also refuse UPDATE and DELETE on the log.
type AuditLog interface {
	// AppendAudit writes records in one transaction, chained after the
	// records already there. It returns nil only once the records are
	// committed; on any error the caller must not disclose the data the
	// records describe (fail closed).
	//
	// Errors: ErrInvalidArgument for a record missing a required field;
	// ErrNoPseudonymKey.
	AppendAudit(ctx context.Context, records []AuditRecord) error

	// ListAudit returns a page of the records about one data subject, in
	// the order they were appended. The subject's identifier is
	// pseudonymised with the store's key before the search, exactly as it
	// was on append.
	//
	// Errors: ErrInvalidArgument, ErrInvalidCursor; ErrNoPseudonymKey.
	ListAudit(ctx context.Context, subject DataSubject, p Page) (*AuditConnection, error)

	// AuditEntry returns the record at a position in the chain.
	//
	// Errors: ErrNotFound.
	AuditEntry(ctx context.Context, seq int64) (*AuditEntry, error)

	// VerifyAudit walks the whole chain and reports the first broken link.
	// A broken chain is a finding in the report, not an error; the error
	// is for failing to read the log.
	VerifyAudit(ctx context.Context) (VerifyReport, error)
}

var _ AuditLog = (*Store)(nil)

// DataSubjectType names the kind of identifier of a data subject.
type DataSubjectType string

// Data subject identifier types.
const (
	DataSubjectBSN DataSubjectType = "BSN" // a person's citizen service number
	DataSubjectKvK DataSubjectType = "KVK" // a KvK number (sole traders are people)
)

// DataSubject is the person (betrokkene) a disclosure is about. The zero
// value means the record has no data subject.
type DataSubject struct {
	Type DataSubjectType
	ID   string // the plain identifier; the store keeps only its pseudonym
}

// AuditStatus is the Logboek Dataverwerkingen status_code of a processing.
type AuditStatus int

// Audit statuses, numbered as in the standard.
const (
	AuditStatusUnknown AuditStatus = 0
	AuditStatusOK      AuditStatus = 1
	AuditStatusError   AuditStatus = 2
)

// Principal is who asked for the data.
type Principal struct {
	Subject         string // the user or client ID
	OrganisationOIN string // the organisation's OIN
	Role            string // such as "kcc-medewerker" or "auditor"
}

// ForeignOperation links a record to the operation of another organisation
// that caused it (the standard's foreign_operation).
type ForeignOperation struct {
	TraceID     string // 32 hex digits
	OperationID string // 16 hex digits
	Entity      string // URI of the other organisation
}

// AuditRecord is one disclosure to append. Field names follow the Logboek
// Dataverwerkingen interface; SpanID is its operation_id.
type AuditRecord struct {
	TraceID      string // 32 lowercase hex digits (W3C trace context)
	SpanID       string // 16 lowercase hex digits
	ParentSpanID string // 16 lowercase hex digits, or empty
	Name         string // the operation, such as "brp.personen.raadplegen"
	Status       AuditStatus
	StartTime    time.Time
	EndTime      time.Time
	// ProcessingActivityID is the URI of the processing activity
	// (verwerkingsactiviteit) in the register.
	ProcessingActivityID string
	DataSubject          DataSubject
	Registry             string   // the registry the data came from, such as "BRP"
	Fields               []string // the fields disclosed
	Purpose              string   // the purpose (doelbinding) the data was asked for
	Principal            Principal
	Foreign              *ForeignOperation
}

// AuditEntry is a stored audit record as the auditor sees it.
type AuditEntry struct {
	Seq                  int64 // position in the chain, from 1, without gaps
	TraceID              string
	SpanID               string
	ParentSpanID         string
	Name                 string
	Status               AuditStatus
	StartTime            time.Time
	EndTime              time.Time
	ProcessingActivityID string
	// DataSubjectPseudonym is the HMAC-SHA256 of the identifier (hex),
	// empty when the record has no data subject.
	DataSubjectPseudonym string
	DataSubjectType      DataSubjectType
	Registry             string
	Fields               []string
	Purpose              string
	Principal            Principal
	Foreign              *ForeignOperation
	RecordedAt           time.Time
	PrevHash             string // Hash of the record before, or 64 zeros for the first
	Hash                 string // SHA-256 over this record's content and PrevHash
}

// AuditEdge is one entry in an AuditConnection.
type AuditEdge = Edge[AuditEntry]

// AuditConnection is a page of audit entries in the shape of a Relay
// connection.
type AuditConnection = Connection[AuditEntry]

// VerifyReport is the outcome of VerifyAudit.
// Its JSON (poort audit verify --json) names fields as the schema does
// (a record's position in the chain is its sequence).
type VerifyReport struct {
	OK       bool   `json:"ok"`
	Checked  int64  `json:"checked"`      // records read
	HeadSeq  int64  `json:"headSequence"` // the chain head's last sequence number
	HeadHash string `json:"headHash"`     // the chain head's hash; record it elsewhere to detect a rewrite of the whole log
	// FirstBroken is the first link that does not hold, nil when OK.
	FirstBroken *BrokenLink `json:"firstBroken"`
}

// BrokenLink describes where and how the chain is broken.
type BrokenLink struct {
	Seq    int64  `json:"sequence"`
	Reason string `json:"reason"`
}

// genesisHash is the PrevHash of the first record.
const genesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

type auditRow struct {
	Seq                  int64     `db:"seq"`
	TraceID              string    `db:"trace_id"`
	SpanID               string    `db:"span_id"`
	ParentSpanID         string    `db:"parent_span_id"`
	Name                 string    `db:"name"`
	StatusCode           int       `db:"status_code"`
	StartTime            time.Time `db:"start_time"`
	EndTime              time.Time `db:"end_time"`
	ProcessingActivityID string    `db:"processing_activity_id"`
	DataSubjectPseudonym string    `db:"data_subject_pseudonym"`
	DataSubjectType      string    `db:"data_subject_type"`
	Registry             string    `db:"registry"`
	FieldsDisclosed      string    `db:"fields_disclosed"`
	Purpose              string    `db:"purpose"`
	PrincipalSubject     string    `db:"principal_subject"`
	PrincipalOIN         string    `db:"principal_oin"`
	PrincipalRole        string    `db:"principal_role"`
	ForeignTraceID       string    `db:"foreign_trace_id"`
	ForeignOperationID   string    `db:"foreign_operation_id"`
	ForeignEntity        string    `db:"foreign_entity"`
	RecordedAt           time.Time `db:"recorded_at"`
	PrevHash             string    `db:"prev_hash"`
	Hash                 string    `db:"hash"`
}

const auditColumns = `seq, trace_id, span_id, parent_span_id, name, status_code, start_time, end_time,
	processing_activity_id, data_subject_pseudonym, data_subject_type, registry, fields_disclosed, purpose,
	principal_subject, principal_oin, principal_role, foreign_trace_id, foreign_operation_id, foreign_entity,
	recorded_at, prev_hash, hash`

// contentHash is the SHA-256 of the row's canonical form: a JSON object
// with a fixed field order, times as UTC RFC 3339 with microseconds. It
// covers prev_hash and seq, so changing, removing or reordering a record
// breaks the chain. The format is versioned ("v") so it can evolve without
// invalidating old records.
func (r *auditRow) contentHash() string {
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
	canonical := struct {
		V                    int    `json:"v"`
		Seq                  int64  `json:"seq"`
		PrevHash             string `json:"prevHash"`
		TraceID              string `json:"traceId"`
		SpanID               string `json:"spanId"`
		ParentSpanID         string `json:"parentSpanId"`
		Name                 string `json:"name"`
		StatusCode           int    `json:"statusCode"`
		StartTime            string `json:"startTime"`
		EndTime              string `json:"endTime"`
		ProcessingActivityID string `json:"processingActivityId"`
		DataSubjectPseudonym string `json:"dataSubjectPseudonym"`
		DataSubjectType      string `json:"dataSubjectType"`
		Registry             string `json:"registry"`
		FieldsDisclosed      string `json:"fieldsDisclosed"`
		Purpose              string `json:"purpose"`
		PrincipalSubject     string `json:"principalSubject"`
		PrincipalOIN         string `json:"principalOin"`
		PrincipalRole        string `json:"principalRole"`
		ForeignTraceID       string `json:"foreignTraceId"`
		ForeignOperationID   string `json:"foreignOperationId"`
		ForeignEntity        string `json:"foreignEntity"`
		RecordedAt           string `json:"recordedAt"`
	}{
		1, r.Seq, r.PrevHash, r.TraceID, r.SpanID, r.ParentSpanID, r.Name, r.StatusCode,
		ts(r.StartTime), ts(r.EndTime), r.ProcessingActivityID, r.DataSubjectPseudonym, r.DataSubjectType,
		r.Registry, r.FieldsDisclosed, r.Purpose, r.PrincipalSubject, r.PrincipalOIN, r.PrincipalRole,
		r.ForeignTraceID, r.ForeignOperationID, r.ForeignEntity, ts(r.RecordedAt),
	}
	b, _ := json.Marshal(canonical) // strings and ints only: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func (r *auditRow) entry() AuditEntry {
	var fields []string
	if err := json.Unmarshal([]byte(r.FieldsDisclosed), &fields); err != nil {
		// Written by this package as a JSON array; a record that no longer
		// parses has been tampered with and VerifyAudit will say so. Show
		// the raw text rather than hide it.
		fields = []string{r.FieldsDisclosed}
	}
	e := AuditEntry{
		Seq: r.Seq, TraceID: r.TraceID, SpanID: r.SpanID, ParentSpanID: r.ParentSpanID, Name: r.Name,
		Status: AuditStatus(r.StatusCode), StartTime: r.StartTime.UTC(), EndTime: r.EndTime.UTC(),
		ProcessingActivityID: r.ProcessingActivityID, DataSubjectPseudonym: r.DataSubjectPseudonym,
		DataSubjectType: DataSubjectType(r.DataSubjectType), Registry: r.Registry, Fields: fields,
		Purpose:    r.Purpose,
		Principal:  Principal{Subject: r.PrincipalSubject, OrganisationOIN: r.PrincipalOIN, Role: r.PrincipalRole},
		RecordedAt: r.RecordedAt.UTC(), PrevHash: r.PrevHash, Hash: r.Hash,
	}
	if r.ForeignTraceID != "" || r.ForeignOperationID != "" || r.ForeignEntity != "" {
		e.Foreign = &ForeignOperation{TraceID: r.ForeignTraceID, OperationID: r.ForeignOperationID, Entity: r.ForeignEntity}
	}
	return e
}

// pseudonymise returns the keyed pseudonym of a data subject identifier.
// The type is part of the input, so a BSN and a KvK number with the same
// digits never share a pseudonym.
func (s *Store) pseudonymise(ds DataSubject) string {
	m := hmac.New(sha256.New, s.pseudonymKey)
	m.Write([]byte(string(ds.Type) + ":" + ds.ID))
	return hex.EncodeToString(m.Sum(nil))
}

func (ds DataSubject) validate() error {
	if ds.Type != DataSubjectBSN && ds.Type != DataSubjectKvK {
		return invalidf("data subject type %q: want BSN or KVK", ds.Type)
	}
	if ds.ID == "" {
		return invalidf("data subject id is required")
	}
	return nil
}

func (r AuditRecord) validate() error {
	if !isHex(r.TraceID, 32) {
		return invalidf("trace id must be 32 lowercase hex digits, not all zero")
	}
	if !isHex(r.SpanID, 16) {
		return invalidf("span id must be 16 lowercase hex digits, not all zero")
	}
	if r.ParentSpanID != "" && !isHex(r.ParentSpanID, 16) {
		return invalidf("parent span id must be empty or 16 lowercase hex digits")
	}
	if r.Name == "" || r.ProcessingActivityID == "" || r.Registry == "" || r.Purpose == "" || r.Principal.Subject == "" {
		return invalidf("name, processing activity id, registry, purpose and principal subject are required")
	}
	if r.Status < AuditStatusUnknown || r.Status > AuditStatusError {
		return invalidf("status %d: want 0, 1 or 2", r.Status)
	}
	if r.StartTime.IsZero() || r.EndTime.IsZero() || r.EndTime.Before(r.StartTime) {
		return invalidf("start and end time are required, and end may not precede start")
	}
	if r.DataSubject != (DataSubject{}) {
		if err := r.DataSubject.validate(); err != nil {
			return err
		}
	}
	if f := r.Foreign; f != nil && (!isHex(f.TraceID, 32) || !isHex(f.OperationID, 16) || f.Entity == "") {
		return invalidf("foreign operation needs a 32-digit trace id, a 16-digit operation id and an entity")
	}
	return nil
}

// isHex reports whether s is n lowercase hex digits, not all zero (W3C
// trace context forbids all-zero IDs).
func isHex(s string, n int) bool {
	if len(s) != n || strings.Trim(s, "0") == "" {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// AppendAudit writes records in one transaction, each chained to the one
// before. See AuditLog.
//
// The chain-head row is locked for the transaction (SELECT ... FOR UPDATE on
// PostgreSQL; the single writer on SQLite), so appenders in several
// replicas queue up and the chain cannot fork. Sequence numbers are
// assigned under that lock and have no gaps.
func (s *Store) AppendAudit(ctx context.Context, records []AuditRecord) (err error) {
	defer wrap(&err, "AppendAudit")
	if len(records) == 0 {
		return nil
	}
	if s.pseudonymKey == nil {
		return ErrNoPseudonymKey
	}
	rows := make([]auditRow, len(records))
	for i, r := range records {
		// The message names the field, never its value: values may be personal.
		if err := r.validate(); err != nil {
			return fmt.Errorf("record %d: %w", i, err)
		}
		fields := r.Fields
		if fields == nil {
			fields = []string{}
		}
		fj, err := json.Marshal(fields)
		if err != nil {
			return fmt.Errorf("record %d: encode fields: %w", i, err)
		}
		row := auditRow{
			TraceID: r.TraceID, SpanID: r.SpanID, ParentSpanID: r.ParentSpanID, Name: r.Name,
			StatusCode: int(r.Status), StartTime: dbTime(r.StartTime), EndTime: dbTime(r.EndTime),
			ProcessingActivityID: r.ProcessingActivityID, Registry: r.Registry, FieldsDisclosed: string(fj),
			Purpose: r.Purpose, PrincipalSubject: r.Principal.Subject, PrincipalOIN: r.Principal.OrganisationOIN,
			PrincipalRole: r.Principal.Role,
		}
		if r.DataSubject != (DataSubject{}) {
			row.DataSubjectPseudonym, row.DataSubjectType = s.pseudonymise(r.DataSubject), string(r.DataSubject.Type)
		}
		if f := r.Foreign; f != nil {
			row.ForeignTraceID, row.ForeignOperationID, row.ForeignEntity = f.TraceID, f.OperationID, f.Entity
		}
		rows[i] = row
	}
	// Prepared before the transaction: on SQLite the transaction holds the
	// only writer connection, which preparing needs.
	stmts, err := s.auditSQL(ctx)
	if err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sqlx.Tx) error {
		var head struct {
			LastSeq  int64  `db:"last_seq"`
			LastHash string `db:"last_hash"`
		}
		var err error
		if stmts != nil {
			err = tx.StmtContext(ctx, stmts.head).QueryRowContext(ctx).Scan(&head.LastSeq, &head.LastHash)
		} else {
			err = get(ctx, tx, &head, auditHeadSQL+s.forUpdate())
		}
		if err != nil {
			return fmt.Errorf("lock chain head: %w", err)
		}
		now := s.timestamp()
		seq, prev := head.LastSeq, head.LastHash
		for i := range rows {
			// rows is reused if the transaction is retried, so every field
			// that depends on the head is set afresh here.
			r := &rows[i]
			seq++
			r.Seq, r.PrevHash, r.RecordedAt = seq, prev, now
			r.Hash = r.contentHash()
			prev = r.Hash
		}
		// Under the chain-head lock, where PostgreSQL replicas queue, the
		// rows go by COPY, which costs the server less per row than an
		// INSERT's parameters.
		if stmts != nil {
			if err := insertPrepared(ctx, tx.StmtContext(ctx, stmts.insert), rows); err != nil {
				return err
			}
			_, err = tx.StmtContext(ctx, stmts.advance).ExecContext(ctx, seq, prev)
		} else {
			if err := copyAuditRows(ctx, tx, rows); err != nil {
				return err
			}
			_, err = exec(ctx, tx, auditAdvanceSQL, seq, prev)
		}
		if err != nil {
			return fmt.Errorf("advance chain head: %w", err)
		}
		return nil
	})
}

const (
	auditHeadSQL    = `SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1`
	auditAdvanceSQL = `UPDATE audit_chain_head SET last_seq = ?, last_hash = ? WHERE id = 1`
	auditInsertSQL  = `INSERT INTO audit_log (` + auditColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// auditStatements are AppendAudit's statements on SQLite, prepared once on
// its single writer connection: parsing them afresh at every commit cost
// about a twentieth of the hub's CPU at a one-call look-up, and a prepared
// one-row INSERT run per record costs less than parsing one statement of
// many rows. PostgreSQL's driver caches its prepared statements itself,
// and its rows go by COPY.
type auditStatements struct {
	head, insert, advance *sql.Stmt
}

// auditSQL prepares the statements at the first call; nil on PostgreSQL.
func (s *Store) auditSQL(ctx context.Context) (*auditStatements, error) {
	if s.dialect == Postgres {
		return nil, nil
	}
	s.auditMu.Lock()
	defer s.auditMu.Unlock()
	if s.auditStmts != nil {
		return s.auditStmts, nil
	}
	var st auditStatements
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{{&st.head, auditHeadSQL}, {&st.insert, auditInsertSQL}, {&st.advance, auditAdvanceSQL}} {
		stmt, err := s.db.PrepareContext(ctx, p.sql)
		if err != nil {
			st.close()
			return nil, fmt.Errorf("prepare the audit log's statements: %w", err)
		}
		*p.dst = stmt
	}
	s.auditStmts = &st
	return &st, nil
}

func (st *auditStatements) close() {
	for _, stmt := range []*sql.Stmt{st.head, st.insert, st.advance} {
		if stmt != nil {
			stmt.Close()
		}
	}
}

// insertPrepared writes the rows with the prepared one-row INSERT.
func insertPrepared(ctx context.Context, insert *sql.Stmt, rows []auditRow) error {
	for i := range rows {
		r := &rows[i]
		if _, err := insert.ExecContext(ctx, r.Seq, r.TraceID, r.SpanID, r.ParentSpanID, r.Name, r.StatusCode, r.StartTime, r.EndTime,
			r.ProcessingActivityID, r.DataSubjectPseudonym, r.DataSubjectType, r.Registry, r.FieldsDisclosed,
			r.Purpose, r.PrincipalSubject, r.PrincipalOIN, r.PrincipalRole, r.ForeignTraceID,
			r.ForeignOperationID, r.ForeignEntity, r.RecordedAt, r.PrevHash, r.Hash); err != nil {
			return fmt.Errorf("insert audit record %d: %w", r.Seq, err)
		}
	}
	return nil
}

// copyAuditRows writes the rows with one COPY.
func copyAuditRows(ctx context.Context, tx *sqlx.Tx, rows []auditRow) error {
	stmt, err := tx.PrepareContext(ctx, `COPY audit_log (`+auditColumns+`) FROM STDIN`)
	if err != nil {
		return fmt.Errorf("copy audit records: %w", err)
	}
	defer stmt.Close()
	for i := range rows {
		r := &rows[i]
		if _, err := stmt.ExecContext(ctx, r.Seq, r.TraceID, r.SpanID, r.ParentSpanID, r.Name, r.StatusCode, r.StartTime, r.EndTime,
			r.ProcessingActivityID, r.DataSubjectPseudonym, r.DataSubjectType, r.Registry, r.FieldsDisclosed,
			r.Purpose, r.PrincipalSubject, r.PrincipalOIN, r.PrincipalRole, r.ForeignTraceID,
			r.ForeignOperationID, r.ForeignEntity, r.RecordedAt, r.PrevHash, r.Hash); err != nil {
			return fmt.Errorf("copy audit record %d: %w", r.Seq, err)
		}
	}
	// The call without arguments sends what is buffered and ends the COPY.
	if _, err := stmt.ExecContext(ctx); err != nil {
		return fmt.Errorf("copy %d audit records: %w", len(rows), err)
	}
	return nil
}

// ListAudit returns a page of the records about one data subject, oldest
// first. See AuditLog.
func (s *Store) ListAudit(ctx context.Context, subject DataSubject, p Page) (_ *AuditConnection, err error) {
	defer wrap(&err, "ListAudit")
	if err := subject.validate(); err != nil {
		return nil, err
	}
	if s.pseudonymKey == nil {
		return nil, ErrNoPseudonymKey
	}
	q := listQuery{columns: auditColumns, from: "audit_log", where: "data_subject_pseudonym = ?", args: []any{s.pseudonymise(subject)}}
	var pg *page[auditRow]
	err = s.readTx(ctx, func(tx *sqlx.Tx) error {
		pg, err = readPage(ctx, tx, auditKeyset, q, p, func(r *auditRow) []any { return []any{r.Seq} })
		return err
	})
	if err != nil {
		return nil, err
	}
	return connection(pg, func(r auditRow) AuditEntry { return r.entry() }), nil
}

// AuditEntry returns the record at a position in the chain. See AuditLog.
func (s *Store) AuditEntry(ctx context.Context, seq int64) (_ *AuditEntry, err error) {
	defer wrap(&err, "AuditEntry(%d)", seq)
	var rows []auditRow
	if err := selectAll(ctx, s.ro, &rows, `SELECT `+auditColumns+` FROM audit_log WHERE seq = ?`, seq); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, notFound("audit record", strconv.FormatInt(seq, 10))
	}
	e := rows[0].entry()
	return &e, nil
}

// VerifyAudit walks the chain from the first record to the chain head in
// one consistent snapshot and checks, for every record, that its sequence
// number follows the previous one, that its prev_hash is the previous
// record's hash, and that its hash matches its content; and finally that
// the chain head points at the last record. See AuditLog.
//
// It needs no pseudonymisation key, so it can run with only database access.
func (s *Store) VerifyAudit(ctx context.Context) (_ VerifyReport, err error) {
	defer wrap(&err, "VerifyAudit")
	var rep VerifyReport
	err = s.readTx(ctx, func(tx *sqlx.Tx) error {
		rep = VerifyReport{}
		var head struct {
			LastSeq  int64  `db:"last_seq"`
			LastHash string `db:"last_hash"`
		}
		if err := get(ctx, tx, &head, `SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1`); err != nil {
			return fmt.Errorf("read chain head: %w", err)
		}
		rep.HeadSeq, rep.HeadHash = head.LastSeq, head.LastHash
		rows, err := tx.QueryxContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		prev, want := genesisHash, int64(1)
		for rows.Next() {
			var r auditRow
			if err := rows.StructScan(&r); err != nil {
				return err
			}
			rep.Checked++
			switch {
			case r.Seq != want:
				rep.FirstBroken = &BrokenLink{Seq: want, Reason: fmt.Sprintf("record %d is missing: the next record is %d", want, r.Seq)}
			case r.PrevHash != prev:
				rep.FirstBroken = &BrokenLink{Seq: r.Seq, Reason: "prev_hash does not match the hash of the record before"}
			case r.contentHash() != r.Hash:
				rep.FirstBroken = &BrokenLink{Seq: r.Seq, Reason: "content does not match the record's hash: the record was altered"}
			}
			if rep.FirstBroken != nil {
				return nil
			}
			prev, want = r.Hash, want+1
		}
		if err := rows.Err(); err != nil {
			return err
		}
		last := want - 1
		switch {
		case head.LastSeq != last:
			rep.FirstBroken = &BrokenLink{Seq: min(head.LastSeq, last) + 1,
				Reason: fmt.Sprintf("chain head says %d records, the log holds %d: records were removed or the head was altered", head.LastSeq, last)}
		case head.LastHash != prev:
			rep.FirstBroken = &BrokenLink{Seq: last, Reason: "chain head hash does not match the last record"}
		}
		return nil
	})
	if err != nil {
		return VerifyReport{}, err
	}
	rep.OK = rep.FirstBroken == nil
	return rep, nil
}
