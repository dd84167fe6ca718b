package models_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

func titled(n int, prefix string) []models.TaskInput {
	ins := make([]models.TaskInput, n)
	for i := range ins {
		ins[i] = models.TaskInput{Title: fmt.Sprintf("%s %d", prefix, i)}
	}
	return ins
}

func TestImportTasks(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "import@example.com")
	before := models.Now()
	n, err := s.ImportTasks(ctx, u.ID, []models.TaskInput{
		{Title: "  Buy milk  ", Status: models.StatusCompleted, DueDate: "2027-03-01", Description: "two\nlines"},
		{Title: "No status"},
	})
	if err != nil || n != 2 {
		t.Fatalf("ImportTasks = %d, %v", n, err)
	}
	page, err := s.ListTasks(ctx, u.ID, models.ListOptions{Sort: models.SortOldest})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Tasks) != 2 {
		t.Fatalf("%d tasks listed, want 2", len(page.Tasks))
	}
	first, second := page.Tasks[0], page.Tasks[1]
	if first.Title != "Buy milk" || first.Status != models.StatusCompleted || first.DescriptionText() != "two\nlines" ||
		first.DueDate == nil || first.DueDate.String() != "2027-03-01" {
		t.Errorf("first task = %+v", first)
	}
	if second.Title != "No status" || second.Status != models.StatusPending || second.Description != nil || second.DueDate != nil {
		t.Errorf("second task = %+v", second)
	}
	for _, tk := range page.Tasks {
		if tk.CreatedAt.Before(before) || !tk.UpdatedAt.Equal(tk.CreatedAt) || tk.UserID != u.ID {
			t.Errorf("task %d: created %v updated %v (import began %v), owner %d", tk.ID, tk.CreatedAt, tk.UpdatedAt, before, tk.UserID)
		}
	}
}

func TestImportTasksAllOrNothing(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "allornothing@example.com")
	ins := titled(700, "ok") // more than one INSERT batch
	ins[3].Title = " "
	ins[650].Status = "done"
	ins[650].DueDate = "2026-13-01"
	_, err := s.ImportTasks(ctx, u.ID, ins)
	var ie *models.ImportError
	if !errors.As(err, &ie) || !errors.Is(err, models.ErrInvalid) {
		t.Fatalf("err = %v, want an ImportError", err)
	}
	want := map[int]models.FieldErrors{
		3:   {"title": "Enter a title."},
		650: {"status": "Choose pending, in progress or completed.", "due_date": "Enter a real date, like 2026-12-31."},
	}
	if fmt.Sprint(ie.Rows) != fmt.Sprint(want) {
		t.Errorf("rows = %v, want %v", ie.Rows, want)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM tasks WHERE user_id = ?", u.ID); n != 0 {
		t.Errorf("%d tasks stored after a refused import", n)
	}
}

func TestImportTasksBounds(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "bounds@example.com")
	for _, n := range []int{0, models.MaxImportTasks + 1} {
		_, err := s.ImportTasks(ctx, u.ID, titled(n, "t"))
		var ve *models.ValidationError
		if !errors.As(err, &ve) || ve.Fields["file"] == "" {
			t.Errorf("%d tasks: err = %v, want a ValidationError on file", n, err)
		}
	}
	if n := count(t, s, "SELECT COUNT(*) FROM tasks WHERE user_id = ?", u.ID); n != 0 {
		t.Errorf("%d tasks stored", n)
	}
	if _, err := s.ImportTasks(ctx, u.ID+1000, titled(1, "orphan")); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("import for a user that does not exist: err = %v, want ErrNotFound", err)
	}
}

// EachTask is the export's read: every one of the user's tasks that the
// list shows, none of anyone else's, in batches.
func TestEachTask(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	alice := newUser(t, s, "alice-export@example.com")
	bob := newUser(t, s, "bob-export@example.com")
	if _, err := s.ImportTasks(ctx, bob.ID, titled(3, "bob")); err != nil {
		t.Fatal(err)
	}
	n := 2*models.ExportBatch + 3
	if _, err := s.ImportTasks(ctx, alice.ID, titled(n, "alice")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportTasks(ctx, bob.ID, titled(2, "bob later")); err != nil {
		t.Fatal(err)
	}
	// A trashed task: whatever the list does with it, the export does too.
	mustExec(t, s, "UPDATE tasks SET deleted_at = ? WHERE user_id = ? AND title = ?", time.Now().UTC(), alice.ID, "alice 5")

	var got []int64
	err := s.EachTask(ctx, alice.ID, func(tk *models.Task) error {
		if tk.UserID != alice.ID {
			t.Errorf("task %d of user %d exported for alice", tk.ID, tk.UserID)
		}
		got = append(got, tk.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(got) {
		t.Error("tasks not in id order")
	}
	page, err := s.ListTasks(ctx, alice.ID, models.ListOptions{PerPage: 10 * n, Sort: models.SortOldest})
	if err != nil {
		t.Fatal(err)
	}
	listed := ids(page.Tasks)
	slices.Sort(listed)
	if !slices.Equal(got, listed) {
		t.Errorf("exported %d tasks, the list shows %d: not the same tasks", len(got), len(listed))
	}
	if len(got) < n-1 {
		t.Errorf("exported %d tasks of %d", len(got), n)
	}

	stop := errors.New("stop")
	calls := 0
	err = s.EachTask(ctx, alice.ID, func(*models.Task) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("fn's error: EachTask = %v after %d calls, want stop after 1", err, calls)
	}
	if err := s.EachTask(ctx, alice.ID+bob.ID+1000, func(*models.Task) error { calls++; return nil }); err != nil || calls != 1 {
		t.Errorf("a user with no tasks: %v, %d calls", err, calls-1)
	}
}
