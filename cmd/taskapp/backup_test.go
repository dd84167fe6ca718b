package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"taskapp/models/dbtest"
)

// TestBackupRestoreCommands drives backup and restore as an operator
// would: back up a seeded database, restore it elsewhere, be refused a
// second time, replace with --replace.
func TestBackupRestoreCommands(t *testing.T) {
	t.Parallel()
	src := environ{"DATABASE_URL": dbtest.URL(t)}
	mustRun(t, src, "seed")
	file := filepath.Join(t.TempDir(), "taskapp.backup")

	out := mustRun(t, src, "backup", file)
	if !strings.HasPrefix(out, "backed up 2 users and 3 tasks (schema ") || !strings.Contains(out, file) {
		t.Errorf("backup summary = %q", out)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*.tmp")); len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}

	dstURL := dbtest.URL(t)
	dst := environ{"DATABASE_URL": dstURL}
	out = mustRun(t, dst, "restore", file)
	if !strings.HasPrefix(out, "restored 2 users and 3 tasks from "+file) {
		t.Errorf("restore summary = %q", out)
	}
	s := openTestStore(t, dstURL)
	if _, err := s.UserByEmail(t.Context(), sampleAccounts[0]); err != nil {
		t.Errorf("restored database lacks %s: %v", sampleAccounts[0], err)
	}

	_, _, err := taskapp(t, dst, "restore", file)
	if err == nil || !strings.Contains(err.Error(), "--replace") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("second restore: %v, want a refusal that mentions --replace", err)
	}
	var ue *usageError
	if errors.As(err, &ue) {
		t.Errorf("a non-empty database is not a usage error: %v", err)
	}
	if out := mustRun(t, dst, "restore", file, "--replace"); !strings.HasPrefix(out, "restored 2 users") {
		t.Errorf("restore --replace summary = %q", out)
	}
	if n := dbtest.Count(t, s, "SELECT COUNT(*) FROM tasks"); n != 3 {
		t.Errorf("after --replace the database holds %d tasks, want 3", n)
	}
}

// TestRestoreRefusesForeignFile: a file that is not a backup is refused
// before the database is opened, so a new SQLite file is not even created.
func TestRestoreRefusesForeignFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	foreign := filepath.Join(dir, "notes.json")
	if err := os.WriteFile(foreign, []byte(`{"tasks":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dir, "new.db")
	_, _, err := taskapp(t, environ{"DATABASE_URL": "sqlite:" + dbPath}, "restore", foreign)
	if err == nil || !strings.Contains(err.Error(), "not a taskapp backup") {
		t.Fatalf("restore of a foreign file: %v", err)
	}
	if _, err := os.Stat(dbPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused restore created %s (%v)", dbPath, err)
	}
}

func TestBackupRestoreUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"backup"},
		{"backup", "a", "b"},
		{"backup", "--replace", "a"},
		{"restore"},
		{"restore", "a", "b"},
		{"restore", "--force", "a"},
	} {
		_, _, err := taskapp(t, environ{}, args...)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("taskapp %s: %v, want a usage error", strings.Join(args, " "), err)
		}
	}
}

// TestCheckCommand: check passes on a database the commands made, and a
// dropped trigger makes it fail with exit status 1 and the trigger named.
func TestCheckCommand(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.URL(t)
	env := environ{"DATABASE_URL": dbURL}
	mustRun(t, env, "seed")
	out := mustRun(t, env, "check")
	if !strings.Contains(out, "ok      schema matches the migrations") || !strings.Contains(out, "checks passed") {
		t.Errorf("check on a seeded database:\n%s", out)
	}

	s := openTestStore(t, dbURL)
	drop := "DROP TRIGGER update_users_updated_at"
	if strings.HasPrefix(dbURL, "postgres") {
		drop += " ON users"
	}
	if _, err := s.DB().ExecContext(t.Context(), drop); err != nil {
		t.Fatal(err)
	}
	out, _, err := taskapp(t, env, "check")
	var ue *usageError
	if err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), "1 problem(s) found") {
		t.Errorf("check after dropping a trigger: %v, want one problem (exit 1)", err)
	}
	if !strings.Contains(out, "FAILED  schema matches the migrations") || !strings.Contains(out, "missing trigger update_users_updated_at") {
		t.Errorf("check output does not name the dropped trigger:\n%s", out)
	}
}

// TestServeWritesAutomaticBackups: with BACKUP_DIR set, serve writes a
// backup (at start, there being none yet) that restores.
func TestServeWritesAutomaticBackups(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "backups")
	env := environ{"DATABASE_URL": dbtest.URL(t), "BACKUP_DIR": dir, "BACKUP_INTERVAL": "1h", "SESSION_SECRET": strings.Repeat("s", 32)}
	mustRun(t, env, "seed")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, env.getenv, strings.NewReader(""), io.Discard, io.Discard)
	}()
	var files []string
	for deadline := time.Now().Add(time.Minute); len(files) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		files, _ = filepath.Glob(filepath.Join(dir, "taskapp-*.jsonl.gz"))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if len(files) != 1 {
		t.Fatalf("serve wrote backups %v, want one", files)
	}
	out := mustRun(t, environ{"DATABASE_URL": dbtest.URL(t)}, "restore", files[0])
	if !strings.HasPrefix(out, "restored 2 users and 3 tasks") {
		t.Errorf("restore of the automatic backup: %q", out)
	}
}

func TestAutoBackupSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  environ
		want string // "" = accepted
	}{
		{environ{}, ""},
		{environ{"BACKUP_DIR": "b"}, ""},
		{environ{"BACKUP_DIR": "b", "BACKUP_INTERVAL": "6h", "BACKUP_KEEP": "30"}, ""},
		{environ{"BACKUP_DIR": "b", "BACKUP_INTERVAL": "daily"}, "BACKUP_INTERVAL"},
		{environ{"BACKUP_DIR": "b", "BACKUP_INTERVAL": "1s"}, "BACKUP_INTERVAL"},
		{environ{"BACKUP_DIR": "b", "BACKUP_KEEP": "0"}, "BACKUP_KEEP"},
		{environ{"BACKUP_INTERVAL": "24h"}, "need BACKUP_DIR"},
	} {
		cfg, err := loadConfig(tc.env.getenv, io.Discard)
		var ue *usageError
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.env, err)
		case tc.want != "" && (!errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: %v, want a usage error about %s", tc.env, err, tc.want)
		}
		if tc.want == "" && tc.env["BACKUP_DIR"] != "" && (cfg.Serve.Backups.Keep < 1 || cfg.Serve.Backups.Interval < time.Minute) {
			t.Errorf("%v: defaults not applied: %+v", tc.env, cfg.Serve.Backups)
		}
	}
}
