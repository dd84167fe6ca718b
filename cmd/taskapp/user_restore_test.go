package main

import (
	"strings"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// A deleted account is listed as such, with the time it is erased, and
// `user restore` brings it back, tasks included, so its owner signs in
// again; it says why when there is nothing to restore.
func TestUserRestore(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t), "ACCOUNT_RETENTION": "14d"}
	mustRun(t, env, "migrate", "up")
	s := openTestStore(t, env["DATABASE_URL"])
	pat := newCLIUser(t, s, "pat@example.com")
	newCLIUser(t, s, "kim@example.com")
	if _, err := s.CreateTask(t.Context(), pat.ID, models.TaskInput{Title: "mine"}); err != nil {
		t.Fatal(err)
	}

	_, _, err := taskappWithInput(t, env, "", "user", "restore", "pat@example.com")
	wantFailure(t, err, "pat@example.com is not deleted")
	_, _, err = taskappWithInput(t, env, "", "user", "restore", "nobody@example.com")
	wantFailure(t, err, "no deleted account nobody@example.com: it never existed or has already been erased")

	mustRun(t, env, "user", "delete", "--yes", "pat@example.com")
	users, err := s.Users(t.Context())
	if err != nil || users[0].DeletedAt == nil {
		t.Fatalf("users after delete: %+v, %v", users, err)
	}
	erases := users[0].DeletedAt.Add(14 * 24 * time.Hour).Format(timeLayout)
	out := mustRun(t, env, "user", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasSuffix(lines[1], "deleted, erased after "+erases) ||
		!strings.HasSuffix(lines[2], " active") || lines[3] != "2 accounts, 1 of them deleted" {
		t.Errorf("list with a deleted account (erased after %s with ACCOUNT_RETENTION=14d):\n%s", erases, out)
	}

	// Its email stays taken: user add says why, before asking anything.
	_, errOut, err := taskappWithInput(t, env, "", "user", "add", "pat@example.com")
	wantFailure(t, err, "pat@example.com belongs to a deleted account, erased after "+erases+"; 'taskapp user restore pat@example.com' brings it back")
	if errOut != "" {
		t.Errorf("user add asked %q for a deleted account's email", errOut)
	}

	out = mustRun(t, env, "user", "restore", "PAT@example.com")
	if !strings.Contains(out, "restored pat@example.com") {
		t.Errorf("restore printed %q", out)
	}
	if _, err := s.UserByEmail(t.Context(), "pat@example.com"); err != nil {
		t.Errorf("account after restore: %v", err)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ?", pat.ID); n != 1 {
		t.Errorf("restored account has %d tasks, want 1", n)
	}
	if out := mustRun(t, env, "user", "list"); !strings.Contains(out, "2 accounts\n") || strings.Contains(out, "deleted") {
		t.Errorf("list after restore:\n%s", out)
	}

	// Past the retention period it is due to be erased: no restore.
	mustRun(t, env, "user", "delete", "--yes", "pat@example.com")
	if err := dbtest.Exec(t, s, "UPDATE users SET deleted_at = ? WHERE id = ?", models.Now().Add(-15*24*time.Hour), pat.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = taskappWithInput(t, env, "", "user", "restore", "pat@example.com")
	wantFailure(t, err, "was deleted more than 14 days ago")
}

// `taskapp purge` erases accounts deleted longer ago than
// ACCOUNT_RETENTION, their tasks with them, and keeps the others.
func TestPurgeErasesDeletedAccounts(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t)}
	mustRun(t, env, "migrate", "up")
	s := openTestStore(t, env["DATABASE_URL"])
	old := newCLIUser(t, s, "old@example.com")
	recent := newCLIUser(t, s, "recent@example.com")
	for _, u := range []*models.User{old, recent} {
		if _, err := s.CreateTask(t.Context(), u.ID, models.TaskInput{Title: "mine"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeleteUser(t.Context(), u.ID); err != nil {
			t.Fatal(err)
		}
	}
	// 31 and 29 days ago, against the default 30.
	for u, days := range map[*models.User]int{old: 31, recent: 29} {
		if err := dbtest.Exec(t, s, "UPDATE users SET deleted_at = ? WHERE id = ?", models.Now().Add(-time.Duration(days)*24*time.Hour), u.ID); err != nil {
			t.Fatal(err)
		}
	}
	out := mustRun(t, env, "purge")
	if !strings.Contains(out, "purge-deleted-accounts: done") {
		t.Errorf("purge printed %q", out)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM users WHERE id = ?", old.ID); n != 0 {
		t.Error("the account deleted 31 days ago is still stored")
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ?", old.ID); n != 0 {
		t.Errorf("the erased account's %d tasks are still stored", n)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ?", recent.ID); n != 1 {
		t.Errorf("the account deleted 29 days ago has %d tasks, want 1", n)
	}
	// With a shorter retention, the next purge takes it too.
	env["ACCOUNT_RETENTION"] = "28d"
	mustRun(t, env, "purge")
	if n := dbtest.Count(t, s, "SELECT count(*) FROM users"); n != 0 {
		t.Errorf("%d accounts after a purge with ACCOUNT_RETENTION=28d, want 0", n)
	}
}

// serve runs the account purge when it starts, with the ACCOUNT_RETENTION
// it was given: an account deleted two days ago goes with a one-day
// retention (the default 30 days would keep it).
func TestServePurgesDeletedAccountsOnStart(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t), "SESSION_SECRET": strings.Repeat("s", 32), "ACCOUNT_RETENTION": "1d"}
	mustRun(t, env, "migrate", "up")
	s := openTestStore(t, env["DATABASE_URL"])
	u := newCLIUser(t, s, "pat@example.com")
	if _, err := s.CreateTask(t.Context(), u.ID, models.TaskInput{Title: "mine"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteUser(t.Context(), u.ID); err != nil {
		t.Fatal(err)
	}
	if err := dbtest.Exec(t, s, "UPDATE users SET deleted_at = ? WHERE id = ?", models.Now().Add(-48*time.Hour), u.ID); err != nil {
		t.Fatal(err)
	}
	serveUntil(t, env, "erase the account deleted two days ago", func() bool { return dbtest.Count(t, s, "SELECT count(*) FROM users") == 0 })
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks"); n != 0 {
		t.Errorf("%d tasks of the erased account left", n)
	}
}
