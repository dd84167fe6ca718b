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
func newScheduler(store *models.Store, logger *slog.Logger) *schedule.Scheduler {
	s := schedule.New(store, logger)
	store.RegisterJobs(s)
	return s
}

func newPurgeFlags() commandFlags {
	return newCommandFlags("purge", `Usage: taskapp purge

Runs the periodic clean-up once, now: deletes expired sessions, and erases
the accounts deleted longer ago than ACCOUNT_RETENTION (default 30 days)
with their tasks. The server does the same when it starts and every hour;
this is for cron, or for a database no server is running on. Safe to run
at any time, on any number of machines at once.
`)
}

func runPurge(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if err := newPurgeFlags().parse(args, stdout); err != nil {
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
	sch := newScheduler(store, cfg.Logger)
	for _, j := range sch.Jobs() {
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
