package integrity

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"taskapp/migrations"
	"taskapp/models"
)

// The schema is compared with a scratch database built from the embedded
// migrations, rather than with a list written here: the migrations stay
// the only place the schema is written, and a migration added later is
// checked without touching this package.

// Each catalog query returns (kind, name, definition) for every object of
// the current schema except goose's version table; names and definitions
// are compared as text.
const postgresCatalog = `
SELECT 'table', table_name, '' FROM information_schema.tables
	WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'
UNION ALL
SELECT 'column', table_name || '.' || column_name,
	data_type || COALESCE('(' || character_maximum_length || ')', '')
	|| CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END
	|| COALESCE(' DEFAULT ' || column_default, '')
	FROM information_schema.columns
	WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'
UNION ALL
SELECT 'constraint', t.relname || '.' || c.conname, pg_get_constraintdef(c.oid)
	FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
	WHERE c.connamespace = current_schema()::regnamespace AND t.relname <> 'goose_db_version'
UNION ALL
SELECT 'index', i.relname, pg_get_indexdef(x.indexrelid) || CASE WHEN x.indisvalid THEN '' ELSE ' (INVALID)' END
	FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
	WHERE i.relnamespace = current_schema()::regnamespace AND t.relname <> 'goose_db_version'
UNION ALL
SELECT 'trigger', g.tgname, pg_get_triggerdef(g.oid) || CASE g.tgenabled WHEN 'D' THEN ' (DISABLED)' ELSE '' END
	FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
	WHERE NOT g.tgisinternal AND t.relnamespace = current_schema()::regnamespace
UNION ALL
SELECT 'function', p.proname || '(' || pg_get_function_arguments(p.oid) || ')', l.lanname || ': ' || p.prosrc
	FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
	WHERE p.pronamespace = current_schema()::regnamespace`

const sqliteCatalog = `
SELECT type, name, COALESCE(sql, '') FROM sqlite_master
	WHERE name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'
UNION ALL
SELECT 'column', m.name || '.' || p.name,
	p.type || CASE WHEN p."notnull" THEN ' NOT NULL' ELSE '' END
	|| COALESCE(' DEFAULT ' || p.dflt_value, '') || CASE WHEN p.pk THEN ' PRIMARY KEY' ELSE '' END
	FROM sqlite_master m, pragma_table_info(m.name) p
	WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'goose_db_version'`

// kinds orders the kinds of object in the report.
var kinds = []string{"table", "column", "constraint", "index", "trigger", "function"}

// catalog maps "kind name" to the object's definition.
func catalog(ctx context.Context, store *models.Store) (map[string]string, error) {
	query, schema := sqliteCatalog, ""
	if store.Dialect() == migrations.Postgres {
		query = postgresCatalog
		if err := store.DB().QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return nil, fmt.Errorf("integrity: current schema: %w", err)
		}
	}
	rows, err := store.DB().QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("integrity: read the catalog: %w", err)
	}
	defer rows.Close()
	objs := map[string]string{}
	for rows.Next() {
		var kind, name, def string
		if err := rows.Scan(&kind, &name, &def); err != nil {
			return nil, fmt.Errorf("integrity: read the catalog: %w", err)
		}
		if schema != "" {
			// Definitions name the schema ("ON public.tasks"); the scratch
			// copy lives in another one.
			def = strings.ReplaceAll(def, schema+".", "")
		}
		objs[kind+" "+name] = strings.Join(strings.Fields(def), " ")
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("integrity: read the catalog: %w", err)
	}
	return objs, nil
}

// checkSchema compares the schema with the migrations' and reports
// whether the tables the row checks read exist.
func checkSchema(ctx context.Context, store *models.Store, r *Report) (bool, error) {
	scratch, drop, err := store.OpenScratch(ctx)
	if err != nil {
		return false, fmt.Errorf("integrity: scratch database for the comparison: %w", err)
	}
	defer drop()
	if _, err := scratch.Migrate(ctx); err != nil {
		return false, fmt.Errorf("integrity: migrate the scratch database: %w", err)
	}
	want, err := catalog(ctx, scratch)
	if err != nil {
		return false, err
	}
	got, err := catalog(ctx, store)
	if err != nil {
		return false, err
	}
	var problems []string
	for _, key := range slices.Sorted(maps.Keys(want)) {
		def, ok := got[key]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("missing %s", describe(key, want[key])))
		case def != want[key]:
			problems = append(problems, fmt.Sprintf("%s differs: it is %q, the migrations make %q", key, def, want[key]))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[key]; !ok {
			problems = append(problems, fmt.Sprintf("unexpected %s (not made by the migrations)", describe(key, got[key])))
		}
	}
	r.add("schema matches the migrations: "+tally(want), problems...)
	_, users := got["table users"]
	_, tasks := got["table tasks"]
	return users && tasks, nil
}

func describe(key, def string) string {
	if def == "" {
		return key
	}
	return key + ": " + def
}

// tally counts objects by kind: "2 tables, 16 columns, …".
func tally(objs map[string]string) string {
	n := map[string]int{}
	for key := range objs {
		n[key[:strings.IndexByte(key, ' ')]]++
	}
	var parts []string
	for _, k := range kinds {
		if n[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[k], plural(k, n[k])))
		}
	}
	return strings.Join(parts, ", ")
}

func plural(kind string, n int) string {
	switch {
	case n == 1:
		return kind
	case kind == "index":
		return "indexes"
	}
	return kind + "s"
}
