-- A case tracks every step of its life event that applies: a task the hub
-- sends nothing for (the partner learns through a registry provision or
-- from the citizen, or the front office takes the step) is "tracked", and
-- says why. A case also names the role its subject plays in the event
-- (empty: the event's anchor).
-- Keep in step with ../sqlite/00004_tracked_role.sql.

-- +goose Up

ALTER TABLE cases ADD COLUMN subject_role TEXT NOT NULL DEFAULT '';

ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('automated', 'manual', 'tracked'));
