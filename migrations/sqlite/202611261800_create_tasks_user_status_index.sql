-- Not in the schema spec: added by the performance work (docs/benchmarks.md).
-- The same index as on PostgreSQL: the per-status counts of the task list
-- become a covering index scan (no table reads, no temporary B-tree), and a
-- status tab walks the index in list order.

-- +goose Up
CREATE INDEX idx_tasks_user_status_created ON tasks (user_id, status, created_at DESC);

-- +goose Down
DROP INDEX IF EXISTS idx_tasks_user_status_created;
