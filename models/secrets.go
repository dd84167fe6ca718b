package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
)

// errSharedSecrets is returned on SQLite, where a generated secret is a
// file in the data directory (web.SessionKeys).
var errSharedSecrets = errors.New("models: secrets are kept in the database on PostgreSQL only")

// SharesSecrets reports whether generated secrets are kept in the
// database (PostgreSQL), so that every instance on it uses the same one
// without configuration.
func (s *Store) SharesSecrets() bool { return s.SharesRateLimits() }

// SharedSecret returns the secret called name (at most 64 characters),
// generating it (32 random bytes, in hex) if no instance has yet. Every
// instance inserts its own candidate and keeps whatever is stored: the
// first insert wins, ON CONFLICT DO NOTHING makes the others no-ops, and
// the read that follows sees the winner. PostgreSQL only (SharesSecrets).
func (s *Store) SharedSecret(ctx context.Context, name string) (string, error) {
	if !s.SharesSecrets() {
		return "", errSharedSecrets
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	db, done := s.writer(ctx, 0)
	defer done()
	err := db.Exec(`INSERT INTO app_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
		name, hex.EncodeToString(raw)).Error
	if err != nil {
		return "", classify("models: store a generated secret", err)
	}
	var value string
	err = db.Raw(`SELECT value FROM app_secrets WHERE name = ?`, name).Row().Scan(&value)
	if err != nil {
		return "", classify("models: read a generated secret", err)
	}
	return value, nil
}
