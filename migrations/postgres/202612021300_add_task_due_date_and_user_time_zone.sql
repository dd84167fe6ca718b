-- Not in the schema spec: issue 13 (due dates, Today and Upcoming).
-- tasks.due_date is a calendar day with no time and no zone; "today" is
-- worked out in the user's zone by the application. users.time_zone is an
-- IANA zone name the user chose on the account page; NULL follows the
-- browser's zone.
--
-- idx_tasks_user_open_due serves the Today and Upcoming views and their
-- counts: only open tasks with a date, in date order, per user.
-- idx_tasks_user_due_created serves the list sorted by due date.

-- +goose Up
ALTER TABLE tasks ADD COLUMN due_date DATE;
ALTER TABLE users ADD COLUMN time_zone VARCHAR(64);
CREATE INDEX idx_tasks_user_open_due ON tasks (user_id, due_date) WHERE due_date IS NOT NULL AND status <> 'completed';
CREATE INDEX idx_tasks_user_due_created ON tasks (user_id, due_date, created_at DESC);

-- +goose Down
DROP INDEX IF EXISTS idx_tasks_user_due_created;
DROP INDEX IF EXISTS idx_tasks_user_open_due;
ALTER TABLE users DROP COLUMN time_zone;
ALTER TABLE tasks DROP COLUMN due_date;
