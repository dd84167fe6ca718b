//go:build browser

package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestKeyboardOnly creates, edits (Enter saves, Escape cancels), changes
// the status of and deletes tasks with key presses alone: Tab to move,
// Enter to activate, arrows in a select, Escape to cancel. No mouse event
// is sent in this test.
func TestKeyboardOnly(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	b := newBrowser(t, a)

	// Register, typing and pressing Enter.
	b.open("/register")
	if f := b.focused(); f != "#email" {
		t.Errorf("the registration page opens with focus on %s, want the email field", f)
	}
	b.typeKeys("kay@example.com")
	b.tabTo("#password", 3)
	b.typeKeys(password)
	b.tabTo("#password_confirm", 3)
	b.typeKeys(password)
	if st := b.follow("press Enter to register", chromedp.KeyEvent(kb.Enter)); st != 200 {
		t.Fatalf("register by keyboard: status %d", st)
	}
	b.expectPath("/tasks")

	// Create: Tab from the top of the page to the title field, type, Enter.
	steps := b.tabTo("#new-title", 15)
	t.Logf("Tab stops before the new task field: %s", strings.Join(steps, " → "))
	b.typeKeys("Water the ferns")
	b.typeKeys(kb.Enter)
	b.waitTitles("Water the ferns")
	b.settled()
	if f := b.focused(); f != "#new-title" {
		t.Fatalf("after creating, focus is on %s, want the title field for the next task", f)
	}
	b.typeKeys("Sort the recycling" + kb.Enter)
	b.waitTitles("Sort the recycling", "Water the ferns")
	b.settled()

	// Edit: Tab to the row's Edit button, Enter opens the form with focus
	// in the title, End and typing change it, Enter saves.
	row := "#" + b.rowID("Sort the recycling")
	edit := row + ` a[aria-label="Edit “Sort the recycling”"]`
	b.tabTo(edit, 15)
	b.typeKeys(kb.Enter)
	b.waitFor(row + " form.inline-edit")
	b.settled()
	if f := b.focused(); f != row+"-title" {
		t.Fatalf("Enter on Edit: focus is on %s, want %s-title", f, row)
	}
	b.typeKeys(kb.End + " and the glass")
	b.typeKeys(kb.Enter)
	b.waitGone(row + " form.inline-edit")
	b.waitText(row+" .task-title", "Sort the recycling and the glass")
	b.settled()
	edit = row + ` a[aria-label="Edit “Sort the recycling and the glass”"]`
	b.expectFocus(edit, "after saving with Enter")

	// Escape cancels: the row comes back as it was, focus on Edit.
	b.typeKeys(kb.Enter)
	b.waitFor(row + " form.inline-edit")
	b.settled()
	b.typeKeys(kb.End + " NOT SAVED")
	b.typeKeys(kb.Escape)
	b.waitGone(row + " form.inline-edit")
	b.settled()
	if got := b.text(row + " .task-title"); got != "Sort the recycling and the glass" {
		t.Fatalf("after Escape the row says %q, want the title as saved", got)
	}
	b.expectFocus(edit, "after cancelling with Escape")
	b.open("/tasks")
	b.expectTitles("Sort the recycling and the glass", "Water the ferns")

	// Status: Tab to the select, ArrowDown picks the next status.
	row = "#" + b.rowID("Water the ferns")
	b.tabTo(row+"-status", 40)
	b.typeKeys(kb.ArrowDown)
	b.waitText(row+" .status", "In progress")
	b.settled()
	b.expectCount("in_progress", 1)

	// Delete: Tab to the Delete button, Enter, accept the confirm.
	del := row + ` button[aria-label="Delete “Water the ferns”"]`
	b.tabTo(del, 5)
	b.typeKeys(kb.Enter)
	b.waitDialogs(1)
	b.waitGone(row)
	b.settled()
	b.expectTitles("Sort the recycling and the glass")
	b.expectCount("all", 1)
	// Focus moves to the neighbouring row instead of falling to <body>.
	b.expectFocus(edit, "after deleting the row below it")
}

// tabTo presses Tab until sel has focus, at most max times, and returns
// the focus stops on the way.
func (b *browser) tabTo(sel string, max int) []string {
	b.t.Helper()
	var stops []string
	for range max {
		if eval[bool](b, `document.activeElement === document.querySelector(`+js(sel)+`)`) {
			return stops
		}
		b.typeKeys(kb.Tab)
		stops = append(stops, b.focused())
	}
	if eval[bool](b, `document.activeElement === document.querySelector(`+js(sel)+`)`) {
		return stops
	}
	b.t.Fatalf("%s: %d Tabs never reached %s; focus went %s%s", b.name, max, sel, strings.Join(stops, " → "), b.state())
	return nil
}

// expectFocus checks that sel has focus.
func (b *browser) expectFocus(sel, when string) {
	b.t.Helper()
	b.waitUntil("focus on "+sel+" "+when, `document.activeElement === document.querySelector(`+js(sel)+`)`)
}
