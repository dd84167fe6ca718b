package integrity_test

import (
	"strings"
	"testing"

	"taskapp/migrations"
	"taskapp/models"
	"taskapp/models/dbtest"
	"taskapp/models/integrity"
)

// withData is a fresh migrated database with an account and two tasks.
func withData(t *testing.T) (*models.Store, *models.User) {
	t.Helper()
	s := dbtest.New(t)
	u, err := s.CreateUser(t.Context(), "ana@example.com", "$argon2id$h")
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"One", "Two"} {
		if _, err := s.CreateTask(t.Context(), u.ID, models.TaskInput{Title: title}); err != nil {
			t.Fatal(err)
		}
	}
	return s, u
}

func run(t *testing.T, s *models.Store) *integrity.Report {
	t.Helper()
	r, err := integrity.Run(t.Context(), s)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	return r
}

// problems is every problem in the report, one per line.
func problems(r *integrity.Report) string {
	var b strings.Builder
	for _, c := range r.Checks {
		for _, p := range c.Problems {
			b.WriteString(c.Name + ": " + p + "\n")
		}
	}
	return b.String()
}

func TestCheckPassesOnAFreshDatabase(t *testing.T) {
	t.Parallel()
	s, _ := withData(t)
	r := run(t, s)
	if !r.OK() {
		t.Fatalf("check fails on a freshly migrated database:\n%s", problems(r))
	}
	var names []string
	for _, c := range r.Checks {
		names = append(names, c.Name)
	}
	all := strings.Join(names, "\n")
	// PostgreSQL has two more: rate_limit_buckets and app_secrets, the
	// state instances share (migration 202612071200).
	tables := "schema matches the migrations: 3 tables"
	if s.Dialect() == migrations.Postgres {
		tables = "schema matches the migrations: 5 tables"
	}
	for _, want := range []string{"schema version", tables, "triggers", "rows: 1 users, 2 tasks"} {
		if !strings.Contains(all, want) {
			t.Errorf("the report does not say it checked %q:\n%s", want, all)
		}
	}
	if s.Dialect() == migrations.SQLite && !strings.Contains(all, "PRAGMA integrity_check") {
		t.Errorf("no integrity_check on SQLite:\n%s", all)
	}
	if s.Dialect() == migrations.Postgres && !strings.Contains(all, "foreign key tasks_user_id_fkey") {
		t.Errorf("no foreign key check on PostgreSQL:\n%s", all)
	}
}

// TestCheckFindsBrokenSchemas breaks the schema on purpose, one way per
// case, and expects check to name what is wrong.
func TestCheckFindsBrokenSchemas(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		breakIt func(*testing.T, *models.Store)
		want    string
	}{
		{"dropped trigger", func(t *testing.T, s *models.Store) {
			drop := "DROP TRIGGER update_tasks_updated_at"
			if s.Dialect() == migrations.Postgres {
				drop += " ON tasks"
			}
			dbtest.MustExec(t, s, drop)
		}, "missing trigger update_tasks_updated_at"},
		{"dropped index", func(t *testing.T, s *models.Store) { dbtest.MustExec(t, s, "DROP INDEX idx_tasks_user_created") }, "missing index idx_tasks_user_created"},
		{"extra index", func(t *testing.T, s *models.Store) { dbtest.MustExec(t, s, "CREATE INDEX my_index ON tasks (title)") }, "unexpected index my_index"},
		{"pending migration", func(t *testing.T, s *models.Store) {
			p, err := migrations.NewProvider(s.DB(), s.Dialect(), nil)
			if err == nil {
				_, err = p.Down(t.Context())
			}
			if err != nil {
				t.Fatal(err)
			}
		}, "migrations are pending"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _ := withData(t)
			tc.breakIt(t, s)
			r := run(t, s)
			if r.OK() || !strings.Contains(problems(r), tc.want) {
				t.Errorf("check after %s: want a problem saying %q, got:\n%s", tc.name, tc.want, problems(r))
			}
		})
	}
}

// TestCheckFindsOrphans writes a task whose owner does not exist, with the
// foreign keys switched off as another tool might, and expects check to
// find it.
func TestCheckFindsOrphans(t *testing.T) {
	t.Parallel()
	s, u := withData(t)
	insert := "INSERT INTO tasks (title, status, user_id) VALUES ('orphan', 'pending', ?)"
	if s.Dialect() == migrations.Postgres {
		// Foreign keys are triggers; replica mode skips them.
		conn, err := s.DB().Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for _, q := range []string{"SET session_replication_role = replica", strings.Replace(insert, "?", "$1", 1), "SET session_replication_role = DEFAULT"} {
			var args []any
			if strings.Contains(q, "$1") {
				args = []any{u.ID + 100}
			}
			if _, err := conn.ExecContext(t.Context(), q, args...); err != nil {
				t.Fatal(err)
			}
		}
	} else {
		// The store's write pool is one connection: the pragma applies to it.
		dbtest.MustExec(t, s, "PRAGMA foreign_keys = OFF")
		dbtest.MustExec(t, s, insert, u.ID+100)
		dbtest.MustExec(t, s, "PRAGMA foreign_keys = ON")
	}
	r := run(t, s)
	want := "refers to a missing users row"
	if s.Dialect() == migrations.Postgres {
		want = "1 tasks rows refer to a missing users row"
	}
	if r.OK() || !strings.Contains(problems(r), want) {
		t.Errorf("check with an orphaned task: want %q, got:\n%s", want, problems(r))
	}
}

// TestCheckFindsCheckViolations stores a status the CHECK forbids, as a
// tool that bypasses the constraint could.
func TestCheckFindsCheckViolations(t *testing.T) {
	t.Parallel()
	s, _ := withData(t)
	want := "CHECK constraint failed in tasks"
	if s.Dialect() == migrations.Postgres {
		// Re-added NOT VALID, the constraint no longer vouches for old rows.
		var name string
		if err := s.DB().QueryRowContext(t.Context(), "SELECT conname FROM pg_constraint WHERE conrelid = 'tasks'::regclass AND contype = 'c'").Scan(&name); err != nil {
			t.Fatal(err)
		}
		dbtest.MustExec(t, s, "ALTER TABLE tasks DROP CONSTRAINT "+name)
		dbtest.MustExec(t, s, "UPDATE tasks SET status = 'done' WHERE user_id = user_id")
		dbtest.MustExec(t, s, "ALTER TABLE tasks ADD CONSTRAINT "+name+" CHECK (status IN ('pending', 'in_progress', 'completed')) NOT VALID")
		want = "2 tasks rows break it"
	} else {
		dbtest.MustExec(t, s, "PRAGMA ignore_check_constraints = ON")
		dbtest.MustExec(t, s, "UPDATE tasks SET status = 'done'")
		dbtest.MustExec(t, s, "PRAGMA ignore_check_constraints = OFF")
	}
	r := run(t, s)
	if r.OK() || !strings.Contains(problems(r), want) {
		t.Errorf("check with a bad status: want %q, got:\n%s", want, problems(r))
	}
}

// TestCheckOnAnEmptyDatabase: a database never migrated is reported, not
// an error.
func TestCheckOnAnEmptyDatabase(t *testing.T) {
	t.Parallel()
	s := dbtest.Open(t, models.Config{})
	r := run(t, s)
	if r.OK() || !strings.Contains(problems(r), "no migration history") || !strings.Contains(problems(r), "missing table users") {
		t.Errorf("check on an empty database:\n%s", problems(r))
	}
}
