//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/chromedp/chromedp"
)

// password is every test account's password.
const password = "correct horse battery staple"

// register creates an account through the registration form and checks
// that it lands on the (empty) task list, signed in.
func (b *browser) register(email string) {
	b.t.Helper()
	if st := b.open("/register"); st != 200 {
		b.t.Fatalf("%s: GET /register: status %d", b.name, st)
	}
	b.fill("#email", email)
	b.fill("#password", password)
	b.fill("#password_confirm", password)
	if st := b.submit(`form[action="/register"] button[type=submit]`); st != 200 {
		b.t.Fatalf("%s: register: status %d%s", b.name, st, b.state())
	}
	b.expectPath("/tasks")
	b.expectSignedIn(email)
}

// login signs in through the login form.
func (b *browser) login(email string) {
	b.t.Helper()
	if p := b.path(); !strings.HasPrefix(p, "/login") {
		b.open("/login")
	}
	b.fill("#email", email)
	b.fill("#password", password)
	if st := b.submit(`form[action="/login"] button[type=submit]`); st != 200 {
		b.t.Fatalf("%s: log in: status %d%s", b.name, st, b.state())
	}
	b.expectPath("/tasks")
	b.expectSignedIn(email)
}

// logout uses the nav's Log out button and checks the tasks are closed.
func (b *browser) logout() {
	b.t.Helper()
	b.submit(`form[action="/logout"] button[type=submit]`)
	b.expectPath("/login")
	if b.exists(`form[action="/logout"]`) {
		b.t.Fatalf("%s: still shows a Log out button after logging out", b.name)
	}
	if st := b.open("/tasks"); st != 200 {
		b.t.Fatalf("%s: GET /tasks signed out: status %d", b.name, st)
	}
	b.expectPath("/login?next=%2Ftasks")
}

func (b *browser) expectSignedIn(email string) {
	b.t.Helper()
	if got := b.text(`nav a[href="/account"]`); got != email {
		b.t.Fatalf("%s: nav shows %q, want the signed-in email %q", b.name, got, email)
	}
}

// expectPath checks the address bar: path and query.
func (b *browser) expectPath(want string) {
	b.t.Helper()
	if got := b.path(); got != want {
		b.t.Fatalf("%s: address is %s, want %s%s", b.name, got, want, b.state())
	}
}

// expectFlash checks the message area says want.
func (b *browser) expectFlash(want string) {
	b.t.Helper()
	b.waitText("#messages", want)
}

// Task list selectors.
const (
	rowTitles  = "#task-list li.task .task-title"
	createForm = "#create-task"
)

// titles are the task titles the list shows, top to bottom.
func (b *browser) titles() []string {
	b.t.Helper()
	return b.texts(rowTitles)
}

// expectTitles checks the list shows exactly want, in order.
func (b *browser) expectTitles(want ...string) {
	b.t.Helper()
	if got := b.titles(); !slices.Equal(got, want) {
		b.t.Fatalf("%s: list shows %q, want %q%s", b.name, got, want, b.state())
	}
}

// waitTitles waits until the list shows exactly want, in order.
func (b *browser) waitTitles(want ...string) {
	b.t.Helper()
	w, _ := jsonString(want)
	b.waitUntil(fmt.Sprintf("the list to show %q", want),
		`JSON.stringify([...document.querySelectorAll(`+js(rowTitles)+`)].map(e => e.innerText.trim())) === `+js(w))
}

// rowID is the DOM id of the row titled title ("task-7"); it fails the
// test if no row has that title.
func (b *browser) rowID(title string) string {
	b.t.Helper()
	id := eval[string](b, `([...document.querySelectorAll("#task-list li.task")]
		.find(li => li.querySelector(".task-title")?.innerText.trim() === `+js(title)+`) || {id: ""}).id`)
	if id == "" {
		b.t.Fatalf("%s: no row titled %q; the list shows %q%s", b.name, title, b.titles(), b.state())
	}
	return id
}

// taskID is the database id of the row titled title.
func (b *browser) taskID(title string) int64 {
	b.t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(b.rowID(title), "task-"), 10, 64)
	if err != nil {
		b.t.Fatalf("%s: row id: %v", b.name, err)
	}
	return id
}

// count is the number on a status tab ("all", "pending", …).
func (b *browser) count(tab string) int {
	b.t.Helper()
	n, err := strconv.Atoi(b.text("#tab-" + tab + " .count"))
	if err != nil {
		b.t.Fatalf("%s: count on tab %s: %v", b.name, tab, err)
	}
	return n
}

func (b *browser) expectCount(tab string, want int) {
	b.t.Helper()
	b.waitText("#tab-"+tab+" .count", strconv.Itoa(want))
	if got := b.count(tab); got != want {
		b.t.Fatalf("%s: tab %s counts %d, want %d", b.name, tab, got, want)
	}
}

// currentTab is the id of the tab marked aria-current="page".
func (b *browser) currentTab() string {
	b.t.Helper()
	return eval[string](b, `(document.querySelector('#task-tabs a[aria-current="page"]') || {id: ""}).id`)
}

// addTask creates a task with the create form, by htmx or by a plain
// POST as the browser's JavaScript setting has it, and checks the result.
func (b *browser) addTask(title string) {
	b.t.Helper()
	b.fill("#new-title", title)
	if b.js {
		b.click(createForm + ` button[type=submit]`)
		b.waitUntil("the new row on top", `(e => e && e.innerText.trim() === `+js(title)+`)(document.querySelector(`+js(rowTitles)+`))`)
		b.settled()
		if v := b.value("#new-title"); v != "" {
			b.t.Fatalf("%s: the create form kept %q after adding it; want a fresh form", b.name, v)
		}
	} else {
		if st := b.submit(createForm + ` button[type=submit]`); st != 200 {
			b.t.Fatalf("%s: add %q: status %d%s", b.name, title, st, b.state())
		}
		b.expectPath("/tasks")
		if got := b.titles(); len(got) == 0 || got[0] != title {
			b.t.Fatalf("%s: after adding %q the list starts %q", b.name, title, got)
		}
	}
	b.expectFlash("Added “" + title + "”.")
}

// choose picks an option in a select as a person does: the value changes
// and the select fires input and change.
func (b *browser) choose(sel, value string) {
	b.t.Helper()
	b.focus(sel)
	eval[chromedp.Void](b, `(s => { s.value = `+js(value)+`;
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true})); })(document.querySelector(`+js(sel)+`))`)
}

// jsonString is v as JSON text.
func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
