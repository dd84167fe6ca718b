package models

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, 1
// lane). The parameters are stored in each hash, so raising them later
// leaves existing hashes verifiable.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16

	// Upper bounds on parameters read back from a stored hash: far above
	// today's, so a future increase still verifies.
	maxArgonMemoryKiB = 256 * 1024
	maxArgonTime      = 16
)

var errMalformedHash = errors.New("models: malformed password hash")

// HashPassword returns an argon2id hash in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$key). Unlike bcrypt it reads the whole
// password, so nothing past 72 bytes is silently ignored.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("models: password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	return encodeHash(salt, key), nil
}

// encodeHash is the PHC string of salt and key with today's parameters.
func encodeHash(salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemoryKiB, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// UnmatchableHash returns a hash in HashPassword's format and with its
// parameters whose key is random bytes rather than the hash of a password:
// checking any password against it costs what checking a real one does,
// and none matches (that would take finding a 256-bit key). Sign-in checks
// it for an unknown email, so that an unknown email and a wrong password
// take the same time; made this way it costs nothing to create, where
// hashing a throwaway password at start-up cost one argon2id hash (19 MiB,
// tens of milliseconds) before the server could answer.
func UnmatchableHash() (string, error) {
	salt := make([]byte, argonSaltLen+argonKeyLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("models: unmatchable hash: %w", err)
	}
	return encodeHash(salt[:argonSaltLen], salt[argonSaltLen:]), nil
}

// CheckPassword reports whether password matches hash, in time that does
// not depend on where the two differ.
func CheckPassword(hash, password string) bool {
	p, salt, key, err := decodeHash(hash)
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

type argonParams struct {
	memory  uint32
	time    uint32
	threads uint8
}

func decodeHash(hash string) (argonParams, []byte, []byte, error) {
	var p argonParams
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, errMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, errMalformedHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, nil, nil, errMalformedHash
	}
	if p.time < 1 || p.threads < 1 { // argon2 panics on either
		return p, nil, nil, errMalformedHash
	}
	// A stored hash decides how much work and memory a sign-in costs; a
	// tampered row must not be able to exhaust the server.
	if p.memory > maxArgonMemoryKiB || p.time > maxArgonTime {
		return p, nil, nil, errMalformedHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, errMalformedHash
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) == 0 {
		return p, nil, nil, errMalformedHash
	}
	return p, salt, key, nil
}
