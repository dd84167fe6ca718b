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
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

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
	u, drop, err := CreatePostgres(context.Background(), admin, "taskapp_test_")
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Errorf("dbtest: %v", err)
		}
	})
	return u
}

// CreatePostgres creates an empty database, named prefix and a random
// suffix, on the PostgreSQL server adminURL reaches, and returns its URL
// and a function that drops it (forcibly: whoever is still connected is
// disconnected). The benchmark commands use it too.
func CreatePostgres(ctx context.Context, adminURL, prefix string) (string, func() error, error) {
	u, err := url.Parse(adminURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, errors.New("dbtest: not a postgres:// URL")
	}
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return "", nil, fmt.Errorf("dbtest: %w", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := prefix + hex.EncodeToString(b)
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+ident); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("dbtest: create database on %s: %w", u.Host, err)
	}
	drop := func() error {
		defer admin.Close()
		// Not the caller's context: it may be cancelled by the time the
		// database has to go.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("dbtest: drop database %s: %w", name, err)
		}
		return nil
	}
	u.Path = "/" + name
	return u.String(), drop, nil
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
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	return s
}
