package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Session is one signed-in browser: the server-side record behind a
// session cookie. The cookie holds a random token; only its SHA-256 is
// stored here, so reading this table does not let anyone sign in.
type Session struct {
	ID         int64     `gorm:"primaryKey"`
	TokenHash  string    `gorm:"size:64;not null"`
	UserID     int64     `gorm:"not null"`
	CreatedAt  time.Time `gorm:"<-:create;not null"`
	LastSeenAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null"`
	UserAgent  string    `gorm:"size:255;not null"`
	ClientAddr string    `gorm:"size:64;not null"`
}

// SessionLifetime bounds a session: Idle after it was last seen, Max after
// sign-in, whichever comes first.
type SessionLifetime struct {
	Idle, Max time.Duration
}

// expiry is when a session created at created and last seen at seen ends.
// It is the one place both limits are applied; the queries compare against
// the stored result.
func (l SessionLifetime) expiry(created, seen time.Time) time.Time {
	absolute, idle := created.Add(l.Max), seen.Add(l.Idle)
	if idle.Before(absolute) {
		return idle.UTC()
	}
	return absolute.UTC()
}

// SessionTouchInterval is how stale last_seen_at may get: a session is
// written at most once per interval, not on every request.
const SessionTouchInterval = time.Minute

// NewSession describes the browser a session is started for.
type NewSession struct {
	UserID     int64
	UserAgent  string
	ClientAddr string
}

// CreateSession starts a session for ns.UserID at now and returns the
// token for the cookie (shown once, never stored) with the record.
func (s *Store) CreateSession(ctx context.Context, ns NewSession, now time.Time, life SessionLifetime) (string, *Session, error) {
	token := rand.Text()
	now = dbTime(now)
	sess := &Session{
		TokenHash:  tokenHash(token),
		UserID:     ns.UserID,
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  life.expiry(now, now),
		UserAgent:  clip(ns.UserAgent, 255),
		ClientAddr: clip(ns.ClientAddr, 64),
	}
	db, done := s.writer(ctx, ns.UserID)
	defer done()
	if err := db.Create(sess).Error; err != nil {
		return "", nil, classify("models: create session", err)
	}
	return token, sess, nil
}

// sessionWithUser is one row of the join SessionByToken reads.
type sessionWithUser struct {
	Session
	UEmail          string
	UHashedPassword string
	UCreatedAt      time.Time
	UUpdatedAt      time.Time
	UTimeZone       *string
	// UKeyboardShortcuts is read as the column is: on unless turned off.
	UKeyboardShortcuts bool
}

// SessionByToken finds the live session whose cookie token is token, with
// its user, in one query: it runs on every signed-in request. A session
// past its expiry, or whose user is gone or deleted, is ErrNotFound:
// DeleteUser ends the sessions, and this refuses any that survived (a
// session created by a sign-in racing the deletion).
func (s *Store) SessionByToken(ctx context.Context, token string, now time.Time) (*Session, *User, error) {
	var rows []sessionWithUser
	// The primary, always: a session is looked up before its user is
	// known, and one ended a moment ago (logout) must not be found on a
	// replica that has not replayed the delete yet.
	db, cancel := s.primaryReader(ctx)
	defer cancel()
	err := db.Raw(`SELECT s.*, u.email AS u_email, u.hashed_password AS u_hashed_password,
			u.created_at AS u_created_at, u.updated_at AS u_updated_at,
			u.time_zone AS u_time_zone, u.keyboard_shortcuts AS u_keyboard_shortcuts
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.deleted_at IS NULL`, tokenHash(token), dbTime(now)).Scan(&rows).Error
	if err != nil {
		return nil, nil, classify("models: session by token", err)
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("models: session by token: %w", ErrNotFound)
	}
	r := rows[0]
	u := &User{ID: r.UserID, Email: r.UEmail, HashedPassword: r.UHashedPassword, CreatedAt: r.UCreatedAt, UpdatedAt: r.UUpdatedAt,
		TimeZone: r.UTimeZone, KeyboardShortcuts: r.UKeyboardShortcuts}
	return &r.Session, u, nil
}

// TouchSession records that sess was used at now and moves its idle
// deadline, unless it was already recorded within SessionTouchInterval
// (then it does nothing, so most requests write nothing). The condition is
// in the statement too, so several instances serving one browser at once
// write it once.
func (s *Store) TouchSession(ctx context.Context, sess *Session, now time.Time, life SessionLifetime) error {
	now = dbTime(now)
	if now.Sub(sess.LastSeenAt) < SessionTouchInterval {
		return nil
	}
	expires := life.expiry(sess.CreatedAt, now)
	// Not noted as the user's write (0): last-seen is shown a minute
	// stale anyway, and pinning every active user's reads to the primary
	// once a minute would undo the replicas.
	db, done := s.writer(ctx, 0)
	defer done()
	err := db.Model(&Session{}).
		Where("id = ? AND last_seen_at < ?", sess.ID, now.Add(-SessionTouchInterval)).
		Updates(map[string]any{"last_seen_at": now, "expires_at": expires}).Error
	if err != nil {
		return classify("models: touch session", err)
	}
	sess.LastSeenAt, sess.ExpiresAt = now, expires
	return nil
}

// SessionsOf lists userID's live sessions, most recently used first.
func (s *Store) SessionsOf(ctx context.Context, userID int64, now time.Time) ([]Session, error) {
	var out []Session
	db, cancel := s.reader(ctx, userID)
	defer cancel()
	err := db.Where("user_id = ? AND expires_at > ?", userID, dbTime(now)).
		Order("last_seen_at DESC, id DESC").Find(&out).Error
	if err != nil {
		return nil, classify("models: list sessions", err)
	}
	return out, nil
}

// DeleteSession ends one of userID's sessions. Another user's session is
// ErrNotFound, exactly like one that does not exist.
func (s *Store) DeleteSession(ctx context.Context, userID, id int64) error {
	db, done := s.writer(ctx, userID)
	defer done()
	res := db.Where("user_id = ? AND id = ?", userID, id).Delete(&Session{})
	if res.Error != nil {
		return classify("models: delete session", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("models: delete session: %w", ErrNotFound)
	}
	return nil
}

// DeleteSessions ends every session of userID except keep (0 keeps none),
// and returns how many it ended.
func (s *Store) DeleteSessions(ctx context.Context, userID, keep int64) (int64, error) {
	db, done := s.writer(ctx, userID)
	defer done()
	return deleteSessions(db, userID, keep)
}

func deleteSessions(db *gorm.DB, userID, keep int64) (int64, error) {
	res := db.Where("user_id = ? AND id <> ?", userID, keep).Delete(&Session{})
	if res.Error != nil {
		return 0, classify("models: delete sessions", res.Error)
	}
	return res.RowsAffected, nil
}

// PurgeExpiredSessions deletes the sessions that ended before now. Expired
// sessions are already refused; this only keeps the table small. Running
// it twice, or on two instances at once, deletes nothing more.
func (s *Store) PurgeExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	db, done := s.writer(ctx, 0)
	defer done()
	res := db.Where("expires_at <= ?", dbTime(now)).Delete(&Session{})
	if res.Error != nil {
		return 0, classify("models: purge sessions", res.Error)
	}
	return res.RowsAffected, nil
}

// tokenHash is what the sessions table keeps of a cookie token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// dbTime is t as the timestamp columns hold it (see Now).
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// clip shortens s to at most n bytes without splitting a character, and
// makes it storable (valid UTF-8, no NUL): a user agent is whatever the
// client sent.
func clip(s string, n int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}
