package models_test

import (
	"errors"
	"strings"
	"testing"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// TestConstraintsRejectRawSQL goes around the store's validation with plain
// SQL: the schema itself must refuse each bad row, and classify must turn
// the driver's complaint into the sentinel the layers above understand.
func TestConstraintsRejectRawSQL(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "owner@example.com")
	tk := newTask(t, s, u.ID, "Existing")

	// Controls: the same statements with good values go in, so a failure
	// below is the constraint and not a typo in the test.
	mustExec(t, s, "INSERT INTO tasks (title, status, user_id) VALUES (?, 'completed', ?)", strings.Repeat("é", 200), u.ID)
	mustExec(t, s, "INSERT INTO users (email, hashed_password) VALUES (?, 'h')", strings.Repeat("a", 243)+"@example.com")
	tasksBefore := count(t, s, "SELECT count(*) FROM tasks")
	usersBefore := count(t, s, "SELECT count(*) FROM users")

	long := strings.Repeat("x", 201)
	tests := []struct {
		name  string
		query string
		args  []any
		want  error
	}{
		{"email in another case", "INSERT INTO users (email, hashed_password) VALUES ('OWNER@Example.COM', 'h')", nil, models.ErrEmailTaken},
		{"same email", "INSERT INTO users (email, hashed_password) VALUES ('owner@example.com', 'h')", nil, models.ErrEmailTaken},
		{"email NULL", "INSERT INTO users (email, hashed_password) VALUES (NULL, 'h')", nil, models.ErrInvalid},
		{"email 256 characters", "INSERT INTO users (email, hashed_password) VALUES (?, 'h')", []any{strings.Repeat("a", 244) + "@example.com"}, models.ErrInvalid},
		{"hashed_password NULL", "INSERT INTO users (email, hashed_password) VALUES ('n@example.com', NULL)", nil, models.ErrInvalid},
		{"users created_at NULL", "INSERT INTO users (email, hashed_password, created_at) VALUES ('n@example.com', 'h', NULL)", nil, models.ErrInvalid},
		{"status not in the enum", "INSERT INTO tasks (title, status, user_id) VALUES ('t', 'done', ?)", []any{u.ID}, models.ErrInvalid},
		{"status cancelled (not in the spec)", "INSERT INTO tasks (title, status, user_id) VALUES ('t', 'cancelled', ?)", []any{u.ID}, models.ErrInvalid},
		{"status in another case", "INSERT INTO tasks (title, status, user_id) VALUES ('t', 'Pending', ?)", []any{u.ID}, models.ErrInvalid},
		{"status empty", "INSERT INTO tasks (title, status, user_id) VALUES ('t', '', ?)", []any{u.ID}, models.ErrInvalid},
		{"status NULL", "INSERT INTO tasks (title, status, user_id) VALUES ('t', NULL, ?)", []any{u.ID}, models.ErrInvalid},
		{"status updated to a bad value", "UPDATE tasks SET status = 'archived' WHERE id = ?", []any{tk.ID}, models.ErrInvalid},
		{"title NULL", "INSERT INTO tasks (title, status, user_id) VALUES (NULL, 'pending', ?)", []any{u.ID}, models.ErrInvalid},
		{"title 201 characters", "INSERT INTO tasks (title, status, user_id) VALUES (?, 'pending', ?)", []any{long, u.ID}, models.ErrInvalid},
		{"user_id NULL", "INSERT INTO tasks (title, status, user_id) VALUES ('t', 'pending', NULL)", nil, models.ErrInvalid},
		{"tasks created_at NULL", "INSERT INTO tasks (title, status, user_id, created_at) VALUES ('t', 'pending', ?, NULL)", []any{u.ID}, models.ErrInvalid},
		{"owner does not exist", "INSERT INTO tasks (title, status, user_id) VALUES ('t', 'pending', ?)", []any{u.ID + 1000}, models.ErrNotFound},
		{"owner changed to a missing user", "UPDATE tasks SET user_id = ? WHERE id = ?", []any{u.ID + 1000, tk.ID}, models.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rawExec(t, s, tt.query, tt.args...)
			if err == nil {
				t.Fatal("the database accepted it")
			}
			if got := models.Classify("test", err); !errors.Is(got, tt.want) {
				t.Errorf("classify(%v) = %v, want %v", err, got, tt.want)
			}
		})
	}

	if n := count(t, s, "SELECT count(*) FROM tasks"); n != tasksBefore {
		t.Errorf("tasks: %d rows, want %d", n, tasksBefore)
	}
	if n := count(t, s, "SELECT count(*) FROM users"); n != usersBefore {
		t.Errorf("users: %d rows, want %d", n, usersBefore)
	}
	got, err := s.TaskByID(t.Context(), u.ID, tk.ID)
	if err != nil || got.Status != models.StatusPending || got.UserID != u.ID {
		t.Errorf("task after refused updates = %+v, %v; want it unchanged", got, err)
	}
}

func TestCreateUserEmailTaken(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	newUser(t, s, "taken@example.com")
	// A row written before emails were normalized, or by hand: only the
	// index on lower(email) stops a second account with the same address.
	mustExec(t, s, "INSERT INTO users (email, hashed_password) VALUES ('Legacy@Example.COM', 'h')")

	for _, email := range []string{"taken@example.com", " TAKEN@example.com ", "Taken@Example.Com", "legacy@example.com"} {
		t.Run(email, func(t *testing.T) {
			_, err := s.CreateUser(t.Context(), email, "h")
			if !errors.Is(err, models.ErrEmailTaken) {
				t.Fatalf("err = %v, want ErrEmailTaken", err)
			}
			var ve *models.ValidationError
			if !errors.As(err, &ve) || ve.Fields["email"] == "" {
				t.Fatalf("err = %#v, want a *ValidationError with an email message", err)
			}
			if len(ve.Fields) != 1 {
				t.Errorf("fields = %v, want only email", ve.Fields)
			}
		})
	}
	if n := count(t, s, "SELECT count(*) FROM users"); n != 2 {
		t.Errorf("%d users, want 2", n)
	}
}

func TestCreateTaskForMissingUser(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "gone@example.com")
	mustExec(t, s, "DELETE FROM users WHERE id = ?", u.ID) // erased, as the purge does
	for _, id := range []int64{u.ID, 987654} {
		_, err := s.CreateTask(t.Context(), id, models.TaskInput{Title: "Orphan"})
		if !errors.Is(err, models.ErrNotFound) {
			t.Errorf("user %d: err = %v, want ErrNotFound", id, err)
		}
	}
	if n := count(t, s, "SELECT count(*) FROM tasks"); n != 0 {
		t.Errorf("%d tasks, want 0", n)
	}
}

// TestStatusRuleMatchesDatabase asks the Go rule and the database's CHECK
// about the same candidates, the spec's three and the fourth statuses a
// change might add: they must agree on every one, and accept only the three.
func TestStatusRuleMatchesDatabase(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "statuses@example.com")
	for _, st := range []models.TaskStatus{models.StatusPending, models.StatusInProgress, models.StatusCompleted,
		"cancelled", "canceled", "archived", "blocked", "done", "deleted", "in-progress", "todo"} {
		spec := st == models.StatusPending || st == models.StatusInProgress || st == models.StatusCompleted
		if st.Valid() != spec {
			t.Errorf("TaskStatus(%q).Valid() = %v, want %v", st, st.Valid(), spec)
		}
		err := rawExec(t, s, "INSERT INTO tasks (title, status, user_id) VALUES ('t', ?, ?)", string(st), u.ID)
		if stored := err == nil; stored != spec {
			t.Errorf("the database stored status %q: %v, want %v (%v)", st, stored, spec, err)
		}
	}
}
