package web

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taskapp/models"
)

func TestInlineEditFragments(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	u := app.taskUser("inline@example.com")
	task := app.addTask(u.id, "Fix the bike", "chain", models.StatusPending)
	id := "task-" + strconv.FormatInt(task.ID, 10)

	p := u.hx(http.MethodGet, path(task.ID)+"/edit", nil, "/tasks?q=bike")
	wantStatus(t, p, http.StatusOK)
	wantFragment(t, p)
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
	wantStatus(t, p, http.StatusOK)
	wantFragment(t, p)
	if p.doc.Find("li.task#"+id).Length() != 1 || p.doc.Find("form.inline-edit").Length() != 0 {
		t.Fatalf("cancel did not return the row:\n%s", p.body)
	}
	if _, ok := p.doc.Find(`a[data-autofocus]`).Attr("hx-get"); !ok {
		t.Error("focus does not return to the Edit button")
	}
	if label, _ := p.doc.Find(`a[data-autofocus]`).Attr("aria-label"); label != "Edit “Fix the bike”" {
		t.Errorf("edit button name %q", label)
	}
	if label, _ := p.doc.Find(`button[hx-delete]`).Attr("aria-label"); label != "Delete “Fix the bike”" {
		t.Errorf("delete button name %q", label)
	}
	if confirm, _ := p.doc.Find(`button[hx-delete]`).Attr("hx-confirm"); confirm != "Delete “Fix the bike”?" {
		t.Errorf("hx-confirm %q", confirm)
	}
}
