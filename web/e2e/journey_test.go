//go:build browser

package e2e

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"taskapp/web"
)

// perPage is small so that seven tasks make two pages.
const perPage = 5

func smallPages(c *web.Config) { c.PerPage = perPage }

// journeyTasks are created in this order, so the list shows them newest
// first: the reverse.
var journeyTasks = []string{
	"Buy groceries",
	"Write report",
	"Call the plumber",
	"Renew passport",
	"Book dentist",
	"Plan team offsite",
	"Water the plants",
}

// TestJourneyWithJavaScript walks one person through the whole product
// with htmx on, checking what the page shows at each step, and that each
// list change is a partial update (a marker on window survives it) that
// keeps the address bar and history in step with the list.
func TestJourneyWithJavaScript(t *testing.T) {
	t.Parallel()
	a := startApp(t, smallPages)
	b := newBrowser(t, a)

	b.register("ada@example.com")
	b.expectFlash("Welcome to taskapp!")
	b.waitText("#task-list", "No tasks yet")
	if !b.scriptsRan() {
		t.Fatal("htmx did not load")
	}
	b.setMarker()

	// Create: each new row lands on top without a reload; the form is
	// fresh, focused, and the counts follow.
	for i, title := range journeyTasks {
		b.addTask(title)
		b.checkMarker("adding " + title)
		if f := b.focused(); f != "#new-title" {
			t.Fatalf("after adding %q focus is on %s, want the title field for the next task", title, f)
		}
		b.expectCount("all", i+1)
		b.expectCount("pending", i+1)
	}
	b.expectPath("/tasks")
	// The first page holds perPage rows: each row a new task pushed past
	// the end went to page 2 and left the screen, so no task is on both.
	b.expectTitles("Water the plants", "Plan team offsite", "Book dentist", "Renew passport", "Call the plumber")

	// Page 2, where the two oldest now are.
	b.click("#page-next")
	b.waitTitles("Write report", "Buy groceries")
	b.settled()
	b.checkMarker("paging to the older tasks")

	// Edit inline: Edit turns the row into a form with focus in the
	// title; Enter saves; the row comes back with focus on its Edit button.
	row := "#" + b.rowID("Write report")
	b.click(row + ` a[aria-label="Edit “Write report”"]`)
	b.waitFor(row + " form.inline-edit")
	b.settled()
	b.checkMarker("opening the inline edit form")
	if f := b.focused(); f != row+"-title" {
		t.Fatalf("inline edit: focus is on %s, want %s-title", f, row)
	}
	if v := b.value(row + "-title"); v != "Write report" {
		t.Fatalf("inline edit: title field holds %q", v)
	}
	b.fill(row+"-title", "Write quarterly report")
	b.typeKeys("\r")
	b.waitGone(row + " form.inline-edit")
	b.waitText(row+" .task-title", "Write quarterly report")
	b.settled()
	b.checkMarker("saving the inline edit")
	b.expectFlash("Saved “Write quarterly report”.")
	if f := b.focused(); f != "a:Edit “Write quarterly report”" {
		t.Fatalf("after saving, focus is on %s, want the row's Edit button", f)
	}

	// Change a status from the row's select.
	row = "#" + b.rowID("Buy groceries")
	b.choose(row+"-status", "completed")
	b.waitText(row+" .status", "Completed")
	b.settled()
	b.checkMarker("changing a status")
	b.expectFlash("“Buy groceries” marked completed.")
	b.expectCount("completed", 1)
	b.expectCount("pending", 6)
	b.click("#page-prev")
	b.waitTitles("Water the plants", "Plan team offsite", "Book dentist", "Renew passport", "Call the plumber")
	b.settled()
	b.expectPath("/tasks")
	row = "#" + b.rowID("Renew passport")
	b.choose(row+"-status", "in_progress")
	b.waitText(row+" .status", "In progress")
	b.settled()
	b.expectCount("in_progress", 1)

	// Filter by status: the region changes, the URL follows.
	b.click("#tab-completed")
	b.waitTitles("Buy groceries")
	b.settled()
	b.checkMarker("filtering by status")
	b.expectPath("/tasks?status=completed")
	if tab := b.currentTab(); tab != "tab-completed" {
		t.Fatalf("current tab is %q, want tab-completed", tab)
	}
	b.click("#tab-in_progress")
	b.waitTitles("Renew passport")
	b.settled()
	b.checkMarker("switching tabs")
	b.expectPath("/tasks?status=in_progress")

	// History: back and forward restore the list the URL names.
	b.back()
	b.waitList("/tasks?status=completed", "tab-completed", "Buy groceries")
	b.forward()
	b.waitList("/tasks?status=in_progress", "tab-in_progress", "Renew passport")
	b.back()
	b.waitList("/tasks?status=completed", "tab-completed", "Buy groceries")
	b.back()
	b.waitList("/tasks", "tab-all", "Water the plants", "Plan team offsite", "Book dentist", "Renew passport", "Call the plumber")

	// Search: typing updates the list without a reload or a submit.
	b.setMarker()
	b.fill("#q", "plan")
	b.waitTitles("Water the plants", "Plan team offsite")
	b.settled()
	b.checkMarker("searching")
	b.expectPath("/tasks?q=plan")
	b.expectCount("all", 2)
	// A search inside a tab keeps the tab.
	b.click("#tab-pending")
	b.waitTitles("Water the plants", "Plan team offsite")
	b.settled()
	b.expectPath("/tasks?q=plan&status=pending")
	b.fill("#q", "groceries")
	b.waitText("#task-list", "Nothing matches “groceries”")
	b.settled()
	b.expectPath("/tasks?q=groceries&status=pending")
	b.click(`#task-list a[href="/tasks?q=groceries"]`) // "Search all tasks"
	b.waitTitles("Buy groceries")
	b.settled()
	b.expectPath("/tasks?q=groceries")
	b.checkMarker("searching in a tab")
	b.back()
	b.waitList("/tasks?q=groceries&status=pending", "tab-pending")
	if v := b.value("#q"); v != "groceries" {
		t.Fatalf("after going back the search box holds %q, want %q", v, "groceries")
	}
	b.forward()
	b.waitList("/tasks?q=groceries", "tab-all", "Buy groceries")

	// Clearing the search shows everything again; then page.
	b.setMarker()
	b.fill("#q", "")
	b.waitTitles("Water the plants", "Plan team offsite", "Book dentist", "Renew passport", "Call the plumber")
	b.settled()
	b.expectPath("/tasks")
	b.waitText("#pagination", "Page 1 of 2")
	b.click("#page-next")
	b.waitTitles("Write quarterly report", "Buy groceries")
	b.settled()
	b.checkMarker("paging")
	b.expectPath("/tasks?page=2")
	b.waitText("#pagination", "Page 2 of 2")
	b.back()
	b.waitList("/tasks", "tab-all", "Water the plants", "Plan team offsite", "Book dentist", "Renew passport", "Call the plumber")
	b.forward()
	b.waitList("/tasks?page=2", "tab-all", "Write quarterly report", "Buy groceries")

	// Delete: the confirm dialog names the task; dismissing it keeps the
	// row, accepting removes it.
	b.setMarker()
	del := `button[aria-label="Delete “Buy groceries”"]`
	b.acceptDialogs.Store(false)
	b.click(del)
	if n := b.waitDialogs(1); n != "Delete “Buy groceries”?" {
		t.Fatalf("confirm dialog says %q", n)
	}
	b.settled()
	b.expectTitles("Write quarterly report", "Buy groceries")
	b.acceptDialogs.Store(true)
	b.click(del)
	b.waitDialogs(2)
	b.waitTitles("Write quarterly report")
	b.settled()
	b.checkMarker("deleting")
	b.expectFlash("Deleted “Buy groceries”.")
	b.expectCount("all", 6)
	b.expectCount("completed", 0)

	// Log out, log in again: the tasks are still there.
	b.logout()
	b.login("ada@example.com")
	b.expectTitles("Water the plants", "Plan team offsite", "Book dentist", "Renew passport", "Call the plumber")
	b.expectCount("all", 6)
	b.click("#page-next")
	b.waitTitles("Write quarterly report")
}

// back and forward move through the tab's history as the browser buttons
// do. The page may restore the entry in place or reload it; waitList
// waits for the result either way.
func (b *browser) back() {
	b.t.Helper()
	eval[chromedp.Void](b, `history.back()`)
}

func (b *browser) forward() {
	b.t.Helper()
	eval[chromedp.Void](b, `history.forward()`)
}

// waitList waits until the address is path and the page is the one that
// address names: the whole page (nav, search, create form, list), the
// search box holding the URL's q, tab current, and the list showing titles
// (none: its empty state).
func (b *browser) waitList(path, tab string, titles ...string) {
	b.t.Helper()
	if titles == nil {
		titles = []string{}
	}
	w, _ := jsonString(titles)
	b.waitUntil("the list for "+path, `document.readyState === "complete" &&
		location.pathname + location.search === `+js(path)+` &&
		document.querySelector('nav[aria-label="Main"]') && document.querySelector("#create-task") &&
		(document.querySelector("#q") || {}).value === (new URLSearchParams(location.search).get("q") || "") &&
		(document.querySelector('#task-tabs a[aria-current="page"]') || {}).id === `+js(tab)+` &&
		JSON.stringify([...document.querySelectorAll(`+js(rowTitles)+`)].map(e => e.innerText.trim())) === `+js(w))
	b.settled()
}

// waitDialogs waits until n dialogs have been answered and returns the
// last one's text.
func (b *browser) waitDialogs(n int) string {
	b.t.Helper()
	b.waitUntilGo("dialog", func() bool { return b.dialogCount() >= n })
	return b.lastDialog()
}

// TestJourneyWithoutJavaScript is the same journey with page scripts
// disabled: every step is a plain link or form (POST, 303, GET), with
// method override for edit, status and delete.
func TestJourneyWithoutJavaScript(t *testing.T) {
	t.Parallel()
	a := startApp(t, smallPages)
	b := newBrowser(t, a, withoutJS())

	b.register("grace@example.com")
	b.expectFlash("Welcome to taskapp!")
	b.waitText("#task-list", "No tasks yet")
	if b.scriptsRan() {
		t.Fatal("htmx ran although JavaScript is disabled")
	}

	for i, title := range journeyTasks {
		b.addTask(title)
		b.expectCount("all", i+1)
	}
	// Seven tasks, five a page: the newest five, and a link to the rest.
	b.expectTitles("Water the plants", "Plan team offsite", "Book dentist", "Renew passport", "Call the plumber")
	b.waitText("#pagination", "Page 1 of 2")

	// Edit: without JavaScript, Edit opens the task's page and its form.
	id := b.taskID("Call the plumber")
	if st := b.visit(`a[aria-label="Edit “Call the plumber”"]`); st != 200 {
		t.Fatalf("Edit: status %d", st)
	}
	b.expectPath(taskPath(id))
	if h := b.text("h1"); h != "Call the plumber" {
		t.Fatalf("task page heading is %q", h)
	}
	b.fill("#edit-title", "Call the plumber about the leak")
	if st := b.submit(`form[aria-labelledby="edit-heading"] button[type=submit]`); st != 200 {
		t.Fatalf("save: status %d", st)
	}
	b.expectPath(taskPath(id))
	b.expectFlash("Saved “Call the plumber about the leak”.")
	if h := b.text("h1"); h != "Call the plumber about the leak" {
		t.Fatalf("after saving, the heading is %q", h)
	}
	b.visit(`main a[href="/tasks"]`)
	b.expectTitles("Water the plants", "Plan team offsite", "Book dentist", "Renew passport", "Call the plumber about the leak")

	// Status: the row's select with its Update button (shown only
	// without JavaScript).
	row := "#" + b.rowID("Renew passport")
	b.choose(row+"-status", "completed")
	if st := b.submit(row + ` button[aria-label="Update status of “Renew passport”"]`); st != 200 {
		t.Fatalf("update status: status %d", st)
	}
	b.expectPath("/tasks")
	b.expectFlash("“Renew passport” marked completed.")
	if s := b.text(row + " .status"); s != "Completed" {
		t.Fatalf("status badge says %q", s)
	}
	row = "#" + b.rowID("Book dentist")
	b.choose(row+"-status", "in_progress")
	b.submit(row + ` button[aria-label="Update status of “Book dentist”"]`)
	b.expectCount("completed", 1)
	b.expectCount("in_progress", 1)
	b.expectCount("pending", 5)

	// Filter: tabs are links.
	b.visit("#tab-completed")
	b.waitList("/tasks?status=completed", "tab-completed", "Renew passport")
	b.back()
	b.waitList("/tasks", "tab-all", "Water the plants", "Plan team offsite", "Book dentist", "Renew passport", "Call the plumber about the leak")
	b.forward()
	b.waitList("/tasks?status=completed", "tab-completed", "Renew passport")

	// Search: a GET form, submitted with Enter, inside the tab on screen.
	b.visit("#tab-pending")
	b.fill("#q", "plan")
	b.follow("search", chromedp.KeyEvent("\r"))
	b.waitList("/tasks?status=pending&q=plan", "tab-pending", "Water the plants", "Plan team offsite")
	b.visit("#tab-all")
	b.waitList("/tasks?q=plan", "tab-all", "Water the plants", "Plan team offsite")
	b.fill("#q", "")
	b.submit(`form[role=search] button[type=submit]`)
	b.expectTitles("Water the plants", "Plan team offsite", "Book dentist", "Renew passport", "Call the plumber about the leak")

	// Page: links.
	b.visit("#page-next")
	b.waitList("/tasks?page=2", "tab-all", "Write report", "Buy groceries")
	b.waitText("#pagination", "Page 2 of 2")

	// Delete from the list: without JavaScript a page asks first; "Keep
	// it" changes nothing, confirming deletes and returns to the same page
	// of the list.
	if st := b.submit(`button[aria-label="Delete “Buy groceries”"]`); st != 200 {
		t.Fatalf("delete: status %d", st)
	}
	if h := b.text("h1"); h != "Delete “Buy groceries”?" {
		t.Fatalf("the delete page asks %q", h)
	}
	b.checkA11y("the delete confirmation page")
	b.visit(`#confirm-delete a[role="button"]`) // Keep it
	b.waitList("/tasks?page=2", "tab-all", "Write report", "Buy groceries")
	b.submit(`button[aria-label="Delete “Buy groceries”"]`)
	b.submit(`#confirm-delete button[type=submit]`)
	b.waitList("/tasks?page=2", "tab-all", "Write report")
	b.expectFlash("Deleted “Buy groceries”.")
	// Delete from the task page, through the same question.
	b.visit(`a.task-title`)
	b.submit(`#task-detail footer button[type=submit]`)
	if h := b.text("h1"); h != "Delete “Write report”?" {
		t.Fatalf("the delete page asks %q", h)
	}
	b.submit(`#confirm-delete button[type=submit]`)
	b.expectPath("/tasks")
	b.expectFlash("Deleted “Write report”.")
	b.expectCount("all", 5)
	if n := b.dialogCount(); n != 0 {
		t.Fatalf("%d JavaScript dialogs opened with JavaScript off", n)
	}

	b.logout()
	b.login("grace@example.com")
	b.expectTitles("Water the plants", "Plan team offsite", "Book dentist", "Renew passport", "Call the plumber about the leak")
	if b.exists("#page-next") {
		t.Fatal("five tasks on five a page, yet a next page link")
	}
	if b.scriptsRan() {
		t.Fatal("htmx ran although JavaScript is disabled")
	}
}

func taskPath(id int64) string { return "/tasks/" + strconv.FormatInt(id, 10) }
