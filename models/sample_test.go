package models_test

import (
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

func TestSeedSample(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	for range 2 { // the second run must change nothing
		if err := s.SeedSample(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, s, "SELECT count(*) FROM users"); n != 2 {
		t.Errorf("%d users, want 2", n)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks"); n != 3 {
		t.Errorf("%d tasks, want 3", n)
	}

	at := func(hh, mm int) time.Time { return time.Date(2025, 12, 30, hh, mm, 0, 0, time.UTC) }
	type task struct {
		title, desc        string
		status             models.TaskStatus
		created, updated   time.Time
		descriptionNotNull bool
	}
	want := map[string][]task{ // newest first, as ListTasks returns them
		"user@example.com": {
			{"Write report", "", models.StatusInProgress, at(11, 0), at(11, 30), false},
			{"Buy groceries", "Milk, eggs, bread", models.StatusPending, at(10, 0), at(10, 0), true},
		},
		"user2@example.com": {
			{"Submit assignment", "Due Friday", models.StatusCompleted, at(9, 0), at(14, 0), true},
		},
	}
	for email, tasks := range want {
		u, err := s.UserByEmail(ctx, email)
		if err != nil {
			t.Fatalf("%s: %v", email, err)
		}
		if !u.CreatedAt.Equal(at(10, 0)) || !u.UpdatedAt.Equal(at(10, 0)) {
			t.Errorf("%s: created %v, updated %v; want 2025-12-30 10:00:00 UTC", email, u.CreatedAt, u.UpdatedAt)
		}
		if !models.CheckPassword(u.HashedPassword, models.SamplePassword) {
			t.Errorf("%s: the sample password does not verify", email)
		}
		page, err := s.ListTasks(ctx, u.ID, models.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Tasks) != len(tasks) {
			t.Fatalf("%s: %d tasks, want %d", email, len(page.Tasks), len(tasks))
		}
		for i, w := range tasks {
			g := page.Tasks[i]
			if g.Title != w.title || g.DescriptionText() != w.desc || (g.Description != nil) != w.descriptionNotNull ||
				g.Status != w.status || !g.CreatedAt.Equal(w.created) || !g.UpdatedAt.Equal(w.updated) {
				t.Errorf("%s task %d:\n got  %q %v %s %v %v\n want %q %q %s %v %v", email, i,
					g.Title, g.Description, g.Status, g.CreatedAt, g.UpdatedAt,
					w.title, w.desc, w.status, w.created, w.updated)
			}
		}
	}
	// The spec's literals, as stored: wall-clock text, no zone shift.
	if n := count(t, s, "SELECT count(*) FROM tasks WHERE title = 'Submit assignment' AND created_at = ?",
		at(9, 0)); n != 1 {
		t.Error("Submit assignment is not stored at 2025-12-30 09:00:00")
	}
}
