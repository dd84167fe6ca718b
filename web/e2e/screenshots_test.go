//go:build browser

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taskapp/migrations"
)

// screenshotsEnv names the directory TestScreenshots writes to.
const screenshotsEnv = "SCREENSHOTS_DIR"

// TestScreenshots is not a check but the generator of docs/screenshots
// (`task screenshots`): it runs only when SCREENSHOTS_DIR names the
// directory to write to. It draws the main pages at phone and desktop
// widths, light and dark, from an account holding a dozen realistic tasks.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv(screenshotsEnv)
	if dir == "" {
		t.Skip("a generator, not a check: set " + screenshotsEnv + " to the directory to write PNGs to (task screenshots)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	a := startApp(t)
	b := newBrowser(t, a)

	// shoot draws the page at each size and scheme, from the top, or
	// scrolled to the element at when the top does not show it whole.
	shoot := func(name, at string) {
		t.Helper()
		for _, size := range []struct {
			name          string
			width, height int64
			opts          []chromedp.EmulateViewportOption
		}{
			{"phone", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateMobile}},
			{"desktop", 1280, 900, nil},
		} {
			b.do("resize to "+size.name, chromedp.EmulateViewport(size.width, size.height, size.opts...))
			for _, scheme := range []string{"light", "dark"} {
				b.colorScheme(scheme)
				b.do("move the pointer away", chromedp.MouseEvent(chromedp.MouseMoved, 0, 0))
				eval[chromedp.Void](b, `window.scrollTo(0, 0)`)
				if at != "" {
					eval[chromedp.Void](b, `(e => e.getBoundingClientRect().bottom > innerHeight && e.scrollIntoView({block: "center"}))(document.querySelector(`+js(at)+`))`)
				}
				b.waitUntil("transitions to finish", `document.getAnimations().length === 0`)
				png := run(b, "screenshot", chromedp.CaptureScreenshot())
				file := filepath.Join(dir, fmt.Sprintf("%s-%s-%s.png", name, size.name, scheme))
				if err := os.WriteFile(file, png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("wrote %s (%d KB)", file, len(png)/1024)
			}
		}
		b.colorScheme("light")
		b.do("back to desktop", chromedp.EmulateViewport(1280, 900))
	}

	b.open("/login")
	shoot("login", "")
	b.open("/register")
	shoot("register", "")

	b.register("alex@example.com")
	seedTasks(t, a, "alex@example.com", len(sampleTasks))
	backdate(t, a, "alex@example.com")
	b.open("/tasks")
	b.blur()
	shoot("tasks", "")

	title := "Plan the garden beds"
	row := "#" + b.rowID(title)
	b.click(row + ` a[aria-label="Edit “` + title + `”"]`)
	b.waitFor(row + " form.inline-edit")
	b.settled()
	shoot("inline-edit", row)

	b.open("/tasks")
	b.typeLong("#new-title", overlongSubject)
	b.click(createForm + ` button[type=submit]`)
	b.waitFor("#new-title-error")
	b.settled()
	shoot("validation-error", "")

	b.open(taskPath(b.taskID("Write the onboarding guide")))
	b.blur()
	shoot("task", "")

	b.open("/account")
	b.blur()
	shoot("account", "")

	b.open("/tasks")
	u, err := a.Store.UserByEmail(t.Context(), "alex@example.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"Plan the garden beds", "Write the onboarding guide"} {
		if _, err := a.Store.DeleteTask(t.Context(), u.ID, b.taskID(title)); err != nil {
			t.Fatal(err)
		}
	}
	b.open("/trash")
	b.blur()
	shoot("trash", "")
}

// overlongSubject is what a person might paste as a title: a whole
// email subject line and more, 205 characters.
const overlongSubject = "Re: Fwd: Kitchen renovation — the contractor says the cabinets arrive on the 14th, " +
	"but the countertop template can only be made after they are installed, so please confirm the dates with everyone by Friday"

// blur takes focus off whatever the page focused on load, for a picture
// of the page at rest.
func (b *browser) blur() {
	b.t.Helper()
	eval[chromedp.Void](b, `document.activeElement && document.activeElement.blur()`)
}

// backdate spreads the account's tasks over the past weeks, as
// sampleTasks says, so the list reads like one in use. The schema's
// trigger leaves updated_at alone when the statement sets it.
func backdate(t *testing.T, a *app, email string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	u, err := a.Store.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	q := "UPDATE tasks SET created_at = ?, updated_at = ? WHERE user_id = ? AND title = ?"
	if a.Store.Dialect() == migrations.Postgres {
		q = "UPDATE tasks SET created_at = $1, updated_at = $2 WHERE user_id = $3 AND title = $4"
	}
	now := time.Now().UTC()
	for _, task := range sampleTasks {
		created := now.Add(-task.age)
		updated := created.Add(task.age / 3)
		if _, err := a.Store.DB().ExecContext(ctx, q, created, updated, u.ID, task.title); err != nil {
			t.Fatal(err)
		}
	}
}
