package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taskapp/models"
)

// ---- helpers (task tests only; names kept distinct from the auth tests) ----

// taskUser is a signed-in browser and the id of its account.
type taskUser struct {
	*browser
	id int64
}

func (a *testApp) taskUser(email string) taskUser {
	a.t.Helper()
	b := a.signedIn(email)
	u, err := a.store.UserByEmail(a.ctx(), email)
	if err != nil {
		a.t.Fatal(err)
	}
	b.get("/tasks") // a page to take the CSRF token from
	return taskUser{browser: b, id: u.ID}
}

// addTask creates a task straight in the store.
func (a *testApp) addTask(userID int64, title, desc string, status models.TaskStatus) *models.Task {
	a.t.Helper()
	t, err := a.store.CreateTask(a.ctx(), userID, models.TaskInput{Title: title, Description: desc, Status: status})
	if err != nil {
		a.t.Fatal(err)
	}
	return t
}

// send makes a request with a form body using any method, as htmx does
// for PUT, PATCH and DELETE. The CSRF token goes in the body unless the
// headers carry it.
func (b *browser) send(method, path string, form url.Values, headers ...string) *page {
	b.app.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !slices.ContainsFunc(headers, func(h string) bool { return strings.HasPrefix(h, "X-CSRF-Token") }) {
		form.Set("_csrf", b.csrf)
	}
	req, _ := http.NewRequest(method, b.app.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	setHeaders(req, headers)
	return b.do(req)
}

// plain submits form as a browser without JavaScript would: a POST, with
// _method for PUT, PATCH and DELETE.
func (b *browser) plain(method, path string, form url.Values) *page {
	b.app.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if method != http.MethodPost {
		form.Set("_method", method)
	}
	return b.post(path, form)
}

// hx makes the request htmx would, from a page showing currentURL.
func (b *browser) hx(method, path string, form url.Values, currentURL string) *page {
	b.app.t.Helper()
	h := b.htmx()
	if currentURL != "" {
		h = append(h, "HX-Current-URL: "+b.app.srv.URL+currentURL)
	}
	if method == http.MethodGet {
		return b.get(path, h...)
	}
	return b.send(method, path, form, h...)
}

func expectStatus(t *testing.T, p *page, want int) {
	t.Helper()
	if p.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d\n%s", p.Request.Method, p.Request.URL.Path, p.StatusCode, want, p.body)
	}
}

func expectRedirect(t *testing.T, p *page, location string) {
	t.Helper()
	expectStatus(t, p, http.StatusSeeOther)
	if got := p.Header.Get("Location"); got != location {
		t.Fatalf("%s %s: Location %q, want %q", p.Request.Method, p.Request.URL.Path, got, location)
	}
}

var wholePage = regexp.MustCompile(`(?i)<(!doctype|html|head|body)[\s>]`)

// expectFragment fails if p is a whole page rather than a fragment.
func expectFragment(t *testing.T, p *page) {
	t.Helper()
	if wholePage.MatchString(p.body) {
		t.Fatalf("htmx got a whole page:\n%s", p.body)
	}
}

// rowTitles are the titles of the task rows in p, in order.
func rowTitles(p *page) []string {
	var out []string
	p.doc.Find("li.task .task-title").Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.Text())
	})
	return out
}

// tabCount is the count shown on the tab with the given id.
func tabCount(t *testing.T, doc *goquery.Selection, id string) int {
	t.Helper()
	s := doc.Find("#" + id + " .count")
	n, err := strconv.Atoi(strings.TrimSpace(s.Text()))
	if s.Length() != 1 || err != nil {
		t.Fatalf("tab #%s: count %q", id, s.Text())
	}
	return n
}

func messages(p *page) string { return strings.TrimSpace(p.doc.Find("#messages").Text()) }

func reload(t *testing.T, app *testApp, userID, id int64) *models.Task {
	t.Helper()
	task, err := app.store.TaskByID(app.ctx(), userID, id)
	if err != nil {
		t.Fatalf("reload task %d: %v", id, err)
	}
	return task
}

func path(id int64) string { return "/tasks/" + strconv.FormatInt(id, 10) }

// ---- signed out ----

func TestTaskRoutesNeedSignIn(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	owner := app.taskUser("owner@example.com")
	task := app.addTask(owner.id, "Private", "", models.StatusPending)
	b := app.browser()
	b.get("/login")

	for _, target := range []string{"/tasks", "/tasks?status=completed&q=milk", path(task.ID), path(task.ID) + "/edit"} {
		p := b.get(target)
		expectRedirect(t, p, "/login?next="+url.QueryEscape(target))
		p = b.get(target, "HX-Request: true")
		if got := p.Header.Get("HX-Redirect"); got != "/login?next="+url.QueryEscape(target) {
			t.Errorf("htmx GET %s: HX-Redirect %q", target, got)
		}
	}
	for _, method := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete} {
		expectRedirect(t, b.plain(method, path(task.ID), url.Values{"title": {"Hijacked"}, "status": {"completed"}}), "/login")
	}
	expectRedirect(t, b.plain(http.MethodPost, "/tasks", url.Values{"title": {"Sneaky"}}), "/login")
	if got := reload(t, app, owner.id, task.ID); got.Title != "Private" || got.Status != models.StatusPending {
		t.Errorf("signed-out requests changed the task: %+v", got)
	}
}

// ---- the list page ----

func TestTaskListEmptyStates(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("empty@example.com")

	p := u.get("/tasks")
	expectStatus(t, p, http.StatusOK)
	if got := p.doc.Find("#task-list.empty").Text(); !strings.Contains(got, "No tasks yet") {
		t.Errorf("new account: empty state %q, want \"No tasks yet\"", got)
	}
	if n := p.doc.Find("form#create-task").Length(); n != 1 {
		t.Errorf("create form: %d, want 1", n)
	}
	if v, _ := p.doc.Find("#new-status option[selected]").Attr("value"); v != "pending" {
		t.Errorf("create form status defaults to %q, want pending", v)
	}

	app.addTask(u.id, "Buy milk", "", models.StatusPending)
	for target, want := range map[string]string{
		"/tasks?q=bread":                  "Nothing matches “bread”",
		"/tasks?status=completed":         "No completed tasks",
		"/tasks?status=in_progress":       "No tasks in progress",
		"/tasks?status=completed&q=milk":  "Nothing matches “milk”",
		"/tasks?status=completed&q=bread": "Nothing matches “bread”",
	} {
		p := u.get(target)
		got := strings.Join(strings.Fields(p.doc.Find("#task-list.empty").Text()), " ")
		if !strings.Contains(got, want) || strings.Contains(got, "No tasks yet") {
			t.Errorf("%s: empty state %q, want %q", target, got, want)
		}
	}
	p = u.get("/tasks?status=completed&q=milk")
	if href, _ := p.doc.Find("#task-list.empty a").Attr("href"); href != "/tasks?q=milk" {
		t.Errorf("empty completed search links to %q, want the search over all tasks", href)
	}
}

func TestTaskListNewestFirstWithTimes(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("order@example.com")
	for _, title := range []string{"first", "second", "third"} {
		app.addTask(u.id, title, "about "+title, models.StatusPending)
	}
	p := u.get("/tasks")
	if got, want := rowTitles(p), []string{"third", "second", "first"}; !slices.Equal(got, want) {
		t.Errorf("rows %v, want newest first %v", got, want)
	}
	tm := p.doc.Find("li.task time").First()
	dt, _ := tm.Attr("datetime")
	title, _ := tm.Attr("title")
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`).MatchString(dt) ||
		!regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d UTC$`).MatchString(title) || tm.Text() != "just now" {
		t.Errorf("time: datetime %q title %q text %q", dt, title, tm.Text())
	}
	if got := p.doc.Find("li.task .task-description").First().Text(); got != "about third" {
		t.Errorf("description excerpt %q", got)
	}
	if got := p.doc.Find("li.task .status").First().Text(); got != "Pending" {
		t.Errorf("status badge %q", got)
	}
}

func TestTaskListLenientQuery(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, func(c *Config) { c.PerPage = 2 })
	u := app.taskUser("lenient@example.com")
	for i := range 5 {
		app.addTask(u.id, fmt.Sprintf("task %d", i), "", models.StatusPending)
	}
	for target, want := range map[string]struct {
		tab  string
		page string
	}{
		"/tasks?status=bogus":          {"tab-all", "Page 1 of 3"},
		"/tasks?page=abc":              {"tab-all", "Page 1 of 3"},
		"/tasks?page=-3":               {"tab-all", "Page 1 of 3"},
		"/tasks?page=99":               {"tab-all", "Page 3 of 3"},
		"/tasks?status=pending&page=2": {"tab-pending", "Page 2 of 3"},
	} {
		p := u.get(target)
		expectStatus(t, p, http.StatusOK)
		if cur, _ := p.doc.Find("#" + want.tab).Attr("aria-current"); cur != "page" {
			t.Errorf("%s: #%s not the current tab", target, want.tab)
		}
		if got := p.doc.Find("#pagination").Text(); !strings.Contains(got, want.page) {
			t.Errorf("%s: pagination %q, want %q", target, got, want.page)
		}
	}
	p := u.get("/tasks?page=99")
	if got := rowTitles(p); !slices.Equal(got, []string{"task 0"}) {
		t.Errorf("clamped page shows %v", got)
	}
}

// TestTaskListWalk creates tasks of every status with and without the
// search term, then walks every page of several views, following the
// rendered "next" links, in both modes.
func TestTaskListWalk(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, func(c *Config) { c.PerPage = 4 })
	u := app.taskUser("walker@example.com")
	var all []*models.Task
	for i := range 25 {
		status := models.TaskStatuses()[i%3]
		title, desc := fmt.Sprintf("Task %02d", i), ""
		switch i % 4 {
		case 0:
			title += " buy MILK"
		case 1:
			desc = "remember the milk & eggs"
		}
		all = append(all, app.addTask(u.id, title, desc, status))
	}
	want := func(status models.TaskStatus, q string) []string {
		var out []string
		for i := len(all) - 1; i >= 0; i-- {
			task := all[i]
			if status != "" && task.Status != status {
				continue
			}
			if q != "" && !strings.Contains(strings.ToLower(task.Title+" "+task.DescriptionText()), strings.ToLower(q)) {
				continue
			}
			out = append(out, task.Title)
		}
		return out
	}
	for _, status := range []models.TaskStatus{"", models.StatusPending, models.StatusInProgress, models.StatusCompleted} {
		for _, q := range []string{"", "milk", "Milk", "eggs", "nothing-like-this"} {
			for _, htmx := range []bool{false, true} {
				name := fmt.Sprintf("status=%s q=%s htmx=%v", status, q, htmx)
				expected := want(status, q)
				pages := max(1, (len(expected)+3)/4)
				v := url.Values{}
				if status != "" {
					v.Set("status", string(status))
				}
				if q != "" {
					v.Set("q", q)
				}
				next := "/tasks"
				if len(v) > 0 {
					next += "?" + v.Encode()
				}
				var seen []string
				for n := 1; next != ""; n++ {
					if n > pages {
						t.Fatalf("%s: more than %d pages", name, pages)
					}
					var p *page
					if htmx {
						p = u.get(next, "HX-Request: true")
						expectFragment(t, p)
						if p.doc.Find("section#task-region").Length() != 1 {
							t.Fatalf("%s: no list region in the fragment", name)
						}
						pushed := p.Header.Get("HX-Push-Url")
						if n == 1 && pushed != next || !strings.HasPrefix(pushed, "/tasks") {
							t.Errorf("%s: HX-Push-Url %q on page %d", name, pushed, n)
						}
					} else {
						p = u.get(next)
						if got, _ := p.doc.Find("#q").Attr("value"); got != q {
							t.Errorf("%s: search box holds %q", name, got)
						}
					}
					expectStatus(t, p, http.StatusOK)
					if got := p.doc.Find("#pagination").Text(); pages > 1 && !strings.Contains(got, fmt.Sprintf("Page %d of %d", n, pages)) {
						t.Errorf("%s: pagination says %q on page %d", name, got, n)
					}
					// Every list link keeps the search; page links keep the status.
					p.doc.Find("#task-tabs a, #pagination a, #task-list.empty a").Each(func(_ int, a *goquery.Selection) {
						href, _ := a.Attr("href")
						hx, _ := a.Attr("hx-get")
						lu, _ := url.Parse(href)
						if href != hx || lu.Query().Get("q") != q && !strings.Contains(a.Text(), "clear") {
							t.Errorf("%s: link %q (hx-get %q) loses the search", name, href, hx)
						}
					})
					p.doc.Find("#pagination a").Each(func(_ int, a *goquery.Selection) {
						href, _ := a.Attr("href")
						lu, _ := url.Parse(href)
						if lu.Query().Get("status") != string(status) {
							t.Errorf("%s: page link %q loses the status", name, href)
						}
					})
					for id, s := range map[string]models.TaskStatus{"tab-all": "", "tab-pending": models.StatusPending, "tab-in_progress": models.StatusInProgress, "tab-completed": models.StatusCompleted} {
						if got, want := tabCount(t, p.doc.Selection, id), len(want(s, q)); got != want {
							t.Errorf("%s: tab %s counts %d, want %d", name, id, got, want)
						}
					}
					seen = append(seen, rowTitles(p)...)
					next, _ = p.doc.Find(`#pagination a[rel="next"]`).Attr("href")
				}
				if !slices.Equal(seen, expected) {
					t.Errorf("%s: walked %v\nwant %v", name, seen, expected)
				}
			}
		}
	}
}

func TestTaskListFragmentForHTMX(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("frag@example.com")
	app.addTask(u.id, "Water plants", "", models.StatusCompleted)
	p := u.get("/tasks?status=completed&q=&page=1", "HX-Request: true")
	expectStatus(t, p, http.StatusOK)
	expectFragment(t, p)
	if got := p.Header.Get("HX-Push-Url"); got != "/tasks?status=completed" {
		t.Errorf("HX-Push-Url %q, want the canonical URL", got)
	}
	if got := rowTitles(p); !slices.Equal(got, []string{"Water plants"}) {
		t.Errorf("rows %v", got)
	}
	st := p.doc.Find(`#search-status[hx-swap-oob]`)
	if v, _ := st.Attr("value"); v != "completed" || st.Length() != 1 {
		t.Errorf("search form's status not updated out of band: %v", st.Length())
	}
	if !strings.Contains(p.Header.Get("Vary"), "HX-Request") {
		t.Error("fragment responses must vary on HX-Request")
	}
}

// ---- create ----

func TestCreateTaskPlain(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("create@example.com")
	p := u.plain(http.MethodPost, "/tasks", url.Values{"title": {"  Buy milk  "}, "description": {"2 litres"}})
	expectRedirect(t, p, "/tasks")
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
	expectRedirect(t, p, "/tasks")
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
	expectStatus(t, p, http.StatusOK)
	expectFragment(t, p)
	if n := p.doc.Find("li.task").Length(); n != 1 {
		t.Fatalf("%d rows, want 1:\n%s", n, p.body)
	}
	if oob, _ := p.doc.Find("ul#task-list").Attr("hx-swap-oob"); oob != "true" {
		t.Errorf("first task: list not swapped out of band (%q)", oob)
	}

	// Into a list with rows: the row goes on top.
	p = u.hx(http.MethodPost, "/tasks", url.Values{"title": {"Second"}, "description": {"more"}, "status": {"in_progress"}}, "/tasks")
	expectStatus(t, p, http.StatusOK)
	expectFragment(t, p)
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
	expectStatus(t, p, http.StatusOK)
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
				expectFragment(t, p)
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
	if n, _ := app.store.CountTasks(app.ctx(), u.id, ""); n.All() != 0 {
		t.Errorf("invalid input created %d tasks", n.All())
	}
}

func TestCreateTaskLimitsInCharacters(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("emoji@example.com")
	title := strings.Repeat("🎉", 200) // 800 bytes, 200 characters
	expectRedirect(t, u.plain(http.MethodPost, "/tasks", url.Values{"title": {title}}), "/tasks")
	p := u.hx(http.MethodPost, "/tasks", url.Values{"title": {title}, "description": {strings.Repeat("ü", 2000)}}, "/tasks")
	expectStatus(t, p, http.StatusOK)
	if got := rowTitles(u.get("/tasks")); len(got) != 2 || got[0] != title {
		t.Errorf("200-emoji title not listed intact")
	}
	p = u.plain(http.MethodPost, "/tasks", url.Values{"title": {title + "🎉"}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
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
	expectStatus(t, p, http.StatusOK)
	task := app.addTask(u.id, evil+" again", desc, models.StatusPending)

	for _, target := range []string{"/tasks", path(task.ID), "/tasks?q=" + url.QueryEscape("<script>")} {
		p := u.get(target)
		expectStatus(t, p, http.StatusOK)
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

// ---- the task page and the inline edit form ----

func TestTaskPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("page@example.com")
	task := app.addTask(u.id, "Call the bank", "line one\nline two", models.StatusInProgress)

	p := u.get(path(task.ID))
	expectStatus(t, p, http.StatusOK)
	if got := p.doc.Find("h1").Text(); got != "Call the bank" {
		t.Errorf("h1 %q", got)
	}
	if got := p.doc.Find("article .task-meta").Text(); !strings.Contains(got, "Updated") || p.doc.Find("article .task-meta time").Length() != 2 {
		t.Errorf("created and updated times not shown: %q", got)
	}
	if n := p.doc.Find(".task-description br").Length(); n != 1 {
		t.Errorf("description line breaks: %d", n)
	}
	form := p.doc.Find(`form[action="` + path(task.ID) + `"]`).First()
	if m, _ := form.Find(`input[name="_method"]`).Attr("value"); m != "PUT" {
		t.Errorf("edit form method %q", m)
	}
	if got := form.Find("#edit-title").AttrOr("value", ""); got != "Call the bank" {
		t.Errorf("edit form title %q", got)
	}
	if got := form.Find("#edit-description").Text(); got != "line one\nline two" {
		t.Errorf("edit form description %q", got)
	}
	if v, _ := form.Find("#edit-status option[selected]").Attr("value"); v != "in_progress" {
		t.Errorf("edit form status %q", v)
	}
	// Every form control has a label.
	p.doc.Find("main input:not([type=hidden]), main select, main textarea").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if id == "" || p.doc.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("control %q has no label", id)
		}
	})

	// /edit without htmx is the same page.
	if p := u.get(path(task.ID) + "/edit"); p.doc.Find("#edit-title").Length() != 1 {
		t.Errorf("GET /edit without htmx is not the task page")
	}
}

func TestInlineEditFragments(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("inline@example.com")
	task := app.addTask(u.id, "Fix the bike", "chain", models.StatusPending)
	id := "task-" + strconv.FormatInt(task.ID, 10)

	p := u.hx(http.MethodGet, path(task.ID)+"/edit", nil, "/tasks?q=bike")
	expectStatus(t, p, http.StatusOK)
	expectFragment(t, p)
	li := p.doc.Find("li.task#" + id)
	form := li.Find("form.inline-edit[data-inline-edit]")
	if li.Length() != 1 || form.Length() != 1 {
		t.Fatalf("no inline edit form:\n%s", p.body)
	}
	if _, ok := form.Find("#" + id + "-title[autofocus]").Attr("autofocus"); !ok {
		t.Error("the title field does not take focus")
	}
	cancel := form.Find("[data-cancel]")
	if href, _ := cancel.Attr("href"); href != path(task.ID) {
		t.Errorf("cancel links to %q", href)
	}
	if hx, _ := cancel.Attr("hx-get"); hx != path(task.ID) {
		t.Errorf("cancel hx-get %q", hx)
	}
	if back, _ := form.Find(`input[name="back"]`).Attr("value"); back != "/tasks?q=bike" {
		t.Errorf("back %q", back)
	}
	form.Find("input:not([type=hidden]), select, textarea").Each(func(_ int, s *goquery.Selection) {
		cid, _ := s.Attr("id")
		if li.Find(`label.sr-only[for="`+cid+`"]`).Length() != 1 {
			t.Errorf("inline control %q has no label", cid)
		}
	})

	// Cancel: the row comes back, with focus on its Edit button.
	p = u.hx(http.MethodGet, path(task.ID), nil, "/tasks?q=bike")
	expectStatus(t, p, http.StatusOK)
	expectFragment(t, p)
	if p.doc.Find("li.task#"+id).Length() != 1 || p.doc.Find("form.inline-edit").Length() != 0 {
		t.Fatalf("cancel did not return the row:\n%s", p.body)
	}
	if _, ok := p.doc.Find(`a[data-autofocus]`).Attr("hx-get"); !ok {
		t.Error("focus does not return to the Edit button")
	}
	if label, _ := p.doc.Find(`a[data-autofocus]`).Attr("aria-label"); label != "Edit “Fix the bike”" {
		t.Errorf("edit button name %q", label)
	}
	if label, _ := p.doc.Find(`form[hx-delete] button`).Attr("aria-label"); label != "Delete “Fix the bike”" {
		t.Errorf("delete button name %q", label)
	}
	if confirm, _ := p.doc.Find(`form[hx-delete]`).Attr("hx-confirm"); confirm != "Delete “Fix the bike”?" {
		t.Errorf("hx-confirm %q", confirm)
	}
}

// ---- update ----

func TestUpdateTaskPlain(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("plainupdate@example.com")
	task := app.addTask(u.id, "Old title", "old description", models.StatusPending)

	// From the task page: back to it.
	p := u.plain(http.MethodPut, path(task.ID), url.Values{"title": {"New title"}, "description": {""}, "status": {"in_progress"}, "back": {path(task.ID)}})
	expectRedirect(t, p, path(task.ID))
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
	expectRedirect(t, p, "/tasks?q=new&status=in_progress")
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
		expectRedirect(t, p, "/tasks")
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
	expectStatus(t, p, http.StatusOK)
	expectFragment(t, p)
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
	expectStatus(t, p, http.StatusOK)
	expectFragment(t, p)
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
	expectStatus(t, p, http.StatusOK)
	expectFragment(t, p)
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
	expectStatus(t, p, http.StatusUnprocessableEntity)
	expectFragment(t, p)
	form := p.doc.Find("li.task#" + id + " form.inline-edit")
	if got := form.Find("#" + id + "-title-error").Text(); got != "Enter a title." {
		t.Errorf("inline error %q:\n%s", got, p.body)
	}
	if got := form.Find("#" + id + "-description").Text(); got != "typed text" {
		t.Errorf("input not kept: %q", got)
	}

	// Task page with htmx: its content, with the error.
	p = u.hx(http.MethodPut, path(task.ID), bad, path(task.ID))
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if got := p.doc.Find("article#task-detail #edit-title-error").Text(); got != "Enter a title." {
		t.Errorf("task page fragment error %q:\n%s", got, p.body)
	}
	if got := p.doc.Find("article#task-detail h1").Text(); got != "Keep me" {
		t.Errorf("heading shows %q, want the stored title", got)
	}

	// Plain: the task page.
	p = u.plain(http.MethodPut, path(task.ID), url.Values{"title": {strings.Repeat("x", 201)}, "description": {"typed"}, "status": {"completed"}, "back": {path(task.ID)}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
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
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if got := p.doc.Find("#" + id + "-status-error").Text(); !strings.Contains(got, "Choose pending") {
		t.Errorf("status error %q", got)
	}
	if got := p.doc.Find("#"+id+"-title").AttrOr("value", ""); got != "Keep me" {
		t.Errorf("PATCH 422 form lost the stored title: %q", got)
	}
	p = u.plain(http.MethodPatch, path(task.ID), url.Values{"title": {"a\x00b"}})
	expectStatus(t, p, http.StatusUnprocessableEntity)

	if got := reload(t, app, u.id, task.ID); got.Title != "Keep me" || got.DescriptionText() != "as is" || got.Status != models.StatusPending {
		t.Errorf("invalid updates changed the task: %+v", got)
	}
}

// ---- delete ----

func TestDeleteTaskPlain(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("plaindelete@example.com")
	a := app.addTask(u.id, "Delete me", "", models.StatusPending)
	b := app.addTask(u.id, "Delete me too", "", models.StatusPending)

	expectRedirect(t, u.plain(http.MethodDelete, path(a.ID), url.Values{"back": {"/tasks?status=pending"}}), "/tasks?status=pending")
	if _, err := app.store.TaskByID(app.ctx(), u.id, a.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("task still there: %v", err)
	}
	p := u.get("/tasks?status=pending")
	if got := messages(p); got != "Deleted “Delete me”." {
		t.Errorf("flash %q", got)
	}
	// From its own page: to the list, not to the page that is gone.
	expectRedirect(t, u.plain(http.MethodDelete, path(b.ID), url.Values{"back": {path(b.ID)}}), "/tasks")
	expectStatus(t, u.get(path(b.ID)), http.StatusNotFound)
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
	expectStatus(t, p, http.StatusOK)
	if p.body != "" {
		t.Errorf("body %q, want empty", p.body)
	}
	if got := p.Header.Get("HX-Trigger"); got != "tasks-changed" {
		t.Errorf("HX-Trigger %q", got)
	}
	// The tabs then fetch fresh counts, which bring the message along.
	p = u.hx(http.MethodGet, "/tasks/counts", nil, "/tasks")
	expectStatus(t, p, http.StatusOK)
	expectFragment(t, p)
	if tabCount(t, p.doc.Selection, "tab-all") != 2 || p.doc.Find(`#pagination[hx-swap-oob]`).Length() != 1 {
		t.Errorf("counts:\n%s", p.body)
	}
	if got := strings.TrimSpace(p.doc.Find("#messages").Text()); got != "Deleted “Task 2”." {
		t.Errorf("message %q", got)
	}

	// Deleting the last task on the last page redraws the list at the
	// page before it.
	expectStatus(t, u.hx(http.MethodDelete, path(tasks[0].ID), nil, "/tasks?page=2"), http.StatusOK)
	p = u.hx(http.MethodGet, "/tasks/counts?page=2", nil, "/tasks?page=2")
	expectStatus(t, p, http.StatusOK)
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
	expectRedirect(t, u.get("/tasks/counts?status=pending"), "/tasks?status=pending")
}

// ---- ownership and ids ----

func TestOtherUsersTasksAreNotFound(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	alice := app.taskUser("alice@example.com")
	bob := app.taskUser("bob@example.com")
	task := app.addTask(alice.id, "Alice's secret", "private", models.StatusPending)
	missing := task.ID + 1000

	requestID := regexp.MustCompile(`[A-Za-z0-9]{32}`)
	normalize := func(s string) string { return requestID.ReplaceAllString(s, "ID") }

	type attempt struct {
		name   string
		method string
		suffix string
		form   url.Values
	}
	attempts := []attempt{
		{"GET", http.MethodGet, "", nil},
		{"GET edit", http.MethodGet, "/edit", nil},
		{"PUT", http.MethodPut, "", url.Values{"title": {"Bob was here"}, "description": {""}, "status": {"completed"}}},
		{"PUT invalid", http.MethodPut, "", url.Values{"title": {""}, "status": {"completed"}}},
		{"PATCH", http.MethodPatch, "", url.Values{"status": {"completed"}}},
		{"DELETE", http.MethodDelete, "", nil},
	}
	for _, a := range attempts {
		for _, htmx := range []bool{false, true} {
			do := func(id int64) *page {
				var form url.Values
				if a.form != nil {
					form = url.Values{}
					for k, v := range a.form {
						form[k] = slices.Clone(v)
					}
				}
				switch {
				case htmx:
					return bob.hx(a.method, path(id)+a.suffix, form, "/tasks")
				case a.method == http.MethodGet:
					return bob.get(path(id) + a.suffix)
				default:
					return bob.plain(a.method, path(id)+a.suffix, form)
				}
			}
			name := fmt.Sprintf("%s (htmx=%v)", a.name, htmx)
			theirs, none := do(task.ID), do(missing)
			if theirs.StatusCode != http.StatusNotFound || none.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d for another's task, %d for a missing one; want 404", name, theirs.StatusCode, none.StatusCode)
			}
			if normalize(theirs.body) != normalize(none.body) {
				t.Errorf("%s: another's task and a missing one differ:\n%s\n---\n%s", name, theirs.body, none.body)
			}
			if strings.Contains(theirs.body, "Alice") {
				t.Errorf("%s: the response shows the task", name)
			}
			if htmx && theirs.Header.Get("HX-Retarget") != "#messages" {
				t.Errorf("%s: htmx 404 not sent to the message area", name)
			}
		}
	}
	if got := reload(t, app, alice.id, task.ID); got.Title != "Alice's secret" || got.Status != models.StatusPending || !got.UpdatedAt.Equal(task.UpdatedAt) {
		t.Errorf("Bob changed Alice's task: %+v", got)
	}
	if rows := rowTitles(bob.get("/tasks")); len(rows) != 0 {
		t.Errorf("Bob's list shows %v", rows)
	}
}

func TestTaskIDsAreParsedStrictly(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("ids@example.com")
	task := app.addTask(u.id, "Real", "", models.StatusPending)
	id := strconv.FormatInt(task.ID, 10)
	for _, bad := range []string{"abc", id + "x", "-" + id, "+" + id, "0" + id, "0", id + ".0", "99999999999999999999", "%20" + id} {
		for _, htmx := range []bool{false, true} {
			var p *page
			if htmx {
				p = u.hx(http.MethodGet, "/tasks/"+bad, nil, "/tasks")
			} else {
				p = u.get("/tasks/" + bad)
			}
			if p.StatusCode != http.StatusNotFound {
				t.Errorf("GET /tasks/%s (htmx=%v): %d, want 404", bad, htmx, p.StatusCode)
			}
		}
		if p := u.plain(http.MethodDelete, "/tasks/"+bad, nil); p.StatusCode != http.StatusNotFound {
			t.Errorf("DELETE /tasks/%s: %d, want 404", bad, p.StatusCode)
		}
	}
	reload(t, app, u.id, task.ID)
}

// A task created with htmx on a full first page pushes that page's last
// row to page 2; the row leaves the screen, so no task shows on two pages.
func TestCreateTaskHTMXOnFullPageEvictsLastRow(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, func(c *Config) { c.PerPage = 2 })
	u := app.taskUser("evict@example.com")
	first := u.hx(http.MethodPost, "/tasks", url.Values{"title": {"Oldest"}}, "/tasks")
	expectStatus(t, first, http.StatusOK)
	p := u.hx(http.MethodPost, "/tasks", url.Values{"title": {"Middle"}}, "/tasks")
	if n := p.doc.Find(`[hx-swap-oob="delete"]`).Length(); n != 0 {
		t.Fatalf("page not yet full, but %d rows removed:\n%s", n, p.body)
	}
	oldest := p.doc.Find("li.task").Length() // sanity: one new row
	if oldest != 1 {
		t.Fatalf("%d new rows, want 1", oldest)
	}
	page, err := app.store.ListTasks(app.ctx(), u.id, models.ListOptions{PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	oldestID := page.Tasks[len(page.Tasks)-1].ID

	p = u.hx(http.MethodPost, "/tasks", url.Values{"title": {"Newest"}}, "/tasks")
	expectStatus(t, p, http.StatusOK)
	gone := p.doc.Find(`li[hx-swap-oob="delete"]`)
	if gone.Length() != 1 || gone.AttrOr("id", "") != fmt.Sprintf("task-%d", oldestID) {
		t.Fatalf("want the row of %q (task-%d) removed out of band:\n%s", "Oldest", oldestID, p.body)
	}
}

// Without JavaScript, a row's Delete asks first on a page of its own,
// whose form deletes and returns to the list the person was on; "Keep it"
// goes back there with the task untouched. The GET form carries no token.
func TestDeleteWithoutJavaScriptAsksFirst(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("asks@example.com")
	task := app.addTask(u.id, "Maybe delete me", "", models.StatusPending)

	list := u.get("/tasks?status=pending")
	del := list.doc.Find(fmt.Sprintf(`#task-%d form[hx-delete]`, task.ID))
	if del.AttrOr("method", "") != "get" || del.AttrOr("action", "") != path(task.ID)+"/delete" {
		t.Fatalf("row's delete form: method %q action %q", del.AttrOr("method", ""), del.AttrOr("action", ""))
	}
	if del.Find(`input[name="_csrf"]`).Length() != 0 {
		t.Error("a GET form would put the CSRF token in the URL")
	}

	confirm := u.get(path(task.ID) + "/delete?back=" + url.QueryEscape("/tasks?status=pending"))
	expectStatus(t, confirm, http.StatusOK)
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
	expectRedirect(t, u.postRaw(path(task.ID), values), "/tasks?status=pending")
	if _, err := app.store.TaskByID(app.ctx(), u.id, task.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("confirmed delete left the task: %v", err)
	}

	// Someone else's task, or a missing one: the same 404.
	other := app.taskUser("other-asks@example.com")
	theirs := app.addTask(other.id, "Not yours", "", models.StatusPending)
	expectStatus(t, u.get(path(theirs.ID)+"/delete"), http.StatusNotFound)
	expectStatus(t, u.get(path(999999)+"/delete"), http.StatusNotFound)
}
