// Package dbtest gives each test a fresh, migrated database: SQLite in the
// test's temporary directory by default, or a new PostgreSQL database on the
// server named by TEST_DATABASE_URL. Each is removed when the test ends, so
// tests never see each other's rows and may run in parallel.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for the admin connection

	"taskapp/models"
)

// EnvURL names the variable that switches tests to PostgreSQL.
const EnvURL = "TEST_DATABASE_URL"

// Postgres reports whether tests run against PostgreSQL.
func Postgres() bool { return os.Getenv(EnvURL) != "" }

// URL creates an empty database for t and returns its DATABASE_URL. The
// database is dropped when t ends.
func URL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvURL)
	if admin == "" {
		return "sqlite:" + filepath.Join(t.TempDir(), "taskapp.db")
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("dbtest: %s is not a URL: %v", EnvURL, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "taskapp_test_" + hex.EncodeToString(b)

	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	ctx := context.Background()
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+ident); err != nil {
		db.Close()
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("dbtest: drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// Open opens a store on a fresh, empty database (not migrated) with cfg's
// pool settings; cfg.URL is filled in.
func Open(t testing.TB, cfg models.Config) *models.Store {
	t.Helper()
	cfg.URL = URL(t)
	s, err := models.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// New returns a store on a fresh, migrated database.
func New(t testing.TB) *models.Store {
	t.Helper()
	s := Open(t, models.Config{})
	if err := s.Migrate(context.Background(), nil); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	return s
}
