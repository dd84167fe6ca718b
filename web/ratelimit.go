package web

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// RateLimit is a token bucket: Burst attempts at once, then one more every
// Every.
type RateLimit struct {
	Burst int
	Every time.Duration
}

// RateLimits bound password guessing and mass registration. Every attempt
// takes a token, whatever its outcome, so neither a success nor a
// validation error gives tokens back.
type RateLimits struct {
	// LoginPerIP bounds sign-in attempts from one client address.
	LoginPerIP RateLimit
	// RegisterPerIP bounds new accounts from one client address.
	RegisterPerIP RateLimit
	// PerAccount bounds attempts against one email address (sign-in,
	// registration) or one account (forms that ask for the current
	// password), from any number of addresses.
	PerAccount RateLimit
}

// Default limits: a person who mistypes a few times never notices; a
// script gets 20 guesses a minute per address and 3 a minute per account.
var defaultRateLimits = RateLimits{
	LoginPerIP:    RateLimit{Burst: 20, Every: 3 * time.Second},
	RegisterPerIP: RateLimit{Burst: 10, Every: time.Minute},
	PerAccount:    RateLimit{Burst: 5, Every: 20 * time.Second},
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
}

// limiter keeps one token bucket per key (an address, an email). Buckets
// unused long enough to have filled up again are dropped: a new bucket is
// full too, so forgetting them changes nothing but memory.
type limiter struct {
	limit RateLimit
	idle  time.Duration // a bucket unused this long is full again

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens *rate.Limiter
	used   time.Time
}

// maxKeyLen bounds map keys: a form field may be as long as the body limit.
// An email address of 255 characters is at most 1020 bytes.
const maxKeyLen = 1024

func newLimiter(l RateLimit) *limiter {
	return &limiter{
		limit:   l,
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
		b = &bucket{tokens: rate.NewLimiter(rate.Every(l.limit.Every), l.limit.Burst)}
		l.buckets[key] = b
	}
	b.used = now
	if b.tokens.AllowN(now, 1) {
		return true, 0
	}
	missing := 1 - b.tokens.TokensAt(now)
	return false, time.Duration(missing * float64(l.limit.Every))
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

// takeTokens takes a token from each bucket in turn and stops at the first
// that is empty, returning the 429 for it with Retry-After set (the error
// handler words the page from that header).
func takeTokens(c echo.Context, keys ...limitKey) error {
	now := time.Now()
	for _, k := range keys {
		ok, wait := k.l.allow(k.key, now)
		if ok {
			continue
		}
		secs := max(1, int(math.Ceil(wait.Seconds())))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		return echo.NewHTTPError(http.StatusTooManyRequests, "rate limited")
	}
	return nil
}
