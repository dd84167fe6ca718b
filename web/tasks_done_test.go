package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taskapp/models"
	"taskapp/views"
)

// rowForm is what a browser sends from the list page p when a row's
// control is used: the shared row form's hidden fields, then every row's
// done box (when checked) and status select, which join that form.
func rowForm(t *testing.T, p *page) url.Values {
	t.Helper()
	form := p.doc.Find("form#" + views.RowFormID)
	if form.Length() != 1 {
		t.Fatalf("no shared row form:\n%s", p.body)
	}
	v := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) { v.Add(s.AttrOr("name", ""), s.AttrOr("value", "")) })
	p.doc.Find(`[form="` + views.RowFormID + `"][name]`).Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		switch {
		case s.Is("select"):
			opt := s.Find("option[selected]")
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			v.Add(name, opt.AttrOr("value", ""))
		case s.Is("[type=checkbox]"):
			if s.Is("[checked]") {
				v.Add(name, s.AttrOr("value", "on"))
			}
		}
	})
	return v
}

// doneForm is what the list at /tasks sends when task id's done box is
// set to checked, returning to back.
func doneForm(t *testing.T, u taskUser, id int64, checked bool, back string) url.Values {
	t.Helper()
	v := rowForm(t, u.get("/tasks"))
	if _, ok := v[views.RowStatusField(id)]; !ok {
		t.Fatalf("task %d has no row on /tasks", id)
	}
	v.Del(views.RowDoneField(id))
	if checked {
		v.Set(views.RowDoneField(id), "on")
	}
	v.Set("back", back)
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
	if label := box.AttrOr("aria-label", ""); label != "Completed: “Water plants”" {
		t.Errorf("checkbox label %q", label)
	}

	// Checking it completes the task and returns to the same list position.
	back := "/tasks?page=2&q=water&status=in_progress"
	wantRedirect(t, u.plain(http.MethodPatch, path(task.ID), doneForm(t, u, task.ID, true, back)), back)
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
	wantRedirect(t, u.plain(http.MethodPatch, path(task.ID), doneForm(t, u, task.ID, false, "/tasks")), "/tasks")
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

	p := u.hx(http.MethodPatch, path(task.ID), doneForm(t, u, task.ID, true, "/tasks"), "/tasks")
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

	p = u.hx(http.MethodPatch, path(task.ID), doneForm(t, u, task.ID, false, "/tasks"), "/tasks")
	wantStatus(t, p, http.StatusOK)
	if row := p.doc.Find("li.task#" + id); row.Find("#"+id+"-done").Is("[checked]") || row.Find(".status").Text() != "Pending" {
		t.Errorf("want the row pending and unchecked:\n%s", p.body)
	}

	// Another user's task is a 404, and stays as it was.
	other := app.taskUser("donehx-other@example.com")
	wantStatus(t, other.hx(http.MethodPatch, path(task.ID), url.Values{views.RowStatusField(task.ID): {"pending"}, views.RowDoneField(task.ID): {"on"}}, "/tasks"), http.StatusNotFound)
	if got := reload(t, app, u.id, task.ID); got.Status != models.StatusPending {
		t.Errorf("another user changed the task: %q", got.Status)
	}
}

// TestRowControlsShareOneForm: every row's done box and status select
// belong to one form outside the list, named with their task's id. A
// row's Update button sends all of them to its own task, which takes only
// its own fields and keeps whichever of its two controls was changed.
func TestRowControlsShareOneForm(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("rowform@example.com")
	a := app.addTask(u.id, "Alpha", "", models.StatusInProgress)
	b := app.addTask(u.id, "Beta", "", models.StatusCompleted)

	p := u.get("/tasks?q=a")
	if got := p.doc.Find("#task-list form").Length(); got != 0 {
		t.Errorf("%d forms inside the list, want none", got)
	}
	if got := p.doc.Find(`input[name="_csrf"]`).Length(); got > 4 {
		t.Errorf("%d CSRF fields on the page: rows carry their own", got)
	}
	if back := p.doc.Find("form#"+views.RowFormID+` input[name="back"]`).AttrOr("value", ""); back != "/tasks?q=a" {
		t.Errorf("row form returns to %q", back)
	}
	update := p.doc.Find(fmt.Sprintf("#task-%d noscript", a.ID)).Text()
	if !strings.Contains(update, `formaction="`+path(a.ID)+`"`) || !strings.Contains(update, `form="`+views.RowFormID+`"`) {
		t.Errorf("row's Update button: %s", update)
	}

	// The select changed on Alpha's row (and Beta's box unticked, which
	// Alpha's button does not save): Alpha takes the select.
	v := rowForm(t, p)
	v.Set(views.RowStatusField(a.ID), "pending")
	v.Set(views.RowDoneField(a.ID), "on") // the box says completed, but it was not what changed
	v.Del(views.RowDoneField(b.ID))
	wantRedirect(t, u.plain(http.MethodPatch, path(a.ID), v), "/tasks?q=a")
	if got := reload(t, app, u.id, a.ID).Status; got != models.StatusPending {
		t.Errorf("Alpha: status %q, want the select's pending", got)
	}
	if got := reload(t, app, u.id, b.ID).Status; got != models.StatusCompleted {
		t.Errorf("Beta changed by Alpha's button: %q", got)
	}

	// Only the box changed: it decides.
	v = rowForm(t, u.get("/tasks"))
	v.Set(views.RowDoneField(a.ID), "on")
	wantRedirect(t, u.plain(http.MethodPatch, path(a.ID), v), "/tasks")
	if got := reload(t, app, u.id, a.ID).Status; got != models.StatusCompleted {
		t.Errorf("Alpha after ticking: %q, want completed", got)
	}

	// A status no one offers is refused with the message, not saved.
	v = rowForm(t, u.get("/tasks"))
	v.Set(views.RowStatusField(a.ID), "archived")
	p = u.plain(http.MethodPatch, path(a.ID), v)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if got := reload(t, app, u.id, a.ID).Status; got != models.StatusCompleted {
		t.Errorf("Alpha after a bad status: %q", got)
	}
}
