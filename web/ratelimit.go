package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"taskapp/models"
)

// RateLimit is a token bucket: Burst attempts at once, then one more every
// Every.
type RateLimit struct {
	Burst int
	Every time.Duration
}

// RateLimits bound password guessing and mass registration. A failed
// attempt keeps its token; a successful sign-in gives its token back, so
// the owner never spends the allowance (see AuthHandler.login).
type RateLimits struct {
	// LoginPerIP bounds sign-in attempts from one client address (an IPv6
	// client by its /64).
	LoginPerIP RateLimit
	// RegisterPerIP bounds new accounts from one client address.
	RegisterPerIP RateLimit
	// PerAccount bounds attempts against one email address (sign-in,
	// registration) or one account (forms that ask for the current
	// password), from any number of addresses.
	PerAccount RateLimit
	// PerDevice bounds sign-in attempts from a browser that has signed in
	// to the account before (it holds a device cookie): its own
	// allowance, which guesses from elsewhere cannot use up.
	PerDevice RateLimit

	// buckets keeps the limits' token buckets; New sets it from the
	// store (bucketsFor), and nil means this process (tests that build a
	// handler alone).
	buckets tokenBuckets
}

// Default limits: a person who mistypes a few times never notices; a
// script gets 20 guesses a minute per address and 3 a minute per account.
var defaultRateLimits = RateLimits{
	LoginPerIP:    RateLimit{Burst: 20, Every: 3 * time.Second},
	RegisterPerIP: RateLimit{Burst: 10, Every: time.Minute},
	PerAccount:    RateLimit{Burst: 5, Every: 20 * time.Second},
	PerDevice:     RateLimit{Burst: 10, Every: 20 * time.Second},
}

func (l *RateLimits) setDefaults() {
	set := func(r *RateLimit, d RateLimit) {
		if r.Burst <= 0 {
			r.Burst = d.Burst
		}
		if r.Every <= 0 {
			r.Every = d.Every
		}
	}
	set(&l.LoginPerIP, defaultRateLimits.LoginPerIP)
	set(&l.RegisterPerIP, defaultRateLimits.RegisterPerIP)
	set(&l.PerAccount, defaultRateLimits.PerAccount)
	set(&l.PerDevice, defaultRateLimits.PerDevice)
	if l.buckets == nil {
		l.buckets = processBuckets{}
	}
}

// limiter returns the limit called name, whose buckets are kept where l
// keeps them. The name tells the limits apart in a shared store.
func (l RateLimits) limiter(name string, limit RateLimit) *limiter {
	lim := newLimiter(limit)
	lim.name = name
	if l.buckets != nil {
		lim.store = l.buckets
	}
	return lim
}

// tokenBuckets is where the rate limits' token buckets are kept. It is the
// one seam between the handlers' limits (takeTokens, reserveTokens) and
// their storage, so no handler knows which it uses:
//
//   - processBuckets, in this process's memory: SQLite, where one process
//     owns the database and so sees every attempt;
//   - databaseBuckets, in PostgreSQL: several instances behind a load
//     balancer each see some of the attempts, and count them together.
type tokenBuckets interface {
	// take takes a token from each key's bucket, or, when one is empty,
	// from none: then ok is false and wait says how long until it has one.
	take(ctx context.Context, keys []limitKey) (ok bool, wait time.Duration, err error)
	// giveBack returns a token that take took from each key's bucket.
	giveBack(ctx context.Context, keys []limitKey) error
}

// bucketStore is what databaseBuckets needs of the store.
type bucketStore interface {
	SharesRateLimits() bool
	TakeTokens(ctx context.Context, buckets []models.TokenBucket) (bool, time.Duration, error)
	ReturnTokens(ctx context.Context, buckets []models.TokenBucket) error
}

// bucketsFor keeps the buckets in store when it shares them between
// instances (PostgreSQL), in this process otherwise (SQLite).
func bucketsFor(store bucketStore) tokenBuckets {
	if store.SharesRateLimits() {
		return databaseBuckets{store: store}
	}
	return processBuckets{}
}

// processBuckets keeps each limit's buckets in its limiter's map.
type processBuckets struct{}

func (processBuckets) take(_ context.Context, keys []limitKey) (bool, time.Duration, error) {
	now := time.Now()
	for i, k := range keys {
		ok, wait := k.l.allow(k.key, now)
		if ok {
			continue
		}
		for _, taken := range keys[:i] {
			taken.l.refund(taken.key, now)
		}
		return false, wait, nil
	}
	return true, 0, nil
}

func (processBuckets) giveBack(_ context.Context, keys []limitKey) error {
	now := time.Now()
	for _, k := range keys {
		k.l.refund(k.key, now)
	}
	return nil
}

// databaseBuckets keeps the buckets in PostgreSQL: one upsert, one round
// trip, per attempt (models.Store.TakeTokens).
type databaseBuckets struct{ store bucketStore }

func (d databaseBuckets) take(ctx context.Context, keys []limitKey) (bool, time.Duration, error) {
	return d.store.TakeTokens(ctx, tokenBucketsOf(keys))
}

func (d databaseBuckets) giveBack(ctx context.Context, keys []limitKey) error {
	return d.store.ReturnTokens(ctx, tokenBucketsOf(keys))
}

func tokenBucketsOf(keys []limitKey) []models.TokenBucket {
	b := make([]models.TokenBucket, len(keys))
	for i, k := range keys {
		b[i] = models.TokenBucket{Limit: k.l.name, Key: k.key, Burst: k.l.limit.Burst, Every: k.l.limit.Every}
	}
	return b
}

// limiter is one limit: one token bucket per key (an address, an email),
// kept where store keeps them. In this process (processBuckets) the
// buckets are the map below; buckets unused long enough to have filled up
// again are dropped: a new bucket is full too, so forgetting them changes
// nothing but memory.
type limiter struct {
	name  string
	limit RateLimit
	store tokenBuckets
	idle  time.Duration // a bucket unused this long is full again

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

// bucket is a token bucket that can also take a token back, which
// x/time/rate cannot once a reservation's time has passed.
type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
	used   time.Time
}

// fill adds the tokens earned since the last update, up to the burst.
func (b *bucket) fill(l RateLimit, now time.Time) {
	if now.After(b.at) {
		b.tokens = min(float64(l.Burst), b.tokens+float64(now.Sub(b.at))/float64(l.Every))
		b.at = now
	}
}

// maxKeyLen bounds map keys: a form field may be as long as the body limit.
// An email address of 255 characters is at most 1020 bytes.
const maxKeyLen = 1024

func newLimiter(l RateLimit) *limiter {
	return &limiter{
		limit:   l,
		store:   processBuckets{},
		idle:    time.Duration(l.Burst) * l.Every,
		buckets: map[string]*bucket{},
	}
}

// allow takes a token from key's bucket. When there is none it reports
// how long until there will be one.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	if len(key) > maxKeyLen {
		key = key[:maxKeyLen]
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: float64(l.limit.Burst), at: now}
		l.buckets[key] = b
	}
	b.used = now
	b.fill(l.limit, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(l.limit.Every))
}

// refund gives back a token that allow took.
func (l *limiter) refund(key string, now time.Time) {
	if len(key) > maxKeyLen {
		key = key[:maxKeyLen]
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.buckets[key]; b != nil {
		b.fill(l.limit, now)
		b.tokens = min(float64(l.limit.Burst), b.tokens+1)
	}
}

// sweep drops idle buckets, at most once a minute (or once per idle
// period, when that is shorter).
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < min(l.idle, time.Minute) {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if now.Sub(b.used) >= l.idle {
			delete(l.buckets, k)
		}
	}
}

// size is the number of buckets held.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// limitKey is one bucket to take a token from.
type limitKey struct {
	l   *limiter
	key string
}

// takeTokens takes a token from each bucket, or, when one is empty, none
// at all: it returns the 429 with Retry-After set (the error handler words
// the page from that header).
func takeTokens(c echo.Context, keys ...limitKey) error {
	_, err := reserveTokens(c, keys...)
	return err
}

// reserveTokens is takeTokens that also returns a function giving the
// tokens back, for attempts that turn out to cost nothing (a successful
// sign-in). The keys of one call belong to limits of one handler, which
// keep their buckets in one place.
func reserveTokens(c echo.Context, keys ...limitKey) (refund func() error, err error) {
	if len(keys) == 0 {
		return func() error { return nil }, nil
	}
	ctx := c.Request().Context()
	buckets := keys[0].l.store
	ok, wait, err := buckets.take(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("web: rate limit: %w", err)
	}
	if !ok {
		secs := max(1, int(math.Ceil(wait.Seconds())))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		return nil, echo.NewHTTPError(http.StatusTooManyRequests, "rate limited")
	}
	return func() error {
		if err := buckets.giveBack(ctx, keys); err != nil {
			return fmt.Errorf("web: rate limit: give a token back: %w", err)
		}
		return nil
	}, nil
}

// addressKey is the rate-limit key for a client address: an IPv4 address
// as it is, an IPv6 address by its /64. A home or a server usually gets a
// whole /64 and can send from any of its 2^64 addresses, so limiting single
// IPv6 addresses would limit nothing.
func addressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.WithZone("").Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}
