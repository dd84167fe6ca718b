-- SQLite has no VARCHAR length enforcement, no plpgsql and no BEFORE UPDATE
-- assignment to NEW, so this is the closest equivalent of the PostgreSQL set:
-- lengths become CHECKs, and updated_at is refreshed by an AFTER UPDATE
-- trigger whenever the statement itself did not set it (GORM's hook does; a
-- raw UPDATE does not). Timestamps are written in the same UTC text format
-- the Go driver writes, so they sort and parse alike.

-- +goose Up
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL UNIQUE CHECK (length(email) <= 255),
    hashed_password VARCHAR(255) NOT NULL CHECK (length(hashed_password) <= 255),
    created_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    updated_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);

CREATE UNIQUE INDEX idx_users_email_lower ON users (lower(email));

-- +goose StatementBegin
CREATE TRIGGER update_users_updated_at
    AFTER UPDATE ON users
    FOR EACH ROW
    WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE users SET updated_at = strftime('%Y-%m-%d %H:%M:%f+00:00', 'now') WHERE id = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER IF EXISTS update_users_updated_at;
DROP TABLE IF EXISTS users;
