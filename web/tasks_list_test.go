package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taskapp/models"
)

// ---- the list page ----

func TestTaskListEmptyStates(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("empty@example.com")

	p := u.get("/tasks")
	wantStatus(t, p, http.StatusOK)
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
		wantStatus(t, p, http.StatusOK)
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
						wantFragment(t, p)
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
					wantStatus(t, p, http.StatusOK)
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
	wantStatus(t, p, http.StatusOK)
	wantFragment(t, p)
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
	if !varies(p.Response, "HX-Request") {
		t.Error("fragment responses must vary on HX-Request")
	}
}
