package main

import (
	"strings"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// purge erases the tasks in the trash longer than TRASH_RETENTION, and
// --dry-run says what it would erase and erases nothing.
func TestPurgeErasesExpiredTrash(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t), "TRASH_RETENTION": "3d"}
	mustRun(t, env, "migrate", "up")
	s := openTestStore(t, env["DATABASE_URL"])
	u := newCLIUser(t, s, "trash@example.com")
	now := models.Now()
	for i, age := range []time.Duration{4 * 24 * time.Hour, 5 * 24 * time.Hour, 2 * 24 * time.Hour, -1} {
		tk, err := s.CreateTask(t.Context(), u.ID, models.TaskInput{Title: "task " + string(rune('a'+i))})
		if err != nil {
			t.Fatal(err)
		}
		if age > 0 {
			dbtest.MustExec(t, s, "UPDATE tasks SET deleted_at = ? WHERE user_id = ? AND id = ?", now.Add(-age), u.ID, tk.ID)
		}
	}

	// An account deleted 40 days ago, with one task: the account purge's
	// share of the dry run.
	gone := newCLIUser(t, s, "gone@example.com")
	if _, err := s.CreateTask(t.Context(), gone.ID, models.TaskInput{Title: "gone's"}); err != nil {
		t.Fatal(err)
	}
	dbtest.MustExec(t, s, "UPDATE users SET deleted_at = ? WHERE id = ?", now.Add(-40*24*time.Hour), gone.ID)

	out := mustRun(t, env, "purge", "--dry-run")
	if !strings.Contains(out, "purge-deleted-accounts: would erase 1 account with their 1 task") {
		t.Errorf("purge --dry-run printed %q", out)
	}
	if !strings.Contains(out, "purge-trashed-tasks: would erase 2 tasks of 1 user, deleted before ") {
		t.Errorf("purge --dry-run printed %q", out)
	}
	if !strings.Contains(out, "purge-expired-sessions: not run") {
		t.Errorf("purge --dry-run printed %q", out)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks"); n != 5 {
		t.Fatalf("--dry-run erased tasks: %d left", n)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM users"); n != 2 {
		t.Fatalf("--dry-run erased an account: %d left", n)
	}

	out = mustRun(t, env, "purge")
	if !strings.Contains(out, "purge-trashed-tasks: done") {
		t.Errorf("purge printed %q", out)
	}
	got := dbtest.Count(t, s, "SELECT count(*) FROM tasks")
	trashed := dbtest.Count(t, s, "SELECT count(*) FROM tasks WHERE deleted_at IS NOT NULL")
	if got != 2 || trashed != 1 {
		t.Errorf("after purge: %d tasks, %d in the trash; want the live one and the one deleted 2 days ago", got, trashed)
	}
	if out := mustRun(t, env, "purge", "--dry-run"); !strings.Contains(out, "purge-trashed-tasks: would erase nothing") {
		t.Errorf("second dry run printed %q", out)
	}
}

func TestTrashRetentionDefault(t *testing.T) {
	t.Parallel()
	r, err := loadRetention(func(string) string { return "" })
	if err != nil || r.Tasks != 7*24*time.Hour {
		t.Errorf("default retention = %v, %v; want the spec's 7 days", r.Tasks, err)
	}
	r, err = loadRetention(func(string) string { return " 36h " })
	if err != nil || r.Tasks != 36*time.Hour {
		t.Errorf("TRASH_RETENTION=36h: %v, %v", r.Tasks, err)
	}
}

// serve runs the trash purge when it starts, with TRASH_RETENTION: a task
// deleted 3 days ago goes under TRASH_RETENTION=2d, one deleted a day ago
// stays.
func TestServePurgesTrashOnStart(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t), "SESSION_SECRET": strings.Repeat("s", 32), "TRASH_RETENTION": "2d"}
	mustRun(t, env, "migrate", "up")
	s := openTestStore(t, env["DATABASE_URL"])
	u := newCLIUser(t, s, "serve-trash@example.com")
	now := models.Now()
	for _, age := range []time.Duration{3 * 24 * time.Hour, 24 * time.Hour} {
		tk, err := s.CreateTask(t.Context(), u.ID, models.TaskInput{Title: "deleted " + age.String() + " ago"})
		if err != nil {
			t.Fatal(err)
		}
		dbtest.MustExec(t, s, "UPDATE tasks SET deleted_at = ? WHERE user_id = ? AND id = ?", now.Add(-age), u.ID, tk.ID)
	}
	serveUntil(t, env, "purge the expired trash", func() bool { return dbtest.Count(t, s, "SELECT count(*) FROM tasks") == 1 })
	if left := dbtest.Count(t, s, "SELECT count(*) FROM tasks WHERE deleted_at > ?", now.Add(-2*24*time.Hour)); left != 1 {
		t.Error("serve erased the task deleted a day ago")
	}
}
