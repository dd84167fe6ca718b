package models_test

import (
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"taskapp/migrations"
	"taskapp/models"
	"taskapp/models/bulkload"
	"taskapp/models/dbtest"
)

// plan returns the database's plan for query as one string.
func plan(t *testing.T, s *models.Store, query string, args ...any) string {
	t.Helper()
	explain := "EXPLAIN "
	if s.Dialect() == migrations.SQLite {
		explain = "EXPLAIN QUERY PLAN "
	}
	var b strings.Builder
	for _, r := range rows(t, s, explain+query, args...) {
		b.WriteString(strings.Join(r, " ") + "\n")
	}
	return b.String()
}

// GORM's PostgreSQL dialect logs the placeholder $1 as "$1$" when the
// values are left out.
var (
	pgLoggedPlaceholder = regexp.MustCompile(`\$(\d+)\$`)
	pgPlaceholder       = regexp.MustCompile(`\$\d+`)
)

// logged turns a statement as DATABASE_ECHO logs it back into one that
// runs, with as many of args as it has placeholders.
func logged(query string, args []any) (string, []any) {
	query = pgLoggedPlaceholder.ReplaceAllString(query, "$$$1")
	n := strings.Count(query, "?") + len(pgPlaceholder.FindAllString(query, -1))
	return query, args[:min(n, len(args))]
}

// take returns the one statement log holds containing marker and forgets
// everything logged so far.
func take(t *testing.T, log *dbtest.SQLLog, marker string) string {
	t.Helper()
	var found []string
	for _, s := range log.Take() {
		if strings.Contains(s, marker) {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("logged %d statements with %q, want 1: %q", len(found), marker, found)
	}
	return found[0]
}

// TestQueryPlansUseIndexes seeds a realistic volume, then asks the planner
// how it runs the two hot queries, as the store sends them and in the
// schema spec's form: a user's newest tasks and the login lookup. Each must
// walk its index, not the table.
func TestQueryPlansUseIndexes(t *testing.T) {
	t.Parallel()
	log := &dbtest.SQLLog{}
	s := dbtest.Open(t, models.Config{Echo: true, Logger: slog.New(log)})
	ctx := t.Context()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// PostgreSQL's cost-based choice depends on volume: a small table is
	// rightly read whole. SQLite's planner (with the statistics the seed's
	// ANALYZE leaves) prefers the index that serves the ORDER BY at any
	// size, and inserting 20,000 rows through the pure-Go driver takes
	// seconds under -race, so it gets a tenth of the rows.
	volume := bulkload.Options{Users: 50, Tasks: 20000}
	if s.Dialect() == migrations.SQLite {
		volume.Tasks = 2000
	}
	if err := bulkload.Load(ctx, s, volume); err != nil {
		t.Fatal(err)
	}

	// The heaviest user (thousands of tasks) and the lightest (a few
	// hundred): the plan must not flip with the size of the list.
	owners := rows(t, s, `SELECT user_id FROM tasks GROUP BY user_id ORDER BY count(*) DESC, user_id`)
	if len(owners) < 2 {
		t.Fatalf("seed left %d owners", len(owners))
	}
	for _, owner := range []string{owners[0][0], owners[len(owners)-1][0]} {
		id, err := strconv.ParseInt(owner, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ListTasks(ctx, id, models.ListOptions{}); err != nil {
			t.Fatal(err)
		}
		// The log has placeholders where the values go (DATABASE_ECHO
		// keeps values out of logs): the owner, and on PostgreSQL the
		// page size too.
		for name, q := range map[string]struct {
			query string
			args  []any
		}{
			"ListTasks": {take(t, log, "ORDER BY"), []any{id, models.DefaultPerPage}},
			"spec":      {"SELECT * FROM tasks WHERE user_id = " + owner + " ORDER BY created_at DESC, id DESC LIMIT 100", nil},
		} {
			query, args := logged(q.query, q.args)
			p := plan(t, s, query, args...)
			if !strings.Contains(p, "idx_tasks_user_created") {
				t.Errorf("user %s, %s listing does not use idx_tasks_user_created:\n%s\n%s", owner, name, query, p)
			}
			if strings.Contains(p, "Seq Scan on tasks") || strings.Contains(p, "SCAN tasks") {
				t.Errorf("user %s, %s listing reads the whole table:\n%s\n%s", owner, name, query, p)
			}
		}
	}

	// Login looks up one of many accounts; with a few dozen rows a
	// sequential scan is cheaper and rightly chosen, so add accounts.
	if err := bulkload.Load(ctx, s, bulkload.Options{Users: 2000}); err != nil {
		t.Fatal(err)
	}
	email := bulkload.Email(1234)
	if _, err := s.UserByEmail(ctx, strings.ToUpper(email)); err != nil {
		t.Fatal(err)
	}
	for name, q := range map[string]struct {
		query string
		args  []any
	}{
		"UserByEmail": {take(t, log, "lower(email) ="), []any{email, 1}},
		"spec":        {"SELECT * FROM users WHERE lower(email) = '" + email + "'", nil},
	} {
		query, args := logged(q.query, q.args)
		p := plan(t, s, query, args...)
		if !strings.Contains(p, "idx_users_email_lower") {
			t.Errorf("%s get by email does not use idx_users_email_lower:\n%s\n%s", name, query, p)
		}
		if strings.Contains(p, "Seq Scan on users") || strings.Contains(p, "SCAN users") {
			t.Errorf("%s get by email reads the whole table:\n%s\n%s", name, query, p)
		}
	}
}
