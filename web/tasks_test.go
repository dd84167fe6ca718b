package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"taskapp/models"
)

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
		wantRedirect(t, p, "/login?next="+url.QueryEscape(target))
		p = b.get(target, "HX-Request: true")
		if got := p.Header.Get("HX-Redirect"); got != "/login?next="+url.QueryEscape(target) {
			t.Errorf("htmx GET %s: HX-Redirect %q", target, got)
		}
	}
	for _, method := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete} {
		wantRedirect(t, b.plain(method, path(task.ID), url.Values{"title": {"Hijacked"}, "status": {"completed"}}), "/login")
	}
	wantRedirect(t, b.plain(http.MethodPost, "/tasks", url.Values{"title": {"Sneaky"}}), "/login")
	if got := reload(t, app, owner.id, task.ID); got.Title != "Private" || got.Status != models.StatusPending {
		t.Errorf("signed-out requests changed the task: %+v", got)
	}
}

// ---- ownership and ids ----

func TestOtherUsersTasksAreNotFound(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	alice := app.taskUser("alice@example.com")
	bob := app.taskUser("bob@example.com")
	task := app.addTask(alice.id, "Alice's secret", "private", models.StatusPending)
	// Bob has tasks of his own, so that his list is a real query that
	// would show Alice's task if it forgot whose list it is.
	app.addTask(bob.id, "Bob's errand", "", models.StatusPending)
	app.addTask(bob.id, "Bob's other errand", "private", models.StatusCompleted)
	missing := task.ID + 1000

	// The request id and the CSRF token (masked afresh for every
	// response) differ between any two pages.
	requestID := regexp.MustCompile(`[A-Za-z0-9]{32}`)
	csrfToken := regexp.MustCompile(`[A-Za-z0-9_-]{86}`)
	normalize := func(s string) string {
		return requestID.ReplaceAllString(csrfToken.ReplaceAllString(s, "TOKEN"), "ID")
	}

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
	for _, list := range []string{"/tasks", "/tasks?q=private", "/tasks?status=pending"} {
		p := bob.get(list)
		wantStatus(t, p, http.StatusOK)
		want := map[string][]string{
			"/tasks":                {"Bob's other errand", "Bob's errand"},
			"/tasks?q=private":      {"Bob's other errand"},
			"/tasks?status=pending": {"Bob's errand"},
		}[list]
		if rows := rowTitles(p); !slices.Equal(rows, want) {
			t.Errorf("Bob's list %s shows %q, want %q", list, rows, want)
		}
		if n := tabCount(t, p.doc.Selection, "tab-pending"); n != 1 && list != "/tasks?q=private" {
			t.Errorf("Bob's list %s counts %d pending, want 1", list, n)
		}
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
