package models

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits from the product contract's input rules. Lengths are counted in
// characters (runes), the way the database counts VARCHAR(n).
const (
	MaxEmailLen       = 255
	MinPasswordLen    = 8
	MaxPasswordLen    = 256 // argon2id takes any length; this bounds the work one request can ask for
	MaxTitleLen       = 200
	MaxDescriptionLen = 2000
	MinDueYear        = 1900 // a sane range for a due date: typos like 0202 are refused
	MaxDueYear        = 9999
)

// NormalizeEmail trims and lower-cases an address, the form it is stored in.
func NormalizeEmail(email string) string {
	email = strings.TrimSpace(email)
	if !utf8.ValidString(email) {
		// strings.ToLower would turn the bad bytes into U+FFFD, which
		// ValidateEmail accepts: leave them for it to refuse.
		return email
	}
	return strings.ToLower(email)
}

const msgUnstorable = "Contains characters that can't be saved (such as a NUL byte or invalid UTF-8)."

// ValidateEmail checks an already normalized address and returns the
// message to show, or "".
func ValidateEmail(email string) string {
	switch {
	case email == "":
		return "Enter your email address."
	case !storable(email):
		return msgUnstorable
	case utf8.RuneCountInString(email) > MaxEmailLen:
		return "Use at most 255 characters."
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return "Enter a valid email address, like name@example.com."
	}
	return ""
}

// ValidatePassword checks a new password and returns the message to show,
// or "". Passwords are never trimmed: every character counts.
func ValidatePassword(password string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case password == "":
		return "Enter a password."
	case !storable(password):
		return msgUnstorable
	case n < MinPasswordLen:
		return "Use at least 8 characters."
	case n > MaxPasswordLen:
		return "Use at most 256 characters."
	}
	return ""
}

// TaskInput is what a person submits for a task. Normalize before Validate.
type TaskInput struct {
	Title       string
	Description string
	Status      TaskStatus
	DueDate     string // "YYYY-MM-DD", or "" for no date
}

// Normalize trims the text fields and defaults an empty status to pending.
func (in *TaskInput) Normalize() {
	in.Title = strings.TrimSpace(in.Title)
	in.Description = strings.TrimSpace(in.Description)
	in.DueDate = strings.TrimSpace(in.DueDate)
	if in.Status == "" {
		in.Status = StatusPending
	}
}

// Validate returns one message per bad field; an empty map means valid.
func (in *TaskInput) Validate() FieldErrors {
	fe := FieldErrors{}
	if msg := validateTitle(in.Title); msg != "" {
		fe["title"] = msg
	}
	if msg := validateDescription(in.Description); msg != "" {
		fe["description"] = msg
	}
	if msg := validateStatus(in.Status); msg != "" {
		fe["status"] = msg
	}
	if msg := validateDueDate(in.DueDate); msg != "" {
		fe["due_date"] = msg
	}
	return fe
}

// TaskPatch changes some fields of a task; nil fields stay as they are.
type TaskPatch struct {
	Title       *string
	Description *string
	Status      *TaskStatus
	DueDate     *string // "" clears the date
}

// normalize trims the text fields that are present.
func (p *TaskPatch) normalize() {
	if p.Title != nil {
		t := strings.TrimSpace(*p.Title)
		p.Title = &t
	}
	if p.Description != nil {
		d := strings.TrimSpace(*p.Description)
		p.Description = &d
	}
	if p.DueDate != nil {
		d := strings.TrimSpace(*p.DueDate)
		p.DueDate = &d
	}
}

// Validate returns one message per bad field present in the patch.
func (p *TaskPatch) Validate() FieldErrors {
	fe := FieldErrors{}
	if p.Title != nil {
		if msg := validateTitle(*p.Title); msg != "" {
			fe["title"] = msg
		}
	}
	if p.Description != nil {
		if msg := validateDescription(*p.Description); msg != "" {
			fe["description"] = msg
		}
	}
	if p.Status != nil {
		if msg := validateStatus(*p.Status); msg != "" {
			fe["status"] = msg
		}
	}
	if p.DueDate != nil {
		if msg := validateDueDate(*p.DueDate); msg != "" {
			fe["due_date"] = msg
		}
	}
	return fe
}

func validateTitle(title string) string {
	switch {
	case title == "":
		return "Enter a title."
	case !storable(title):
		return msgUnstorable
	case utf8.RuneCountInString(title) > MaxTitleLen:
		return "Use at most 200 characters."
	}
	return ""
}

func validateDescription(desc string) string {
	switch {
	case !storable(desc):
		return msgUnstorable
	case utf8.RuneCountInString(desc) > MaxDescriptionLen:
		return "Use at most 2000 characters."
	}
	return ""
}

func validateStatus(s TaskStatus) string {
	if !s.Valid() {
		return "Choose pending, in progress or completed."
	}
	return ""
}

// validateDueDate accepts "" (no date) or a real day, as <input type=date>
// sends it, in years MinDueYear to MaxDueYear.
func validateDueDate(s string) string {
	if s == "" {
		return ""
	}
	d, ok := parseDate(s)
	switch {
	case !ok:
		return "Enter a real date, like 2026-12-31."
	case d.Year() < MinDueYear || d.Year() > MaxDueYear:
		return "Use a year from 1900 to 9999."
	}
	return ""
}

// dueDate is a validated due date field as stored: nil for "".
func dueDate(s string) *Date {
	d, ok := parseDate(s)
	if !ok {
		return nil
	}
	return &d
}

// ValidateTimeZone checks an IANA zone name, such as "Europe/Paris", and
// returns the message to show, or "". "" is valid: it means the browser's.
func ValidateTimeZone(name string) string {
	if name == "" {
		return ""
	}
	if name == "Local" || len(name) > 64 {
		return "Enter a time zone name like Europe/Paris."
	}
	if _, err := time.LoadLocation(name); err != nil {
		return "Enter a time zone name like Europe/Paris."
	}
	return ""
}

// ZoneLocation is the zone name's location, or UTC for "" or an unknown name.
func ZoneLocation(name string) *time.Location {
	if ValidateTimeZone(name) != "" || name == "" {
		return time.UTC
	}
	loc, _ := time.LoadLocation(name)
	return loc
}
