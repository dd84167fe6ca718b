package models_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"taskapp/models"
	"taskapp/models/dbtest"
)

func TestDatabaseEchoLogsPlaceholdersNotValues(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer // GORM logs on the goroutine that runs the statement
	s := dbtest.Open(t, models.Config{Echo: true, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx := context.Background()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const hash, title = "$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0c2FsdA$c2VjcmV0a2V5", "my secret plan"
	u, err := s.CreateUser(ctx, "echo@example.com", hash)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: title}); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "INSERT INTO") {
		t.Fatalf("DATABASE_ECHO logged no INSERT:\n%s", out)
	}
	for _, secret := range []string{"c2VjcmV0a2V5", title, "echo@example.com"} {
		if strings.Contains(out, secret) {
			t.Errorf("DATABASE_ECHO logged the value %q:\n%s", secret, out)
		}
	}
}

func TestSQLiteFilesAreOwnerOnly(t *testing.T) {
	t.Parallel()
	// SQLite whatever TEST_DATABASE_URL says: the files are the point.
	path := filepath.Join(t.TempDir(), "taskapp.db")
	s, err := models.Open(context.Background(), models.Config{URL: "sqlite:" + path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(context.Background(), "files@example.com", "x"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(name), err)
			continue
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", filepath.Base(name), mode)
		}
	}
}
