package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"taskapp/models"
)

// ---- update ----

func TestUpdateTaskPlain(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("plainupdate@example.com")
	task := app.addTask(u.id, "Old title", "old description", models.StatusPending)

	// From the task page: back to it.
	p := u.plain(http.MethodPut, path(task.ID), url.Values{"title": {"New title"}, "description": {""}, "status": {"in_progress"}, "back": {path(task.ID)}})
	wantRedirect(t, p, path(task.ID))
	got := reload(t, app, u.id, task.ID)
	if got.Title != "New title" || got.Description != nil || got.Status != models.StatusInProgress {
		t.Errorf("after PUT: %+v", got)
	}
	if !got.UpdatedAt.After(task.UpdatedAt) || !got.CreatedAt.Equal(task.CreatedAt) {
		t.Errorf("timestamps: created %v→%v updated %v→%v", task.CreatedAt, got.CreatedAt, task.UpdatedAt, got.UpdatedAt)
	}
	if p := u.get(path(task.ID)); messages(p) != "Saved “New title”." {
		t.Errorf("flash %q", messages(p))
	}

	// A row's status form: back to the same list view.
	p = u.plain(http.MethodPatch, path(task.ID), url.Values{"status": {"completed"}, "back": {"/tasks?status=in_progress&q=new"}})
	wantRedirect(t, p, "/tasks?q=new&status=in_progress")
	got = reload(t, app, u.id, task.ID)
	if got.Title != "New title" || got.Status != models.StatusCompleted {
		t.Errorf("PATCH status changed more than the status: %+v", got)
	}
	if p := u.get("/tasks"); messages(p) != "“New title” marked completed." {
		t.Errorf("flash %q", messages(p))
	}

	// A "back" off the site is never followed.
	for _, back := range []string{"https://evil.example/tasks", "//evil.example/tasks", "/account", ""} {
		p = u.plain(http.MethodPatch, path(task.ID), url.Values{"status": {"pending"}, "back": {back}})
		wantRedirect(t, p, "/tasks")
	}
}

func TestUpdateTaskHTMX(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("hxupdate@example.com")
	task := app.addTask(u.id, "Buy milk", "", models.StatusPending)
	app.addTask(u.id, "Other", "", models.StatusPending)
	id := "task-" + strconv.FormatInt(task.ID, 10)

	// Status from the row's select.
	p := u.hx(http.MethodPatch, path(task.ID), url.Values{"status": {"completed"}, "_method": {"PATCH"}, "back": {"/tasks"}}, "/tasks?status=pending")
	wantStatus(t, p, http.StatusOK)
	wantFragment(t, p)
	row := p.doc.Find("li.task#" + id)
	if row.Length() != 1 || p.doc.Find("li.task").Length() != 1 {
		t.Fatalf("want the one updated row:\n%s", p.body)
	}
	if got := row.Find(".status").Text(); got != "Completed" {
		t.Errorf("row status %q", got)
	}
	if v, _ := row.Find("select option[selected]").Attr("value"); v != "completed" {
		t.Errorf("row select %q", v)
	}
	if _, ok := row.Find("[data-autofocus]").Attr("href"); ok {
		t.Error("a status change should leave focus on the select")
	}
	tabs := p.doc.Find(`nav#task-tabs[hx-swap-oob="true"]`)
	if tabs.Length() != 1 || tabCount(t, tabs, "tab-pending") != 1 || tabCount(t, tabs, "tab-completed") != 1 {
		t.Errorf("tab counts not updated out of band:\n%s", p.body)
	}
	if c, _ := tabs.Find("#tab-pending").Attr("aria-current"); c != "page" {
		t.Error("tabs lost the current filter")
	}
	if got := strings.TrimSpace(p.doc.Find("#messages[hx-swap-oob]").Text()); got != "“Buy milk” marked completed." {
		t.Errorf("screen reader message %q", got)
	}

	// Save from the inline edit form.
	p = u.hx(http.MethodPut, path(task.ID), url.Values{"title": {"Buy oat milk"}, "description": {"2 l"}, "status": {"in_progress"}}, "/tasks")
	wantStatus(t, p, http.StatusOK)
	wantFragment(t, p)
	row = p.doc.Find("li.task#" + id)
	if row.Find(".task-title").Text() != "Buy oat milk" || row.Find(".task-description").Text() != "2 l" {
		t.Errorf("row not updated:\n%s", p.body)
	}
	if _, ok := row.Find("a[data-autofocus]").Attr("hx-get"); !ok {
		t.Error("focus does not return to the Edit button after saving")
	}
	if got := reload(t, app, u.id, task.ID); got.Title != "Buy oat milk" || got.Status != models.StatusInProgress {
		t.Errorf("stored: %+v", got)
	}

	// Save from the task page: its content comes back.
	p = u.hx(http.MethodPut, path(task.ID), url.Values{"title": {"Buy milk"}, "description": {""}, "status": {"pending"}}, path(task.ID))
	wantStatus(t, p, http.StatusOK)
	wantFragment(t, p)
	if p.doc.Find("article#task-detail h1").Text() != "Buy milk" || p.doc.Find("li.task").Length() != 0 {
		t.Errorf("task page content not returned:\n%s", p.body)
	}
}

func TestUpdateTaskValidation(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("badupdate@example.com")
	task := app.addTask(u.id, "Keep me", "as is", models.StatusPending)
	id := "task-" + strconv.FormatInt(task.ID, 10)
	bad := url.Values{"title": {"  "}, "description": {"typed text"}, "status": {"completed"}}

	// Inline edit (htmx from the list): the edit row, with the error.
	p := u.hx(http.MethodPut, path(task.ID), bad, "/tasks")
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantFragment(t, p)
	form := p.doc.Find("li.task#" + id + " form.inline-edit")
	if got := form.Find("#" + id + "-title-error").Text(); got != "Enter a title." {
		t.Errorf("inline error %q:\n%s", got, p.body)
	}
	if got := form.Find("#" + id + "-description").Text(); got != "typed text" {
		t.Errorf("input not kept: %q", got)
	}

	// Task page with htmx: its content, with the error.
	p = u.hx(http.MethodPut, path(task.ID), bad, path(task.ID))
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if got := p.doc.Find("article#task-detail #edit-title-error").Text(); got != "Enter a title." {
		t.Errorf("task page fragment error %q:\n%s", got, p.body)
	}
	if got := p.doc.Find("article#task-detail h1").Text(); got != "Keep me" {
		t.Errorf("heading shows %q, want the stored title", got)
	}

	// Plain: the task page.
	p = u.plain(http.MethodPut, path(task.ID), url.Values{"title": {strings.Repeat("x", 201)}, "description": {"typed"}, "status": {"completed"}, "back": {path(task.ID)}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if got := p.doc.Find("#edit-title-error").Text(); got != "Use at most 200 characters." {
		t.Errorf("plain error %q", got)
	}
	if got := p.doc.Find("#edit-title").AttrOr("value", ""); got != strings.Repeat("x", 201) {
		t.Error("plain: title not kept")
	}
	if v, _ := p.doc.Find("#edit-status option[selected]").Attr("value"); v != "completed" {
		t.Errorf("plain: status not kept (%q)", v)
	}

	// PATCH with a bad status or a NUL byte.
	p = u.hx(http.MethodPatch, path(task.ID), url.Values{"status": {"done"}}, "/tasks")
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if got := p.doc.Find("#" + id + "-status-error").Text(); !strings.Contains(got, "Choose pending") {
		t.Errorf("status error %q", got)
	}
	if got := p.doc.Find("#"+id+"-title").AttrOr("value", ""); got != "Keep me" {
		t.Errorf("PATCH 422 form lost the stored title: %q", got)
	}
	p = u.plain(http.MethodPatch, path(task.ID), url.Values{"title": {"a\x00b"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)

	if got := reload(t, app, u.id, task.ID); got.Title != "Keep me" || got.DescriptionText() != "as is" || got.Status != models.StatusPending {
		t.Errorf("invalid updates changed the task: %+v", got)
	}
}
