-- Cancelling a case withdraws its unfinished tasks and the notifications
-- not yet delivered: "withdrawn" becomes a status of both, final for each.
-- Keep in step with ../sqlite/00003_withdrawn.sql.

-- +goose Up

ALTER TABLE tasks DROP CONSTRAINT tasks_status_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_status_check
    CHECK (status IN ('open', 'sent', 'acknowledged', 'done', 'failed', 'withdrawn'));

ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'delivered', 'parked', 'withdrawn'));
