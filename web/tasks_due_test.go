package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taskapp/models"
)

// setZone sets the cookie static/app.js sets from the browser's zone.
func (b *browser) setZone(zone string) {
	u, _ := url.Parse(b.app.srv.URL)
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: zoneCookie, Value: zone, Path: "/"}})
}

// todayIn is the calendar day now in zone.
func todayIn(t *testing.T, zone string) models.Date {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	return models.Today(time.Now(), loc)
}

// dueLabels are the rows' due labels and <time datetime>, by title.
func dueLabels(p *page) map[string][2]string {
	out := map[string][2]string{}
	p.doc.Find("li.task").Each(func(_ int, row *goquery.Selection) {
		due := row.Find("time.due")
		out[row.Find(".task-title").Text()] = [2]string{due.Text(), due.AttrOr("datetime", "")}
	})
	return out
}

func TestDueDateFormsAndLabels(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("duelabels@example.com")
	const zone = "Pacific/Kiritimati" // UTC+14: its today is often not UTC's
	u.setZone(zone)
	today := todayIn(t, zone)

	for title, due := range map[string]models.Date{
		"Today task": today, "Tomorrow task": today.AddDays(1), "Late task": today.AddDays(-3), "Later task": today.AddDays(30),
	} {
		p := u.plain(http.MethodPost, "/tasks", url.Values{"title": {title}, "due_date": {due.String()}})
		wantRedirect(t, p, "/tasks")
	}
	u.plain(http.MethodPost, "/tasks", url.Values{"title": {"Undated"}, "due_date": {""}})
	p := u.get("/tasks")
	later := today.AddDays(30)
	for title, want := range map[string][2]string{
		"Today task":    {"Today", today.String()},
		"Tomorrow task": {"Tomorrow", today.AddDays(1).String()},
		"Late task":     {"Overdue · 3 days", today.AddDays(-3).String()},
		"Later task":    {later.Time().Format("Mon 2 Jan"), later.String()},
		"Undated":       {"", ""},
	} {
		if later.Year() != today.Year() && title == "Later task" {
			want[0] = later.Time().Format("Mon 2 Jan 2006")
		}
		if got := dueLabels(p)[title]; got != want {
			t.Errorf("%s: due %q, want %q", title, got, want)
		}
	}

	// The task page and the inline edit form change and clear it.
	var late *models.Task
	all, _ := app.store.ListTasks(app.ctx(), u.id, models.ListOptions{})
	for i := range all.Tasks {
		if all.Tasks[i].Title == "Late task" {
			late = &all.Tasks[i]
		}
	}
	page := u.get(path(late.ID))
	if v := page.doc.Find(`#edit-due_date[type="date"]`).AttrOr("value", ""); v != today.AddDays(-3).String() {
		t.Errorf("task page date field = %q", v)
	}
	edit := u.hx(http.MethodGet, path(late.ID)+"/edit", nil, "/tasks")
	if edit.doc.Find(`input[type="date"][name="due_date"]`).Length() != 1 {
		t.Errorf("inline edit has no date field:\n%s", edit.body)
	}
	form := url.Values{"title": {"Late task"}, "description": {""}, "status": {"pending"}, "due_date": {today.AddDays(1).String()}, "back": {path(late.ID)}}
	wantRedirect(t, u.plain(http.MethodPut, path(late.ID), form), path(late.ID))
	if got := reload(t, app, u.id, late.ID); got.DueDate == nil || *got.DueDate != today.AddDays(1) {
		t.Errorf("changed due date = %v", got.DueDate)
	}
	form.Set("due_date", "")
	wantRedirect(t, u.plain(http.MethodPut, path(late.ID), form), path(late.ID))
	if got := reload(t, app, u.id, late.ID); got.DueDate != nil {
		t.Errorf("cleared due date = %v", got.DueDate)
	}
}

func TestDueDateRefusedInPlace(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("duebad@example.com")
	task := app.addTask(u.id, "Keep me", "", models.StatusPending)

	// Create, htmx: the form comes back with the message and the input.
	p := u.hx(http.MethodPost, "/tasks", url.Values{"title": {"Dated"}, "due_date": {"0202-12-01"}}, "/tasks")
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantFragment(t, p)
	if msg := p.doc.Find("#new-due_date-error").Text(); msg != "Use a year from 1900 to 9999." {
		t.Errorf("create message %q\n%s", msg, p.body)
	}
	if p.doc.Find("#new-title").AttrOr("value", "") != "Dated" || p.doc.Find("#new-due_date").AttrOr("value", "") != "0202-12-01" {
		t.Errorf("input lost:\n%s", p.body)
	}
	// Inline edit, htmx: the edit form with its message.
	p = u.hx(http.MethodPut, path(task.ID), url.Values{"title": {"Keep me"}, "description": {""}, "status": {"pending"}, "due_date": {"2026-02-30"}}, "/tasks")
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.doc.Find("#task-" + itoa(task.ID) + "-due_date-error").Text(); msg != "Enter a real date, like 2026-12-31." {
		t.Errorf("edit message %q\n%s", msg, p.body)
	}
	// Task page without JavaScript: the page with its message.
	p = u.plain(http.MethodPut, path(task.ID), url.Values{"title": {"Keep me"}, "description": {""}, "status": {"pending"}, "due_date": {"soon"}, "back": {path(task.ID)}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.doc.Find("#edit-due_date-error").Text(); msg == "" {
		t.Errorf("task page has no message:\n%s", p.body)
	}
	if got := reload(t, app, u.id, task.ID); got.DueDate != nil {
		t.Errorf("a refused date was stored: %v", got.DueDate)
	}
}

func TestTodayUpcomingTabs(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("duetabs@example.com")
	const zone = "America/Los_Angeles"
	u.setZone(zone)
	today := todayIn(t, zone)
	add := func(title string, days int, status models.TaskStatus) {
		if _, err := app.store.CreateTask(app.ctx(), u.id, models.TaskInput{Title: title, Status: status, DueDate: today.AddDays(days).String()}); err != nil {
			t.Fatal(err)
		}
	}
	add("late", -2, models.StatusInProgress) // added first: newest first would put it last
	add("now", 0, models.StatusPending)
	add("done late", -2, models.StatusCompleted)
	add("in two days", 2, models.StatusPending)
	add("tomorrow", 1, models.StatusPending)
	add("next month", 31, models.StatusPending)

	p := u.get("/tasks")
	if tabCount(t, p.doc.Selection, "tab-today") != 2 || tabCount(t, p.doc.Selection, "tab-upcoming") != 2 {
		t.Errorf("due tab counts:\n%s", p.doc.Find("#task-tabs").Text())
	}
	p = u.get("/tasks?view=today")
	if got := rowTitles(p); !slices.Equal(got, []string{"late", "now"}) {
		t.Errorf("Today rows = %q", got)
	}
	if p.doc.Find("#tab-today").AttrOr("aria-current", "") != "page" {
		t.Error("Today tab not current")
	}
	// Upcoming: by day, under a heading per day.
	p = u.hx(http.MethodGet, "/tasks?view=upcoming", nil, "/tasks")
	wantFragment(t, p)
	if got := rowTitles(p); !slices.Equal(got, []string{"tomorrow", "in two days"}) {
		t.Errorf("Upcoming rows = %q", got)
	}
	var days []string
	p.doc.Find("h2.task-day time").Each(func(_ int, s *goquery.Selection) { days = append(days, s.AttrOr("datetime", "")) })
	if want := []string{today.AddDays(1).String(), today.AddDays(2).String()}; !slices.Equal(days, want) {
		t.Errorf("Upcoming day headings %q, want %q", days, want)
	}
	if got := p.Header.Get("HX-Push-Url"); got != "/tasks?view=upcoming" {
		t.Errorf("pushed %q", got)
	}
	// Completing a task from Today updates the Today count in place.
	var now int64
	for _, tk := range mustList(t, app, u.id).Tasks {
		if tk.Title == "now" {
			now = tk.ID
		}
	}
	p = u.hx(http.MethodPatch, path(now), doneForm(t, u, now, true, "/tasks?view=today"), "/tasks?view=today")
	if tabs := p.doc.Find(`nav#task-tabs[hx-swap-oob="true"]`); tabCount(t, tabs, "tab-today") != 1 {
		t.Errorf("Today count after completing:\n%s", p.body)
	}
}

func TestListSortInURL(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("sorturl@example.com")
	for _, title := range []string{"banana", "Apple", "cherry"} {
		app.addTask(u.id, title, "", models.StatusPending)
	}
	p := u.get("/tasks?sort=title")
	if got := rowTitles(p); !slices.Equal(got, []string{"Apple", "banana", "cherry"}) {
		t.Errorf("title sort = %q", got)
	}
	if v := p.doc.Find("#sort option[selected]").AttrOr("value", ""); v != "title" {
		t.Errorf("sort select shows %q", v)
	}
	// Tabs, pages and the search keep the order.
	if href := p.doc.Find("#tab-pending").AttrOr("href", ""); href != "/tasks?sort=title&status=pending" {
		t.Errorf("tab link %q", href)
	}
	if p.doc.Find("#search-sort").AttrOr("value", "") != "title" {
		t.Error("the search form does not keep the sort")
	}
	p = u.get("/tasks?sort=oldest&status=pending&q=an")
	if got := rowTitles(p); !slices.Equal(got, []string{"banana"}) {
		t.Errorf("oldest, searched = %q", got)
	}
	// The sort form keeps the tab and search; an unknown sort is the default.
	if p.doc.Find(`form.task-sort input[name="status"]`).AttrOr("value", "") != "pending" || p.doc.Find(`form.task-sort input[name="q"]`).AttrOr("value", "") != "an" {
		t.Errorf("sort form lost the tab or search:\n%s", p.doc.Find("form.task-sort").Text())
	}
	p = u.hx(http.MethodGet, "/tasks?sort=sideways", nil, "/tasks")
	if got := p.Header.Get("HX-Push-Url"); got != "/tasks" {
		t.Errorf("unknown sort pushed %q", got)
	}
}

func mustList(t *testing.T, app *testApp, userID int64) *models.TaskPage {
	t.Helper()
	p, err := app.store.ListTasks(app.ctx(), userID, models.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTimeZoneOnAccountPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("tzaccount@example.com")
	u.setZone("Pacific/Kiritimati")
	if p := u.get("/account"); !containsText(p, "Pacific/Kiritimati") {
		t.Errorf("account page does not name the browser's zone")
	}
	p := u.post("/account/time-zone", url.Values{"time_zone": {"Mars/Base"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.doc.Find("#tz-time_zone-error").Text(); msg != "Enter a time zone name like Europe/Paris." || p.doc.Find("#tz-time_zone").AttrOr("value", "") != "Mars/Base" {
		t.Errorf("refused zone: %q\n%s", msg, p.body)
	}
	wantRedirect(t, u.post("/account/time-zone", url.Values{"time_zone": {"Etc/GMT+12"}}), "/account")
	// The chosen zone wins over the browser's: a task due today there.
	today := todayIn(t, "Etc/GMT+12")
	app.store.CreateTask(app.ctx(), u.id, models.TaskInput{Title: "zoned", DueDate: today.String()})
	if got := dueLabels(u.get("/tasks"))["zoned"][0]; got != "Today" {
		t.Errorf("due label in the chosen zone %q", got)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func containsText(p *page, s string) bool { return strings.Contains(p.doc.Find("main").Text(), s) }

func TestCreateInTodayViewRedrawsIt(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("duecreate@example.com")
	u.setZone("UTC")
	today := todayIn(t, "UTC")
	app.store.CreateTask(app.ctx(), u.id, models.TaskInput{Title: "Late", DueDate: today.AddDays(-1).String()})

	// Due today, from the Today tab: the region is redrawn with the new
	// row after the overdue one, not pushed on top.
	p := u.hx(http.MethodPost, "/tasks", url.Values{"title": {"Due now"}, "due_date": {today.String()}}, "/tasks?view=today")
	wantStatus(t, p, http.StatusOK)
	region := p.doc.Find(`section#task-region[hx-swap-oob="true"]`)
	if region.Length() != 1 {
		t.Fatalf("no region redrawn:\n%s", p.body)
	}
	var got []string
	region.Find("li.task .task-title").Each(func(_ int, s *goquery.Selection) { got = append(got, s.Text()) })
	if !slices.Equal(got, []string{"Late", "Due now"}) || tabCount(t, region, "tab-today") != 2 {
		t.Errorf("Today after create: %q\n%s", got, p.body)
	}
	if messages(p) != "Added “Due now”." {
		t.Errorf("flash %q", messages(p))
	}
	// Not due: it does not belong in Today, and nothing is redrawn.
	p = u.hx(http.MethodPost, "/tasks", url.Values{"title": {"Someday"}}, "/tasks?view=today")
	if p.doc.Find("section#task-region").Length() != 0 || !strings.Contains(messages(p), "not shown here") {
		t.Errorf("undated task from Today:\n%s", p.body)
	}
}
