package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
	"taskapp/views"
)

// deleteAccount deletes b's account through the account page.
func deleteAccount(t *testing.T, b *browser) *page {
	t.Helper()
	b.get("/account")
	p := b.post("/account/delete", url.Values{"password": {testPassword}})
	wantRedirect(t, p, "/login")
	return b.get("/login")
}

// normalized is a page's body with what differs between two people's
// answers (the email typed, the CSRF token) taken out.
func normalized(b *browser, p *page, email string) string {
	return strings.ReplaceAll(strings.ReplaceAll(p.body, email, "EMAIL"), b.csrf, "TOKEN")
}

// A deleted account's owner, with the right password, gets exactly the
// answer a wrong password gets: same status, same page, same message.
func TestDeletedAccountSignInLooksLikeWrongPassword(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, relaxedLimits)
	deleteAccount(t, app.signedIn("gone@example.com"))
	app.signedIn("known@example.com")

	deleted, wrong := app.browser(), app.browser()
	pd := deleted.login("gone@example.com", testPassword)
	pw := wrong.login("known@example.com", "not the password")
	wantStatus(t, pd, http.StatusUnprocessableEntity)
	wantStatus(t, pw, http.StatusUnprocessableEntity)
	if got := formAlert(pd); got != msgBadCredentials {
		t.Errorf("deleted account's sign-in alert = %q, want %q", got, msgBadCredentials)
	}
	if a, b := normalized(deleted, pd, "gone@example.com"), normalized(wrong, pw, "known@example.com"); a != b {
		t.Errorf("a deleted account's sign-in differs from a wrong password's:\n%s\n---\n%s", a, b)
	}
	wantSignedOut(t, deleted)
}

// The refusal takes the same path as a wrong password, a password hash
// included: with every hashing slot taken, both wait for one and answer
// 503, where an answer that skipped the hash would come back at once.
func TestDeletedAccountSignInStillHashes(t *testing.T) {
	t.Parallel()
	gate := newHashGate(1, time.Millisecond)
	app := newTestApp(t, relaxedLimits, func(c *Config) { c.hashing = gate })
	deleteAccount(t, app.signedIn("gone@example.com"))
	app.signedIn("known@example.com")
	gate.slots <- struct{}{} // another sign-in is hashing
	for _, tc := range []struct{ email, password string }{
		{"gone@example.com", testPassword},
		{"known@example.com", "not the password"},
	} {
		p := app.browser().login(tc.email, tc.password)
		wantStatus(t, p, http.StatusServiceUnavailable)
	}
	<-gate.slots
}

// A deleted account's email stays taken until the account is erased, with
// the answer registration gives for any taken email.
func TestDeletedAccountEmailStaysReserved(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, relaxedLimits)
	deleteAccount(t, app.signedIn("gone@example.com"))
	app.signedIn("known@example.com")

	register := func(email string) (*browser, *page) {
		b := app.browser()
		b.get("/register")
		return b, b.post("/register", url.Values{"email": {email}, "password": {"a fresh start"}, "password_confirm": {"a fresh start"}})
	}
	bd, pd := register("GONE@example.com")
	bl, pl := register("KNOWN@example.com")
	wantStatus(t, pd, http.StatusUnprocessableEntity)
	if got := fieldError(t, pd, "email"); !strings.Contains(got, "already exists") {
		t.Errorf("registering a deleted account's email: message %q, want it refused as taken", got)
	}
	if a, b := normalized(bd, pd, "GONE@example.com"), normalized(bl, pl, "KNOWN@example.com"); a != b {
		t.Errorf("a deleted account's email is refused differently from a live one's:\n%s\n---\n%s", a, b)
	}
	if n := dbtest.Count(t, app.store, "SELECT count(*) FROM users"); n != 2 {
		t.Errorf("%d accounts, want the 2 registered", n)
	}
}

// The account page says, before the password is typed, when a deleted
// account is erased (ACCOUNT_RETENTION), and the message after the
// deletion gives the date.
func TestDeleteAccountSaysWhenItIsErased(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		retention time.Duration
		want      string
	}{
		{0, "After 30 days, the account and its tasks are erased for good."},
		{7 * 24 * time.Hour, "After 7 days, the account and its tasks are erased for good."},
	} {
		store := dbtest.Open(t, models.Config{AccountRetention: tc.retention})
		if _, err := store.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		app := newTestAppOn(t, store)
		b := app.signedIn("leaving@example.com")
		note := strings.Join(strings.Fields(b.get("/account").doc.Find("#delete-account-note").Text()), " ")
		if !strings.Contains(note, tc.want) || !strings.Contains(note, "signed out everywhere") {
			t.Errorf("retention %v: the delete section says %q, want %q", tc.retention, note, tc.want)
		}
		login := deleteAccount(t, b)
		users, err := store.Users(t.Context())
		if err != nil || len(users) != 1 || users[0].DeletedAt == nil {
			t.Fatalf("users after delete: %+v, %v", users, err)
		}
		date := views.Date(store.ErasesAt(*users[0].DeletedAt))
		if got := flashText(login); !strings.Contains(got, "erased on "+date) {
			t.Errorf("retention %v: flash = %q, want the erase date %s", tc.retention, got, date)
		}
	}
}
