package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taskapp/models"
	"taskapp/views"
)

// undoForm reads the Undo form out of a page's message area.
func undoForm(t *testing.T, p *page) url.Values {
	t.Helper()
	f := p.doc.Find(`#messages form[action="/trash/undo"]`)
	if f.Length() != 1 || f.Find("button").Text() != "Undo" {
		t.Fatalf("no Undo form in the messages:\n%s", p.body)
	}
	v := url.Values{}
	f.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		value, _ := s.Attr("value")
		if name != "_csrf" {
			v.Set(name, value)
		}
	})
	return v
}

func isLive(t *testing.T, app *testApp, userID, id int64) bool {
	t.Helper()
	_, err := app.store.TaskByID(app.ctx(), userID, id)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

// Without JavaScript: the flash after a delete carries an Undo button
// that brings the task back and returns to the same list.
func TestUndoDeletePlain(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("undo-plain@example.com")
	a := app.addTask(u.id, "Undo me", "", models.StatusPending)

	wantRedirect(t, u.plain(http.MethodDelete, path(a.ID), url.Values{"back": {"/tasks?status=pending"}}), "/tasks?status=pending")
	p := u.get("/tasks?status=pending")
	form := undoForm(t, p)
	if form.Get("back") != "/tasks?status=pending" {
		t.Errorf("Undo returns to %q", form.Get("back"))
	}
	if p.doc.Find("#task-list li").Length() != 0 {
		t.Errorf("the deleted task is still listed:\n%s", p.body)
	}

	wantRedirect(t, u.post("/trash/undo", form), "/tasks?status=pending")
	if !isLive(t, app, u.id, a.ID) {
		t.Fatal("Undo did not restore the task")
	}
	p = u.get("/tasks?status=pending")
	if got := messages(p); got != "Restored 1 task." {
		t.Errorf("flash %q", got)
	}
	if tabCount(t, p.doc.Selection, "tab-all") != 1 || !strings.Contains(p.doc.Find("#task-list").Text(), "Undo me") {
		t.Errorf("the restored task is not back in the list:\n%s", p.body)
	}
	// Undone already: nothing left to undo.
	wantStatus(t, u.post("/trash/undo", form), http.StatusNotFound)
}

// With htmx: the row goes, the message offers Undo at once, and Undo
// redraws the list with the task back in place and the counts updated.
func TestUndoDeleteHTMX(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("undo-hx@example.com")
	var tasks []*models.Task
	for i := range 3 {
		tasks = append(tasks, app.addTask(u.id, fmt.Sprintf("Task %d", i), "", models.StatusPending))
	}
	wantStatus(t, u.hx(http.MethodDelete, path(tasks[1].ID), nil, "/tasks"), http.StatusOK)
	p := u.hx(http.MethodGet, "/tasks/counts", nil, "/tasks")
	if tabCount(t, p.doc.Selection, "tab-all") != 2 {
		t.Errorf("counts after delete:\n%s", p.body)
	}
	form := undoForm(t, p)
	if v, _ := p.doc.Find(`#messages form`).Attr("hx-post"); v != "/trash/undo" {
		t.Errorf("the Undo form is not sent by htmx: hx-post=%q", v)
	}

	p = u.hx(http.MethodPost, "/trash/undo", form, "/tasks")
	wantStatus(t, p, http.StatusOK)
	wantFragment(t, p)
	if tabCount(t, p.doc.Selection, "tab-all") != 3 {
		t.Errorf("counts after Undo:\n%s", p.body)
	}
	var titles []string
	p.doc.Find("#task-list li .task-title").Each(func(_ int, s *goquery.Selection) { titles = append(titles, strings.TrimSpace(s.Text())) })
	if strings.Join(titles, ",") != "Task 2,Task 1,Task 0" {
		t.Errorf("list after Undo = %v, want the task back in its place", titles)
	}
	if got := strings.TrimSpace(p.doc.Find("#messages[hx-swap-oob]").Text()); got != "Restored 1 task." {
		t.Errorf("message %q", got)
	}
}

// A bulk delete's Undo restores that deletion's tasks, all of them, and
// no other deletion's.
func TestUndoBulkDelete(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("undo-bulk@example.com")
	a := app.addTask(u.id, "A", "", models.StatusPending)
	b := app.addTask(u.id, "B", "", models.StatusPending)
	c := app.addTask(u.id, "C", "", models.StatusPending)
	wantRedirect(t, u.plain(http.MethodDelete, path(c.ID), nil), "/tasks")
	u.get("/tasks") // take that message

	form := bulkValues("delete", a, b)
	form.Set("confirmed", "yes")
	wantRedirect(t, u.post("/tasks/bulk", form), "/tasks")
	p := u.get("/tasks")
	if got := messageWords(p); got != "Deleted 2 tasks. Undo" {
		t.Errorf("flash %q", got)
	}
	wantRedirect(t, u.post("/trash/undo", undoForm(t, p)), "/tasks")
	if !isLive(t, app, u.id, a.ID) || !isLive(t, app, u.id, b.ID) {
		t.Error("Undo of the bulk delete did not restore both tasks")
	}
	if isLive(t, app, u.id, c.ID) {
		t.Error("Undo of the bulk delete restored an earlier deletion")
	}
	if got := messages(u.get("/tasks")); got != "Restored 2 tasks." {
		t.Errorf("flash %q", got)
	}
}

// Undo is the owner's only: another user's deletion, or a made-up one,
// is a 404 and restores nothing.
func TestUndoIsOwnersOnly(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	alice := app.taskUser("undo-alice@example.com")
	mallory := app.taskUser("undo-mallory@example.com")
	a := app.addTask(alice.id, "Alice's", "", models.StatusPending)
	wantRedirect(t, alice.plain(http.MethodDelete, path(a.ID), nil), "/tasks")
	form := undoForm(t, alice.get("/tasks"))

	wantStatus(t, mallory.post("/trash/undo", form), http.StatusNotFound)
	for _, bad := range []string{"", "abc", "-1", "1e9", strings.Repeat("9", 30)} {
		wantStatus(t, alice.post("/trash/undo", url.Values{"deletion": {bad}}), http.StatusNotFound)
	}
	if isLive(t, app, alice.id, a.ID) {
		t.Error("a refused Undo restored the task")
	}
}

// A trashed task is gone from its normal routes: the task page, edit,
// update, delete and its confirm page are all 404s.
func TestTrashedTaskRoutesAre404(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("trash-404@example.com")
	a := app.addTask(u.id, "Gone", "", models.StatusPending)
	wantRedirect(t, u.plain(http.MethodDelete, path(a.ID), nil), "/tasks")

	wantStatus(t, u.get(path(a.ID)), http.StatusNotFound)
	wantStatus(t, u.get(path(a.ID)+"/edit"), http.StatusNotFound)
	wantStatus(t, u.get(path(a.ID)+"/delete"), http.StatusNotFound)
	wantStatus(t, u.plain(http.MethodPut, path(a.ID), url.Values{"title": {"x"}, "status": {"pending"}}), http.StatusNotFound)
	wantStatus(t, u.plain(http.MethodPatch, path(a.ID), url.Values{"status": {"completed"}}), http.StatusNotFound)
	wantStatus(t, u.plain(http.MethodDelete, path(a.ID), nil), http.StatusNotFound)
	p := u.get("/tasks?q=Gone")
	if p.doc.Find("#task-list li").Length() != 0 || tabCount(t, p.doc.Selection, "tab-all") != 0 {
		t.Errorf("search finds a trashed task:\n%s", p.body)
	}
}

// The trash page lists the user's deleted tasks, newest deletion first,
// each with when the purge will erase it, and is reachable from the list.
func TestTrashPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, func(c *Config) { c.TrashRetention = 48 * time.Hour })
	u := app.taskUser("trash-page@example.com")
	other := app.taskUser("trash-other@example.com")
	if _, ok := u.get("/tasks").doc.Find(`a[href="/trash"]`).Attr("href"); !ok {
		t.Error("the task list has no link to the trash")
	}
	p := u.get("/trash")
	wantStatus(t, p, http.StatusOK)
	if strings.TrimSpace(p.doc.Find("#trash-empty").Text()) != "The trash is empty." {
		t.Errorf("empty trash page:\n%s", p.body)
	}

	app.addTask(u.id, "Live", "", models.StatusPending)
	first := app.addTask(u.id, "First deleted", "", models.StatusPending)
	second := app.addTask(u.id, "Second deleted", "", models.StatusPending)
	theirs := app.addTask(other.id, "Not yours", "", models.StatusPending)
	var stamps []time.Time
	for _, tk := range []*models.Task{first, second} {
		at, err := app.store.DeleteTask(app.ctx(), u.id, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		stamps = append(stamps, at)
	}
	if _, err := app.store.DeleteTask(app.ctx(), other.id, theirs.ID); err != nil {
		t.Fatal(err)
	}

	p = u.get("/trash")
	if !strings.Contains(p.doc.Find("main").Text(), "Deleted tasks stay here for 2 days") {
		t.Errorf("the page does not say how long tasks stay:\n%s", p.body)
	}
	items := p.doc.Find("#trash-list li")
	if items.Length() != 2 {
		t.Fatalf("%d tasks in the trash list, want 2:\n%s", items.Length(), p.body)
	}
	for i, want := range []struct {
		title string
		at    time.Time
	}{{"Second deleted", stamps[1]}, {"First deleted", stamps[0]}} {
		li := items.Eq(i)
		if got := strings.TrimSpace(li.Find(".task-title").Text()); got != want.title {
			t.Errorf("item %d = %q, want %q", i, got, want.title)
		}
		erased, _ := li.Find("time").Last().Attr("datetime")
		if erased != views.MachineTime(want.at.Add(48*time.Hour)) {
			t.Errorf("%s erased at %s, want deleted_at + 48h = %s", want.title, erased, views.MachineTime(want.at.Add(48*time.Hour)))
		}
		if got := strings.Join(strings.Fields(li.Find(".erased").Text()), " "); got != "Erased in 2 days" {
			t.Errorf("%s: %q, want \"Erased in 2 days\"", want.title, got)
		}
	}
	if strings.Contains(p.body, "Not yours") || strings.Contains(p.body, ">Live<") {
		t.Error("the trash shows another user's or a live task")
	}
}

// Restore, Delete forever (after a confirm page) and Empty trash (after a
// confirm page) without JavaScript; another user's trashed task is a 404.
func TestTrashActionsPlain(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("trash-plain@example.com")
	other := app.taskUser("trash-plain-other@example.com")
	keep := app.addTask(u.id, "Bring back", "", models.StatusPending)
	erase := app.addTask(u.id, "Erase me", "", models.StatusPending)
	rest := app.addTask(u.id, "Empty me", "", models.StatusPending)
	theirs := app.addTask(other.id, "Not yours", "", models.StatusPending)
	for _, tk := range []*models.Task{keep, erase, rest} {
		if _, err := app.store.DeleteTask(app.ctx(), u.id, tk.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := app.store.DeleteTask(app.ctx(), other.id, theirs.ID); err != nil {
		t.Fatal(err)
	}
	id := func(tk *models.Task) string { return fmt.Sprint(tk.ID) }

	// Another user's trashed task, and a live one, are 404s everywhere.
	for _, tk := range []*models.Task{theirs} {
		wantStatus(t, u.post("/trash/"+id(tk)+"/restore", nil), http.StatusNotFound)
		wantStatus(t, u.get("/trash/"+id(tk)+"/erase"), http.StatusNotFound)
		wantStatus(t, u.post("/trash/"+id(tk)+"/erase", nil), http.StatusNotFound)
	}
	if _, err := app.store.TrashedTask(app.ctx(), other.id, theirs.ID); err != nil {
		t.Fatalf("another user's request touched their trash: %v", err)
	}

	wantRedirect(t, u.post("/trash/"+id(keep)+"/restore", nil), "/trash")
	if !isLive(t, app, u.id, keep.ID) {
		t.Error("Restore did not bring the task back")
	}
	if got := messages(u.get("/trash")); got != "Restored “Bring back”." {
		t.Errorf("flash %q", got)
	}
	wantStatus(t, u.post("/trash/"+id(keep)+"/restore", nil), http.StatusNotFound) // live now

	// Delete forever asks first, on a page of its own.
	p := u.get("/trash/" + id(erase) + "/erase")
	wantStatus(t, p, http.StatusOK)
	if act, _ := p.doc.Find("form#confirm-erase").Attr("action"); act != "/trash/"+id(erase)+"/erase" {
		t.Errorf("confirm page form action %q:\n%s", act, p.body)
	}
	wantRedirect(t, u.post("/trash/"+id(erase)+"/erase", nil), "/trash")
	if _, err := app.store.TrashedTask(app.ctx(), u.id, erase.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the erased task is still in the trash: %v", err)
	}
	if got := messages(u.get("/trash")); got != "Deleted “Erase me” forever." {
		t.Errorf("flash %q", got)
	}

	p = u.get("/trash/empty")
	wantStatus(t, p, http.StatusOK)
	if !strings.Contains(p.doc.Find("main").Text(), "Erase the 1 task in the trash for good? This cannot be undone.") {
		t.Errorf("empty confirm page:\n%s", p.body)
	}
	wantRedirect(t, u.post("/trash/empty", nil), "/trash")
	if got := messages(u.get("/trash")); got != "Erased 1 task for good." {
		t.Errorf("flash %q", got)
	}
	if tr, _ := app.store.Trash(app.ctx(), u.id); tr.Total != 0 {
		t.Errorf("%d tasks left in the trash", tr.Total)
	}
	if tr, _ := app.store.Trash(app.ctx(), other.id); tr.Total != 1 {
		t.Error("emptying one user's trash touched another's")
	}
	wantRedirect(t, u.get("/trash/empty"), "/trash") // nothing to ask about
}

// With htmx the trash buttons redraw the trash region, with the message.
func TestTrashActionsHTMX(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("trash-hx@example.com")
	a := app.addTask(u.id, "One", "", models.StatusPending)
	b := app.addTask(u.id, "Two", "", models.StatusPending)
	for _, tk := range []*models.Task{a, b} {
		if _, err := app.store.DeleteTask(app.ctx(), u.id, tk.ID); err != nil {
			t.Fatal(err)
		}
	}
	p := u.get("/trash")
	if v, _ := p.doc.Find(fmt.Sprintf(`#trash-%d form[hx-confirm]`, a.ID)).Attr("hx-post"); v != fmt.Sprintf("/trash/%d/erase", a.ID) {
		t.Errorf("Delete forever is not confirmed by htmx:\n%s", p.body)
	}
	if p.doc.Find(`#trash-region form[hx-confirm] [data-empty-trash]`).Length() != 1 {
		t.Errorf("Empty trash is not confirmed by htmx:\n%s", p.body)
	}

	p = u.hx(http.MethodPost, fmt.Sprintf("/trash/%d/restore", a.ID), nil, "/trash")
	wantStatus(t, p, http.StatusOK)
	wantFragment(t, p)
	if p.doc.Find("#trash-list li").Length() != 1 || strings.TrimSpace(p.doc.Find("#messages[hx-swap-oob]").Text()) != "Restored “One”." {
		t.Errorf("after Restore:\n%s", p.body)
	}
	p = u.hx(http.MethodPost, fmt.Sprintf("/trash/%d/erase", b.ID), nil, "/trash")
	wantStatus(t, p, http.StatusOK)
	if p.doc.Find("#trash-empty").Length() != 1 {
		t.Errorf("after Delete forever:\n%s", p.body)
	}
	wantStatus(t, u.hx(http.MethodPost, "/trash/empty", nil, "/trash"), http.StatusOK)
}
