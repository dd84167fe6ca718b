//go:build browser

package e2e

import "testing"

// TestChangePasswordInBrowser changes the password from the account page,
// with and without JavaScript: the old password then stops working at the
// login form and the new one signs in.
func TestChangePasswordInBrowser(t *testing.T) {
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
			b := newBrowser(t, a, mode.opts...)
			const email, newPassword = "pat@example.com", "a much better passphrase"
			b.register(email)

			b.visit(`nav a[href="/account"]`)
			b.expectPath("/account")
			b.fill("#pw-current_password", password)
			b.fill("#pw-password", newPassword)
			b.fill("#pw-password_confirm", newPassword)
			if st := b.submit(`form[action="/account/password"] button[type=submit]`); st != 200 {
				t.Fatalf("change password: status %d%s", st, b.state())
			}
			b.expectPath("/account")
			b.expectFlash("Your password has been changed. Any other sessions were signed out.")
			b.expectSignedIn(email)

			b.logout()
			b.open("/login")
			b.fill("#email", email)
			b.fill("#password", password)
			if st := b.submit(`form[action="/login"] button[type=submit]`); st != 422 {
				t.Fatalf("login with the old password: status %d, want 422%s", st, b.state())
			}
			if got := b.text(`[role="alert"]`); got != "Email or password is incorrect." {
				t.Fatalf("login with the old password says %q", got)
			}
			if v := b.value("#email"); v != email {
				t.Errorf("the email typed was not kept: %q", v)
			}
			b.fill("#password", newPassword)
			if st := b.submit(`form[action="/login"] button[type=submit]`); st != 200 {
				t.Fatalf("login with the new password: status %d%s", st, b.state())
			}
			b.expectPath("/tasks")
			b.expectSignedIn(email)
		})
	}
}
