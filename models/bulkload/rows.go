package bulkload

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"taskapp/migrations"
	"taskapp/models"
)

// ErrNotEmpty means LoadRows was asked to fill a database that already holds
// users or tasks, without LoadOptions.Replace.
var ErrNotEmpty = errors.New("bulkload: the database already holds users or tasks")

// RowsOptions says how LoadRows treats the database it fills.
type RowsOptions struct {
	// Replace first deletes every user and task (and, by cascade, what
	// belongs to users), in the same transaction as the load.
	Replace bool
	// Progress, if set, is told how many rows were just loaded.
	Progress func(rows int)
}

// LoadRows fills a migrated database with users, then tasks, exactly as
// given (a restore's rows, where Load makes up its own):
// ids, timestamps, statuses, password hashes and trash marks are kept.
// Users must come in ascending id order, and each task must belong to one
// of them; every row is checked with User.Validate and Task.Validate.
//
// Everything happens in one transaction: if a row is invalid, a source
// fails or ctx is cancelled, the database is left as it was (empty, or
// with its old data under Replace). On PostgreSQL the id sequences are
// moved past the loaded ids; SQLite's AUTOINCREMENT counters follow
// explicit ids by themselves.
func LoadRows(ctx context.Context, store *models.Store, users iter.Seq2[*models.User, error], tasks iter.Seq2[*models.Task, error], opts RowsOptions) error {
	if opts.Progress == nil {
		opts.Progress = func(int) {}
	}
	chk := &loadCheck{users: map[int64]struct{}{}}
	nextUser, stopUsers := iter.Pull2(users)
	defer stopUsers()
	nextTask, stopTasks := iter.Pull2(tasks)
	defer stopTasks()
	us := &rowSource[models.User]{next: nextUser, check: chk.user, values: userValues, progress: opts.Progress}
	ts := &rowSource[models.Task]{next: nextTask, check: chk.task, values: taskValues, progress: opts.Progress}

	var err error
	if store.Dialect() == migrations.Postgres {
		err = loadPostgres(ctx, store.DB(), us, ts, opts.Replace)
	} else {
		err = loadSQLite(ctx, store.DB(), us, ts, opts.Replace)
	}
	if err == nil || errors.Is(err, ErrNotEmpty) {
		return err
	}
	if ctx.Err() != nil {
		// Cancelled mid-load, the driver's error is whatever the
		// rollback left behind ("statement is closed"); say what happened.
		return fmt.Errorf("bulkload: load interrupted: %w", ctx.Err())
	}
	if err = models.Classify("bulkload: load", err); errors.Is(err, models.ErrEmailTaken) {
		return fmt.Errorf("bulkload: load: two accounts have the same email address: %w", models.ErrInvalid)
	}
	return err
}

// Every column, the ids and trash marks included: a restore keeps them.
var (
	rowUserColumns = []string{"id", "email", "hashed_password", "created_at", "updated_at", "deleted_at", "time_zone", "keyboard_shortcuts"}
	rowTaskColumns = []string{"id", "title", "description", "status", "user_id", "created_at", "updated_at", "deleted_at", "due_date"}
)

func userValues(u *models.User) []any {
	return []any{u.ID, u.Email, u.HashedPassword, u.CreatedAt.UTC(), u.UpdatedAt.UTC(), nullTime(u.DeletedAt), nullValue(u.TimeZone), u.KeyboardShortcuts}
}

func taskValues(t *models.Task) []any {
	// The date as ISO text, which both SQLite's TEXT column and
	// PostgreSQL's DATE take (copied out, as nullTime does).
	var due any
	if t.DueDate != nil {
		due = t.DueDate.String()
	}
	return []any{t.ID, t.Title, nullValue(t.Description), string(t.Status), t.UserID, t.CreatedAt.UTC(), t.UpdatedAt.UTC(), nullTime(t.DeletedAt), due}
}

// nullValue is *p, or nil (NULL) for a nil p; like nullTime it copies the
// value out of a row the source may reuse.
func nullValue[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// nullTime copies the value out, so that a source reusing its row cannot
// change a row already queued for insertion.
func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// loadCheck holds the rules a loaded row must meet beyond its own fields.
type loadCheck struct {
	users    map[int64]struct{}
	lastUser int64
}

func (c *loadCheck) user(u *models.User) error {
	if fe := u.Validate(); len(fe) > 0 {
		return fmt.Errorf("user %d: %s: %w", u.ID, fe, models.ErrInvalid)
	}
	if u.ID <= c.lastUser {
		return fmt.Errorf("user %d: comes after user %d; users must be in ascending id order: %w", u.ID, c.lastUser, models.ErrInvalid)
	}
	c.lastUser = u.ID
	c.users[u.ID] = struct{}{}
	return nil
}

func (c *loadCheck) task(t *models.Task) error {
	if fe := t.Validate(); len(fe) > 0 {
		return fmt.Errorf("task %d: %s: %w", t.ID, fe, models.ErrInvalid)
	}
	if _, ok := c.users[t.UserID]; !ok {
		return fmt.Errorf("task %d: belongs to user %d, who is not in the data: %w", t.ID, t.UserID, models.ErrInvalid)
	}
	return nil
}

// rowSource pulls checked rows from an iterator one at a time, in the
// shape pgx's CopyFrom wants (and the SQLite loader uses too).
type rowSource[T any] struct {
	next     func() (*T, error, bool)
	check    func(*T) error
	values   func(*T) []any
	progress func(int)
	row      []any
	err      error
	pending  int
}

func (r *rowSource[T]) Next() bool {
	v, err, ok := r.next()
	if !ok || err != nil {
		r.err = err
		r.progress(r.pending)
		r.pending = 0
		return false
	}
	if err := r.check(v); err != nil {
		r.err = err
		return false
	}
	r.row = r.values(v)
	if r.pending++; r.pending == 1000 {
		r.progress(r.pending)
		r.pending = 0
	}
	return true
}

func (r *rowSource[T]) Values() ([]any, error) { return r.row, nil }
func (r *rowSource[T]) Err() error             { return r.err }

// Maintenance SQL on whole tables, outside GORM and its owner guard.
const (
	anyRowsSQL   = "SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM tasks)"
	setSequences = `SELECT setval(pg_get_serial_sequence('users', 'id'), COALESCE((SELECT MAX(id) FROM users), 0) + 1, false),
		setval(pg_get_serial_sequence('tasks', 'id'), COALESCE((SELECT MAX(id) FROM tasks), 0) + 1, false)`
)

func loadPostgres(ctx context.Context, db *sql.DB, users *rowSource[models.User], tasks *rowSource[models.Task], replace bool) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		tx, err := dc.(*stdlib.Conn).Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		var full bool
		if err := tx.QueryRow(ctx, anyRowsSQL).Scan(&full); err != nil {
			return err
		}
		if full && !replace {
			return ErrNotEmpty
		}
		if full {
			// TRUNCATE is transactional in PostgreSQL; CASCADE takes any
			// table that references users along.
			if _, err := tx.Exec(ctx, "TRUNCATE users, tasks CASCADE"); err != nil {
				return err
			}
		}
		rebuild, err := deferTaskIndexes(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"users"}, rowUserColumns, users); err != nil {
			// pgx reports a source's error as the server's answer to
			// CopyFail; the source's own error says what went wrong.
			return cmp.Or(users.err, err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"tasks"}, rowTaskColumns, tasks); err != nil {
			return cmp.Or(tasks.err, err)
		}
		for _, stmt := range rebuild {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, setSequences); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

func loadSQLite(ctx context.Context, db *sql.DB, users *rowSource[models.User], tasks *rowSource[models.Task], replace bool) error {
	// BEGIN IMMEDIATE (the write pool's _txlock): the write lock is held
	// from the start, so no other writer slips in between the check and
	// the load.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var full bool
	if err := tx.QueryRowContext(ctx, anyRowsSQL).Scan(&full); err != nil {
		return err
	}
	if full && !replace {
		return ErrNotEmpty
	}
	if full {
		// tasks first: the cascade from users would delete them row by row.
		for _, stmt := range []string{"DELETE FROM tasks", "DELETE FROM users"} {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
	}
	_, rebuild, err := deferSQLiteTaskIndexes(ctx, tx)
	if err != nil {
		return err
	}
	if err := insertRows(ctx, tx, "users", rowUserColumns, users); err != nil {
		return err
	}
	if err := insertRows(ctx, tx, "tasks", rowTaskColumns, tasks); err != nil {
		return err
	}
	for _, stmt := range rebuild {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// insertRows inserts what src yields on SQLite, tasksPerInsert rows per
// statement, as insertTasks does.
func insertRows(ctx context.Context, tx *sql.Tx, table string, cols []string, src pgx.CopyFromSource) error {
	insert := func(n int) string { return insertSQL(migrations.SQLite, table, cols, n) }
	stmt, err := tx.PrepareContext(ctx, insert(tasksPerInsert))
	if err != nil {
		return err
	}
	defer stmt.Close()
	args := make([]any, 0, len(cols)*tasksPerInsert)
	for src.Next() {
		vals, _ := src.Values()
		if args = append(args, vals...); len(args) == cap(args) {
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return err
			}
			args = args[:0]
		}
	}
	if err := src.Err(); err != nil {
		return err
	}
	if len(args) > 0 {
		if _, err := tx.ExecContext(ctx, insert(len(args)/len(cols)), args...); err != nil {
			return err
		}
	}
	return nil
}
