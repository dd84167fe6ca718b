package web

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
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

// nextSecond waits for the start of the next second. Sessions keep their
// times in whole seconds, rounded down; a session started after this
// boundary is never judged older than it is.
func nextSecond() time.Time {
	now := time.Now()
	start := now.Truncate(time.Second).Add(time.Second)
	time.Sleep(start.Sub(now))
	return start
}

// signedInUntil checks that b is still signed in, when the answer can
// show it: on a loaded machine (-race, PostgreSQL, parallel tests) the
// request may only be answered after deadline, and then proves nothing.
func signedInUntil(t *testing.T, b *browser, deadline time.Time) {
	t.Helper()
	status := b.accountStatus()
	if time.Now().After(deadline) {
		t.Logf("answered after the session's deadline; not checking it (status %d)", status)
		return
	}
	if status != http.StatusOK {
		t.Fatalf("GET /account = %d before the session's deadline, want 200 (signed in)", status)
	}
}

func TestSessionIdleTimeout(t *testing.T) {
	t.Parallel()
	const idle = 4 * time.Second
	app := newTestApp(t, func(c *Config) { c.IdleTimeout = idle })
	start := nextSecond()
	b := app.signedIn("idle@example.com")
	signedIn := time.Now()
	u, _ := url.Parse(app.srv.URL)
	saved := b.client.Jar.Cookies(u)
	signedInUntil(t, b, start.Add(idle))
	time.Sleep(time.Until(signedIn.Add(idle + 200*time.Millisecond)))
	wantSignedOut(t, b)
	// The server refuses the old cookie itself; it does not rely on the
	// browser to drop it.
	wantSignedOut(t, replay(t, app, saved))
}

func TestSessionMaximumAge(t *testing.T) {
	t.Parallel()
	const maxAge = 4 * time.Second
	app := newTestApp(t, func(c *Config) { c.MaxSessionAge = maxAge })
	start := nextSecond()
	b := app.signedIn("old@example.com")
	signedIn := time.Now()
	u, _ := url.Parse(app.srv.URL)
	saved := b.client.Jar.Cookies(u)
	// Activity half way through does not extend it.
	time.Sleep(time.Until(start.Add(maxAge / 2)))
	signedInUntil(t, b, start.Add(maxAge))
	time.Sleep(time.Until(signedIn.Add(maxAge + 200*time.Millisecond)))
	wantSignedOut(t, b)
	wantSignedOut(t, replay(t, app, saved))
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
