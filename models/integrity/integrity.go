// Package integrity checks a database against what taskapp expects of it:
// the schema the embedded migrations build (tables, columns, the named
// constraints, indexes, triggers and functions), the foreign keys and
// CHECK constraints on every row, and on SQLite the file's own
// consistency (PRAGMA integrity_check and foreign_key_check). It only
// reads; `taskapp check` prints its report.
package integrity

import (
	"context"
	"fmt"

	"taskapp/migrations"
	"taskapp/models"
)

// Check is one thing that was checked, with what is wrong with it.
type Check struct {
	// Name says what was checked, e.g. "schema matches the migrations".
	Name string
	// Problems is empty when the check passed.
	Problems []string
}

// Report is every check that ran, in order.
type Report struct {
	Checks []Check
}

// OK reports whether every check passed.
func (r *Report) OK() bool { return r.Problems() == 0 }

// Problems counts the problems found.
func (r *Report) Problems() int {
	n := 0
	for _, c := range r.Checks {
		n += len(c.Problems)
	}
	return n
}

func (r *Report) add(name string, problems ...string) {
	r.Checks = append(r.Checks, Check{Name: name, Problems: problems})
}

// Run checks store's database. An error means a check could not run (the
// database did not answer); what the checks find is in the report.
func Run(ctx context.Context, store *models.Store) (*Report, error) {
	r := &Report{}
	if err := checkVersion(ctx, store, r); err != nil {
		return nil, err
	}
	tables, err := checkSchema(ctx, store, r)
	if err != nil {
		return nil, err
	}
	if !tables {
		r.add("rows", "not checked: the users and tasks tables are missing")
		return r, nil
	}
	if store.Dialect() == migrations.Postgres {
		err = checkPostgresRows(ctx, store, r)
	} else {
		err = checkSQLiteFile(ctx, store, r)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

func checkVersion(ctx context.Context, store *models.Store, r *Report) error {
	latest, err := migrations.Latest(store.Dialect())
	if err != nil {
		return err
	}
	var v int64
	// A missing version table is itself the finding: never migrated.
	if err := store.DB().QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM "+migrations.VersionTable).Scan(&v); err != nil {
		r.add("schema version", "the database has no migration history: run 'taskapp migrate up'")
		return nil
	}
	name := fmt.Sprintf("schema version %d (this taskapp's latest: %d)", v, latest)
	switch {
	case v < latest:
		r.add(name, "migrations are pending: run 'taskapp migrate up'")
	case v > latest:
		r.add(name, "the database was migrated by a newer taskapp; the comparison below is against this binary's migrations")
	default:
		r.add(name)
	}
	return nil
}

// count runs a query that returns one number.
func count(ctx context.Context, store *models.Store, query string) (int64, error) {
	var n int64
	if err := store.DB().QueryRowContext(ctx, query).Scan(&n); err != nil {
		return 0, fmt.Errorf("integrity: %s: %w", query, err)
	}
	return n, nil
}
