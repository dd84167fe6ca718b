package migrations_test

import (
	"database/sql"
	"fmt"
	"slices"
	"testing"

	"taskapp/migrations"
	"taskapp/models"
	"taskapp/models/dbtest"
)

// catalog describes everything the migrations own, one line per object, in
// the database's own words: each table's columns with their types,
// nullability and defaults, each index, constraint, trigger and function
// with its definition. Two databases with equal catalogs have equal schemas.
func catalog(t *testing.T, db *sql.DB, dialect migrations.Dialect) []string {
	t.Helper()
	// SQLite keeps every object's definition as the SQL that made it:
	// columns, CHECKs and foreign keys in the table's, and so on.
	queries := []string{`SELECT type || ' ' || name || ' on ' || tbl_name || ': ' || coalesce(sql, '(automatic)')
		FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'`}
	if dialect == migrations.Postgres {
		queries = []string{
			`SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type ||
				coalesce('(' || character_maximum_length || ')', '') || ' nullable=' || is_nullable ||
				' default=' || coalesce(column_default, 'none')
			FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'`,
			`SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes
			WHERE schemaname = current_schema() AND tablename <> 'goose_db_version'`,
			`SELECT 'constraint ' || conrelid::regclass::text || '.' || conname || ': ' || pg_get_constraintdef(oid)
			FROM pg_constraint
			WHERE connamespace = current_schema()::regnamespace AND conrelid <> 'goose_db_version'::regclass`,
			`SELECT 'trigger ' || tgname || ': ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal`,
			`SELECT 'function ' || proname || ': ' || prosrc FROM pg_proc
			WHERE pronamespace = current_schema()::regnamespace`,
			`SELECT 'sequence ' || sequence_name FROM information_schema.sequences
			WHERE sequence_schema = current_schema() AND sequence_name <> 'goose_db_version_id_seq'`,
		}
	}
	var lines []string
	for _, q := range queries {
		lines = append(lines, queryLines(t, db, q)...)
	}
	slices.Sort(lines)
	return lines
}

// noOpOn lists the versions that change nothing on a dialect, on
// purpose: 202612071200 creates the state several instances share on
// PostgreSQL, which a SQLite file (one process) keeps in the process.
var noOpOn = map[migrations.Dialect][]int64{migrations.SQLite: {202612071200}}

// TestEachMigrationDownThenUp steps down one migration at a time from the
// top. After each Down the schema must be exactly the one the previous
// version had, and applying the migration again must give back exactly the
// schema it made the first time: a Down that drops the wrong index, leaves
// something behind or takes too much fails here, where `migrate down`
// followed by `migrate up` would fail (or worse, succeed) in production.
func TestEachMigrationDownThenUp(t *testing.T) {
	t.Parallel()
	s := dbtest.Open(t, models.Config{}) // empty, not migrated
	ctx := t.Context()
	p := newProvider(t, s)
	snapshot := func() []string { return catalog(t, s.DB(), s.Dialect()) }

	// The schema at each version, applied one at a time: at[0] is empty.
	if _, err := p.Status(ctx); err != nil { // creates goose's own table
		t.Fatal(err)
	}
	at := [][]string{snapshot()}
	for _, v := range wantVersions {
		if _, err := p.UpByOne(ctx); err != nil {
			t.Fatalf("up to %d: %v", v, err)
		}
		at = append(at, snapshot())
		if slices.Equal(at[len(at)-1], at[len(at)-2]) != slices.Contains(noOpOn[s.Dialect()], v) {
			t.Fatalf("migration %d: changed the catalog %v, want %v", v,
				!slices.Equal(at[len(at)-1], at[len(at)-2]), !slices.Contains(noOpOn[s.Dialect()], v))
		}
	}

	assertSchema := func(step string, want []string) {
		t.Helper()
		got := snapshot()
		if !slices.Equal(got, want) {
			extra, missing := difference(got, want), difference(want, got)
			t.Fatalf("%s: schema differs\n unexpected: %q\n missing:    %q", step, extra, missing)
		}
	}
	for i := len(wantVersions); i >= 1; i-- {
		v := wantVersions[i-1]
		for _, round := range []string{"first", "second"} {
			if _, err := p.Down(ctx); err != nil {
				t.Fatalf("%s down from %d: %v", round, v, err)
			}
			assertSchema(fmt.Sprintf("%s down from %d", round, v), at[i-1])
			if round == "second" {
				break // stay down and step down the next one
			}
			if _, err := p.UpByOne(ctx); err != nil {
				t.Fatalf("up %d again: %v", v, err)
			}
			assertSchema(fmt.Sprintf("up %d again", v), at[i])
		}
	}
}

// difference lists the lines of a that b lacks.
func difference(a, b []string) []string {
	var out []string
	for _, line := range a {
		if !slices.Contains(b, line) {
			out = append(out, line)
		}
	}
	return out
}

// queryLines runs a query that returns one text column.
func queryLines(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}
