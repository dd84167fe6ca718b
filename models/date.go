package models

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar day with no time of day and no zone: a task's due
// date. It is stored as DATE on PostgreSQL and as "YYYY-MM-DD" text on
// SQLite, which sorts and compares in date order.
type Date struct {
	t time.Time // midnight UTC of the day
}

// DateOf is the calendar day t falls on in its own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// NewDate is the given day; out-of-range parts normalize as time.Date's do.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// Today is the calendar day it is now in loc: "today" for the user whose
// zone loc is.
func Today(now time.Time, loc *time.Location) Date { return DateOf(now.In(loc)) }

// dateLayout is ISO 8601, as <input type=date> sends it and <time> wants it.
const dateLayout = "2006-01-02"

// parseDate reads "YYYY-MM-DD" strictly (a real day of a four-digit year).
func parseDate(s string) (Date, bool) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, false
	}
	return Date{t}, true
}

// String is the ISO date, "2026-12-31".
func (d Date) String() string { return d.t.Format(dateLayout) }

// Year is the date's year.
func (d Date) Year() int { return d.t.Year() }

// Time is midnight UTC of the day, for formatting.
func (d Date) Time() time.Time { return d.t }

// AddDays is the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// DaysSince is how many days d is after from (negative if before).
func (d Date) DaysSince(from Date) int { return int(d.t.Sub(from.t).Hours() / 24) }

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// MarshalText is the ISO date, so that JSON (a backup) holds "2026-12-31".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads an ISO date, strictly.
func (d *Date) UnmarshalText(b []byte) error {
	p, ok := parseDate(string(b))
	if !ok {
		return fmt.Errorf("models: not a date: %q", b)
	}
	*d = p
	return nil
}

// Value stores the date as its ISO text, which PostgreSQL reads as a DATE.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan reads a DATE (a time.Time from pgx) or ISO text (SQLite).
func (d *Date) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		*d = DateOf(v)
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("models: scan date from %T", v)
}

func (d *Date) scanText(s string) error {
	if len(s) > len(dateLayout) {
		s = s[:len(dateLayout)] // a driver that appended a time of day
	}
	p, ok := parseDate(s)
	if !ok {
		return fmt.Errorf("models: scan date %q", s)
	}
	*d = p
	return nil
}
