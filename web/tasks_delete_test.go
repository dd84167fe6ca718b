package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taskapp/models"
)

// ---- delete ----

func TestDeleteTaskPlain(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("plaindelete@example.com")
	a := app.addTask(u.id, "Delete me", "", models.StatusPending)
	b := app.addTask(u.id, "Delete me too", "", models.StatusPending)

	wantRedirect(t, u.plain(http.MethodDelete, path(a.ID), url.Values{"back": {"/tasks?status=pending"}}), "/tasks?status=pending")
	if _, err := app.store.TaskByID(app.ctx(), u.id, a.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("task still there: %v", err)
	}
	p := u.get("/tasks?status=pending")
	if got := messageWords(p); got != "Deleted “Delete me”. Undo" {
		t.Errorf("flash %q", got)
	}
	// From its own page: to the list, not to the page that is gone.
	wantRedirect(t, u.plain(http.MethodDelete, path(b.ID), url.Values{"back": {path(b.ID)}}), "/tasks")
	wantStatus(t, u.get(path(b.ID)), http.StatusNotFound)
}

func TestDeleteTaskHTMX(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, func(c *Config) { c.PerPage = 2 })
	u := app.taskUser("hxdelete@example.com")
	var tasks []*models.Task
	for i := range 3 {
		tasks = append(tasks, app.addTask(u.id, fmt.Sprintf("Task %d", i), "", models.StatusPending))
	}

	p := u.hx(http.MethodDelete, path(tasks[2].ID), nil, "/tasks")
	wantStatus(t, p, http.StatusOK)
	if p.body != "" {
		t.Errorf("body %q, want empty", p.body)
	}
	if got := p.Header.Get("HX-Trigger"); got != "tasks-changed" {
		t.Errorf("HX-Trigger %q", got)
	}
	// The tabs then fetch fresh counts, which bring the message along.
	p = u.hx(http.MethodGet, "/tasks/counts", nil, "/tasks")
	wantStatus(t, p, http.StatusOK)
	wantFragment(t, p)
	if tabCount(t, p.doc.Selection, "tab-all") != 2 || p.doc.Find(`#pagination[hx-swap-oob]`).Length() != 1 {
		t.Errorf("counts:\n%s", p.body)
	}
	if got := messageWords(p); got != "Deleted “Task 2”. Undo" {
		t.Errorf("message %q", got)
	}

	// Deleting the last task on the last page redraws the list at the
	// page before it.
	wantStatus(t, u.hx(http.MethodDelete, path(tasks[0].ID), nil, "/tasks?page=2"), http.StatusOK)
	p = u.hx(http.MethodGet, "/tasks/counts?page=2", nil, "/tasks?page=2")
	wantStatus(t, p, http.StatusOK)
	if p.Header.Get("HX-Retarget") != "#task-region" || p.Header.Get("HX-Replace-Url") != "/tasks" {
		t.Errorf("headers %v", p.Header)
	}
	if got := rowTitles(p); !slices.Equal(got, []string{"Task 1"}) {
		t.Errorf("redrawn list %v", got)
	}

	// From the task page: a full navigation to the list.
	p = u.hx(http.MethodDelete, path(tasks[1].ID), url.Values{"back": {path(tasks[1].ID)}}, path(tasks[1].ID))
	if got := p.Header.Get("HX-Redirect"); got != "/tasks" {
		t.Errorf("HX-Redirect %q", got)
	}
	p = u.hx(http.MethodGet, "/tasks/counts", nil, "/tasks")
	if p.Header.Get("HX-Retarget") != "#task-region" || !strings.Contains(p.doc.Find("#task-list.empty").Text(), "No tasks yet") {
		t.Errorf("emptied list not redrawn with its empty state:\n%s", p.body)
	}
	// Without htmx the counts URL is just the list.
	wantRedirect(t, u.get("/tasks/counts?status=pending"), "/tasks?status=pending")
}

func TestDeleteWithoutJavaScriptAsksFirst(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("asks@example.com")
	task := app.addTask(u.id, "Maybe delete me", "", models.StatusPending)

	list := u.get("/tasks?status=pending")
	// The row's Delete button sends the list's shared GET form to the
	// task's confirmation page.
	btn := list.doc.Find(fmt.Sprintf(`#task-%d button[hx-delete]`, task.ID))
	del := list.doc.Find("form#" + btn.AttrOr("form", "-"))
	if del.AttrOr("method", "") != "get" || btn.AttrOr("formaction", "") != path(task.ID)+"/delete" {
		t.Fatalf("row's delete button: form method %q, formaction %q", del.AttrOr("method", ""), btn.AttrOr("formaction", ""))
	}
	if del.Find(`input[name="_csrf"]`).Length() != 0 {
		t.Error("a GET form would put the CSRF token in the URL")
	}

	confirm := u.get(path(task.ID) + "/delete?back=" + url.QueryEscape("/tasks?status=pending"))
	wantStatus(t, confirm, http.StatusOK)
	if h1 := confirm.doc.Find("h1").Text(); h1 != "Delete “Maybe delete me”?" {
		t.Errorf("confirm page asks %q", h1)
	}
	if keep := confirm.doc.Find(`a:contains("Keep it")`).AttrOr("href", ""); keep != "/tasks?status=pending" {
		t.Errorf("Keep it goes to %q, want the list the person came from", keep)
	}
	if _, err := app.store.TaskByID(app.ctx(), u.id, task.ID); err != nil {
		t.Fatalf("asking deleted the task: %v", err)
	}
	form := confirm.doc.Find(`form[method="post"][action="` + path(task.ID) + `"]`)
	values := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, in *goquery.Selection) {
		values.Set(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	if values.Get("_method") != "DELETE" || values.Get("_csrf") == "" {
		t.Fatalf("confirm form fields %v", values)
	}
	wantRedirect(t, u.postRaw(path(task.ID), values), "/tasks?status=pending")
	if _, err := app.store.TaskByID(app.ctx(), u.id, task.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("confirmed delete left the task: %v", err)
	}

	// Someone else's task, or a missing one: the same 404.
	other := app.taskUser("other-asks@example.com")
	theirs := app.addTask(other.id, "Not yours", "", models.StatusPending)
	wantStatus(t, u.get(path(theirs.ID)+"/delete"), http.StatusNotFound)
	wantStatus(t, u.get(path(999999)+"/delete"), http.StatusNotFound)
}
