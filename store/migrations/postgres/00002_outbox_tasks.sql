-- Every task an outbox message stands for. A life-event notification
-- announces all of one partner's automated steps of a case, and delivering
-- it moves every one of those tasks from open to sent, in the delivery's
-- transaction. outbox.task_id stays, holding the first of them, so that
-- the previous release still works against this schema (expand, then
-- contract).
-- Keep in step with ../sqlite/00002_outbox_tasks.sql.

-- +goose Up

CREATE TABLE outbox_tasks (
    message_id UUID NOT NULL REFERENCES outbox (id),
    task_id    UUID NOT NULL REFERENCES tasks (id),
    PRIMARY KEY (message_id, task_id)
);

-- Existing messages: the task each was tied to.
INSERT INTO outbox_tasks (message_id, task_id)
SELECT id, task_id FROM outbox WHERE task_id IS NOT NULL;

-- And, for a life-event notification, the partner's other automated tasks
-- of the case whose steps its payload lists: until now the dispatcher moved
-- those to sent after delivery, reading the payload. Linking them here
-- keeps that for messages still pending or parked at the upgrade.
INSERT INTO outbox_tasks (message_id, task_id)
SELECT DISTINCT o.id, t.id
FROM outbox o
CROSS JOIN LATERAL json_array_elements(
    CASE WHEN json_typeof(o.payload -> 'steps') = 'array' THEN o.payload -> 'steps' ELSE '[]'::json END) AS s (step)
JOIN tasks t ON t.case_id = o.case_id AND t.partner_id = o.partner_id AND t.kind = 'automated'
    AND t.step_id = s.step ->> 'id'
WHERE o.task_id IS NOT NULL AND o.payload ->> 'type' = 'lifeEventStarted'
ON CONFLICT DO NOTHING;
