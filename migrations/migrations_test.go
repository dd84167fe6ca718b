package migrations_test

import (
	"context"
	"database/sql"
	"path"
	"slices"
	"sync"
	"testing"

	"github.com/pressly/goose/v3"

	"taskapp/migrations"
	"taskapp/models"
	"taskapp/models/dbtest"
)

// The versions both dialects share, oldest first.
var wantVersions = []int64{202512301000, 202512301001, 202611261800, 202612021000, 202612021200, 202612021300, 202612021400, 202612071000, 202612071200}

// schemaObjects lists what the migrations create: tables, indexes,
// triggers and functions, by name, leaving out goose's own table.
func schemaObjects(t *testing.T, db *sql.DB, dialect migrations.Dialect) []string {
	t.Helper()
	q := `SELECT type || ' ' || name FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'`
	if dialect == migrations.Postgres {
		q = `SELECT 'table ' || table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'
		UNION ALL SELECT 'index ' || indexname FROM pg_indexes
			WHERE schemaname = current_schema() AND tablename <> 'goose_db_version'
		UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger
			WHERE NOT tgisinternal
		UNION ALL SELECT 'function ' || proname FROM pg_proc
			WHERE pronamespace = current_schema()::regnamespace`
	}
	names := queryLines(t, db, q)
	slices.Sort(names)
	return names
}

func wantObjects(dialect migrations.Dialect) []string {
	objs := []string{
		"index idx_tasks_user_created", "index idx_tasks_user_id", "index idx_tasks_user_status_created",
		"index idx_tasks_user_open_due", "index idx_tasks_user_due_created",
		"index idx_tasks_user_trash", "index idx_tasks_trash_purge",
		"index idx_users_email_lower", "table tasks", "table users",
		"index idx_sessions_expires_at", "index idx_sessions_user_id", "table sessions",
		"trigger update_tasks_updated_at", "trigger update_users_updated_at",
	}
	if dialect == migrations.Postgres {
		objs = append(objs, "function update_updated_at_column",
			"index tasks_pkey", "index users_email_key", "index users_pkey",
			"index sessions_pkey", "index sessions_token_hash_key",
			// Issue 14: the state several instances share (PostgreSQL only).
			"table rate_limit_buckets", "index rate_limit_buckets_pkey", "index idx_rate_limit_buckets_tat",
			"table app_secrets", "index app_secrets_pkey")
	}
	slices.Sort(objs)
	return objs
}

func newProvider(t *testing.T, s *models.Store) *goose.Provider {
	t.Helper()
	p, err := migrations.NewProvider(s.DB(), s.Dialect(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func assertStatus(t *testing.T, p *goose.Provider, want goose.State) {
	t.Helper()
	st, err := p.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var versions []int64
	for _, m := range st {
		versions = append(versions, m.Source.Version)
		if m.State != want {
			t.Errorf("migration %d (%s) is %s, want %s", m.Source.Version, path.Base(m.Source.Path), m.State, want)
		}
	}
	if !slices.Equal(versions, wantVersions) {
		t.Errorf("status lists versions %v, want %v", versions, wantVersions)
	}
}

func TestUpDownUp(t *testing.T) {
	t.Parallel()
	s := dbtest.Open(t, models.Config{}) // empty, not migrated
	ctx := t.Context()
	p := newProvider(t, s)
	want := wantObjects(s.Dialect())

	// Goose creates its version table on the first call, so the baseline
	// is taken after asking for the status.
	assertStatus(t, p, goose.StatePending)
	if got := schemaObjects(t, s.DB(), s.Dialect()); len(got) != 0 {
		t.Fatalf("empty database has %v", got)
	}

	res, err := p.Up(ctx)
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	if len(res) != len(wantVersions) {
		t.Errorf("up applied %d migrations, want %d", len(res), len(wantVersions))
	}
	assertStatus(t, p, goose.StateApplied)
	if got := schemaObjects(t, s.DB(), s.Dialect()); !slices.Equal(got, want) {
		t.Fatalf("after up:\n got  %q\n want %q", got, want)
	}
	if v, err := p.GetDBVersion(ctx); err != nil || v != wantVersions[len(wantVersions)-1] {
		t.Errorf("db version = %d, %v", v, err)
	}

	// Up again is a no-op.
	if res, err := p.Up(ctx); err != nil || len(res) != 0 {
		t.Errorf("second up: %d applied, %v", len(res), err)
	}

	res, err = p.DownTo(ctx, 0)
	if err != nil {
		t.Fatalf("down to 0: %v", err)
	}
	if len(res) != len(wantVersions) {
		t.Errorf("down reverted %d migrations, want %d", len(res), len(wantVersions))
	}
	assertStatus(t, p, goose.StatePending)
	if got := schemaObjects(t, s.DB(), s.Dialect()); len(got) != 0 {
		t.Fatalf("after down, left behind %q", got)
	}

	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	assertStatus(t, p, goose.StateApplied)
	if got := schemaObjects(t, s.DB(), s.Dialect()); !slices.Equal(got, want) {
		t.Fatalf("after up again:\n got  %q\n want %q", got, want)
	}

	// The schema that came back works: the store runs on it.
	u, err := s.CreateUser(ctx, "back@example.com", "h")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: "Works"}); err != nil {
		t.Fatal(err)
	}
}

// TestDownOneStep reverts down to the users migration: users stays, and on
// PostgreSQL so does the trigger function the users migration owns.
func TestDownOneStep(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	p := newProvider(t, s)
	if _, err := p.DownTo(t.Context(), wantVersions[0]); err != nil {
		t.Fatal(err)
	}
	want := []string{"index idx_users_email_lower", "table users", "trigger update_users_updated_at"}
	if s.Dialect() == migrations.Postgres {
		want = append(want, "function update_updated_at_column", "index users_email_key", "index users_pkey")
	}
	slices.Sort(want)
	if got := schemaObjects(t, s.DB(), s.Dialect()); !slices.Equal(got, want) {
		t.Errorf("after one down:\n got  %q\n want %q", got, want)
	}
}

// TestDialectsShareVersions: migrate status reads the same on both.
func TestDialectsShareVersions(t *testing.T) {
	t.Parallel()
	s := dbtest.Open(t, models.Config{})
	names := map[migrations.Dialect][]string{}
	for _, d := range []migrations.Dialect{migrations.Postgres, migrations.SQLite} {
		p, err := migrations.NewProvider(s.DB(), d, nil)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		var versions []int64
		for _, src := range p.ListSources() {
			versions = append(versions, src.Version)
			names[d] = append(names[d], path.Base(src.Path))
		}
		if !slices.Equal(versions, wantVersions) {
			t.Errorf("%s versions = %v, want %v", d, versions, wantVersions)
		}
	}
	if !slices.Equal(names[migrations.Postgres], names[migrations.SQLite]) {
		t.Errorf("file names differ: %v vs %v", names[migrations.Postgres], names[migrations.SQLite])
	}
}

func TestNewProviderUnknownDialect(t *testing.T) {
	t.Parallel()
	s := dbtest.Open(t, models.Config{})
	if _, err := migrations.NewProvider(s.DB(), "mysql", nil); err == nil {
		t.Error("NewProvider accepted dialect mysql")
	}
}

// TestConcurrentUp starts several instances on one empty PostgreSQL
// database at once: the advisory lock lets each migration run exactly once.
func TestConcurrentUp(t *testing.T) {
	t.Parallel()
	if !dbtest.Postgres() {
		t.Skip("the advisory lock is PostgreSQL's; SQLite has one writer per file")
	}
	url := dbtest.URL(t)
	const instances = 4
	var wg sync.WaitGroup
	errs := make(chan error, instances)
	start := make(chan struct{})
	for range instances {
		s, err := models.Open(t.Context(), models.Config{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		wg.Go(func() {
			<-start
			_, err := s.Migrate(context.WithoutCancel(t.Context()))
			errs <- err
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("migrate: %v", err)
		}
	}
	s, err := models.Open(t.Context(), models.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var applied int
	if err := s.DB().QueryRowContext(t.Context(),
		"SELECT count(*) FROM goose_db_version WHERE version_id > 0").Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if applied != len(wantVersions) {
		t.Errorf("goose recorded %d applications, want %d", applied, len(wantVersions))
	}
}
