package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taskapp/models"
)

func TestAccountPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.signedIn("me@example.com")
	p := b.get("/account")
	wantStatus(t, p, http.StatusOK)
	if got := p.doc.Find("main strong").First().Text(); got != "me@example.com" {
		t.Errorf("account page shows %q, want the email", got)
	}
	today := time.Now().UTC().Format("2006-01-02")
	if got, _ := p.doc.Find("main time").Attr("datetime"); got != today {
		t.Errorf("member since %q, want %s", got, today)
	}
	for _, action := range []string{"/account/password", "/account/delete"} {
		if p.doc.Find(`form[method="post"][action="`+action+`"] input[name="_csrf"]`).Length() != 1 {
			t.Errorf("no form posting to %s with a CSRF field", action)
		}
	}
	if got := p.doc.Find(`[autofocus]`).Length(); got != 0 {
		t.Errorf("%d fields autofocused on a fresh account page, want none (it is a page to read first)", got)
	}
}

// The labelling and autofill hints that password managers and screen
// readers rely on.
func TestAccountFormsAreAccessible(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.signedIn("a11y@example.com")
	type want struct{ autocomplete, minlength string }
	for path, fields := range map[string]map[string]want{
		"/account": {
			"pw-current_password": {"current-password", ""},
			"pw-password":         {"new-password", "8"},
			"pw-password_confirm": {"new-password", ""},
			"del-password":        {"current-password", ""},
			"keyboard_shortcuts":  {"", ""},
			"tz-time_zone":        {"off", ""},
			"import-file":         {"", ""},
		},
		"/login": {
			"email":    {"email", ""},
			"password": {"current-password", ""},
		},
		"/register": {
			"email":            {"email", ""},
			"password":         {"new-password", "8"},
			"password_confirm": {"new-password", ""},
		},
	} {
		client := b
		if path != "/account" {
			client = app.browser()
		}
		p := client.get(path)
		wantStatus(t, p, http.StatusOK)
		inputs := p.doc.Find(`main input:not([type="hidden"])`)
		if inputs.Length() != len(fields) {
			t.Errorf("%s: %d visible inputs, want %d", path, inputs.Length(), len(fields))
		}
		inputs.Each(func(i int, in *goquery.Selection) {
			id, _ := in.Attr("id")
			if p.doc.Find(`label[for="`+id+`"]`).Length() != 1 {
				t.Errorf("%s: input #%s has no label", path, id)
			}
			w, ok := fields[id]
			if !ok {
				t.Errorf("%s: unexpected input #%s", path, id)
				return
			}
			if got, _ := in.Attr("autocomplete"); got != w.autocomplete {
				t.Errorf("%s #%s: autocomplete = %q, want %q", path, id, got, w.autocomplete)
			}
			if got, _ := in.Attr("minlength"); got != w.minlength {
				t.Errorf("%s #%s: minlength = %q, want %q", path, id, got, w.minlength)
			}
			if w.minlength != "" {
				by, _ := in.Attr("aria-describedby")
				if hint := p.doc.Find("#" + by).Text(); by == "" || !strings.Contains(hint, "8 characters") {
					t.Errorf("%s #%s: no hint about the minimum length (described by %q)", path, id, by)
				}
			}
			_, focused := in.Attr("autofocus")
			if first := path != "/account" && i == 0; focused != first {
				t.Errorf("%s #%s: autofocus = %v, want %v", path, id, focused, first)
			}
		})
	}
}

func changePassword(b *browser, current, password, confirm string) *page {
	b.app.t.Helper()
	b.get("/account")
	return b.post("/account/password", url.Values{"current_password": {current}, "password": {password}, "password_confirm": {confirm}})
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, relaxedLimits)
	b := app.signedIn("change@example.com")
	other := app.browser()
	wantRedirect(t, other.login("change@example.com", testPassword), "/tasks")
	wantSignedIn(t, other)

	p := changePassword(b, testPassword, "brand new secret", "brand new secret")
	wantRedirect(t, p, "/account")
	acct := b.get("/account")
	wantStatus(t, acct, http.StatusOK) // this browser stays signed in
	if got := flashText(acct); !strings.Contains(got, "password has been changed") {
		t.Errorf("flash = %q", got)
	}
	// The other browser is signed out on its next request.
	wantSignedOut(t, other)
	// The old password no longer works; the new one does.
	wantStatus(t, app.browser().login("change@example.com", testPassword), http.StatusUnprocessableEntity)
	wantRedirect(t, app.browser().login("change@example.com", "brand new secret"), "/tasks")
	// And this browser is still signed in after all that.
	wantSignedIn(t, b)
}

func TestChangePasswordValidation(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, relaxedLimits)
	b := app.signedIn("keep@example.com")
	for _, tc := range []struct {
		name                       string
		current, password, confirm string
		field, msg                 string
	}{
		{"empty", "", "", "", "pw-current_password", "Enter your current password."},
		{"wrong current password", "not my password", "brand new secret", "brand new secret", "pw-current_password", "not your current password"},
		{"short new password", testPassword, "short", "short", "pw-password", "at least 8 characters"},
		{"NUL in new password", testPassword, "brand\x00new secret", "brand\x00new secret", "pw-password", "can't be saved"},
		{"mismatch", testPassword, "brand new secret", "brand new secreT", "pw-password_confirm", "don't match"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := changePassword(b, tc.current, tc.password, tc.confirm)
			wantStatus(t, p, http.StatusUnprocessableEntity)
			if got := fieldError(t, p, tc.field); !strings.Contains(got, tc.msg) {
				t.Errorf("message beside %s = %q, want %q", tc.field, got, tc.msg)
			}
			if _, ok := p.doc.Find("#" + tc.field).Attr("autofocus"); !ok {
				t.Errorf("the field in error, #%s, is not focused", tc.field)
			}
			if got := fieldError(t, p, "del-password"); got != "" {
				t.Errorf("the delete form shows an error too: %q", got)
			}
			wantNoPasswordsEchoed(t, p)
			wantSignedIn(t, b)
		})
	}
	// Nothing changed.
	wantRedirect(t, app.browser().login("keep@example.com", testPassword), "/tasks")
}

func TestDeleteAccount(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, relaxedLimits)
	ctx := app.ctx()
	b := app.signedIn("leaving@example.com")
	other := app.signedIn("staying@example.com")
	leaving, err := app.store.UserByEmail(ctx, "leaving@example.com")
	if err != nil {
		t.Fatal(err)
	}
	staying, _ := app.store.UserByEmail(ctx, "staying@example.com")
	var mine []*models.Task
	for _, title := range []string{"first", "second"} {
		task, err := app.store.CreateTask(ctx, leaving.ID, models.TaskInput{Title: title})
		if err != nil {
			t.Fatal(err)
		}
		mine = append(mine, task)
	}
	theirs, err := app.store.CreateTask(ctx, staying.ID, models.TaskInput{Title: "not yours"})
	if err != nil {
		t.Fatal(err)
	}

	page := b.get("/account")
	if got := page.doc.Find(`section[aria-labelledby="delete-account"]`).Text(); !strings.Contains(got, "all 2 of your tasks") {
		t.Errorf("delete section does not say what goes with the account:\n%s", got)
	}
	for _, tc := range []struct{ name, password, msg string }{
		{"no password", "", "Enter your password"},
		{"wrong password", "not my password", "not your current password"},
	} {
		b.get("/account")
		p := b.post("/account/delete", url.Values{"password": {tc.password}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if got := fieldError(t, p, "del-password"); !strings.Contains(got, tc.msg) {
			t.Errorf("%s: message = %q, want %q", tc.name, got, tc.msg)
		}
		if got := fieldError(t, p, "pw-current_password"); got != "" {
			t.Errorf("%s: the password form shows an error too: %q", tc.name, got)
		}
		wantNoPasswordsEchoed(t, p)
		if _, err := app.store.TaskByID(ctx, leaving.ID, mine[0].ID); err != nil {
			t.Fatalf("%s: task gone after a refused delete: %v", tc.name, err)
		}
	}

	b.get("/account")
	wantRedirect(t, b.post("/account/delete", url.Values{"password": {testPassword}}), "/login")
	login := b.get("/login")
	wantStatus(t, login, http.StatusOK)
	if got := flashText(login); !strings.Contains(got, "deleted") {
		t.Errorf("flash after delete = %q", got)
	}
	wantSignedOut(t, b)
	wantStatus(t, app.browser().login("leaving@example.com", testPassword), http.StatusUnprocessableEntity)
	if _, err := app.store.UserByID(ctx, leaving.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("user after delete: %v, want ErrNotFound", err)
	}
	// The tasks wait, unreachable, for the purge, which erases them with
	// the account after the retention period.
	if _, err := app.store.PurgeDeletedUsers(ctx, models.Now().Add(app.store.AccountRetention()+time.Minute)); err != nil {
		t.Fatal(err)
	}
	for _, task := range mine {
		if _, err := app.store.TaskByID(ctx, leaving.ID, task.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("task %d after its owner was erased: %v, want ErrNotFound", task.ID, err)
		}
	}
	if _, err := app.store.TaskByID(ctx, staying.ID, theirs.ID); err != nil {
		t.Errorf("another user's task: %v", err)
	}
	wantSignedIn(t, other)
	// Erased, the email is free again.
	app.browser().register("leaving@example.com", "a fresh start")
}

// A session deleted from one browser is ended in the others too.
func TestDeletedAccountEndsOtherSessions(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.signedIn("gone@example.com")
	other := app.browser()
	other.login("gone@example.com", testPassword)
	b.get("/account")
	wantRedirect(t, b.post("/account/delete", url.Values{"password": {testPassword}}), "/login")
	wantSignedOut(t, other)
}

func TestAccountFormsNeedCSRFToken(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.signedIn("csrf@example.com")
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/account/password", url.Values{"current_password": {testPassword}, "password": {"hijacked password"}, "password_confirm": {"hijacked password"}}},
		{"/account/delete", url.Values{"password": {testPassword}}},
	} {
		for name, token := range map[string][]string{"missing": nil, "wrong": {"forged"}} {
			b.get("/account")
			form := url.Values{"_csrf": token}
			for k, v := range tc.form {
				form[k] = v
			}
			if p := b.postRaw(tc.path, form); p.StatusCode != http.StatusForbidden {
				t.Errorf("%s with %s token: %d, want 403", tc.path, name, p.StatusCode)
			}
		}
	}
	// Neither the password nor the account changed.
	wantSignedIn(t, b)
	wantRedirect(t, app.browser().login("csrf@example.com", testPassword), "/tasks")
}

func TestAccountPasswordChecksAreRateLimited(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, func(c *Config) {
		c.RateLimits = RateLimits{PerAccount: RateLimit{Burst: 2, Every: time.Hour}}
	})
	b := app.signedIn("guess@example.com")
	wantStatus(t, changePassword(b, "guess 1", "brand new secret", "brand new secret"), http.StatusUnprocessableEntity)
	b.get("/account")
	wantStatus(t, b.post("/account/delete", url.Values{"password": {"guess 2"}}), http.StatusUnprocessableEntity)
	// Validation errors check no password, so they cost nothing.
	wantStatus(t, changePassword(b, "guess 3", "short", "short"), http.StatusUnprocessableEntity)
	want429(t, changePassword(b, testPassword, "brand new secret", "brand new secret"), time.Hour)
	b.get("/account")
	want429(t, b.post("/account/delete", url.Values{"password": {testPassword}}), time.Hour)
	wantSignedIn(t, b)
}

// TestKeyboardShortcutsSetting: shortcuts are on for a new account (the
// page tells app.js with data-shortcuts), the account page turns them off
// and on again, and a signed-out page never has them.
func TestKeyboardShortcutsSetting(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.signedIn("keys@example.com")
	shortcuts := func() string {
		t.Helper()
		return b.get("/tasks").doc.Find("body").AttrOr("data-shortcuts", "")
	}
	if got := shortcuts(); got != "on" {
		t.Fatalf("a new account's list has data-shortcuts=%q, want on", got)
	}
	p := b.get("/account")
	if p.doc.Find(`form[action="/account/keyboard"] input[name=keyboard_shortcuts][checked]`).Length() != 1 {
		t.Fatalf("the account page does not show shortcuts on:\n%s", p.body)
	}

	wantRedirect(t, b.post("/account/keyboard", url.Values{}), "/account")
	if got := messages(b.get("/account")); got != "Keyboard shortcuts are off." {
		t.Errorf("flash %q", got)
	}
	if got := shortcuts(); got != "off" {
		t.Errorf("after turning them off, data-shortcuts=%q", got)
	}
	if b.get("/account").doc.Find(`input[name=keyboard_shortcuts][checked]`).Length() != 0 {
		t.Error("the account page still shows shortcuts on")
	}
	wantRedirect(t, b.post("/account/keyboard", url.Values{"keyboard_shortcuts": {"on"}}), "/account")
	if got := shortcuts(); got != "on" {
		t.Errorf("after turning them on again, data-shortcuts=%q", got)
	}

	if got := app.browser().get("/login").doc.Find("body").AttrOr("data-shortcuts", ""); got != "off" {
		t.Errorf("signed out, data-shortcuts=%q", got)
	}
}
