package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

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

// Pages are compressed, so the token on them is masked afresh for every
// response (BREACH): two pages of the same session carry different token
// bytes, and each works, in a form's body and in htmx's header. Changing
// one byte, or bringing another session's token, still gets a 403.
func TestCSRFTokenMaskedPerResponse(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	b := app.signedIn("masked@example.com")
	first := b.get("/tasks")
	firstToken := b.csrf
	second := b.get("/tasks")
	secondToken := b.csrf
	if firstToken == "" || firstToken == secondToken {
		t.Fatalf("two pages carry the same token %q", firstToken)
	}
	// Every place a page shows the token shows that response's token.
	for _, p := range []*page{first, second} {
		tok, _ := p.doc.Find(`meta[name="csrf-token"]`).Attr("content")
		hx, _ := p.doc.Find("body").Attr("hx-headers")
		if !strings.Contains(hx, tok) {
			t.Errorf("body's hx-headers %q lack the meta tag's token %q", hx, tok)
		}
		p.doc.Find(`input[name="_csrf"]`).Each(func(_ int, s *goquery.Selection) {
			if v, _ := s.Attr("value"); v != tok {
				t.Errorf("a form's _csrf is %q, the meta tag's %q", v, tok)
			}
		})
	}

	if p := b.postRaw("/tasks", url.Values{"title": {"with the first"}, "_csrf": {firstToken}}); p.StatusCode != http.StatusSeeOther {
		t.Errorf("form with the first page's token: %d, want 303", p.StatusCode)
	}
	if p := b.postRaw("/tasks", url.Values{"title": {"with the second"}}, "HX-Request: true", "X-CSRF-Token: "+secondToken); p.StatusCode >= 300 {
		t.Errorf("htmx with the second page's token: %d", p.StatusCode)
	}

	other := app.signedIn("other-masked@example.com")
	other.get("/tasks")
	flipped := []byte(firstToken)
	flipped[len(flipped)-3] ^= 1 // stays in the base64url alphabet
	for name, tok := range map[string]string{
		"one byte changed":        string(flipped),
		"another session's token": other.csrf,
		"the first half only":     firstToken[:len(firstToken)/2],
	} {
		if p := b.postRaw("/tasks", url.Values{"title": {"forged: " + name}, "_csrf": {tok}}); p.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, p.StatusCode)
		}
	}

	u, err := app.store.UserByEmail(app.ctx(), "masked@example.com")
	if err != nil {
		t.Fatal(err)
	}
	list, err := app.store.ListTasks(app.ctx(), u.ID, models.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, task := range list.Tasks {
		titles = append(titles, task.Title)
	}
	slices.Sort(titles)
	if want := []string{"with the first", "with the second"}; !slices.Equal(titles, want) {
		t.Errorf("tasks saved: %q, want %q", titles, want)
	}
}
