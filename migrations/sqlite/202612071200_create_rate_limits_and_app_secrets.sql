-- Not in the schema spec: on PostgreSQL this version creates
-- rate_limit_buckets and app_secrets, the state several instances on one
-- database share (issue 14). SQLite creates neither: one process owns the
-- file, so its sign-in and registration limits are counted in that
-- process and its generated session key is the file under the data
-- directory. The version exists here too so that both dialects list the
-- same migrations (taskapp migrate status, backups' schema version).

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
