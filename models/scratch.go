package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"taskapp/migrations"
)

// OpenScratch opens an empty, throwaway database of s's dialect, for
// comparing s's schema with what the migrations build: a temporary SQLite
// file, or on PostgreSQL a new schema in s's database (the app's role can
// create one without the right to create databases) that the returned
// store's connections put first on their search_path. drop closes it and
// removes the file or the schema with everything in it.
func (s *Store) OpenScratch(ctx context.Context) (scratch *Store, drop func() error, err error) {
	if s.dialect == migrations.SQLite {
		dir, err := os.MkdirTemp("", "taskapp-scratch-")
		if err != nil {
			return nil, nil, fmt.Errorf("models: scratch database: %w", err)
		}
		scratch, err := Open(ctx, Config{URL: "sqlite:" + filepath.Join(dir, "scratch.db"), PoolSize: 1})
		if err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
		return scratch, func() error { scratch.Close(); return os.RemoveAll(dir) }, nil
	}

	b := make([]byte, 6)
	rand.Read(b)
	schema := "taskapp_scratch_" + hex.EncodeToString(b)
	// Names made here from hex digits: nothing to quote.
	if _, err := s.writeDB.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return nil, nil, classify("models: scratch schema", err)
	}
	dropSchema := func() error {
		_, err := s.writeDB.ExecContext(context.WithoutCancel(ctx), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
		return classify("models: drop scratch schema", err)
	}
	u, err := url.Parse(s.url)
	if err != nil {
		dropSchema()
		return nil, nil, fmt.Errorf("models: scratch database: %w", err)
	}
	q := u.Query()
	// pgx passes unknown URL parameters to the server as settings.
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	scratch, err = Open(ctx, Config{URL: u.String(), PoolSize: 1})
	if err != nil {
		dropSchema()
		return nil, nil, err
	}
	return scratch, func() error { scratch.Close(); return dropSchema() }, nil
}
