package models

import (
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Stored rows arrive from outside the forms too: a backup being restored,
// an import. These checks hold such a row to the same rules the store
// applies to what a person types, plus what the store itself guarantees
// (normalized emails, ids, timestamps), so that nothing can be loaded that
// the app could not have written.

// maxHashLen is users.hashed_password's VARCHAR(255).
const maxHashLen = 255

// Validate checks a user row as stored; an empty map means valid.
func (u *User) Validate() FieldErrors {
	fe := FieldErrors{}
	if u.ID <= 0 {
		fe["id"] = "Must be a positive number."
	}
	if NormalizeEmail(u.Email) != u.Email {
		fe["email"] = "Must be stored trimmed and in lower case."
	} else if msg := ValidateEmail(u.Email); msg != "" {
		fe["email"] = msg
	}
	switch {
	case u.HashedPassword == "":
		fe["hashed_password"] = "Must not be empty."
	case !storable(u.HashedPassword):
		fe["hashed_password"] = msgUnstorable
	case utf8.RuneCountInString(u.HashedPassword) > maxHashLen:
		fe["hashed_password"] = "Use at most 255 characters."
	}
	if u.TimeZone != nil && (*u.TimeZone == "" || ValidateTimeZone(*u.TimeZone) != "") {
		// SetTimeZone stores "" as NULL, so a stored zone is never empty.
		fe["time_zone"] = "Must be a time zone name like Europe/Paris, or absent."
	}
	validateStamps(fe, u.CreatedAt, u.UpdatedAt)
	return fe
}

// Validate checks a task row as stored; an empty map means valid.
func (t *Task) Validate() FieldErrors {
	in := TaskInput{Title: t.Title, Description: t.DescriptionText(), Status: t.Status}
	if t.DueDate != nil {
		in.DueDate = t.DueDate.String()
	}
	fe := in.Validate()
	if t.ID <= 0 {
		fe["id"] = "Must be a positive number."
	}
	if t.UserID <= 0 {
		fe["user_id"] = "Must be a positive number."
	}
	validateStamps(fe, t.CreatedAt, t.UpdatedAt)
	return fe
}

func validateStamps(fe FieldErrors, created, updated time.Time) {
	if created.IsZero() {
		fe["created_at"] = "Must be set."
	}
	if updated.IsZero() {
		fe["updated_at"] = "Must be set."
	}
}

// String lists the messages in field order, for errors and logs.
func (fe FieldErrors) String() string {
	fields := slices.Sorted(maps.Keys(fe))
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f + ": " + fe[f]
	}
	return strings.Join(parts, "; ")
}
