package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/pressly/goose/v3"

	"taskapp/migrations"
	"taskapp/models"
)

const migrateUsage = `Usage: taskapp migrate up|down|status

  up      apply every pending migration, printing each one
  down    roll back the most recently applied migration
  status  list every migration with when it was applied, or pending

The migrations are embedded in the binary; DATABASE_URL says where they
go. On PostgreSQL an advisory lock lets only one instance migrate at once.
`

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 1 && isHelpFlag(args[0]) {
		fmt.Fprint(stdout, migrateUsage)
		return nil
	}
	if len(args) != 1 {
		return usageErrorf("migrate needs one of up, down or status (run 'taskapp help migrate' for usage)")
	}
	action := args[0]
	switch action {
	case "up", "down", "status":
	default:
		return usageErrorf("migrate: unknown action %q: want up, down or status", action)
	}
	cfg, err := loadConfig(getenv, stderr)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	if action == "up" {
		return migrateUp(ctx, store, stdout)
	}
	// No logger: each command prints its own account of what it did.
	p, err := migrations.NewProvider(store.DB(), store.Dialect(), nil)
	if err != nil {
		return err
	}
	switch action {
	case "down":
		return migrateDown(ctx, p, stdout)
	default:
		return migrateStatus(ctx, p, stdout)
	}
}

// migrateUp applies every pending migration, printing one line for each
// and one for the resulting version.
func migrateUp(ctx context.Context, store *models.Store, stdout io.Writer) error {
	m, err := store.Migrate(ctx)
	for _, a := range m.Applied {
		fmt.Fprintf(stdout, "applied   %d %s (%s)\n", a.Version, a.Name, roundDuration(a.Duration))
	}
	if err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	if len(m.Applied) == 0 {
		fmt.Fprintf(stdout, "database is up to date at version %d\n", m.Version)
	} else {
		fmt.Fprintf(stdout, "database is now at version %d\n", m.Version)
	}
	return nil
}

func migrateDown(ctx context.Context, p *goose.Provider, stdout io.Writer) error {
	r, err := p.Down(ctx)
	if errors.Is(err, goose.ErrNoNextVersion) {
		return errors.New("migrate down: no applied migration to roll back")
	}
	if err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	fmt.Fprintf(stdout, "rolled back %s (%s)\n", migrationLabel(r.Source), roundDuration(r.Duration))
	version, _, err := p.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	fmt.Fprintf(stdout, "database is now at version %d\n", version)
	return nil
}

func migrateStatus(ctx context.Context, p *goose.Provider, stdout io.Writer) error {
	statuses, err := p.Status(ctx)
	if err != nil {
		return fmt.Errorf("migrate status: %w", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tAPPLIED AT")
	pending := 0
	for _, s := range statuses {
		applied := "pending"
		if s.State == goose.StateApplied {
			applied = s.AppliedAt.UTC().Format("2006-01-02 15:04:05 UTC")
		} else {
			pending++
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\n", s.Source.Version, migrations.Name(s.Source), applied)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d applied, %d pending\n", len(statuses)-pending, pending)
	return nil
}

func migrationLabel(src *goose.Source) string {
	return fmt.Sprintf("%d %s", src.Version, migrations.Name(src))
}

func roundDuration(d time.Duration) time.Duration {
	if d >= 10*time.Millisecond {
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Microsecond)
}
