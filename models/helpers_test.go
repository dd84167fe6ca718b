package models_test

import (
	"testing"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// Short names for dbtest's SQL helpers, which most tests here use.

func rawExec(t *testing.T, s *models.Store, query string, args ...any) error {
	t.Helper()
	return dbtest.Exec(t, s, query, args...)
}

// mustExec runs a statement that must succeed.
func mustExec(t *testing.T, s *models.Store, query string, args ...any) {
	t.Helper()
	if err := rawExec(t, s, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func count(t *testing.T, s *models.Store, query string, args ...any) int64 {
	t.Helper()
	return dbtest.Count(t, s, query, args...)
}

func rows(t *testing.T, s *models.Store, query string, args ...any) [][]string {
	t.Helper()
	return dbtest.Rows(t, s, query, args...)
}

// newUser creates an account. The hash is a placeholder: only the password
// tests need a real one, and argon2id is deliberately slow.
func newUser(t *testing.T, s *models.Store, email string) *models.User {
	t.Helper()
	u, err := s.CreateUser(t.Context(), email, "$argon2id$placeholder")
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// newTask creates a pending task owned by userID.
func newTask(t *testing.T, s *models.Store, userID int64, title string) *models.Task {
	t.Helper()
	tk, err := s.CreateTask(t.Context(), userID, models.TaskInput{Title: title})
	if err != nil {
		t.Fatalf("create task %q: %v", title, err)
	}
	return tk
}

func ptr[T any](v T) *T { return &v }
