package web

import (
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

// Helpers shared by every handler test in this package: one set, used by
// the auth, account and task tests alike.

// wantStatus fails unless p answered with status.
func wantStatus(t *testing.T, p *page, status int) {
	t.Helper()
	if p.StatusCode != status {
		t.Fatalf("%s %s = %d, want %d\n%s", p.Request.Method, p.Request.URL.Path, p.StatusCode, status, p.body)
	}
}

// wantRedirect fails unless p is a 303 to location.
func wantRedirect(t *testing.T, p *page, location string) {
	t.Helper()
	wantStatus(t, p, http.StatusSeeOther)
	if got := p.Header.Get("Location"); got != location {
		t.Fatalf("%s %s: Location = %q, want %q", p.Request.Method, p.Request.URL.Path, got, location)
	}
}

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

var wholePage = regexp.MustCompile(`(?i)<(!doctype|html|head|body)[\s>]`)

// wantFragment fails if p is a whole page rather than a fragment.
func wantFragment(t *testing.T, p *page) {
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

// messageWords is the message area's text with runs of white space as one
// space: "Deleted “x”. Undo" for a message with its Undo button.
func messageWords(p *page) string { return strings.Join(strings.Fields(messages(p)), " ") }

func reload(t *testing.T, app *testApp, userID, id int64) *models.Task {
	t.Helper()
	task, err := app.store.TaskByID(app.ctx(), userID, id)
	if err != nil {
		t.Fatalf("reload task %d: %v", id, err)
	}
	return task
}

func path(id int64) string { return "/tasks/" + strconv.FormatInt(id, 10) }
