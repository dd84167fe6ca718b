package models

import (
	"context"
	"database/sql"
	"time"

	"taskapp/migrations"
)

// Snapshot is a consistent, read-only view of the whole database, for
// backups: every read through it sees the same committed state while the
// server goes on writing. On PostgreSQL it is a REPEATABLE READ READ ONLY
// transaction; on SQLite a read transaction on the read pool, which in WAL
// mode keeps its view from its first read until it ends and never blocks
// the writer.
//
// Its queries read whole tables, past GORM and its owner guard: a backup
// is every user's data by definition.
type Snapshot struct {
	tx *sql.Tx
}

// InSnapshot runs fn in a snapshot that ends when fn returns.
func (s *Store) InSnapshot(ctx context.Context, fn func(*Snapshot) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == migrations.Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.readDB.BeginTx(ctx, opts)
	if err != nil {
		return classify("models: snapshot", err)
	}
	// Read-only: rolling back is how it ends, whatever fn did.
	defer tx.Rollback()
	return fn(&Snapshot{tx: tx})
}

// SchemaVersion is the latest migration applied to the database: the
// newest row of goose's version table.
func (sn *Snapshot) SchemaVersion(ctx context.Context) (int64, error) {
	var v int64
	err := sn.tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM "+migrations.VersionTable).Scan(&v)
	if err != nil {
		return 0, classify("models: snapshot: schema version", err)
	}
	return v, nil
}

// Counts counts every user and every task, trashed ones included.
func (sn *Snapshot) Counts(ctx context.Context) (users, tasks int64, err error) {
	err = sn.tx.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM tasks)").Scan(&users, &tasks)
	if err != nil {
		return 0, 0, classify("models: snapshot: count", err)
	}
	return users, tasks, nil
}

// Users calls fn for every user in id order, trashed ones included, one
// row at a time. The *User is reused between calls.
func (sn *Snapshot) Users(ctx context.Context, fn func(*User) error) error {
	var u User
	return sn.each(ctx, "users", "SELECT id, email, hashed_password, created_at, updated_at, deleted_at, time_zone, keyboard_shortcuts FROM users ORDER BY id",
		[]any{&u.ID, &u.Email, &u.HashedPassword, &u.CreatedAt, &u.UpdatedAt, &u.DeletedAt, &u.TimeZone, &u.KeyboardShortcuts},
		func() error { normalizeStamps(&u.CreatedAt, &u.UpdatedAt, u.DeletedAt); return fn(&u) })
}

// Tasks calls fn for every task in id order, trashed ones included, one
// row at a time. The *Task is reused between calls.
func (sn *Snapshot) Tasks(ctx context.Context, fn func(*Task) error) error {
	var t Task
	return sn.each(ctx, "tasks", "SELECT id, title, description, status, user_id, created_at, updated_at, deleted_at, due_date FROM tasks ORDER BY id",
		[]any{&t.ID, &t.Title, &t.Description, &t.Status, &t.UserID, &t.CreatedAt, &t.UpdatedAt, &t.DeletedAt, &t.DueDate},
		func() error { normalizeStamps(&t.CreatedAt, &t.UpdatedAt, t.DeletedAt); return fn(&t) })
}

func (sn *Snapshot) each(ctx context.Context, table, query string, dest []any, fn func() error) error {
	rows, err := sn.tx.QueryContext(ctx, query)
	if err != nil {
		return classify("models: snapshot: "+table, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return classify("models: snapshot: "+table, err)
		}
		if err := fn(); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return classify("models: snapshot: "+table, err)
	}
	return nil
}

// normalizeStamps puts the timestamps in UTC, whatever zone the driver
// attached (pgx reads TIMESTAMP as UTC; SQLite's text carries +00:00).
func normalizeStamps(created, updated *time.Time, deleted *time.Time) {
	*created, *updated = created.UTC(), updated.UTC()
	if deleted != nil {
		*deleted = deleted.UTC()
	}
}
