-- Initial schema: cases and their tasks, the outbox, handovers, case
-- timelines, idempotency records and the audit log.
-- Keep in step with ../sqlite/00001_init.sql.

-- +goose Up

CREATE TABLE cases (
    id            UUID PRIMARY KEY,
    life_event_id TEXT NOT NULL,
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('PERSON', 'COMPANY', 'ADDRESS')),
    subject_id    TEXT NOT NULL,
    channel       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'closed', 'cancelled')),
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    version       BIGINT NOT NULL CHECK (version > 0)
);
-- Keyset pagination orders by (created_at, id) within each filter.
CREATE INDEX cases_by_created ON cases (created_at, id);
CREATE INDEX cases_by_subject ON cases (subject_kind, subject_id, created_at, id);
CREATE INDEX cases_by_status ON cases (status, created_at, id);

CREATE TABLE tasks (
    id         UUID PRIMARY KEY,
    case_id    UUID NOT NULL REFERENCES cases (id),
    position   INTEGER NOT NULL,
    step_id    TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('automated', 'manual')),
    reason     TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('open', 'sent', 'acknowledged', 'done', 'failed')),
    note       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version    BIGINT NOT NULL CHECK (version > 0),
    UNIQUE (case_id, step_id, partner_id),
    CHECK (kind = 'automated' OR reason <> '')
);
CREATE INDEX tasks_by_case ON tasks (case_id, position);

CREATE TABLE handovers (
    id                UUID PRIMARY KEY,
    case_id           UUID REFERENCES cases (id),
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
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    acknowledged_by   TEXT NOT NULL,
    acknowledged_at   TIMESTAMPTZ,
    version           BIGINT NOT NULL CHECK (version > 0)
);
CREATE INDEX handovers_by_case ON handovers (case_id, created_at);
CREATE INDEX handovers_by_partner ON handovers (to_partner_id, status, created_at);
CREATE INDEX handovers_by_subject ON handovers (subject_kind, subject_id, created_at);

CREATE TABLE outbox (
    id              UUID PRIMARY KEY,
    case_id         UUID REFERENCES cases (id),
    task_id         UUID REFERENCES tasks (id),
    handover_id     UUID REFERENCES handovers (id),
    partner_id      TEXT NOT NULL,
    endpoint        TEXT NOT NULL,
    -- JSON, not JSONB: the payload is delivered byte for byte as written.
    payload         JSON NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'parked')),
    attempts        INTEGER NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until     TIMESTAMPTZ,
    lease_token     UUID,
    last_error      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_parked ON outbox (updated_at, id) WHERE status = 'parked';
CREATE INDEX outbox_by_case ON outbox (case_id, created_at);

CREATE TABLE timeline_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     UUID NOT NULL REFERENCES cases (id),
    kind        TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL,
    task_id     UUID,
    handover_id UUID,
    message_id  UUID,
    summary     TEXT NOT NULL,
    data        JSON NOT NULL
);
CREATE INDEX timeline_by_case ON timeline_events (case_id, id);

-- One row per mutation made under an idempotency key. resource_id is the
-- record the first request created or changed; a replay returns it.
CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    principal    TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    resource_id  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope, principal, key)
);

-- The audit log follows the Logboek Dataverwerkingen fields. seq is
-- gapless and assigned under the chain-head lock; hash covers the record's
-- content and prev_hash, so any change, removal or reordering shows.
CREATE TABLE audit_log (
    seq                    BIGINT PRIMARY KEY CHECK (seq > 0),
    trace_id               TEXT NOT NULL,
    span_id                TEXT NOT NULL,
    parent_span_id         TEXT NOT NULL,
    name                   TEXT NOT NULL,
    status_code            SMALLINT NOT NULL CHECK (status_code IN (0, 1, 2)),
    start_time             TIMESTAMPTZ NOT NULL,
    end_time               TIMESTAMPTZ NOT NULL,
    processing_activity_id TEXT NOT NULL,
    -- HMAC-SHA256 of the identifier, never the BSN or KvK number itself.
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
    recorded_at            TIMESTAMPTZ NOT NULL,
    prev_hash              TEXT NOT NULL,
    hash                   TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_by_subject ON audit_log (data_subject_pseudonym, seq);

-- The single chain-head row. Appenders lock it, which serialises appends
-- from every replica and keeps the chain from forking.
CREATE TABLE audit_chain_head (
    id        SMALLINT PRIMARY KEY CHECK (id = 1),
    last_seq  BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- +goose StatementBegin
CREATE FUNCTION poort_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION poort_audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION poort_audit_append_only();
CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION poort_audit_append_only();
CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION poort_audit_append_only();
