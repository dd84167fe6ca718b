package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

const (
	uaFirefoxLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
	uaSafariPhone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
	uaChromeWin    = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)

// signInAs signs email in from a new browser that says it is ua.
func (a *testApp) signInAs(email, ua string) *browser {
	a.t.Helper()
	b := a.browser()
	b.get("/login", "User-Agent: "+ua)
	p := b.post("/login", url.Values{"email": {email}, "password": {testPassword}}, "User-Agent: "+ua)
	if p.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("sign in %s: %d\n%s", email, p.StatusCode, p.body)
	}
	return b
}

// sendRaw makes a request with any method and form exactly as given (no
// CSRF token added).
func (b *browser) sendRaw(method, path string, form url.Values, headers ...string) *page {
	b.app.t.Helper()
	req, _ := http.NewRequest(method, b.app.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	setHeaders(req, headers)
	return b.do(req)
}

// sessionRow is one row of the account page's list of devices.
type sessionRow struct {
	id, device, address string
	current             bool
	signOut             bool // has a Sign out button
}

func sessionRows(t *testing.T, p *page) []sessionRow {
	t.Helper()
	var out []sessionRow
	p.doc.Find("#sessions tbody tr").Each(func(_ int, tr *goquery.Selection) {
		id, _ := tr.Attr("id")
		th := tr.Find("th")
		current := th.Find(".this-device").Length() == 1
		th.Find(".this-device").Remove()
		out = append(out, sessionRow{
			id:      strings.TrimPrefix(id, "session-"),
			device:  strings.TrimSpace(th.Text()),
			address: strings.TrimSpace(tr.Find("td").First().Text()),
			current: current,
			signOut: tr.Find(`button[type="submit"]`).Length() == 1,
		})
	})
	return out
}

// alicesDevices signs alice in on three devices and bob on one.
func alicesDevices(t *testing.T, app *testApp) (laptop, phone, office, bob *browser) {
	t.Helper()
	app.signedIn("alice@example.com")
	app.signedIn("bob@example.com")
	laptop = app.signInAs("alice@example.com", uaFirefoxLinux)
	phone = app.signInAs("alice@example.com", uaSafariPhone)
	office = app.signInAs("alice@example.com", uaChromeWin)
	bob = app.signInAs("bob@example.com", uaChromeWin)
	return laptop, phone, office, bob
}

func TestAccountListsSessions(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, relaxedLimits)
	laptop, _, _, _ := alicesDevices(t, app)
	p := laptop.get("/account")
	wantStatus(t, p, http.StatusOK)
	rows := sessionRows(t, p)
	// alice's registration browser, laptop, phone, office; not bob's.
	if len(rows) != 4 {
		t.Fatalf("listed %d sessions, want alice's 4: %+v", len(rows), rows)
	}
	devices := map[string]sessionRow{}
	for _, r := range rows {
		devices[r.device] = r
		if r.address != "127.0.0.1" {
			t.Errorf("%s: address %q, want 127.0.0.1", r.device, r.address)
		}
	}
	if r := devices["Firefox on Linux"]; !r.current || r.signOut {
		t.Errorf("this device: %+v, want marked as this device, without a Sign out button", r)
	}
	for _, d := range []string{"Safari on iPhone", "Chrome on Windows"} {
		if r, ok := devices[d]; !ok || r.current || !r.signOut {
			t.Errorf("%s: %+v, want listed with a Sign out button", d, r)
		}
	}
	if n := p.doc.Find("#sessions time").Length(); n != 8 {
		t.Errorf("%d times shown, want signed in and last active for each", n)
	}
	if !rows[0].current {
		t.Errorf("first row %+v, want this device first", rows[0])
	}
	if got := strings.TrimSpace(p.doc.Find("#sessions tbody tr").First().Find("time").First().Text()); got != "just now" {
		t.Errorf("signed in %q, want just now", got)
	}
}

func sessionIDOf(t *testing.T, p *page, device string) string {
	t.Helper()
	for _, r := range sessionRows(t, p) {
		if r.device == device {
			return r.id
		}
	}
	t.Fatalf("no session of %s listed", device)
	return ""
}

func TestSignOutOneSession(t *testing.T) {
	t.Parallel()
	for _, htmx := range []bool{false, true} {
		t.Run("htmx="+strconv.FormatBool(htmx), func(t *testing.T) {
			t.Parallel()
			app := newTestApp(t, relaxedLimits)
			laptop, phone, office, _ := alicesDevices(t, app)
			id := sessionIDOf(t, laptop.get("/account"), "Safari on iPhone")
			var p *page
			if htmx {
				p = laptop.send(http.MethodDelete, "/account/sessions/"+id, nil, laptop.htmx()...)
				wantStatus(t, p, http.StatusOK)
				if p.doc.Find("html").Length() == 1 && p.doc.Find("body > #sessions").Length() != 1 {
					t.Errorf("htmx got more than the list:\n%s", p.body)
				}
				if got := p.doc.Find(`#messages[hx-swap-oob]`).Text(); !strings.Contains(got, "signed out") {
					t.Errorf("no message out of band: %q", got)
				}
			} else {
				p = laptop.post("/account/sessions/"+id, url.Values{"_method": {"DELETE"}})
				wantRedirect(t, p, "/account")
				p = laptop.get("/account")
				if got := flashText(p); !strings.Contains(got, "That device has been signed out.") {
					t.Errorf("flash = %q", got)
				}
			}
			for _, r := range sessionRows(t, p) {
				if r.device == "Safari on iPhone" {
					t.Errorf("the signed-out session is still listed")
				}
			}
			wantSignedOut(t, phone)
			wantSignedIn(t, laptop)
			wantSignedIn(t, office)
		})
	}
}

func TestSignOutEverywhereElse(t *testing.T) {
	t.Parallel()
	for _, htmx := range []bool{false, true} {
		t.Run("htmx="+strconv.FormatBool(htmx), func(t *testing.T) {
			t.Parallel()
			app := newTestApp(t, relaxedLimits)
			laptop, phone, office, bob := alicesDevices(t, app)
			laptop.get("/account")
			var p *page
			if htmx {
				p = laptop.send(http.MethodDelete, "/account/sessions", nil, laptop.htmx()...)
				wantStatus(t, p, http.StatusOK)
			} else {
				wantRedirect(t, laptop.post("/account/sessions", url.Values{"_method": {"DELETE"}}), "/account")
				p = laptop.get("/account")
			}
			if got := p.doc.Find("#messages").Text(); !strings.Contains(got, "Signed out 3 other devices.") {
				t.Errorf("message = %q", got)
			}
			if rows := sessionRows(t, p); len(rows) != 1 || !rows[0].current {
				t.Errorf("after sign out everywhere else: %+v, want only this device", rows)
			}
			if p.doc.Find(`#sessions form[action="/account/sessions"]`).Length() != 0 {
				t.Error("still offers to sign out everywhere else with no other device")
			}
			wantSignedIn(t, laptop)
			wantSignedOut(t, phone)
			wantSignedOut(t, office)
			wantSignedIn(t, bob)
		})
	}
}

// Another account's session ids are not found, whoever guesses them, and
// nothing happens to that session.
func TestOtherUsersSessionsAreNotFound(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, relaxedLimits)
	laptop, _, _, bob := alicesDevices(t, app)
	bobsID := sessionIDOf(t, bob.get("/account"), "Chrome on Windows")
	laptop.get("/account")
	for _, path := range []string{"/account/sessions/" + bobsID, "/account/sessions/999999", "/account/sessions/x"} {
		wantStatus(t, laptop.post(path, url.Values{"_method": {"DELETE"}}), http.StatusNotFound)
		wantStatus(t, laptop.send(http.MethodDelete, path, nil, laptop.htmx()...), http.StatusNotFound)
	}
	wantSignedIn(t, bob)
}

// Ending this device's own session from the list is signing out.
func TestEndingOwnSessionSignsOut(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.signedIn("self@example.com")
	rows := sessionRows(t, b.get("/account"))
	if len(rows) != 1 || !rows[0].current {
		t.Fatalf("rows = %+v", rows)
	}
	wantRedirect(t, b.post("/account/sessions/"+rows[0].id, url.Values{"_method": {"DELETE"}}), "/login")
	wantSignedOut(t, b)
}

func TestSessionFormsNeedCSRFToken(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, relaxedLimits)
	laptop, phone, _, _ := alicesDevices(t, app)
	id := sessionIDOf(t, laptop.get("/account"), "Safari on iPhone")
	for _, path := range []string{"/account/sessions/" + id, "/account/sessions"} {
		for name, token := range map[string][]string{"missing": nil, "wrong": {"forged"}} {
			if p := laptop.postRaw(path, url.Values{"_method": {"DELETE"}, "_csrf": token}); p.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s (DELETE) with %s token: %d, want 403", path, name, p.StatusCode)
			}
			if p := laptop.sendRaw(http.MethodDelete, path, url.Values{"_csrf": token}, "HX-Request: true"); p.StatusCode != http.StatusForbidden {
				t.Errorf("DELETE %s with %s token: %d, want 403", path, name, p.StatusCode)
			}
		}
	}
	wantSignedIn(t, phone)
}
