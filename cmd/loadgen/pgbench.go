package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// pageSQL is the SQL the store sends for the /tasks page of the user with
// email as the list handler asks for it (first page, default order, the
// tab counts as of today): captured from the store's statement log
// (DATABASE_ECHO's), with the values in place.
func pageSQL(ctx context.Context, dbURL, email string) ([]string, error) {
	capture := &dbtest.SQLLog{}
	store, err := models.Open(ctx, models.Config{URL: dbURL, Echo: true, Logger: slog.New(capture), PoolSize: 1})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	u, err := store.UserByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	capture.Take()
	if _, err := store.ListTasks(ctx, u.ID, models.ListOptions{Today: models.DateOf(models.Now())}); err != nil {
		return nil, err
	}
	// The log shows bound values as $n$ placeholders (it keeps values,
	// such as password hashes, out of logs); the page binds the user's id
	// and the page size.
	stmts := capture.Take()
	for i, s := range stmts {
		s = boundUserID.ReplaceAllString(s, "user_id = "+strconv.FormatInt(u.ID, 10))
		s = boundLimit.ReplaceAllString(s, "LIMIT "+strconv.Itoa(models.DefaultPerPage))
		if placeholder.MatchString(s) {
			return nil, fmt.Errorf("a value of the page's SQL is not known here: %s", s)
		}
		stmts[i] = s
	}
	return stmts, nil
}

var (
	boundUserID = regexp.MustCompile(`user_id = \$\d+\$`)
	boundLimit  = regexp.MustCompile(`LIMIT \$\d+\$`)
	placeholder = regexp.MustCompile(`\$\d+\$`)
)

// pgbenchScript writes stmts as a pgbench script: one run of it is one
// page's queries, so its tps compares with the app's pages/s.
func pgbenchScript(dir string, stmts []string) (string, error) {
	var b strings.Builder
	for _, s := range stmts {
		b.WriteString(strings.Join(strings.Fields(s), " "))
		b.WriteString(";\n")
	}
	path := filepath.Join(dir, "page.sql")
	return path, os.WriteFile(path, []byte(b.String()), 0o600)
}

var pgbenchTPS = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// runPgbench runs script with c clients for d (whole seconds, at least 1)
// against dbURL with prepared statements (as pgx caches them) and returns
// its transactions, i.e. pages, per second.
func runPgbench(ctx context.Context, dbURL, script string, c int, d time.Duration) (float64, error) {
	secs := max(1, int(d.Round(time.Second)/time.Second))
	cmd := exec.CommandContext(ctx, "pgbench", "-n", "-M", "prepared",
		"-c", strconv.Itoa(c), "-j", strconv.Itoa(min(c, runtime.NumCPU())),
		"-T", strconv.Itoa(secs), "-f", script, dbURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %w\n%s", err, out)
	}
	m := pgbenchTPS.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("pgbench printed no tps:\n%s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}
