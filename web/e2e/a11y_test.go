//go:build browser

package e2e

import (
	"context"
	"testing"
	"time"

	"taskapp/models"
)

// TestAccessibility runs axe-core on every page and every state the
// journeys reach, in the light and the dark colour scheme, and fails on
// any serious or critical violation. The list pages are checked without
// JavaScript too, where they show their noscript controls.
func TestAccessibility(t *testing.T) {
	t.Parallel()
	a := startApp(t, smallPages)
	b := newBrowser(t, a)
	check := func(state string) {
		t.Helper()
		for _, scheme := range []string{"light", "dark"} {
			b.colorScheme(scheme)
			b.checkA11y(state + " (" + scheme + ")")
		}
		b.colorScheme("light")
	}

	b.open("/login")
	check("login")
	b.fill("#email", "nobody@example.com")
	b.fill("#password", "wrong password")
	if st := b.submit(`form[action="/login"] button[type=submit]`); st != 422 && st != 401 && st != 200 {
		t.Fatalf("failed login: status %d", st)
	}
	b.waitFor(".flash.error")
	check("login with an error")

	b.open("/register")
	check("register")
	// Valid to the browser's own checks, refused by the server.
	b.fill("#email", "someone@example.com")
	b.fill("#password", "long enough password")
	b.fill("#password_confirm", "a different password")
	if st := b.submit(`form[action="/register"] button[type=submit]`); st != 422 {
		t.Fatalf("invalid registration: status %d, want 422", st)
	}
	check("register with errors")

	b.register("a11y@example.com")
	check("empty list")

	seedTasks(t, a, "a11y@example.com", 11)
	b.open("/tasks")
	b.addTask("Draft the release notes")
	b.typeOverlong("#new-title")
	b.click(createForm + ` button[type=submit]`)
	b.waitFor("#new-title-error")
	b.settled()
	check("create form with an error (422)")

	b.open("/tasks")
	b.waitFor("#page-next")
	check("full list")
	b.open("/tasks?status=completed")
	check("filtered list")
	b.open("/tasks?q=nothing-matches-this")
	check("search with no results")

	b.open("/tasks")
	id := b.taskID("Draft the release notes")
	row := "#" + b.rowID("Draft the release notes")
	b.click(row + ` a[aria-label="Edit “Draft the release notes”"]`)
	b.waitFor(row + " form.inline-edit")
	b.settled()
	check("inline edit form")
	b.typeOverlong(row + "-title")
	b.typeKeys("\r")
	b.waitFor(row + "-title-error")
	b.settled()
	check("inline edit form with an error (422)")

	b.open(taskPath(id))
	check("task page")

	b.open("/account")
	check("account")
	b.fill("#pw-current_password", "not my password")
	b.fill("#pw-password", "another long password")
	b.fill("#pw-password_confirm", "another long password")
	b.submit(`form[action="/account/password"] button[type=submit]`)
	b.waitFor(".field-error")
	check("account with an error")

	if st := b.open("/no/such/page"); st != 404 {
		t.Fatalf("GET /no/such/page: status %d, want 404", st)
	}
	check("404")

	// Without JavaScript the rows carry an Update button for the status.
	nojs := newBrowser(t, a, withoutJS(), named("no-js"))
	nojs.login("a11y@example.com")
	nojs.checkA11y("full list without JavaScript")
	nojs.open(taskPath(id))
	nojs.typeOverlong("#edit-title")
	nojs.submit(`form[aria-labelledby="edit-heading"] button[type=submit]`)
	nojs.waitFor("#edit-title-error")
	nojs.checkA11y("task page with an error (422), without JavaScript")
}

// seedTasks gives the account n more tasks in mixed statuses, some with
// descriptions, straight through the store.
func seedTasks(t *testing.T, a *app, email string, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	u, err := a.Store.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range sampleTasks[:n] {
		if _, err := a.Store.CreateTask(ctx, u.ID, models.TaskInput{
			Title: task.title, Description: task.description, Status: task.status,
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// sampleTasks are realistic tasks in mixed statuses, oldest first.
var sampleTasks = []struct {
	title, description string
	status             models.TaskStatus
	age                time.Duration
}{
	{"Renew the domain name", "Expires at the end of the month. Check the card on file first.", models.StatusCompleted, 21 * 24 * time.Hour},
	{"Book flights for the Lisbon offsite", "", models.StatusCompleted, 12 * 24 * time.Hour},
	{"Replace the hallway light bulb", "", models.StatusPending, 9 * 24 * time.Hour},
	{"Review Priya's pull request", "The caching change: look at the invalidation on delete.", models.StatusCompleted, 6 * 24 * time.Hour},
	{"Prepare the quarterly budget", "Gather last quarter's invoices and the new hosting quote.", models.StatusInProgress, 5 * 24 * time.Hour},
	{"Call the dentist to reschedule", "", models.StatusPending, 4 * 24 * time.Hour},
	{"Write the onboarding guide", "Sections: accounts, first task, keyboard shortcuts, exporting.", models.StatusInProgress, 3 * 24 * time.Hour},
	{"Order a birthday present for Sam", "Board game or the cookbook they mentioned.", models.StatusPending, 50 * time.Hour},
	{"Back up the photo library", "", models.StatusPending, 26 * time.Hour},
	{"Plan the garden beds", "Tomatoes, basil and peppers on the sunny side.", models.StatusPending, 7 * time.Hour},
	{"Pay the electricity bill", "", models.StatusCompleted, 3 * time.Hour},
	{"Reply to the landlord about the lease", "", models.StatusPending, 40 * time.Minute},
}

// addTitled gives the account pending tasks with these titles, in this
// order (so the list shows the last one first), straight through the store.
func addTitled(t *testing.T, a *app, email string, titles ...string) {
	t.Helper()
	u, err := a.Store.UserByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range titles {
		if _, err := a.Store.CreateTask(t.Context(), u.ID, models.TaskInput{Title: title}); err != nil {
			t.Fatal(err)
		}
	}
}
