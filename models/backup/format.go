// Package backup reads and writes taskapp's portable backup files: one
// format for both databases, so that a backup of SQLite restores into
// PostgreSQL and back.
//
// A backup is gzip-compressed JSON lines. The first line is the header
// ({"taskapp_backup": {...}}: format version, schema version, counts,
// time); then one {"user": {...}} line per account in id order, password
// hashes included; then one {"task": {...}} line per task in id order.
// Trashed rows are included, with their deleted_at. A user's time_zone and
// keyboard_shortcuts and a task's due_date ("YYYY-MM-DD") came after format
// 1 was first written; a file without them restores with the columns'
// defaults (no zone, shortcuts on, no date). Timestamps are UTC in
// RFC 3339, to the microsecond (PostgreSQL's precision and the app's
// clock's). Files are streamed both ways, never held whole in memory.
package backup

import (
	"errors"
	"time"

	"taskapp/models"
)

// FormatVersion is the version of the file layout this package writes
// and the newest it reads.
const FormatVersion = 1

// Errors a reader returns, checked with errors.Is.
var (
	// ErrNotBackup means the file is not a taskapp backup at all.
	ErrNotBackup = errors.New("not a taskapp backup")
	// ErrDamaged means a taskapp backup that is truncated or corrupt.
	ErrDamaged = errors.New("the backup file is damaged")
	// ErrTooNew means a backup written by a newer taskapp: its format or
	// schema is newer than this binary knows.
	ErrTooNew = errors.New("the backup is from a newer taskapp")
)

// Header is a backup's first record.
type Header struct {
	Format int `json:"format"`
	// SchemaVersion is the database's migration version when the backup
	// was taken.
	SchemaVersion int64 `json:"schema_version"`
	// Dialect is the database it was taken from, for the record only.
	Dialect   string    `json:"dialect"`
	CreatedAt time.Time `json:"created_at"`
	Users     int64     `json:"users"`
	Tasks     int64     `json:"tasks"`
}

// record is one line of the file: exactly one field is set.
type record struct {
	Header *Header     `json:"taskapp_backup,omitempty"`
	User   *userRecord `json:"user,omitempty"`
	Task   *taskRecord `json:"task,omitempty"`
}

type userRecord struct {
	ID             int64      `json:"id"`
	Email          string     `json:"email"`
	HashedPassword string     `json:"hashed_password"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	DeletedAt      *time.Time `json:"deleted_at,omitempty"`
	TimeZone       *string    `json:"time_zone,omitempty"`
	// KeyboardShortcuts is absent from files written before the column
	// existed: nil then means the column's default, on.
	KeyboardShortcuts *bool `json:"keyboard_shortcuts,omitempty"`
}

type taskRecord struct {
	ID          int64        `json:"id"`
	UserID      int64        `json:"user_id"`
	Title       string       `json:"title"`
	Description *string      `json:"description,omitempty"`
	Status      string       `json:"status"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	DeletedAt   *time.Time   `json:"deleted_at,omitempty"`
	DueDate     *models.Date `json:"due_date,omitempty"`
}

// stamp is a timestamp as the file holds it.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func stampPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	s := stamp(*t)
	return &s
}

func fromUser(u *models.User) *userRecord {
	return &userRecord{ID: u.ID, Email: u.Email, HashedPassword: u.HashedPassword,
		CreatedAt: stamp(u.CreatedAt), UpdatedAt: stamp(u.UpdatedAt), DeletedAt: stampPtr(u.DeletedAt),
		TimeZone: u.TimeZone, KeyboardShortcuts: &u.KeyboardShortcuts}
}

func (r *userRecord) user() *models.User {
	return &models.User{ID: r.ID, Email: r.Email, HashedPassword: r.HashedPassword,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), DeletedAt: stampPtr(r.DeletedAt),
		TimeZone: r.TimeZone, KeyboardShortcuts: r.KeyboardShortcuts == nil || *r.KeyboardShortcuts}
}

func fromTask(t *models.Task) *taskRecord {
	return &taskRecord{ID: t.ID, UserID: t.UserID, Title: t.Title, Description: t.Description, Status: string(t.Status),
		CreatedAt: stamp(t.CreatedAt), UpdatedAt: stamp(t.UpdatedAt), DeletedAt: stampPtr(t.DeletedAt), DueDate: t.DueDate}
}

func (r *taskRecord) task() *models.Task {
	return &models.Task{ID: r.ID, UserID: r.UserID, Title: r.Title, Description: r.Description, Status: models.TaskStatus(r.Status),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), DeletedAt: stampPtr(r.DeletedAt), DueDate: r.DueDate}
}
