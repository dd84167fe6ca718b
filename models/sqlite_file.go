package models

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// createPrivate creates the database file, if it does not exist, readable
// by its owner only. SQLite would create it 0644 (less the umask), and it
// creates -wal and -shm with the database file's permissions, so those
// follow. An existing file keeps the permissions its operator gave it.
func createPrivate(path string) error {
	if path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil // not a plain file name; SQLite decides
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("models: create database file: %w", err)
	}
	// Chmod too: OpenFile's mode is filtered by the umask, which could
	// be stricter than the owner's read and write.
	err = f.Chmod(0o600)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("models: create database file: %w", err)
	}
	return nil
}
