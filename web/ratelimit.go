package web

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
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
// sign-in).
func reserveTokens(c echo.Context, keys ...limitKey) (refund func(), err error) {
	now := time.Now()
	refund = func() {
		for _, k := range keys {
			k.l.refund(k.key, now)
		}
	}
	for i, k := range keys {
		ok, wait := k.l.allow(k.key, now)
		if ok {
			continue
		}
		for _, taken := range keys[:i] {
			taken.l.refund(taken.key, now)
		}
		secs := max(1, int(math.Ceil(wait.Seconds())))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		return nil, echo.NewHTTPError(http.StatusTooManyRequests, "rate limited")
	}
	return refund, nil
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
