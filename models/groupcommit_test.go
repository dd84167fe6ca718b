package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// TestGroupCommitFailureStaysWithItsWrite puts writes that fail in every
// way a write can (a CHECK violation, an error after the write's own
// statement succeeded, a panic, a caller that gave up) between writes that
// succeed, all in one batch: each caller gets its own result, the good
// writes are stored, and nothing of the failed ones is.
func TestGroupCommitFailureStaysWithItsWrite(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "batch@example.com")
	create := func(title, status string) func(*gorm.DB) error {
		return func(tx *gorm.DB) error {
			return tx.Create(&models.Task{UserID: u.ID, Title: title, Status: models.TaskStatus(status)}).Error
		}
	}
	refused := errors.New("refused after writing")
	gone, cancel := context.WithCancel(t.Context())
	cancel()
	var ranGone atomic.Bool
	ctxs := []context.Context{t.Context(), t.Context(), t.Context(), t.Context(), gone, t.Context()}
	errs := s.CommitBatch(ctxs, []func(*gorm.DB) error{
		create("first", "pending"),
		create("bad status", "bogus"), // CHECK (status IN …)
		func(tx *gorm.DB) error {
			if err := create("undone", "pending")(tx); err != nil {
				return err
			}
			return refused
		},
		func(*gorm.DB) error { panic("a bug in one write") },
		func(tx *gorm.DB) error { ranGone.Store(true); return create("gone", "pending")(tx) },
		create("last", "completed"),
	})

	if errs[0] != nil || errs[5] != nil {
		t.Errorf("good writes failed: %v, %v", errs[0], errs[5])
	}
	if errs[1] == nil {
		t.Error("a CHECK violation was acknowledged")
	}
	if !errors.Is(errs[2], refused) {
		t.Errorf("write that refused after its statement: %v, want its own error", errs[2])
	}
	if errs[3] == nil {
		t.Error("a panicking write was acknowledged")
	}
	if !errors.Is(errs[4], context.Canceled) || ranGone.Load() {
		t.Errorf("write whose caller had gone: %v (ran: %v), want context.Canceled without running", errs[4], ranGone.Load())
	}
	got := rows(t, s, "SELECT title, status FROM tasks WHERE user_id = ? ORDER BY id", u.ID)
	if fmt.Sprint(got) != "[[first pending] [last completed]]" {
		t.Errorf("stored %v, want only the two good writes", got)
	}
}

// TestGroupCommitConcurrentWrites runs many sessions at once, each
// creating, editing, completing and deleting its own tasks and trying to
// touch another session's task, beside readers, writes that do not go
// through the group commit (sign-ups, bulk changes, restores) and writes
// that read the store from inside the batch. Every write must be applied
// exactly once, every caller must get its own result, and nothing may hang
// (run with -race).
func TestGroupCommitConcurrentWrites(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	const workers, perWorker = 48, 6
	users := make([]*models.User, workers)
	for w := range users {
		users[w] = newUser(t, s, fmt.Sprintf("gc%d@example.com", w))
	}
	// victim's task is the one every session tries, and fails, to change.
	victim := newUser(t, s, "victim@example.com")
	theirs := newTask(t, s, victim.ID, "not yours")

	start := make(chan struct{})
	errs := make(chan error, workers*perWorker*8)
	var wg sync.WaitGroup
	for w, u := range users {
		wg.Go(func() {
			<-start
			fail := func(format string, args ...any) {
				errs <- fmt.Errorf("worker %d: "+format, append([]any{w}, args...)...)
			}
			for i := range perWorker {
				title := fmt.Sprintf("w%d t%d", w, i)
				tk, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: title})
				if err != nil || tk.Title != title || tk.UserID != u.ID || tk.ID == 0 {
					fail("create %q: %+v, %v", title, tk, err)
					continue
				}
				edited := title + " edited"
				got, err := s.UpdateTask(ctx, u.ID, tk.ID, models.TaskPatch{Title: &edited})
				if err != nil || got.Title != edited || got.ID != tk.ID {
					fail("edit %d: %+v, %v", tk.ID, got, err)
				}
				got, err = s.UpdateTask(ctx, u.ID, tk.ID, models.TaskPatch{Status: ptr(models.StatusCompleted)})
				if err != nil || got.Status != models.StatusCompleted || got.Title != edited {
					fail("complete %d: %+v, %v", tk.ID, got, err)
				}
				// The failing neighbours: another user's task, a task
				// deleted twice.
				if _, err := s.UpdateTask(ctx, u.ID, theirs.ID, models.TaskPatch{Title: ptr("mine now")}); !errors.Is(err, models.ErrNotFound) {
					fail("edit another user's task: %v, want ErrNotFound", err)
				}
				if i%2 == 0 {
					if _, err := s.DeleteTask(ctx, u.ID, tk.ID); err != nil {
						fail("delete %d: %v", tk.ID, err)
					}
					if _, err := s.DeleteTask(ctx, u.ID, tk.ID); !errors.Is(err, models.ErrNotFound) {
						fail("delete %d again: %v, want ErrNotFound", tk.ID, err)
					}
				}
				// A write that reads the store from inside its batch: reads
				// have their own connections and must not wait for it.
				if err := s.CommitWrite(ctx, func(tx *gorm.DB) error {
					_, err := s.TaskByID(ctx, u.ID, tk.ID)
					if err != nil && !errors.Is(err, models.ErrNotFound) {
						return err
					}
					return nil
				}); err != nil {
					fail("read inside a write: %v", err)
				}
				if _, err := s.ListTasks(ctx, u.ID, models.ListOptions{}); err != nil {
					fail("list: %v", err)
				}
			}
			// Writes beside the group commit, on the same connection.
			if _, err := s.CreateUser(ctx, fmt.Sprintf("late%d@example.com", w), "h"); err != nil {
				fail("sign up: %v", err)
			}
			if _, err := s.UndoDeletion(ctx, u.ID, models.Now().Add(-1)); !errors.Is(err, models.ErrNotFound) {
				fail("undo nothing: %v, want ErrNotFound", err)
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	if n := count(t, s, "SELECT count(*) FROM tasks WHERE user_id <> ?", victim.ID); n != workers*perWorker {
		t.Errorf("%d tasks, want %d: each create stored exactly once", n, workers*perWorker)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks WHERE title LIKE '% edited' AND status = 'completed'"); n != workers*perWorker {
		t.Errorf("%d tasks carry both edits, want %d", n, workers*perWorker)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks WHERE deleted_at IS NOT NULL"); n != workers*perWorker/2 {
		t.Errorf("%d tasks in the trash, want %d", n, workers*perWorker/2)
	}
	if n := count(t, s, "SELECT count(*) FROM users WHERE email LIKE 'late%'"); n != workers {
		t.Errorf("%d late sign-ups, want %d", n, workers)
	}
	if got, err := s.TaskByID(ctx, victim.ID, theirs.ID); err != nil || got.Title != "not yours" {
		t.Errorf("the other user's task: %+v, %v", got, err)
	}
}

// TestGroupCommitClose closes the store while sessions are writing: Close
// returns, every write returns, and every write that was acknowledged is
// in the database when it is opened again.
func TestGroupCommitClose(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	s, err := models.Open(t.Context(), models.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	u := newUser(t, s, "closing@example.com")
	const writers = 32
	var acked atomic.Int64
	var wg sync.WaitGroup
	started := make(chan struct{}, writers)
	for w := range writers {
		wg.Go(func() {
			for i := 0; ; i++ {
				if _, err := s.CreateTask(context.Background(), u.ID, models.TaskInput{Title: fmt.Sprintf("w%d %d", w, i)}); err != nil {
					return // the store closed under it
				}
				if i == 0 {
					started <- struct{}{}
				}
				acked.Add(1)
			}
		})
	}
	for range writers {
		<-started
	}
	if err := s.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	wg.Wait()

	s, err = models.Open(t.Context(), models.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if n := count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ?", u.ID); n < acked.Load() {
		t.Errorf("%d tasks after reopening, but %d writes were acknowledged", n, acked.Load())
	}
}
