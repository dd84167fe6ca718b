//go:build browser

package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// longTitle is one character over the 200-character limit, with
// multi-byte characters so that a byte count would be wrong too.
var longTitle = strings.Repeat("Überprüfen ", 17) + "und fertig!!!!"

func init() {
	if n := utf8.RuneCountInString(longTitle); n != 201 {
		panic("longTitle has the wrong length")
	}
}

// TestOverlongTitle types a 201-character title into the create form and
// into an edit form, with and without JavaScript, and checks that the
// message appears beside the field (right after it, tied to it with
// aria-describedby, the field marked aria-invalid), that the field still
// holds exactly what was typed, and that nothing was saved.
func TestOverlongTitle(t *testing.T) {
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
			b.register("val@example.com")
			if b.js {
				b.setMarker()
			}

			// The create form.
			b.typeOverlong("#new-title")
			if b.js {
				b.click(createForm + ` button[type=submit]`)
				b.waitFor("#new-title-error")
				b.settled()
				b.checkMarker("a rejected create")
				if f := b.focused(); f != "#new-title" {
					t.Errorf("after the error, focus is on %s, want the title field", f)
				}
			} else if st := b.submit(createForm + ` button[type=submit]`); st != 422 {
				t.Fatalf("create with a 201-character title: status %d, want 422", st)
			}
			b.expectFieldError("#new-title", "200")
			b.expectTitles()
			b.expectCount("all", 0)
			b.checkA11y("the create form with an error")

			// Then the same field, corrected, saves.
			b.fill("#new-title", "A title that fits")
			if b.js {
				b.click(createForm + ` button[type=submit]`)
				b.waitTitles("A title that fits")
				b.settled()
				if b.exists("#new-title-error") {
					t.Error("the error stayed after a successful create")
				}
			} else {
				b.submit(createForm + ` button[type=submit]`)
				b.expectTitles("A title that fits")
			}

			// An edit form: inline with JavaScript, the task page without.
			var field string
			if b.js {
				row := "#" + b.rowID("A title that fits")
				field = row + "-title"
				b.click(row + ` a[aria-label="Edit “A title that fits”"]`)
				b.waitFor(field)
				b.settled()
				b.typeOverlong(field)
				b.typeKeys("\r")
				b.waitFor(field + "-error")
				b.settled()
				b.checkMarker("a rejected inline edit")
			} else {
				id := b.taskID("A title that fits")
				b.open(taskPath(id))
				field = "#edit-title"
				b.typeOverlong(field)
				if st := b.submit(`form[aria-labelledby="edit-heading"] button[type=submit]`); st != 422 {
					t.Fatalf("save a 201-character title: status %d, want 422", st)
				}
				if h := b.text("h1"); h != "A title that fits" {
					t.Errorf("the task page's heading shows %q; it should show the stored title", h)
				}
			}
			b.expectFieldError(field, "200")
			b.checkA11y("an edit form with an error")

			b.open("/tasks")
			b.expectTitles("A title that fits")
		})
	}
}

// typeOverlong puts longTitle into a field.
func (b *browser) typeOverlong(sel string) {
	b.t.Helper()
	b.typeLong(sel, longTitle)
}

// typeLong puts text into a field as a person would have to if it is
// too long: a maxlength on the field would stop the typing, so it is
// removed first (through the DevTools protocol's DOM domain, which works
// with page scripts disabled); most of the text is pasted and the last
// characters typed.
func (b *browser) typeLong(sel, text string) {
	b.t.Helper()
	b.do("remove maxlength from "+sel, chromedp.RemoveAttribute(chromedp.CSS(sel), "maxlength"))
	b.fill(sel, "")
	r := []rune(text)
	paste, typed := string(r[:len(r)-10]), string(r[len(r)-10:])
	b.do("paste into "+sel, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: paste})
		return err
	}))
	b.typeKeys(typed)
	if v := b.value(sel); v != text {
		b.t.Fatalf("%s: could not type %d characters into %s: it holds %q", b.name, len(r), sel, v)
	}
}

// expectFieldError checks that field shows an error message containing
// want right after it, tied to it for screen readers, and that the field
// kept the long title as typed.
func (b *browser) expectFieldError(field, want string) {
	b.t.Helper()
	errID := strings.TrimPrefix(field, "#") + "-error"
	msg := b.text("#" + errID)
	if !strings.Contains(msg, want) {
		b.t.Errorf("%s: the message beside %s says %q, want it to mention %q", b.name, field, msg, want)
	}
	if next := eval[string](b, `(document.querySelector(`+js(field)+`).nextElementSibling || {}).id || ""`); next != errID {
		b.t.Errorf("%s: the element after %s is #%s, want the message #%s beside it", b.name, field, next, errID)
	}
	if v := b.attr(field, "aria-invalid"); v != "true" {
		b.t.Errorf("%s: %s has aria-invalid=%q, want true", b.name, field, v)
	}
	if d := b.attr(field, "aria-describedby"); !strings.Contains(" "+d+" ", " "+errID+" ") {
		b.t.Errorf("%s: %s has aria-describedby=%q, want it to name %s", b.name, field, d, errID)
	}
	if v := b.value(field); v != longTitle {
		b.t.Errorf("%s: after the error %s holds %q (%d characters), want what was typed (%d characters)",
			b.name, field, v, utf8.RuneCountInString(v), utf8.RuneCountInString(longTitle))
	}
}

// TestRejectedFormIsNotAConsoleError checks that htmx treats a 422 (a form
// drawn again with its messages) as an answer, not as a failed request:
// nothing about it in the console. A real error, a 404 for a task deleted
// elsewhere, still reports there.
func TestRejectedFormIsNotAConsoleError(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	b := newBrowser(t, a)
	b.register("console@example.com")

	b.typeOverlong("#new-title")
	b.click(createForm + ` button[type=submit]`)
	b.waitFor("#new-title-error")
	b.settled()
	if got := b.consoleWith("Response Status Error Code 422"); len(got) > 0 {
		t.Errorf("a rejected form logged an error in the console: %q", got)
	}

	b.fill("#new-title", "Gone elsewhere")
	b.click(createForm + ` button[type=submit]`)
	b.waitTitles("Gone elsewhere")
	b.settled()
	u, err := a.Store.UserByEmail(t.Context(), "console@example.com")
	if err != nil {
		t.Fatal(err)
	}
	// Erased behind the page's back, in SQL: through the store the page
	// would hear of it (live updates) and drop the row before the click.
	// This is the page that missed it.
	if _, err := a.Store.DB().ExecContext(t.Context(),
		fmt.Sprintf("DELETE FROM tasks WHERE user_id = %d AND id = %d", u.ID, b.taskID("Gone elsewhere"))); err != nil {
		t.Fatal(err)
	}
	b.click(`a[aria-label="Edit “Gone elsewhere”"]`)
	b.waitUntilGo("the 404 to be logged", func() bool {
		return len(b.consoleWith("Response Status Error Code 404")) > 0
	})
}
