package backup_test

import (
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"taskapp/models/backup"
	"taskapp/models/bulkload"
	"taskapp/models/dbtest"
)

// TestAutoKeepsTheNewest runs the automatic backup job at successive
// times: it writes a backup only once the interval has passed since the
// newest, keeps the newest Keep, leaves other files alone, and each file
// it keeps restores.
func TestAutoKeepsTheNewest(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	fill(t, s)
	dir := filepath.Join(t.TempDir(), "backups")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(other, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	a := &backup.Auto{Dir: dir, Interval: 24 * time.Hour, Keep: 2, Store: s,
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return clock }}

	for _, step := range []struct {
		after time.Duration
		want  []string
	}{
		{0, []string{"taskapp-20261201T030000Z.jsonl.gz"}},
		{time.Hour, []string{"taskapp-20261201T030000Z.jsonl.gz"}}, // a restart within the interval
		{23 * time.Hour, []string{"taskapp-20261201T030000Z.jsonl.gz", "taskapp-20261202T030000Z.jsonl.gz"}},
		{24 * time.Hour, []string{"taskapp-20261202T030000Z.jsonl.gz", "taskapp-20261203T030000Z.jsonl.gz"}},
	} {
		clock = clock.Add(step.after)
		if err := a.Run(t.Context()); err != nil {
			t.Fatalf("at %s: %v", clock, err)
		}
		got, _ := filepath.Glob(filepath.Join(dir, "taskapp-*"))
		for i := range got {
			got[i] = filepath.Base(got[i])
		}
		if !slices.Equal(got, step.want) {
			t.Errorf("at %s: backups %v, want %v", clock, got, step.want)
		}
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("the job touched a file that is not its own: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "taskapp-20261203T030000Z.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	dst := dbtest.New(t)
	if err := restore(t, dst, data, bulkload.RowsOptions{}); err != nil {
		t.Fatalf("restore the automatic backup: %v", err)
	}
	sameData(t, "automatic backup", read(t, write(t, dst)), read(t, write(t, s)))
}
