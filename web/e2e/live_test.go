//go:build browser

package e2e

import (
	"testing"
)

// waitLive waits until the page's event stream is connected.
func (b *browser) waitLive() {
	b.t.Helper()
	b.waitUntil("the live stream to connect", `document.documentElement.getAttribute("data-live") === "open"`)
}

// listFetches counts the list fetches the page has made since it loaded.
func (b *browser) listFetches() int {
	b.t.Helper()
	return eval[int](b, `performance.getEntriesByType("resource").filter(e => new URL(e.name).pathname === "/tasks").length`)
}

// TestLiveUpdatesAcrossTabs: the same person in two browsers (a laptop
// and a phone); what one does, the other's open list shows without a
// reload, within its own filter and counts. An open inline edit is not
// overwritten; it says the list changed, and the list catches up when the
// edit closes. Another person's page hears nothing.
func TestLiveUpdatesAcrossTabs(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	laptop := newBrowser(t, a, named("laptop"))
	phone := newBrowser(t, a, named("phone"))
	bob := newBrowser(t, a, named("bob"))
	laptop.register("ann@example.com")
	phone.login("ann@example.com")
	bob.register("bob@example.com")

	phone.open("/tasks?status=pending")
	phone.waitLive()
	phone.setMarker()
	bob.waitLive()
	bob.setMarker()
	laptop.waitLive()

	laptop.addTask("Made on the laptop")
	phone.waitTitles("Made on the laptop")
	phone.expectCount("pending", 1)
	phone.expectCount("all", 1)
	phone.expectPath("/tasks?status=pending")
	phone.checkMarker("a task added on the laptop")

	// Completed on the laptop: it leaves the phone's pending list.
	laptop.choose("#"+laptop.rowID("Made on the laptop")+"-status", "completed")
	phone.expectCount("pending", 0)
	phone.expectTitles()
	phone.expectCount("completed", 1)
	phone.checkMarker("a task completed on the laptop")

	// An inline edit on the phone is kept while the laptop adds a task.
	laptop.addTask("Second from the laptop")
	phone.waitTitles("Second from the laptop")
	phone.settled()
	row := "#" + phone.rowID("Second from the laptop")
	phone.click(row + ` a[aria-label="Edit “Second from the laptop”"]`)
	phone.waitFor(row + " form.inline-edit")
	phone.settled()
	phone.fill(row+"-title", "Half-typed")
	laptop.addTask("Third from the laptop")
	phone.waitFor(row + " .changed-elsewhere")
	if v := phone.value(row + "-title"); v != "Half-typed" {
		t.Fatalf("phone: the open edit now holds %q; want what was typed kept", v)
	}
	if f := phone.focused(); f != row+"-title" {
		t.Fatalf("phone: focus moved to %s during the edit", f)
	}
	phone.checkA11y("an inline edit marked as changed elsewhere")
	phone.click(row + " [data-cancel]")
	phone.waitTitles("Third from the laptop", "Second from the laptop")
	phone.expectCount("pending", 2)
	phone.checkMarker("the list catching up after the edit")
	phone.checkA11y("the list after live updates")

	// Rows ticked for a bulk action stay ticked through a refresh.
	phone.click("#bulk-actions > summary")
	tick := "#" + phone.rowID("Second from the laptop") + " .task-select"
	phone.waitUntil("checkboxes to show", `getComputedStyle(document.querySelector(".task-select")).display !== "none"`)
	phone.click(tick)
	phone.waitText("[data-bulk-count]", "1 task selected")
	laptop.addTask("Fourth from the laptop")
	phone.waitTitles("Fourth from the laptop", "Third from the laptop", "Second from the laptop")
	phone.settled()
	if !eval[bool](phone, `document.querySelector(`+"`"+tick+"`"+`).checked`) {
		t.Error("phone: a row ticked for a bulk action was unticked by a live update")
	}
	phone.waitText("[data-bulk-count]", "1 task selected")
	phone.checkMarker("a live update during a selection")

	// Bob's page made no list fetch: no event of Ann's reached it.
	bob.expectTitles()
	if n := bob.listFetches(); n != 0 {
		t.Errorf("bob: his page fetched the list %d times while Ann worked", n)
	}
	bob.checkMarker("Ann's changes")
}

// Without JavaScript nothing changes: no stream, and a reload shows the
// state.
func TestLiveUpdatesWithoutJavaScript(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	laptop := newBrowser(t, a, named("laptop"))
	plain := newBrowser(t, a, named("plain"), withoutJS())
	laptop.register("ann@example.com")
	plain.login("ann@example.com")
	laptop.waitLive()
	laptop.addTask("Made with scripts")
	plain.expectTitles()
	plain.open("/tasks")
	plain.expectTitles("Made with scripts")
}
