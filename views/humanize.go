package views

import (
	"strconv"
	"time"
)

// Humanize says when t was, relative to now, the way a person would:
// "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago",
// then the date, "12 Mar 2026". Days are UTC calendar days, the zone every
// timestamp is stored and shown in. now is a parameter so that pages
// rendered in one request agree, and tests are deterministic.
func Humanize(t, now time.Time) string {
	t, now = t.UTC(), now.UTC()
	d := now.Sub(t)
	switch {
	case d < -time.Minute:
		// A clock ahead of ours: say the date rather than "in 3 minutes".
		return t.Format(dateLayout)
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	}
	days := calendarDays(t, now)
	switch {
	case days <= 1:
		return "yesterday"
	case days < 7:
		return strconv.Itoa(days) + " days ago"
	}
	return t.Format(dateLayout)
}

// TimeTitle is the exact time, for a <time> element's tooltip.
func TimeTitle(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// MachineTime is the value of a <time> element's datetime attribute.
func MachineTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

const dateLayout = "2 Jan 2006"

// calendarDays counts the midnights between t and now (both UTC).
func calendarDays(t, now time.Time) int {
	y1, m1, d1 := t.Date()
	y2, m2, d2 := now.Date()
	a := time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)
	b := time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// Duration is a period such as a retention setting in words: "30 days",
// "36 hours", "90 minutes", or Go's notation for anything finer, which no
// setting is expected to be.
func Duration(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d > 0 && d%day == 0:
		return plural(int(d/day), "day")
	case d > 0 && d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour")
	case d > 0 && d%time.Minute == 0:
		return plural(int(d/time.Minute), "minute")
	}
	return d.String()
}

// Date is a day as the pages write it: "6 Jan 2027" (UTC).
func Date(t time.Time) string { return t.UTC().Format(dateLayout) }
