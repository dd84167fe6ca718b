-- Issue 12 (the trash): every query on live tasks now carries
-- "deleted_at IS NULL", so the two indexes that serve index-only counts
-- (per status, and the Today/Upcoming counts) become partial on it: a
-- trashed task is not in them, and the counts need not visit the table to
-- leave it out. Same names; idx_tasks_user_status_created gains
-- deleted_at as a last key column (always NULL in it): SQLite counts from
-- an index without reading the table only when every column the query
-- names is in the key, and the counts now name deleted_at (PostgreSQL
-- needs no such help; the extra column costs it nothing). The spec's
-- idx_tasks_user_id and
-- idx_tasks_user_created are unchanged (the list walks the latter in order
-- and skips the few trashed rows it meets).
--
-- idx_tasks_user_trash serves the trash page (a user's trashed tasks,
-- most recently deleted first: read backwards, its key is the page's
-- ORDER BY deleted_at DESC, id DESC, so nothing is sorted) and
-- idx_tasks_trash_purge the purge (every task deleted before a cutoff;
-- user_id makes it cover the dry run's count of users). Both hold trashed
-- rows only, so they stay as small as the trash.

-- +goose Up
DROP INDEX IF EXISTS idx_tasks_user_status_created;
CREATE INDEX idx_tasks_user_status_created ON tasks (user_id, status, created_at DESC, deleted_at) WHERE deleted_at IS NULL;
DROP INDEX IF EXISTS idx_tasks_user_open_due;
CREATE INDEX idx_tasks_user_open_due ON tasks (user_id, due_date) WHERE due_date IS NOT NULL AND status <> 'completed' AND deleted_at IS NULL;
CREATE INDEX idx_tasks_user_trash ON tasks (user_id, deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX idx_tasks_trash_purge ON tasks (deleted_at, user_id) WHERE deleted_at IS NOT NULL;

-- +goose Down
DROP INDEX IF EXISTS idx_tasks_trash_purge;
DROP INDEX IF EXISTS idx_tasks_user_trash;
DROP INDEX IF EXISTS idx_tasks_user_open_due;
CREATE INDEX idx_tasks_user_open_due ON tasks (user_id, due_date) WHERE due_date IS NOT NULL AND status <> 'completed';
DROP INDEX IF EXISTS idx_tasks_user_status_created;
CREATE INDEX idx_tasks_user_status_created ON tasks (user_id, status, created_at DESC);
