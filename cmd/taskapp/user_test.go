package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

const cliPassword = "a long enough password"

// wantFailure checks that err is a plain failure (exit 1), not a usage
// error (exit 2), with a one-line message containing want.
func wantFailure(t *testing.T, err error, want string) {
	t.Helper()
	var ue *usageError
	switch {
	case err == nil:
		t.Fatalf("succeeded, want a failure saying %q", want)
	case errors.As(err, &ue):
		t.Errorf("err = %v is a usage error (exit 2), want exit 1", err)
	case !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n"):
		t.Errorf("err = %q, want one line containing %q", err, want)
	}
}

func signInAt(t *testing.T, s *models.Store, u *models.User) string {
	t.Helper()
	token, _, err := s.CreateSession(t.Context(), models.NewSession{UserID: u.ID}, time.Now(), models.SessionLifetime{Idle: time.Hour, Max: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func signedIn(t *testing.T, s *models.Store, token string) bool {
	t.Helper()
	_, _, err := s.SessionByToken(t.Context(), token, time.Now())
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

func TestUserAdd(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t)}
	out, _, err := taskappWithInput(t, env, cliPassword+"\n", "user", "add", " Pat@Example.com ")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "created pat@example.com (id ") {
		t.Errorf("stdout = %q", out)
	}
	s := openTestStore(t, env["DATABASE_URL"])
	u, err := s.UserByEmail(t.Context(), "pat@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !models.CheckPassword(u.HashedPassword, cliPassword) {
		t.Error("the password read from standard input does not sign in")
	}

	// Taken, in any case: exit 1, and the password is not even asked for.
	_, _, err = taskappWithInput(t, env, "another password\n", "user", "add", "PAT@example.com")
	wantFailure(t, err, "an account with pat@example.com already exists")
	// The last line needs no newline.
	if _, _, err := taskappWithInput(t, env, cliPassword, "user", "add", "sam@example.com"); err != nil {
		t.Errorf("a password without a final newline: %v", err)
	}
}

func TestUserAddRefusesBadPasswords(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t)}
	for input, want := range map[string]string{
		"":             "standard input ended",
		"short\n":      "password refused: Use at least 8 characters",
		"\n":           "password refused",
		"\x00oops12\n": "password refused",
	} {
		_, _, err := taskappWithInput(t, env, input, "user", "add", "pat@example.com")
		wantFailure(t, err, want)
	}
	s := openTestStore(t, env["DATABASE_URL"])
	if n := dbtest.Count(t, s, "SELECT count(*) FROM users"); n != 0 {
		t.Errorf("%d accounts created with refused passwords", n)
	}
}

func TestUserList(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t)}
	if out := mustRun(t, env, "user", "list"); !strings.Contains(out, "0 accounts") {
		t.Errorf("empty list = %q", out)
	}
	for _, email := range []string{"first@example.com", "second@example.com"} {
		if _, _, err := taskappWithInput(t, env, cliPassword, "user", "add", email); err != nil {
			t.Fatal(err)
		}
	}
	out := mustRun(t, env, "user", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "ID") ||
		!strings.Contains(lines[1], "first@example.com") || !strings.Contains(lines[2], "second@example.com") ||
		lines[3] != "2 accounts" || !strings.HasSuffix(lines[1], " UTC  active") {
		t.Errorf("list:\n%s", out)
	}
	if strings.Contains(out, "argon2") {
		t.Error("the list shows password hashes")
	}
}

func TestUserResetPassword(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t)}
	if _, _, err := taskappWithInput(t, env, cliPassword, "user", "add", "pat@example.com"); err != nil {
		t.Fatal(err)
	}
	s := openTestStore(t, env["DATABASE_URL"])
	u, _ := s.UserByEmail(t.Context(), "pat@example.com")
	other := newCLIUser(t, s, "other@example.com")
	laptop, phone, others := signInAt(t, s, u), signInAt(t, s, u), signInAt(t, s, other)

	_, _, err := taskappWithInput(t, env, "short\n", "user", "reset-password", "pat@example.com")
	wantFailure(t, err, "password refused")
	if !signedIn(t, s, laptop) {
		t.Fatal("a refused reset signed the account out")
	}

	out, _, err := taskappWithInput(t, env, "a brand new password\n", "user", "reset-password", "PAT@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "signed out everywhere") {
		t.Errorf("stdout = %q", out)
	}
	u, _ = s.UserByEmail(t.Context(), "pat@example.com")
	if !models.CheckPassword(u.HashedPassword, "a brand new password") || models.CheckPassword(u.HashedPassword, cliPassword) {
		t.Error("the password was not replaced")
	}
	if signedIn(t, s, laptop) || signedIn(t, s, phone) {
		t.Error("a session of the account survived the reset")
	}
	if !signedIn(t, s, others) {
		t.Error("another account was signed out")
	}

	_, _, err = taskappWithInput(t, env, "a brand new password\n", "user", "reset-password", "nobody@example.com")
	wantFailure(t, err, "no such user: nobody@example.com")
}

func TestUserDelete(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t)}
	s := openTestStore(t, env["DATABASE_URL"])
	mustRun(t, env, "migrate", "up")
	pat := newCLIUser(t, s, "pat@example.com")
	if _, err := s.CreateTask(t.Context(), pat.ID, models.TaskInput{Title: "mine"}); err != nil {
		t.Fatal(err)
	}
	session := signInAt(t, s, pat)
	keep := newCLIUser(t, s, "keep@example.com")

	// Asked, and not confirmed: nothing happens.
	for _, answer := range []string{"n\n", "\n", "", "nope\n"} {
		_, errOut, err := taskappWithInput(t, env, answer, "user", "delete", "pat@example.com")
		if err == nil {
			t.Fatalf("answer %q deleted the account", answer)
		}
		if !strings.Contains(errOut, "Delete pat@example.com and its 1 tasks (erased after 30 days)? [y/N]") {
			t.Errorf("prompt = %q", errOut)
		}
		wantFailure(t, err, "nothing deleted")
	}
	if _, err := s.UserByID(t.Context(), pat.ID); err != nil {
		t.Fatalf("account gone without confirmation: %v", err)
	}

	out, _, err := taskappWithInput(t, env, "y\n", "user", "delete", "pat@example.com")
	if err != nil || !strings.Contains(out, "deleted pat@example.com") {
		t.Fatalf("confirmed delete: %q, %v", out, err)
	}
	if _, err := s.UserByID(t.Context(), pat.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("account after delete: %v", err)
	}
	if signedIn(t, s, session) {
		t.Error("the deleted account's session still signs in")
	}
	if !strings.Contains(out, "taskapp user restore pat@example.com") {
		t.Errorf("delete does not say how to undo it: %q", out)
	}
	// Kept for a restore until the purge.
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks"); n != 1 {
		t.Errorf("%d tasks stored after the delete, want 1 until the purge", n)
	}
	_, _, err = taskappWithInput(t, env, "", "user", "delete", "--yes", "pat@example.com")
	wantFailure(t, err, "no such user: pat@example.com was deleted and is erased after ")
	_, _, err = taskappWithInput(t, env, "a brand new password\n", "user", "reset-password", "pat@example.com")
	wantFailure(t, err, "'taskapp user restore pat@example.com' brings it back")

	// --yes, before or after the email, asks nothing (stdin is empty).
	out, errOut, err := taskappWithInput(t, env, "", "user", "delete", "keep@example.com", "--yes")
	if err != nil || errOut != "" {
		t.Fatalf("--yes: %v, prompted %q", err, errOut)
	}
	if _, err := s.UserByID(t.Context(), keep.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("--yes did not delete: %v (%s)", err, out)
	}

	_, _, err = taskappWithInput(t, env, "", "user", "delete", "--yes", "nobody@example.com")
	wantFailure(t, err, "no such user: nobody@example.com")
}

func newCLIUser(t *testing.T, s *models.Store, email string) *models.User {
	t.Helper()
	u, err := s.CreateUser(t.Context(), email, "$argon2id$placeholder")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The scheduler that serve starts purges expired sessions; purge runs it
// once by hand.
func TestPurgeDeletesExpiredSessions(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t)}
	mustRun(t, env, "migrate", "up")
	s := openTestStore(t, env["DATABASE_URL"])
	u := newCLIUser(t, s, "pat@example.com")
	live := signInAt(t, s, u)
	if _, _, err := s.CreateSession(t.Context(), models.NewSession{UserID: u.ID}, time.Now().Add(-2*time.Hour), models.SessionLifetime{Idle: time.Hour, Max: time.Hour}); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, env, "purge")
	if !strings.Contains(out, "purge-expired-sessions: done") {
		t.Errorf("purge printed %q", out)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM sessions"); n != 1 || !signedIn(t, s, live) {
		t.Errorf("%d sessions after purge, want the live one", n)
	}
}

// serve starts the scheduler: an expired session is purged when the
// server starts, without anyone running purge.
func TestServePurgesExpiredSessionsOnStart(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t), "SESSION_SECRET": strings.Repeat("s", 32)}
	mustRun(t, env, "migrate", "up")
	s := openTestStore(t, env["DATABASE_URL"])
	u := newCLIUser(t, s, "pat@example.com")
	if _, _, err := s.CreateSession(t.Context(), models.NewSession{UserID: u.ID}, time.Now().Add(-2*time.Hour), models.SessionLifetime{Idle: time.Hour, Max: time.Hour}); err != nil {
		t.Fatal(err)
	}
	serveUntil(t, env, "purge the expired session", func() bool { return dbtest.Count(t, s, "SELECT count(*) FROM sessions") == 0 })
}
