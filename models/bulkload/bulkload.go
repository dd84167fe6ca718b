// Package bulkload fills a database with generated accounts and tasks, fast
// enough for a million rows: COPY on PostgreSQL, large multi-row INSERTs on
// SQLite, with the tasks table's indexes dropped and rebuilt around a load
// into an empty table. `taskapp seed --users --tasks`, cmd/dbbench and
// cmd/loadgen share it; package models keeps the schema's rules and the
// application's queries.
//
// It writes through the store's write pool with the driver's own calls,
// past GORM and its owner guard: a bulk load is maintenance on whole
// tables, not a user's request.
package bulkload

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"taskapp/migrations"
	"taskapp/models"
)

// Options says how much Load generates.
type Options struct {
	Users int
	Tasks int
	// Progress, if set, is told how many rows were just written.
	Progress func(rows int)
	// Seed makes the generated data reproducible.
	Seed uint64
}

// Email is the address of the i-th generated account (1-based).
func Email(i int) string { return fmt.Sprintf("seed%d@example.com", i) }

// Load generates opts.Users accounts (seedN@example.com, numbered on from
// any generated before, all with models.SamplePassword) and opts.Tasks
// tasks among them: on average Tasks/Users each, but skewed so that one
// user in a hundred holds a fifth of all tasks, as real lists are.
// Timestamps spread over the past year.
func Load(ctx context.Context, store *models.Store, opts Options) error {
	if opts.Users <= 0 {
		return errors.New("bulkload: at least one user is needed")
	}
	if opts.Tasks < 0 {
		return errors.New("bulkload: task count must not be negative")
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(int) {}
	}
	hash, err := models.HashPassword(models.SamplePassword)
	if err != nil {
		return err
	}
	db, dialect := store.DB(), store.Dialect()
	ids, err := insertUsers(ctx, db, dialect, opts.Users, hash, progress)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(opts.Seed, uint64(len(ids))))
	gen := &taskGen{rng: rng, users: ids, n: opts.Tasks, end: models.Now(), dateText: dialect == migrations.SQLite}
	if dialect == migrations.Postgres {
		err = copyTasks(ctx, db, gen, progress)
	} else {
		err = insertTasks(ctx, db, gen, progress)
	}
	if err != nil {
		return err
	}
	return analyze(ctx, db, dialect)
}

// analyze gathers fresh statistics, so the planner sees the new volume at
// once. On PostgreSQL, VACUUM also does now what autovacuum would soon
// after a bulk load (hint bits, visibility map), so that index-only scans
// work and the first reads don't rewrite every page.
func analyze(ctx context.Context, db *sql.DB, dialect migrations.Dialect) error {
	q := "ANALYZE"
	if dialect == migrations.Postgres {
		q = "VACUUM (ANALYZE) users, tasks"
	}
	if _, err := db.ExecContext(ctx, q); err != nil {
		return models.Classify("bulkload: analyze", err)
	}
	return nil
}

// usersPerInsert is how many accounts one INSERT carries (4,000
// parameters, under both databases' limits).
const usersPerInsert = 1000

var userColumns = []string{"email", "hashed_password", "created_at", "updated_at"}

// insertUsers creates n accounts created a year ago, numbered on from the
// generated accounts already there, and returns their ids.
func insertUsers(ctx context.Context, db *sql.DB, dialect migrations.Dialect, n int, hash string, progress func(int)) ([]int64, error) {
	var existing int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE email LIKE 'seed%@example.com'").Scan(&existing); err != nil {
		return nil, models.Classify("bulkload: count users", err)
	}
	ids := make([]int64, 0, n)
	t := models.Now().AddDate(-1, 0, 0)
	for start := 0; start < n; start += usersPerInsert {
		end := min(start+usersPerInsert, n)
		args := make([]any, 0, len(userColumns)*(end-start))
		for i := start; i < end; i++ {
			args = append(args, Email(existing+i+1), hash, t, t)
		}
		var err error
		if ids, err = insertReturningIDs(ctx, db, insertSQL(dialect, "users", userColumns, end-start)+" RETURNING id", args, ids); err != nil {
			return nil, models.Classify("bulkload: insert users", err)
		}
		progress(end - start)
	}
	return ids, nil
}

// insertReturningIDs runs an INSERT … RETURNING id and appends the ids.
func insertReturningIDs(ctx context.Context, db *sql.DB, q string, args []any, ids []int64) ([]int64, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return ids, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// insertSQL is an INSERT of n rows of cols into table, with the dialect's
// placeholders ($1, $2, … or ?).
func insertSQL(dialect migrations.Dialect, table string, cols []string, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	p := 0
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			if p++; dialect == migrations.Postgres {
				b.WriteString("$" + strconv.Itoa(p))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}
