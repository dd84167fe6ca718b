package web

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"taskapp/static"
)

// withSecret makes an app sign its cookies with secret (a comma list).
func withSecret(t *testing.T, secret string) func(*Config) {
	t.Helper()
	keys := mustKeys(t, secret)
	return func(c *Config) { c.SessionKeys = keys }
}

// restart serves the same database from a new server built with
// configure, as after a redeploy.
func (a *testApp) restart(configure ...func(*Config)) *testApp {
	a.t.Helper()
	assets, err := static.New()
	if err != nil {
		a.t.Fatal(err)
	}
	cfg := Config{SessionKeys: mustKeys(a.t, strings.Repeat("k", 32))}
	for _, f := range configure {
		f(&cfg)
	}
	e, err := New(cfg, a.store, assets)
	if err != nil {
		a.t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	a.t.Cleanup(srv.Close)
	return &testApp{t: a.t, store: a.store, e: e, srv: srv, logs: a.logs}
}

func mustKeys(t *testing.T, secret string) [][]byte {
	t.Helper()
	keys, err := SessionKeys(secret, "")
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// on is the same person (the same cookie jar) visiting app, which is
// served from the same host: cookies do not depend on the port.
func (b *browser) on(app *testApp) *browser {
	return &browser{app: app, client: b.client}
}

// sessionCookieOf returns the session cookie set by p.
func sessionCookieOf(t *testing.T, p *page) *http.Cookie {
	t.Helper()
	for _, c := range p.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	t.Fatalf("%s %s set no session cookie", p.Request.Method, p.Request.URL.Path)
	return nil
}

func TestSessionCookieFlags(t *testing.T) {
	t.Parallel()
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	_, elsewhere, _ := net.ParseCIDR("10.0.0.0/8")
	for _, tc := range []struct {
		name    string
		secure  string
		proxies []*net.IPNet
		headers []string
		want    bool
	}{
		{"auto over plain http", "auto", nil, nil, false},
		{"true over plain http", "true", nil, nil, true},
		{"false", "false", []*net.IPNet{loopback}, []string{"X-Forwarded-Proto: https"}, false},
		{"auto behind a trusted https proxy", "auto", []*net.IPNet{loopback}, []string{"X-Forwarded-Proto: https"}, true},
		{"auto behind a trusted http proxy", "auto", []*net.IPNet{loopback}, []string{"X-Forwarded-Proto: http"}, false},
		{"auto, https claimed by an untrusted peer", "auto", []*net.IPNet{elsewhere}, []string{"X-Forwarded-Proto: https"}, false},
		{"auto, https claimed with no proxies trusted", "auto", nil, []string{"X-Forwarded-Proto: https"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := newTestApp(t, func(c *Config) {
				c.SecureCookies = tc.secure
				c.TrustedProxies = tc.proxies
			})
			// The anonymous session of a first visit, and the one sign-in starts.
			b := app.browser()
			first := b.get("/register", tc.headers...)
			signIn := b.post("/register", url.Values{"email": {"flags@example.com"}, "password": {"long enough"}, "password_confirm": {"long enough"}}, tc.headers...)
			wantRedirect(t, signIn, "/tasks")
			for _, p := range []*page{first, signIn} {
				c := sessionCookieOf(t, p)
				if !c.HttpOnly {
					t.Error("session cookie readable by scripts (no HttpOnly)")
				}
				if c.SameSite != http.SameSiteLaxMode {
					t.Errorf("SameSite = %v, want Lax", c.SameSite)
				}
				if c.Secure != tc.want {
					t.Errorf("Secure = %v, want %v", c.Secure, tc.want)
				}
				if c.Path != "/" {
					t.Errorf("Path = %q, want /", c.Path)
				}
			}
		})
	}
}

// replay sends a copy of b's session cookie from a fresh jar, as a
// browser that ignores cookie expiry (or an attacker) would.
func replay(t *testing.T, app *testApp, cookies []*http.Cookie) *browser {
	t.Helper()
	u, _ := url.Parse(app.srv.URL)
	b := app.browser()
	for _, c := range cookies {
		b.client.Jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: c.Value}})
	}
	return b
}

// testClock is the sessions' clock in tests: it moves only when told, so
// that timeouts are tested exactly and without sleeping.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// withClock makes an app judge sessions by c.
func withClock(c *testClock) func(*Config) {
	return func(cfg *Config) { cfg.Now = c.now }
}

// The idle timeout counts from the last use: a session used just before
// its idle deadline lives on past it, and one left alone for the whole
// timeout ends, for the browser and for any copy of its cookie.
func TestSessionIdleTimeout(t *testing.T) {
	t.Parallel()
	const idle = 7 * 24 * time.Hour
	clock := newTestClock()
	app := newTestApp(t, withClock(clock), func(c *Config) { c.IdleTimeout = idle })
	b := app.signedIn("idle@example.com")
	u, _ := url.Parse(app.srv.URL)
	saved := b.client.Jar.Cookies(u)

	clock.advance(idle - time.Second)
	wantSignedIn(t, b)
	clock.advance(idle - time.Second) // 2×idle after sign-in, but used since
	wantSignedIn(t, b)
	clock.advance(idle)
	// The server refuses the old cookie itself; it does not rely on the
	// browser to drop it.
	wantSignedOut(t, replay(t, app, saved))
	wantSignedOut(t, b)
}

// The maximum age counts from sign-in: a session used every few days
// (never idle) still ends that long after sign-in.
func TestSessionMaximumAge(t *testing.T) {
	t.Parallel()
	const maxAge = 30 * 24 * time.Hour
	clock := newTestClock()
	app := newTestApp(t, withClock(clock), func(c *Config) { c.MaxSessionAge = maxAge })
	signIn := clock.now()
	b := app.signedIn("old@example.com")
	u, _ := url.Parse(app.srv.URL)
	saved := b.client.Jar.Cookies(u)
	for clock.now().Before(signIn.Add(maxAge - 6*24*time.Hour)) {
		clock.advance(6 * 24 * time.Hour)
		wantSignedIn(t, b)
	}
	clock.advance(signIn.Add(maxAge - time.Second).Sub(clock.now()))
	wantSignedIn(t, b)
	clock.advance(time.Second)
	wantSignedOut(t, replay(t, app, saved))
	wantSignedOut(t, b)
}

func TestSessionKeyRotation(t *testing.T) {
	t.Parallel()
	oldSecret, newSecret := strings.Repeat("o", 32), strings.Repeat("n", 32)
	app := newTestApp(t, withSecret(t, oldSecret))
	b := app.signedIn("rotate@example.com")
	wantSignedIn(t, b)

	// Deployed with "new,old": the cookie signed with the old key still
	// works, and the session carries on.
	rotated := app.restart(withSecret(t, newSecret+","+oldSecret))
	wantSignedIn(t, b.on(rotated))

	// With the old key dropped, cookies signed only with it are refused.
	dropped := app.restart(withSecret(t, newSecret))
	wantSignedOut(t, b.on(dropped))

	// Sign-in under "new,old" signs with the new key, which "new" alone
	// accepts.
	c := app.browser().on(rotated)
	wantRedirect(t, c.login("rotate@example.com", testPassword), "/tasks")
	wantSignedIn(t, c.on(dropped))
}

func TestTamperedSessionCookieIsRefused(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.signedIn("tamper@example.com")
	u, _ := url.Parse(app.srv.URL)
	var forged []*http.Cookie
	for _, c := range b.client.Jar.Cookies(u) {
		v := []byte(c.Value)
		v[len(v)/2] ^= 1
		forged = append(forged, &http.Cookie{Name: c.Name, Value: string(v)})
	}
	wantSignedOut(t, replay(t, app, forged))
	// A fresh anonymous session replaces it, with a new token.
	p := replay(t, app, forged).get("/login")
	wantStatus(t, p, http.StatusOK)
	if sessionCookieOf(t, p).Value == forged[0].Value {
		t.Error("the forged cookie was kept")
	}
}
