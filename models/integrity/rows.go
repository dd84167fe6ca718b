package integrity

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"taskapp/models"
)

// The row checks read whole tables with maintenance SQL, past GORM and its
// owner guard. Table, column and constraint names come from the catalog,
// quoted; the CHECK expressions are the catalog's own text.

const postgresForeignKeys = `
SELECT c.conname, t.relname, a.attname, ft.relname, fa.attname
	FROM pg_constraint c
	JOIN pg_class t ON t.oid = c.conrelid
	JOIN pg_class ft ON ft.oid = c.confrelid
	JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
	JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
	WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
	  AND c.connamespace = current_schema()::regnamespace
	ORDER BY 1`

const postgresChecks = `
SELECT c.conname, t.relname, pg_get_constraintdef(c.oid)
	FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
	WHERE c.contype = 'c' AND c.connamespace = current_schema()::regnamespace
	ORDER BY 1`

// checkPostgresRows tests every foreign key and CHECK constraint against
// every row. PostgreSQL enforces them on write, but not on rows written
// while triggers were off (session_replication_role = replica, a restore
// tool) or under a constraint added NOT VALID.
func checkPostgresRows(ctx context.Context, store *models.Store, r *Report) error {
	if err := countRows(ctx, store, r); err != nil {
		return err
	}
	fks, err := queryStrings(ctx, store, postgresForeignKeys, 5)
	if err != nil {
		return err
	}
	for _, fk := range fks {
		name, table, col, ftable, fcol := fk[0], ident(fk[1]), ident(fk[2]), ident(fk[3]), ident(fk[4])
		n, err := count(ctx, store, "SELECT COUNT(*) FROM "+table+" x WHERE x."+col+" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "+ftable+" y WHERE y."+fcol+" = x."+col+")")
		if err != nil {
			return err
		}
		check := fmt.Sprintf("foreign key %s (%s.%s → %s.%s) holds for every row", name, fk[1], fk[2], fk[3], fk[4])
		r.add(check, violations(n, fk[1], "refer to a missing "+fk[3]+" row")...)
	}
	checks, err := queryStrings(ctx, store, postgresChecks, 3)
	if err != nil {
		return err
	}
	for _, c := range checks {
		expr := strings.TrimSuffix(strings.TrimPrefix(c[2], "CHECK "), " NOT VALID")
		n, err := count(ctx, store, "SELECT COUNT(*) FROM "+ident(c[1])+" WHERE NOT "+expr)
		if err != nil {
			return err
		}
		r.add(fmt.Sprintf("check %s on %s holds for every row", c[0], c[1]), violations(n, c[1], "break it")...)
	}
	return nil
}

// checkSQLiteFile runs SQLite's own checks: integrity_check reads every
// page and index and tests NOT NULL and CHECK constraints on every row;
// foreign_key_check finds rows whose parent is missing (written while
// foreign keys were off, which is SQLite's default for other tools).
func checkSQLiteFile(ctx context.Context, store *models.Store, r *Report) error {
	if err := countRows(ctx, store, r); err != nil {
		return err
	}
	rows, err := queryStrings(ctx, store, "PRAGMA integrity_check(100)", 1)
	if err != nil {
		return err
	}
	var problems []string
	for _, row := range rows {
		if row[0] != "ok" {
			problems = append(problems, row[0])
		}
	}
	r.add("PRAGMA integrity_check (pages, indexes, NOT NULL and CHECK on every row)", problems...)

	rows, err = queryStrings(ctx, store, "SELECT \"table\", COALESCE(rowid, 0), parent FROM pragma_foreign_key_check", 3)
	if err != nil {
		return err
	}
	problems = nil
	for _, row := range rows {
		problems = append(problems, fmt.Sprintf("%s row %s refers to a missing %s row", row[0], row[1], row[2]))
	}
	r.add("PRAGMA foreign_key_check (every foreign key on every row)", problems...)
	return nil
}

func countRows(ctx context.Context, store *models.Store, r *Report) error {
	users, err := count(ctx, store, "SELECT COUNT(*) FROM users")
	if err != nil {
		return err
	}
	tasks, err := count(ctx, store, "SELECT COUNT(*) FROM tasks")
	if err != nil {
		return err
	}
	r.add(fmt.Sprintf("rows: %d users, %d tasks", users, tasks))
	return nil
}

func violations(n int64, table, what string) []string {
	if n == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%d %s rows %s", n, table, what)}
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

// queryStrings runs a catalog query of width columns, as text.
func queryStrings(ctx context.Context, store *models.Store, query string, width int) ([][]string, error) {
	rows, err := store.DB().QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("integrity: %w", err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		row := make([]string, width)
		ptrs := make([]any, width)
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("integrity: %w", err)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("integrity: %w", err)
	}
	return out, nil
}
