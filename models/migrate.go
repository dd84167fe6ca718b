package models

import (
	"context"
	"fmt"
	"time"

	"taskapp/migrations"
)

// AppliedMigration is one migration that Migrate applied.
type AppliedMigration struct {
	Version  int64
	Name     string // the file name's description, e.g. create_users_table
	Duration time.Duration
}

// Migrated says what Migrate did.
type Migrated struct {
	// Applied lists the migrations applied, oldest first; after a failure,
	// those applied before it.
	Applied []AppliedMigration
	// Version is the schema version the database is left at.
	Version int64
}

// Migrate applies every pending migration. It is the one way up for every
// command (serve, migrate up, seed) and for tests; callers report what it
// returns in their own words.
//
// On an up-to-date database it never takes the migration lock (goose's Up
// checks for pending migrations first; GetVersions, unlike GetDBVersion,
// does not lock). The lock is a session advisory lock, which a
// transaction-mode pooler (Neon's pooled endpoint, PgBouncer) cannot hold
// reliably, so a restart there must not depend on it.
func (s *Store) Migrate(ctx context.Context) (Migrated, error) {
	var m Migrated
	p, err := migrations.NewProvider(s.writeDB, s.dialect, nil)
	if err != nil {
		return m, err
	}
	results, err := p.Up(ctx)
	// Up returns what it applied before a failure, with the error.
	for _, r := range results {
		if r.Error == nil {
			m.Applied = append(m.Applied, AppliedMigration{Version: r.Source.Version, Name: migrations.Name(r.Source), Duration: r.Duration})
		}
	}
	if err != nil {
		return m, fmt.Errorf("models: migrate: %w", err)
	}
	if m.Version, _, err = p.GetVersions(ctx); err != nil {
		return m, fmt.Errorf("models: migrate: %w", err)
	}
	return m, nil
}
