package views

import (
	"context"
	"fmt"
	"io"
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
	rows.Each(func(i int, row *goquery.Selection) {
		task := l.Tasks[i]
		// The status form posts; Delete is a GET to its confirmation
		// page, which must not put the token in a URL.
		if got := row.Find(`form[method="post"]:not(.task-done) input[name="_csrf"]`).Length(); got != 1 {
			t.Errorf("row %d: %d CSRF fields in the status form, want 1", i, got)
		}
		if got := row.Find(`form[method="get"] input[name="_csrf"]`).Length(); got != 0 {
			t.Errorf("row %d: a GET form carries the CSRF token", i)
		}
		row.Find(`input[name="_csrf"]`).Each(func(_ int, s *goquery.Selection) {
			if v, _ := s.Attr("value"); v != "token-token-token" {
				t.Errorf("row %d: CSRF %q", i, v)
			}
		})
		if got := row.Find(".status").Text(); got != task.Status.Label() {
			t.Errorf("row %d: badge %q, want %q", i, got, task.Status.Label())
		}
		if !row.HasClass("task") || row.AttrOr("hx-target", "") != "this" || row.AttrOr("hx-swap", "") != "outerHTML" {
			t.Errorf("row %d: htmx target not set on the row", i)
		}
		if got := row.Find("time").Text(); got != Humanize(task.CreatedAt, l.Now) {
			t.Errorf("row %d: time %q", i, got)
		}
		if got, _ := row.Find(`input[name="back"]`).Attr("value"); got != "/tasks?q=task" {
			t.Errorf("row %d: back %q", i, got)
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
