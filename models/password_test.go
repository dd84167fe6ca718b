package models_test

import (
	"strings"
	"testing"

	"taskapp/models"
)

func TestPasswordHashing(t *testing.T) {
	t.Parallel()
	const pw = "correct horse battery staple"
	hash, err := models.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$") {
		t.Errorf("hash %q is not an argon2id PHC string", hash)
	}
	if len(hash) > 255 {
		t.Errorf("hash is %d characters; hashed_password holds 255", len(hash))
	}
	if strings.Contains(hash, pw) || strings.Contains(hash, "horse") {
		t.Errorf("hash %q contains the plaintext", hash)
	}
	if !models.CheckPassword(hash, pw) {
		t.Error("the right password does not verify")
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple", pw + " ", " " + pw} {
		if models.CheckPassword(hash, wrong) {
			t.Errorf("wrong password %q verifies", wrong)
		}
	}
	again, err := models.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if again == hash {
		t.Error("two hashes of one password are identical: no salt")
	}
	if !models.CheckPassword(again, pw) {
		t.Error("the second hash does not verify")
	}
}

// TestPasswordNotTruncated: bcrypt ignores everything after byte 72; the
// product contract forbids that silent truncation.
func TestPasswordNotTruncated(t *testing.T) {
	t.Parallel()
	prefix := strings.Repeat("p", 72)
	hash, err := models.HashPassword(prefix + "-one")
	if err != nil {
		t.Fatal(err)
	}
	if !models.CheckPassword(hash, prefix+"-one") {
		t.Fatal("the long password does not verify")
	}
	for _, other := range []string{prefix + "-two", prefix, prefix + "-on"} {
		if models.CheckPassword(hash, other) {
			t.Errorf("a password equal in its first 72 bytes verifies (%d bytes)", len(other))
		}
	}
	// Multi-byte characters across the boundary too.
	long := strings.Repeat("日", 30) // 90 bytes
	hash, err = models.HashPassword(long + "a")
	if err != nil {
		t.Fatal(err)
	}
	if models.CheckPassword(hash, long+"b") {
		t.Error("a 91-byte password differing in its last byte verifies")
	}
}

func TestCheckPasswordMalformedHash(t *testing.T) {
	t.Parallel()
	good, err := models.HashPassword("password123")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$") // "", argon2id, v=19, m=…,t=…,p=…, salt, key
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	flipped := []byte(parts[5])
	flipped[0] ^= 1 // still base64, different key
	tests := map[string]string{
		"empty":                "",
		"plaintext":            "password123",
		"bcrypt":               "$2b$12$C6UzMDM.H6dfI/f/IKcEeO8Wz0L1BZ1eE9DqOeFZuL5JvIsOB1hS6",
		"argon2i":              with(1, "argon2i"),
		"other version":        with(2, "v=16"),
		"no version":           with(2, "19"),
		"no parameters":        with(3, ""),
		"salt not base64":      with(4, "!!!"),
		"key not base64":       with(5, "!!!"),
		"empty key":            with(5, ""),
		"other key":            with(5, string(flipped)),
		"missing field":        strings.Join(parts[:5], "$"),
		"extra field":          good + "$extra",
		"zero passes":          with(3, "m=19456,t=0,p=1"),
		"zero lanes":           with(3, "m=19456,t=2,p=0"),
		"lanes out of range":   with(3, "m=19456,t=2,p=256"),
		"negative memory":      with(3, "m=-1,t=2,p=1"),
		"parameters as text":   with(3, "m=a,t=b,p=c"),
		"other salt":           with(4, "c2FsdHNhbHRzYWx0c2FsdA"),
		"other parameter pass": with(3, "m=19456,t=3,p=1"),
	}
	for name, hash := range tests {
		t.Run(name, func(t *testing.T) {
			if models.CheckPassword(hash, "password123") {
				t.Errorf("CheckPassword(%q) = true", hash)
			}
		})
	}
	if !models.CheckPassword(good, "password123") {
		t.Error("the untouched hash does not verify")
	}
}

// The hash sign-in checks for an unknown email is read like a real one,
// with today's parameters (so the check costs the same), matches no
// password, and is different each time.
func TestUnmatchableHash(t *testing.T) {
	h1, err := models.UnmatchableHash()
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := models.UnmatchableHash()
	real, _ := models.HashPassword("anything")
	u, r := strings.Split(h1, "$"), strings.Split(real, "$")
	if len(u) != 6 || strings.Join(u[:4], "$") != strings.Join(r[:4], "$") || len(u[4]) != len(r[4]) || len(u[5]) != len(r[5]) {
		t.Errorf("unmatchable hash %q is not shaped like a real one, %q", h1, real)
	}
	for _, pw := range []string{"", "anything", "correct horse battery"} {
		if models.CheckPassword(h1, pw) {
			t.Errorf("%q matches the unmatchable hash", pw)
		}
	}
	if h1 == h2 {
		t.Error("two unmatchable hashes are the same")
	}
}
