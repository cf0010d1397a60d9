-- Initial schema: cases and their tasks, the outbox, handovers, case
-- timelines, idempotency records and the audit log.
-- Keep in step with ../postgres/00001_init.sql. Differences: UUIDs are
-- TEXT, JSON is TEXT, and TIMESTAMP columns hold integer microseconds
-- since the epoch (the driver converts them to and from time.Time).

-- +goose Up

CREATE TABLE cases (
    id            TEXT PRIMARY KEY,
    life_event_id TEXT NOT NULL,
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('PERSON', 'COMPANY', 'ADDRESS')),
    subject_id    TEXT NOT NULL,
    channel       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'closed', 'cancelled')),
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL CHECK (version > 0)
);
CREATE INDEX cases_by_created ON cases (created_at, id);
CREATE INDEX cases_by_subject ON cases (subject_kind, subject_id, created_at, id);
CREATE INDEX cases_by_status ON cases (status, created_at, id);

CREATE TABLE tasks (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    position   INTEGER NOT NULL,
    step_id    TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('automated', 'manual')),
    reason     TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('open', 'sent', 'acknowledged', 'done', 'failed')),
    note       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version    INTEGER NOT NULL CHECK (version > 0),
    UNIQUE (case_id, step_id, partner_id),
    CHECK (kind = 'automated' OR reason <> '')
);
CREATE INDEX tasks_by_case ON tasks (case_id, position);

CREATE TABLE handovers (
    id                TEXT PRIMARY KEY,
    case_id           TEXT REFERENCES cases (id),
    subject_kind      TEXT NOT NULL CHECK (subject_kind IN ('PERSON', 'COMPANY', 'ADDRESS')),
    subject_id        TEXT NOT NULL,
    from_organisation TEXT NOT NULL,
    from_front_office TEXT NOT NULL,
    to_partner_id     TEXT NOT NULL,
    reason            TEXT NOT NULL,
    life_event_id     TEXT NOT NULL,
    step_id           TEXT NOT NULL,
    notes             TEXT NOT NULL,
    channel           TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('handed_over', 'acknowledged')),
    created_by        TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    acknowledged_by   TEXT NOT NULL,
    acknowledged_at   TIMESTAMP,
    version           INTEGER NOT NULL CHECK (version > 0)
);
CREATE INDEX handovers_by_case ON handovers (case_id, created_at);
CREATE INDEX handovers_by_partner ON handovers (to_partner_id, status, created_at);
CREATE INDEX handovers_by_subject ON handovers (subject_kind, subject_id, created_at);

CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    case_id         TEXT REFERENCES cases (id),
    task_id         TEXT REFERENCES tasks (id),
    handover_id     TEXT REFERENCES handovers (id),
    partner_id      TEXT NOT NULL,
    endpoint        TEXT NOT NULL,
    payload         TEXT NOT NULL CHECK (json_valid(payload)),
    idempotency_key TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'parked')),
    attempts        INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until     TIMESTAMP,
    lease_token     TEXT,
    last_error      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    delivered_at    TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_parked ON outbox (updated_at, id) WHERE status = 'parked';
CREATE INDEX outbox_by_case ON outbox (case_id, created_at);

CREATE TABLE timeline_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    kind        TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    actor       TEXT NOT NULL,
    task_id     TEXT,
    handover_id TEXT,
    message_id  TEXT,
    summary     TEXT NOT NULL,
    data        TEXT NOT NULL CHECK (json_valid(data))
);
CREATE INDEX timeline_by_case ON timeline_events (case_id, id);

CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    principal    TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    resource_id  TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, principal, key)
);

CREATE TABLE audit_log (
    seq                    INTEGER PRIMARY KEY CHECK (seq > 0),
    trace_id               TEXT NOT NULL,
    span_id                TEXT NOT NULL,
    parent_span_id         TEXT NOT NULL,
    name                   TEXT NOT NULL,
    status_code            INTEGER NOT NULL CHECK (status_code IN (0, 1, 2)),
    start_time             TIMESTAMP NOT NULL,
    end_time               TIMESTAMP NOT NULL,
    processing_activity_id TEXT NOT NULL,
    data_subject_pseudonym TEXT NOT NULL,
    data_subject_type      TEXT NOT NULL,
    registry               TEXT NOT NULL,
    fields_disclosed       TEXT NOT NULL,
    purpose                TEXT NOT NULL,
    principal_subject      TEXT NOT NULL,
    principal_oin          TEXT NOT NULL,
    principal_role         TEXT NOT NULL,
    foreign_trace_id       TEXT NOT NULL,
    foreign_operation_id   TEXT NOT NULL,
    foreign_entity         TEXT NOT NULL,
    recorded_at            TIMESTAMP NOT NULL,
    prev_hash              TEXT NOT NULL,
    hash                   TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_by_subject ON audit_log (data_subject_pseudonym, seq);

CREATE TABLE audit_chain_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq  INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only: UPDATE on audit_log refused');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only: DELETE on audit_log refused');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only: DELETE on audit_chain_head refused');
END;
-- +goose StatementEnd
