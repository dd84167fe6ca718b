package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taskapp/models"
)

// bulkValues is what the bulk actions form sends for tasks.
func bulkValues(action string, tasks ...*models.Task) url.Values {
	v := url.Values{"action": {action}}
	for _, t := range tasks {
		v.Add("ids", strconv.FormatInt(t.ID, 10))
	}
	return v
}

func TestBulkFormOnTheList(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("bulkform@example.com")
	task := app.addTask(u.id, "Pick me", "", models.StatusPending)

	p := u.get("/tasks")
	form := p.doc.Find("form#bulk-form")
	if form.AttrOr("method", "") != "post" || form.AttrOr("action", "") != "/tasks/bulk" {
		t.Fatalf("no bulk form posting to /tasks/bulk:\n%s", p.body)
	}
	for _, action := range []string{"complete", "status", "delete"} {
		if form.Find(`button[type=submit][name=action][value=`+action+`]`).Length() != 1 {
			t.Errorf("the bulk form has no submit for %q", action)
		}
	}
	box := p.doc.Find(fmt.Sprintf(`#task-%d input[type=checkbox][name=ids]`, task.ID))
	if box.AttrOr("form", "") != "bulk-form" || box.AttrOr("value", "") != strconv.FormatInt(task.ID, 10) || box.AttrOr("aria-label", "") != "Select “Pick me”" {
		t.Errorf("the row's checkbox does not belong to the bulk form: %v", box.Nodes)
	}
}

func TestBulkPlain(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("bulkplain@example.com")
	a := app.addTask(u.id, "A", "", models.StatusPending)
	b := app.addTask(u.id, "B", "", models.StatusInProgress)
	c := app.addTask(u.id, "C", "", models.StatusPending)

	form := bulkValues("complete", a, b)
	form.Set("back", "/tasks?status=pending")
	wantRedirect(t, u.post("/tasks/bulk", form), "/tasks?status=pending")
	for _, tc := range []struct {
		task *models.Task
		want models.TaskStatus
	}{{a, models.StatusCompleted}, {b, models.StatusCompleted}, {c, models.StatusPending}} {
		if got := reload(t, app, u.id, tc.task.ID).Status; got != tc.want {
			t.Errorf("%s is %s, want %s", tc.task.Title, got, tc.want)
		}
	}
	if got := messages(u.get("/tasks?status=pending")); got != "Marked 2 tasks completed." {
		t.Errorf("flash %q", got)
	}

	form = bulkValues("status", a, c)
	form.Set("status", "in_progress")
	wantRedirect(t, u.post("/tasks/bulk", form), "/tasks")
	if reload(t, app, u.id, a.ID).Status != models.StatusInProgress || reload(t, app, u.id, c.ID).Status != models.StatusInProgress {
		t.Error("set status did not move A and C to in progress")
	}

	// Delete asks first, on a page that carries the selection.
	p := u.post("/tasks/bulk", bulkValues("delete", a, b))
	wantStatus(t, p, http.StatusOK)
	confirm := p.doc.Find("form#confirm-bulk-delete")
	ids := confirm.Find(`input[name=ids]`).Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("value", "") })
	if !slices.Equal(ids, []string{strconv.FormatInt(a.ID, 10), strconv.FormatInt(b.ID, 10)}) || confirm.Find(`input[name=confirmed][value=yes]`).Length() != 1 {
		t.Fatalf("confirmation page:\n%s", p.body)
	}
	if _, err := app.store.TaskByID(app.ctx(), u.id, a.ID); err != nil {
		t.Fatalf("asking deleted already: %v", err)
	}
	form = bulkValues("delete", a, b)
	form.Set("confirmed", "yes")
	wantRedirect(t, u.post("/tasks/bulk", form), "/tasks")
	for _, gone := range []*models.Task{a, b} {
		if _, err := app.store.TaskByID(app.ctx(), u.id, gone.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s not deleted: %v", gone.Title, err)
		}
	}
	if got := messageWords(u.get("/tasks")); got != "Deleted 2 tasks. Undo" {
		t.Errorf("flash %q", got)
	}
}

func TestBulkHTMX(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, func(c *Config) { c.PerPage = 2 })
	u := app.taskUser("bulkhx@example.com")
	a := app.addTask(u.id, "A", "", models.StatusPending)
	b := app.addTask(u.id, "B", "", models.StatusPending)
	c := app.addTask(u.id, "C", "", models.StatusPending)

	p := u.hx(http.MethodPost, "/tasks/bulk", bulkValues("complete", b, c), "/tasks?status=pending")
	wantStatus(t, p, http.StatusOK)
	wantFragment(t, p)
	if got := rowTitles(p); !slices.Equal(got, []string{"A"}) {
		t.Errorf("pending list after completing B and C: %v", got)
	}
	if tabCount(t, p.doc.Selection, "tab-completed") != 2 || tabCount(t, p.doc.Selection, "tab-pending") != 1 {
		t.Errorf("tabs not brought up to date:\n%s", p.body)
	}
	if got := messages(p); got != "Marked 2 tasks completed." {
		t.Errorf("message %q", got)
	}

	// A delete confirmed by app.js that empties page 2 redraws page 1.
	form := bulkValues("delete", a)
	form.Set("confirmed", "yes")
	p = u.hx(http.MethodPost, "/tasks/bulk", form, "/tasks?page=2")
	wantStatus(t, p, http.StatusOK)
	if got := rowTitles(p); !slices.Equal(got, []string{"C", "B"}) || p.Header.Get("HX-Replace-Url") != "/tasks" {
		t.Errorf("after emptying page 2: rows %v, HX-Replace-Url %q", got, p.Header.Get("HX-Replace-Url"))
	}
}

// TestBulkAnotherUsersTask: one id that is not the user's rejects the
// whole request with the same 404 as a missing task, and nothing changes.
func TestBulkAnotherUsersTask(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	ann := app.taskUser("ann@example.com")
	bob := app.taskUser("bob@example.com")
	mine := app.addTask(ann.id, "Ann's", "", models.StatusPending)
	theirs := app.addTask(bob.id, "Bob's", "", models.StatusPending)

	for _, action := range []string{"complete", "delete"} {
		form := bulkValues(action, mine, theirs)
		form.Set("confirmed", "yes")
		wantStatus(t, ann.post("/tasks/bulk", form), http.StatusNotFound)
		wantStatus(t, ann.hx(http.MethodPost, "/tasks/bulk", form, "/tasks"), http.StatusNotFound)
	}
	form := bulkValues("complete", mine)
	form.Add("ids", "x1")
	wantStatus(t, ann.post("/tasks/bulk", form), http.StatusNotFound)
	if reload(t, app, ann.id, mine.ID).Status != models.StatusPending || reload(t, app, bob.id, theirs.ID).Status != models.StatusPending {
		t.Error("a refused bulk change changed a task")
	}
}

func TestBulkNothingSelected(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("bulknone@example.com")
	app.addTask(u.id, "Left alone", "", models.StatusPending)

	p := u.post("/tasks/bulk", bulkValues("complete"))
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if got := messages(p); got != "Select at least one task." || !slices.Equal(rowTitles(p), []string{"Left alone"}) {
		t.Errorf("422 page: message %q, rows %v", got, rowTitles(p))
	}
	p = u.hx(http.MethodPost, "/tasks/bulk", bulkValues("delete"), "/tasks")
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantFragment(t, p)
	if got := messages(p); got != "Select at least one task." {
		t.Errorf("htmx 422 message %q", got)
	}
}
