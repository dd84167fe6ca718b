package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"taskapp/models"
	"taskapp/models/schedule"
)

// newScheduler is the one place where the packages that own data register
// their periodic jobs; serve runs them, purge runs them once.
func newScheduler(store *models.Store, retention retentionConfig, logger *slog.Logger) *schedule.Scheduler {
	s := schedule.New(store, logger)
	store.RegisterJobs(s)
	store.RegisterTrashPurge(s, retention.Tasks)
	return s
}

type purgeFlags struct {
	commandFlags
	dryRun bool
}

func newPurgeFlags() *purgeFlags {
	f := &purgeFlags{commandFlags: newCommandFlags("purge", `Usage: taskapp purge [--dry-run]

Runs the periodic clean-up once, now: deletes expired sessions, erases the
tasks that have been in the trash longer than TRASH_RETENTION (default 7
days), and erases the accounts deleted longer ago than ACCOUNT_RETENTION
(default 30 days) with their tasks. The server does the same when it
starts and every hour; this is for cron, or for a database no server is
running on. Safe to run at any time, on any number of machines at once.

`)}
	f.BoolVar(&f.dryRun, "dry-run", false, "report what would be erased, and erase nothing")
	return f
}

func runPurge(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newPurgeFlags()
	if err := f.parse(args, stdout); err != nil {
		return ignoreHelp(err)
	}
	cfg, err := loadConfig(getenv, stderr)
	if err != nil {
		return err
	}
	store, err := openMigrated(ctx, cfg, "purge")
	if err != nil {
		return err
	}
	defer store.Close()
	sch := newScheduler(store, cfg.Serve.Retention, cfg.Logger)
	for _, j := range sch.Jobs() {
		if f.dryRun {
			if j.Preview == nil {
				fmt.Fprintf(stdout, "%s: not run (a dry run changes nothing)\n", j.Name)
				continue
			}
			what, err := j.Preview(ctx)
			if err != nil {
				return fmt.Errorf("purge: %s: %w", j.Name, err)
			}
			fmt.Fprintf(stdout, "%s: %s\n", j.Name, what)
			continue
		}
		ran, err := sch.RunOnce(ctx, j)
		switch {
		case err != nil:
			return fmt.Errorf("purge: %w", err)
		case ran:
			fmt.Fprintf(stdout, "%s: done\n", j.Name)
		default:
			fmt.Fprintf(stdout, "%s: skipped, another instance is running it\n", j.Name)
		}
	}
	return nil
}
