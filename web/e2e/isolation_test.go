//go:build browser

package e2e

import (
	"strings"
	"testing"
)

// TestTwoUsersNeverSeeEachOthersTasks signs two people in at once, each in
// a browser of their own, and checks that neither sees the other's tasks:
// not in the list, not by searching, not by typing the other's task URL
// (the same 404 page as for a task that does not exist), and not by
// sending the other's task a change or a delete from their own page.
func TestTwoUsersNeverSeeEachOthersTasks(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	ann := newBrowser(t, a, named("ann"))
	bob := newBrowser(t, a, named("bob"))

	ann.register("ann@example.com")
	bob.register("bob@example.com")
	ann.addTask("Ann's secret plan")
	ann.addTask("Ann's tax return")
	bob.addTask("Bob's surprise party")

	annID := ann.taskID("Ann's secret plan")
	bobID := bob.taskID("Bob's surprise party")

	for _, c := range []struct {
		b      *browser
		own    []string
		theirs string
		other  int64
	}{
		{ann, []string{"Ann's tax return", "Ann's secret plan"}, "Bob", bobID},
		{bob, []string{"Bob's surprise party"}, "Ann", annID},
	} {
		b := c.b
		b.open("/tasks")
		b.expectTitles(c.own...)
		b.expectCount("all", len(c.own))
		if body := b.text("body"); strings.Contains(body, c.theirs+"'s") {
			t.Errorf("%s: the list page mentions %s's task:\n%s", b.name, c.theirs, body)
		}

		// Searching for the other's words finds nothing.
		b.open("/tasks?q=" + strings.ToLower(c.theirs))
		b.expectTitles()
		b.expectCount("all", 0)

		// Typing the other's task URL: 404, the page a missing task gets.
		for _, path := range []string{taskPath(c.other), taskPath(c.other) + "/edit"} {
			if st := b.open(path); st != 404 {
				t.Errorf("%s: GET %s (%s's task): status %d, want 404", b.name, path, c.theirs, st)
			}
			if h := b.text("h1"); h != "Not found" {
				t.Errorf("%s: GET %s: heading %q, want Not found", b.name, path, h)
			}
			if body := b.text("body"); strings.Contains(body, c.theirs+"'s") {
				t.Errorf("%s: GET %s shows %s's task:\n%s", b.name, path, c.theirs, body)
			}
			b.checkA11y("the 404 page")
		}
		missing := b.open(taskPath(999999))
		if missing != 404 || b.text("main") != b.textAfterOpen(taskPath(c.other), "main") {
			t.Errorf("%s: a missing task and %s's task get different pages", b.name, c.theirs)
		}

		// Changing or deleting the other's task from one's own page, with
		// a valid session and CSRF token: 404, and nothing changes.
		b.open("/tasks")
		for _, method := range []string{"PATCH", "PUT", "DELETE"} {
			st := evalAsync[int](b, `fetch("`+taskPath(c.other)+`", {method: "`+method+`",
				headers: {"X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content,
					"Content-Type": "application/x-www-form-urlencoded"},
				body: "title=Hijacked&status=completed"}).then(r => r.status)`)
			if st != 404 {
				t.Errorf("%s: %s %s (%s's task): status %d, want 404", b.name, method, taskPath(c.other), c.theirs, st)
			}
		}
	}

	// Each still has their own tasks, untouched.
	ann.open("/tasks")
	ann.expectTitles("Ann's tax return", "Ann's secret plan")
	ann.expectCount("pending", 2)
	bob.open("/tasks")
	bob.expectTitles("Bob's surprise party")
	bob.expectCount("pending", 1)
	bob.open(taskPath(bobID))
	if h := bob.text("h1"); h != "Bob's surprise party" {
		t.Errorf("bob's own task page: heading %q", h)
	}
}

// textAfterOpen opens path and returns sel's text.
func (b *browser) textAfterOpen(path, sel string) string {
	b.t.Helper()
	b.open(path)
	return b.text(sel)
}
