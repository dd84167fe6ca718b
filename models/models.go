// Package models owns taskapp's data: the Go side of the schema in
// ../migrations, the input rules of the product contract, and every query.
// Nothing above this package sees a driver or its errors: failures come out
// as the sentinel errors and *ValidationError defined here.
package models

import (
	"strings"
	"time"

	"gorm.io/gorm"
)

// TaskStatus is where a task stands. The database CHECK allows exactly
// these values.
type TaskStatus string

// The statuses a task can have, in the order the UI lists them.
const (
	StatusPending    TaskStatus = "pending"
	StatusInProgress TaskStatus = "in_progress"
	StatusCompleted  TaskStatus = "completed"
)

// TaskStatuses lists every valid status in display order.
func TaskStatuses() []TaskStatus {
	return []TaskStatus{StatusPending, StatusInProgress, StatusCompleted}
}

// Valid reports whether s is one of the statuses the schema accepts.
func (s TaskStatus) Valid() bool {
	switch s {
	case StatusPending, StatusInProgress, StatusCompleted:
		return true
	}
	return false
}

// CompletionStatus is the status a task's done checkbox sets: completed
// when checked, and pending when unchecked, whatever it was before (a task
// that was in progress and is undone starts over).
func CompletionStatus(done bool) TaskStatus {
	if done {
		return StatusCompleted
	}
	return StatusPending
}

// Label is the status as a person reads it.
func (s TaskStatus) Label() string {
	switch s {
	case StatusPending:
		return "Pending"
	case StatusInProgress:
		return "In progress"
	case StatusCompleted:
		return "Completed"
	}
	return string(s)
}

// Words is the status inside a sentence: "marked in progress".
func (s TaskStatus) Words() string { return strings.ToLower(s.Label()) }

// User is an account. Email is stored trimmed and lower-cased.
//
// DeletedAt here and on Task is a plain *time.Time, not gorm.DeletedAt, on
// purpose: gorm.DeletedAt silently adds "deleted_at IS NULL" to every
// query built on the model and turns Delete into an UPDATE, but not to
// raw SQL, Table("tasks") queries, the backup, the purge or cmd/dbbench.
// Which queries see the trash is a rule the store states explicitly, in
// one place (liveTasks and trashedTasks in trash.go), beside the owner
// guard's condition.
//
// UpdatedAt, here and on Task, has GORM's autoUpdateTime switched off: the
// BeforeUpdate hook (touch) is the one thing on the Go side that moves it,
// so a test fails if the hook stops doing so, rather than GORM quietly doing
// the same job with the same clock. The triggers in ../migrations cover
// writes that bypass GORM; on SQLite the trigger stands aside when the
// statement sets updated_at, on PostgreSQL it overwrites the hook's value
// with the transaction's time (the two agree to within the statement).
type User struct {
	ID             int64     `gorm:"primaryKey"`
	Email          string    `gorm:"size:255;not null"`
	HashedPassword string    `gorm:"size:255;not null"`
	CreatedAt      time.Time `gorm:"<-:create;not null"`            // immutable after insert
	UpdatedAt      time.Time `gorm:"not null;autoUpdateTime:false"` // set by touch, see above
	// DeletedAt is set while the account is in the trash (soft delete).
	DeletedAt *time.Time
	// KeyboardShortcuts turns the task list's single-key shortcuts on;
	// the column defaults to true, and only SetKeyboardShortcuts writes it.
	KeyboardShortcuts bool `gorm:"<-:update;not null;default:true"`
	// TimeZone is the IANA zone the user chose for "today", or nil to
	// follow the browser's.
	TimeZone *string `gorm:"size:64"`
}

// Task is one item on a user's list. Description is nil when empty, so the
// column holds NULL rather than "" as the schema intends.
type Task struct {
	ID          int64      `gorm:"primaryKey"`
	Title       string     `gorm:"size:200;not null"`
	Description *string    `gorm:"type:text"`
	Status      TaskStatus `gorm:"size:20;not null"`
	DueDate     *Date      `gorm:"type:date"` // nil when the task has no date
	UserID      int64      `gorm:"not null"`
	CreatedAt   time.Time  `gorm:"<-:create;not null"`            // immutable after insert
	UpdatedAt   time.Time  `gorm:"not null;autoUpdateTime:false"` // set by touch, see User
	// DeletedAt is set while the task is in the trash (soft delete).
	DeletedAt *time.Time
}

// DescriptionText is the description, or "" when there is none.
func (t *Task) DescriptionText() string {
	if t.Description == nil {
		return ""
	}
	return *t.Description
}

// Now is the one clock models (and the bulk loader) use: UTC, because the schema's TIMESTAMP
// columns carry no zone and must mean the same thing on every server, and
// microseconds, because that is all PostgreSQL keeps.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// BeforeCreate stamps both timestamps in UTC unless the caller set them
// (the seed command writes historical rows).
func (u *User) BeforeCreate(*gorm.DB) error {
	u.CreatedAt, u.UpdatedAt = stamp(u.CreatedAt, u.UpdatedAt)
	u.Email = NormalizeEmail(u.Email)
	return nil
}

// BeforeUpdate refreshes updated_at on every update through GORM and keeps
// created_at out of the statement.
func (u *User) BeforeUpdate(tx *gorm.DB) error { return touch(tx) }

// BeforeCreate stamps both timestamps in UTC unless the caller set them.
func (t *Task) BeforeCreate(*gorm.DB) error {
	t.CreatedAt, t.UpdatedAt = stamp(t.CreatedAt, t.UpdatedAt)
	return nil
}

// BeforeUpdate refreshes updated_at on every update through GORM and keeps
// created_at out of the statement.
func (t *Task) BeforeUpdate(tx *gorm.DB) error { return touch(tx) }

func stamp(created, updated time.Time) (time.Time, time.Time) {
	if created.IsZero() {
		created = Now()
	}
	if updated.IsZero() {
		updated = created
	}
	return created.UTC(), updated.UTC()
}

func touch(tx *gorm.DB) error {
	tx.Statement.SetColumn("UpdatedAt", Now(), true)
	tx.Statement.Omit("CreatedAt")
	return nil
}
