-- Not in the schema spec: state that several instances on one database
-- must share (issue 14). SQLite has neither table: one process owns its
-- file, so its rate limits stay in that process and its generated session
-- key stays in the data directory (see the SQLite file of this version).
--
-- rate_limit_buckets: the sign-in and registration rate limits' token
-- buckets, one row per bucket, updated by one upsert per attempt. A bucket
-- is kept as the time it will be full again (tat, the "theoretical arrival
-- time" of GCRA, which is a token bucket written as one timestamp): it
-- holds burst - (tat - now) / period tokens, and a row whose tat has
-- passed is a full bucket, the same as no row. key is the hex SHA-256 of the
-- limit's name and the bucket's key (an address, an email), so no email
-- address is stored. UNLOGGED: no WAL, not on replicas, emptied after a
-- crash, all of which only refills buckets.
--
-- app_secrets: values the instances generate once and share, such as the
-- session key when SESSION_SECRET is unset. The first instance inserts
-- (ON CONFLICT DO NOTHING), and every instance reads what is there.

-- +goose Up
CREATE UNLOGGED TABLE rate_limit_buckets (
    key CHAR(64) PRIMARY KEY,
    tat TIMESTAMP NOT NULL,
    period INTERVAL NOT NULL,
    burst INTEGER NOT NULL,
    allowed BOOLEAN NOT NULL
);

CREATE INDEX idx_rate_limit_buckets_tat ON rate_limit_buckets (tat);

CREATE TABLE app_secrets (
    name VARCHAR(64) PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- +goose Down
DROP TABLE IF EXISTS app_secrets;
DROP TABLE IF EXISTS rate_limit_buckets;
