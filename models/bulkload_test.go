package models_test

import (
	"errors"
	"slices"
	"testing"

	"taskapp/migrations"
	"taskapp/models"
	"taskapp/models/dbtest"
)

// TestSeedVolumeKeepsSchema: on PostgreSQL a volume seed into an empty
// tasks table drops the secondary indexes and the foreign key for the
// load and rebuilds them from the catalog. Afterwards the schema must be
// exactly what the migrations made, and the foreign key must hold again.
func TestSeedVolumeKeepsSchema(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	schema := func() [][]string {
		if s.Dialect() == migrations.Postgres {
			return rows(t, s, `SELECT indexname, indexdef FROM pg_indexes
				WHERE schemaname = current_schema() AND tablename = 'tasks'
				UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
				WHERE conrelid = 'tasks'::regclass
				ORDER BY 1`)
		}
		return rows(t, s, `SELECT name, sql FROM sqlite_master WHERE tbl_name = 'tasks' ORDER BY name`)
	}
	before := schema()
	if err := s.SeedVolume(ctx, models.VolumeOptions{Users: 5, Tasks: 500}); err != nil {
		t.Fatal(err)
	}
	if after := schema(); !slices.EqualFunc(before, after, slices.Equal) {
		t.Errorf("schema after the seed:\n got  %q\n want %q", after, before)
	}
	if _, err := s.CreateTask(ctx, 1_000_000, models.TaskInput{Title: "Orphan"}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("task for a missing user after the seed: %v, want ErrNotFound", err)
	}
	// A second seed loads into a table that holds tasks, indexes in place.
	if err := s.SeedVolume(ctx, models.VolumeOptions{Users: 2, Tasks: 100}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks"); n != 600 {
		t.Errorf("%d tasks after two seeds, want 600", n)
	}
	if after := schema(); !slices.EqualFunc(before, after, slices.Equal) {
		t.Errorf("schema after the second seed:\n got  %q\n want %q", after, before)
	}
}
