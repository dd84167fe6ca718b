package models_test

import (
	"strings"
	"testing"

	"taskapp/migrations"
	"taskapp/models"
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

// TestQueryPlansUseIndexes seeds a realistic volume, then asks the planner
// how it runs the two hot queries: a user's newest tasks and the login
// lookup. Each must walk its index, not the table.
func TestQueryPlansUseIndexes(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	if err := s.SeedVolume(ctx, models.VolumeOptions{Users: 50, Tasks: 20000}); err != nil {
		t.Fatal(err)
	}

	// The heaviest user (thousands of tasks) and the lightest (a few
	// hundred): the plan must not flip with the size of the list.
	owners := rows(t, s, `SELECT user_id FROM tasks GROUP BY user_id ORDER BY count(*) DESC, user_id`)
	if len(owners) < 2 {
		t.Fatalf("seed left %d owners", len(owners))
	}
	for _, owner := range []string{owners[0][0], owners[len(owners)-1][0]} {
		p := plan(t, s, rebind(s, "SELECT * FROM tasks WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 100"), owner)
		if !strings.Contains(p, "idx_tasks_user_created") {
			t.Errorf("user %s: listing does not use idx_tasks_user_created:\n%s", owner, p)
		}
		if strings.Contains(p, "Seq Scan on tasks") || strings.Contains(p, "SCAN tasks") {
			t.Errorf("user %s: listing scans the whole table:\n%s", owner, p)
		}
	}

	// Login looks up one of many accounts; with a few dozen rows a
	// sequential scan is cheaper and rightly chosen, so add accounts.
	if err := s.SeedVolume(ctx, models.VolumeOptions{Users: 5000}); err != nil {
		t.Fatal(err)
	}
	// The condition UserByEmail sends.
	p := plan(t, s, rebind(s, "SELECT * FROM users WHERE lower(email) = ? LIMIT 1"), models.SeedEmail(4321))
	if !strings.Contains(p, "idx_users_email_lower") {
		t.Errorf("get by email does not use idx_users_email_lower:\n%s", p)
	}
	if strings.Contains(p, "Seq Scan on users") || strings.Contains(p, "SCAN users") {
		t.Errorf("get by email scans the whole table:\n%s", p)
	}
}
