package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taskapp/models"
)

// ---- create ----

func TestCreateTaskPlain(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("create@example.com")
	p := u.plain(http.MethodPost, "/tasks", url.Values{"title": {"  Buy milk  "}, "description": {"2 litres"}})
	wantRedirect(t, p, "/tasks")
	p = u.get("/tasks")
	if got := rowTitles(p); !slices.Equal(got, []string{"Buy milk"}) {
		t.Fatalf("rows %v", got)
	}
	if got := p.doc.Find("li.task .status").Text(); got != "Pending" {
		t.Errorf("status %q, want the default Pending", got)
	}
	if got := messages(p); got != "Added “Buy milk”." {
		t.Errorf("flash %q", got)
	}
	p = u.plain(http.MethodPost, "/tasks", url.Values{"title": {"Done already"}, "status": {"completed"}})
	wantRedirect(t, p, "/tasks")
	if got := u.get("/tasks?status=completed"); !slices.Equal(rowTitles(got), []string{"Done already"}) {
		t.Errorf("completed tab: %v", rowTitles(got))
	}
}

func TestCreateTaskHTMX(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("hxcreate@example.com")

	// Into an empty list: a one-row list replaces the empty state.
	p := u.hx(http.MethodPost, "/tasks", url.Values{"title": {"First"}}, "/tasks")
	wantStatus(t, p, http.StatusOK)
	wantFragment(t, p)
	if n := p.doc.Find("li.task").Length(); n != 1 {
		t.Fatalf("%d rows, want 1:\n%s", n, p.body)
	}
	if oob, _ := p.doc.Find("ul#task-list").Attr("hx-swap-oob"); oob != "true" {
		t.Errorf("first task: list not swapped out of band (%q)", oob)
	}

	// Into a list with rows: the row goes on top.
	p = u.hx(http.MethodPost, "/tasks", url.Values{"title": {"Second"}, "description": {"more"}, "status": {"in_progress"}}, "/tasks")
	wantStatus(t, p, http.StatusOK)
	wantFragment(t, p)
	rows := p.doc.Find("li.task")
	if rows.Length() != 1 || rows.Find(".task-title").Text() != "Second" {
		t.Fatalf("want exactly the new row:\n%s", p.body)
	}
	if oob, _ := rows.Parent().Attr("hx-swap-oob"); oob != "afterbegin:#task-list" {
		t.Errorf("row wrapper hx-swap-oob %q", oob)
	}
	form := p.doc.Find("form#create-task")
	if form.Length() != 1 || form.Find("#new-title").AttrOr("value", "") != "" || form.Find(".field-error").Length() != 0 {
		t.Errorf("create form not reset:\n%s", p.body)
	}
	if _, ok := form.Find("#new-title").Attr("autofocus"); !ok {
		t.Error("fresh create form does not take focus")
	}
	tabs := p.doc.Find(`nav#task-tabs[hx-swap-oob="true"]`)
	if tabs.Length() != 1 || tabCount(t, tabs, "tab-all") != 2 || tabCount(t, tabs, "tab-in_progress") != 1 {
		t.Errorf("tab counts not updated out of band:\n%s", p.body)
	}
	if got := strings.TrimSpace(p.doc.Find(`#messages[hx-swap-oob]`).Text()); got != "Added “Second”." {
		t.Errorf("message %q", got)
	}

	// Seen from a view it does not belong to: counts only.
	p = u.hx(http.MethodPost, "/tasks", url.Values{"title": {"Third"}}, "/tasks?status=completed")
	wantStatus(t, p, http.StatusOK)
	if n := p.doc.Find("li.task").Length(); n != 0 {
		t.Errorf("a pending task was added to the completed view")
	}
	if tabs := p.doc.Find("nav#task-tabs"); tabCount(t, tabs, "tab-pending") != 2 {
		t.Errorf("pending count not updated")
	}
	if c, _ := p.doc.Find("nav#task-tabs #tab-completed").Attr("aria-current"); c != "page" {
		t.Errorf("tabs lost the current filter")
	}
}

func TestCreateTaskValidation(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("invalid@example.com")
	long := strings.Repeat("é", 201)
	for _, tc := range []struct {
		name   string
		form   url.Values
		field  string
		kept   string // the title shown back
		errMsg string
	}{
		{"empty title", url.Values{"title": {""}}, "title", "", "Enter a title."},
		{"blank title", url.Values{"title": {"   "}}, "title", "   ", "Enter a title."},
		{"201 characters", url.Values{"title": {long}}, "title", long, "Use at most 200 characters."},
		{"long description", url.Values{"title": {"ok"}, "description": {strings.Repeat("x", 2001)}}, "description", "ok", "Use at most 2000 characters."},
		{"bad status", url.Values{"title": {"ok"}, "status": {"archived"}}, "status", "ok", "Choose pending"},
		{"NUL byte", url.Values{"title": {"nul\x00here"}}, "title", "nul\uFFFDhere", "can't be saved"},
		{"invalid UTF-8", url.Values{"title": {"ok"}, "description": {"bad \xff byte"}}, "description", "ok", "can't be saved"},
	} {
		for _, htmx := range []bool{false, true} {
			var p *page
			if htmx {
				p = u.hx(http.MethodPost, "/tasks", tc.form, "/tasks")
				wantFragment(t, p)
			} else {
				p = u.plain(http.MethodPost, "/tasks", tc.form)
			}
			name := fmt.Sprintf("%s (htmx=%v)", tc.name, htmx)
			if p.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", name, p.StatusCode)
				continue
			}
			form := p.doc.Find("form#create-task")
			msg := form.Find("#new-" + tc.field + "-error").Text()
			if !strings.Contains(msg, tc.errMsg) {
				t.Errorf("%s: error beside %s is %q, want %q", name, tc.field, msg, tc.errMsg)
			}
			if inv, _ := form.Find("#new-" + tc.field).Attr("aria-invalid"); inv != "true" {
				t.Errorf("%s: %s not marked invalid", name, tc.field)
			}
			if got := form.Find("#new-title").AttrOr("value", ""); got != tc.kept {
				t.Errorf("%s: title shown back as %q, want %q", name, got, tc.kept)
			}
		}
	}
	if n, _ := app.store.CountTasks(app.ctx(), u.id, models.ListOptions{}); n.All() != 0 {
		t.Errorf("invalid input created %d tasks", n.All())
	}
}

func TestCreateTaskLimitsInCharacters(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("emoji@example.com")
	title := strings.Repeat("🎉", 200) // 800 bytes, 200 characters
	wantRedirect(t, u.plain(http.MethodPost, "/tasks", url.Values{"title": {title}}), "/tasks")
	p := u.hx(http.MethodPost, "/tasks", url.Values{"title": {title}, "description": {strings.Repeat("ü", 2000)}}, "/tasks")
	wantStatus(t, p, http.StatusOK)
	if got := rowTitles(u.get("/tasks")); len(got) != 2 || got[0] != title {
		t.Errorf("200-emoji title not listed intact")
	}
	p = u.plain(http.MethodPost, "/tasks", url.Values{"title": {title + "🎉"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if got := p.doc.Find("#new-title").AttrOr("value", ""); got != title+"🎉" {
		t.Errorf("201-emoji title not kept in the form")
	}
}

func TestTaskTextIsEscaped(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("xss@example.com")
	evil := `<script>alert(1)</script>`
	desc := `<img src=x onerror=alert(2)> "quoted" & 'single'`
	p := u.hx(http.MethodPost, "/tasks", url.Values{"title": {evil}, "description": {desc}}, "/tasks")
	wantStatus(t, p, http.StatusOK)
	task := app.addTask(u.id, evil+" again", desc, models.StatusPending)

	for _, target := range []string{"/tasks", path(task.ID), "/tasks?q=" + url.QueryEscape("<script>")} {
		p := u.get(target)
		wantStatus(t, p, http.StatusOK)
		p.doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			if _, ok := s.Attr("src"); !ok || strings.Contains(s.Text(), "alert") {
				t.Errorf("%s: an inline script element appeared", target)
			}
		})
		if p.doc.Find("main img").Length() != 0 || strings.Contains(p.body, "<img src=x") {
			t.Errorf("%s: description became markup", target)
		}
		if !strings.Contains(p.doc.Find("main").Text(), evil) {
			t.Errorf("%s: the title is not shown as text", target)
		}
	}
	p = u.get(path(task.ID))
	if got := p.doc.Find("h1").Text(); got != evil+" again" {
		t.Errorf("task page title %q", got)
	}
	p = u.get("/tasks?q=" + url.QueryEscape("<script>"))
	if got, _ := p.doc.Find("#q").Attr("value"); got != "<script>" {
		t.Errorf("search box holds %q", got)
	}
}

func TestCreateTaskHTMXOnFullPageEvictsLastRow(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, func(c *Config) { c.PerPage = 2 })
	u := app.taskUser("evict@example.com")
	first := u.hx(http.MethodPost, "/tasks", url.Values{"title": {"Oldest"}}, "/tasks")
	wantStatus(t, first, http.StatusOK)
	p := u.hx(http.MethodPost, "/tasks", url.Values{"title": {"Middle"}}, "/tasks")
	if n := p.doc.Find(`[hx-swap-oob="delete"]`).Length(); n != 0 {
		t.Fatalf("page not yet full, but %d rows removed:\n%s", n, p.body)
	}
	oldest := p.doc.Find("li.task").Length() // sanity: one new row
	if oldest != 1 {
		t.Fatalf("%d new rows, want 1", oldest)
	}
	// Exactly 2 tasks at 2 a page fill one page: the pagination says so
	// (hidden, being one page) and offers no next page.
	pg := p.doc.Find("#pagination")
	if _, hidden := pg.Attr("hidden"); !hidden || pg.Find("#page-next").Length() != 0 || strings.Contains(pg.Text(), "of 2") {
		t.Fatalf("2 tasks at 2 a page: want one page and no Next link, got %q:\n%s", strings.TrimSpace(pg.Text()), p.body)
	}
	page, err := app.store.ListTasks(app.ctx(), u.id, models.ListOptions{PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	oldestID := page.Tasks[len(page.Tasks)-1].ID

	p = u.hx(http.MethodPost, "/tasks", url.Values{"title": {"Newest"}}, "/tasks")
	wantStatus(t, p, http.StatusOK)
	gone := p.doc.Find(`li[hx-swap-oob="delete"]`)
	if gone.Length() != 1 || gone.AttrOr("id", "") != fmt.Sprintf("task-%d", oldestID) {
		t.Fatalf("want the row of %q (task-%d) removed out of band:\n%s", "Oldest", oldestID, p.body)
	}
}

// Without JavaScript, a row's Delete asks first on a page of its own,
// whose form deletes and returns to the list the person was on; "Keep it"
// goes back there with the task untouched. The GET form carries no token.
