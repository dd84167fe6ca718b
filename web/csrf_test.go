package web

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"taskapp/models"
)

// Every unsafe method needs the token, not only POST: htmx sends PUT,
// PATCH and DELETE, and forms without JavaScript send a POST whose _method
// picks the route. Without a token each is refused and the task is as it
// was; with it, the same request goes through (so the 403 is the token's).
func TestCSRFOnEveryUnsafeMethod(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.signedIn("verbs@example.com")
	u, err := app.store.UserByEmail(app.ctx(), "verbs@example.com")
	if err != nil {
		t.Fatal(err)
	}
	task, err := app.store.CreateTask(app.ctx(), u.ID, models.TaskInput{Title: "keep me"})
	if err != nil {
		t.Fatal(err)
	}
	path := "/tasks/" + strconv.FormatInt(task.ID, 10)
	edit := url.Values{"title": {"hijacked"}, "status": {"completed"}}
	for _, tc := range []struct {
		name, method string
		form         url.Values
	}{
		{"PUT", http.MethodPut, edit},
		{"PATCH", http.MethodPatch, edit},
		{"DELETE", http.MethodDelete, url.Values{}},
		{"POST _method=PUT", http.MethodPost, with(edit, "_method", "PUT")},
		{"POST _method=PATCH", http.MethodPost, with(edit, "_method", "PATCH")},
		{"POST _method=DELETE", http.MethodPost, url.Values{"_method": {"DELETE"}}},
	} {
		for _, htmx := range []bool{false, true} {
			var headers []string
			if htmx {
				headers = []string{"HX-Request: true"}
			}
			b.get("/tasks")
			for token, form := range map[string]url.Values{"no": tc.form, "a wrong": with(tc.form, "_csrf", "forged")} {
				if p := b.sendRaw(tc.method, path, form, headers...); p.StatusCode != http.StatusForbidden {
					t.Errorf("%s with %s token (htmx %v): %d, want 403", tc.name, token, htmx, p.StatusCode)
				}
			}
		}
		got, err := app.store.TaskByID(app.ctx(), u.ID, task.ID)
		if err != nil {
			t.Fatalf("after %s without a token: %v", tc.name, err)
		}
		if got.Title != "keep me" || got.Status != models.StatusPending {
			t.Fatalf("after %s without a token the task is %q, %s", tc.name, got.Title, got.Status)
		}
	}
	// The control: with the token, DELETE works.
	b.get("/tasks")
	if p := b.send(http.MethodDelete, path, nil, b.htmx()...); p.StatusCode >= 300 {
		t.Fatalf("DELETE with the token: %d", p.StatusCode)
	}
	if _, err := app.store.TaskByID(app.ctx(), u.ID, task.ID); err == nil {
		t.Error("DELETE with the token left the task")
	}
}

// with is a copy of v with key set to value.
func with(v url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	out.Set(key, value)
	return out
}
