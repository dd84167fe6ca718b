package models_test

import (
	"errors"
	"testing"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// TestUserIsolation: another user's task behaves exactly like a task that
// does not exist, and stays untouched.
func TestUserIsolation(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	a := newUser(t, s, "alice@example.com")
	b := newUser(t, s, "bob@example.com")
	secret, err := s.CreateTask(ctx, a.ID, models.TaskInput{Title: "Alice's secret", Description: "shared word", Status: models.StatusInProgress})
	if err != nil {
		t.Fatal(err)
	}
	newTask(t, s, a.ID, "Alice's other")
	own, err := s.CreateTask(ctx, b.ID, models.TaskInput{Title: "Bob's own", Description: "shared word"})
	if err != nil {
		t.Fatal(err)
	}
	missing := secret.ID + own.ID + 1000

	for _, id := range []int64{secret.ID, missing} {
		if _, err := s.TaskByID(ctx, b.ID, id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("TaskByID(bob, %d) = %v, want ErrNotFound", id, err)
		}
		for _, patch := range []models.TaskPatch{{Title: ptr("Bob was here")}, {Status: ptr(models.StatusCompleted)}, {}} {
			if _, err := s.UpdateTask(ctx, b.ID, id, patch); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("UpdateTask(bob, %d, %+v) = %v, want ErrNotFound", id, patch, err)
			}
		}
		if _, err := s.DeleteTask(ctx, b.ID, id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("DeleteTask(bob, %d) = %v, want ErrNotFound", id, err)
		}
	}

	got, err := s.TaskByID(ctx, a.ID, secret.ID)
	if err != nil {
		t.Fatalf("Alice lost her task: %v", err)
	}
	if got.Title != secret.Title || got.Status != secret.Status || got.UserID != a.ID || !got.UpdatedAt.Equal(secret.UpdatedAt) {
		t.Errorf("Alice's task changed: %+v, was %+v", got, secret)
	}

	for _, opts := range []models.ListOptions{{}, {Query: "shared"}, {Query: "Alice"}, {Status: models.StatusInProgress}} {
		page, err := s.ListTasks(ctx, b.ID, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range page.Tasks {
			if tk.UserID != b.ID {
				t.Errorf("ListTasks(bob, %+v) shows task %d of user %d", opts, tk.ID, tk.UserID)
			}
		}
	}
	page, _ := s.ListTasks(ctx, b.ID, models.ListOptions{})
	if len(page.Tasks) != 1 || page.Tasks[0].ID != own.ID || page.Total != 1 {
		t.Errorf("Bob's list = %+v, want only his own task", page)
	}
	for user, want := range map[int64]int64{a.ID: 2, b.ID: 1} {
		counts, err := s.CountTasks(ctx, user, models.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if counts.All() != want {
			t.Errorf("CountTasks(%d) = %v, want %d in all", user, counts, want)
		}
	}
	if counts, _ := s.CountTasks(ctx, b.ID, models.ListOptions{Query: "shared"}); counts.All() != 1 {
		t.Errorf("CountTasks(bob, shared) = %v, want only his own", counts)
	}

	// The owner can do all three.
	if _, err := s.UpdateTask(ctx, a.ID, secret.ID, models.TaskPatch{Status: ptr(models.StatusCompleted)}); err != nil {
		t.Errorf("owner update: %v", err)
	}
	if _, err := s.DeleteTask(ctx, a.ID, secret.ID); err != nil {
		t.Errorf("owner delete: %v", err)
	}
	if _, err := s.TaskByID(ctx, a.ID, secret.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("TaskByID after delete = %v, want ErrNotFound", err)
	}
}
