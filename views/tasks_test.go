package views

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taskapp/models"
)

func sampleList(n int) TaskListView {
	now := time.Date(2026, 11, 26, 14, 3, 0, 0, time.UTC)
	desc := "A short description that says a little more about the task."
	tasks := make([]models.Task, n)
	for i := range tasks {
		tasks[i] = models.Task{
			ID:          int64(1000 + i),
			Title:       fmt.Sprintf("Task number %d with a title of ordinary length", i),
			Description: &desc,
			Status:      models.TaskStatuses()[i%3],
			CreatedAt:   now.Add(-time.Duration(i) * time.Hour),
			UpdatedAt:   now,
		}
	}
	return TaskListView{
		Query:  ListQuery{Status: "", Q: "task", Page: 1},
		Tasks:  tasks,
		Counts: models.ListCounts{StatusCounts: models.StatusCounts{models.StatusPending: 40, models.StatusInProgress: 30, models.StatusCompleted: 30}},
		Total:  100, Pages: 2, Now: now,
	}
}

func requestContext() context.Context {
	return WithRequest(context.Background(), &Request{CSRFToken: "token-token-token", UserEmail: "a@example.com", Asset: func(s string) string { return "/static/" + s }})
}

func TestTaskRowRendersEveryRowTheSame(t *testing.T) {
	l := sampleList(3)
	var b strings.Builder
	if err := TaskList(l).Render(requestContext(), &b); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	rows := doc.Find("li.task")
	if rows.Length() != 3 {
		t.Fatalf("%d rows", rows.Length())
	}
	// The rows' controls join two forms outside the list: the status and
	// done form posts, with the token once; Delete is a GET to its
	// confirmation page, which must not put the token in a URL. Both
	// return to the list shown.
	post, get := doc.Find("form#"+RowFormID), doc.Find("form#"+DeleteFormID)
	if post.AttrOr("method", "") != "post" || get.AttrOr("method", "") != "get" {
		t.Fatalf("shared forms: row form %q, delete form %q", post.AttrOr("method", ""), get.AttrOr("method", ""))
	}
	if v := post.Find(`input[name="_csrf"]`).AttrOr("value", ""); v != "token-token-token" {
		t.Errorf("row form's CSRF %q", v)
	}
	if get.Find(`input[name="_csrf"]`).Length() != 0 {
		t.Error("the delete form, a GET, carries the CSRF token")
	}
	for _, f := range []*goquery.Selection{post, get} {
		if got := f.Find(`input[name="back"]`).AttrOr("value", ""); got != "/tasks?q=task" {
			t.Errorf("form %s: back %q", f.AttrOr("id", ""), got)
		}
	}
	list := doc.Find("#task-list")
	if list.AttrOr("hx-target", "") != "closest li" || list.AttrOr("hx-swap", "") != "outerHTML" {
		t.Error("htmx target not set on the list for its rows")
	}
	rows.Each(func(i int, row *goquery.Selection) {
		task := l.Tasks[i]
		id := strconv.FormatInt(task.ID, 10)
		if got := row.Find("form, input[name=_csrf], input[type=hidden]").Length(); got != 0 {
			t.Errorf("row %d: %d forms or hidden fields of its own", i, got)
		}
		sel := row.Find("select")
		if sel.AttrOr("form", "") != RowFormID || sel.AttrOr("name", "") != "status-"+id || sel.Find("option[selected]").AttrOr("value", "") != string(task.Status) {
			t.Errorf("row %d: status select form %q name %q", i, sel.AttrOr("form", ""), sel.AttrOr("name", ""))
		}
		done := row.Find("#task-" + id + "-done")
		if done.AttrOr("form", "") != RowFormID || done.AttrOr("name", "") != "done-"+id || done.Is("[checked]") != (task.Status == models.StatusCompleted) {
			t.Errorf("row %d: done box form %q name %q", i, done.AttrOr("form", ""), done.AttrOr("name", ""))
		}
		if del := row.Find("button[hx-delete]"); del.AttrOr("form", "") != DeleteFormID || del.AttrOr("formaction", "") != "/tasks/"+id+"/delete" {
			t.Errorf("row %d: delete button form %q formaction %q", i, del.AttrOr("form", ""), del.AttrOr("formaction", ""))
		}
		if got := row.Find(".status").Text(); got != task.Status.Label() {
			t.Errorf("row %d: badge %q, want %q", i, got, task.Status.Label())
		}
		if got := row.Find("time").Text(); got != Humanize(task.CreatedAt, l.Now) {
			t.Errorf("row %d: time %q", i, got)
		}
	})
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("word ", 60)
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"short one", "short one"},
		{"two\nlines", "two lines"},
		{"tabs\tand  spaces", "tabs and spaces"},
		{"ünïcödé\u00a0space", "ünïcödé space"},
		{long, strings.TrimSpace(strings.Repeat("word ", 32)) + "…"},
	} {
		if got := excerpt(tc.in); got != tc.want {
			t.Errorf("excerpt(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// BenchmarkTaskListPage renders the list page with 100 rows, the size the
// list is load-tested at.
func BenchmarkTaskListPage(b *testing.B) {
	page := TaskListPage(TasksPage{List: sampleList(100), Create: TaskForm{Status: models.StatusPending}})
	ctx := requestContext()
	b.ReportAllocs()
	for b.Loop() {
		if err := page.Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTaskRowStatusMarkup: the badge and options written once per status
// say the row's status, and a status the app does not know (a row the
// database's CHECK would refuse) is still drawn, escaped, with no option
// selected.
func TestTaskRowStatusMarkup(t *testing.T) {
	l := sampleList(3)
	l.Tasks[2].Status = "<odd>"
	var b strings.Builder
	if err := TaskList(l).Render(requestContext(), &b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<odd>") {
		t.Fatal("an unknown status is written unescaped")
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	doc.Find("li.task").Each(func(i int, row *goquery.Selection) {
		st := l.Tasks[i].Status
		if got := row.Find(".status").Text(); got != st.Label() {
			t.Errorf("row %d: badge %q, want %q", i, got, st.Label())
		}
		opts := row.Find("select option")
		if opts.Length() != len(models.TaskStatuses()) {
			t.Errorf("row %d: %d options", i, opts.Length())
		}
		want := string(st)
		if !st.Valid() {
			want = ""
		}
		if got := row.Find("select option[selected]").AttrOr("value", ""); got != want {
			t.Errorf("row %d: option %q selected, want %q", i, got, want)
		}
	})
}
