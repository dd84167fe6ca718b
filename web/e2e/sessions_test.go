//go:build browser

package e2e

import (
	"strconv"
	"testing"
	"time"

	"taskapp/models"
)

// TestSessionsInBrowser lists the signed-in devices on the account page,
// signs one out, then signs out everywhere else, with and without
// JavaScript; the page is axe-clean in light and dark at each step, and
// the devices signed out are signed out for real.
func TestSessionsInBrowser(t *testing.T) {
	t.Parallel()
	for _, mode := range []struct {
		name string
		opts []browserOption
	}{
		{"with JavaScript", nil},
		{"without JavaScript", []browserOption{withoutJS()}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			a := startApp(t)
			laptop := newBrowser(t, a, append(mode.opts, named("laptop"))...)
			phone := newBrowser(t, a, named("phone"))
			const email = "dev@example.com"
			laptop.register(email)
			phone.login(email)
			// A third device, signed in on an iPhone a day ago.
			u, err := a.Store.UserByEmail(t.Context(), email)
			if err != nil {
				t.Fatal(err)
			}
			_, tablet, err := a.Store.CreateSession(t.Context(), models.NewSession{
				UserID:     u.ID,
				UserAgent:  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
				ClientAddr: "203.0.113.9",
			}, time.Now().Add(-24*time.Hour), models.SessionLifetime{Idle: 7 * 24 * time.Hour, Max: 30 * 24 * time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			check := func(state string) {
				t.Helper()
				for _, scheme := range []string{"light", "dark"} {
					laptop.colorScheme(scheme)
					laptop.checkA11y(state + " (" + scheme + ")")
				}
				laptop.colorScheme("light")
			}

			laptop.visit(`nav a[href="/account"]`)
			laptop.expectPath("/account")
			rows := laptop.texts("#sessions tbody th")
			if len(rows) != 3 {
				t.Fatalf("listed %q, want three devices", rows)
			}
			if got := laptop.texts("#sessions tbody tr:first-child .this-device"); len(got) != 1 {
				t.Errorf("the first row is not marked as this device")
			}
			if got := laptop.texts("#sessions .this-device"); len(got) != 1 || got[0] != "This device" {
				t.Errorf("devices marked as this one: %q, want one", got)
			}
			tabletRow := "#session-" + strconv.FormatInt(tablet.ID, 10)
			if got := laptop.text(tabletRow + " th"); got != "Safari on iPhone" {
				t.Errorf("the iPhone's row says %q", got)
			}
			if got := laptop.text(tabletRow + " td"); got != "203.0.113.9" {
				t.Errorf("the iPhone's address %q", got)
			}
			check("account with three devices")

			signOut := tabletRow + " button[type=submit]"
			everywhere := `form[action="/account/sessions"] button[type=submit]`
			if mode.opts == nil {
				laptop.click(signOut)
				laptop.waitGone(tabletRow)
			} else if st := laptop.submit(signOut); st != 200 {
				t.Fatalf("sign out one device: status %d", st)
			}
			laptop.expectPath("/account")
			laptop.expectFlash("That device has been signed out.")
			if n := len(laptop.texts("#sessions tbody th")); n != 2 {
				t.Errorf("%d devices listed after signing one out, want 2", n)
			}
			check("account after signing out one device")

			if mode.opts == nil {
				laptop.click(everywhere)
				laptop.waitGone(everywhere)
			} else if st := laptop.submit(everywhere); st != 200 {
				t.Fatalf("sign out everywhere else: status %d", st)
			}
			laptop.expectPath("/account")
			laptop.expectFlash("Signed out 1 other device.")
			if rows := laptop.texts("#sessions tbody th"); len(rows) != 1 {
				t.Errorf("after signing out everywhere else: %q, want only this device", rows)
			}
			check("account with only this device")

			// The phone is signed out for real; the laptop is not.
			phone.open("/account")
			phone.expectPath("/login?next=%2Faccount")
			laptop.open("/tasks")
			laptop.expectSignedIn(email)
		})
	}
}
