package main

import (
	"strconv"
	"strings"
	"time"

	"taskapp/models"
)

// parseRetention reads a retention setting called name: a whole number of
// days ("30d", the unit the spec states retention in) or a Go duration
// ("720h", "90m"). It must be positive: a retention of zero would erase a
// deletion before anyone could undo it.
func parseRetention(name, v string) (time.Duration, error) {
	bad := func() (time.Duration, error) {
		return 0, usageErrorf("%s must be a positive number of days such as 30d, or a duration such as 720h, not %q", name, v)
	}
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		// The bound keeps n days inside a time.Duration (292 years).
		if err != nil || n <= 0 || n > 100_000 {
			return bad()
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return bad()
	}
	return d, nil
}

// retentionConfig is how long deleted tasks are kept before the purge
// erases them. (Accounts: ACCOUNT_RETENTION, in models.Config.)
type retentionConfig struct {
	// Tasks is how long a task stays in the trash (TRASH_RETENTION,
	// default models.DefaultTaskRetention, the spec's 7 days).
	Tasks time.Duration
}

// loadRetention reads TRASH_RETENTION, as parseRetention reads any
// retention.
func loadRetention(getenv func(string) string) (retentionConfig, error) {
	r := retentionConfig{Tasks: models.DefaultTaskRetention}
	if v := strings.TrimSpace(getenv("TRASH_RETENTION")); v != "" {
		d, err := parseRetention("TRASH_RETENTION", v)
		if err != nil {
			return r, err
		}
		r.Tasks = d
	}
	return r, nil
}
