//go:build browser

package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"taskapp/models"
)

// timeZone makes the browser report zone, as a person's device in that
// zone would (Intl.DateTimeFormat, which app.js sends in a cookie).
func (b *browser) timeZone(zone string) {
	b.t.Helper()
	b.do("emulate time zone "+zone, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone})
		return err
	}))
}

// addDue creates a task due on due with the create form: the title, then
// the date under "Description, status and due date".
func (b *browser) addDue(title string, due models.Date) {
	b.t.Helper()
	b.fill("#new-title", title)
	if !b.exists(createForm + " details[open]") {
		b.click(createForm + " summary")
	}
	b.choose("#new-due_date", due.String())
	if b.js {
		b.click(createForm + ` button[type=submit]`)
		b.waitUntil("the new row", `[...document.querySelectorAll(`+js(rowTitles)+`)].some(e => e.innerText.trim() === `+js(title)+`)`)
		b.settled()
	} else if st := b.submit(createForm + ` button[type=submit]`); st != 200 {
		b.t.Fatalf("%s: add %q: status %d%s", b.name, title, st, b.state())
	}
}

// expectDue checks the due label of the row titled title and its
// machine-readable date.
func (b *browser) expectDue(title, label string, due models.Date) {
	b.t.Helper()
	sel := "#" + b.rowID(title) + " time.due"
	if got := b.text(sel); got != label {
		b.t.Errorf("%s: %q is due %q, want %q", b.name, title, got, label)
	}
	if got := b.attr(sel, "datetime"); got != due.String() {
		b.t.Errorf("%s: %q due datetime %q, want %s", b.name, title, got, due)
	}
}

// TestDailyList works through issue 13's list with and without
// JavaScript: due dates set in the create form and shown as "Today" and
// "Overdue · 3 days" by the browser's calendar, the Today and Upcoming
// tabs, one-click completion, and sorting by title kept in the URL; axe
// checks the list in light and dark.
func TestDailyList(t *testing.T) {
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
			// With JavaScript the page sends the browser's zone, 14 hours
			// ahead of UTC; without, days are counted in UTC.
			zone := "UTC"
			if b.js {
				zone = "Pacific/Kiritimati"
				b.timeZone(zone)
			}
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			b.register("daily@example.com")
			if b.js {
				b.open("/tasks") // the first page set the zone cookie
			}
			today := models.Today(time.Now(), loc)

			b.addDue("File the tax return", today.AddDays(-3))
			b.addDue("Pay rent", today)
			b.addDue("Buy a plant", today.AddDays(1))
			b.addTask("apples for the week")
			b.expectDue("Pay rent", "Today", today)
			b.expectDue("File the tax return", "Overdue · 3 days", today.AddDays(-3))
			b.expectDue("Buy a plant", "Tomorrow", today.AddDays(1))
			b.expectCount("today", 2)
			b.expectCount("upcoming", 1)
			b.colorScheme("light")
			b.checkA11y("the list with due dates, light")
			b.colorScheme("dark")
			b.checkA11y("the list with due dates, dark")

			// Today: overdue first.
			b.listTab("#tab-today", "/tasks?view=today")
			b.expectTitles("File the tax return", "Pay rent")
			// Upcoming: tomorrow, under its day.
			b.listTab("#tab-upcoming", "/tasks?view=upcoming")
			b.expectTitles("Buy a plant")
			if got := b.attr("#task-list h2.task-day time", "datetime"); got != today.AddDays(1).String() {
				t.Errorf("Upcoming day heading %q", got)
			}
			b.checkA11y("the Upcoming view")

			// One-click completion from Today.
			b.listTab("#tab-today", "/tasks?view=today")
			box := "#" + b.rowID("Pay rent") + "-done"
			if got := b.attr(box, "aria-label"); got != "Completed: “Pay rent”" {
				t.Errorf("the checkbox label is %q", got)
			}
			b.click(box)
			if b.js {
				b.expectCount("today", 1)
				b.waitText("#"+b.rowID("Pay rent")+" .status", "Completed")
				b.expectPath("/tasks?view=today")
			} else {
				if st := b.submit("#" + b.rowID("Pay rent") + ` button[aria-label="Update status of “Pay rent”"]`); st != 200 {
					t.Fatalf("save completion: status %d", st)
				}
				b.expectPath("/tasks?view=today")
				b.expectTitles("File the tax return")
				b.expectCount("today", 1)
			}
			b.expectFlash("“Pay rent” marked completed.")

			// Unchecking puts it back to pending.
			b.listTab("#tab-all", "/tasks")
			b.click("#" + b.rowID("Pay rent") + "-done")
			if !b.js {
				b.submit("#" + b.rowID("Pay rent") + ` button[aria-label="Update status of “Pay rent”"]`)
				b.expectPath("/tasks")
			}
			b.waitText("#"+b.rowID("Pay rent")+" .status", "Pending")
			b.expectCount("today", 2)

			// Sort by title, A–Z whatever the case; the URL says so.
			b.choose("#sort", "title")
			if b.js {
				b.waitTitles("apples for the week", "Buy a plant", "File the tax return", "Pay rent")
			} else {
				b.submit("form.task-sort button[type=submit]")
			}
			b.expectPath("/tasks?sort=title")
			b.expectTitles("apples for the week", "Buy a plant", "File the tax return", "Pay rent")
			// A tab keeps the order.
			b.listTab("#tab-pending", "/tasks?sort=title&status=pending")
			b.expectTitles("apples for the week", "Buy a plant", "File the tax return", "Pay rent")
			if b.js {
				// Back and forward keep the order with the tab.
				b.back()
				b.waitUntil("back to every task by title", `location.pathname + location.search === "/tasks?sort=title"`)
				b.waitUntil("the All tab current", `document.querySelector("#tab-all")?.getAttribute("aria-current") === "page"`)
				b.expectTitles("apples for the week", "Buy a plant", "File the tax return", "Pay rent")
				if v := b.value("#sort"); v != "title" {
					t.Errorf("after back the sort shows %q", v)
				}
				b.forward()
				b.waitUntil("forward to pending by title", `location.pathname + location.search === "/tasks?sort=title&status=pending"`)
				b.waitUntil("the Pending tab current", `document.querySelector("#tab-pending")?.getAttribute("aria-current") === "page"`)
			}
		})
	}
}

// listTab follows a tab link and checks where it led.
func (b *browser) listTab(tab, want string) {
	b.t.Helper()
	if b.js {
		b.click(tab)
		b.waitUntil("the address "+want, `location.pathname + location.search === `+js(want))
		b.waitUntil("the tab current", `document.querySelector(`+js(tab)+`).getAttribute("aria-current") === "page"`)
		b.settled()
	} else {
		b.visit(tab)
	}
	b.expectPath(want)
}
