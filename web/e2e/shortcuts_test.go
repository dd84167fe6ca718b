//go:build browser

package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestKeyboardShortcuts drives the list with its single-key shortcuts
// alone, no mouse event: j/k and arrows move a visible focus that a
// screen reader hears about, x completes and reopens, e edits, Delete
// asks and deletes, n and / jump to their fields without typing into
// them, ? opens the list of shortcuts, g t goes to Today; then the
// account page turns them off and the keys do nothing.
func TestKeyboardShortcuts(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	b := newBrowser(t, a)
	b.register("keys@example.com")
	addTitled(t, a, "keys@example.com", "Third", "Second", "First")
	b.open("/tasks")
	b.expectTitles("First", "Second", "Third")
	first, second := "#"+b.rowID("First"), "#"+b.rowID("Second")

	b.press("j")
	b.expectFocus(first, "after j")
	b.waitText("#shortcut-status", "First, task 1 of 3")
	if eval[string](b, `getComputedStyle(document.activeElement).outlineStyle`) == "none" {
		t.Error("the current task shows no focus ring")
	}
	b.press("j")
	b.expectFocus(second, "after j j")
	b.press("k")
	b.expectFocus(first, "after k")
	b.press("ArrowDown")
	b.expectFocus(second, "after ↓")
	b.waitText("#shortcut-status", "Second, task 2 of 3")

	// x completes the current task in place, and x again reopens it.
	b.press("x")
	b.waitText(second+" .status", "Completed")
	b.settled()
	b.expectFocus(second, "after x")
	b.expectCount("completed", 1)
	b.press("x")
	b.waitText(second+" .status", "Pending")
	b.settled()
	b.expectCount("completed", 0)

	// e opens the inline edit form; Escape brings the row back.
	b.press("e")
	b.waitFor(second + " form.inline-edit")
	b.settled()
	b.typeKeys(kb.Escape)
	b.waitGone(second + " form.inline-edit")
	b.settled()

	// n focuses the new-task field without typing an n into it; keys
	// typed there are text, not shortcuts.
	b.press("n")
	b.expectFocus("#new-title", "after n")
	b.typeKeys("jx")
	if v := b.value("#new-title"); v != "jx" {
		t.Errorf("typing in the new-task field gave %q, want jx", v)
	}
	b.fill("#new-title", "")
	b.typeKeys(kb.Escape)
	eval[any](b, `document.activeElement.blur()`)
	b.press("/")
	b.expectFocus("#q", "after /")
	if v := b.value("#q"); v != "" {
		t.Errorf("/ typed %q into the search", v)
	}
	eval[any](b, `document.activeElement.blur()`)

	// ? lists them all in a dialog; Escape closes it.
	b.press("?")
	b.waitFor("#shortcuts-dialog[open]")
	if got := b.text("#shortcuts-dialog"); !strings.Contains(got, "Next task") || !strings.Contains(got, "Go to Upcoming") {
		t.Errorf("the dialog says %q", got)
	}
	b.checkA11y("the shortcuts dialog, light")
	b.colorScheme("dark")
	b.checkA11y("the shortcuts dialog, dark")
	b.colorScheme("light")
	b.typeKeys(kb.Escape)
	b.waitGone("#shortcuts-dialog[open]")

	// Delete asks first, as the button does, then deletes.
	// The current task is remembered while focus was elsewhere.
	third := "#" + b.rowID("Third")
	b.press("j")
	b.expectFocus(third, "after j, the task after the last current one")
	dialogs := b.dialogCount()
	b.press("Delete")
	if got := b.waitDialogs(dialogs + 1); got != "Delete “Third”?" {
		t.Errorf("Delete asked %q", got)
	}
	b.waitTitles("First", "Second")
	b.settled()

	// g t goes to the Today view.
	b.press("g")
	b.follow("press g t", b.pressAction("t"))
	if got := eval[string](b, `location.search`); got != "?view=today" {
		t.Errorf("g t went to %q", got)
	}

	// Off on the account page: j moves nothing and n focuses nothing.
	b.open("/account")
	b.tabTo("#keyboard_shortcuts", 20)
	b.typeKeys(" ")
	b.tabTo(`form[action="/account/keyboard"] button`, 3)
	b.follow("save with Enter", chromedp.KeyEvent(kb.Enter))
	b.expectFlash("Keyboard shortcuts are off.")
	b.open("/tasks")
	b.press("j")
	b.press("n")
	b.press("?")
	if f := b.focused(); f != "body" || b.exists("#shortcuts-dialog[open]") {
		t.Errorf("with shortcuts off, j n ? moved focus to %s (dialog open: %v)", f, b.exists("#shortcuts-dialog[open]"))
	}
}

// press presses one key as a keyboard does: a keyDown that carries the
// key's text, then a keyUp. Unlike kb's separate char event, the text
// goes in only if the page lets the keydown through, which is what a
// shortcut that focuses a field relies on.
func (b *browser) press(key string) {
	b.t.Helper()
	b.do("press "+key, b.pressAction(key))
}

func (b *browser) pressAction(key string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		down := input.DispatchKeyEventParams{Type: kb.KeyDown, Key: key}
		if k, ok := kb.Keys[[]rune(key)[0]]; ok && len([]rune(key)) == 1 {
			down.Code, down.WindowsVirtualKeyCode, down.NativeVirtualKeyCode = k.Code, k.Windows, k.Native
			if k.Print {
				down.Text, down.UnmodifiedText = k.Text, k.Unmodified
			}
			if k.Shift {
				down.Modifiers = int64(kb.ModifierShift)
			}
		}
		switch key {
		case "ArrowDown":
			down.Code, down.WindowsVirtualKeyCode = "ArrowDown", 40
		case "Delete":
			down.Code, down.WindowsVirtualKeyCode = "Delete", 46
		}
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, down); err != nil {
			return err
		}
		up := down
		up.Type, up.Text, up.UnmodifiedText = kb.KeyUp, "", ""
		_, err := chromedp.Call(ctx, input.DispatchKeyEvent, up)
		return err
	})
}
