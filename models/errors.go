package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	gosqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinel errors returned by the store. Callers check them with errors.Is.
var (
	// ErrNotFound means no row matched, including a row that exists but
	// belongs to another user: the two must be indistinguishable.
	ErrNotFound = errors.New("models: not found")
	// ErrEmailTaken means another account already uses the email, in any case.
	ErrEmailTaken = errors.New("models: email already registered")
	// ErrInvalid means the database refused a value (a CHECK, a length, an
	// encoding). Validation normally catches these first.
	ErrInvalid = errors.New("models: invalid value")
	// ErrUnavailable means the database could not be reached or did not
	// answer in time.
	ErrUnavailable = errors.New("models: database unavailable")
)

// FieldErrors maps a form field name to the message shown beside it.
type FieldErrors map[string]string

// ValidationError carries one message per bad field. It wraps ErrInvalid,
// or a more specific sentinel such as ErrEmailTaken.
type ValidationError struct {
	Fields FieldErrors
	Err    error
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for field, msg := range e.Fields {
		parts = append(parts, field+": "+msg)
	}
	return "models: invalid input: " + strings.Join(parts, "; ")
}

func (e *ValidationError) Unwrap() error {
	if e.Err != nil {
		return e.Err
	}
	return ErrInvalid
}

// invalid returns a *ValidationError for fe, or nil when fe is empty.
func invalid(fe FieldErrors) error {
	if len(fe) == 0 {
		return nil
	}
	return &ValidationError{Fields: fe}
}

// PostgreSQL error codes we translate (Appendix A of its manual).
const (
	pgUniqueViolation      = "23505"
	pgForeignKeyViolation  = "23503"
	pgCheckViolation       = "23514"
	pgNotNullViolation     = "23502"
	pgStringTooLong        = "22001"
	pgCharNotInRepertoire  = "22021"
	pgUntranslatableChar   = "22P05"
	pgQueryCanceled        = "57014"
	pgAdminShutdown        = "57P01"
	pgCrashShutdown        = "57P02"
	pgCannotConnectNow     = "57P03"
	pgTooManyConnections   = "53300"
	pgConnectionExceptionC = "08" // class 08: connection exceptions
)

// Classify is classify for the bulk loader (models/bulkload), which writes
// past GORM with the driver's own calls: its errors cross the models
// boundary as the same sentinels.
func Classify(op string, err error) error { return classify(op, err) }

// classify turns a driver error into one of the sentinels above, keeping the
// original in the chain for logs. op names the operation for the message.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == pgUniqueViolation && pgErr.TableName == "users":
			return fmt.Errorf("%s: %w", op, ErrEmailTaken)
		case pgErr.Code == pgForeignKeyViolation:
			return fmt.Errorf("%s: %w", op, ErrNotFound)
		case pgErr.Code == pgCheckViolation, pgErr.Code == pgNotNullViolation,
			pgErr.Code == pgStringTooLong, pgErr.Code == pgCharNotInRepertoire,
			pgErr.Code == pgUntranslatableChar:
			return fmt.Errorf("%s: %w (%s)", op, ErrInvalid, pgErr.Code)
		case pgErr.Code == pgQueryCanceled, pgErr.Code == pgTooManyConnections, connectionLost(err):
			return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
		}
		return fmt.Errorf("%s: %w", op, err)
	}
	if connectionLost(err) {
		// Never sent, or sent and its connection lost: either way the
		// database is not answering (and a write may or may not have been
		// applied; the wait in waitingPool retried what was safe).
		return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
	}
	var liteErr *gosqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE:
			return fmt.Errorf("%s: %w", op, ErrEmailTaken)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%s: %w", op, ErrNotFound)
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return fmt.Errorf("%s: %w", op, ErrInvalid)
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}
