package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"

	"taskapp/models/backup"
	"taskapp/models/bulkload"
)

type restoreFlags struct{ replace bool }

func newRestoreFlags(f *restoreFlags) commandFlags {
	fs := newCommandFlags("restore", `Usage: taskapp restore FILE [--replace]

Restores a backup written by 'taskapp backup' into the database that
DATABASE_URL names, SQLite or PostgreSQL whichever wrote it: pending
migrations are applied first, then every account and task is loaded with
its id, timestamps, status and password hash, in one transaction. A
damaged file or an interruption leaves the database as it was. A database
that already holds accounts or tasks is refused unless --replace is given.
A backup from a newer taskapp is refused.

Flags:
`)
	fs.BoolVar(&f.replace, "replace", false, "delete every account and task already in the database, in the same transaction")
	return fs
}

func runRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var f restoreFlags
	path, err := parseFileArgs(newRestoreFlags(&f), args, stdout)
	if err != nil {
		return ignoreHelp(err)
	}
	// The file is checked before the database is touched: a foreign or
	// newer file leaves no trace.
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer file.Close()
	r, err := backup.NewReader(file)
	if err != nil {
		return fmt.Errorf("restore: %s: %w", path, err)
	}
	store, err := openConfigured(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer store.Close()

	start := time.Now()
	bar := newRowBar(stderr, r.Header.Users+r.Header.Tasks, "restore")
	err = backup.Restore(ctx, store, r, bulkload.RowsOptions{
		Replace:  f.replace,
		Progress: func(rows int) { addRows(bar, rows) },
	})
	exitBar(bar)
	if errors.Is(err, bulkload.ErrNotEmpty) {
		return errors.New("restore: the database already holds accounts or tasks; nothing was changed (add --replace to overwrite them)")
	}
	if err != nil {
		return fmt.Errorf("%w (no rows were loaded; the data is as it was)", err)
	}
	fmt.Fprintf(stdout, "restored %d users and %d tasks from %s (a %s backup of %s, schema %d) in %s\n",
		r.Header.Users, r.Header.Tasks, path, r.Header.Dialect, r.Header.CreatedAt.Format(time.RFC3339),
		r.Header.SchemaVersion, time.Since(start).Round(time.Millisecond))
	return nil
}

func exitBar(bar *progressbar.ProgressBar) {
	if bar != nil {
		bar.Exit()
	}
}
