package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taskapp/models"
)

// ---- the task page and the inline edit form ----

func TestTaskPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("page@example.com")
	task := app.addTask(u.id, "Call the bank", "line one\nline two", models.StatusInProgress)

	p := u.get(path(task.ID))
	wantStatus(t, p, http.StatusOK)
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
