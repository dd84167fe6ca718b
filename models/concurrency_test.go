package models_test

import (
	"fmt"
	"sync"
	"testing"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// TestConcurrentWrites runs 64 sessions at once, each signing up, creating
// and editing tasks, reading its list, and all of them editing one shared
// row. On SQLite this is the "database is locked" regression: writers that
// start as readers and race for the lock fail under parallel requests.
func TestConcurrentWrites(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	const workers, perWorker = 64, 5
	shared := newUser(t, s, "shared@example.com")
	hot := newTask(t, s, shared.ID, "Everyone edits me")

	start := make(chan struct{})
	errs := make(chan error, workers*(3*perWorker+4))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			<-start
			fail := func(op string, err error) { errs <- fmt.Errorf("worker %d: %s: %w", w, op, err) }
			u, err := s.CreateUser(ctx, fmt.Sprintf("worker%d@example.com", w), "h")
			if err != nil {
				fail("create user", err)
				return
			}
			for i := range perWorker {
				tk, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: fmt.Sprintf("task %d", i), Description: "draft"})
				if err != nil {
					fail("create task", err)
					continue
				}
				if _, err := s.UpdateTask(ctx, u.ID, tk.ID, models.TaskPatch{Title: ptr(fmt.Sprintf("done %d", i)), Status: ptr(models.StatusCompleted)}); err != nil {
					fail("update task", err)
				}
				if _, err := s.TaskByID(ctx, u.ID, tk.ID); err != nil {
					fail("read task", err)
				}
			}
			if _, err := s.ListTasks(ctx, u.ID, models.ListOptions{Query: "done"}); err != nil {
				fail("list", err)
			}
			if _, err := s.UpdateTask(ctx, shared.ID, hot.ID, models.TaskPatch{Description: ptr(fmt.Sprintf("worker %d was here", w))}); err != nil {
				fail("update shared task", err)
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	if n := count(t, s, "SELECT count(*) FROM users"); n != workers+1 {
		t.Errorf("%d users, want %d", n, workers+1)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks"); n != workers*perWorker+1 {
		t.Errorf("%d tasks, want %d", n, workers*perWorker+1)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks WHERE status = 'completed' AND title LIKE 'done %'"); n != workers*perWorker {
		t.Errorf("%d tasks carry their update, want %d", n, workers*perWorker)
	}
	if n := count(t, s, `SELECT count(*) FROM (SELECT t.user_id FROM tasks t JOIN users u ON u.id = t.user_id
		WHERE u.email LIKE 'worker%' GROUP BY t.user_id HAVING count(*) = ?) per_worker`, perWorker); n != workers {
		t.Errorf("%d workers own exactly %d tasks, want all %d", n, perWorker, workers)
	}
	got, err := s.TaskByID(ctx, shared.ID, hot.ID)
	if err != nil || got.Description == nil {
		t.Errorf("shared task after the edits: %+v, %v", got, err)
	}
}
