//go:build browser

package e2e

import (
	"strings"
	"testing"

	"taskapp/views"
)

// TestDeleteAccountInBrowser deletes an account from its account page,
// with and without JavaScript: the page says beforehand that the account
// and its tasks are erased after 30 days, a wrong password is refused, and
// once deleted the account is signed out on every device and its password
// no longer signs in (the wrong-credentials answer). Axe-clean at each step.
func TestDeleteAccountInBrowser(t *testing.T) {
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
			b := newBrowser(t, a, append(mode.opts, named("laptop"))...)
			phone := newBrowser(t, a, named("phone"))
			const email = "leaving@example.com"
			b.register(email)
			phone.login(email)
			check := func(state string) {
				t.Helper()
				for _, scheme := range []string{"light", "dark"} {
					b.colorScheme(scheme)
					b.checkA11y(state + " (" + scheme + ")")
				}
				b.colorScheme("light")
			}

			b.visit(`nav a[href="/account"]`)
			b.expectPath("/account")
			note := strings.Join(strings.Fields(b.text("#delete-account-note")), " ")
			for _, want := range []string{"signed out everywhere", "After 30 days, the account and its tasks are erased for good."} {
				if !strings.Contains(note, want) {
					t.Errorf("the delete section says %q, want %q", note, want)
				}
			}
			check("the account page")

			b.fill("#del-password", "not my password")
			if st := b.submit(`form[action="/account/delete"] button[type=submit]`); st != 422 {
				t.Fatalf("delete with a wrong password: status %d, want 422%s", st, b.state())
			}
			if got := b.text("#del-password-error"); !strings.Contains(got, "not your current password") {
				t.Errorf("wrong password message = %q", got)
			}
			check("the account page refusing a wrong password")

			b.fill("#del-password", password)
			if st := b.submit(`form[action="/account/delete"] button[type=submit]`); st != 200 {
				t.Fatalf("delete: status %d%s", st, b.state())
			}
			b.expectPath("/login")
			users, err := a.Store.Users(t.Context())
			if err != nil || len(users) != 1 || users[0].DeletedAt == nil {
				t.Fatalf("accounts after the delete: %+v, %v", users, err)
			}
			b.expectFlash("erased on " + views.Date(a.Store.ErasesAt(*users[0].DeletedAt)))
			check("the login page after deleting the account")

			// Signed out on the other device too.
			phone.open("/tasks")
			phone.expectPath("/login?next=%2Ftasks")

			// The password no longer signs in: the usual wrong-credentials answer.
			b.fill("#email", email)
			b.fill("#password", password)
			if st := b.submit(`form[action="/login"] button[type=submit]`); st != 422 {
				t.Fatalf("sign-in to the deleted account: status %d, want 422%s", st, b.state())
			}
			if got := b.text(`[role="alert"]`); got != "Email or password is incorrect." {
				t.Errorf("sign-in to the deleted account says %q", got)
			}
			check("the refused sign-in")
		})
	}
}
