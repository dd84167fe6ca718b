package web

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

const testPassword = "correct horse battery" // the password signedIn uses

// login submits the login form from the login page, as a person would.
func (b *browser) login(email, password string, extra ...string) *page {
	b.app.t.Helper()
	b.get("/login")
	form := url.Values{"email": {email}, "password": {password}}
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	return b.post("/login", form)
}

// accountStatus is what GET /account answers this browser: 200 when
// signed in, 303 to the login page when not.
func (b *browser) accountStatus() int {
	b.app.t.Helper()
	p := b.get("/account")
	if p.StatusCode == http.StatusSeeOther && p.Header.Get("Location") != "/login?next=%2Faccount" {
		b.app.t.Fatalf("GET /account: 303 to %q", p.Header.Get("Location"))
	}
	return p.StatusCode
}

func wantSignedIn(t *testing.T, b *browser) {
	t.Helper()
	if got := b.accountStatus(); got != http.StatusOK {
		t.Fatalf("GET /account = %d, want 200 (signed in)", got)
	}
}

func wantSignedOut(t *testing.T, b *browser) {
	t.Helper()
	if got := b.accountStatus(); got != http.StatusSeeOther {
		t.Fatalf("GET /account = %d, want 303 to the login page (signed out)", got)
	}
}

// fieldError is the message shown beside the input with id, checked to
// be tied to the input for screen readers.
func fieldError(t *testing.T, p *page, id string) string {
	t.Helper()
	in := p.doc.Find("#" + id)
	if in.Length() != 1 {
		t.Fatalf("no input #%s on the page", id)
	}
	msg := strings.TrimSpace(p.doc.Find("#" + id + "-error").Text())
	if msg != "" {
		if by, _ := in.Attr("aria-describedby"); by != id+"-error" {
			t.Errorf("#%s: aria-describedby = %q, want %q", id, by, id+"-error")
		}
		if inv, _ := in.Attr("aria-invalid"); inv != "true" {
			t.Errorf("#%s: aria-invalid = %q, want true", id, inv)
		}
	}
	return msg
}

func inputValue(p *page, id string) string {
	v, _ := p.doc.Find("#" + id).Attr("value")
	return v
}

// wantNoPasswordsEchoed checks that no password input carries a value.
func wantNoPasswordsEchoed(t *testing.T, p *page) {
	t.Helper()
	p.doc.Find(`input[type="password"]`).Each(func(_ int, s *goquery.Selection) {
		if v, ok := s.Attr("value"); ok && v != "" {
			id, _ := s.Attr("id")
			t.Errorf("password input #%s sent back with value %q", id, v)
		}
	})
}

func formAlert(p *page) string {
	return strings.TrimSpace(p.doc.Find(`main [role="alert"]`).Text())
}

func flashText(p *page) string {
	return strings.TrimSpace(p.doc.Find("#messages").Text())
}

func TestRegisterSignsInWithFreshSession(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.browser()
	form := b.get("/register")
	wantStatus(t, form, http.StatusOK)
	anonymousToken := b.csrf

	p := b.post("/register", url.Values{"email": {"  New.Person@Example.COM "}, "password": {"long enough"}, "password_confirm": {"long enough"}})
	wantRedirect(t, p, "/tasks")
	if !slices.ContainsFunc(p.Cookies(), func(c *http.Cookie) bool { return c.Name == sessionCookie && c.Value != "" }) {
		t.Fatal("register did not set the session cookie")
	}

	tasks := b.get("/tasks")
	wantStatus(t, tasks, http.StatusOK)
	if got := flashText(tasks); !strings.Contains(got, "Welcome") {
		t.Errorf("flash after register = %q, want a welcome", got)
	}
	if b.csrf == anonymousToken {
		t.Error("the CSRF token survived sign-in: the session was not renewed")
	}
	acct := b.get("/account")
	wantStatus(t, acct, http.StatusOK)
	if got := acct.doc.Find("main strong").First().Text(); got != "new.person@example.com" {
		t.Errorf("account shows %q, want the trimmed, lower-cased email", got)
	}
	if got := flashText(acct); got != "" {
		t.Errorf("flash shown twice: %q", got)
	}
}

// relaxedLimits lets a test make many attempts from one address and
// against one account.
func relaxedLimits(c *Config) {
	lots := RateLimit{Burst: 1000, Every: time.Millisecond}
	c.RateLimits = RateLimits{LoginPerIP: lots, RegisterPerIP: lots, PerAccount: lots}
}

func TestRegisterValidation(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, relaxedLimits)
	app.signedIn("taken@example.com")
	for _, tc := range []struct {
		name               string
		email, pw, confirm string
		field, msg         string // the message expected beside field
		keptEmail          string // the email input's value after the error
	}{
		{"empty form", "", "", "", "email", "Enter your email address.", ""},
		{"bad email", "not-an-email", "long enough", "long enough", "email", "Enter a valid email address", "not-an-email"},
		{"email too long", strings.Repeat("a", 250) + "@example.com", "long enough", "long enough", "email", "at most 255", strings.Repeat("a", 250) + "@example.com"},
		{"empty password", "a@example.com", "", "", "password", "Enter a password.", "a@example.com"},
		{"short password", "a@example.com", "seven77", "seven77", "password", "at least 8 characters", "a@example.com"},
		{"mismatch", "a@example.com", "long enough", "long enougH", "password_confirm", "don't match", "a@example.com"},
		{"confirmation missing", "a@example.com", "long enough", "", "password_confirm", "same password again", "a@example.com"},
		{"NUL in email", "a\x00b@example.com", "long enough", "long enough", "email", "can't be saved", "a\x00b@example.com"},
		{"invalid UTF-8 in email", "a\xffb@example.com", "long enough", "long enough", "email", "can't be saved", "a\uFFFDb@example.com"},
		{"NUL in password", "a@example.com", "long\x00enough", "long\x00enough", "password", "can't be saved", "a@example.com"},
		{"duplicate in another case", " TAKEN@Example.com", "long enough", "long enough", "email", "already exists", " TAKEN@Example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := app.browser()
			b.get("/register")
			p := b.post("/register", url.Values{"email": {tc.email}, "password": {tc.pw}, "password_confirm": {tc.confirm}})
			wantStatus(t, p, http.StatusUnprocessableEntity)
			if got := fieldError(t, p, tc.field); !strings.Contains(got, tc.msg) {
				t.Errorf("message beside %s = %q, want it to say %q", tc.field, got, tc.msg)
			}
			if focused := p.doc.Find("[autofocus]"); focused.Length() != 1 || focused.AttrOr("id", "") != tc.field {
				t.Errorf("focus on %q, want it on the field in error, %s", focused.AttrOr("id", ""), tc.field)
			}
			if p.doc.Find(`form[action="/register"]`).Length() != 1 {
				t.Error("the registration form is not shown again")
			}
			// goquery reads the value the way a browser would, NUL as U+FFFD.
			want := strings.ReplaceAll(tc.keptEmail, "\x00", "\uFFFD")
			if got := inputValue(p, "email"); got != want {
				t.Errorf("email input = %q, want the input kept: %q", got, want)
			}
			wantNoPasswordsEchoed(t, p)
			wantSignedOut(t, b)
		})
	}
}

func TestRegisterWithTakenEmailCreatesNothing(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.signedIn("taken@example.com")
	b := app.browser()
	b.get("/register")
	p := b.post("/register", url.Values{"email": {"Taken@Example.com"}, "password": {"another password"}, "password_confirm": {"another password"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	// The first account's password still works and the new one does not.
	wantStatus(t, app.browser().login("taken@example.com", "another password"), http.StatusUnprocessableEntity)
	wantRedirect(t, app.browser().login("taken@example.com", testPassword), "/tasks")
}

func TestLogin(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.signedIn("mixed.case@example.com")
	for _, email := range []string{"mixed.case@example.com", "  Mixed.Case@EXAMPLE.com  "} {
		b := app.browser()
		b.get("/login")
		anonymousToken := b.csrf
		p := b.login(email, testPassword)
		wantRedirect(t, p, "/tasks")
		wantStatus(t, b.get("/tasks"), http.StatusOK)
		wantSignedIn(t, b)
		if b.csrf == anonymousToken {
			t.Errorf("login as %q kept the anonymous session's CSRF token", email)
		}
	}
}

func TestLoginFailureDoesNotSayWhichFieldWasWrong(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.signedIn("known@example.com")

	var bodies []string
	for _, tc := range []struct{ name, email, password string }{
		{"wrong password", "known@example.com", "not the password"},
		{"unknown email", "nobody1@example.com", "not the password"},
		{"wrong password, right length", "known@example.com", strings.ToUpper(testPassword)},
	} {
		b := app.browser()
		p := b.login(tc.email, tc.password)
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if got := formAlert(p); got != "Email or password is incorrect." {
			t.Errorf("%s: alert = %q", tc.name, got)
		}
		for _, id := range []string{"email", "password"} {
			if msg := fieldError(t, p, id); msg != "" {
				t.Errorf("%s: message beside %s: %q", tc.name, id, msg)
			}
		}
		if got := inputValue(p, "email"); got != tc.email {
			t.Errorf("%s: email input = %q, want it kept", tc.name, got)
		}
		if focused := p.doc.Find("[autofocus]"); focused.Length() != 1 || focused.AttrOr("id", "") != "password" {
			t.Errorf("%s: focus on %q, want the password field", tc.name, focused.AttrOr("id", ""))
		}
		wantNoPasswordsEchoed(t, p)
		wantSignedOut(t, b)
		// Apart from the email typed and the token, the pages are identical.
		body := strings.ReplaceAll(p.body, tc.email, "EMAIL")
		bodies = append(bodies, strings.ReplaceAll(body, b.csrf, "TOKEN"))
	}
	for i := 1; i < len(bodies); i++ {
		if bodies[i] != bodies[0] {
			t.Errorf("response %d differs from response 0:\n%s\n---\n%s", i, bodies[i], bodies[0])
		}
	}
}

// An unknown email must cost the same password hashing as a wrong
// password; without the dummy hash it answers tens of times faster. The
// margin is wide so that a busy machine does not fail it.
func TestLoginTimingDoesNotRevealUnknownEmails(t *testing.T) {
	app := newTestApp(t, relaxedLimits)
	app.signedIn("known@example.com")
	b := app.browser()
	b.get("/login")
	attempt := func(email string) time.Duration {
		start := time.Now()
		wantStatus(t, b.post("/login", url.Values{"email": {email}, "password": {"wrong password"}}), http.StatusUnprocessableEntity)
		return time.Since(start)
	}
	// Alternated, so that a spell of load from other tests (or the first
	// requests' cold caches) falls on both sides rather than on one.
	var knownTimes, unknownTimes []time.Duration
	for range 5 {
		knownTimes = append(knownTimes, attempt("known@example.com"))
		unknownTimes = append(unknownTimes, attempt("unknown@example.com"))
	}
	median := func(d []time.Duration) time.Duration {
		slices.Sort(d)
		return d[len(d)/2]
	}
	known, unknown := median(knownTimes), median(unknownTimes)
	if unknown < known/4 {
		t.Errorf("unknown email answered in %v, wrong password in %v: the difference tells them apart", unknown, known)
	}
}

func TestLoginFieldValidation(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	for _, tc := range []struct{ name, email, password, field, msg string }{
		{"empty", "", "", "email", "Enter your email address."},
		{"no password", "a@example.com", "", "password", "Enter your password."},
		{"bad email", "a@b", "whatever123", "email", "valid email"},
		{"NUL in email", "a\x00@example.com", "whatever123", "email", "can't be saved"},
	} {
		b := app.browser()
		p := b.login(tc.email, tc.password)
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if got := fieldError(t, p, tc.field); !strings.Contains(got, tc.msg) {
			t.Errorf("%s: message beside %s = %q, want %q", tc.name, tc.field, got, tc.msg)
		}
		wantNoPasswordsEchoed(t, p)
	}
}

func TestLoginNext(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, relaxedLimits)
	app.signedIn("next@example.com")

	// The whole journey: a signed-out visit, a failed attempt, a success.
	b := app.browser()
	wantRedirect(t, b.get("/account"), "/login?next=%2Faccount")
	form := b.get("/login?next=%2Faccount")
	if v, _ := form.doc.Find(`form[action="/login"] input[name="next"]`).Attr("value"); v != "/account" {
		t.Fatalf("login form's next = %q, want /account", v)
	}
	failed := b.post("/login", url.Values{"email": {"next@example.com"}, "password": {"wrong password"}, "next": {"/account"}})
	wantStatus(t, failed, http.StatusUnprocessableEntity)
	next, _ := failed.doc.Find(`form[action="/login"] input[name="next"]`).Attr("value")
	if next != "/account" {
		t.Fatalf("after a failed attempt next = %q, want /account kept", next)
	}
	wantRedirect(t, b.post("/login", url.Values{"email": {"next@example.com"}, "password": {testPassword}, "next": {next}}), "/account")

	for _, tc := range []struct{ next, want string }{
		{"/account?tab=password", "/account?tab=password"},
		{"/tasks/7", "/tasks/7"},
		{"//evil.example", "/tasks"},
		{"https://evil.example", "/tasks"},
		{"https://evil.example/account", "/tasks"},
		{`/\evil.example`, "/tasks"},
		{"/\t/evil.example", "/tasks"},
		{"javascript:alert(1)", "/tasks"},
		{"account", "/tasks"},
		{"", "/tasks"},
	} {
		b := app.browser()
		page := b.get("/login?next=" + url.QueryEscape(tc.next))
		hidden, ok := page.doc.Find(`input[name="next"]`).Attr("value")
		if tc.want == "/tasks" && ok {
			t.Errorf("next %q: the login form carries it on (%q)", tc.next, hidden)
		}
		p := b.post("/login", url.Values{"email": {"next@example.com"}, "password": {testPassword}, "next": {tc.next}})
		wantRedirect(t, p, tc.want)
	}
}

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for next, want := range map[string]string{
		"/":                   "/",
		"/tasks?status=done":  "/tasks?status=done",
		"//evil.example":      "",
		"///evil.example":     "",
		`/\evil.example`:      "",
		`/a\b`:                "",
		"/\n/evil.example":    "",
		"http://evil.example": "",
		"evil.example":        "",
		"":                    "",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.signedIn("bye@example.com")
	b.get("/account") // the token on the page the person is looking at
	p := b.post("/logout", nil)
	wantRedirect(t, p, "/login")
	login := b.get("/login")
	wantStatus(t, login, http.StatusOK)
	if got := flashText(login); !strings.Contains(got, "logged out") {
		t.Errorf("flash after logout = %q", got)
	}
	wantSignedOut(t, b)
	// Signed out, logout is for signed-in people only.
	wantRedirect(t, b.post("/logout", nil), "/login")
}

// Logout ends the session on the server: a copy of the cookie taken
// before (a stolen cookie, a browser that ignored the new one) is then a
// signed-out visitor's, on this instance and on any other serving the
// same database.
func TestLogoutEndsCopiedCookieEverywhere(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	other := app.restart() // a second instance on the same database
	b := app.signedIn("copy@example.com")
	u, _ := url.Parse(app.srv.URL)
	stolen := b.client.Jar.Cookies(u)
	wantSignedIn(t, replay(t, other, stolen))

	b.get("/account")
	wantRedirect(t, b.post("/logout", nil), "/login")
	wantSignedOut(t, b)
	wantSignedOut(t, replay(t, app, stolen))
	wantSignedOut(t, replay(t, other, stolen))
	thief := replay(t, app, stolen)
	thief.get("/login")
	wantRedirect(t, thief.post("/tasks", url.Values{"title": {"planted"}}), "/login")
}

// Sign-out renews the whole session, not just the user in it: the CSRF
// token of the signed-in page is refused afterwards, and the cookie is a
// new one.
func TestSignOutRenewsSessionAndToken(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.signedIn("renew@example.com")
	b.get("/account")
	oldToken := b.csrf
	u, _ := url.Parse(app.srv.URL)
	var oldCookie string
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			oldCookie = c.Value
		}
	}
	out := b.post("/logout", nil)
	wantRedirect(t, out, "/login")
	if sessionCookieOf(t, out).Value == oldCookie {
		t.Error("sign-out kept the cookie")
	}
	b.get("/login")
	if b.csrf == "" || b.csrf == oldToken {
		t.Fatalf("sign-out kept the CSRF token %q", oldToken)
	}
	// The old token, from the page seen while signed in, no longer works.
	p := b.postRaw("/login", url.Values{"_csrf": {oldToken}, "email": {"renew@example.com"}, "password": {testPassword}})
	wantStatus(t, p, http.StatusForbidden)
	wantSignedOut(t, b)
}

func TestSignedOutVisitorsAreSentToLogin(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.browser()
	wantRedirect(t, b.get("/account"), "/login?next=%2Faccount")

	p := b.get("/account", "HX-Request: true")
	if got := p.Header.Get("HX-Redirect"); got != "/login?next=%2Faccount" {
		t.Errorf("htmx request: HX-Redirect = %q, want /login?next=%%2Faccount (status %d)", got, p.StatusCode)
	}
	if p.StatusCode >= 300 && p.StatusCode < 400 {
		t.Errorf("htmx request got a %d redirect, which htmx would follow and swap in", p.StatusCode)
	}
	// A form post cannot be replayed after login, so it gets no next.
	b.get("/login")
	wantRedirect(t, b.post("/account/password", url.Values{}), "/login")
}

func TestSignedInVisitorsSkipLoginAndRegister(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.signedIn("here@example.com")
	for _, path := range []string{"/login", "/register", "/login?next=%2Faccount"} {
		wantRedirect(t, b.get(path), "/tasks")
	}
	b.get("/account")
	wantRedirect(t, b.post("/login", url.Values{"email": {"here@example.com"}, "password": {testPassword}}), "/tasks")
}

func TestAuthFormsWithHTMX(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.signedIn("htmx@example.com")
	b := app.browser()
	b.get("/login")
	p := b.postRaw("/login", url.Values{"email": {"htmx@example.com"}, "password": {"wrong password"}}, b.htmx()...)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.doc.Find(`form[action="/login"] #email`).Length() != 1 || formAlert(p) == "" {
		t.Errorf("htmx 422 did not render the form with its message:\n%s", p.body)
	}
	p = b.postRaw("/login", url.Values{"email": {"htmx@example.com"}, "password": {testPassword}}, b.htmx()...)
	if got := p.Header.Get("HX-Redirect"); got != "/tasks" {
		t.Errorf("htmx login: HX-Redirect = %q, status %d", got, p.StatusCode)
	}
	wantSignedIn(t, b)
}

func TestAuthFormsNeedCSRFToken(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.signedIn("victim@example.com")
	for _, tc := range []struct {
		path   string
		form   url.Values
		signIn bool
	}{
		{"/register", url.Values{"email": {"new@example.com"}, "password": {"long enough"}, "password_confirm": {"long enough"}}, false},
		{"/login", url.Values{"email": {"victim@example.com"}, "password": {testPassword}}, false},
		{"/logout", url.Values{}, true},
	} {
		for name, token := range map[string][]string{"missing": nil, "wrong": {"forged"}} {
			t.Run(tc.path+" "+name, func(t *testing.T) {
				b := app.browser()
				if tc.signIn {
					b.login("victim@example.com", testPassword)
				} else {
					b.get("/login")
				}
				form := url.Values{"_csrf": token}
				for k, v := range tc.form {
					form[k] = v
				}
				wantStatus(t, b.postRaw(tc.path, form), http.StatusForbidden)
				// Nothing happened.
				if tc.signIn {
					wantSignedIn(t, b)
				} else {
					wantSignedOut(t, b)
				}
			})
		}
	}
	if p := app.browser().login("new@example.com", "long enough"); p.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a register without a valid token created the account (login: %d)", p.StatusCode)
	}
}

// rateLimitedApp is an app with tiny limits, trusting X-Forwarded-For from
// the test client so that tests can speak from several addresses.
func rateLimitedApp(t *testing.T, limits RateLimits) *testApp {
	t.Helper()
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	return newTestApp(t, func(c *Config) {
		c.RateLimits = limits
		c.TrustedProxies = []*net.IPNet{loopback}
	})
}

func from(ip string) string { return "X-Forwarded-For: " + ip }

// want429 checks a rate-limited answer: 429, Retry-After in whole
// seconds no longer than maxWait, and the wait told to the person.
func want429(t *testing.T, p *page, maxWait time.Duration) {
	t.Helper()
	wantStatus(t, p, http.StatusTooManyRequests)
	secs, err := strconv.Atoi(p.Header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > int(maxWait.Seconds()) {
		t.Fatalf("Retry-After = %q, want 1..%d seconds", p.Header.Get("Retry-After"), int(maxWait.Seconds()))
	}
	if want := "Try again in " + strconv.Itoa(secs) + " seconds"; !strings.Contains(p.body, want) {
		t.Errorf("429 page does not say %q", want)
	}
}

func TestLoginRateLimitPerIP(t *testing.T) {
	t.Parallel()
	app := rateLimitedApp(t, RateLimits{LoginPerIP: RateLimit{Burst: 3, Every: time.Hour}})
	app.signedIn("limited@example.com")
	b := app.browser()
	b.get("/login")
	attempt := func(ip, email, password string) *page {
		return b.post("/login", url.Values{"email": {email}, "password": {password}}, from(ip))
	}
	for i := range 3 {
		// Different accounts, so only the address limit applies.
		wantStatus(t, attempt("203.0.113.1", "user"+strconv.Itoa(i)+"@example.com", "wrong password"), http.StatusUnprocessableEntity)
	}
	// Even the right password is refused until the address's wait is over.
	want429(t, attempt("203.0.113.1", "limited@example.com", testPassword), time.Hour)
	// Another address is not affected.
	wantRedirect(t, attempt("203.0.113.2", "limited@example.com", testPassword), "/tasks")
}

func TestRateLimitIgnoresForwardedForFromUntrustedPeers(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, func(c *Config) {
		c.RateLimits = RateLimits{LoginPerIP: RateLimit{Burst: 2, Every: time.Hour}}
	})
	b := app.browser()
	b.get("/login")
	for i := range 3 {
		p := b.post("/login", url.Values{"email": {"a" + strconv.Itoa(i) + "@example.com"}, "password": {"wrong password"}}, from("198.51.100."+strconv.Itoa(i)))
		if i < 2 {
			wantStatus(t, p, http.StatusUnprocessableEntity)
		} else {
			want429(t, p, time.Hour)
		}
	}
}

func TestLoginRateLimitPerAccount(t *testing.T) {
	t.Parallel()
	app := rateLimitedApp(t, RateLimits{PerAccount: RateLimit{Burst: 3, Every: time.Hour}})
	app.signedIn("target@example.com")
	b := app.browser()
	b.get("/login")
	attempt := func(ip, email, password string) *page {
		return b.post("/login", url.Values{"email": {email}, "password": {password}}, from(ip))
	}
	wantStatus(t, attempt("203.0.113.1", "target@example.com", "guess one"), http.StatusUnprocessableEntity)
	// A success in between gives no earlier attempts back: an attacker
	// with one account of their own could otherwise reset the count at
	// will. (It costs nothing itself; see TestSuccessfulSignInsCostNothing.)
	ok := app.browser()
	ok.get("/login")
	wantRedirect(t, ok.post("/login", url.Values{"email": {"target@example.com"}, "password": {testPassword}}, from("203.0.113.9")), "/tasks")
	// Any letter case and spacing is the same account.
	wantStatus(t, attempt("203.0.113.2", " TARGET@example.com", "guess two"), http.StatusUnprocessableEntity)
	wantStatus(t, attempt("203.0.113.4", "target@example.com", "guess three"), http.StatusUnprocessableEntity)
	// Spread over addresses, the guesses still count against the account.
	want429(t, attempt("203.0.113.3", "target@example.com", "guess four"), time.Hour)
	// Other accounts are not affected.
	wantStatus(t, attempt("203.0.113.3", "other@example.com", "guess"), http.StatusUnprocessableEntity)
}

func TestRegisterRateLimitPerIP(t *testing.T) {
	t.Parallel()
	app := rateLimitedApp(t, RateLimits{RegisterPerIP: RateLimit{Burst: 2, Every: time.Hour}})
	register := func(ip, email string) *page {
		b := app.browser()
		b.get("/register")
		return b.post("/register", url.Values{"email": {email}, "password": {"long enough"}, "password_confirm": {"long enough"}}, from(ip))
	}
	wantRedirect(t, register("203.0.113.1", "one@example.com"), "/tasks")
	wantStatus(t, register("203.0.113.1", "bad email"), http.StatusUnprocessableEntity)
	want429(t, register("203.0.113.1", "three@example.com"), time.Hour)
	if p := app.browser().login("three@example.com", "long enough"); p.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("the refused registration created an account (login: %d)", p.StatusCode)
	}
	wantRedirect(t, register("203.0.113.2", "four@example.com"), "/tasks")
}

func TestRateLimitWithHTMX(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, func(c *Config) {
		c.RateLimits = RateLimits{LoginPerIP: RateLimit{Burst: 1, Every: time.Minute}}
	})
	b := app.browser()
	b.get("/login")
	b.post("/login", url.Values{"email": {"a@example.com"}, "password": {"whatever1"}})
	p := b.postRaw("/login", url.Values{"email": {"a@example.com"}, "password": {"whatever1"}}, b.htmx()...)
	want429(t, p, time.Minute)
	if p.Header.Get("HX-Retarget") != "#messages" {
		t.Errorf("htmx 429 is not sent to the message area")
	}
}

func TestLimiterForgetsIdleBuckets(t *testing.T) {
	t.Parallel()
	l := newLimiter(RateLimit{Burst: 2, Every: time.Second})
	t0 := time.Now()
	for i := range 3 {
		ok, wait := l.allow("k", t0)
		if want := i < 2; ok != want {
			t.Fatalf("attempt %d: allowed = %v, want %v", i, ok, want)
		}
		if !ok && (wait <= 0 || wait > time.Second) {
			t.Errorf("wait = %v, want (0, 1s]", wait)
		}
	}
	l.allow("other", t0)
	if ok, _ := l.allow("k", t0.Add(time.Second)); !ok {
		t.Error("no token one period later")
	}
	// Both buckets have refilled after Burst×Every; the next sweep drops them.
	l.allow("new", t0.Add(5*time.Second))
	if n := l.size(); n != 1 {
		t.Errorf("%d buckets after the idle ones were swept, want 1", n)
	}
}
