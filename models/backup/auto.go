package backup

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"taskapp/models"
)

// DefaultKeep is how many automatic backups are kept unless told otherwise.
const DefaultKeep = 7

// Auto writes backups into a directory on a schedule and keeps the newest
// few: the automatic backups serve takes with BACKUP_DIR set.
type Auto struct {
	Dir      string
	Interval time.Duration
	Keep     int
	Store    *models.Store
	// Logger receives a line per backup written or removed; required.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// autoPrefix and autoSuffix frame an automatic backup's name around its
// UTC time, so that names sort in time order.
const (
	autoPrefix = "taskapp-"
	autoSuffix = ".jsonl.gz"
	autoLayout = "20060102T150405Z"
)

// Run is the job: unless the newest backup in Dir is younger than the
// interval (a restart does not take another one), it writes a new backup,
// then deletes all but the newest Keep. It is safe to run at any time and
// as often as a scheduler likes.
func (a *Auto) Run(ctx context.Context) error {
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}

	if err := os.MkdirAll(a.Dir, 0o700); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	names, err := a.backups()
	if err != nil {
		return err
	}
	t := now().UTC()
	if len(names) > 0 {
		if last, ok := backupTime(names[len(names)-1]); ok && t.Sub(last) < a.Interval {
			return nil
		}
	}
	path := filepath.Join(a.Dir, autoPrefix+t.Format(autoLayout)+autoSuffix)
	start := time.Now()
	h, size, err := WriteFile(ctx, a.Store, path, Options{})
	if err != nil {
		return err
	}
	a.Logger.Info("backup written", "file", path, "users", h.Users, "tasks", h.Tasks,
		"bytes", size, "duration", time.Since(start).Round(time.Millisecond))
	return a.prune()
}

// backups lists the automatic backups in Dir, oldest first.
func (a *Auto) backups() ([]string, error) {
	entries, err := os.ReadDir(a.Dir)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	var names []string
	for _, e := range entries {
		if _, ok := backupTime(e.Name()); ok && e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

func backupTime(name string) (time.Time, bool) {
	stamp, ok := strings.CutPrefix(name, autoPrefix)
	if !ok {
		return time.Time{}, false
	}
	if stamp, ok = strings.CutSuffix(stamp, autoSuffix); !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(autoLayout, stamp)
	return t, err == nil
}

// prune deletes all but the newest Keep automatic backups. Other files in
// the directory are never touched.
func (a *Auto) prune() error {
	names, err := a.backups()
	if err != nil {
		return err
	}
	for _, name := range names[:max(0, len(names)-max(a.Keep, 1))] {
		if err := os.Remove(filepath.Join(a.Dir, name)); err != nil {
			return fmt.Errorf("backup: prune: %w", err)
		}
		a.Logger.Info("old backup removed", "file", name)
	}
	return nil
}

// Serve runs the job at once and then every interval until ctx is done,
// logging failures: serve's own ticker until the shared scheduler lands.
func (a *Auto) Serve(ctx context.Context) {
	tick := time.NewTicker(a.Interval)
	defer tick.Stop()
	for {
		if err := a.Run(ctx); err != nil && ctx.Err() == nil {
			a.Logger.Error("automatic backup failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
