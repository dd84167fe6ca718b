package models_test

import (
	"slices"
	"strings"
	"testing"

	"taskapp/migrations"
	"taskapp/models/dbtest"
)

// The schema spec's tables, read back from the catalog of a migrated
// database: what the migrations create is what the spec says, column by
// column, on both dialects.

func TestSchemaColumns(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)

	if s.Dialect() == migrations.Postgres {
		// name, type, length, nullable, default
		want := map[string][][]string{
			"users": {
				{"id", "integer", "NULL", "NO", "nextval('users_id_seq'::regclass)"},
				{"email", "character varying", "255", "NO", "NULL"},
				{"hashed_password", "character varying", "255", "NO", "NULL"},
				{"created_at", "timestamp without time zone", "NULL", "NO", "CURRENT_TIMESTAMP"},
				{"updated_at", "timestamp without time zone", "NULL", "NO", "CURRENT_TIMESTAMP"},
				{"deleted_at", "timestamp without time zone", "NULL", "YES", "NULL"},
				{"time_zone", "character varying", "64", "YES", "NULL"},
				{"keyboard_shortcuts", "boolean", "NULL", "NO", "true"},
			},
			"tasks": {
				{"id", "integer", "NULL", "NO", "nextval('tasks_id_seq'::regclass)"},
				{"title", "character varying", "200", "NO", "NULL"},
				{"description", "text", "NULL", "YES", "NULL"},
				{"status", "character varying", "20", "NO", "NULL"},
				{"user_id", "integer", "NULL", "NO", "NULL"},
				{"created_at", "timestamp without time zone", "NULL", "NO", "CURRENT_TIMESTAMP"},
				{"updated_at", "timestamp without time zone", "NULL", "NO", "CURRENT_TIMESTAMP"},
				{"deleted_at", "timestamp without time zone", "NULL", "YES", "NULL"},
				{"due_date", "date", "NULL", "YES", "NULL"},
			},
		}
		for table, cols := range want {
			got := rows(t, s, `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
				FROM information_schema.columns
				WHERE table_schema = current_schema() AND table_name = ?
				ORDER BY ordinal_position`, table)
			assertRows(t, table+" columns", got, cols)
		}
		return
	}

	// SQLite: name, declared type, not null, default, primary key.
	now := "strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')"
	want := map[string][][]string{
		"users": {
			{"id", "INTEGER", "0", "NULL", "1"}, // INTEGER PRIMARY KEY is the rowid: never NULL
			{"email", "VARCHAR(255)", "1", "NULL", "0"},
			{"hashed_password", "VARCHAR(255)", "1", "NULL", "0"},
			{"created_at", "TIMESTAMP", "1", now, "0"},
			{"updated_at", "TIMESTAMP", "1", now, "0"},
			{"deleted_at", "TIMESTAMP", "0", "NULL", "0"},
			{"time_zone", "VARCHAR(64)", "0", "NULL", "0"},
			{"keyboard_shortcuts", "BOOLEAN", "1", "TRUE", "0"},
		},
		"tasks": {
			{"id", "INTEGER", "0", "NULL", "1"},
			{"title", "VARCHAR(200)", "1", "NULL", "0"},
			{"description", "TEXT", "0", "NULL", "0"},
			{"status", "VARCHAR(20)", "1", "NULL", "0"},
			{"user_id", "INTEGER", "1", "NULL", "0"},
			{"created_at", "TIMESTAMP", "1", now, "0"},
			{"updated_at", "TIMESTAMP", "1", now, "0"},
			{"deleted_at", "TIMESTAMP", "0", "NULL", "0"},
			{"due_date", "TEXT", "0", "NULL", "0"}, // "YYYY-MM-DD"
		},
	}
	for table, cols := range want {
		got := rows(t, s, `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid`, table)
		assertRows(t, table+" columns", got, cols)
		// AUTOINCREMENT is SQLite's SERIAL: ids are never reused.
		def := rows(t, s, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, table)
		if len(def) != 1 || !strings.Contains(def[0][0], "id INTEGER PRIMARY KEY AUTOINCREMENT") {
			t.Errorf("%s: id is not INTEGER PRIMARY KEY AUTOINCREMENT: %v", table, def)
		}
	}
}

func TestSchemaConstraints(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)

	if s.Dialect() == migrations.Postgres {
		got := rows(t, s, `SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
			FROM pg_constraint
			WHERE conrelid IN ('users'::regclass, 'tasks'::regclass)
			ORDER BY 1, 2`)
		// The status CHECK is compared whole, as PostgreSQL prints it back,
		// so that a fourth status allowed by a migration fails here.
		assertRows(t, "constraints", got, [][]string{
			{"tasks", "tasks_pkey", "p", "PRIMARY KEY (id)"},
			{"tasks", "tasks_status_check", "c", "CHECK (((status)::text = ANY ((ARRAY[" +
				"'pending'::character varying, 'in_progress'::character varying, " +
				"'completed'::character varying])::text[])))"},
			{"tasks", "tasks_user_id_fkey", "f", "FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE"},
			{"users", "users_email_key", "u", "UNIQUE (email)"},
			{"users", "users_pkey", "p", "PRIMARY KEY (id)"},
		})
		return
	}

	// table, from, to, on delete
	fks := rows(t, s, `SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list('tasks')`)
	assertRows(t, "tasks foreign keys", fks, [][]string{{"users", "user_id", "id", "CASCADE"}})
	if fks := rows(t, s, `SELECT "table" FROM pragma_foreign_key_list('users')`); len(fks) != 0 {
		t.Errorf("users has foreign keys: %v", fks)
	}
	// SQLite keeps CHECKs only in the table's SQL.
	def := rows(t, s, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'tasks'`)[0][0]
	if !strings.Contains(def, "CHECK (status IN ('pending', 'in_progress', 'completed'))") {
		t.Errorf("tasks has no status CHECK: %s", def)
	}
	// Foreign keys are off by default in SQLite; the store must turn them on.
	if n := count(t, s, "PRAGMA foreign_keys"); n != 1 {
		t.Errorf("PRAGMA foreign_keys = %d, want 1", n)
	}
}

func TestSchemaIndexes(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)

	if s.Dialect() == migrations.Postgres {
		got := rows(t, s, `SELECT indexname, indexdef FROM pg_indexes
			WHERE schemaname = current_schema() AND tablename IN ('users', 'tasks')
			ORDER BY indexname`)
		assertRows(t, "indexes", got, [][]string{
			{"idx_tasks_trash_purge", "CREATE INDEX idx_tasks_trash_purge ON public.tasks USING btree (deleted_at, user_id) WHERE (deleted_at IS NOT NULL)"},
			{"idx_tasks_user_created", "CREATE INDEX idx_tasks_user_created ON public.tasks USING btree (user_id, created_at DESC)"},
			{"idx_tasks_user_due_created", "CREATE INDEX idx_tasks_user_due_created ON public.tasks USING btree (user_id, due_date, created_at DESC)"},
			{"idx_tasks_user_id", "CREATE INDEX idx_tasks_user_id ON public.tasks USING btree (user_id)"},
			{"idx_tasks_user_open_due", "CREATE INDEX idx_tasks_user_open_due ON public.tasks USING btree (user_id, due_date) WHERE ((due_date IS NOT NULL) AND ((status)::text <> 'completed'::text) AND (deleted_at IS NULL))"},
			{"idx_tasks_user_status_created", "CREATE INDEX idx_tasks_user_status_created ON public.tasks USING btree (user_id, status, created_at DESC, deleted_at) WHERE (deleted_at IS NULL)"},
			{"idx_tasks_user_trash", "CREATE INDEX idx_tasks_user_trash ON public.tasks USING btree (user_id, deleted_at, id) WHERE (deleted_at IS NOT NULL)"},
			{"idx_users_email_lower", "CREATE UNIQUE INDEX idx_users_email_lower ON public.users USING btree (lower((email)::text))"},
			{"tasks_pkey", "CREATE UNIQUE INDEX tasks_pkey ON public.tasks USING btree (id)"},
			{"users_email_key", "CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email)"},
			{"users_pkey", "CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)"},
		})
		return
	}

	// name, unique, origin (c = CREATE INDEX, u = UNIQUE constraint)
	assertRows(t, "users indexes",
		rows(t, s, `SELECT name, "unique", origin FROM pragma_index_list('users') ORDER BY name`),
		[][]string{{"idx_users_email_lower", "1", "c"}, {"sqlite_autoindex_users_1", "1", "u"}})
	assertRows(t, "tasks indexes",
		rows(t, s, `SELECT name, "unique", origin FROM pragma_index_list('tasks') ORDER BY name`),
		[][]string{{"idx_tasks_trash_purge", "0", "c"}, {"idx_tasks_user_created", "0", "c"}, {"idx_tasks_user_due_created", "0", "c"}, {"idx_tasks_user_id", "0", "c"}, {"idx_tasks_user_open_due", "0", "c"}, {"idx_tasks_user_status_created", "0", "c"}, {"idx_tasks_user_trash", "0", "c"}})
	// Key columns in order with their sort direction; an expression key
	// has no column name, so its definition is checked in the SQL.
	for index, want := range map[string][][]string{
		"idx_tasks_user_id":      {{"user_id", "0"}},
		"idx_tasks_user_created": {{"user_id", "0"}, {"created_at", "1"}},
		// Added by the performance work, beside the spec's indexes.
		"idx_tasks_user_status_created": {{"user_id", "0"}, {"status", "0"}, {"created_at", "1"}, {"deleted_at", "0"}},
		"idx_users_email_lower":         {{"NULL", "0"}},
		// Issue 13: the due views (partial) and the due date order.
		"idx_tasks_user_open_due":    {{"user_id", "0"}, {"due_date", "0"}},
		"idx_tasks_user_due_created": {{"user_id", "0"}, {"due_date", "0"}, {"created_at", "1"}},
		// Issue 12: the trash page and the purge (both partial).
		"idx_tasks_user_trash":  {{"user_id", "0"}, {"deleted_at", "0"}, {"id", "0"}},
		"idx_tasks_trash_purge": {{"deleted_at", "0"}, {"user_id", "0"}},
	} {
		got := rows(t, s, `SELECT name, "desc" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`, index)
		assertRows(t, index+" keys", got, want)
	}
	def := rows(t, s, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'idx_users_email_lower'`)
	if len(def) != 1 || def[0][0] != "CREATE UNIQUE INDEX idx_users_email_lower ON users (lower(email))" {
		t.Errorf("idx_users_email_lower = %v, want UNIQUE on lower(email)", def)
	}
}

func TestSchemaTriggers(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)

	if s.Dialect() == migrations.Postgres {
		got := rows(t, s, `SELECT trigger_name, event_object_table, event_manipulation, action_timing,
				action_orientation, action_statement
			FROM information_schema.triggers
			WHERE trigger_schema = current_schema()
			ORDER BY trigger_name`)
		assertRows(t, "triggers", got, [][]string{
			{"update_tasks_updated_at", "tasks", "UPDATE", "BEFORE", "ROW", "EXECUTE FUNCTION update_updated_at_column()"},
			{"update_users_updated_at", "users", "UPDATE", "BEFORE", "ROW", "EXECUTE FUNCTION update_updated_at_column()"},
		})
		fn := rows(t, s, `SELECT p.proname, l.lanname, p.prorettype::regtype::text, p.prosrc
			FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
			WHERE p.pronamespace = current_schema()::regnamespace AND p.proname = 'update_updated_at_column'`)
		if len(fn) != 1 {
			t.Fatalf("function update_updated_at_column: found %d", len(fn))
		}
		if fn[0][1] != "plpgsql" || fn[0][2] != "trigger" || !strings.Contains(fn[0][3], "NEW.updated_at = CURRENT_TIMESTAMP") {
			t.Errorf("update_updated_at_column = %q", fn[0])
		}
		return
	}

	// SQLite has no stored functions: each trigger carries the body itself.
	got := rows(t, s, `SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)
	if len(got) != 2 {
		t.Fatalf("triggers = %v, want update_tasks_updated_at and update_users_updated_at", got)
	}
	for i, want := range [][2]string{{"update_tasks_updated_at", "tasks"}, {"update_users_updated_at", "users"}} {
		if got[i][0] != want[0] || got[i][1] != want[1] {
			t.Errorf("trigger %d = %s on %s, want %s on %s", i, got[i][0], got[i][1], want[0], want[1])
		}
		if !strings.Contains(got[i][2], "AFTER UPDATE ON "+want[1]) || !strings.Contains(got[i][2], "SET updated_at =") {
			t.Errorf("trigger %s does not refresh updated_at after UPDATE: %s", want[0], got[i][2])
		}
	}
}

func assertRows(t *testing.T, what string, got, want [][]string) {
	t.Helper()
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}
