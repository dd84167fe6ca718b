package models_test

import (
	"sync"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
	"taskapp/models/schedule"
)

func requireSharedState(t *testing.T) {
	t.Helper()
	if !dbtest.Postgres() {
		t.Skip("rate limits and generated secrets are kept in the database on PostgreSQL only; set " + dbtest.EnvURL)
	}
}

// TestTokenBucketsSharedBetweenInstances: two stores on one database (two
// instances) draw on the same buckets; a refused attempt takes nothing
// from the other buckets it named, and says how long to wait; a returned
// token can be taken again.
func TestTokenBucketsSharedBetweenInstances(t *testing.T) {
	t.Parallel()
	requireSharedState(t)
	url := dbtest.URL(t)
	a, b := openAt(t, url), openAt(t, url)
	if _, err := a.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	ip := models.TokenBucket{Limit: "login-ip", Key: "192.0.2.1", Burst: 3, Every: time.Hour}
	acct := models.TokenBucket{Limit: "account", Key: "login:ann@example.com", Burst: 2, Every: time.Hour}
	take := func(s *models.Store, buckets ...models.TokenBucket) (bool, time.Duration) {
		t.Helper()
		ok, wait, err := s.TakeTokens(ctx, buckets)
		if err != nil {
			t.Fatal(err)
		}
		return ok, wait
	}
	if ok, _ := take(a, ip, acct); !ok {
		t.Fatal("first attempt refused")
	}
	if ok, _ := take(b, ip, acct); !ok {
		t.Fatal("second attempt, on the other instance, refused")
	}
	ok, wait := take(a, ip, acct)
	if ok {
		t.Fatal("third attempt let in: the account's burst is 2 across both instances")
	}
	if wait <= 0 || wait > time.Hour {
		t.Errorf("wait = %v, want up to an hour", wait)
	}
	// The refused attempt took nothing from the address's bucket: it has
	// one token left.
	if ok, _ := take(b, ip); !ok {
		t.Error("the address's last token was spent by a refused attempt")
	}
	if ok, _ := take(b, ip); ok {
		t.Error("the address's bucket gave a fourth token")
	}
	// A token given back (a successful sign-in) can be taken again.
	if err := b.ReturnTokens(ctx, []models.TokenBucket{acct}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := take(a, acct); !ok {
		t.Error("the returned token is not there")
	}
	// Other keys and other limits are other buckets.
	other := acct
	other.Key = "login:bob@example.com"
	if ok, _ := take(a, other); !ok {
		t.Error("another account's bucket is empty")
	}
	// No email address is stored.
	if n := count(t, a, "SELECT count(*) FROM rate_limit_buckets WHERE key LIKE '%example%'"); n != 0 {
		t.Errorf("%d bucket keys hold the address in clear", n)
	}
}

// TestTokenBucketsConcurrentAttempts: attempts at once, from many
// connections, never overdraw a bucket.
func TestTokenBucketsConcurrentAttempts(t *testing.T) {
	t.Parallel()
	requireSharedState(t)
	s := dbtest.New(t)
	bucket := models.TokenBucket{Limit: "login-ip", Key: "198.51.100.7", Burst: 5, Every: time.Hour}
	var mu sync.Mutex
	allowed := 0
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			ok, _, err := s.TakeTokens(t.Context(), []models.TokenBucket{bucket})
			if err != nil {
				t.Error(err)
				return
			}
			if ok {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if allowed != bucket.Burst {
		t.Errorf("%d of 20 concurrent attempts allowed, want the burst, %d", allowed, bucket.Burst)
	}
}

// TestTokenBucketsRefill: a bucket earns a token back each period. A
// period of a few milliseconds stands in for the clock.
func TestTokenBucketsRefill(t *testing.T) {
	t.Parallel()
	requireSharedState(t)
	s := dbtest.New(t)
	bucket := models.TokenBucket{Limit: "register-ip", Key: "203.0.113.9", Burst: 1, Every: 50 * time.Millisecond}
	ok, _, err := s.TakeTokens(t.Context(), []models.TokenBucket{bucket})
	if err != nil || !ok {
		t.Fatalf("first: %v, %v", ok, err)
	}
	ok, wait, err := s.TakeTokens(t.Context(), []models.TokenBucket{bucket})
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		time.Sleep(wait)
	}
	if ok, _, err := s.TakeTokens(t.Context(), []models.TokenBucket{bucket}); err != nil || !ok {
		t.Errorf("after waiting the announced %v: %v, %v", wait, ok, err)
	}
}

// TestPurgeFullBuckets: the purge job deletes buckets that are full again
// and keeps the others.
func TestPurgeFullBuckets(t *testing.T) {
	t.Parallel()
	requireSharedState(t)
	s := dbtest.New(t)
	short := models.TokenBucket{Limit: "x", Key: "short", Burst: 1, Every: time.Microsecond}
	long := models.TokenBucket{Limit: "x", Key: "long", Burst: 1, Every: time.Hour}
	for _, b := range []models.TokenBucket{short, long} {
		if _, _, err := s.TakeTokens(t.Context(), []models.TokenBucket{b}); err != nil {
			t.Fatal(err)
		}
	}
	sch := schedule.New(s, nil)
	s.RegisterJobs(sch)
	time.Sleep(time.Millisecond) // the short bucket's microsecond passes
	if ran, err := sch.RunOnce(t.Context(), registeredJob(t, sch, "purge-full-rate-limit-buckets")); !ran || err != nil {
		t.Fatalf("RunOnce = %v, %v", ran, err)
	}
	if n := count(t, s, "SELECT count(*) FROM rate_limit_buckets"); n != 1 {
		t.Errorf("%d buckets after the purge, want the one still refilling", n)
	}
	if ok, _, _ := s.TakeTokens(t.Context(), []models.TokenBucket{long}); ok {
		t.Error("the purge refilled a bucket that was still empty")
	}
}

// TestSharedSecret: instances that start at once agree on one generated
// secret, and it stays the same.
func TestSharedSecret(t *testing.T) {
	t.Parallel()
	requireSharedState(t)
	url := dbtest.URL(t)
	first := openAt(t, url)
	if _, err := first.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	stores := []*models.Store{first, openAt(t, url), openAt(t, url)}
	got := make([]string, len(stores))
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Go(func() {
			v, err := s.SharedSecret(t.Context(), "session")
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	wg.Wait()
	if len(got[0]) < 64 || got[1] != got[0] || got[2] != got[0] {
		t.Fatalf("secrets = %q; want one of 64 hex digits, the same for all", got)
	}
	again, err := stores[1].SharedSecret(t.Context(), "session")
	if err != nil || again != got[0] {
		t.Errorf("later read = %q, %v; want the same secret", again, err)
	}
	if other, _ := stores[2].SharedSecret(t.Context(), "other"); other == got[0] {
		t.Error("another name got the same secret")
	}
}

// On SQLite the store keeps neither: the web layer counts in process and
// keeps the key in the data directory.
func TestSharedStateIsPostgresOnly(t *testing.T) {
	t.Parallel()
	if dbtest.Postgres() {
		t.Skip("SQLite only")
	}
	s := dbtest.New(t)
	if s.SharesRateLimits() || s.SharesSecrets() {
		t.Error("SQLite store claims to share rate limits or secrets")
	}
	if _, _, err := s.TakeTokens(t.Context(), []models.TokenBucket{{Limit: "x", Key: "y", Burst: 1, Every: time.Second}}); err == nil {
		t.Error("TakeTokens on SQLite did not fail")
	}
	if _, err := s.SharedSecret(t.Context(), "session"); err == nil {
		t.Error("SharedSecret on SQLite did not fail")
	}
}
