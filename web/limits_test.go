package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

// signOutAndBackIn leaves b signed out with a device cookie for email, as
// a browser that has signed in to the account before.
func signOutAndBackIn(t *testing.T, b *browser, email, ip string) {
	t.Helper()
	b.get("/account")
	wantRedirect(t, b.post("/logout", nil), "/login")
	b.get("/login")
	wantRedirect(t, b.post("/login", url.Values{"email": {email}, "password": {testPassword}}, from(ip)), "/tasks")
	b.get("/account")
	wantRedirect(t, b.post("/logout", nil), "/login")
}

func TestOwnersDeviceSignsInWhileTheAccountIsUnderAttack(t *testing.T) {
	t.Parallel()
	app := rateLimitedApp(t, RateLimits{}) // the defaults: 5 per account
	owner := app.signedIn("owner@example.com")
	signOutAndBackIn(t, owner, "owner@example.com", "198.51.100.7")

	// An attacker with an account (and so a device cookie) of their own:
	// that cookie is no help against someone else's account.
	attacker := app.signedIn("attacker@example.com")
	signOutAndBackIn(t, attacker, "attacker@example.com", "203.0.113.1")
	attacker.get("/login")
	limited := false
	for i := range 8 {
		p := attacker.post("/login", url.Values{"email": {"owner@example.com"}, "password": {"guess " + strconv.Itoa(i)}}, from("203.0.113."+strconv.Itoa(i+1)))
		if p.StatusCode == http.StatusTooManyRequests {
			limited = true
			continue
		}
		wantStatus(t, p, http.StatusUnprocessableEntity)
	}
	if !limited {
		t.Fatal("8 wrong passwords from 8 addresses were never rate limited")
	}
	// Any browser new to the account now waits, even with the password...
	stranger := app.browser()
	stranger.get("/login")
	want429(t, stranger.post("/login", url.Values{"email": {"owner@example.com"}, "password": {testPassword}}, from("198.51.100.7")), time.Minute)
	// ...but the owner's browser is known and signs in.
	owner.get("/login")
	wantRedirect(t, owner.post("/login", url.Values{"email": {"owner@example.com"}, "password": {testPassword}}, from("198.51.100.7")), "/tasks")
	wantSignedIn(t, owner)
}

func TestDeviceHasAnAllowanceOfItsOwn(t *testing.T) {
	t.Parallel()
	app := rateLimitedApp(t, RateLimits{PerDevice: RateLimit{Burst: 2, Every: time.Hour}})
	b := app.signedIn("mine@example.com")
	signOutAndBackIn(t, b, "mine@example.com", "198.51.100.1")
	b.get("/login")
	for range 2 {
		wantStatus(t, b.post("/login", url.Values{"email": {"mine@example.com"}, "password": {"typo"}}, from("198.51.100.1")), http.StatusUnprocessableEntity)
	}
	want429(t, b.post("/login", url.Values{"email": {"mine@example.com"}, "password": {"typo"}}, from("198.51.100.1")), time.Hour)
	// A forged device cookie is no cookie: the shared allowance applies.
	f := app.browser()
	f.get("/login")
	u, _ := url.Parse(app.srv.URL + "/login")
	f.client.Jar.SetCookies(u, []*http.Cookie{{Name: deviceCookie, Value: "forged", Path: "/login"}})
	wantRedirect(t, f.post("/login", url.Values{"email": {"mine@example.com"}, "password": {testPassword}}, from("198.51.100.2")), "/tasks")
}

func TestSuccessfulSignInsCostNothing(t *testing.T) {
	t.Parallel()
	app := rateLimitedApp(t, RateLimits{
		LoginPerIP: RateLimit{Burst: 2, Every: time.Hour},
		PerAccount: RateLimit{Burst: 2, Every: time.Hour},
	})
	app.signedIn("often@example.com")
	// New browsers each time, so no device cookie helps: the address's
	// and the account's shared allowances are what is at stake.
	for i := range 6 {
		b := app.browser()
		b.get("/login")
		p := b.post("/login", url.Values{"email": {"often@example.com"}, "password": {testPassword}}, from("203.0.113.1"))
		if p.StatusCode != http.StatusSeeOther {
			t.Fatalf("correct sign-in %d: status %d, want 303", i+1, p.StatusCode)
		}
	}
	// Failures still count.
	b := app.browser()
	b.get("/login")
	for range 2 {
		wantStatus(t, b.post("/login", url.Values{"email": {"often@example.com"}, "password": {"wrong one"}}, from("203.0.113.1")), http.StatusUnprocessableEntity)
	}
	want429(t, b.post("/login", url.Values{"email": {"often@example.com"}, "password": {testPassword}}, from("203.0.113.1")), time.Hour)
}

func TestIPv6ClientsAreLimitedByTheir64(t *testing.T) {
	t.Parallel()
	app := rateLimitedApp(t, RateLimits{LoginPerIP: RateLimit{Burst: 2, Every: time.Hour}})
	b := app.browser()
	b.get("/login")
	attempt := func(i int, ip string) *page {
		return b.post("/login", url.Values{"email": {"u" + strconv.Itoa(i) + "@example.com"}, "password": {"wrong one"}}, from(ip))
	}
	wantStatus(t, attempt(1, "2001:db8:1:2::1"), http.StatusUnprocessableEntity)
	wantStatus(t, attempt(2, "2001:db8:1:2:ffff:ffff:ffff:fffe"), http.StatusUnprocessableEntity)
	want429(t, attempt(3, "2001:db8:1:2:abcd::9"), time.Hour)
	// The next /64 is someone else.
	wantStatus(t, attempt(4, "2001:db8:1:3::1"), http.StatusUnprocessableEntity)
}

func TestAddressKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"203.0.113.5":          "203.0.113.5",
		"::ffff:203.0.113.5":   "203.0.113.5",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2::":       "2001:db8:1:2::/64",
		"fe80::1%eth0":         "fe80::/64",
		"not an address":       "not an address",
	} {
		if got := addressKey(in); got != want {
			t.Errorf("addressKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPasswordHashingAtCapacityAnswers503(t *testing.T) {
	t.Parallel()
	gate := newHashGate(1, time.Millisecond)
	app := newTestApp(t, func(c *Config) {
		c.hashing = gate
		c.RateLimits = RateLimits{LoginPerIP: RateLimit{Burst: 1, Every: time.Hour}}
	})
	app.signedIn("busy@example.com")
	gate.slots <- struct{}{} // another sign-in is hashing

	b := app.browser()
	b.get("/login")
	p := b.post("/login", url.Values{"email": {"busy@example.com"}, "password": {"wrong one"}})
	wantStatus(t, p, http.StatusServiceUnavailable)
	if got := p.Header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After = %q, want 1", got)
	}
	if !strings.Contains(p.body, "Try again in 1 seconds") {
		t.Errorf("503 page does not say when to try again:\n%s", p.body)
	}
	r := app.browser()
	r.get("/register")
	wantStatus(t, r.post("/register", url.Values{"email": {"new@example.com"}, "password": {"long enough"}, "password_confirm": {"long enough"}}), http.StatusServiceUnavailable)

	<-gate.slots
	// The refused attempt cost nothing: the address's single token is
	// still there for a real (wrong) try.
	wantStatus(t, b.post("/login", url.Values{"email": {"busy@example.com"}, "password": {"wrong one"}}), http.StatusUnprocessableEntity)
}

func TestClosedRegistration(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, func(c *Config) { c.RegistrationClosed = true })
	b := app.browser()
	p := b.get("/login")
	if n := p.doc.Find(`a[href="/register"]`).Length(); n != 0 {
		t.Errorf("login page links to /register %d times with registration closed", n)
	}
	p = b.get("/register")
	wantStatus(t, p, http.StatusForbidden)
	if h := strings.TrimSpace(p.doc.Find("h1").Text()); h != "Registration is closed" {
		t.Errorf("GET /register heading = %q", h)
	}
	p = b.post("/register", url.Values{"email": {"new@example.com"}, "password": {"long enough"}, "password_confirm": {"long enough"}})
	wantStatus(t, p, http.StatusForbidden)
	if _, err := app.store.UserByEmail(app.ctx(), "new@example.com"); err == nil {
		t.Error("POST /register created an account with registration closed")
	}

	open := newTestApp(t).browser()
	if n := open.get("/login").doc.Find(`a[href="/register"]`).Length(); n == 0 {
		t.Error("with registration open the login page has no link to /register")
	}
}

// Changing the password and deleting the account check the current
// password, and the change hashes the new one: 19 MiB each, like a
// sign-in, so they wait for the same gate and get the same 503 when it
// stays full, with nothing changed.
func TestAccountPasswordPathsWaitForTheHashGate(t *testing.T) {
	t.Parallel()
	gate := newHashGate(1, time.Millisecond)
	app := newTestApp(t, func(c *Config) { c.hashing = gate })
	b := app.signedIn("gated@example.com")
	gate.slots <- struct{}{} // a sign-in is hashing

	p := changePassword(b, "correct horse battery", "brand new secret", "brand new secret")
	wantStatus(t, p, http.StatusServiceUnavailable)
	if got := p.Header.Get("Retry-After"); got != "1" {
		t.Errorf("password change: Retry-After = %q, want 1", got)
	}
	b.get("/account")
	wantStatus(t, b.post("/account/delete", url.Values{"password": {"correct horse battery"}}), http.StatusServiceUnavailable)
	<-gate.slots

	if _, err := app.store.UserByEmail(app.ctx(), "gated@example.com"); err != nil {
		t.Fatalf("the account is gone after a refused delete: %v", err)
	}
	wantRedirect(t, app.browser().login("gated@example.com", "correct horse battery"), "/tasks")
	// With the gate free, both go through.
	wantRedirect(t, changePassword(b, "correct horse battery", "brand new secret", "brand new secret"), "/account")
	b.get("/account")
	wantRedirect(t, b.post("/account/delete", url.Values{"password": {"brand new secret"}}), "/login")
}

// TestSignInLimitSharedBetweenInstances: two routers on one PostgreSQL
// database, as two instances behind a load balancer, count one account's
// failed sign-ins together: three failures spread over both, and the
// fourth is refused on either.
func TestSignInLimitSharedBetweenInstances(t *testing.T) {
	t.Parallel()
	if !dbtest.Postgres() {
		t.Skip("instances share rate limits through PostgreSQL; on SQLite one process counts them")
	}
	dbURL := dbtest.URL(t)
	open := func() *models.Store {
		s, err := models.Open(t.Context(), models.Config{URL: dbURL})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		return s
	}
	limits := func(c *Config) { c.RateLimits = RateLimits{PerAccount: RateLimit{Burst: 3, Every: time.Hour}} }
	one, two := newTestAppOn(t, open(), limits).browser(), newTestAppOn(t, open(), limits).browser()
	wrong := func() url.Values { return url.Values{"email": {"target@example.com"}, "password": {"a guess"}} }
	for i, b := range []*browser{one, two, one} {
		b.get("/login")
		if p := b.post("/login", wrong()); p.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: status %d, want 422", i+1, p.StatusCode)
		}
	}
	want429(t, two.post("/login", wrong()), time.Hour)
}
