package models_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

var testLifetime = models.SessionLifetime{Idle: 7 * 24 * time.Hour, Max: 30 * 24 * time.Hour}

// t0 is a fixed sign-in time, so that the tests say exactly how much time
// passes.
var t0 = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

func newSession(t *testing.T, s *models.Store, userID int64, at time.Time) (string, *models.Session) {
	t.Helper()
	token, sess, err := s.CreateSession(t.Context(), models.NewSession{UserID: userID, UserAgent: "Firefox", ClientAddr: "192.0.2.7"}, at, testLifetime)
	if err != nil {
		t.Fatal(err)
	}
	return token, sess
}

// live reports whether token still finds a session at now.
func live(t *testing.T, s *models.Store, token string, now time.Time) bool {
	t.Helper()
	_, _, err := s.SessionByToken(t.Context(), token, now)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return false
	case err != nil:
		t.Fatal(err)
	}
	return true
}

func TestSessionByTokenLoadsSessionAndUser(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "sess@example.com")
	token, created := newSession(t, s, u.ID, t0)

	sess, user, err := s.SessionByToken(t.Context(), token, t0.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if sess.ID != created.ID || sess.UserID != u.ID || sess.UserAgent != "Firefox" || sess.ClientAddr != "192.0.2.7" {
		t.Errorf("session = %+v, want %+v", sess, created)
	}
	if !sess.CreatedAt.Equal(t0) || !sess.LastSeenAt.Equal(t0) {
		t.Errorf("created %v, last seen %v, want both %v", sess.CreatedAt, sess.LastSeenAt, t0)
	}
	if user.ID != u.ID || user.Email != u.Email || user.HashedPassword != u.HashedPassword || !user.CreatedAt.Equal(u.CreatedAt) {
		t.Errorf("user = %+v, want %+v", user, u)
	}
	if live(t, s, token+"x", t0) || live(t, s, "", t0) {
		t.Error("a different token found the session")
	}
}

// The table holds the token's SHA-256, never the token: a database dump
// signs nobody in.
func TestSessionTokenIsStoredHashed(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "hash@example.com")
	token, _ := newSession(t, s, u.ID, t0)
	sum := sha256.Sum256([]byte(token))
	got := rows(t, s, "SELECT token_hash FROM sessions")
	if len(got) != 1 || got[0][0] != hex.EncodeToString(sum[:]) {
		t.Errorf("token_hash = %v, want the token's SHA-256", got)
	}
	if n := count(t, s, "SELECT count(*) FROM sessions WHERE token_hash LIKE ?", "%"+token+"%"); n != 0 {
		t.Error("the token itself is in the table")
	}
}

func TestSessionIdleTimeoutCountsFromLastUse(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "idle@example.com")
	token, sess := newSession(t, s, u.ID, t0)
	idle := testLifetime.Idle

	// Used a day before the idle deadline: it moves.
	used := t0.Add(idle - 24*time.Hour)
	if !live(t, s, token, used) {
		t.Fatal("ended before the idle timeout")
	}
	if err := s.TouchSession(t.Context(), sess, used, testLifetime); err != nil {
		t.Fatal(err)
	}
	if !live(t, s, token, t0.Add(idle+time.Hour)) {
		t.Error("ended at the first idle deadline although it was used since")
	}
	if live(t, s, token, used.Add(idle)) {
		t.Error("still live an idle timeout after its last use")
	}
}

func TestSessionMaximumAgeCountsFromSignIn(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "max@example.com")
	token, sess := newSession(t, s, u.ID, t0)
	// Used every few days: never idle, but the age counts from sign-in.
	for at := t0.Add(6 * 24 * time.Hour); at.Before(t0.Add(testLifetime.Max)); at = at.Add(6 * 24 * time.Hour) {
		if !live(t, s, token, at) {
			t.Fatalf("ended at %v, before the maximum age", at.Sub(t0))
		}
		if err := s.TouchSession(t.Context(), sess, at, testLifetime); err != nil {
			t.Fatal(err)
		}
	}
	if !live(t, s, token, t0.Add(testLifetime.Max-time.Second)) {
		t.Error("ended before the maximum age")
	}
	if live(t, s, token, t0.Add(testLifetime.Max)) {
		t.Error("still live at the maximum age after sign-in, because it was used")
	}
}

// Last-seen is written at most once a minute: most requests write nothing.
func TestTouchSessionAtMostOncePerMinute(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "touch@example.com")
	_, sess := newSession(t, s, u.ID, t0)
	lastSeen := func() string {
		return rows(t, s, "SELECT last_seen_at FROM sessions WHERE id = ?", sess.ID)[0][0]
	}
	before := lastSeen()
	if err := s.TouchSession(t.Context(), sess, t0.Add(59*time.Second), testLifetime); err != nil {
		t.Fatal(err)
	}
	// Another instance holding an older copy of the record.
	stale := *sess
	if got := lastSeen(); got != before {
		t.Errorf("touched after 59 s: last_seen_at %s → %s", before, got)
	}
	if err := s.TouchSession(t.Context(), sess, t0.Add(61*time.Second), testLifetime); err != nil {
		t.Fatal(err)
	}
	after := lastSeen()
	if after == before || !sess.LastSeenAt.Equal(t0.Add(61*time.Second)) {
		t.Errorf("not touched after 61 s: %s, %v", after, sess.LastSeenAt)
	}
	// The stale copy thinks a minute has passed; the database knows not.
	if err := s.TouchSession(t.Context(), &stale, t0.Add(62*time.Second), testLifetime); err != nil {
		t.Fatal(err)
	}
	if got := lastSeen(); got != after {
		t.Errorf("a second instance touched it again a second later: %s → %s", after, got)
	}
}

func TestSessionsOfAndDeleteSession(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	alice, bob := newUser(t, s, "alice@example.com"), newUser(t, s, "bob@example.com")
	_, a1 := newSession(t, s, alice.ID, t0)
	aTok2, a2 := newSession(t, s, alice.ID, t0.Add(time.Hour))
	_, b1 := newSession(t, s, bob.ID, t0)
	newSession(t, s, alice.ID, t0.Add(-testLifetime.Max)) // expired

	list, err := s.SessionsOf(ctx, alice.ID, t0.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != a2.ID || list[1].ID != a1.ID {
		t.Fatalf("alice's sessions = %+v, want her two live ones, latest first", list)
	}

	// Bob cannot end Alice's session by its id: not found, and it stays.
	if err := s.DeleteSession(ctx, bob.ID, a2.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("bob deleting alice's session: %v, want ErrNotFound", err)
	}
	if !live(t, s, aTok2, t0.Add(2*time.Hour)) {
		t.Fatal("bob ended alice's session")
	}
	if err := s.DeleteSession(ctx, alice.ID, a2.ID); err != nil {
		t.Fatal(err)
	}
	if live(t, s, aTok2, t0.Add(2*time.Hour)) {
		t.Error("deleted session still live")
	}
	if err := s.DeleteSession(ctx, alice.ID, a2.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("deleting it again: %v, want ErrNotFound", err)
	}
	if got := count(t, s, "SELECT count(*) FROM sessions WHERE id = ?", b1.ID); got != 1 {
		t.Error("bob's session went too")
	}
}

func TestDeleteSessionsKeepsOne(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	alice, bob := newUser(t, s, "alice@example.com"), newUser(t, s, "bob@example.com")
	keepTok, keep := newSession(t, s, alice.ID, t0)
	other1, _ := newSession(t, s, alice.ID, t0)
	other2, _ := newSession(t, s, alice.ID, t0)
	bobTok, _ := newSession(t, s, bob.ID, t0)
	n, err := s.DeleteSessions(t.Context(), alice.ID, keep.ID)
	if err != nil || n != 2 {
		t.Fatalf("DeleteSessions = %d, %v, want 2 ended", n, err)
	}
	for tok, want := range map[string]bool{keepTok: true, other1: false, other2: false, bobTok: true} {
		if got := live(t, s, tok, t0); got != want {
			t.Errorf("session live = %v, want %v", got, want)
		}
	}
}

// A new password ends every other session in the same step; the one that
// changed it stays.
func TestSetPasswordHashEndsOtherSessions(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "pw@example.com")
	keepTok, keep := newSession(t, s, u.ID, t0)
	otherTok, _ := newSession(t, s, u.ID, t0)
	if err := s.SetPasswordHash(t.Context(), u.ID, "new-hash", keep.ID); err != nil {
		t.Fatal(err)
	}
	if !live(t, s, keepTok, t0) || live(t, s, otherTok, t0) {
		t.Error("want only the kept session live")
	}
	// 0 keeps none (the operator's reset-password).
	if err := s.SetPasswordHash(t.Context(), u.ID, "newer-hash", 0); err != nil {
		t.Fatal(err)
	}
	if live(t, s, keepTok, t0) {
		t.Error("a reset without a session to keep left one live")
	}
}

func TestDeleteUserEndsItsSessions(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "gone@example.com")
	other := newUser(t, s, "stays@example.com")
	newSession(t, s, u.ID, t0)
	otherTok, _ := newSession(t, s, other.ID, t0)
	if _, err := s.DeleteUser(t.Context(), u.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT count(*) FROM sessions WHERE user_id = ?", u.ID); n != 0 {
		t.Errorf("%d sessions left of a deleted user", n)
	}
	if !live(t, s, otherTok, t0) {
		t.Error("another user's session went too")
	}
}

func TestPurgeExpiredSessions(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "purge@example.com")
	liveTok, _ := newSession(t, s, u.ID, t0)
	newSession(t, s, u.ID, t0.Add(-testLifetime.Idle-time.Second))
	newSession(t, s, u.ID, t0.Add(-testLifetime.Max))
	n, err := s.PurgeExpiredSessions(t.Context(), t0)
	if err != nil || n != 2 {
		t.Fatalf("purge = %d, %v, want 2", n, err)
	}
	// Idempotent: a second run (another instance) finds nothing.
	if n, err := s.PurgeExpiredSessions(t.Context(), t0); err != nil || n != 0 {
		t.Errorf("second purge = %d, %v, want 0", n, err)
	}
	if !live(t, s, liveTok, t0) {
		t.Error("purge ended a live session")
	}
}

// The user agent is whatever the client sent: too long, invalid UTF-8 or
// with NUL bytes, it is still stored (shortened, cleaned), never an error.
func TestSessionKeepsAnyUserAgent(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "ua@example.com")
	ua := "Mozilla\x00/5.0 \xff" + strings.Repeat("é", 300)
	_, sess, err := s.CreateSession(t.Context(), models.NewSession{UserID: u.ID, UserAgent: ua, ClientAddr: "2001:db8::1"}, t0, testLifetime)
	if err != nil {
		t.Fatal(err)
	}
	got := rows(t, s, "SELECT user_agent FROM sessions WHERE id = ?", sess.ID)[0][0]
	if !strings.HasPrefix(got, "Mozilla/5.0 \uFFFDé") || len(got) > 255 {
		t.Errorf("user_agent stored as %q (%d bytes)", got, len(got))
	}
}
