-- A case tracks every step of its life event that applies: a task the hub
-- sends nothing for (the partner learns through a registry provision or
-- from the citizen, or the front office takes the step) is "tracked", and
-- says why. A case also names the role its subject plays in the event
-- (empty: the event's anchor), so a birth declared before it is
-- registered shows on the declarant's card.
-- Keep in step with ../postgres/00004_tracked_role.sql.
--
-- SQLite cannot change a CHECK constraint: the tasks table is rebuilt as
-- in 00003_withdrawn.sql.

-- +goose NO TRANSACTION
-- +goose Up

PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

ALTER TABLE cases ADD COLUMN subject_role TEXT NOT NULL DEFAULT '';

CREATE TABLE tasks_tracked (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    position   INTEGER NOT NULL,
    step_id    TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('automated', 'manual', 'tracked')),
    reason     TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('open', 'sent', 'acknowledged', 'done', 'failed', 'withdrawn')),
    note       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version    INTEGER NOT NULL CHECK (version > 0),
    UNIQUE (case_id, step_id, partner_id),
    CHECK (kind = 'automated' OR reason <> '')
);
INSERT INTO tasks_tracked SELECT id, case_id, position, step_id, partner_id, kind, reason, status, note,
    created_at, updated_at, version FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_tracked RENAME TO tasks;
CREATE INDEX tasks_by_case ON tasks (case_id, position);

COMMIT;

PRAGMA foreign_keys = ON;
