package views

import (
	"testing"
	"time"
)

func TestHumanize(t *testing.T) {
	now := time.Date(2026, 11, 26, 14, 3, 0, 0, time.UTC)
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"same instant", now, "just now"},
		{"seconds ago", now.Add(-59 * time.Second), "just now"},
		{"slightly in the future", now.Add(30 * time.Second), "just now"},
		{"well in the future", now.Add(48 * time.Hour), "28 Nov 2026"},
		{"one minute", now.Add(-time.Minute), "1 minute ago"},
		{"minutes", now.Add(-59*time.Minute - 59*time.Second), "59 minutes ago"},
		{"one hour", now.Add(-time.Hour), "1 hour ago"},
		{"hours", now.Add(-3 * time.Hour), "3 hours ago"},
		{"earlier today", now.Add(-14 * time.Hour), "14 hours ago"},
		{"just under a day", now.Add(-23*time.Hour - 59*time.Minute), "23 hours ago"},
		{"yesterday evening", time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC), "yesterday"},
		{"yesterday, first minute", time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), "yesterday"},
		{"two days", time.Date(2026, 11, 24, 23, 59, 0, 0, time.UTC), "2 days ago"},
		{"six days", time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), "6 days ago"},
		{"a week", time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC), "19 Nov 2026"},
		{"months ago", time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC), "12 Mar 2026"},
		{"another year", time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), "31 Dec 2025"},
		{"other zone, same instant", now.Add(-2 * time.Hour).In(time.FixedZone("UTC+9", 9*3600)), "2 hours ago"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Humanize(tt.t, now); got != tt.want {
				t.Errorf("Humanize(%s) = %q, want %q", tt.t.Format(time.RFC3339), got, tt.want)
			}
		})
	}
}

func TestTimeAttributes(t *testing.T) {
	at := time.Date(2026, 11, 26, 23, 3, 7, 0, time.FixedZone("UTC+9", 9*3600))
	if got, want := MachineTime(at), "2026-11-26T14:03:07Z"; got != want {
		t.Errorf("MachineTime = %q, want %q", got, want)
	}
	if got, want := TimeTitle(at), "2026-11-26 14:03 UTC"; got != want {
		t.Errorf("TimeTitle = %q, want %q", got, want)
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * 24 * time.Hour: "30 days",
		24 * time.Hour:      "1 day",
		36 * time.Hour:      "36 hours",
		time.Hour:           "1 hour",
		90 * time.Minute:    "90 minutes",
		90 * time.Second:    "1m30s",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestErasedWhen(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		7 * 24 * time.Hour:            "in 7 days",
		7*24*time.Hour - time.Second:  "in 7 days",
		6*24*time.Hour + time.Minute:  "in 7 days",
		6 * 24 * time.Hour:            "in 6 days",
		48 * time.Hour:                "in 2 days",
		47*time.Hour + time.Minute:    "in 2 days",
		46*time.Hour + 30*time.Minute: "in 47 hours",
		5 * time.Hour:                 "in 5 hours",
		time.Hour + time.Second:       "in 2 hours",
		59 * time.Minute:              "within the hour",
		-time.Minute:                  "within the hour",
	} {
		if got := ErasedWhen(now.Add(d), now); got != want {
			t.Errorf("ErasedWhen(now+%v) = %q, want %q", d, got, want)
		}
	}
}
