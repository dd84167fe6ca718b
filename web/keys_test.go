package web

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"taskapp/models/dbtest"
)

func TestSessionKeysGeneratedOnceAndKept(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(t.TempDir(), "data") // not there yet
	first, err := SessionKeys("", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dataDir, sessionKeyFile)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no key file: %v", err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode = %v, want 0600", perm)
	}
	if dir, _ := os.Stat(dataDir); dir.Mode().Perm()&0o077 != 0 {
		t.Errorf("data directory mode = %v, want no access for group or others", dir.Mode().Perm())
	}
	written, _ := os.ReadFile(path)
	if secret := strings.TrimSpace(string(written)); len(secret) < minSecretLen {
		t.Errorf("generated secret is %d characters, want at least %d", len(secret), minSecretLen)
	}

	// A restart reuses the file rather than signing everyone out.
	second, err := SessionKeys("", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(first, second, slices.Equal) {
		t.Error("second start derived different keys from the kept secret")
	}
	if again, _ := os.ReadFile(path); string(again) != string(written) {
		t.Error("key file rewritten on the second start")
	}
	// The keys are the ones SESSION_SECRET set to the file's content gives.
	fromEnv, err := SessionKeys(strings.TrimSpace(string(written)), "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(first, fromEnv, slices.Equal) {
		t.Error("generated secret and the same SESSION_SECRET give different keys")
	}

	// Another data directory gets its own secret.
	other, err := SessionKeys("", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(first[0], other[0]) {
		t.Error("two data directories generated the same secret")
	}
}

func TestSessionKeysFromSecret(t *testing.T) {
	t.Parallel()
	a, b := strings.Repeat("a", 32), strings.Repeat("b", 40)
	keys, err := SessionKeys(" "+a+" , "+b, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// A signing and an encryption key per secret, the first secret first.
	if len(keys) != 4 {
		t.Fatalf("%d keys, want 4 (two per secret)", len(keys))
	}
	if len(keys[0]) != 64 || len(keys[1]) != 32 {
		t.Errorf("key sizes %d/%d, want 64 (HMAC) and 32 (AES-256)", len(keys[0]), len(keys[1]))
	}
	if slices.Equal(keys[0], keys[1]) || slices.Equal(keys[0], keys[2]) {
		t.Error("keys are not distinct")
	}
	onlyA, _ := SessionKeys(a, "")
	if !slices.EqualFunc(keys[:2], onlyA, slices.Equal) {
		t.Error("the first secret's keys depend on what follows it")
	}
	for _, bad := range []string{"short", a + ",short", a + ","} {
		if _, err := SessionKeys(bad, ""); err == nil {
			t.Errorf("SessionKeys(%q) accepted a secret under %d characters", bad, minSecretLen)
		}
	}
}

// TestSessionKeysForTheStore: with SESSION_SECRET unset, instances on one
// PostgreSQL database (two data directories, as on two machines) derive
// the same keys from the secret the database keeps, and write no file; on
// SQLite the key is the file in the data directory. A set secret wins
// either way.
func TestSessionKeysForTheStore(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	dirA, dirB := t.TempDir(), t.TempDir()
	a, err := SessionKeysFor(t.Context(), s, "", dirA)
	if err != nil {
		t.Fatal(err)
	}
	b, err := SessionKeysFor(t.Context(), s, "", dirB)
	if err != nil {
		t.Fatal(err)
	}
	_, statErr := os.Stat(filepath.Join(dirA, sessionKeyFile))
	if s.SharesSecrets() {
		if !slices.EqualFunc(a, b, slices.Equal) {
			t.Error("two instances on one PostgreSQL database derived different keys")
		}
		if statErr == nil {
			t.Error("a key file was written although the database keeps the secret")
		}
	} else {
		if slices.Equal(a[0], b[0]) {
			t.Error("two SQLite data directories share a key")
		}
		if statErr != nil {
			t.Errorf("no key file on SQLite: %v", statErr)
		}
	}
	set := strings.Repeat("z", minSecretLen)
	fromEnv, err := SessionKeysFor(t.Context(), s, set, dirA)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := SessionKeys(set, "")
	if !slices.EqualFunc(fromEnv, want, slices.Equal) {
		t.Error("SESSION_SECRET did not win over the generated secret")
	}
}
