//go:build browser

package e2e

import (
	"slices"
	"testing"

	"taskapp/models"
)

// TestUndoAndTrash deletes a task and undoes it from the message, then
// deletes two, finds them in the Trash (reached from the list), restores
// one, deletes the other forever and empties the trash, with JavaScript
// (in place, confirm dialogs) and without (plain forms, confirm pages);
// axe-clean in light and dark.
func TestUndoAndTrash(t *testing.T) {
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
			const email = "trash@example.com"
			b.register(email)
			addTitled(t, a, email, "Three", "Two", "One")
			b.open("/tasks")
			b.expectTitles("One", "Two", "Three")
			if b.js {
				b.setMarker()
			}

			// deleteRow deletes a task from its row, answering the question.
			deleteRow := func(title string) {
				t.Helper()
				del := `button[aria-label="Delete “` + title + `”"]`
				if b.js {
					n := b.dialogCount()
					b.click(del)
					if got := b.waitDialogs(n + 1); got != "Delete “"+title+"”?" {
						t.Fatalf("the delete asked %q", got)
					}
					b.waitUntil(title+" to leave the list", `![...document.querySelectorAll("#task-list .task-title")].some(e => e.innerText.trim() === `+js(title)+`)`)
					b.settled()
					return
				}
				if st := b.submit(del); st != 200 {
					t.Fatalf("delete %s: status %d", title, st)
				}
				if st := b.submit(`#confirm-delete button[type=submit]`); st != 200 {
					t.Fatalf("confirm delete %s: status %d", title, st)
				}
			}

			// Delete, then Undo from the message: back in its place.
			deleteRow("Two")
			b.expectFlash("Deleted “Two”.")
			b.expectTitles("One", "Three")
			b.expectCount("all", 2)
			b.waitFor("#messages [data-undo]")
			b.checkA11y("a deletion's message with Undo, light")
			b.colorScheme("dark")
			b.checkA11y("a deletion's message with Undo, dark")
			b.colorScheme("light")
			if b.js {
				b.click("#messages [data-undo]")
				b.waitTitles("One", "Two", "Three")
				b.settled()
				b.checkMarker("Undo")
			} else if st := b.submit("#messages [data-undo]"); st != 200 {
				t.Fatalf("Undo: status %d", st)
			}
			b.expectFlash("Restored 1 task.")
			b.expectTitles("One", "Two", "Three")
			b.expectCount("all", 3)
			b.expectPath("/tasks")

			// Two deletions, then the Trash, from the list's link.
			deleteRow("One")
			deleteRow("Three")
			b.expectTitles("Two")
			if st := b.visit("a.trash-link"); st != 200 {
				t.Fatalf("trash: status %d", st)
			}
			b.expectPath("/trash")
			if got := b.texts("#trash-list .task-title"); !slices.Equal(got, []string{"Three", "One"}) {
				t.Errorf("the trash lists %q, want the latest deletion first", got)
			}
			b.waitText("#trash-list li .erased", "Erased in 7 days")
			b.checkA11y("the trash, light")
			b.colorScheme("dark")
			b.checkA11y("the trash, dark")
			b.colorScheme("light")
			if b.js {
				b.setMarker()
			}

			// Restore Three.
			restore := `button[aria-label="Restore “Three”"]`
			if b.js {
				b.click(restore)
				b.waitGone(`#trash-list li:nth-child(2)`)
				b.settled()
			} else if st := b.submit(restore); st != 200 {
				t.Fatalf("restore: status %d", st)
			}
			b.expectFlash("Restored “Three”.")
			if got := b.texts("#trash-list .task-title"); !slices.Equal(got, []string{"One"}) {
				t.Errorf("after Restore the trash lists %q", got)
			}

			// Delete One forever: asked first.
			erase := `button[aria-label="Delete forever “One”"]`
			if b.js {
				n := b.dialogCount()
				b.acceptDialogs.Store(false)
				b.click(erase)
				if got := b.waitDialogs(n + 1); got != "Delete “One” forever? This cannot be undone." {
					t.Fatalf("Delete forever asked %q", got)
				}
				b.settled()
				if !b.exists("#trash-list li") {
					t.Fatal("dismissing the question erased the task")
				}
				b.acceptDialogs.Store(true)
				b.click(erase)
				b.waitDialogs(n + 2)
				b.waitFor("#trash-empty")
				b.settled()
			} else {
				if st := b.submit(erase); st != 200 {
					t.Fatalf("Delete forever: status %d", st)
				}
				if h := b.text("h1"); h != "Delete “One” forever?" {
					t.Fatalf("the confirm page asks %q", h)
				}
				b.checkA11y("the Delete forever question")
				if st := b.submit(`#confirm-erase button[type=submit]`); st != 200 {
					t.Fatalf("confirm Delete forever: status %d", st)
				}
				b.expectPath("/trash")
			}
			b.expectFlash("Deleted “One” forever.")
			b.waitText("#trash-empty", "The trash is empty.")

			// Empty trash, with a task deleted elsewhere in the meantime.
			u, err := a.Store.UserByEmail(t.Context(), email)
			if err != nil {
				t.Fatal(err)
			}
			four, err := a.Store.CreateTask(t.Context(), u.ID, models.TaskInput{Title: "Four"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Store.DeleteTask(t.Context(), u.ID, four.ID); err != nil {
				t.Fatal(err)
			}
			b.open("/trash")
			if b.js {
				n := b.dialogCount()
				b.click("[data-empty-trash]")
				if got := b.waitDialogs(n + 1); got != "Erase the 1 task in the trash for good? This cannot be undone." {
					t.Fatalf("Empty trash asked %q", got)
				}
				b.waitFor("#trash-empty")
				b.settled()
			} else {
				if st := b.submit("[data-empty-trash]"); st != 200 {
					t.Fatalf("Empty trash: status %d", st)
				}
				if h := b.text("h1"); h != "Empty the trash?" {
					t.Fatalf("the confirm page asks %q", h)
				}
				b.checkA11y("the Empty trash question")
				if st := b.submit(`#confirm-empty button[type=submit]`); st != 200 {
					t.Fatalf("confirm Empty trash: status %d", st)
				}
			}
			b.expectFlash("Erased 1 task for good.")
			b.waitText("#trash-empty", "The trash is empty.")

			b.open("/tasks")
			b.expectTitles("Two", "Three")
			b.expectCount("all", 2)
			if !b.js && b.dialogCount() != 0 {
				t.Errorf("%d JavaScript dialogs opened with JavaScript off", b.dialogCount())
			}
		})
	}
}
