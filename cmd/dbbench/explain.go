package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"

	"taskapp/migrations"
	"taskapp/models"
	"taskapp/models/dbtest"
)

// plan lines that mean the whole table is read.
var (
	pgFullScan     = regexp.MustCompile(`Seq Scan on (tasks|users)\b`)
	sqliteFullScan = regexp.MustCompile(`^SCAN (tasks|users)\b`)
	pgIndex        = regexp.MustCompile(`(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\S+)`)
	sqliteIndex    = regexp.MustCompile(`USING (?:COVERING )?INDEX (\S+)|USING (INTEGER PRIMARY KEY)`)
)

// explainAll runs one call of each benchmarked kind through a store that
// echoes its SQL, and shows the plan of every statement it sent: EXPLAIN
// (ANALYZE, BUFFERS) on PostgreSQL, inside a transaction that is rolled
// back; EXPLAIN QUERY PLAN on SQLite. It returns how many statements read
// a whole table.
func explainAll(ctx context.Context, w io.Writer, dialect migrations.Dialect, dbURL string, s *sample) (int, error) {
	capture := &dbtest.SQLLog{}
	// EchoValues: DATABASE_ECHO's own log has placeholders, which EXPLAIN
	// cannot run ("missing argument with index 1").
	store, err := models.Open(ctx, models.Config{URL: dbURL, Echo: true, EchoValues: true, Logger: slog.New(capture), PoolSize: 2})
	if err != nil {
		return 0, err
	}
	defer store.Close()

	heavy := s.owners[0]
	today := models.DateOf(models.Now())
	title := "Explained task"
	st := models.StatusCompleted
	calls := []struct {
		name string
		call func() error
	}{
		{"UserByEmail", func() error { _, err := store.UserByEmail(ctx, s.emails[len(s.emails)/2]); return err }},
		{"CreateTask", func() error {
			_, err := store.CreateTask(ctx, s.medianID, models.TaskInput{Title: title, Description: "x"})
			return err
		}},
		{fmt.Sprintf("ListTasks, heaviest user (%d tasks)", s.counts[heavy]), func() error {
			_, err := store.ListTasks(ctx, heavy, models.ListOptions{})
			return err
		}},
		{fmt.Sprintf("ListTasks, median user (%d tasks)", s.median), func() error {
			_, err := store.ListTasks(ctx, s.medianID, models.ListOptions{})
			return err
		}},
		{"TaskByID", func() error { _, err := store.TaskByID(ctx, s.byID[0].userID, s.byID[0].id); return err }},
		{"UpdateTask", func() error {
			_, err := store.UpdateTask(ctx, s.update[0].userID, s.update[0].id, models.TaskPatch{Title: &title, Status: &st})
			return err
		}},
		{"DeleteTask (to the trash; ANALYZE runs after the call: 0 live rows left to match)", func() error {
			r := s.byID[len(s.byID)-1]
			_, err := store.DeleteTask(ctx, r.userID, r.id)
			return err
		}},
		{"Search q=groceries, heaviest user", func() error {
			_, err := store.ListTasks(ctx, heavy, models.ListOptions{Query: "groceries"})
			return err
		}},
		{"Search q=nothing-matches-this, heaviest user", func() error {
			_, err := store.ListTasks(ctx, heavy, models.ListOptions{Query: "nothing-matches-this"})
			return err
		}},
		{"Status=completed, heaviest user", func() error {
			_, err := store.ListTasks(ctx, heavy, models.ListOptions{Status: models.StatusCompleted})
			return err
		}},
		{"Status=completed page 5, heaviest user", func() error {
			_, err := store.ListTasks(ctx, heavy, models.ListOptions{Status: models.StatusCompleted, Page: 5})
			return err
		}},
		{"Today (due today and overdue), heaviest user", func() error {
			_, err := store.ListTasks(ctx, heavy, models.ListOptions{Due: models.DueToday, Today: today})
			return err
		}},
		{"Upcoming (next 7 days), heaviest user", func() error {
			_, err := store.ListTasks(ctx, heavy, models.ListOptions{Due: models.DueUpcoming, Today: today})
			return err
		}},
		{"sort=due, heaviest user", func() error {
			_, err := store.ListTasks(ctx, heavy, models.ListOptions{Sort: models.SortDue, Today: today})
			return err
		}},
		{"sort=title, heaviest user", func() error {
			_, err := store.ListTasks(ctx, heavy, models.ListOptions{Sort: models.SortTitle, Today: today})
			return err
		}},
		{"Trash page, heaviest user", func() error {
			_, err := store.Trash(ctx, heavy)
			return err
		}},
	}

	kind := "EXPLAIN (ANALYZE, BUFFERS)"
	if dialect == "sqlite" {
		kind = "EXPLAIN QUERY PLAN"
	}
	fmt.Fprintf(w, "\n%s: %s of every statement the store sends\n", dialect, kind)
	bad := 0
	var summary []string
	for _, c := range calls {
		capture.Take()
		if err := c.call(); err != nil {
			return bad, fmt.Errorf("%s: %w", c.name, err)
		}
		fmt.Fprintf(w, "\n--- %s\n", c.name)
		for _, q := range capture.Take() {
			lines, err := explain(ctx, store.DB(), dialect, q)
			if err != nil {
				return bad, fmt.Errorf("explain %s: %w", q, err)
			}
			fmt.Fprintf(w, "SQL: %s\n", q)
			var indexes []string
			full := false
			for _, l := range lines {
				mark := "    "
				if (dialect == "sqlite" && sqliteFullScan.MatchString(l)) || (dialect != "sqlite" && pgFullScan.MatchString(l)) {
					mark, full = "!!! ", true
				}
				fmt.Fprintf(w, "%s%s\n", mark, l)
				re := pgIndex
				if dialect == "sqlite" {
					re = sqliteIndex
				}
				for _, m := range re.FindAllStringSubmatch(l, -1) {
					indexes = append(indexes, strings.Join(m[1:], ""))
				}
			}
			verdict := "index: " + strings.Join(indexes, ", ")
			if len(indexes) == 0 {
				verdict = "no index scan (an INSERT, or a plan with no table read)"
			}
			if full {
				bad++
				verdict = "!!! FULL TABLE SCAN (" + verdict + ")"
				fmt.Fprintf(w, "!!! %s: THIS STATEMENT SCANS THE WHOLE TABLE\n", c.name)
			}
			summary = append(summary, fmt.Sprintf("  %-60.60s %s", c.name, verdict))
		}
	}
	// The purge runs on database/sql, not through GORM, so the echo does
	// not see it: its statements are written out here as PurgeTrash and
	// TrashDueBefore send them, with the cutoff inlined (one batch).
	cutoff := models.Now().Add(-models.DefaultTaskRetention).Format("2006-01-02 15:04:05")
	for _, q := range []struct{ name, sql string }{
		{"purge --dry-run (TrashDueBefore)", "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM tasks WHERE deleted_at < '" + cutoff + "'"},
		{"purge (PurgeTrash, one batch)", "DELETE FROM tasks WHERE deleted_at < '" + cutoff + "' AND id IN (SELECT id FROM tasks WHERE deleted_at < '" + cutoff + "' ORDER BY deleted_at LIMIT 1000)"},
	} {
		fmt.Fprintf(w, "\n--- %s\n", q.name)
		lines, err := explain(ctx, store.DB(), dialect, q.sql)
		if err != nil {
			return bad, fmt.Errorf("explain %s: %w", q.sql, err)
		}
		fmt.Fprintf(w, "SQL: %s\n", q.sql)
		var indexes []string
		full := false
		for _, l := range lines {
			fmt.Fprintf(w, "    %s\n", l)
			re := pgIndex
			if dialect == "sqlite" {
				re = sqliteIndex
			}
			for _, m := range re.FindAllStringSubmatch(l, -1) {
				indexes = append(indexes, strings.Join(m[1:], ""))
			}
			full = full || (dialect == "sqlite" && sqliteFullScan.MatchString(l)) || (dialect != "sqlite" && pgFullScan.MatchString(l))
		}
		verdict := "index: " + strings.Join(indexes, ", ")
		if full {
			bad++
			verdict = "!!! FULL TABLE SCAN (" + verdict + ")"
		}
		summary = append(summary, fmt.Sprintf("  %-60.60s %s", q.name, verdict))
	}
	fmt.Fprintf(w, "\n%s plan summary:\n%s\n", dialect, strings.Join(summary, "\n"))
	if bad > 0 {
		fmt.Fprintf(w, "!!! %s: %d STATEMENTS SCAN A WHOLE TABLE (Seq Scan / SCAN)\n", dialect, bad)
	} else {
		fmt.Fprintf(w, "%s: no statement scans a whole table\n", dialect)
	}
	return bad, nil
}

// explain returns the plan of q, one line per row. On PostgreSQL the
// statement runs (ANALYZE) inside a transaction that is rolled back.
func explain(ctx context.Context, db *sql.DB, dialect migrations.Dialect, q string) ([]string, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if dialect == "sqlite" {
		rows, err := tx.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				return nil, err
			}
			out = append(out, detail)
		}
		return out, rows.Err()
	}
	rows, err := tx.QueryContext(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
