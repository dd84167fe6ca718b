package web

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"taskapp/models"
)

// doneForm is what a row's completion form sends: the hidden "false",
// then "true" when the box is checked.
func doneForm(checked bool, back string) url.Values {
	v := url.Values{"done": {"false"}, "back": {back}}
	if checked {
		v["done"] = append(v["done"], "true")
	}
	return v
}

func TestDoneCheckboxPlain(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("doneplain@example.com")
	task := app.addTask(u.id, "Water plants", "", models.StatusInProgress)

	// The row offers a labelled checkbox, unchecked while not completed.
	p := u.get("/tasks")
	box := p.doc.Find("#task-" + strconv.FormatInt(task.ID, 10) + "-done")
	if box.Length() != 1 || box.AttrOr("type", "") != "checkbox" || box.Is("[checked]") {
		t.Fatalf("want an unchecked checkbox:\n%s", p.body)
	}
	if label := p.doc.Find(`label[for="` + box.AttrOr("id", "") + `"]`).Text(); label != "Completed: “Water plants”" {
		t.Errorf("checkbox label %q", label)
	}

	// Checking it completes the task and returns to the same list position.
	back := "/tasks?page=2&q=water&status=in_progress"
	wantRedirect(t, u.plain(http.MethodPatch, path(task.ID), doneForm(true, back)), back)
	if got := reload(t, app, u.id, task.ID); got.Status != models.StatusCompleted {
		t.Fatalf("checked: status %q", got.Status)
	}
	if p := u.get("/tasks"); messages(p) != "“Water plants” marked completed." {
		t.Errorf("flash %q", messages(p))
	}
	if !u.get("/tasks").doc.Find("#task-" + strconv.FormatInt(task.ID, 10) + "-done").Is("[checked]") {
		t.Error("a completed task's box should be checked")
	}

	// Unchecking returns it to pending, not to in progress.
	wantRedirect(t, u.plain(http.MethodPatch, path(task.ID), doneForm(false, "/tasks")), "/tasks")
	if got := reload(t, app, u.id, task.ID); got.Status != models.StatusPending {
		t.Fatalf("unchecked: status %q", got.Status)
	}
}

func TestDoneCheckboxHTMX(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("donehx@example.com")
	task := app.addTask(u.id, "Pay rent", "", models.StatusPending)
	app.addTask(u.id, "Other", "", models.StatusPending)
	id := "task-" + strconv.FormatInt(task.ID, 10)

	p := u.hx(http.MethodPatch, path(task.ID), doneForm(true, "/tasks"), "/tasks")
	wantStatus(t, p, http.StatusOK)
	wantFragment(t, p)
	row := p.doc.Find("li.task#" + id)
	if row.Length() != 1 || !row.Find("#"+id+"-done").Is("[checked]") || row.Find(".status").Text() != "Completed" {
		t.Fatalf("want the row, completed and checked:\n%s", p.body)
	}
	tabs := p.doc.Find(`nav#task-tabs[hx-swap-oob="true"]`)
	if tabs.Length() != 1 || tabCount(t, tabs, "tab-pending") != 1 || tabCount(t, tabs, "tab-completed") != 1 {
		t.Errorf("tab counts not updated out of band:\n%s", p.body)
	}

	p = u.hx(http.MethodPatch, path(task.ID), doneForm(false, "/tasks"), "/tasks")
	wantStatus(t, p, http.StatusOK)
	if row := p.doc.Find("li.task#" + id); row.Find("#"+id+"-done").Is("[checked]") || row.Find(".status").Text() != "Pending" {
		t.Errorf("want the row pending and unchecked:\n%s", p.body)
	}

	// Another user's task is a 404, and stays as it was.
	other := app.taskUser("donehx-other@example.com")
	wantStatus(t, other.hx(http.MethodPatch, path(task.ID), doneForm(true, "/tasks"), "/tasks"), http.StatusNotFound)
	if got := reload(t, app, u.id, task.ID); got.Status != models.StatusPending {
		t.Errorf("another user changed the task: %q", got.Status)
	}
}
