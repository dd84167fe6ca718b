-- The schema spec's soft delete; see the PostgreSQL migration. Written by
-- the application in the same UTC text format as the other timestamps.
-- DROP COLUMN needs SQLite 3.35 or later (the embedded driver has it).

-- +goose Up
ALTER TABLE users ADD COLUMN deleted_at TIMESTAMP;
ALTER TABLE tasks ADD COLUMN deleted_at TIMESTAMP;

-- +goose Down
ALTER TABLE tasks DROP COLUMN deleted_at;
ALTER TABLE users DROP COLUMN deleted_at;
