package models_test

import (
	"errors"
	"testing"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// statuses reads each task's status as stored, by id.
func statuses(t *testing.T, s *models.Store, userID int64, ids ...int64) []models.TaskStatus {
	t.Helper()
	var out []models.TaskStatus
	for _, id := range ids {
		tk, err := s.TaskByID(t.Context(), userID, id)
		if err != nil {
			t.Fatalf("task %d: %v", id, err)
		}
		out = append(out, tk.Status)
	}
	return out
}

func TestApplyBulkChangesEveryTaskAtOnce(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	a := newUser(t, s, "a@example.com")
	t1, t2, t3 := newTask(t, s, a.ID, "One"), newTask(t, s, a.ID, "Two"), newTask(t, s, a.ID, "Three")

	done := models.StatusCompleted
	// A repeated id counts once.
	n, err := s.ApplyBulk(t.Context(), a.ID, []int64{t1.ID, t2.ID, t1.ID}, models.BulkChange{Status: &done})
	if err != nil || n != 2 {
		t.Fatalf("ApplyBulk complete = %d, %v; want 2, nil", n, err)
	}
	if got := statuses(t, s, a.ID, t1.ID, t2.ID, t3.ID); got[0] != done || got[1] != done || got[2] != models.StatusPending {
		t.Errorf("statuses after completing One and Two: %v", got)
	}
	// Setting a status some tasks already have still changes them all.
	n, err = s.ApplyBulk(t.Context(), a.ID, []int64{t1.ID, t3.ID}, models.BulkChange{Status: &done})
	if err != nil || n != 2 {
		t.Fatalf("ApplyBulk on one already completed = %d, %v; want 2, nil", n, err)
	}

	n, err = s.ApplyBulk(t.Context(), a.ID, []int64{t1.ID, t3.ID}, models.BulkChange{Delete: true})
	if err != nil || n != 2 {
		t.Fatalf("ApplyBulk delete = %d, %v; want 2, nil", n, err)
	}
	if c := count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ? AND deleted_at IS NULL", a.ID); c != 1 {
		t.Errorf("%d live tasks left, want 1 (Two)", c)
	}
	// A bulk delete moves the tasks to the trash, where they can be restored.
	if c := count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ? AND deleted_at IS NOT NULL", a.ID); c != 2 {
		t.Errorf("%d tasks in the trash, want 2 (One, Three)", c)
	}
}

// TestApplyBulkAllOrNothing: one id that is not the user's (another
// user's, or deleted) refuses the whole change with ErrNotFound and
// changes nothing, not even the user's own tasks in the set.
func TestApplyBulkAllOrNothing(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	a := newUser(t, s, "a@example.com")
	b := newUser(t, s, "b@example.com")
	mine := newTask(t, s, a.ID, "Mine")
	theirs := newTask(t, s, b.ID, "Theirs")
	gone := newTask(t, s, a.ID, "Gone")
	if _, err := s.DeleteTask(t.Context(), a.ID, gone.ID); err != nil {
		t.Fatal(err)
	}

	done := models.StatusCompleted
	for _, change := range []struct {
		name string
		c    models.BulkChange
	}{{"complete", models.BulkChange{Status: &done}}, {"delete", models.BulkChange{Delete: true}}} {
		for _, other := range []int64{theirs.ID, gone.ID} {
			_, err := s.ApplyBulk(t.Context(), a.ID, []int64{mine.ID, other}, change.c)
			if !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%s with id %d in the set: %v, want ErrNotFound", change.name, other, err)
			}
		}
	}
	if got := statuses(t, s, a.ID, mine.ID); got[0] != models.StatusPending {
		t.Errorf("the user's own task became %s", got[0])
	}
	if got := statuses(t, s, b.ID, theirs.ID); got[0] != models.StatusPending {
		t.Errorf("the other user's task became %s", got[0])
	}
}

func TestApplyBulkRefusesBadInput(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	a := newUser(t, s, "a@example.com")
	tk := newTask(t, s, a.ID, "One")
	bogus := models.TaskStatus("done")
	many := make([]int64, models.MaxBulkTasks+1)
	for i := range many {
		many[i] = int64(i + 1)
	}
	for name, tc := range map[string]struct {
		ids    []int64
		change models.BulkChange
		field  string
	}{
		"no tasks":     {nil, models.BulkChange{Delete: true}, "ids"},
		"too many":     {many, models.BulkChange{Delete: true}, "ids"},
		"no action":    {[]int64{tk.ID}, models.BulkChange{}, "action"},
		"two actions":  {[]int64{tk.ID}, models.BulkChange{Delete: true, Status: &bogus}, "action"},
		"a bad status": {[]int64{tk.ID}, models.BulkChange{Status: &bogus}, "status"},
	} {
		_, err := s.ApplyBulk(t.Context(), a.ID, tc.ids, tc.change)
		var invalid *models.ValidationError
		if !errors.As(err, &invalid) || invalid.Fields[tc.field] == "" {
			t.Errorf("%s: %v, want a message for %q", name, err, tc.field)
		}
	}
	if c := count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ?", a.ID); c != 1 {
		t.Errorf("%d tasks, want the one untouched", c)
	}
}
