package bulkload_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"taskapp/migrations"
	"taskapp/models"
	"taskapp/models/bulkload"
	"taskapp/models/dbtest"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	var progress int
	opts := bulkload.Options{Users: 20, Tasks: 2000, Progress: func(n int) { progress += n }}
	if err := bulkload.Load(ctx, s, opts); err != nil {
		t.Fatal(err)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM users WHERE email LIKE 'seed%@example.com'"); n != 20 {
		t.Errorf("%d generated users, want 20", n)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM users"); n != 20 {
		t.Errorf("%d users, want 20", n)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks"); n != 2000 {
		t.Errorf("%d tasks, want 2000", n)
	}
	if n := dbtest.Count(t, s, `SELECT count(*) FROM tasks t JOIN users u ON u.id = t.user_id
		WHERE u.email LIKE 'seed%@example.com'`); n != 2000 {
		t.Errorf("%d tasks owned by generated users, want all 2000", n)
	}
	if progress != 2020 {
		t.Errorf("progress reported %d rows, want 2020", progress)
	}

	// Skewed as real lists are: someone holds far more than the average.
	most := dbtest.Count(t, s, "SELECT max(n) FROM (SELECT count(*) AS n FROM tasks GROUP BY user_id) per_user")
	if avg := int64(2000 / 20); most < 3*avg {
		t.Errorf("the busiest user has %d tasks, want at least %d (3× the average)", most, 3*avg)
	}
	if n := dbtest.Count(t, s, "SELECT count(DISTINCT status) FROM tasks"); n != 3 {
		t.Errorf("%d distinct statuses, want all 3", n)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks WHERE updated_at < created_at"); n != 0 {
		t.Errorf("%d tasks updated before they were created", n)
	}
	yearAgo := time.Now().UTC().AddDate(-1, 0, -1)
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks WHERE created_at < ? OR updated_at > ?",
		yearAgo, time.Now().UTC().Add(time.Minute)); n != 0 {
		t.Errorf("%d tasks outside the past year", n)
	}

	// Every generated account can sign in with the sample password.
	u, err := s.UserByEmail(ctx, bulkload.Email(20))
	if err != nil {
		t.Fatal(err)
	}
	if !models.CheckPassword(u.HashedPassword, models.SamplePassword) {
		t.Error("generated account: the sample password does not verify")
	}

	// A second run numbers on from the first.
	if err := bulkload.Load(ctx, s, bulkload.Options{Users: 5, Tasks: 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByEmail(ctx, bulkload.Email(25)); err != nil {
		t.Errorf("second run: %s: %v", bulkload.Email(25), err)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM users"); n != 25 {
		t.Errorf("after a second run: %d users, want 25", n)
	}
}

func TestLoadRejectsBadOptions(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	for _, opts := range []bulkload.Options{{Users: 0, Tasks: 10}, {Users: 1, Tasks: -1}} {
		if err := bulkload.Load(t.Context(), s, opts); err == nil {
			t.Errorf("Load(%+v) accepted", opts)
		}
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM users"); n != 0 {
		t.Errorf("a refused seed wrote %d users", n)
	}
}

// TestLoadKeepsSchema: a bulk load into an empty tasks table drops the
// secondary indexes (and on PostgreSQL the foreign key) for the load and
// rebuilds them from the catalog. Afterwards the schema must be
// exactly what the migrations made, and the foreign key must hold again.
func TestLoadKeepsSchema(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	schema := func() [][]string {
		if s.Dialect() == migrations.Postgres {
			return dbtest.Rows(t, s, `SELECT indexname, indexdef FROM pg_indexes
				WHERE schemaname = current_schema() AND tablename = 'tasks'
				UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
				WHERE conrelid = 'tasks'::regclass
				ORDER BY 1`)
		}
		return dbtest.Rows(t, s, `SELECT name, sql FROM sqlite_master WHERE tbl_name = 'tasks' ORDER BY name`)
	}
	before := schema()
	if err := bulkload.Load(ctx, s, bulkload.Options{Users: 5, Tasks: 500}); err != nil {
		t.Fatal(err)
	}
	if after := schema(); !slices.EqualFunc(before, after, slices.Equal) {
		t.Errorf("schema after the seed:\n got  %q\n want %q", after, before)
	}
	if _, err := s.CreateTask(ctx, 1_000_000, models.TaskInput{Title: "Orphan"}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("task for a missing user after the seed: %v, want ErrNotFound", err)
	}
	// A second seed loads into a table that holds tasks, indexes in place.
	if err := bulkload.Load(ctx, s, bulkload.Options{Users: 2, Tasks: 100}); err != nil {
		t.Fatal(err)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks"); n != 600 {
		t.Errorf("%d tasks after two seeds, want 600", n)
	}
	if after := schema(); !slices.EqualFunc(before, after, slices.Equal) {
		t.Errorf("schema after the second seed:\n got  %q\n want %q", after, before)
	}
}
