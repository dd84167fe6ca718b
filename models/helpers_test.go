package models_test

import (
	"database/sql"
	"strconv"
	"strings"
	"testing"

	"taskapp/migrations"
	"taskapp/models"
)

// These helpers run hand-written SQL through the store's own pool, past
// GORM and the owner guard, so that tests can look at and poke the database
// the way an operator with psql or sqlite3 would.

// rebind turns ? placeholders into $1, $2, … on PostgreSQL.
func rebind(s *models.Store, query string) string {
	if s.Dialect() != migrations.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// rawExec runs a statement and returns its error, for constraint tests.
func rawExec(t *testing.T, s *models.Store, query string, args ...any) error {
	t.Helper()
	_, err := s.DB().ExecContext(t.Context(), rebind(s, query), args...)
	return err
}

// mustExec runs a statement that must succeed.
func mustExec(t *testing.T, s *models.Store, query string, args ...any) {
	t.Helper()
	if err := rawExec(t, s, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// count runs a query returning one integer.
func count(t *testing.T, s *models.Store, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.DB().QueryRowContext(t.Context(), rebind(s, query), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// rows runs a query and returns every value as text ("NULL" for NULL), so
// catalog queries on either dialect compare against plain string tables.
func rows(t *testing.T, s *models.Store, query string, args ...any) [][]string {
	t.Helper()
	rs, err := s.DB().QueryContext(t.Context(), rebind(s, query), args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rs.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = "NULL"
			if v.Valid {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	if err := rs.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
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
