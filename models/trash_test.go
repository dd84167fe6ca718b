package models_test

import (
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"taskapp/migrations"
	"taskapp/models"
	"taskapp/models/bulkload"
	"taskapp/models/dbtest"
	"taskapp/models/schedule"
)

// A task in the trash is gone from everything the user works with: the
// task page, edit, status change, delete, the list and its counts, search,
// Today/Upcoming, bulk actions and the export; only the trash shows it.
func TestTrashedTaskIsGoneFromLiveQueries(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "trash-live@example.com")
	today := models.NewDate(2026, time.December, 7)
	due := today.String()
	keep, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: "keep findme", DueDate: due})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: "gone findme", DueDate: due})
	if err != nil {
		t.Fatal(err)
	}
	later, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: "gone later", DueDate: today.AddDays(2).String()})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{gone.ID, later.ID} {
		if _, err := s.DeleteTask(ctx, u.ID, id); err != nil {
			t.Fatalf("DeleteTask: %v", err)
		}
	}

	if _, err := s.TaskByID(ctx, u.ID, gone.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("TaskByID of a trashed task = %v, want ErrNotFound", err)
	}
	title := "edited"
	if _, err := s.UpdateTask(ctx, u.ID, gone.ID, models.TaskPatch{Title: &title}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("UpdateTask of a trashed task = %v, want ErrNotFound", err)
	}
	done := models.StatusCompleted
	if _, err := s.UpdateTask(ctx, u.ID, gone.ID, models.TaskPatch{Status: &done}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("status change of a trashed task = %v, want ErrNotFound", err)
	}
	if _, err := s.DeleteTask(ctx, u.ID, gone.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("DeleteTask twice = %v, want ErrNotFound", err)
	}
	if _, err := s.ApplyBulk(ctx, u.ID, []int64{keep.ID, gone.ID}, models.BulkChange{Status: &done}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("ApplyBulk with a trashed task = %v, want ErrNotFound", err)
	}
	if got := statuses(t, s, u.ID, keep.ID); got[0] != models.StatusPending {
		t.Errorf("a refused bulk change changed the live task: %v", got)
	}

	for name, opts := range map[string]models.ListOptions{
		"all":      {Today: today},
		"pending":  {Today: today, Status: models.StatusPending},
		"search":   {Today: today, Query: "findme"},
		"today":    {Today: today, Due: models.DueToday},
		"upcoming": {Today: today, Due: models.DueUpcoming},
		"by due":   {Today: today, Sort: models.SortDue},
	} {
		p, err := s.ListTasks(ctx, u.ID, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range p.Tasks {
			if tk.ID != keep.ID {
				t.Errorf("%s list shows trashed task %q", name, tk.Title)
			}
		}
		if in, err := s.TaskInList(ctx, u.ID, gone.ID, opts); err != nil || in {
			t.Errorf("%s: TaskInList(trashed) = %v, %v", name, in, err)
		}
	}
	c, err := s.CountTasks(ctx, u.ID, models.ListOptions{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if c.All() != 1 || c.Total(models.StatusPending) != 1 || c.Today != 1 || c.Upcoming != 0 {
		t.Errorf("counts = %+v, today %d, upcoming %d; want 1 task, 1 today, 0 upcoming", c.StatusCounts, c.Today, c.Upcoming)
	}
	c, err = s.CountTasks(ctx, u.ID, models.ListOptions{Today: today, Query: "gone"})
	if err != nil || c.All() != 0 {
		t.Errorf("search counts trashed tasks: %+v, %v", c.StatusCounts, err)
	}
	var exported []int64
	if err := s.EachTask(ctx, u.ID, func(tk *models.Task) error { exported = append(exported, tk.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(exported, []int64{keep.ID}) {
		t.Errorf("export = %v, want only %d", exported, keep.ID)
	}

	trash, err := s.Trash(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if trash.Total != 2 || len(trash.Tasks) != 2 || trash.Tasks[0].ID != later.ID || trash.Tasks[1].ID != gone.ID {
		t.Errorf("trash = %d tasks %v, want later then gone", trash.Total, ids(trash.Tasks))
	}
	for _, tk := range trash.Tasks {
		if tk.DeletedAt == nil {
			t.Errorf("trashed task %q has no deleted_at", tk.Title)
		}
	}
}

// Restoring puts a task back as it was; all or nothing; only the owner's.
func TestRestoreTasks(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	a := newUser(t, s, "restore-a@example.com")
	b := newUser(t, s, "restore-b@example.com")
	t1 := newTask(t, s, a.ID, "one")
	t2 := newTask(t, s, a.ID, "two")
	live := newTask(t, s, a.ID, "live")
	bt := newTask(t, s, b.ID, "bob's")
	if _, err := s.ApplyBulk(ctx, a.ID, []int64{t1.ID, t2.ID}, models.BulkChange{Delete: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteTask(ctx, b.ID, bt.ID); err != nil {
		t.Fatal(err)
	}

	for name, set := range map[string][]int64{
		"another user's trashed task": {t1.ID, bt.ID},
		"a live task":                 {t1.ID, live.ID},
		"no such task":                {t1.ID, bt.ID + 100},
		"nothing":                     {},
	} {
		if _, err := s.RestoreTasks(ctx, a.ID, set); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("restore with %s = %v, want ErrNotFound", name, err)
		}
	}
	if _, err := s.TaskByID(ctx, a.ID, t1.ID); !errors.Is(err, models.ErrNotFound) {
		t.Error("a refused restore restored a task")
	}
	if _, err := s.TrashedTask(ctx, a.ID, bt.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("TrashedTask of another user's = %v, want ErrNotFound", err)
	}

	n, err := s.RestoreTasks(ctx, a.ID, []int64{t2.ID, t1.ID, t1.ID})
	if err != nil || n != 2 {
		t.Fatalf("RestoreTasks = %d, %v; want 2", n, err)
	}
	got, err := s.TaskByID(ctx, a.ID, t1.ID)
	if err != nil || got.Title != "one" || got.DeletedAt != nil || !got.CreatedAt.Equal(t1.CreatedAt) {
		t.Errorf("restored task = %+v, %v", got, err)
	}
	if tr, _ := s.Trash(ctx, b.ID); tr.Total != 1 {
		t.Errorf("restoring a's tasks changed b's trash: %d", tr.Total)
	}
}

// Delete forever and Empty trash erase only the user's trashed tasks.
func TestEraseAndEmptyTrash(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	a := newUser(t, s, "erase-a@example.com")
	b := newUser(t, s, "erase-b@example.com")
	t1 := newTask(t, s, a.ID, "one")
	t2 := newTask(t, s, a.ID, "two")
	live := newTask(t, s, a.ID, "live")
	bt := newTask(t, s, b.ID, "bob's")
	for _, tk := range []*models.Task{t1, t2} {
		if _, err := s.DeleteTask(ctx, a.ID, tk.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.DeleteTask(ctx, b.ID, bt.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.EraseTask(ctx, a.ID, live.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("EraseTask of a live task = %v, want ErrNotFound", err)
	}
	if err := s.EraseTask(ctx, a.ID, bt.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("EraseTask of another user's = %v, want ErrNotFound", err)
	}
	if err := s.EraseTask(ctx, a.ID, t1.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ? AND id = ?", a.ID, t1.ID); n != 0 {
		t.Error("EraseTask left the row")
	}
	n, err := s.EmptyTrash(ctx, a.ID)
	if err != nil || n != 1 {
		t.Errorf("EmptyTrash = %d, %v; want 1", n, err)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ?", a.ID); n != 1 {
		t.Errorf("%d tasks left for a, want the live one", n)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ?", b.ID); n != 1 {
		t.Errorf("emptying a's trash touched b's: %d left", n)
	}
}

// The purge erases tasks deleted before the cutoff, whoever's, and nothing
// else; the dry run reports the same set and erases nothing.
func TestPurgeTrash(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	a := newUser(t, s, "purge-a@example.com")
	b := newUser(t, s, "purge-b@example.com")
	now := models.Now()
	old1 := newTask(t, s, a.ID, "old a")
	old2 := newTask(t, s, b.ID, "old b")
	recent := newTask(t, s, a.ID, "recent")
	live := newTask(t, s, b.ID, "live")
	mustExec(t, s, "UPDATE tasks SET deleted_at = ? WHERE user_id = ? AND id = ?", now.Add(-8*24*time.Hour), a.ID, old1.ID)
	mustExec(t, s, "UPDATE tasks SET deleted_at = ? WHERE user_id = ? AND id = ?", now.Add(-10*24*time.Hour), b.ID, old2.ID)
	mustExec(t, s, "UPDATE tasks SET deleted_at = ? WHERE user_id = ? AND id = ?", now.Add(-6*24*time.Hour), a.ID, recent.ID)
	cutoff := now.Add(-models.DefaultTaskRetention)

	due, err := s.TrashDueBefore(ctx, cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if due.Tasks != 2 || due.Users != 2 || due.Oldest == nil || !due.Oldest.Equal(now.Add(-10*24*time.Hour)) {
		t.Errorf("TrashDueBefore = %+v (oldest %v), want 2 tasks of 2 users, oldest 10 days ago", due, due.Oldest)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks"); n != 4 {
		t.Fatalf("the dry run erased something: %d tasks", n)
	}

	sch := schedule.New(s, nil)
	s.RegisterTrashPurge(sch, models.DefaultTaskRetention)
	jobs := sch.Jobs()
	if len(jobs) != 1 || jobs[0].Name != models.TrashPurgeJob {
		t.Fatalf("jobs = %v", jobs)
	}
	for range 2 { // idempotent
		if ran, err := sch.RunOnce(ctx, jobs[0]); !ran || err != nil {
			t.Fatalf("RunOnce = %v, %v", ran, err)
		}
	}
	left := rows(t, s, "SELECT title FROM tasks ORDER BY id")
	if len(left) != 2 || left[0][0] != recent.Title || left[1][0] != live.Title {
		t.Errorf("after the purge: %v, want %q and %q", left, recent.Title, live.Title)
	}
	if due, err := s.TrashDueBefore(ctx, cutoff); err != nil || due.Tasks != 0 || due.Oldest != nil {
		t.Errorf("TrashDueBefore after the purge = %+v, %v", due, err)
	}
}

// More than one batch: the purge keeps going until nothing is due.
func TestPurgeTrashInBatches(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "purge-batches@example.com")
	in := make([]models.TaskInput, 2500)
	for i := range in {
		in[i] = models.TaskInput{Title: "t"}
	}
	if _, err := s.ImportTasks(ctx, u.ID, in); err != nil {
		t.Fatal(err)
	}
	mustExec(t, s, "UPDATE tasks SET deleted_at = ? WHERE user_id = ?", models.Now().Add(-30*24*time.Hour), u.ID)
	n, err := s.PurgeTrash(ctx, models.Now().Add(-models.DefaultTaskRetention))
	if err != nil || n != 2500 {
		t.Errorf("PurgeTrash = %d, %v; want 2500", n, err)
	}
	if c := count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ?", u.ID); c != 0 {
		t.Errorf("%d tasks left", c)
	}
}

// UndoDeletion restores one deletion, named by the deleted_at it
// returned: every task of a bulk delete, nothing of another deletion or
// another user's.
func TestUndoDeletion(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	a := newUser(t, s, "undo-a@example.com")
	b := newUser(t, s, "undo-b@example.com")
	t1 := newTask(t, s, a.ID, "one")
	t2 := newTask(t, s, a.ID, "two")
	t3 := newTask(t, s, a.ID, "three")
	bt := newTask(t, s, b.ID, "bob's")
	single, err := s.DeleteTask(ctx, a.ID, t3.ID)
	if err != nil {
		t.Fatal(err)
	}
	n, bulk, err := s.DeleteTasks(ctx, a.ID, []int64{t1.ID, t2.ID})
	if err != nil || n != 2 || bulk.Equal(single) {
		t.Fatalf("DeleteTasks = %d, %v, %v (single delete at %v)", n, bulk, err, single)
	}
	bobAt, err := s.DeleteTask(ctx, b.ID, bt.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UndoDeletion(ctx, a.ID, bobAt); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("undo of another user's deletion = %v, want ErrNotFound", err)
	}
	if n, err := s.UndoDeletion(ctx, a.ID, bulk); err != nil || n != 2 {
		t.Fatalf("UndoDeletion(bulk) = %d, %v; want 2", n, err)
	}
	for _, tk := range []*models.Task{t1, t2} {
		if _, err := s.TaskByID(ctx, a.ID, tk.ID); err != nil {
			t.Errorf("%s not restored: %v", tk.Title, err)
		}
	}
	if _, err := s.TaskByID(ctx, a.ID, t3.ID); !errors.Is(err, models.ErrNotFound) {
		t.Error("undoing the bulk delete restored the single delete")
	}
	if _, err := s.UndoDeletion(ctx, a.ID, bulk); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("undo twice = %v, want ErrNotFound", err)
	}
	if _, err := s.TrashedTask(ctx, b.ID, bt.ID); err != nil {
		t.Errorf("bob's task left the trash: %v", err)
	}
}

// With some tasks in the trash, the statements that read around it walk
// the partial indexes of migration 202612071000: the per-status counts
// read idx_tasks_user_status_created alone (covering on SQLite, which is
// why deleted_at is in its key), the trash page idx_tasks_user_trash,
// and the purge idx_tasks_trash_purge. None reads the whole table.
func TestTrashQueryPlans(t *testing.T) {
	t.Parallel()
	log := &dbtest.SQLLog{}
	s := dbtest.Open(t, models.Config{Echo: true, Logger: slog.New(log)})
	ctx := t.Context()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	volume := bulkload.Options{Users: 50, Tasks: 20000}
	if s.Dialect() == migrations.SQLite {
		volume.Tasks = 2000
	}
	if err := bulkload.Load(ctx, s, volume); err != nil {
		t.Fatal(err)
	}
	mustExec(t, s, "UPDATE tasks SET deleted_at = created_at WHERE id % 20 = 0")
	// What autovacuum does after such an UPDATE: fresh statistics, and on
	// PostgreSQL a visibility map that lets index-only scans skip the heap.
	if s.Dialect() == migrations.Postgres {
		mustExec(t, s, "VACUUM (ANALYZE) tasks")
	} else {
		mustExec(t, s, "ANALYZE")
	}
	owner := rows(t, s, `SELECT user_id FROM tasks GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1`)[0][0]
	id, err := strconv.ParseInt(owner, 10, 64)
	if err != nil {
		t.Fatal(err)
	}

	log.Take()
	if _, err := s.CountTasks(ctx, id, models.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	counts := take(t, log, "GROUP BY")
	if _, err := s.Trash(ctx, id); err != nil {
		t.Fatal(err)
	}
	page := take(t, log, "ORDER BY deleted_at DESC")
	cutoff := models.Now().Add(-models.DefaultTaskRetention)
	purge := "SELECT id FROM tasks WHERE deleted_at < ? ORDER BY deleted_at LIMIT 1000"
	if s.Dialect() == migrations.Postgres {
		purge = strings.Replace(purge, "?", "$1", 1)
	}
	for _, c := range []struct {
		name, query string
		args        []any
		want        string
	}{
		{"per-status counts", counts, []any{id}, "idx_tasks_user_status_created"},
		{"trash page", page, []any{id, models.MaxTrashShown}, "idx_tasks_user_trash"},
		{"purge batch (as PurgeTrash selects it)", purge, []any{cutoff}, "idx_tasks_trash_purge"},
	} {
		query, args := logged(c.query, c.args)
		p := plan(t, s, query, args...)
		// PostgreSQL may answer a small trash from the other trash index,
		// which holds the same rows: either is bounded by the trash.
		if c.want == "idx_tasks_trash_purge" && s.Dialect() == migrations.Postgres && strings.Contains(p, "idx_tasks_user_trash") {
			continue
		}
		if !strings.Contains(p, c.want) {
			t.Errorf("%s does not use %s:\n%s\n%s", c.name, c.want, query, p)
		}
		if strings.Contains(p, "Seq Scan on tasks") || strings.Contains(p, "SCAN tasks") && !strings.Contains(p, "INDEX") {
			t.Errorf("%s reads the whole table:\n%s\n%s", c.name, query, p)
		}
		if c.name == "per-status counts" && s.Dialect() == migrations.SQLite && !strings.Contains(p, "COVERING INDEX") {
			t.Errorf("the counts read the table beside the index:\n%s\n%s", query, p)
		}
	}
}

// Several instances running the purge at once (two stores on one
// database, each with its own scheduler): no error, every due task erased
// once, nothing else touched.
func TestPurgeTrashFromTwoInstances(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	open := func() *models.Store {
		s, err := models.Open(t.Context(), models.Config{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a := open()
	if _, err := a.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	b := open()
	u := newUser(t, a, "purge-twice@example.com")
	in := make([]models.TaskInput, 3000)
	for i := range in {
		in[i] = models.TaskInput{Title: "t"}
	}
	if _, err := a.ImportTasks(t.Context(), u.ID, in); err != nil {
		t.Fatal(err)
	}
	old := models.Now().Add(-30 * 24 * time.Hour)
	mustExec(t, a, "UPDATE tasks SET deleted_at = ? WHERE user_id = ? AND id % 3 <> 0", old, u.ID)
	due := count(t, a, "SELECT count(*) FROM tasks WHERE deleted_at IS NOT NULL")

	var wg sync.WaitGroup
	for _, s := range []*models.Store{a, b} {
		wg.Go(func() {
			sch := schedule.New(s, nil)
			s.RegisterTrashPurge(sch, models.DefaultTaskRetention)
			if _, err := sch.RunOnce(t.Context(), sch.Jobs()[0]); err != nil {
				t.Errorf("RunOnce: %v", err)
			}
		})
	}
	wg.Wait()
	if n := count(t, a, "SELECT count(*) FROM tasks WHERE deleted_at IS NOT NULL"); n != 0 {
		t.Errorf("%d due tasks left after two purges", n)
	}
	if n := count(t, a, "SELECT count(*) FROM tasks"); n != 3000-due {
		t.Errorf("%d tasks left, want the %d live ones", n, 3000-due)
	}
}
