package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Deleting an account is the schema spec's soft delete: users.deleted_at
// is set and the row stays for the retention period (AccountRetention),
// so that the operator can restore it, and is then erased by the purge,
// its tasks and sessions with it (ON DELETE CASCADE). While deleted the
// account is hidden everywhere live data is read: UserByEmail, UserByID
// and SessionByToken do not find it, and its tasks are reachable only
// through it. Its row keeps the email, so the unique index keeps the email
// taken until the account is erased.

// DefaultAccountRetention is the schema spec's 30 days for users.
const DefaultAccountRetention = 30 * 24 * time.Hour

// Errors of RestoreUser besides ErrNotFound (no such deleted account:
// never was, or already erased).
var (
	// ErrNotDeleted means the account is live: there is nothing to restore.
	ErrNotDeleted = errors.New("models: account is not deleted")
	// ErrRetentionOver means the account was deleted longer ago than the
	// retention period: it is due to be erased, as its owner was told.
	ErrRetentionOver = errors.New("models: account is past its retention period")
)

// AccountRetention is how long a deleted account can be restored.
func (s *Store) AccountRetention() time.Duration { return s.accountRetention }

// ErasesAt is when an account deleted at deletedAt is erased (at the
// first purge after that moment).
func (s *Store) ErasesAt(deletedAt time.Time) time.Time {
	return deletedAt.UTC().Add(s.accountRetention)
}

// DeleteUser moves a live account to the trash: it sets deleted_at and, in
// the same transaction, ends every session of the account, so it is signed
// out everywhere at once. It returns when the account will be erased. An
// account that does not exist or is already deleted is ErrNotFound.
func (s *Store) DeleteUser(ctx context.Context, id int64) (time.Time, error) {
	now := Now()
	db, done := s.writer(ctx, id)
	defer done()
	err := db.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&User{ID: id}).Where("deleted_at IS NULL").Update("deleted_at", now)
		if res.Error != nil {
			return classify("models: delete user", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("models: delete user: %w", ErrNotFound)
		}
		_, err := deleteSessions(tx, id, 0)
		return err
	})
	if err != nil {
		return time.Time{}, err
	}
	return s.ErasesAt(now), nil
}

// DeletedUserByEmail finds the deleted account with email (any letter
// case), for the operator: ErrNotFound if no account has it or the one
// that has it is live.
func (s *Store) DeletedUserByEmail(ctx context.Context, email string) (*User, error) {
	email = NormalizeEmail(email)
	if !storable(email) {
		return nil, fmt.Errorf("models: deleted user by email: %w", ErrNotFound)
	}
	var u User
	db, cancel := s.primaryReader(ctx)
	defer cancel()
	if err := db.Where("lower(email) = ? AND deleted_at IS NOT NULL", email).Take(&u).Error; err != nil {
		return nil, classify("models: deleted user by email", err)
	}
	return &u, nil
}

// RestoreUser brings back the deleted account with email (any letter
// case) if it was deleted less than AccountRetention before now. It is
// ErrNotFound when no account has the email, ErrNotDeleted when the
// account is live, and ErrRetentionOver when it is due to be erased.
func (s *Store) RestoreUser(ctx context.Context, email string, now time.Time) (*User, error) {
	email = NormalizeEmail(email)
	if !storable(email) {
		return nil, fmt.Errorf("models: restore user: %w", ErrNotFound)
	}
	var u User
	db, done := s.writer(ctx, 0)
	defer done()
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("lower(email) = ?", email).Take(&u).Error; err != nil {
			return classify("models: restore user", err)
		}
		switch {
		case u.DeletedAt == nil:
			return fmt.Errorf("models: restore user: %w", ErrNotDeleted)
		case !s.ErasesAt(*u.DeletedAt).After(dbTime(now)):
			return fmt.Errorf("models: restore user: deleted %s: %w", u.DeletedAt.UTC().Format(time.DateTime), ErrRetentionOver)
		}
		// A purge between the read and here leaves nothing to update.
		res := tx.Model(&User{ID: u.ID}).Where("deleted_at IS NOT NULL").Update("deleted_at", nil)
		if res.Error != nil {
			return classify("models: restore user", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("models: restore user: %w", ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	u.DeletedAt = nil
	return &u, nil
}

// DeletedUsersDue counts what PurgeDeletedUsers(now) would erase, erasing
// nothing (taskapp purge --dry-run): the accounts, and the tasks the
// cascade would take with them. It reads every user's rows, so it runs on
// database/sql, beneath the owner guard.
func (s *Store) DeletedUsersDue(ctx context.Context, now time.Time) (users, tasks int64, err error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	due := "SELECT id FROM users WHERE deleted_at IS NOT NULL AND deleted_at <= " + s.bind(1)
	q := "SELECT (SELECT COUNT(*) FROM (" + due + ") d), (SELECT COUNT(*) FROM tasks WHERE user_id IN (" + due + "))"
	if err := s.writeDB.QueryRowContext(ctx, q, dbTime(now).Add(-s.accountRetention)).Scan(&users, &tasks); err != nil {
		return 0, 0, classify("models: deleted users due", err)
	}
	return users, tasks, nil
}

// PurgeDeletedUsers erases the accounts deleted AccountRetention or more
// before now (those ErasesAt puts at or before now, which RestoreUser
// refuses); the database cascades to their tasks and sessions. It
// returns how many accounts it erased. Running it twice, or on two
// instances at once, erases nothing more. Deleted accounts are few (the
// users table is the small one), so the condition needs no index.
func (s *Store) PurgeDeletedUsers(ctx context.Context, now time.Time) (int64, error) {
	cutoff := dbTime(now).Add(-s.accountRetention)
	db, done := s.writer(ctx, 0)
	defer done()
	res := db.Where("deleted_at IS NOT NULL AND deleted_at <= ?", cutoff).Delete(&User{})
	if res.Error != nil {
		return 0, classify("models: purge deleted users", res.Error)
	}
	return res.RowsAffected, nil
}
