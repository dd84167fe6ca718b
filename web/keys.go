package web

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// sessionKeyFile is where a generated secret is kept when SESSION_SECRET is
// unset, so that sessions survive restarts.
const sessionKeyFile = "session.key"

// minSecretLen rejects secrets too short to resist guessing.
const minSecretLen = 32

// SessionKeys turns SESSION_SECRET into gorilla/sessions key pairs. The
// value may list several secrets separated by commas: the first signs new
// cookies and all are accepted, so a secret can be rotated without signing
// everyone out. With no secret, one is generated once and kept in dataDir
// with 0600 permissions.
func SessionKeys(secret, dataDir string) ([][]byte, error) {
	if strings.TrimSpace(secret) == "" {
		var err error
		if secret, err = loadOrCreateSecret(dataDir); err != nil {
			return nil, err
		}
	}
	var keys [][]byte
	for _, s := range strings.Split(secret, ",") {
		s = strings.TrimSpace(s)
		if len(s) < minSecretLen {
			return nil, fmt.Errorf("web: each SESSION_SECRET must be at least %d characters (try: openssl rand -hex 32)", minSecretLen)
		}
		// Separate keys for signing (HMAC) and encryption (AES-256) derived
		// from one secret, so operators manage a single value.
		hashKey, err := hkdf.Key(sha256.New, []byte(s), nil, "taskapp session signing", 64)
		if err != nil {
			return nil, fmt.Errorf("web: derive session key: %w", err)
		}
		blockKey, err := hkdf.Key(sha256.New, []byte(s), nil, "taskapp session encryption", 32)
		if err != nil {
			return nil, fmt.Errorf("web: derive session key: %w", err)
		}
		keys = append(keys, hashKey, blockKey)
	}
	return keys, nil
}

// sessionSecretName names the generated session secret in a store that
// keeps secrets (models.Store.SharedSecret).
const sessionSecretName = "session"

// ErrSecretStore is SessionKeysFor's error when the store could not give
// the generated secret: a database problem, not a configuration one.
var ErrSecretStore = errors.New("web: read or store the generated session secret")

// secretStore is what SessionKeysFor needs of the store.
type secretStore interface {
	SharesSecrets() bool
	SharedSecret(ctx context.Context, name string) (string, error)
}

// SessionKeysFor is SessionKeys for a server on store. With no secret, a
// store that keeps secrets for every instance (PostgreSQL) generates the
// session secret once and every instance on it uses that one, so several
// instances need no configuration to accept each other's cookies; other
// stores (SQLite: one process) use the file under dataDir.
func SessionKeysFor(ctx context.Context, store secretStore, secret, dataDir string) ([][]byte, error) {
	if strings.TrimSpace(secret) == "" && store.SharesSecrets() {
		var err error
		if secret, err = store.SharedSecret(ctx, sessionSecretName); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSecretStore, err)
		}
	}
	return SessionKeys(secret, dataDir)
}

func loadOrCreateSecret(dataDir string) (string, error) {
	path := filepath.Join(dataDir, sessionKeyFile)
	b, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("web: read session secret: %w", err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", fmt.Errorf("web: create data directory: %w", err)
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	secret := hex.EncodeToString(raw)
	// O_EXCL: if another instance wrote the file first, use theirs.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return loadOrCreateSecret(dataDir)
	}
	if err != nil {
		return "", fmt.Errorf("web: write session secret: %w", err)
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		f.Close()
		return "", fmt.Errorf("web: write session secret: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("web: write session secret: %w", err)
	}
	return secret, nil
}
