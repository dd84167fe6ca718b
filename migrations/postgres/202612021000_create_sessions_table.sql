-- Not in the schema spec: server-side sessions (issue 11). The cookie holds
-- a random token; only its SHA-256 is stored, so a copy of this table does
-- not sign anyone in. expires_at is the earlier of the idle deadline
-- (last_seen_at + idle timeout) and the absolute one (created_at + maximum
-- age); a session past it is refused and later purged.

-- +goose Up
CREATE TABLE sessions (
    id SERIAL PRIMARY KEY,
    token_hash CHAR(64) NOT NULL UNIQUE,
    user_id INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    user_agent VARCHAR(255) NOT NULL DEFAULT '',
    client_addr VARCHAR(64) NOT NULL DEFAULT '',
    FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);

CREATE INDEX idx_sessions_user_id ON sessions (user_id);
CREATE INDEX idx_sessions_expires_at ON sessions (expires_at);

-- +goose Down
DROP TABLE IF EXISTS sessions;
