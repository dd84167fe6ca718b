package models_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
	"taskapp/models/schedule"
)

// Deleting an account hides it at once: it is no longer found by email or
// id, its sessions end, its email stays taken with the answer a live
// account's email gets, and its row and tasks stay until the purge.
func TestDeleteUserHidesAccountAndKeepsEmail(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	gone := newUser(t, s, "gone@example.com")
	kept := newUser(t, s, "kept@example.com")
	newTask(t, s, gone.ID, "mine")
	tok, _ := newSession(t, s, gone.ID, t0)
	otherTok, _ := newSession(t, s, kept.ID, t0)

	before := models.Now()
	erases, err := s.DeleteUser(ctx, gone.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := before.Add(models.DefaultAccountRetention); erases.Before(want) || erases.After(models.Now().Add(models.DefaultAccountRetention)) {
		t.Errorf("erases at %v, want 30 days after the deletion (%v)", erases, want)
	}
	if _, err := s.UserByEmail(ctx, "GONE@example.com"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("UserByEmail after delete: %v, want ErrNotFound", err)
	}
	if _, err := s.UserByID(ctx, gone.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("UserByID after delete: %v, want ErrNotFound", err)
	}
	if live(t, s, tok, t0) {
		t.Error("the deleted account's session still works")
	}
	if n := count(t, s, "SELECT count(*) FROM sessions WHERE user_id = ?", gone.ID); n != 0 {
		t.Errorf("%d sessions left of a deleted account", n)
	}
	if !live(t, s, otherTok, t0) {
		t.Error("another account's session ended too")
	}

	// The email is reserved, with exactly the answer a live one gets.
	_, errDeleted := s.CreateUser(ctx, "Gone@Example.com", "$argon2id$other")
	_, errLive := s.CreateUser(ctx, "kept@example.com", "$argon2id$other")
	var ve, veLive *models.ValidationError
	if !errors.As(errDeleted, &ve) || !errors.Is(errDeleted, models.ErrEmailTaken) || !errors.As(errLive, &veLive) {
		t.Fatalf("re-registering the deleted email: %v, want ErrEmailTaken as a live email gives (%v)", errDeleted, errLive)
	}
	if ve.Fields["email"] != veLive.Fields["email"] || len(ve.Fields) != 1 {
		t.Errorf("deleted email refused with %v, a live one with %v: they must be the same", ve.Fields, veLive.Fields)
	}

	// Still there for the operator and for a restore.
	users, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[0].DeletedAt == nil || users[1].DeletedAt != nil {
		t.Errorf("Users() = %+v, want both, the first marked deleted", users)
	}
	if d, err := s.DeletedUserByEmail(ctx, "Gone@example.com"); err != nil || d.ID != gone.ID {
		t.Errorf("DeletedUserByEmail = %+v, %v, want the deleted account", d, err)
	}
	if _, err := s.DeletedUserByEmail(ctx, "kept@example.com"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("DeletedUserByEmail of a live account: %v, want ErrNotFound", err)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ?", gone.ID); n != 1 {
		t.Errorf("the deleted account has %d tasks stored, want 1 until the purge", n)
	}
	if _, err := s.DeleteUser(ctx, gone.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("second DeleteUser: %v, want ErrNotFound", err)
	}
}

// A session row of a deleted account that survived (a sign-in racing the
// deletion) is refused by the lookup itself.
func TestSessionByTokenRefusesDeletedAccount(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "raced@example.com")
	tok, _ := newSession(t, s, u.ID, t0)
	mustExec(t, s, "UPDATE users SET deleted_at = ? WHERE id = ?", t0, u.ID)
	if live(t, s, tok, t0) {
		t.Error("a session of a deleted account was found")
	}
}

// RestoreUser brings the account back with its tasks within the retention
// period, and says why when it cannot.
func TestRestoreUser(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "back@example.com")
	newTask(t, s, u.ID, "one")
	newTask(t, s, u.ID, "two")

	if _, err := s.RestoreUser(ctx, "back@example.com", models.Now()); !errors.Is(err, models.ErrNotDeleted) {
		t.Errorf("restoring a live account: %v, want ErrNotDeleted", err)
	}
	if _, err := s.RestoreUser(ctx, "nobody@example.com", models.Now()); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("restoring an unknown account: %v, want ErrNotFound", err)
	}
	erases, err := s.DeleteUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RestoreUser(ctx, "back@example.com", erases); !errors.Is(err, models.ErrRetentionOver) {
		t.Errorf("restoring at the erase time: %v, want ErrRetentionOver", err)
	}
	got, err := s.RestoreUser(ctx, "BACK@example.com", erases.Add(-24*time.Hour)) // day 29
	if err != nil {
		t.Fatalf("restoring on day 29: %v", err)
	}
	if got.ID != u.ID || got.DeletedAt != nil {
		t.Errorf("restored %+v, want account %d, live", got, u.ID)
	}
	if _, err := s.UserByEmail(ctx, "back@example.com"); err != nil {
		t.Errorf("UserByEmail after restore: %v", err)
	}
	counts, err := s.CountTasks(ctx, u.ID, models.ListOptions{})
	if err != nil || counts.All() != 2 {
		t.Errorf("restored account has %d tasks (%v), want 2", counts.All(), err)
	}
	// Erased: nothing left to restore.
	if _, err := s.DeleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PurgeDeletedUsers(ctx, models.Now().Add(31*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RestoreUser(ctx, "back@example.com", models.Now()); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("restoring an erased account: %v, want ErrNotFound", err)
	}
}

// The purge erases accounts deleted ACCOUNT_RETENTION ago or more, with
// their tasks and sessions (the cascade), and nothing else.
func TestPurgeDeletedUsersAtTheBoundary(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	gone := newUser(t, s, "gone@example.com")
	kept := newUser(t, s, "kept@example.com")
	for _, title := range []string{"one", "two", "three"} {
		newTask(t, s, gone.ID, title)
	}
	for _, title := range []string{"four", "five"} {
		newTask(t, s, kept.ID, title)
	}
	newSession(t, s, kept.ID, t0)
	erases, err := s.DeleteUser(ctx, gone.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A session row that survived the deletion goes with the account.
	mustExec(t, s, "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent, client_addr) VALUES (?, ?, ?, ?, ?, '', '')", strings.Repeat("a", 64),
		gone.ID, t0, t0, t0.Add(time.Hour))

	for _, now := range []time.Time{erases.Add(-24 * time.Hour), erases.Add(-time.Microsecond)} { // day 29, and a moment before day 30
		if n, err := s.PurgeDeletedUsers(ctx, now); err != nil || n != 0 {
			t.Errorf("purge at %v: erased %d (%v), want none before the retention ends", now, n, err)
		}
	}
	if n := count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ?", gone.ID); n != 3 {
		t.Fatalf("%d tasks of the deleted account before the retention ended, want 3", n)
	}
	if n, err := s.PurgeDeletedUsers(ctx, erases.Add(24*time.Hour)); err != nil || n != 1 { // day 31
		t.Fatalf("purge on day 31: erased %d (%v), want 1", n, err)
	}
	if n := count(t, s, "SELECT count(*) FROM users WHERE id = ?", gone.ID); n != 0 {
		t.Error("the deleted account is still stored")
	}
	if n := count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ?", gone.ID); n != 0 {
		t.Errorf("the erased account still has %d tasks", n)
	}
	if n := count(t, s, "SELECT count(*) FROM sessions WHERE user_id = ?", gone.ID); n != 0 {
		t.Errorf("the erased account still has %d sessions", n)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks WHERE user_id = ?", kept.ID); n != 2 {
		t.Errorf("the live account has %d tasks, want 2", n)
	}
	if n := count(t, s, "SELECT count(*) FROM sessions WHERE user_id = ?", kept.ID); n != 1 {
		t.Errorf("the live account has %d sessions, want 1", n)
	}
	// Idempotent: another instance finds nothing, even years later.
	if n, err := s.PurgeDeletedUsers(ctx, erases.Add(1000*24*time.Hour)); err != nil || n != 0 {
		t.Errorf("second purge erased %d (%v), want 0", n, err)
	}
}

// ACCOUNT_RETENTION reaches the store: a shorter period erases sooner.
func TestAccountRetentionSetting(t *testing.T) {
	t.Parallel()
	s := dbtest.Open(t, models.Config{AccountRetention: 48 * time.Hour})
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	u := newUser(t, s, "short@example.com")
	erases, err := s.DeleteUser(t.Context(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := s.AccountRetention(); d != 48*time.Hour {
		t.Errorf("AccountRetention = %v, want 48h", d)
	}
	if n, err := s.PurgeDeletedUsers(t.Context(), erases.Add(24*time.Hour)); err != nil || n != 1 {
		t.Errorf("purge three days after deletion with a two-day retention: erased %d (%v), want 1", n, err)
	}
}

// The account purge is registered with the other jobs, so serve runs it
// periodically and `taskapp purge` once, and it erases only accounts past
// their retention.
func TestRegisteredJobsPurgeDeletedAccounts(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	old := newUser(t, s, "old@example.com")
	recent := newUser(t, s, "recent@example.com")
	newTask(t, s, old.ID, "goes with the account")
	for _, u := range []*models.User{old, recent} {
		if _, err := s.DeleteUser(t.Context(), u.ID); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(t, s, "UPDATE users SET deleted_at = ? WHERE id = ?", models.Now().Add(-31*24*time.Hour), old.ID)

	sch := schedule.New(s, nil)
	s.RegisterJobs(sch)
	var job *schedule.Job
	for _, j := range sch.Jobs() {
		if j.Name == "purge-deleted-accounts" {
			job = &j
		}
	}
	if job == nil {
		t.Fatalf("no purge-deleted-accounts job among %v", sch.Jobs())
	}
	for range 2 { // idempotent
		if ran, err := sch.RunOnce(t.Context(), *job); !ran || err != nil {
			t.Fatalf("RunOnce = %v, %v", ran, err)
		}
	}
	if n := count(t, s, "SELECT count(*) FROM users WHERE id = ?", old.ID); n != 0 {
		t.Error("the account deleted 31 days ago was not erased")
	}
	if n := count(t, s, "SELECT count(*) FROM tasks"); n != 0 {
		t.Errorf("%d tasks of the erased account left", n)
	}
	if n := count(t, s, "SELECT count(*) FROM users WHERE id = ?", recent.ID); n != 1 {
		t.Error("the account deleted just now was erased")
	}
}

// Several instances running the account purge at once (each serve runs
// it at start) erase each due account once, fail nowhere, and keep the
// rest.
func TestPurgeDeletedAccountsFromTwoInstances(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	open := func() *models.Store {
		s, err := models.Open(t.Context(), models.Config{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	if _, err := a.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		u := newUser(t, a, "user"+strings.Repeat("x", i)+"@example.com")
		newTask(t, a, u.ID, "a task")
		if _, err := a.DeleteUser(t.Context(), u.ID); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			mustExec(t, a, "UPDATE users SET deleted_at = ? WHERE id = ?", models.Now().Add(-31*24*time.Hour), u.ID)
		}
	}
	var wg sync.WaitGroup
	for _, s := range []*models.Store{a, b, a, b} {
		sch := schedule.New(s, nil)
		s.RegisterJobs(sch)
		for _, j := range sch.Jobs() {
			if j.Name != "purge-deleted-accounts" {
				continue
			}
			wg.Go(func() {
				if _, err := sch.RunOnce(t.Context(), j); err != nil {
					t.Errorf("purge: %v", err)
				}
			})
		}
	}
	wg.Wait()
	if n := count(t, a, "SELECT count(*) FROM users"); n != 10 {
		t.Errorf("%d accounts after the purges, want the 10 not yet due", n)
	}
	if n := count(t, a, "SELECT count(*) FROM tasks"); n != 10 {
		t.Errorf("%d tasks after the purges, want the 10 of the accounts kept", n)
	}
}
