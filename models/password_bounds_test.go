package models_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"taskapp/models"
)

// A hash whose parameters ask for absurd memory or passes (a tampered row)
// is refused rather than run.
func TestCheckPasswordRefusesAbusiveParameters(t *testing.T) {
	hash, err := models.HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !models.CheckPassword(hash, "correct horse") {
		t.Fatal("the genuine hash does not verify")
	}
	for _, params := range []string{"m=4194304,t=2,p=1", "m=19456,t=1000,p=1"} {
		tampered := strings.Replace(hash, "m=19456,t=2,p=1", params, 1)
		if models.CheckPassword(tampered, "correct horse") {
			t.Errorf("hash with %s verified", params)
		}
	}
}

// TestCheckPasswordRefusesGenuineHashesOverTheBounds builds hashes that are
// correct for their password but ask for one KiB of memory or one pass more
// than the bounds allow: they must be refused, not verified. (Tampered
// parameters above also fail because the key no longer matches; these only
// fail because of the bounds.)
func TestCheckPasswordRefusesGenuineHashesOverTheBounds(t *testing.T) {
	salt := []byte("0123456789abcdef")
	b64 := base64.RawStdEncoding
	for _, p := range []struct{ memory, time uint32 }{
		{256*1024 + 1, 1}, // a quarter of a GiB and one KiB, one pass
		{64, 17},          // little memory, one pass too many
	} {
		key := argon2.IDKey([]byte("pw"), salt, p.time, p.memory, 1, 32)
		hash := fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=1$%s$%s",
			argon2.Version, p.memory, p.time, b64.EncodeToString(salt), b64.EncodeToString(key))
		if models.CheckPassword(hash, "pw") {
			t.Errorf("hash with m=%d,t=%d verified", p.memory, p.time)
		}
	}
	// Control: the same construction within the bounds verifies.
	key := argon2.IDKey([]byte("pw"), salt, 1, 64, 1, 32)
	hash := fmt.Sprintf("$argon2id$v=%d$m=64,t=1,p=1$%s$%s", argon2.Version, b64.EncodeToString(salt), b64.EncodeToString(key))
	if !models.CheckPassword(hash, "pw") {
		t.Error("a genuine hash within the bounds does not verify")
	}
}
