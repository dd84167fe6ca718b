//go:build browser

package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBulkActions selects tasks in select mode and completes, then
// deletes them in one go, and undoes the delete, with JavaScript (shift-click for a range, select
// all on this page, a confirm dialog, the list swapped in place) and
// without (the same form, plain submits, a page that asks before the
// delete); axe-clean in light and dark with select mode open.
func TestBulkActions(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []browserOption
	}{
		{"with JavaScript", nil},
		{"without JavaScript", []browserOption{withoutJS()}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			a := startApp(t)
			b := newBrowser(t, a, mode.opts...)
			b.register("bulk@example.com")
			addTitled(t, a, "bulk@example.com", "Four", "Three", "Two", "One")
			b.open("/tasks")
			box := func(title string) string { return "#" + b.rowID(title) + " .task-select" }
			if eval[bool](b, `getComputedStyle(document.querySelector(".task-select")).display !== "none"`) {
				t.Error("row checkboxes show before select mode is on")
			}
			b.click("#bulk-actions > summary")
			b.waitUntil("checkboxes to show", `getComputedStyle(document.querySelector(".task-select")).display !== "none"`)
			b.checkA11y("select mode, light")
			b.colorScheme("dark")
			b.checkA11y("select mode, dark")
			b.colorScheme("light")

			// Complete One to Three.
			b.click(box("One"))
			if b.js {
				b.setMarker()
				b.do("shift-click Three", b.clickAction(box("Three"), chromedp.ButtonModifiers(kb.ModifierShift)))
				b.waitText("[data-bulk-count]", "3 tasks selected")
				b.click(`#bulk-form button[value=complete]`)
				b.waitText("#tab-completed .count", "3")
				b.settled()
				b.checkMarker("a bulk complete")
			} else {
				b.click(box("Two"))
				b.click(box("Three"))
				if st := b.submit(`#bulk-form button[value=complete]`); st != 200 {
					t.Fatalf("bulk complete: status %d", st)
				}
			}
			b.expectFlash("Marked 3 tasks completed.")
			b.expectCount("completed", 3)
			b.expectCount("pending", 1)

			// Delete them all.
			if b.js {
				b.click("[data-bulk-all] input")
				b.waitText("[data-bulk-count]", "4 tasks selected")
				n := b.dialogCount()
				b.click(`#bulk-form button[value=delete]`)
				if got := b.waitDialogs(n + 1); got != "Delete 4 tasks?" {
					t.Errorf("the delete asked %q", got)
				}
				b.waitFor("#task-list.empty")
				b.settled()
				b.checkMarker("a bulk delete")
			} else {
				if !b.exists("#bulk-actions[open]") {
					b.click("#bulk-actions > summary")
				}
				for _, title := range []string{"One", "Two", "Three", "Four"} {
					b.click(box(title))
				}
				if st := b.submit(`#bulk-form button[value=delete]`); st != 200 {
					t.Fatalf("bulk delete: status %d", st)
				}
				if got := b.text("h1"); got != "Delete 4 tasks?" {
					t.Fatalf("the delete asks %q", got)
				}
				b.checkA11y("the bulk delete question")
				if st := b.submit(`#confirm-bulk-delete button[type=submit]`); st != 200 {
					t.Fatalf("confirm bulk delete: status %d", st)
				}
			}
			b.expectFlash("Deleted 4 tasks.")
			b.expectTitles()
			b.expectCount("all", 0)

			// Undo brings all four back, in place, statuses kept.
			if b.js {
				b.click("#messages [data-undo]")
				b.waitTitles("One", "Two", "Three", "Four")
				b.settled()
				b.checkMarker("Undo of a bulk delete")
			} else if st := b.submit("#messages [data-undo]"); st != 200 {
				t.Fatalf("Undo: status %d", st)
			}
			b.expectFlash("Restored 4 tasks.")
			b.expectTitles("One", "Two", "Three", "Four")
			b.expectCount("all", 4)
			b.expectCount("completed", 3)
		})
	}
}
