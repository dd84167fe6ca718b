-- The schema spec's soft delete ("add deleted_at timestamp column"): a row
-- with deleted_at set is in the trash, to be erased after the retention
-- period (7 days for tasks, 30 for users). NULL means live. Like the other
-- timestamps, UTC without a zone. No default: only a deletion sets it.

-- +goose Up
ALTER TABLE users ADD COLUMN deleted_at TIMESTAMP;
ALTER TABLE tasks ADD COLUMN deleted_at TIMESTAMP;

-- +goose Down
ALTER TABLE tasks DROP COLUMN IF EXISTS deleted_at;
ALTER TABLE users DROP COLUMN IF EXISTS deleted_at;
