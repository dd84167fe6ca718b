-- Not in the schema spec: server-side sessions (issue 11); see the
-- PostgreSQL migration of the same version. Lengths become CHECKs, as in
-- the other SQLite migrations.

-- +goose Up
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash CHAR(64) NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    user_id INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    user_agent VARCHAR(255) NOT NULL DEFAULT '' CHECK (length(user_agent) <= 255),
    client_addr VARCHAR(64) NOT NULL DEFAULT '' CHECK (length(client_addr) <= 64),
    FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);

CREATE INDEX idx_sessions_user_id ON sessions (user_id);
CREATE INDEX idx_sessions_expires_at ON sessions (expires_at);

-- +goose Down
DROP TABLE IF EXISTS sessions;
