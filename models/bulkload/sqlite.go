package bulkload

import (
	"context"
	"database/sql"
	"strings"

	"taskapp/migrations"
	"taskapp/models"
)

const (
	// tasksPerTx is how many tasks one transaction writes into a table
	// that already holds tasks (and how often progress is reported).
	tasksPerTx = 20000
	// tasksPerInsert is how many tasks one INSERT carries (600
	// parameters, far under SQLite's limit of 32766): with the pure-Go
	// driver the cost is per statement as much as per row.
	tasksPerInsert = 100
)

// insertTasks loads gen's tasks on SQLite, one transaction at a time.
func insertTasks(ctx context.Context, db *sql.DB, gen *taskGen, progress func(int)) error {
	for first := true; ; first = false {
		done, err := insertTaskBatch(ctx, db, gen, first, progress)
		if err != nil {
			return models.Classify("bulkload: insert tasks", err)
		}
		if done {
			return nil
		}
	}
}

// insertTaskBatch writes one transaction of tasks and reports whether gen
// ran out. Into an empty table (first, and nothing there yet) everything
// goes in this one transaction, with the secondary indexes built after
// the load, as on PostgreSQL (see deferTaskIndexes): maintaining them row
// by row in random user order took 2 minutes for a million rows.
func insertTaskBatch(ctx context.Context, db *sql.DB, gen *taskGen, first bool, progress func(int)) (done bool, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	limit := tasksPerTx
	var rebuild []string
	if first {
		var bulk bool
		if bulk, rebuild, err = deferSQLiteTaskIndexes(ctx, tx); err != nil {
			return false, err
		}
		if bulk {
			limit = gen.n
		}
	}
	w, err := newTaskWriter(ctx, tx)
	if err != nil {
		return false, err
	}
	defer w.close()
	pending := 0
	for n := 0; n < limit; n++ {
		if !gen.Next() {
			done = true
			break
		}
		if err := w.add(gen.row[:]); err != nil {
			return false, err
		}
		if pending++; pending == tasksPerTx && limit > tasksPerTx {
			progress(pending)
			pending = 0
		}
	}
	if err := w.flush(); err != nil {
		return false, err
	}
	for _, q := range rebuild {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return false, err
		}
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	progress(pending)
	return done, nil
}

// taskWriter gathers rows into INSERTs of tasksPerInsert rows through one
// prepared statement, and a last shorter one.
type taskWriter struct {
	ctx  context.Context
	tx   *sql.Tx
	stmt *sql.Stmt
	args []any
}

func newTaskWriter(ctx context.Context, tx *sql.Tx) (*taskWriter, error) {
	stmt, err := tx.PrepareContext(ctx, insertSQL(migrations.SQLite, "tasks", taskColumns, tasksPerInsert))
	if err != nil {
		return nil, err
	}
	return &taskWriter{ctx: ctx, tx: tx, stmt: stmt, args: make([]any, 0, len(taskColumns)*tasksPerInsert)}, nil
}

func (w *taskWriter) add(row []any) error {
	if w.args = append(w.args, row...); len(w.args) == cap(w.args) {
		return w.flush()
	}
	return nil
}

func (w *taskWriter) flush() error {
	var err error
	switch {
	case len(w.args) == cap(w.args):
		_, err = w.stmt.ExecContext(w.ctx, w.args...)
	case len(w.args) > 0:
		_, err = w.tx.ExecContext(w.ctx, insertSQL(migrations.SQLite, "tasks", taskColumns, len(w.args)/len(taskColumns)), w.args...)
	}
	w.args = w.args[:0]
	return err
}

func (w *taskWriter) close() { w.stmt.Close() }

// deferSQLiteTaskIndexes is deferTaskIndexes for SQLite: when tasks is
// empty it drops the table's indexes inside tx and returns their CREATE
// statements from sqlite_master. Foreign keys stay: SQLite checks each
// row against the users primary key, which is cheap. The one transaction
// holds SQLite's write lock for the whole load (half a minute for a
// million rows): seed a fresh database before serving it, not beside a
// running server whose writers would time out waiting.
func deferSQLiteTaskIndexes(ctx context.Context, tx *sql.Tx) (bool, []string, error) {
	var empty bool
	if err := tx.QueryRowContext(ctx, "SELECT NOT EXISTS (SELECT 1 FROM tasks)").Scan(&empty); err != nil || !empty {
		return false, nil, err
	}
	rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks' AND sql IS NOT NULL ORDER BY name")
	if err != nil {
		return false, nil, err
	}
	var names, rebuild []string
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return false, nil, err
		}
		names, rebuild = append(names, name), append(rebuild, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, nil, err
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+strings.ReplaceAll(name, `"`, `""`)+`"`); err != nil {
			return false, nil, err
		}
	}
	return true, rebuild, nil
}
