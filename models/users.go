package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// CreateUser adds an account. The email is normalized and validated here;
// the password must already be hashed (see HashPassword). A taken email,
// in any letter case, is a *ValidationError wrapping ErrEmailTaken.
func (s *Store) CreateUser(ctx context.Context, email, hashedPassword string) (*User, error) {
	email = NormalizeEmail(email)
	if msg := ValidateEmail(email); msg != "" {
		return nil, invalid(FieldErrors{"email": msg})
	}
	u := &User{Email: email, HashedPassword: hashedPassword}
	db, done := s.writer(ctx, 0)
	defer done()
	if err := db.Create(u).Error; err != nil {
		return nil, emailTaken(classify("models: create user", err))
	}
	s.noteWrite(ctx, u.ID) // the new account signs in at once
	return u, nil
}

// emailTaken turns ErrEmailTaken into the field error a form shows.
func emailTaken(err error) error {
	if errors.Is(err, ErrEmailTaken) {
		return &ValidationError{
			Fields: FieldErrors{"email": "An account with this email already exists. Try signing in."},
			Err:    ErrEmailTaken,
		}
	}
	return err
}

// UserByEmail finds a live account by email, in any letter case. The
// lookup uses idx_users_email_lower. A deleted account is ErrNotFound, as
// if it did not exist (see DeleteUser), though its email stays taken.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	email = NormalizeEmail(email)
	if !storable(email) {
		// No account can have it, and PostgreSQL would fail the query
		// (22021) where SQLite finds nothing.
		return nil, fmt.Errorf("models: user by email: %w", ErrNotFound)
	}
	var u User
	db, cancel := s.primaryReader(ctx)
	defer cancel()
	err := db.Where("lower(email) = ? AND deleted_at IS NULL", email).Take(&u).Error
	if err != nil {
		return nil, classify("models: user by email", err)
	}
	return &u, nil
}

// UserByID finds a live account by id; a deleted one is ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	var u User
	db, cancel := s.reader(ctx, id)
	defer cancel()
	if err := db.Where("id = ? AND deleted_at IS NULL", id).Take(&u).Error; err != nil {
		return nil, classify("models: user by id", err)
	}
	return &u, nil
}

// SetPasswordHash replaces an account's password hash and, in the same
// transaction, ends every session of the account except keepSession (0
// ends them all): whoever knew the old password is signed out everywhere.
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hashedPassword string, keepSession int64) error {
	db, done := s.writer(ctx, id)
	defer done()
	return db.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&User{ID: id}).Update("hashed_password", hashedPassword)
		if res.Error != nil {
			return classify("models: set password", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("models: set password: %w", ErrNotFound)
		}
		_, err := deleteSessions(tx, id, keepSession)
		return err
	})
}

// Users lists every account, oldest first, for the operator: deleted
// ones too (DeletedAt set), until the purge erases them.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var out []User
	db, cancel := s.primaryReader(ctx)
	defer cancel()
	if err := db.Order("id").Find(&out).Error; err != nil {
		return nil, classify("models: list users", err)
	}
	return out, nil
}

// SetKeyboardShortcuts turns an account's keyboard shortcuts on or off.
func (s *Store) SetKeyboardShortcuts(ctx context.Context, id int64, on bool) error {
	db, done := s.writer(ctx, id)
	defer done()
	res := db.Model(&User{ID: id}).Update("keyboard_shortcuts", on)
	if res.Error != nil {
		return classify("models: set keyboard shortcuts", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("models: set keyboard shortcuts: %w", ErrNotFound)
	}
	return nil
}

// SetTimeZone sets the zone an account's "today" is counted in: an IANA
// name (ValidateTimeZone), or "" to follow the browser's.
func (s *Store) SetTimeZone(ctx context.Context, id int64, name string) error {
	name = strings.TrimSpace(name)
	if msg := ValidateTimeZone(name); msg != "" {
		return invalid(FieldErrors{"time_zone": msg})
	}
	db, done := s.writer(ctx, id)
	defer done()
	res := db.Model(&User{ID: id}).Update("time_zone", nullable(name))
	if res.Error != nil {
		return classify("models: set time zone", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("models: set time zone: %w", ErrNotFound)
	}
	return nil
}
