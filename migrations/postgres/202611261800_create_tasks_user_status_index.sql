-- Not in the schema spec: added by the performance work (docs/benchmarks.md).
-- The task list counts a user's tasks per status for its tabs and filters by
-- status. With only (user_id) and (user_id, created_at DESC), both read every
-- one of the user's rows from the heap: for a user with thousands of tasks,
-- thousands of random page reads per page view. With this index the counts
-- are an index-only scan and a status tab walks the index in list order.

-- +goose Up
CREATE INDEX idx_tasks_user_status_created ON tasks (user_id, status, created_at DESC);

-- +goose Down
DROP INDEX IF EXISTS idx_tasks_user_status_created;
