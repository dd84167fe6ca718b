package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"taskapp/cmd/internal/seedbar"
	"taskapp/models"
	"taskapp/models/bulkload"
)

// sampleAccounts are the schema spec's sample users, which
// models.SeedSample creates; the seed command's test checks that they
// exist after seeding.
var sampleAccounts = []string{"user@example.com", "user2@example.com"}

type seedFlags struct {
	users, tasks int
	seed         uint64
}

func newSeedFlags(f *seedFlags) commandFlags {
	fs := newCommandFlags("seed", `Usage: taskapp seed [--users N --tasks M [--seed S]]

Applies pending migrations, then adds data:
  - with no flags, the schema spec's sample accounts and their three tasks
    (running it again changes nothing);
  - with --users and --tasks, N generated accounts (seedK@example.com) and
    M tasks spread among them, with a progress bar on standard error.
    Each run adds more accounts, numbered on from the last.
Every seeded account's password is `+models.SamplePassword+`.

Flags:
`)
	fs.IntVar(&f.users, "users", 0, "generate `N` accounts")
	fs.IntVar(&f.tasks, "tasks", 0, "generate `M` tasks among the generated accounts")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed `S` for the generated data: the same seed gives the same data")
	return fs
}

func runSeed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var f seedFlags
	fs := newSeedFlags(&f)
	if err := fs.parse(args, stdout); err != nil {
		return ignoreHelp(err)
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	volume := set["users"] || set["tasks"]
	switch {
	case set["seed"] && !volume:
		return usageErrorf("seed: --seed applies only with --users and --tasks")
	case volume && !set["users"]:
		return usageErrorf("seed: --tasks needs --users: the tasks are spread among the generated accounts")
	case volume && f.users < 1:
		return usageErrorf("seed: --users must be at least 1, not %d", f.users)
	case f.tasks < 0:
		return usageErrorf("seed: --tasks must not be negative, not %d", f.tasks)
	}

	cfg, err := loadConfig(getenv, stderr)
	if err != nil {
		return err
	}
	store, err := openMigrated(ctx, cfg, "seed")
	if err != nil {
		return err
	}
	defer store.Close()
	if !volume {
		return seedSample(ctx, store, stdout)
	}
	return seedVolume(ctx, store, f, stdout, stderr)
}

func seedSample(ctx context.Context, store *models.Store, stdout io.Writer) error {
	if err := store.SeedSample(ctx); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintln(stdout, "The schema spec's sample accounts and tasks are in place. Sign in with:")
	for _, email := range sampleAccounts {
		fmt.Fprintf(stdout, "  %-20s password %s\n", email, models.SamplePassword)
	}
	return nil
}

func seedVolume(ctx context.Context, store *models.Store, f seedFlags, stdout, stderr io.Writer) error {
	bar := seedbar.New(stderr, f.users, f.tasks)
	start := time.Now()
	err := bulkload.Load(ctx, store, bulkload.Options{
		Users:    f.users,
		Tasks:    f.tasks,
		Seed:     f.seed,
		Progress: bar.Add,
	})
	if err != nil {
		bar.Abort()
		return fmt.Errorf("seed: %w", err)
	}
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "seeded %d accounts and %d tasks in %s (%.0f rows/s)\n",
		f.users, f.tasks, elapsed.Round(time.Millisecond), float64(f.users+f.tasks)/elapsed.Seconds())
	fmt.Fprintf(stdout, "generated accounts are seedK@example.com, all with password %s\n", models.SamplePassword)
	return nil
}
