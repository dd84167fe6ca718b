package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"taskapp/models"
	"taskapp/models/backup"
)

func newBackupFlags() commandFlags {
	return newCommandFlags("backup", `Usage: taskapp backup FILE

Writes a backup of the whole database to FILE while the server may go on
running and writing: one consistent snapshot, in taskapp's portable format
(gzip-compressed JSON lines: accounts with their password hashes, then
tasks, trashed ones included). A backup from SQLite restores into
PostgreSQL and back; see 'taskapp help restore'. FILE appears complete or
not at all. A progress bar is shown on a terminal, and a summary at the end.
`)
}

func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	path, err := parseFileArgs(newBackupFlags(), args, stdout)
	if err != nil {
		return ignoreHelp(err)
	}
	store, err := openConfigured(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer store.Close()

	var bar *progressbar.ProgressBar
	start := time.Now()
	h, size, err := backup.WriteFile(ctx, store, path, backup.Options{
		Start:    func(h backup.Header) { bar = newRowBar(stderr, h.Users+h.Tasks, "backup") },
		Progress: func(rows int) { addRows(bar, rows) },
	})
	exitBar(bar)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %d users and %d tasks (schema %d) to %s: %s in %s\n",
		h.Users, h.Tasks, h.SchemaVersion, path, byteSize(size), time.Since(start).Round(time.Millisecond))
	return nil
}

// openConfigured opens the database the environment names, without
// migrating it.
func openConfigured(ctx context.Context, getenv func(string) string, stderr io.Writer) (*models.Store, error) {
	cfg, err := loadConfig(getenv, stderr)
	if err != nil {
		return nil, err
	}
	return openStore(ctx, cfg)
}

// parseFileArgs parses a command line of flags and one FILE, in any order
// ("restore FILE --replace" as well as "restore --replace FILE"). None of
// these commands' flags takes a value, so every argument that does not
// start with "-" is the file.
func parseFileArgs(f commandFlags, args []string, stdout io.Writer) (string, error) {
	var flags, files []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") && a != "-" {
			flags = append(flags, a)
		} else {
			files = append(files, a)
		}
	}
	if err := f.parse(flags, stdout); err != nil {
		return "", err
	}
	if len(files) != 1 {
		return "", usageErrorf("%s needs exactly one FILE (run 'taskapp help %s' for usage)", f.Name(), f.Name())
	}
	return files[0], nil
}

// newRowBar is a progress bar over total rows on w, or nil when w is not a
// terminal: a backup run by cron or by serve logs its summary, not frames.
func newRowBar(w io.Writer, total int64, desc string) *progressbar.ProgressBar {
	if f, ok := w.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
}

func addRows(bar *progressbar.ProgressBar, rows int) {
	if bar != nil {
		bar.Add(rows)
	}
}

// byteSize is n in the largest unit that keeps it at least 1.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, units := float64(n)/unit, "KMGT"
	i := 0
	for ; f >= unit && i < len(units)-1; i++ {
		f /= unit
	}
	return fmt.Sprintf("%.1f %ciB", f, units[i])
}
