package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"taskapp/migrations"
)

// TokenBucket names one rate-limit bucket and the limit it is under: Burst
// attempts at once, then one more every Every.
type TokenBucket struct {
	// Limit names the limit ("login-ip"); Key the bucket within it (an
	// address, an email). Only a hash of the two is stored.
	Limit, Key string
	Burst      int
	Every      time.Duration
}

// errSharedBuckets is returned on SQLite, whose rate limits are counted in
// the one process that owns the file.
var errSharedBuckets = errors.New("models: rate limits are kept in the database on PostgreSQL only")

// SharesRateLimits reports whether the rate limits' buckets are kept in
// the database (PostgreSQL: every instance counts the same attempts), so
// that TakeTokens and ReturnTokens may be used.
func (s *Store) SharesRateLimits() bool { return s.dialect == migrations.Postgres }

// takeTokensSQL takes a token from every bucket it is given in one
// statement (one round trip). A bucket is GCRA's tat, the time it is full
// again (see the migration 202612071200): taking a token moves tat one
// period on from now or from where it was, whichever is later, and is
// allowed while that stays within burst periods of now. A refused
// attempt leaves tat alone and returns how long until a token is there.
// The rows are inserted in key order, so two attempts on the same buckets
// lock them in the same order and never deadlock. LOCALTIMESTAMP is the
// database's clock (UTC, see openPgxDB), the same for every instance.
const takeTokensSQL = `
INSERT INTO rate_limit_buckets AS b (key, tat, period, burst, allowed)
SELECT t.key, LOCALTIMESTAMP + t.period, t.period, t.burst, TRUE
FROM (SELECT key, us * INTERVAL '1 microsecond' AS period, burst
	FROM json_to_recordset(?::json) AS r(key text, us bigint, burst integer)) AS t
ORDER BY t.key
ON CONFLICT (key) DO UPDATE SET
	allowed = GREATEST(b.tat, LOCALTIMESTAMP) + EXCLUDED.period <= LOCALTIMESTAMP + EXCLUDED.burst * EXCLUDED.period,
	tat = CASE WHEN GREATEST(b.tat, LOCALTIMESTAMP) + EXCLUDED.period <= LOCALTIMESTAMP + EXCLUDED.burst * EXCLUDED.period
		THEN GREATEST(b.tat, LOCALTIMESTAMP) + EXCLUDED.period ELSE b.tat END,
	period = EXCLUDED.period,
	burst = EXCLUDED.burst
RETURNING b.key, b.allowed, EXTRACT(EPOCH FROM (b.tat - LOCALTIMESTAMP) - (b.burst - 1) * b.period)::float8`

// returnTokensSQL gives a token back to each bucket: tat one period
// earlier, but no earlier than now (a bucket holds at most burst tokens).
const returnTokensSQL = `
UPDATE rate_limit_buckets AS b SET tat = GREATEST(b.tat - b.period, LOCALTIMESTAMP)
WHERE b.key IN (SELECT key FROM json_to_recordset(?::json) AS r(key text))`

// bucketRow is one bucket as the statements above read it from JSON.
type bucketRow struct {
	Key   string `json:"key"`
	US    int64  `json:"us"`
	Burst int    `json:"burst"`
}

// bucketKey is the stored key of b: the hex SHA-256 of its limit and key,
// so that no email address is stored and every key has the same length.
func bucketKey(b TokenBucket) string {
	sum := sha256.Sum256([]byte(b.Limit + "\x00" + b.Key))
	return hex.EncodeToString(sum[:])
}

func bucketRows(buckets []TokenBucket) (string, error) {
	rows := make([]bucketRow, len(buckets))
	for i, b := range buckets {
		rows[i] = bucketRow{Key: bucketKey(b), US: b.Every.Microseconds(), Burst: b.Burst}
	}
	j, err := json.Marshal(rows)
	return string(j), err
}

// TakeTokens takes a token from each bucket, or, when one of them is
// empty, from none: then ok is false and wait says how long until the
// emptiest has one again. PostgreSQL only (SharesRateLimits).
func (s *Store) TakeTokens(ctx context.Context, buckets []TokenBucket) (ok bool, wait time.Duration, err error) {
	if !s.SharesRateLimits() {
		return false, 0, errSharedBuckets
	}
	if len(buckets) == 0 {
		return true, 0, nil
	}
	arg, err := bucketRows(buckets)
	if err != nil {
		return false, 0, fmt.Errorf("models: take tokens: %w", err)
	}
	db, done := s.writer(ctx, 0)
	defer done()
	rows, err := db.Raw(takeTokensSQL, arg).Rows()
	if err != nil {
		return false, 0, classify("models: take tokens", err)
	}
	defer rows.Close()
	ok = true
	var longest float64
	var taken []string
	for rows.Next() {
		var key string
		var allowed bool
		var secs float64
		if err := rows.Scan(&key, &allowed, &secs); err != nil {
			return false, 0, classify("models: take tokens", err)
		}
		if allowed {
			taken = append(taken, key)
		} else {
			ok = false
			longest = max(longest, secs)
		}
	}
	if err := rows.Err(); err != nil {
		return false, 0, classify("models: take tokens", err)
	}
	rows.Close()
	if ok {
		return true, 0, nil
	}
	// All or none: the buckets that had a token get it back (a second
	// round trip, for refused attempts only).
	if err := s.returnKeys(ctx, taken); err != nil {
		return false, 0, err
	}
	return false, time.Duration(math.Ceil(longest*1e6)) * time.Microsecond, nil
}

// returnKeys gives a token back to the buckets with these (hashed) keys.
func (s *Store) returnKeys(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	rows := make([]bucketRow, len(keys))
	for i, k := range keys {
		rows[i].Key = k
	}
	arg, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("models: return tokens: %w", err)
	}
	db, done := s.writer(ctx, 0)
	defer done()
	return classify("models: return tokens", db.Exec(returnTokensSQL, string(arg)).Error)
}

// ReturnTokens gives back a token that TakeTokens took from each bucket,
// for an attempt that turned out to cost nothing (a successful sign-in).
func (s *Store) ReturnTokens(ctx context.Context, buckets []TokenBucket) error {
	if !s.SharesRateLimits() {
		return errSharedBuckets
	}
	if len(buckets) == 0 {
		return nil
	}
	keys := make([]string, len(buckets))
	for i, b := range buckets {
		keys[i] = bucketKey(b)
	}
	return s.returnKeys(ctx, keys)
}

// PurgeFullBuckets deletes the buckets that are full again: a full bucket
// and no row are the same, so this frees space and changes no limit.
func (s *Store) PurgeFullBuckets(ctx context.Context) (int64, error) {
	if !s.SharesRateLimits() {
		return 0, nil
	}
	db, done := s.writer(ctx, 0)
	defer done()
	res := db.Exec("DELETE FROM rate_limit_buckets WHERE tat <= LOCALTIMESTAMP")
	if res.Error != nil {
		return 0, classify("models: purge rate limit buckets", res.Error)
	}
	return res.RowsAffected, nil
}
