-- Cancelling a case withdraws its unfinished tasks and the notifications
-- not yet delivered: "withdrawn" becomes a status of both, final for each.
-- Keep in step with ../postgres/00003_withdrawn.sql.
--
-- SQLite cannot change a CHECK constraint, so both tables are rebuilt as
-- its documentation prescribes (sqlite.org/lang_altertable.html, "making
-- other kinds of table schema changes"): with foreign keys off, which only
-- works outside a transaction, a new table is filled, the old one dropped
-- and the new one renamed into its place. The store checks every foreign
-- key after migrating (Store.migrate).

-- +goose NO TRANSACTION
-- +goose Up

PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

CREATE TABLE tasks_withdrawn (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    position   INTEGER NOT NULL,
    step_id    TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('automated', 'manual')),
    reason     TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('open', 'sent', 'acknowledged', 'done', 'failed', 'withdrawn')),
    note       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version    INTEGER NOT NULL CHECK (version > 0),
    UNIQUE (case_id, step_id, partner_id),
    CHECK (kind = 'automated' OR reason <> '')
);
INSERT INTO tasks_withdrawn SELECT id, case_id, position, step_id, partner_id, kind, reason, status, note,
    created_at, updated_at, version FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_withdrawn RENAME TO tasks;
CREATE INDEX tasks_by_case ON tasks (case_id, position);

CREATE TABLE outbox_withdrawn (
    id              TEXT PRIMARY KEY,
    case_id         TEXT REFERENCES cases (id),
    task_id         TEXT REFERENCES tasks (id),
    handover_id     TEXT REFERENCES handovers (id),
    partner_id      TEXT NOT NULL,
    endpoint        TEXT NOT NULL,
    payload         TEXT NOT NULL CHECK (json_valid(payload)),
    idempotency_key TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'parked', 'withdrawn')),
    attempts        INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until     TIMESTAMP,
    lease_token     TEXT,
    last_error      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    delivered_at    TIMESTAMP
);
INSERT INTO outbox_withdrawn SELECT id, case_id, task_id, handover_id, partner_id, endpoint, payload, idempotency_key,
    status, attempts, next_attempt_at, lease_until, lease_token, last_error, created_at, updated_at, delivered_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_withdrawn RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_parked ON outbox (updated_at, id) WHERE status = 'parked';
CREATE INDEX outbox_by_case ON outbox (case_id, created_at);

COMMIT;

PRAGMA foreign_keys = ON;
