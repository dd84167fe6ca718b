package main

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"taskapp/models"
	"taskapp/models/backup"
)

// autoBackupConfig is serve's schedule of automatic backups; off while Dir
// is empty.
type autoBackupConfig struct {
	Dir      string        // BACKUP_DIR
	Interval time.Duration // BACKUP_INTERVAL, default 24h (the spec's RPO)
	Keep     int           // BACKUP_KEEP, default backup.DefaultKeep
}

const defaultBackupInterval = 24 * time.Hour

// loadAutoBackupConfig reads BACKUP_DIR, BACKUP_INTERVAL and BACKUP_KEEP.
func loadAutoBackupConfig(getenv func(string) string) (autoBackupConfig, error) {
	env := func(name string) string { return strings.TrimSpace(getenv(name)) }
	c := autoBackupConfig{Dir: env("BACKUP_DIR"), Interval: defaultBackupInterval, Keep: backup.DefaultKeep}
	if v := env("BACKUP_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			return c, usageErrorf("BACKUP_INTERVAL must be a duration of at least 1m, such as 24h or 6h, not %q", v)
		}
		c.Interval = d
	}
	if v := env("BACKUP_KEEP"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, usageErrorf("BACKUP_KEEP must be a whole number of at least 1, not %q", v)
		}
		c.Keep = n
	}
	if c.Dir == "" && (env("BACKUP_INTERVAL") != "" || env("BACKUP_KEEP") != "") {
		return c, usageErrorf("BACKUP_INTERVAL and BACKUP_KEEP need BACKUP_DIR, the directory to write backups to")
	}
	return c, nil
}

// startAutoBackups runs the automatic backup job in the background until
// ctx is done; wait returns once it has stopped, so that the store is not
// closed under a backup. It is a plain ticker for now: when the shared
// scheduler (models/schedule) lands, the job registers there instead.
func startAutoBackups(ctx context.Context, c autoBackupConfig, store *models.Store, logger *slog.Logger) (wait func()) {
	if c.Dir == "" {
		return func() {}
	}
	job := &backup.Auto{Dir: c.Dir, Interval: c.Interval, Keep: c.Keep, Store: store, Logger: logger}
	logger.Info("automatic backups on", "dir", c.Dir, "interval", c.Interval, "keep", c.Keep)
	var wg sync.WaitGroup
	wg.Go(func() { job.Serve(ctx) })
	return wg.Wait
}
